package split

import (
	"fmt"
	"strings"
	"testing"
)

const benchDelete = "DELETE FROM orders WHERE id = 42;\n"

const benchSelect = `-- revenue by region and month
SELECT r.name AS region,
       date_trunc('month', o.created_at) AS month,
       count(*) AS orders,
       sum(o.total) FILTER (WHERE o.status = 'paid') AS revenue,
       avg(o.total) AS avg_order,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY o.total) AS median
FROM orders o
JOIN customers c ON c.id = o.customer_id
JOIN regions r ON r.id = c.region_id
LEFT JOIN (
    SELECT order_id, sum(amount) AS refunded
    FROM refunds
    WHERE created_at >= now() - interval '1 year'
    GROUP BY order_id
) rf ON rf.order_id = o.id
WHERE o.created_at >= date_trunc('year', now())
  AND o.status IN ('paid', 'shipped', 'refunded')
  AND c.email NOT LIKE '%@example.com'
  /* exclude internal test accounts; see ticket 123 */
  AND NOT EXISTS (SELECT 1 FROM test_accounts t WHERE t.customer_id = c.id)
GROUP BY r.name, date_trunc('month', o.created_at)
HAVING count(*) > 10
ORDER BY region, month;
`

// mixedFile is a pg_dump-like script of n statements.
func mixedFile(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		switch i % 10 {
		case 0:
			fmt.Fprintf(&b, "CREATE TABLE public.t%d (\n    id integer NOT NULL,\n    name text DEFAULT 'x;y'::text\n);\n\n", i)
		case 1:
			fmt.Fprintf(&b, "CREATE FUNCTION public.f%d() RETURNS trigger\n    LANGUAGE plpgsql\n    AS $$\nBEGIN\n  NEW.updated := now(); -- stamp\n  RETURN NEW;\nEND;\n$$;\n\n", i)
		case 2:
			fmt.Fprintf(&b, "COMMENT ON TABLE public.t%d IS 'it''s a table';\n", i)
		case 3:
			fmt.Fprintf(&b, "\\connect - postgres\n")
		case 4:
			fmt.Fprintf(&b, "SELECT pg_catalog.setval('public.s%d', 1, false);\n", i)
		case 5:
			fmt.Fprintf(&b, "ALTER TABLE ONLY public.t%d\n    ADD CONSTRAINT t%d_pkey PRIMARY KEY (id);\n", i, i)
		case 6:
			fmt.Fprintf(&b, "/* comment */ INSERT INTO public.t%d VALUES (1, E'a\\\\b'), (2, \"q\");\n", i)
		case 7:
			fmt.Fprintf(&b, "COPY public.t%d (id, name) FROM stdin;\n1\tone\n2\ttwo\n\\.\n\n", i)
		default:
			fmt.Fprintf(&b, "UPDATE public.t%d SET name = 'z' WHERE id = %d;\n", i, i)
		}
	}
	return b.String()
}

func BenchmarkSplit(b *testing.B) {
	for _, bc := range []struct {
		name  string
		in    string
		stmts int
	}{
		{"delete", benchDelete, 1},
		{"select30lines", benchSelect, 1},
		{"mixed20000", mixedFile(20000), 20000},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Split(bc.in)
			}
			b.ReportMetric(float64(bc.stmts)*float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
		})
	}
}

func BenchmarkScanner(b *testing.B) {
	in := mixedFile(20000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sc := NewScanner(strings.NewReader(in))
		for sc.Scan() {
		}
	}
	b.ReportMetric(20000*float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}

// BenchmarkSplitShortStatements: many short statements in one input, the
// throughput the REPL and `safesql check` see.
func BenchmarkSplitShortStatements(b *testing.B) {
	in := strings.Repeat(benchDelete, 10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Split(in)
	}
	b.ReportMetric(10000*float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}

func TestMixedFile(t *testing.T) {
	in := mixedFile(200)
	items := Split(in)
	checkInvariants(t, in, items)
	stmts, metas, copies := 0, 0, 0
	for _, it := range items {
		switch {
		case it.Kind == Meta:
			metas++
		case it.SQL != "":
			stmts++
			if it.CopyData != nil {
				copies++
				if *it.CopyData != "1\tone\n2\ttwo\n" {
					t.Fatalf("copy data %q", *it.CopyData)
				}
			}
		}
	}
	if stmts != 180 || metas != 20 || copies != 20 {
		t.Fatalf("stmts %d metas %d copies %d", stmts, metas, copies)
	}
}
