package render

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

func inRanges(r rune, t []runeRange) bool {
	lo, hi := 0, len(t)-1
	if hi < 0 || r < t[0].lo || r > t[hi].hi {
		return false
	}
	for lo <= hi {
		mid := (lo + hi) / 2
		switch {
		case r > t[mid].hi:
			lo = mid + 1
		case r < t[mid].lo:
			hi = mid - 1
		default:
			return true
		}
	}
	return false
}

// ucsWidth is PostgreSQL's ucs_wcwidth: -1 for control characters (and
// anything that is not a code point), 0 for NUL and non-spacing marks, 2 for
// wide characters, 1 otherwise.
func ucsWidth(r rune) int {
	switch {
	case r == 0:
		return 0
	case r < 0x20 || (r >= 0x7f && r < 0xa0) || r > 0x10ffff || r < 0:
		return -1
	case inRanges(r, zeroWidth):
		return 0
	case inRanges(r, doubleWidth):
		return 2
	}
	return 1
}

// mbLen is pg_utf_mblen: the length of a character judged by its first byte
// only (invalid lead bytes count as one byte).
func mbLen(b byte) int {
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xe0 == 0xc0:
		return 2
	case b&0xf0 == 0xe0:
		return 3
	case b&0xf8 == 0xf0:
		return 4
	}
	return 1
}

// mbLenBounded is PQmblenBounded: mbLen, but never past the end of s.
func mbLenBounded(s []byte) int {
	n := mbLen(s[0])
	if n > len(s) {
		n = len(s)
	}
	return n
}

// decode is utf8_to_unicode: no validation beyond the lead byte; a
// truncated sequence decodes as an invalid code point.
func decode(s []byte) rune {
	c := s[0]
	switch {
	case c&0x80 == 0:
		return rune(c)
	case c&0xe0 == 0xc0 && len(s) >= 2:
		return rune(c&0x1f)<<6 | rune(s[1]&0x3f)
	case c&0xf0 == 0xe0 && len(s) >= 3:
		return rune(c&0x0f)<<12 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f)
	case c&0xf8 == 0xf0 && len(s) >= 4:
		return rune(c&0x07)<<18 | rune(s[1]&0x3f)<<12 | rune(s[2]&0x3f)<<6 | rune(s[3]&0x3f)
	}
	return -1
}

// dspLen is PQdsplen for UTF-8: the display width of the character s
// starts with.
func dspLen(s []byte) int {
	if c := s[0]; c < 0x80 {
		if c >= 0x20 && c < 0x7f {
			return 1
		}
		if c == 0 {
			return 0
		}
		return -1
	}
	return ucsWidth(decode(s))
}

// charCheck is psql's utf_charcheck: the length of the valid character s
// starts with, or -1. It keeps psql's exact (and slightly odd) rules, since
// whatever it rejects psql silently drops from the output.
func charCheck(s []byte) int {
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	c0, c1 := s[0], at(1)
	switch {
	case c0&0x80 == 0:
		return 1
	case c0&0xe0 == 0xc0:
		if c1&0xc0 == 0x80 && c0&0x1f > 0x01 {
			return 2
		}
		return -1
	case c0&0xf0 == 0xe0:
		c2 := at(2)
		if c1&0xc0 == 0x80 && (c0&0x0f != 0 || c1&0x20 == 0x20) && c2&0xc0 == 0x80 {
			z := int(c0 & 0x0f)
			yx := int(c1&0x3f)<<6 | int(c0&0x3f)
			lx := yx & 0x7f
			if (z == 0x0f && (yx&0xffe == 0xffe || (yx&0xf80 == 0xd80 && lx >= 0x30 && lx <= 0x4f))) ||
				(z == 0x0d && yx&0xb00 == 0x800) {
				return -1
			}
			return 3
		}
		return -1
	case c0&0xf8 == 0xf0:
		c2, c3 := at(2), at(3)
		u := int(c0&0x07)<<2 | int(c1&0x30)>>4
		if c1&0xc0 == 0x80 && u > 0 && u <= 0x10 && c2&0xc0 == 0x80 && c3&0xc0 == 0x80 {
			if c1&0x0f == 0x0f && c2&0x3f == 0x3f && c3&0x3e == 0x3e {
				return -1
			}
			return 4
		}
		return -1
	}
	return -1
}

// cutNUL cuts v at its first NUL byte: psql handles values as C strings.
func cutNUL(v []byte) []byte {
	for i, b := range v {
		if b == 0 {
			return v[:i]
		}
	}
	return v
}

// isPlainASCII reports whether every byte of v is printable ASCII, the
// common case in which width is length and nothing needs rewriting.
func isPlainASCII(v []byte) bool {
	for _, b := range v {
		if b < 0x20 || b >= 0x7f {
			return false
		}
	}
	return true
}

// isValid reports whether mbvalidate would leave v unchanged.
func isValid(v []byte) bool {
	for i := 0; i < len(v); {
		if v[i] < 0x80 {
			i++
			continue
		}
		n := charCheck(v[i:])
		if n < 0 {
			return false
		}
		i += n
	}
	return true
}

// appendValid appends v to dst without the bytes psql's mbvalidate drops.
func appendValid(dst, v []byte) []byte {
	for i := 0; i < len(v); {
		n := charCheck(v[i:])
		if n < 0 {
			i++
			continue
		}
		dst = append(dst, v[i:i+n]...)
		i += n
	}
	return dst
}

// clean returns v as psql would print it: cut at NUL and validated. scratch
// is used (and returned) only when v must be rewritten.
func clean(v, scratch []byte) (out, scratchOut []byte) {
	v = cutNUL(v)
	if isValid(v) {
		return v, scratch
	}
	scratch = appendValid(scratch[:0], v)
	return scratch, scratch
}

// wcsSize is pg_wcssize: the width of the widest line of s and its number
// of lines, as aligned output will show it.
func wcsSize(s []byte) (width, height int) {
	height = 1
	line := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			line++
			i++
			continue
		}
		n := mbLen(c)
		if len(s)-i < n {
			break
		}
		w := dspLen(s[i:])
		if n == 1 {
			switch {
			case c == '\n':
				if line > width {
					width = line
				}
				line = 0
				height++
			case c == '\r':
				line += 2
			case c == '\t':
				line += 8 - line%8
			case w < 0:
				line += 4
			default:
				line += w
			}
		} else if w < 0 {
			line += 6
		} else {
			line += w
		}
		i += n
	}
	if line > width {
		width = line
	}
	return width, height
}

// fline is one display line of a formatted value.
type fline struct {
	s     []byte
	width int
}

const hexDigits = "0123456789ABCDEF"

// wcsFormat is pg_wcsformat: s split into display lines, with tabs
// expanded, \r shown as "\r" and control characters as \xNN or \uXXXX. buf
// is scratch space reused between calls; lines are appended to lines[:0].
func wcsFormat(s []byte, buf []byte, lines []fline) ([]byte, []fline) {
	lines = lines[:0]
	if isPlainASCII(s) {
		return buf, append(lines, fline{s: s, width: len(s)})
	}
	buf = buf[:0]
	type span struct{ start, end, width int }
	var spans [8]span
	sp := spans[:0]
	start, line := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		n := mbLen(c)
		if len(s)-i < n {
			break
		}
		w := dspLen(s[i:])
		if n == 1 {
			switch {
			case c == '\n':
				sp = append(sp, span{start, len(buf), line})
				start, line = len(buf), 0
			case c == '\r':
				buf = append(buf, '\\', 'r')
				line += 2
			case c == '\t':
				for {
					buf = append(buf, ' ')
					line++
					if line%8 == 0 {
						break
					}
				}
			case w < 0:
				buf = append(buf, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
				line += 4
			default:
				buf = append(buf, c)
				line += w
			}
		} else if w < 0 {
			r := decode(s[i:])
			buf = append(buf, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
			line += 6
		} else {
			buf = append(buf, s[i:i+n]...)
			line += w
		}
		i += n
	}
	sp = append(sp, span{start, len(buf), line})
	for _, x := range sp {
		lines = append(lines, fline{s: buf[x.start:x.end:x.end], width: x.width})
	}
	return buf, lines
}

// strlenMaxWidth is strlen_max_width: how many bytes of s fit in target
// display columns (at least one character), and the columns they fill.
func strlenMaxWidth(s []byte, target int) (nbytes, width int) {
	i := 0
	for i < len(s) {
		w := dspLen(s[i:])
		if target < width+w && width != 0 {
			break
		}
		width += w
		i += mbLen(s[i])
		if i > len(s) {
			i = len(s)
		}
	}
	return i, width
}
