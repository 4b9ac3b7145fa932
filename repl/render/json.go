package render

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// jsonKind says how a column's values are written in JSON.
type jsonKind uint8

const (
	jsonString jsonKind = iota
	jsonNumber          // int*, float*, numeric, oid: a number when it is one
	jsonBool            // t/f
	jsonRaw             // json, jsonb: embedded as they are (on one line)
)

func jsonKindOf(oid uint32) jsonKind {
	switch oid {
	case 20, 21, 23, 700, 701, 1700, 26: // int8, int2, int4, float4, float8, numeric, oid
		return jsonNumber
	case 16:
		return jsonBool
	case 114, 3802:
		return jsonRaw
	}
	return jsonString
}

// jsonTable writes one JSON object per row, one per line, keys the column
// names in order. Duplicate column names are kept as duplicate keys (JSON
// allows them; most decoders keep the last one): renaming would invent
// names the query never had. Title, footer, tuples-only and expanded do not
// apply.
type jsonTable struct {
	*base
	keys  [][]byte // `"name":` ready to write, the first with '{' before it
	kinds []jsonKind
	buf   []byte
}

func newJSONTable(b *base) *jsonTable {
	t := &jsonTable{base: b, keys: make([][]byte, len(b.cols)), kinds: make([]jsonKind, len(b.cols))}
	for i, c := range b.cols {
		var k []byte
		if i == 0 {
			k = append(k, '{')
		} else {
			k = append(k, ',')
		}
		k = appendJSONString(k, []byte(c.Name))
		t.keys[i] = append(k, ':')
		t.kinds[i] = jsonKindOf(c.TypeOID)
	}
	return t
}

func (t *jsonTable) Row(values [][]byte) error {
	if err := t.check(values); err != nil {
		return err
	}
	t.counted()
	buf := t.buf[:0]
	if len(values) == 0 {
		buf = append(buf, '{')
	}
	for i, v := range values {
		buf = append(buf, t.keys[i]...)
		switch {
		case v == nil:
			buf = append(buf, "null"...)
		case t.kinds[i] == jsonNumber && isJSONNumber(v):
			buf = append(buf, v...)
		case t.kinds[i] == jsonBool && len(v) == 1 && (v[0] == 't' || v[0] == 'f'):
			if v[0] == 't' {
				buf = append(buf, "true"...)
			} else {
				buf = append(buf, "false"...)
			}
		case t.kinds[i] == jsonRaw && json.Valid(v):
			if bytes.ContainsAny(v, "\r\n") {
				var c bytes.Buffer
				_ = json.Compact(&c, v) // valid, so it cannot fail
				buf = append(buf, c.Bytes()...)
			} else {
				buf = append(buf, v...)
			}
		default:
			buf = appendJSONString(buf, v)
		}
	}
	buf = append(buf, '}', '\n')
	t.buf = buf
	t.w.Write(buf)
	return t.werr()
}

func (t *jsonTable) Close() error { return t.finish() }

// isJSONNumber reports whether v follows JSON's number grammar (so NaN,
// Infinity and anything unexpected become strings).
func isJSONNumber(v []byte) bool {
	i := 0
	if i < len(v) && v[i] == '-' {
		i++
	}
	switch {
	case i < len(v) && v[i] == '0':
		i++
	case i < len(v) && v[i] >= '1' && v[i] <= '9':
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(v) && v[i] == '.' {
		i++
		j := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		j := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(v)
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes
// U+FFFD, and U+2028/U+2029 are escaped so the line is valid JavaScript.
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&15])
			i += n
			start = i
			continue
		}
		i += n
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
