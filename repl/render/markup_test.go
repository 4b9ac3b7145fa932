package render

// markupOptionSets are the psql flags the golden and random tests try on
// the markup formats: every border psql knows (and one beyond), tuples
// only, expanded, titles and footers, null display, table attributes.
func markupOptionSets() [][]string {
	var sets [][]string
	for _, f := range []string{"html", "asciidoc", "latex", "latex-longtable", "troff-ms"} {
		format := []string{"-P", "format=" + f}
		with := func(more ...string) []string { return append(append([]string{}, format...), more...) }
		sets = append(sets,
			with(),
			with("-P", "border=0"),
			with("-P", "border=2"),
			with("-P", "border=3"),
			with("-P", "border=4"),
			with("-t"),
			with("-t", "-P", "border=2"),
			with("-t", "-P", "border=3"),
			with("-P", "title=A <title> & \"more\" | #1 \\ _x_ {y}"),
			with("-P", "title=T", "-P", "border=2"),
			with("-P", "title=T", "-P", "border=3"),
			with("-P", "title=T", "-t"),
			with("-P", "null=<NULL> & | \\ %"),
			with("-P", "footer=off"),
			with("-P", "footer=off", "-P", "title=T"),
			with("-P", "numericlocale=on"),
			with("-P", "expanded=auto", "-P", "columns=10"),
			with("-x"),
			with("-x", "-P", "border=0"),
			with("-x", "-P", "border=2"),
			with("-x", "-P", "border=3"),
			with("-x", "-t"),
			with("-x", "-t", "-P", "border=0"),
			with("-x", "-t", "-P", "border=2"),
			with("-x", "-P", "title=T & <t> | \\"),
			with("-x", "-P", "title=T", "-P", "border=2"),
			with("-x", "-P", "footer=off", "-P", "null=N"),
			with("-P", "tableattr=class=\"x\" width=90%"),
			with("-P", "tableattr="),
			with("-P", "tableattr=0.2 0.3", "-P", "border=2"),
			with("-P", "tableattr= \t0.5 ", "-t"),
			with("-x", "-P", "tableattr=0.1 id=a"),
		)
	}
	return append(sets,
		[]string{"-H"},
		[]string{"-H", "-T", "cellpadding=3"},
		[]string{"-H", "-x", "-T", "a"},
	)
}
