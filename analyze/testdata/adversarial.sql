-- Writes hidden where a quick look sees a read.

-- want: destructive no-where
WITH d AS (DELETE FROM orders RETURNING *) SELECT count(*) FROM d;
-- want: destructive
WITH u AS (UPDATE orders SET total = 0 WHERE id = 1 RETURNING id) SELECT * FROM u;
-- want: write
WITH i AS (INSERT INTO audit (msg) VALUES ('x') RETURNING id) SELECT id FROM i;
-- want: destructive no-where
WITH a AS (WITH b AS (DELETE FROM orders RETURNING id) SELECT * FROM b) SELECT * FROM a;
-- want: destructive no-where
SELECT * FROM (WITH d AS (DELETE FROM orders RETURNING id) SELECT id FROM d) s;
-- want: destructive
SELECT * FROM (SELECT setval('orders_id_seq', 1)) s;
-- want: write
SELECT (SELECT nextval('orders_id_seq'));
-- want: destructive
SELECT 1 WHERE EXISTS (SELECT pg_terminate_backend(pid) FROM pg_stat_activity);
-- want: destructive
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'app' AND pid <> pg_backend_pid();
-- want: destructive
SELECT pg_catalog.setval('public.orders_id_seq', 42, true);
-- want: destructive
SELECT CASE WHEN random() > 2 THEN setval('s', 1) END;
-- want: destructive
SELECT * FROM generate_series(1, 3) g LEFT JOIN LATERAL (SELECT lo_unlink(g)) x ON true;
-- want: destructive
VALUES (setval('s', 1));
-- want: destructive
SELECT array_agg(x ORDER BY setval('s', x)) FROM t;
-- want: write opaque
SELECT count(*) FROM orders WHERE app.audit_read(id);
-- want: write opaque
SELECT * FROM my_srf();
-- want: write opaque
INSERT INTO orders (id) VALUES (app.next_id());
-- want: write
SELECT * INTO TEMP orders_copy FROM orders;
-- want: write
SELECT * INTO UNLOGGED orders_copy FROM orders WHERE false;
-- want: write
CREATE TABLE copy AS SELECT * FROM orders WITH NO DATA;
-- want: write opaque
CREATE MATERIALIZED VIEW mv AS SELECT app.expensive(id) FROM orders;
-- want: write
CREATE MATERIALIZED VIEW mv AS SELECT app.expensive(id) FROM orders WITH NO DATA;
-- want: destructive no-where
EXPLAIN ANALYZE WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d;
-- want: destructive
EXPLAIN (ANALYZE, FORMAT JSON) SELECT setval('s', 1);
-- want: read
EXPLAIN SELECT setval('s', 1);
-- want: read
EXPLAIN (ANALYZE off, COSTS on) UPDATE orders SET x = 1;
-- want: destructive no-where
COPY (DELETE FROM orders RETURNING *) TO STDOUT;
-- want: write
COPY (INSERT INTO audit (msg) VALUES ('x') RETURNING id) TO STDOUT;
-- want: write
DECLARE c CURSOR WITH HOLD FOR SELECT nextval('s');
-- want: destructive
DECLARE c CURSOR FOR SELECT setval('s', 1);
-- want: read
PREPARE up(int) AS UPDATE orders SET x = 1 WHERE id = $1;
-- want: destructive
EXECUTE up(1);
-- want: read
PREPARE sel AS SELECT 1;
-- want: read
EXECUTE sel;
-- want: read
DEALLOCATE up;
-- want: destructive opaque
EXECUTE up(2);
-- want: read
DEALLOCATE ALL;
-- want: destructive opaque
EXECUTE sel;
-- want: destructive
CREATE RULE r AS ON INSERT TO orders DO ALSO DELETE FROM audit WHERE id = NEW.id;
-- want: write
CREATE RULE r AS ON INSERT TO orders DO INSTEAD INSERT INTO orders_new VALUES (NEW.*);
-- want: write
CREATE RULE r AS ON INSERT TO orders DO INSTEAD NOTHING;
-- want: destructive
CREATE OR REPLACE RULE r AS ON UPDATE TO orders DO INSTEAD NOTHING;
-- want: write opaque
CREATE TABLE t (id int DEFAULT app.make_id(), CHECK (app.valid(id)));
-- want: write
CREATE TABLE t (id bigint DEFAULT nextval('s'));
-- want: write blocks-writes opaque
CREATE INDEX t_f_idx ON t (app.normalize(name));
-- want: write blocks-writes
CREATE INDEX t_lower_idx ON t (lower(email)) WHERE deleted_at IS NULL;
-- want: write
CREATE FUNCTION purge() RETURNS void LANGUAGE sql AS 'DELETE FROM orders';
-- want: write
CREATE FUNCTION purge2() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM orders; END;
-- want: write
CREATE VIEW v AS SELECT setval('s', 1);
-- want: destructive no-where
DO $$ BEGIN UPDATE orders SET total = 0; END $$;
-- want: destructive
DO $$ BEGIN IF (SELECT count(*) FROM orders) > 0 THEN PERFORM setval('s', 1); END IF; END $$;
-- want: write
DO $$ DECLARE n bigint := nextval('s'); BEGIN RAISE NOTICE '%', n; END $$;
-- want: destructive opaque
DO $$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP EXECUTE 'DROP TABLE ' || quote_ident(r.tablename); END LOOP; END $$;
-- want: destructive opaque
DO $$ BEGIN EXECUTE format('GRANT SELECT ON %I TO x', 'orders'); END $$;
-- want: destructive opaque
DO $$ DECLARE r record; BEGIN FOR r IN EXECUTE 'SELECT 1' LOOP END LOOP; END $$;
-- want: destructive opaque
DO $$ BEGIN CALL app.cleanup(); END $$;
-- want: read
DO $$ BEGIN RAISE NOTICE 'hello'; END $$;
-- want: read
DO $$ DECLARE x int; BEGIN x := (SELECT max(id) FROM orders); ASSERT x > 0; END $$;
-- want: write
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN CREATE TYPE mood AS ENUM ('happy', 'sad'); END IF; END $$;
-- want: destructive
DO $$ BEGIN ALTER TABLE orders RENAME COLUMN a TO b; EXCEPTION WHEN undefined_column THEN NULL; END $$;
-- want: destructive opaque
DO LANGUAGE plperl $$ system('rm -rf /') $$;
-- want: read
DO 'BEGIN NULL; END';
-- want: destructive unparsed
DO $$ BEGIN THIS IS NOT PLPGSQL; END $$;
-- want: destructive
SELECT query_to_xml('DELETE FROM orders WHERE id = 1 RETURNING id', true, false, '');
-- want: read
SELECT query_to_xml('SELECT * FROM orders', true, false, '');
-- want: destructive opaque
SELECT query_to_xml(q, true, false, '') FROM queries;
-- want: read
SELECT * FROM dblink('dbname=other', 'SELECT 1') AS t(a int);
-- want: destructive no-where
SELECT * FROM dblink('dbname=other', 'DELETE FROM t RETURNING 1') AS t(a int);
-- want: write
SELECT set_config('session_replication_role', 'replica', false);
-- want: read changes-role
SELECT set_config('role', 'admin', false);
-- want: write opaque
SELECT set_config(name, 'x', false) FROM settings;
-- want: destructive
INSERT INTO orders SELECT * FROM staging ON CONFLICT (id) DO UPDATE SET total = excluded.total;
-- want: destructive
MERGE INTO orders o USING staging s ON o.id = s.id WHEN MATCHED AND s.deleted THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id);
-- want: write
MERGE INTO orders o USING staging s ON o.id = s.id WHEN MATCHED THEN DO NOTHING WHEN NOT MATCHED THEN INSERT VALUES (s.id);
-- want: destructive
DELETE FROM orders WHERE CURRENT OF c;
-- want: destructive
UPDATE orders SET x = 1 WHERE CURRENT OF c;
-- want: destructive no-where
DELETE FROM orders USING customers;
-- want: destructive no-where
UPDATE orders o SET total = c.total FROM corrections c;
-- want: destructive
UPDATE orders o SET total = c.total FROM corrections c WHERE c.id = o.id;
-- want: destructive no-where
DELETE FROM ONLY orders;
-- want: destructive blocks-reads blocks-writes
TRUNCATE ONLY orders RESTART IDENTITY;
-- want: destructive blocks-reads blocks-writes cascade
TRUNCATE TABLE a, b, c CASCADE;
-- want: destructive
delete from "Orders" where "Id" = 1;
-- want: destructive no-where
/* comment */ DELETE /* inline */ FROM orders -- trailing
;
-- want: destructive no-where
SELECT 1; DELETE FROM orders;

-- Tautologies.
-- want: destructive tautology
DELETE FROM orders WHERE 1 <> 2;
-- want: destructive tautology
DELETE FROM orders WHERE 2 > 1;
-- want: destructive tautology
DELETE FROM orders WHERE 'x' = 'x' AND 1 = 1;
-- want: destructive tautology
DELETE FROM orders WHERE id = 3 OR 1 = 1;
-- want: destructive tautology
DELETE FROM orders WHERE (id = 3) OR ((('a' = 'a')));
-- want: destructive tautology
DELETE FROM orders WHERE NOT (1 = 2);
-- want: destructive tautology
DELETE FROM orders WHERE NOT NOT true;
-- want: destructive tautology
DELETE FROM orders WHERE 1 = 1.0;
-- want: destructive tautology
DELETE FROM orders WHERE '1' = 1;
-- want: destructive tautology
DELETE FROM orders WHERE 't'::boolean;
-- want: destructive tautology
DELETE FROM orders WHERE true IS TRUE;
-- want: destructive tautology
DELETE FROM orders WHERE 1 IS NOT NULL;
-- want: destructive tautology
DELETE FROM orders WHERE NULL IS NULL;
-- want: destructive tautology
DELETE FROM orders WHERE 1 IN (1, 2, 3);
-- want: destructive tautology
DELETE FROM orders WHERE 5 BETWEEN 1 AND 10;
-- want: destructive tautology
DELETE FROM orders WHERE o.id = o.id;
-- want: destructive tautology
UPDATE orders SET x = 1 WHERE id >= id;
-- want: destructive tautology
DELETE FROM orders WHERE EXISTS (SELECT 1);
-- want: destructive tautology
DELETE FROM orders WHERE id IS NOT DISTINCT FROM id;
-- want: destructive tautology
DELETE FROM orders WHERE -1 < 0;
-- want: destructive tautology
DELETE FROM orders WHERE 'abc' LIKE '%';
-- want: destructive
DELETE FROM orders WHERE 1 = 2;
-- want: destructive
DELETE FROM orders WHERE id = 1 AND 1 = 1;
-- want: destructive
DELETE FROM orders WHERE id = other_id;
-- want: destructive
DELETE FROM orders WHERE NULL;
-- want: destructive
DELETE FROM orders WHERE id IS NOT NULL;
-- want: destructive
DELETE FROM orders WHERE 'a' < 'b';
-- want: destructive
DELETE FROM orders WHERE id IN (SELECT id FROM orders);
-- want: destructive
DELETE FROM orders WHERE 1e999999999 = 1e999999999;

-- Contrib extensions ship with PostgreSQL: their functions are built-ins.
-- want: read
SELECT uuid_generate_v4(), crypt('pw', gen_salt('bf')), similarity('a', 'b'), digest('x', 'sha256');
-- want: read
SELECT public.uuid_generate_v4();
-- want: read
SELECT * FROM crosstab('SELECT a, b, c FROM t ORDER BY 1, 2') AS ct(a text, b int, c int);
-- want: destructive no-where
SELECT * FROM crosstab('SELECT a, b, c FROM t', 'WITH d AS (DELETE FROM t RETURNING 1) SELECT 1') AS ct(a text, b int);
-- want: destructive opaque
SELECT * FROM crosstab(some_sql) AS ct(a text, b int);
-- want: read
SELECT ts_rewrite('a & b'::tsquery, 'SELECT t, s FROM aliases');
-- want: destructive
SELECT heap_force_kill('t'::regclass, ARRAY['(0, 1)']::tid[]);
-- want: destructive
SELECT pg_truncate_visibility_map('t');
-- want: write
SELECT pg_prewarm('orders');
-- want: read
SELECT * FROM dblink('SELECT 1', false) AS t(a int);
-- want: destructive opaque
SELECT dblink_open('conn', 'cur', q) FROM queries;

-- More tautologies.
-- want: destructive tautology
DELETE FROM orders WHERE note IS NULL OR note IS NOT NULL;
-- want: destructive tautology
UPDATE orders SET x = 1 WHERE id IN (id);
-- want: destructive tautology
DELETE FROM orders WHERE 'yes';
-- want: destructive tautology
DELETE FROM orders WHERE true = true;
-- want: destructive tautology
DELETE FROM orders WHERE 1::boolean;
-- want: destructive
DELETE FROM orders WHERE note IS NULL OR other IS NOT NULL;
-- want: destructive
DELETE FROM orders WHERE id NOT IN (id);
