package render

// unalignedTable is psql's print_unaligned_text, streamed.
type unalignedTable struct {
	*base
	needRecordSep bool
}

func newUnalignedTable(b *base) *unalignedTable {
	t := &unalignedTable{base: b}
	if !b.opts.TuplesOnly {
		if b.opts.HasTitle() {
			b.w.WriteString(b.opts.Title)
			b.w.WriteString(b.recordSep())
		}
		for i, h := range b.headers {
			if i > 0 {
				b.w.WriteString(b.fieldSep())
			}
			b.w.Write(h)
		}
		t.needRecordSep = true
	}
	return t
}

func (t *unalignedTable) Row(values [][]byte) error {
	if err := t.check(values); err != nil {
		return err
	}
	t.counted()
	for i, v := range values {
		if t.needRecordSep {
			t.w.WriteString(t.recordSep())
			t.needRecordSep = false
		}
		t.w.Write(t.value(i, v))
		if i < len(values)-1 {
			t.w.WriteString(t.fieldSep())
		} else {
			t.needRecordSep = true
		}
	}
	return t.werr()
}

func (t *unalignedTable) Close() error {
	if t.closed {
		return ErrClosed
	}
	if !t.opts.TuplesOnly {
		for _, f := range t.footers() {
			if t.needRecordSep {
				t.w.WriteString(t.recordSep())
			}
			t.w.WriteString(f)
			t.needRecordSep = true
		}
	}
	if t.needRecordSep {
		t.w.WriteString(t.end())
	}
	return t.finish()
}

// unalignedVertical is psql's print_unaligned_vertical (-A -x), streamed.
type unalignedVertical struct {
	*base
	needRecordSep bool
}

func newUnalignedVertical(b *base) *unalignedVertical {
	t := &unalignedVertical{base: b}
	if !b.opts.TuplesOnly && b.opts.HasTitle() {
		b.w.WriteString(b.opts.Title)
		t.needRecordSep = true
	}
	return t
}

func (t *unalignedVertical) Row(values [][]byte) error {
	if err := t.check(values); err != nil {
		return err
	}
	t.counted()
	for i, v := range values {
		if t.needRecordSep {
			// Records are separated by two record separators in this mode.
			t.w.WriteString(t.recordSep())
			t.w.WriteString(t.recordSep())
			t.needRecordSep = false
		}
		t.w.Write(t.headers[i])
		t.w.WriteString(t.fieldSep())
		t.w.Write(t.value(i, v))
		if i < len(values)-1 {
			t.w.WriteString(t.recordSep())
		} else {
			t.needRecordSep = true
		}
	}
	return t.werr()
}

func (t *unalignedVertical) Close() error {
	if t.closed {
		return ErrClosed
	}
	// psql prints no default footer in vertical modes, only the caller's.
	if !t.opts.TuplesOnly && len(t.opts.Footers) > 0 {
		t.w.WriteString(t.recordSep())
		for _, f := range t.opts.Footers {
			t.w.WriteString(t.recordSep())
			t.w.WriteString(f)
		}
	}
	if t.needRecordSep {
		t.w.WriteString(t.end())
	}
	return t.finish()
}

// csvTable is psql's print_csv_text, streamed.
type csvTable struct {
	*base
	sep byte
}

func csvSep(b *base) byte {
	if b.opts.CSVFieldSep == "" {
		return ','
	}
	return b.opts.CSVFieldSep[0]
}

func newCSVTable(b *base) *csvTable {
	t := &csvTable{base: b, sep: csvSep(b)}
	if !b.opts.TuplesOnly {
		for i, h := range b.headers {
			if i > 0 {
				b.w.WriteByte(t.sep)
			}
			csvField(b, h, t.sep)
		}
		b.w.WriteByte('\n')
	}
	return t
}

// csvField is csv_print_field: quoted when the value holds the separator, a
// quote, CR or LF, is exactly \. or the separator is \ or . (so that COPY
// never sees an end-of-data marker).
func csvField(b *base, v []byte, sep byte) {
	quote := sep == '\\' || sep == '.' || (len(v) == 2 && v[0] == '\\' && v[1] == '.')
	if !quote {
		for _, c := range v {
			if c == sep || c == '"' || c == '\n' || c == '\r' {
				quote = true
				break
			}
		}
	}
	if !quote {
		b.w.Write(v)
		return
	}
	b.w.WriteByte('"')
	for _, c := range v {
		if c == '"' {
			b.w.WriteByte('"')
		}
		b.w.WriteByte(c)
	}
	b.w.WriteByte('"')
}

func (t *csvTable) Row(values [][]byte) error {
	if err := t.check(values); err != nil {
		return err
	}
	t.counted()
	for i, v := range values {
		csvField(t.base, t.value(i, v), t.sep)
		if i < len(values)-1 {
			t.w.WriteByte(t.sep)
		} else {
			t.w.WriteByte('\n')
		}
	}
	return t.werr()
}

func (t *csvTable) Close() error { return t.finish() }

// csvVertical is psql's print_csv_vertical (--csv -x): one name,value line
// per field, no header, no title, no footer.
type csvVertical struct{ *base }

func (t *csvVertical) Row(values [][]byte) error {
	if err := t.check(values); err != nil {
		return err
	}
	t.counted()
	sep := csvSep(t.base)
	for i, v := range values {
		csvField(t.base, t.headers[i], sep)
		t.w.WriteByte(sep)
		csvField(t.base, t.value(i, v), sep)
		t.w.WriteByte('\n')
	}
	return t.werr()
}

func (t *csvVertical) Close() error { return t.finish() }
