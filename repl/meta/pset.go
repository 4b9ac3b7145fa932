package meta

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/render"
)

// formatNames are psql's \pset format names (and safesql's json), in
// psql's order. latex-longtable is not among them: psql matches it only
// when no other name does, so that "latex" and "l" mean latex.
var formatNames = []struct {
	name   string
	format render.Format
}{
	{"aligned", render.Aligned},
	{"asciidoc", render.AsciiDoc},
	{"csv", render.CSV},
	{"html", render.HTML},
	{"json", render.JSON},
	{"latex", render.LaTeX},
	{"troff-ms", render.TroffMS},
	{"unaligned", render.Unaligned},
	{"wrapped", render.Wrapped},
}

// formatName is the \pset name of format f.
func formatName(f render.Format) string {
	if f == render.LaTeXLongtable {
		return "latex-longtable"
	}
	for _, n := range formatNames {
		if n.format == f {
			return n.name
		}
	}
	return "aligned"
}

// SetPrintOption applies one psql \pset (or -P) setting to opts.
func SetPrintOption(opts *render.Options, name, value string, hasValue bool) error {
	switch name {
	case "format":
		if !hasValue {
			return nil
		}
		// psql matches a prefix of any length, case-insensitively.
		v := strings.ToLower(value)
		match := -1
		for i, f := range formatNames {
			if strings.HasPrefix(f.name, v) {
				if match >= 0 {
					return fmt.Errorf("\\pset: ambiguous abbreviation \"%s\" matches both \"%s\" and \"%s\"", value, formatNames[match].name, f.name)
				}
				match = i
			}
		}
		switch {
		case match >= 0:
			opts.Format = formatNames[match].format
		case strings.HasPrefix("latex-longtable", v):
			opts.Format = render.LaTeXLongtable
		default:
			// psql's words; json is safesql's own and works all the same
			return fmt.Errorf("\\pset: allowed formats are aligned, asciidoc, csv, html, latex, latex-longtable, troff-ms, unaligned, wrapped")
		}
	case "border":
		if !hasValue {
			return nil
		}
		// As psql: atoi, kept in an unsigned short ("x" is 0, -1 is 65535).
		opts.Border = int(uint16(atoi(value)))
	case "null":
		opts.Null = value
	case "fieldsep":
		if hasValue {
			opts.FieldSep, opts.FieldSepZero = value, false
		}
	case "fieldsep_zero":
		opts.FieldSepZero = true
	case "recordsep":
		if hasValue {
			opts.RecordSep, opts.RecordSepZero = value, false
		}
	case "recordsep_zero":
		opts.RecordSepZero = true
	case "csv_fieldsep":
		if hasValue {
			if len(value) != 1 {
				return fmt.Errorf("\\pset: csv_fieldsep must be a single one-byte character")
			}
			if value == "\"" || value == "\n" || value == "\r" {
				return fmt.Errorf("\\pset: csv_fieldsep cannot be a double quote, a newline, or a carriage return")
			}
			opts.CSVFieldSep = value
		}
	case "tuples_only", "t":
		return setBoolOpt(&opts.TuplesOnly, name, value, hasValue)
	case "footer":
		return setBoolOpt(&opts.Footer, name, value, hasValue)
	case "expanded", "x":
		switch {
		case !hasValue:
			if opts.Expanded == render.ExpandedOff {
				opts.Expanded = render.ExpandedOn
			} else {
				opts.Expanded = render.ExpandedOff
			}
		case strings.EqualFold(value, "auto"):
			opts.Expanded = render.ExpandedAuto
		default:
			b, ok := analyze.ParseBool(value)
			if !ok {
				return fmt.Errorf("\\pset: unrecognized value \"%s\" for \"expanded\": Boolean or \"auto\" expected", value)
			}
			opts.Expanded = render.ExpandedOff
			if b {
				opts.Expanded = render.ExpandedOn
			}
		}
	case "title", "C":
		opts.Title, opts.TitleSet = value, hasValue
	case "linestyle":
		if !hasValue {
			return nil
		}
		// psql takes any case-insensitive prefix, tried in this order:
		// the empty one is ascii, "o" and "old-" are old-ascii.
		switch v := strings.ToLower(value); {
		case strings.HasPrefix("ascii", v):
			opts.LineStyle = render.LineASCII
		case strings.HasPrefix("old-ascii", v):
			opts.LineStyle = render.LineOldASCII
		case strings.HasPrefix("unicode", v):
			opts.LineStyle = render.LineUnicode
		default:
			return fmt.Errorf("\\pset: allowed line styles are ascii, old-ascii, unicode")
		}
	case "numericlocale":
		return setBoolOpt(&opts.NumericLocale, name, value, hasValue)
	case "columns":
		if hasValue {
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				return fmt.Errorf("\\pset: columns must be a number, not %q", value)
			}
			opts.TermWidth = n
		}
	case "pager":
		switch v := strings.ToLower(value); {
		case !hasValue:
			if opts.Pager == 0 {
				opts.Pager = 1
			} else {
				opts.Pager = 0
			}
		case v == "always":
			opts.Pager = 2
		default:
			on, ok := analyze.ParseBool(v)
			if !ok {
				return fmt.Errorf("\\pset: unrecognized value \"%s\" for \"pager\": Boolean expected", value)
			}
			opts.Pager = 0
			if on {
				opts.Pager = 1
			}
		}
	case "tableattr", "T":
		// \pset tableattr without a value unsets it; an empty value is
		// set, and makes html print <table border="1" >.
		opts.TableAttr, opts.TableAttrSet = value, hasValue
	case "unicode_border_linestyle", "unicode_column_linestyle", "unicode_header_linestyle":
		if !hasValue {
			return nil
		}
		// psql takes any case-insensitive prefix, the empty one included
		// (which is single).
		var l render.UnicodeLine
		switch v := strings.ToLower(value); {
		case strings.HasPrefix("single", v):
			l = render.UnicodeSingle
		case strings.HasPrefix("double", v):
			l = render.UnicodeDouble
		default:
			return fmt.Errorf("\\pset: allowed Unicode %s line styles are single, double", unicodeLineKind(name))
		}
		*unicodeLineOpt(opts, name) = l
	case "pager_min_lines", "xheader_width":
		// Accepted for psql compatibility; output is not paged or styled yet.
	default:
		return fmt.Errorf("\\pset: unknown option: %s", name)
	}
	return nil
}

func setBoolOpt(dst *bool, name, value string, hasValue bool) error {
	if !hasValue {
		*dst = !*dst
		return nil
	}
	b, ok := analyze.ParseBool(value)
	if !ok {
		return fmt.Errorf("unrecognized value \"%s\" for \"%s\": Boolean expected", value, name)
	}
	*dst = b
	return nil
}

// PrintOptionInfo is psql's message after a \pset (and \a, \t, \x, \f)
// that changed name, e.g. `Border style is 2.`; "" when psql says nothing.
func PrintOptionInfo(opts render.Options, name string) string {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	switch name {
	case "format":
		return fmt.Sprintf("Output format is %s.", formatName(opts.Format))
	case "tableattr", "T":
		if !opts.TableAttrSet {
			return "Table attributes unset."
		}
		return fmt.Sprintf("Table attributes are \"%s\".", opts.TableAttr)
	case "border":
		return fmt.Sprintf("Border style is %d.", opts.Border)
	case "null":
		return fmt.Sprintf("Null display is \"%s\".", opts.Null)
	case "fieldsep", "fieldsep_zero":
		if opts.FieldSepZero {
			return "Field separator is zero byte."
		}
		return fmt.Sprintf("Field separator is \"%s\".", opts.FieldSep)
	case "recordsep", "recordsep_zero":
		switch {
		case opts.RecordSepZero:
			return "Record separator is zero byte."
		case opts.RecordSep == "\n":
			return "Record separator is <newline>."
		}
		return fmt.Sprintf("Record separator is \"%s\".", opts.RecordSep)
	case "csv_fieldsep":
		return fmt.Sprintf("Field separator for CSV is \"%s\".", opts.CSVFieldSep)
	case "tuples_only", "t":
		return "Tuples only is " + onOff(opts.TuplesOnly) + "."
	case "footer":
		return "Default footer is " + onOff(opts.Footer) + "."
	case "expanded", "x":
		switch opts.Expanded {
		case render.ExpandedAuto:
			return "Expanded display is used automatically."
		case render.ExpandedOn:
			return "Expanded display is on."
		}
		return "Expanded display is off."
	case "linestyle":
		return "Line style is " + lineStyleName(opts.LineStyle) + "."
	case "numericlocale":
		return "Locale-adjusted numeric output is " + onOff(opts.NumericLocale) + "."
	case "columns":
		if opts.TermWidth == 0 {
			return "Target width is unset."
		}
		return fmt.Sprintf("Target width is %d.", opts.TermWidth)
	case "pager":
		switch opts.Pager {
		case 0:
			return "Pager usage is off."
		case 2:
			return "Pager is always used."
		}
		return "Pager is used for long output."
	case "title", "C":
		if !opts.HasTitle() {
			return "Title is unset."
		}
		return fmt.Sprintf("Title is \"%s\".", opts.Title)
	case "unicode_border_linestyle", "unicode_column_linestyle", "unicode_header_linestyle":
		return fmt.Sprintf("Unicode %s line style is \"%s\".", unicodeLineKind(name), unicodeLineName(*unicodeLineOpt(&opts, name)))
	}
	return ""
}

// lineStyleName is l as psql names it.
func lineStyleName(l render.LineStyle) string {
	switch l {
	case render.LineUnicode:
		return "unicode"
	case render.LineOldASCII:
		return "old-ascii"
	}
	return "ascii"
}

// unicodeLineKind is the word psql's messages use for a unicode_*_linestyle
// option: border, column or header.
func unicodeLineKind(name string) string {
	return strings.TrimSuffix(strings.TrimPrefix(name, "unicode_"), "_linestyle")
}

// unicodeLineOpt is the field of opts that the unicode_*_linestyle option
// name sets.
func unicodeLineOpt(opts *render.Options, name string) *render.UnicodeLine {
	switch name {
	case "unicode_column_linestyle":
		return &opts.UnicodeColumn
	case "unicode_header_linestyle":
		return &opts.UnicodeHeader
	}
	return &opts.UnicodeBorder
}

// unicodeLineName is l as psql names it.
func unicodeLineName(l render.UnicodeLine) string {
	if l == render.UnicodeDouble {
		return "double"
	}
	return "single"
}

// PrintOptionsListing is psql's \pset without arguments: every option and
// its value.
func PrintOptionsListing(o render.Options) string {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	format := formatName(o.Format)
	tableAttr := ""
	if o.TableAttrSet {
		tableAttr = quotePsetValue(o.TableAttr)
	}
	expanded := "off"
	switch o.Expanded {
	case render.ExpandedOn:
		expanded = "on"
	case render.ExpandedAuto:
		expanded = "auto"
	}
	rows := [][2]string{
		{"border", strconv.Itoa(o.Border)},
		{"columns", strconv.Itoa(o.TermWidth)},
		{"csv_fieldsep", quotePsetValue(o.CSVFieldSep)},
		{"expanded", expanded},
		{"fieldsep", quotePsetValue(o.FieldSep)},
		{"fieldsep_zero", onOff(o.FieldSepZero)},
		{"footer", onOff(o.Footer)},
		{"format", format},
		{"linestyle", lineStyleName(o.LineStyle)},
		{"null", quotePsetValue(o.Null)},
		{"numericlocale", onOff(o.NumericLocale)},
		{"pager", strconv.Itoa(o.Pager)},
		{"pager_min_lines", "0"},
		{"recordsep", quotePsetValue(o.RecordSep)},
		{"recordsep_zero", onOff(o.RecordSepZero)},
		{"tableattr", tableAttr},
		{"title", titleListing(o)},
		{"tuples_only", onOff(o.TuplesOnly)},
		{"unicode_border_linestyle", unicodeLineName(o.UnicodeBorder)},
		{"unicode_column_linestyle", unicodeLineName(o.UnicodeColumn)},
		{"unicode_header_linestyle", unicodeLineName(o.UnicodeHeader)},
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-24s %s\n", r[0], r[1])
	}
	return b.String()
}

// quotePsetValue quotes a string option the way psql shows it.
func quotePsetValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(v) + "'"
}

// quoteIfSet: psql shows an unset title as nothing, a set one quoted.
func quoteIfSet(v string) string {
	if v == "" {
		return ""
	}
	return quotePsetValue(v)
}

// atoi is C's atoi: optional blanks and sign, then digits up to the
// first other character; 0 when there are none.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
		if n > 1<<31 {
			break
		}
	}
	if neg {
		return -n
	}
	return n
}

// titleListing is the title as \pset lists it: two single quotes for a
// title set to the empty string.
func titleListing(o render.Options) string {
	if o.TitleSet && o.Title == "" {
		return "''"
	}
	return quoteIfSet(o.Title)
}
