package shell

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/safesql/safesql/repl/engine"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/safesql/safesql/analyze"
	"github.com/safesql/safesql/repl/meta"
	"github.com/safesql/safesql/repl/render"
)

// crosstabMaxColumns is psql's CROSSTABVIEW_MAX_COLUMNS: the horizontal
// header may not have more distinct values than a table has columns.
const crosstabMaxColumns = 1600

// ctResult is one result of the query that \crosstabview sends, read in
// full: psql pivots only the last one and prints the others as usual.
type ctResult struct {
	cols []render.Column // nil for a command without rows
	rows [][][]byte
	tag  pgconn.CommandTag
}

// crosstabView runs the query buffer (or the previous query when it is
// empty) and shows its last result pivoted: the values of column colV down
// the side, those of colH across the top, colD's in the cells.
func (s *Session) crosstabView(ctx context.Context, e *meta.Env) metaResult {
	args := e.Args
	e.Extras() // before the query runs, as psql
	sql := *e.Buf
	*e.Buf = ""
	if strings.TrimSpace(sql) == "" {
		sql = s.lastQuery // as \g: the previous query again
	}
	// With nothing to send psql sends the empty query all the same: the
	// result variables say it succeeded.
	s.lastQuery = sql
	if s.Guarded() && strings.TrimSpace(sql) != "" {
		if v := s.Classify(ctx, sql); v.Class != analyze.Read {
			return s.metaErr(fmt.Sprintf(`\crosstabview runs reads only under %s's rules: this query is %s (%s); run it with \g`, s.Policy().Tier, v.Class, engine.FirstReason(v)))
		}
	}
	if s.CopyToClient(sql) {
		// Its data goes out as a query's would: there is nothing to pivot.
		return metaResult{err: s.Exec(ctx, sql, nil)}
	}
	if echo, _ := s.Vars.Get("ECHO"); strings.EqualFold(echo, "queries") {
		fmt.Fprintln(s.out, strings.TrimRight(sql, "\n"))
	}
	if s.timing {
		defer s.printTiming(time.Now())
	}
	prev, last, err := s.crosstabQuery(ctx, sql)
	if err != nil {
		s.setResultVars(err)
		return metaResult{err: s.report(sql, err)}
	}
	// The result variables tell of the last result shown: the one pivoted,
	// or when it cannot be, the one before it, if any.
	done := func(r *ctResult) {
		if r != nil {
			s.lastTag = r.tag
			s.setResultVars(nil)
		}
	}
	switch {
	case last == nil:
		done(prev)
	case last.cols == nil:
		done(last)
		if last.tag.String() != "" && !s.quiet() {
			fmt.Fprintln(s.out, last.tag.String())
		}
	default:
		if msg := s.printCrosstab(args, last); msg != "" {
			done(prev)
			return s.metaErr(`\crosstabview: ` + msg)
		}
		done(last)
	}
	return metaResult{}
}

// crosstabQuery sends sql and prints each of its results but the last, as
// a query does. It returns the last, unprinted, and the one before it. A
// result followed by an error is printed too: the error is the last result.
func (s *Session) crosstabQuery(ctx context.Context, sql string) (prev, last *ctResult, err error) {
	s.lastTag = pgconn.CommandTag{}
	mrr := s.Conn().Exec(ctx, sql)
	var first error
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		r := &ctResult{}
		if fields := rr.FieldDescriptions(); fields != nil {
			r.cols = resultColumns(fields)
			if r.cols == nil {
				r.cols = []render.Column{} // a result with no columns, not a command
			}
		}
		for rr.NextRow() {
			r.rows = append(r.rows, copyRow(rr.Values()))
		}
		tag, rerr := rr.Close()
		if last != nil {
			if perr := s.printPlain(last); perr != nil && first == nil {
				first = perr
			}
			prev, last = last, nil
		}
		if rerr != nil {
			if first == nil {
				first = rerr
			}
			continue
		}
		r.tag = tag
		last = r
	}
	if cerr := mrr.Close(); cerr != nil && first == nil {
		first = cerr
	}
	if first != nil {
		if last != nil {
			_ = s.printPlain(last)
		}
		return nil, nil, first
	}
	return prev, last, nil
}

// printPlain prints a result the way a query's is printed.
func (s *Session) printPlain(r *ctResult) error {
	if r.cols == nil {
		if r.tag.String() != "" && !s.quiet() {
			fmt.Fprintln(s.out, r.tag.String())
		}
		return nil
	}
	return s.printRows(s.Print, r.cols, r.rows)
}

// printRows prints cols and rows with opts, through the pager as a
// query's result goes.
func (s *Session) printRows(opts render.Options, cols []render.Column, rows [][][]byte) error {
	if opts.TermWidth == 0 { // \pset columns wins over the terminal's width
		opts.TermWidth = s.termWidth()
	}
	out, paged := s.pager(opts.Pager)
	t := render.NewTable(out, opts, cols)
	var first error
	for _, row := range rows {
		if err := t.Row(row); err != nil {
			first = fmt.Errorf("write result: %w", err)
			break
		}
	}
	if err := t.Close(); err != nil && first == nil {
		first = fmt.Errorf("write result: %w", err)
	}
	if err := paged(); err != nil && first == nil {
		first = fmt.Errorf("write result: %w", err)
	}
	return first
}

// ctValue is a header value: a value of colV or colH, or NULL.
type ctValue struct {
	null bool
	text string
}

// less orders header values as psql does to find them: by their bytes,
// NULL after everything else.
func (a ctValue) less(b ctValue) bool {
	if a.null || b.null {
		return !a.null && b.null
	}
	return a.text < b.text
}

func valueOf(v []byte) ctValue {
	if v == nil {
		return ctValue{null: true}
	}
	return ctValue{text: string(v)}
}

// ctHeader is one distinct value of a header column, in the order of its
// first appearance, with the sort column's value on that row for colH.
type ctHeader struct {
	value ctValue
	sort  []byte
}

// printCrosstab pivots r as the arguments say and prints it. It returns
// psql's error message (without its "\crosstabview: ") when it cannot.
func (s *Session) printCrosstab(args []string, r *ctResult) string {
	n := len(r.cols)
	if n < 3 {
		return "query must return at least three columns"
	}
	arg := func(i int) (string, bool) {
		if i < len(args) {
			return args[i], true
		}
		return "", false
	}
	colV, colH := 0, 1
	var msg string
	if a, ok := arg(0); ok {
		if colV, msg = columnIndex(a, r.cols); msg != "" {
			return msg
		}
	}
	if a, ok := arg(1); ok {
		if colH, msg = columnIndex(a, r.cols); msg != "" {
			return msg
		}
	}
	if colV == colH {
		return "vertical and horizontal headers must be different columns"
	}
	colD := -1
	if a, ok := arg(2); ok {
		if colD, msg = columnIndex(a, r.cols); msg != "" {
			return msg
		}
	} else {
		if n != 3 {
			return "data column must be specified when query returns more than three columns"
		}
		colD = 3 - colV - colH // the one left of 0, 1 and 2
	}
	colS := -1
	if a, ok := arg(3); ok {
		if colS, msg = columnIndex(a, r.cols); msg != "" {
			return msg
		}
	}

	// The distinct values of both headers, in order of appearance.
	var across, down []ctHeader
	acrossAt, downAt := map[ctValue]int{}, map[ctValue]int{}
	for _, row := range r.rows {
		h := valueOf(row[colH])
		if _, ok := acrossAt[h]; !ok {
			acrossAt[h] = len(across)
			var sortValue []byte
			if colS >= 0 {
				sortValue = row[colS]
			}
			across = append(across, ctHeader{value: h, sort: sortValue})
		}
		if len(across) > crosstabMaxColumns {
			return fmt.Sprintf("maximum number of columns (%d) exceeded", crosstabMaxColumns)
		}
		v := valueOf(row[colV])
		if _, ok := downAt[v]; !ok {
			downAt[v] = len(down)
			down = append(down, ctHeader{value: v})
		}
	}
	// position[i] is where across[i] is printed.
	position := make([]int, len(across))
	for i := range position {
		position[i] = i
	}
	if colS >= 0 {
		position = rankColumns(across)
	}

	null := []byte(s.Print.Null)
	shown := func(v ctValue) []byte {
		if v.null {
			return null
		}
		return []byte(v.text)
	}
	named := func(v ctValue) string {
		switch {
		case !v.null:
			return v.text
		case s.Print.Null != "":
			return s.Print.Null
		}
		return "(null)"
	}
	cols := make([]render.Column, len(across)+1)
	cols[0] = render.Column{Name: r.cols[colV].Name, TypeOID: r.cols[colV].TypeOID}
	for i, h := range across {
		cols[1+position[i]] = render.Column{Name: string(shown(h.value)), TypeOID: r.cols[colD].TypeOID}
	}
	empty := []byte{}
	cells := make([][][]byte, len(down))
	filled := make([][]bool, len(down))
	for i, v := range down {
		cells[i] = make([][]byte, len(across)+1)
		for j := range cells[i] {
			cells[i][j] = empty
		}
		cells[i][0] = shown(v.value)
		filled[i] = make([]bool, len(across)+1)
	}
	for _, row := range r.rows {
		v, h := valueOf(row[colV]), valueOf(row[colH])
		i, j := downAt[v], 1+position[acrossAt[h]]
		if filled[i][j] {
			return fmt.Sprintf(`query result contains multiple data values for row "%s", column "%s"`, named(v), named(h))
		}
		filled[i][j] = true
		if d := row[colD]; d != nil {
			cells[i][j] = d
		} else {
			cells[i][j] = null
		}
	}
	opts := s.Print
	// psql builds the table itself: no thousands separators.
	opts.NumericLocale = false
	if err := s.printRows(opts, cols, cells); err != nil {
		s.errorf("%v", err)
	}
	return ""
}

// ranked is a horizontal header value's rank, and its index.
type ranked struct {
	rank  int32
	index int
}

// rankColumns orders the horizontal header by the sort column's values,
// read as integers (anything else counts as 0), values that tie in the
// order of the header values themselves, NULL last. It returns each
// value's position.
func rankColumns(across []ctHeader) []int {
	byValue := make([]int, len(across))
	for i := range byValue {
		byValue[i] = i
	}
	sort.SliceStable(byValue, func(a, b int) bool { return across[byValue[a]].value.less(across[byValue[b]].value) })
	list := make([]ranked, len(across))
	for k, i := range byValue {
		list[k] = ranked{rank: rankOf(across[i].sort), index: i}
	}
	// psql sorts with PostgreSQL's quicksort, comparing the difference of
	// two ranks in 32 bits: which of the values that tie comes first is
	// that sort's doing.
	quickSort(list, func(a, b ranked) int {
		switch d := a.rank - b.rank; {
		case d < 0:
			return -1
		case d > 0:
			return 1
		}
		return 0
	})
	position := make([]int, len(across))
	for k, e := range list {
		position[e.index] = k
	}
	return position
}

// quickSort sorts x the way PostgreSQL's qsort does: Bentley and
// McIlroy's quicksort ("Engineering a Sort Function", 1993) with an
// insertion sort for fewer than 7 elements, a check for an already sorted
// input, the median of three (of nine from 41 elements on) as the pivot,
// and elements equal to the pivot gathered at both ends then moved to the
// middle. It is not stable: to reproduce psql's order of ties, it must be
// this sort.
func quickSort(x []ranked, cmp func(a, b ranked) int) {
	med3 := func(i, j, k int) int {
		if cmp(x[i], x[j]) < 0 {
			if cmp(x[j], x[k]) < 0 {
				return j
			}
			if cmp(x[i], x[k]) < 0 {
				return k
			}
			return i
		}
		if cmp(x[j], x[k]) > 0 {
			return j
		}
		if cmp(x[i], x[k]) < 0 {
			return i
		}
		return k
	}
	swapRun := func(i, j, n int) {
		for k := 0; k < n; k++ {
			x[i+k], x[j+k] = x[j+k], x[i+k]
		}
	}
	for {
		n := len(x)
		if n < 7 {
			for i := 1; i < n; i++ {
				for j := i; j > 0 && cmp(x[j-1], x[j]) > 0; j-- {
					x[j-1], x[j] = x[j], x[j-1]
				}
			}
			return
		}
		sorted := true
		for i := 1; i < n && sorted; i++ {
			sorted = cmp(x[i-1], x[i]) <= 0
		}
		if sorted {
			return
		}
		m := n / 2
		if n > 7 {
			lo, hi := 0, n-1
			if n > 40 {
				d := n / 8
				lo = med3(lo, lo+d, lo+2*d)
				m = med3(m-d, m, m+d)
				hi = med3(hi-2*d, hi-d, hi)
			}
			m = med3(lo, m, hi)
		}
		x[0], x[m] = x[m], x[0]
		// x[1:a] and x[d+1:] equal the pivot x[0], x[a:b] are less,
		// x[c+1:d+1] greater.
		a, b, c, d := 1, 1, n-1, n-1
		for {
			for b <= c {
				r := cmp(x[b], x[0])
				if r > 0 {
					break
				}
				if r == 0 {
					x[a], x[b] = x[b], x[a]
					a++
				}
				b++
			}
			for b <= c {
				r := cmp(x[c], x[0])
				if r < 0 {
					break
				}
				if r == 0 {
					x[c], x[d] = x[d], x[c]
					d--
				}
				c--
			}
			if b > c {
				break
			}
			x[b], x[c] = x[c], x[b]
			b++
			c--
		}
		k := min(a, b-a)
		swapRun(0, b-k, k)
		k = min(d-c, n-d-1)
		swapRun(b, n-k, k)
		less, greater := b-a, d-c
		if less <= greater {
			if less > 1 {
				quickSort(x[:less], cmp)
			}
			if greater <= 1 {
				return
			}
			x = x[n-greater:]
		} else {
			if greater > 1 {
				quickSort(x[n-greater:], cmp)
			}
			if less <= 1 {
				return
			}
			x = x[:less]
		}
	}
}

// rankOf is a sort column's value as a rank: an integer (an optional minus
// sign and digits only), else 0. As C's atoi, a value too large saturates
// at 64 bits and keeps the low 32.
func rankOf(v []byte) int32 {
	if v == nil {
		return 0
	}
	digits := v
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0
		}
	}
	return atoi32(string(v))
}

// atoi32 is C's atoi on a 64-bit system for an optional minus sign and
// digits: the value saturates at the limits of 64 bits, then is cut to 32.
func atoi32(s string) int32 {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	const limit = uint64(1) << 63 // |min int64|
	var u uint64
	over := false
	for i := 0; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if u > (limit-d)/10 {
			over = true
			break
		}
		u = u*10 + d
	}
	var v int64
	switch {
	case neg && (over || u >= limit):
		v = -1 << 63
	case neg:
		v = -int64(u)
	case over || u >= limit:
		v = 1<<63 - 1
	default:
		v = int64(u)
	}
	return int32(v)
}

// columnIndex finds a column given to \crosstabview: a number from 1 (all
// digits), or a name, double quotes keeping its case. It returns the
// column's index, or psql's message.
func columnIndex(arg string, cols []render.Column) (int, string) {
	if arg != "" && strings.Trim(arg, "0123456789") == "" {
		idx := atoi32(arg) - 1
		if idx < 0 || int(idx) >= len(cols) {
			return -1, fmt.Sprintf("column number %d is out of range 1..%d", idx+1, len(cols))
		}
		return int(idx), ""
	}
	name := identifier(arg)
	found := -1
	for i, c := range cols {
		if c.Name == name {
			if found >= 0 {
				return -1, fmt.Sprintf(`ambiguous column name: "%s"`, name)
			}
			found = i
		}
	}
	if found < 0 {
		return -1, fmt.Sprintf(`column name not found: "%s"`, name)
	}
	return found, ""
}

// identifier reads a column name as SQL does: letters outside double
// quotes lowered, the quotes removed ("" inside them is one).
func identifier(arg string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		switch {
		case c == '"' && quoted && i+1 < len(arg) && arg[i+1] == '"':
			b.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
