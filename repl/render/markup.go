package render

import "strconv"

// The markup formats (html, asciidoc, latex, latex-longtable, troff-ms)
// print every value as it comes, escaped for the target language: no
// widths to measure, so they stream row by row. Each has a table form and
// an expanded (vertical) one; expanded=auto counts as off, as in psql.
// The vertical forms print the caller's footers only, never "(N rows)".

// newMarkupTable starts a table in one of the markup formats.
func newMarkupTable(b *base) Table {
	vertical := b.opts.Expanded == ExpandedOn
	m := &markupTable{base: b, record: 1}
	switch b.opts.Format {
	case HTML:
		m.row, m.close = m.htmlRow, m.htmlClose
		if vertical {
			m.row, m.close = m.htmlRecord, m.htmlVerticalClose
		}
		m.htmlStart(vertical)
	case AsciiDoc:
		m.row, m.close = m.asciidocRow, m.asciidocClose
		if vertical {
			m.row = m.asciidocRecord
		}
		m.asciidocStart(vertical)
	case LaTeX, LaTeXLongtable:
		switch {
		case vertical:
			m.clampBorder(2)
			m.row, m.close = m.latexRecord, m.latexClose
			m.latexVerticalStart()
		case b.opts.Format == LaTeX:
			m.clampBorder(3)
			m.row, m.close = m.latexRow, m.latexClose
			m.latexStart()
		default:
			m.clampBorder(3)
			m.row, m.close = m.longtableRow, m.longtableClose
			m.longtableStart()
		}
	default: // TroffMS
		m.clampBorder(2)
		m.row, m.close = m.troffRow, m.troffClose
		if vertical {
			m.row = m.troffRecord
		}
		m.troffStart(vertical)
	}
	return m
}

type markupTable struct {
	*base
	row   func(values [][]byte)
	close func()
	// record is the number of the next record of a vertical table.
	record uint64
	// troffLayout is troff-ms's current table layout in vertical mode:
	// 0 none yet, 1 a record's heading, 2 fields.
	troffLayout int
}

func (m *markupTable) Row(values [][]byte) error {
	if err := m.check(values); err != nil {
		return err
	}
	m.counted()
	m.row(values)
	return m.werr()
}

func (m *markupTable) Close() error {
	if m.closed {
		return ErrClosed
	}
	m.close()
	return m.finish()
}

func (m *markupTable) clampBorder(max int) {
	if m.border > max {
		m.border = max
	}
}

func (m *markupTable) title() (string, bool) {
	return m.opts.Title, !m.opts.TuplesOnly && m.opts.HasTitle()
}

// vfooters are the footers of the vertical forms: the caller's only.
func (m *markupTable) vfooters() []string {
	if m.opts.TuplesOnly {
		return nil
	}
	return m.opts.Footers
}

// tfooters are the footers of the table forms: the caller's, else the
// default one.
func (m *markupTable) tfooters() []string {
	if m.opts.TuplesOnly {
		return nil
	}
	return m.footers()
}

// blank is psql's test for a value of only spaces and tabs (or none),
// which some formats print as a placeholder.
func blank(v []byte) bool {
	for _, c := range v {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

func (m *markupTable) alignment(i int) byte {
	if rightAligned(m.cols[i].TypeOID) {
		return 'r'
	}
	return 'l'
}

func (m *markupTable) recordNumber() string {
	n := strconv.FormatUint(m.record, 10)
	m.record++
	return n
}

// ---- HTML ----

// htmlText writes v for HTML: &, <, >, " as entities, newlines as
// <br />, and spaces before the first other character as &nbsp; (for
// EXPLAIN's indentation).
func (m *markupTable) htmlText(v []byte) {
	leading := true
	start := 0
	for i, c := range v {
		var rep string
		switch c {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&quot;"
		case '\n':
			rep = "<br />\n"
		case ' ':
			if leading {
				rep = "&nbsp;"
			}
		}
		if c != ' ' {
			leading = false
		}
		if rep == "" {
			continue
		}
		m.w.Write(v[start:i])
		m.w.WriteString(rep)
		start = i + 1
	}
	m.w.Write(v[start:])
}

func (m *markupTable) htmlCell(i int, v []byte) {
	if m.alignment(i) == 'r' {
		m.w.WriteString(`    <td align="right">`)
	} else {
		m.w.WriteString(`    <td align="left">`)
	}
	if v = m.value(i, v); blank(v) {
		m.w.WriteString("&nbsp; ")
	} else {
		m.htmlText(v)
	}
	m.w.WriteString("</td>\n")
}

func (m *markupTable) htmlStart(vertical bool) {
	m.w.WriteString(`<table border="`)
	m.w.WriteString(strconv.Itoa(m.border))
	m.w.WriteByte('"')
	if m.opts.TableAttrSet {
		m.w.WriteByte(' ')
		m.w.WriteString(m.opts.TableAttr)
	}
	m.w.WriteString(">\n")
	if t, ok := m.title(); ok {
		m.w.WriteString("  <caption>")
		m.htmlText([]byte(t))
		m.w.WriteString("</caption>\n")
	}
	if !vertical && !m.opts.TuplesOnly {
		m.w.WriteString("  <tr>\n")
		for _, h := range m.headers {
			m.w.WriteString(`    <th align="center">`)
			m.htmlText(h)
			m.w.WriteString("</th>\n")
		}
		m.w.WriteString("  </tr>\n")
	}
}

func (m *markupTable) htmlRow(values [][]byte) {
	if len(values) == 0 {
		return
	}
	m.w.WriteString("  <tr valign=\"top\">\n")
	for i, v := range values {
		m.htmlCell(i, v)
	}
	m.w.WriteString("  </tr>\n")
}

func (m *markupTable) htmlRecord(values [][]byte) {
	if len(values) == 0 {
		return
	}
	if m.opts.TuplesOnly {
		m.w.WriteString("\n  <tr><td colspan=\"2\">&nbsp;</td></tr>\n")
	} else {
		m.w.WriteString("\n  <tr><td colspan=\"2\" align=\"center\">Record ")
		m.w.WriteString(m.recordNumber())
		m.w.WriteString("</td></tr>\n")
	}
	for i, v := range values {
		m.w.WriteString("  <tr valign=\"top\">\n    <th>")
		m.htmlText(m.headers[i])
		m.w.WriteString("</th>\n")
		m.htmlCell(i, v)
		m.w.WriteString("  </tr>\n")
	}
}

func (m *markupTable) htmlEnd(footers []string) {
	m.w.WriteString("</table>\n")
	if len(footers) > 0 {
		m.w.WriteString("<p>")
		for _, f := range footers {
			m.htmlText([]byte(f))
			m.w.WriteString("<br />\n")
		}
		m.w.WriteString("</p>")
	}
	m.w.WriteByte('\n')
}

func (m *markupTable) htmlClose()         { m.htmlEnd(m.tfooters()) }
func (m *markupTable) htmlVerticalClose() { m.htmlEnd(m.vfooters()) }

// ---- AsciiDoc ----

// asciidocText writes v with its | escaped, the one character that would
// end a cell.
func (m *markupTable) asciidocText(v []byte) {
	start := 0
	for i, c := range v {
		if c == '|' {
			m.w.Write(v[start:i])
			m.w.WriteString(`\|`)
			start = i + 1
		}
	}
	m.w.Write(v[start:])
}

func (m *markupTable) asciidocStart(vertical bool) {
	m.w.WriteByte('\n') // a table starts a paragraph
	if t, ok := m.title(); ok {
		m.w.WriteByte('.')
		m.w.WriteString(t)
		m.w.WriteByte('\n')
	}
	if vertical {
		m.w.WriteString(`[cols="h,l"`)
	} else {
		m.w.WriteByte('[')
		if !m.opts.TuplesOnly {
			m.w.WriteString(`options="header",`)
		}
		m.w.WriteString(`cols="`)
		for i := range m.cols {
			if i > 0 {
				m.w.WriteByte(',')
			}
			m.asciidocAlign(i)
		}
		m.w.WriteByte('"')
	}
	switch m.border {
	case 0:
		m.w.WriteString(`,frame="none",grid="none"`)
	case 1:
		m.w.WriteString(`,frame="none"`)
	case 2:
		m.w.WriteString(`,frame="all",grid="all"`)
	}
	m.w.WriteString("]\n|====\n")
	if !vertical && !m.opts.TuplesOnly {
		for i, h := range m.headers {
			if i > 0 {
				m.w.WriteByte(' ')
			}
			m.w.WriteString("^l|")
			m.asciidocText(h)
		}
		m.w.WriteByte('\n')
	}
}

func (m *markupTable) asciidocAlign(i int) {
	if m.alignment(i) == 'r' {
		m.w.WriteString(">l")
	} else {
		m.w.WriteString("<l")
	}
}

func (m *markupTable) asciidocRow(values [][]byte) {
	for i, v := range values {
		if i > 0 {
			m.w.WriteByte(' ')
		}
		m.w.WriteByte('|')
		if v = m.value(i, v); !blank(v) {
			m.asciidocText(v)
		} else if i < len(values)-1 {
			m.w.WriteByte(' ')
		}
		if i == len(values)-1 {
			m.w.WriteByte('\n')
		}
	}
}

func (m *markupTable) asciidocRecord(values [][]byte) {
	if len(values) == 0 {
		return
	}
	if m.opts.TuplesOnly {
		m.w.WriteString("2+|\n")
	} else {
		m.w.WriteString("2+^|Record ")
		m.w.WriteString(m.recordNumber())
		m.w.WriteByte('\n')
	}
	for i, v := range values {
		m.w.WriteString("<l|")
		m.asciidocText(m.headers[i])
		m.w.WriteByte(' ')
		m.asciidocAlign(i)
		m.w.WriteByte('|')
		if v = m.value(i, v); blank(v) {
			m.w.WriteByte(' ')
		} else {
			m.asciidocText(v)
		}
		m.w.WriteByte('\n')
	}
}

func (m *markupTable) asciidocClose() {
	m.w.WriteString("|====\n")
	footers := m.tfooters()
	if m.opts.Expanded == ExpandedOn {
		footers = m.vfooters()
	}
	if len(footers) > 0 {
		m.w.WriteString("\n....\n")
		for _, f := range footers {
			m.w.WriteString(f)
			m.w.WriteByte('\n')
		}
		m.w.WriteString("....\n")
	}
}

// ---- LaTeX ----

// latexText writes v with LaTeX's special characters escaped, and
// newlines as \\ (psql's approximation).
func (m *markupTable) latexText(v []byte) {
	start := 0
	for i, c := range v {
		var rep string
		switch c {
		case '#':
			rep = `\#`
		case '$':
			rep = `\$`
		case '%':
			rep = `\%`
		case '&':
			rep = `\&`
		case '<':
			rep = `\textless{}`
		case '>':
			rep = `\textgreater{}`
		case '\\':
			rep = `\textbackslash{}`
		case '^':
			rep = `\^{}`
		case '_':
			rep = `\_`
		case '{':
			rep = `\{`
		case '|':
			rep = `\textbar{}`
		case '}':
			rep = `\}`
		case '~':
			rep = `\~{}`
		case '\n':
			rep = `\\`
		default:
			continue
		}
		m.w.Write(v[start:i])
		m.w.WriteString(rep)
		start = i + 1
	}
	m.w.Write(v[start:])
}

func (m *markupTable) latexTitle() {
	if t, ok := m.title(); ok {
		m.w.WriteString("\\begin{center}\n")
		m.latexText([]byte(t))
		m.w.WriteString("\n\\end{center}\n\n")
	}
}

func (m *markupTable) latexStart() {
	m.latexTitle()
	m.w.WriteString(`\begin{tabular}{`)
	if m.border >= 2 {
		m.w.WriteString("| ")
	}
	for i := range m.cols {
		m.w.WriteByte(m.alignment(i))
		if m.border != 0 && i < len(m.cols)-1 {
			m.w.WriteString(" | ")
		}
	}
	if m.border >= 2 {
		m.w.WriteString(" |")
	}
	m.w.WriteString("}\n")
	if m.opts.TuplesOnly {
		return
	}
	if m.border >= 2 {
		m.w.WriteString("\\hline\n")
	}
	for i, h := range m.headers {
		if i > 0 {
			m.w.WriteString(" & ")
		}
		m.w.WriteString(`\textit{`)
		m.latexText(h)
		m.w.WriteByte('}')
	}
	m.w.WriteString(" \\\\\n\\hline\n")
}

func (m *markupTable) latexRow(values [][]byte) {
	for i, v := range values {
		m.latexText(m.value(i, v))
		if i < len(values)-1 {
			m.w.WriteString(" & ")
			continue
		}
		m.w.WriteString(" \\\\\n")
		if m.border == 3 {
			m.w.WriteString("\\hline\n")
		}
	}
}

func (m *markupTable) latexVerticalStart() {
	m.latexTitle()
	m.w.WriteString(`\begin{tabular}{`)
	switch m.border {
	case 0:
		m.w.WriteString("cl")
	case 1:
		m.w.WriteString("c|l")
	case 2:
		m.w.WriteString("|c|l|")
	}
	m.w.WriteString("}\n")
}

func (m *markupTable) latexRecord(values [][]byte) {
	if len(values) == 0 {
		return
	}
	if !m.opts.TuplesOnly {
		if m.border == 2 {
			m.w.WriteString("\\hline\n\\multicolumn{2}{|c|}{\\textit{Record ")
		} else {
			m.w.WriteString("\\multicolumn{2}{c}{\\textit{Record ")
		}
		m.w.WriteString(m.recordNumber())
		m.w.WriteString("}} \\\\\n")
	}
	if m.border >= 1 {
		m.w.WriteString("\\hline\n")
	}
	for i, v := range values {
		m.latexText(m.headers[i])
		m.w.WriteString(" & ")
		m.latexText(m.value(i, v))
		m.w.WriteString(" \\\\\n")
	}
}

func (m *markupTable) latexClose() {
	if m.border == 2 {
		m.w.WriteString("\\hline\n")
	}
	m.w.WriteString("\\end{tabular}\n\n\\noindent ")
	footers := m.tfooters()
	if m.opts.Expanded == ExpandedOn {
		footers = m.vfooters()
	}
	for _, f := range footers {
		m.latexText([]byte(f))
		m.w.WriteString(" \\\\\n")
	}
	m.w.WriteByte('\n')
}

// ---- LaTeX longtable ----

// longtableWidths are the column widths of latex-longtable: the words of
// tableattr, fractions of \textwidth, one per left-aligned column, the
// last one repeated.
func (m *markupTable) longtableColumns() {
	attr := m.opts.TableAttr
	last := ""
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }
	for i := range m.cols {
		a := m.alignment(i)
		switch {
		case a != 'l' || !m.opts.TableAttrSet:
			m.w.WriteByte(a)
		default:
			for len(attr) > 0 && isSpace(attr[0]) {
				attr = attr[1:]
			}
			if attr != "" {
				n := 0
				for n < len(attr) && !isSpace(attr[n]) {
					n++
				}
				last, attr = attr[:n], attr[n:]
			}
			if last == "" {
				m.w.WriteByte('l')
			} else {
				m.w.WriteString("p{")
				m.w.WriteString(last)
				m.w.WriteString(`\textwidth}`)
			}
		}
		if m.border != 0 && i < len(m.cols)-1 {
			m.w.WriteString(" | ")
		}
	}
}

func (m *markupTable) longtableHeaders() {
	for i, h := range m.headers {
		if i > 0 {
			m.w.WriteString(" & ")
		}
		m.w.WriteString(`\small\textbf{\textit{`)
		m.latexText(h)
		m.w.WriteString("}}")
	}
	m.w.WriteString(" \\\\\n")
}

func (m *markupTable) longtableStart() {
	m.w.WriteString(`\begin{longtable}{`)
	if m.border >= 2 {
		m.w.WriteString("| ")
	}
	m.longtableColumns()
	if m.border >= 2 {
		m.w.WriteString(" |")
	}
	m.w.WriteString("}\n")
	if m.opts.TuplesOnly {
		return
	}
	// The first page's heading, then the others'.
	if m.border >= 2 {
		m.w.WriteString("\\toprule\n")
	}
	m.longtableHeaders()
	m.w.WriteString("\\midrule\n\\endfirsthead\n")
	if m.border >= 2 {
		m.w.WriteString("\\toprule\n")
	}
	m.longtableHeaders()
	if m.border != 3 { // border 3 rules every row already
		m.w.WriteString("\\midrule\n")
	}
	m.w.WriteString("\\endhead\n")
	if t, ok := m.title(); ok {
		caption := func(suffix string) {
			if m.border == 2 {
				m.w.WriteString("\\bottomrule\n")
			}
			m.w.WriteString(`\caption[`)
			m.latexText([]byte(t))
			m.w.WriteString(suffix)
			m.w.WriteString("]{")
			m.latexText([]byte(t))
			m.w.WriteString("}\n")
		}
		caption(" (Continued)")
		m.w.WriteString("\\endfoot\n")
		caption("")
		m.w.WriteString("\\endlastfoot\n")
	} else if m.border >= 2 {
		m.w.WriteString("\\bottomrule\n\\endfoot\n\\bottomrule\n\\endlastfoot\n")
	}
}

func (m *markupTable) longtableRow(values [][]byte) {
	for i, v := range values {
		if i > 0 {
			m.w.WriteString("\n&\n")
		}
		m.w.WriteString(`\raggedright{`)
		m.latexText(m.value(i, v))
		m.w.WriteByte('}')
		if i == len(values)-1 {
			m.w.WriteString(" \\tabularnewline\n")
			if m.border == 3 {
				m.w.WriteString(" \\hline\n")
			}
		}
	}
}

// longtableClose ends the table; latex-longtable prints no footers.
func (m *markupTable) longtableClose() {
	m.w.WriteString("\\end{longtable}\n")
}

// ---- troff -ms ----

// troffText writes v with its backslashes as \(rs.
func (m *markupTable) troffText(v []byte) {
	start := 0
	for i, c := range v {
		if c == '\\' {
			m.w.Write(v[start:i])
			m.w.WriteString(`\(rs`)
			start = i + 1
		}
	}
	m.w.Write(v[start:])
}

func (m *markupTable) troffStart(vertical bool) {
	if t, ok := m.title(); ok {
		m.w.WriteString(".LP\n.DS C\n")
		m.troffText([]byte(t))
		m.w.WriteString("\n.DE\n")
	}
	m.w.WriteString(".LP\n.TS\n")
	if m.border == 2 {
		m.w.WriteString("center box;\n")
	} else {
		m.w.WriteString("center;\n")
	}
	if vertical {
		if m.opts.TuplesOnly {
			m.w.WriteString("c l;\n")
		}
		return
	}
	for i := range m.cols {
		m.w.WriteByte(m.alignment(i))
		if m.border > 0 && i < len(m.cols)-1 {
			m.w.WriteString(" | ")
		}
	}
	m.w.WriteString(".\n")
	if !m.opts.TuplesOnly {
		for i, h := range m.headers {
			if i > 0 {
				m.w.WriteByte('\t')
			}
			m.w.WriteString(`\fI`)
			m.troffText(h)
			m.w.WriteString(`\fP`)
		}
		m.w.WriteString("\n_\n")
	}
}

func (m *markupTable) troffRow(values [][]byte) {
	for i, v := range values {
		m.troffText(m.value(i, v))
		if i < len(values)-1 {
			m.w.WriteByte('\t')
		} else {
			m.w.WriteByte('\n')
		}
	}
}

func (m *markupTable) troffRecord(values [][]byte) {
	if len(values) == 0 {
		return
	}
	if !m.opts.TuplesOnly {
		if m.troffLayout != 1 {
			if m.border == 2 && m.record > 1 {
				m.w.WriteString("_\n")
			}
			if m.troffLayout != 0 {
				m.w.WriteString(".T&\n")
			}
			m.w.WriteString("c s.\n")
			m.troffLayout = 1
		}
		m.w.WriteString(`\fIRecord `)
		m.w.WriteString(m.recordNumber())
		m.w.WriteString("\\fP\n")
	}
	if m.border >= 1 {
		m.w.WriteString("_\n")
	}
	for i, v := range values {
		if !m.opts.TuplesOnly && m.troffLayout != 2 {
			if m.troffLayout != 0 {
				m.w.WriteString(".T&\n")
			}
			if m.border != 1 {
				m.w.WriteString("c l.\n")
			} else {
				m.w.WriteString("c | l.\n")
			}
			m.troffLayout = 2
		}
		m.troffText(m.headers[i])
		m.w.WriteByte('\t')
		m.troffText(m.value(i, v))
		m.w.WriteByte('\n')
	}
}

func (m *markupTable) troffClose() {
	m.w.WriteString(".TE\n.DS L\n")
	footers := m.tfooters()
	if m.opts.Expanded == ExpandedOn {
		footers = m.vfooters()
	}
	for _, f := range footers {
		m.troffText([]byte(f))
		m.w.WriteByte('\n')
	}
	m.w.WriteString(".DE\n")
}
