// Package render prints query results, server errors and notices byte for
// byte the way psql 15 does (aligned, wrapped, unaligned, CSV, expanded,
// tuples-only; ERROR/LINE/caret/DETAIL/HINT/CONTEXT), plus one format of our
// own, JSON lines. Connections, statement execution, pagers and the choice
// of options from flags or \pset do not belong here: callers hand over
// column descriptions, text-format values and an io.Writer.
//
// Aligned, wrapped and expanded output need every row before the first line
// can be written (column widths), as in psql; rows are kept in a compact
// arena (length-prefixed bytes in large chunks, no allocation per value) and
// widths are measured as rows arrive. Unaligned, CSV and JSON stream each
// row through a buffered writer, so their memory does not grow with the
// number of rows.
//
// Values are cleaned as psql cleans them before printing: a value is cut at
// its first NUL byte and byte sequences psql 15 does not accept as UTF-8 are
// dropped (psql's mbvalidate); control characters are shown as \xNN or
// \uXXXX, tabs expanded to 8 columns and carriage returns as \r in aligned
// output. Display widths come from a table generated from psql 15 itself
// (Unicode 14: wide CJK and emoji count 2, combining marks 0; go-runewidth
// differs on some ranges, so it is not used).
//
// Options.Footers are the footers psql's describing commands add
// (printTableAddFooter: "Indexes:", "View definition:", ...): they replace
// the default "(N rows)" footer, \pset footer does not hide them,
// tuples-only does, and CSV never prints them, as in psql.
//
// JSON (ours): one object per row and line, keys the column names in
// order, duplicate names kept as duplicate keys; int2/4/8, float4/8,
// numeric and oid as JSON numbers when they are finite numbers (NaN and
// Infinity as strings), bool as true/false, json/jsonb embedded (compacted
// when the text has line breaks), NULL as null, everything else as strings.
// Title, footer, tuples-only and expanded do not apply to it.
//
// The golden tests run the real psql 15 on the same queries and options and
// require identical bytes: they are this package's specification.
//
// It is pure formatting: it must not import the engine, the connection or
// the shell.
package render
