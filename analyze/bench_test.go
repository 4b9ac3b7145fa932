//go:build cgo

package analyze

import (
	"fmt"
	"strings"
	"testing"

	"github.com/safesql/safesql/analyze/split"
)

const benchDelete = `DELETE FROM orders WHERE id = 42`

const benchAnalytical = `WITH monthly AS (
    SELECT date_trunc('month', o.created_at) AS month,
           c.region,
           sum(o.total) AS revenue,
           count(DISTINCT o.customer_id) AS customers
    FROM orders o
    JOIN customers c ON c.id = o.customer_id
    WHERE o.created_at >= now() - interval '1 year'
      AND o.status IN ('paid', 'shipped')
    GROUP BY 1, 2
), ranked AS (
    SELECT month, region, revenue, customers,
           rank() OVER (PARTITION BY month ORDER BY revenue DESC) AS r,
           lag(revenue) OVER (PARTITION BY region ORDER BY month) AS prev
    FROM monthly
)
SELECT month,
       region,
       revenue,
       customers,
       round(100.0 * (revenue - prev) / nullif(prev, 0), 1) AS growth_pct,
       coalesce(to_char(month, 'YYYY-MM'), '') AS label
FROM ranked
WHERE r <= 5
  AND region NOT LIKE 'test%'
  AND EXISTS (SELECT 1 FROM regions g WHERE g.name = ranked.region AND g.active)
ORDER BY month DESC, revenue DESC
LIMIT 100`

// mixedStatements is a migration-and-maintenance mix.
var mixedStatements = []string{
	benchDelete,
	`SELECT id, name FROM customers WHERE email = 'a@example.com'`,
	`INSERT INTO events (kind, payload) VALUES ('login', '{"ip": "1.2.3.4"}')`,
	`UPDATE orders SET status = 'shipped', updated_at = now() WHERE id = 7`,
	`ALTER TABLE orders ADD COLUMN note text`,
	`CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)`,
	`BEGIN`,
	`COMMIT`,
	`SET statement_timeout = '5s'`,
	`SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = 'eu'`,
}

func mixedFile(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s;\n", mixedStatements[i%len(mixedStatements)])
	}
	return b.String()
}

func BenchmarkClassifyDelete(b *testing.B) {
	a := NewAnalyzer()
	for b.Loop() {
		a.Classify(benchDelete)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}

func BenchmarkClassifyAnalytical(b *testing.B) {
	a := NewAnalyzer()
	for b.Loop() {
		a.Classify(benchAnalytical)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}

// BenchmarkMixedFile splits and classifies a 20,000-statement file through
// one Analyzer, as safesql check does.
func BenchmarkMixedFile(b *testing.B) {
	const n = 20000
	file := mixedFile(n)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		a := NewAnalyzer()
		for _, it := range split.Split(file) {
			if it.Kind == split.Statement && it.SQL != "" {
				a.Classify(it.SQL)
			}
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "stmts/s")
}

func BenchmarkSplitMixedFile(b *testing.B) {
	file := mixedFile(20000)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		split.Split(file)
	}
}

// BenchmarkClassifyMixedFile classifies the 20,000 statements of the mixed
// file, already split.
func BenchmarkClassifyMixedFile(b *testing.B) {
	const n = 20000
	var stmts []string
	for _, it := range split.Split(mixedFile(n)) {
		if it.Kind == split.Statement && it.SQL != "" {
			stmts = append(stmts, it.SQL)
		}
	}
	for b.Loop() {
		a := NewAnalyzer()
		for _, s := range stmts {
			a.Classify(s)
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "stmts/s")
}

// BenchmarkClassifyLong classifies statements of growing size: WHERE
// clauses of n ANDs or ORs (the 600 KB WHERE is 100,000 ANDs), a
// DELETE of the same, and chains too deep for the parser, which are refused
// by the linear pre-check. Time and bytes per op must grow with n, not n².
func BenchmarkClassifyLong(b *testing.B) {
	shapes := []struct {
		name string
		gen  func(n int) string
	}{
		{"select-and", func(n int) string { return "SELECT * FROM t WHERE a = 1" + strings.Repeat(" AND a = 1", n-1) }},
		{"select-or", func(n int) string { return "SELECT * FROM t WHERE a = 1" + strings.Repeat(" OR a = 1", n-1) }},
		{"delete-and", func(n int) string { return "DELETE FROM t WHERE a = 1" + strings.Repeat(" AND a = 1", n-1) }},
		{"concat", func(n int) string { return "SELECT 'a'" + strings.Repeat(" || 'a'", n-1) }},
		{"plus", func(n int) string { return "SELECT 1" + strings.Repeat(" + 1", n-1) }},
	}
	for _, s := range shapes {
		for _, n := range []int{1000, 10000, 100000} {
			sql := s.gen(n)
			b.Run(fmt.Sprintf("%s/%d", s.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(sql)))
				b.ReportAllocs()
				for b.Loop() {
					Classify(sql)
				}
			})
		}
	}
}
