package analyze

import (
	"fmt"
	"strings"
	"testing"
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
