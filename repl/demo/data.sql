-- Sample rows for schema.sql, generated rather than shipped. h(n) below is
-- hashint4(n) shifted to be non-negative: a deterministic stand-in for
-- random(), so every sandbox holds the same rows.
-- Counts (demo_test.go relies on them): 20,000 customers, 1,000 products,
-- 100,000 orders, 250,000 order lines (1 to 4 per order), no audit rows.

INSERT INTO customers (id, email, full_name, country, is_active, created_at)
SELECT i,
       lower(f) || '.' || lower(l) || i || '@example.com',
       f || ' ' || l,
       (ARRAY['US','US','US','GB','DE','FR','NL','SE','ES','IT','CA','AU','JP','BR','IN','PL'])[1 + h % 16],
       h % 20 <> 0,
       date_trunc('day', now()) - interval '3 years' + i * interval '1 hour'
FROM generate_series(1, 20000) AS i,
     LATERAL (SELECT hashint4(i)::bigint + 2147483648 AS h) AS r,
     LATERAL (SELECT (ARRAY['Ada','Alan','Grace','Linus','Barbara','Ken','Dennis','Margaret','Edsger','Donald',
                            'Frances','John','Radia','Guido','Anita','Bjarne','Sophie','Tim','Hedy','Niklaus'])[1 + h % 20] AS f,
                     (ARRAY['Lovelace','Turing','Hopper','Torvalds','Liskov','Thompson','Ritchie','Hamilton','Dijkstra','Knuth',
                            'Allen','Backus','Perlman','van Rossum','Borg','Stroustrup','Wilson','Berners-Lee','Lamarr','Wirth',
                            'Stonebraker','Codd','Gray','Chamberlin','Ellison'])[1 + (h / 20) % 25] AS l) AS n;

INSERT INTO products (id, sku, name, category, price, stock, created_at)
SELECT i,
       'SKU-' || lpad(i::text, 6, '0'),
       (ARRAY['Classic','Compact','Deluxe','Eco','Heavy-duty','Mini','Pro','Smart','Travel','Vintage'])[1 + h % 10]
           || ' ' || (ARRAY['kettle','lamp','backpack','keyboard','mug','notebook','headphones','chair','umbrella','toaster',
                            'blender','jacket','watch','speaker','bottle'])[1 + (h / 10) % 15]
           || ' ' || i,
       (ARRAY['kitchen','home','outdoor','electronics','office','fashion'])[1 + (h / 150) % 6],
       round((2 + (h % 49800) / 100.0)::numeric, 2),
       (h / 7) % 500,
       date_trunc('day', now()) - interval '4 years' + i * interval '1 day'
FROM generate_series(1, 1000) AS i,
     LATERAL (SELECT hashint4(-i)::bigint + 2147483648 AS h) AS r;

-- Orders: the last ones are still open, older ones delivered, a few
-- cancelled or refunded; one every ten minutes up to today.
INSERT INTO orders (id, customer_id, status, placed_at, shipped_at, shipping_country, note)
SELECT i,
       1 + h % 20000,
       s.status,
       p.placed_at,
       CASE WHEN s.status IN ('shipped', 'delivered', 'refunded') THEN p.placed_at + (6 + h % 90) * interval '1 hour' END,
       (ARRAY['US','US','US','GB','DE','FR','NL','SE','ES','IT','CA','AU','JP','BR','IN','PL'])[1 + (h / 7) % 16],
       CASE WHEN h % 23 = 0 THEN 'leave at the door' WHEN h % 29 = 0 THEN 'gift wrap, please' END
FROM generate_series(1, 100000) AS i,
     LATERAL (SELECT hashint4(i + 1000000)::bigint + 2147483648 AS h) AS r,
     LATERAL (SELECT date_trunc('day', now()) - (100000 - i) * interval '10 minutes' AS placed_at) AS p,
     LATERAL (SELECT (CASE WHEN i > 99800 THEN 'pending'
                           WHEN i > 99000 THEN 'paid'
                           WHEN i > 97000 THEN 'shipped'
                           WHEN h % 40 = 0 THEN 'cancelled'
                           WHEN h % 97 = 0 THEN 'refunded'
                           ELSE 'delivered' END)::order_status AS status) AS s;

INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
SELECT o.id, l.line_no, pr.id, 1 + (l.h / 1000) % 3, pr.price
FROM orders AS o,
     LATERAL generate_series(1, 1 + (o.id % 4)::int) AS n(line_no),
     LATERAL (SELECT n.line_no, hashint4((o.id * 4 + n.line_no)::int)::bigint + 2147483648 AS h) AS l
JOIN products AS pr ON pr.id = 1 + l.h % 1000;

-- Explicit ids were inserted: move the identity sequences past them.
SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT max(id) FROM customers));
SELECT setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products));
SELECT setval(pg_get_serial_sequence('orders', 'id'), (SELECT max(id) FROM orders));
