-- The analyzer contract, line by line.

-- read
-- want: read
SELECT * FROM orders WHERE id = 1;
-- want: read
TABLE orders;
-- want: read
VALUES (1, 2), (3, 4);
-- want: read
SHOW search_path;
-- want: read locks-rows
SELECT * FROM orders WHERE id = 1 FOR UPDATE;
-- want: read locks-rows
SELECT * FROM orders FOR SHARE SKIP LOCKED;
-- want: read
EXPLAIN SELECT * FROM orders;
-- want: read
EXPLAIN DELETE FROM orders;
-- want: read
EXPLAIN (COSTS OFF) UPDATE orders SET x = 1;
-- want: read
EXPLAIN ANALYZE SELECT * FROM orders;
-- want: destructive no-where
EXPLAIN ANALYZE DELETE FROM orders;
-- want: destructive no-where
EXPLAIN (ANALYZE, BUFFERS) DELETE FROM orders;
-- want: read
EXPLAIN (ANALYZE false) DELETE FROM orders;
-- want: read
COPY orders TO STDOUT;
-- want: read
COPY (SELECT * FROM orders) TO STDOUT WITH CSV HEADER;
-- want: read
BEGIN;
-- want: read
START TRANSACTION ISOLATION LEVEL SERIALIZABLE;
-- want: read
COMMIT;
-- want: read
ROLLBACK;
-- want: read
SAVEPOINT s1;
-- want: read
RELEASE SAVEPOINT s1;
-- want: read
ROLLBACK TO SAVEPOINT s1;
-- want: read
SET statement_timeout = '5s';
-- want: read
SET LOCAL lock_timeout = '1s';
-- want: read
RESET statement_timeout;
-- want: read
SELECT set_config('search_path', 'public', false);
-- want: read changes-role
SET ROLE admin;
-- want: read changes-role
SET SESSION AUTHORIZATION admin;
-- want: write
SET session_replication_role = replica;
-- want: write
SELECT set_config('session_replication_role', 'replica', true);
-- want: read
DISCARD ALL;
-- want: read
LISTEN jobs;
-- want: read
UNLISTEN *;
-- want: read
DECLARE c CURSOR FOR SELECT * FROM orders;
-- want: read
FETCH 10 FROM c;
-- want: read
MOVE NEXT IN c;
-- want: read
CLOSE c;
-- want: read
PREPARE q(int) AS SELECT * FROM orders WHERE id = $1;
-- want: read
PREPARE d(int) AS DELETE FROM orders WHERE id = $1;
-- want: read
DEALLOCATE q;
-- want: read
SELECT now(), lower('A'), count(*), jsonb_build_object('a', 1) FROM orders;

-- write
-- want: write
INSERT INTO orders (id) VALUES (1);
-- want: write
INSERT INTO orders (id) VALUES (1) ON CONFLICT DO NOTHING;
-- want: write
COPY orders FROM STDIN;
-- want: write
SELECT * INTO orders_copy FROM orders;
-- want: write
CREATE TABLE orders_copy AS SELECT * FROM orders;
-- want: write
CREATE TABLE t (id bigint PRIMARY KEY);
-- want: write
CREATE VIEW v AS SELECT 1;
-- want: write
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
-- want: write
COMMENT ON TABLE orders IS 'orders';
-- want: write
SECURITY LABEL FOR selinux ON TABLE orders IS 'system_u:object_r:sepgsql_table_t:s0';
-- want: write
GRANT SELECT ON orders TO reporting;
-- want: write
ANALYZE orders;
-- want: write
VACUUM orders;
-- want: write
VACUUM (VERBOSE, ANALYZE) orders;
-- want: write blocks-reads blocks-writes
REFRESH MATERIALIZED VIEW mv;
-- want: write
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
-- want: write
NOTIFY jobs, 'hello';
-- want: write
LOAD 'auto_explain';
-- want: write
CHECKPOINT;
-- want: write blocks-reads blocks-writes
ALTER TABLE orders ADD COLUMN note text;
-- want: write blocks-reads blocks-writes
ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;
-- want: write
ALTER TABLE orders VALIDATE CONSTRAINT positive;
-- want: write blocks-reads blocks-writes
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
-- want: write blocks-reads blocks-writes
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';
-- want: write blocks-writes
ALTER TABLE orders ENABLE TRIGGER audit;
-- want: write blocks-writes
ALTER TABLE orders DISABLE TRIGGER ALL;
-- want: write
ALTER TABLE measurements ATTACH PARTITION m2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
-- want: write blocks-reads blocks-writes
ALTER TABLE orders OWNER TO app;
-- want: write
ALTER FUNCTION f() OWNER TO app;
-- want: write
ALTER SEQUENCE orders_id_seq INCREMENT BY 10;
-- want: write blocks-writes
CREATE INDEX orders_created_idx ON orders (created_at);
-- want: write
CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);
-- want: write blocks-reads blocks-writes rewrites-table
VACUUM FULL orders;
-- want: write blocks-reads blocks-writes rewrites-table
CLUSTER orders USING orders_pkey;
-- want: write blocks-reads blocks-writes
REINDEX TABLE orders;
-- want: write
REINDEX TABLE CONCURRENTLY orders;
-- want: write blocks-reads blocks-writes
LOCK TABLE orders;
-- want: write blocks-reads blocks-writes
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
-- want: write blocks-writes
LOCK TABLE orders IN SHARE MODE;
-- want: write blocks-writes
LOCK TABLE orders IN EXCLUSIVE MODE;
-- want: write
LOCK TABLE orders IN ROW EXCLUSIVE MODE;
-- want: write
SELECT nextval('orders_id_seq');
-- want: write untryable
SELECT pg_advisory_lock(42);
-- want: write
SELECT pg_advisory_xact_lock(42);
-- want: write
SELECT pg_notify('jobs', 'x');
-- want: write untryable
SELECT pg_cancel_backend(1234);
-- want: write untryable
SELECT pg_reload_conf();
-- want: write untryable
SELECT pg_switch_wal();
-- want: write untryable
SELECT pg_create_restore_point('before');
-- want: write opaque untryable
SELECT my_function(1);
-- want: write opaque untryable
SELECT * FROM orders WHERE app.is_visible(id);
-- want: read
DO $$ BEGIN PERFORM 1; END $$;
-- want: read
DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM orders; RAISE NOTICE '%', n; END $$;
-- want: write
DO $$ BEGIN INSERT INTO orders (id) VALUES (1); END $$;

-- destructive
-- want: destructive
UPDATE orders SET total = 0 WHERE id = 1;
-- want: destructive no-where
UPDATE orders SET total = 0;
-- want: destructive
DELETE FROM orders WHERE id = 1;
-- want: destructive no-where
DELETE FROM orders;
-- want: destructive
MERGE INTO orders o USING incoming i ON o.id = i.id WHEN MATCHED THEN UPDATE SET total = i.total;
-- want: destructive
MERGE INTO orders o USING incoming i ON o.id = i.id WHEN MATCHED THEN DELETE;
-- want: write
MERGE INTO orders o USING incoming i ON o.id = i.id WHEN NOT MATCHED THEN INSERT (id) VALUES (i.id);
-- want: destructive
INSERT INTO orders (id, total) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total;
-- want: destructive blocks-reads blocks-writes
TRUNCATE orders;
-- want: destructive blocks-reads blocks-writes cascade
TRUNCATE orders CASCADE;
-- want: destructive
DROP TABLE orders;
-- want: destructive cascade
DROP TABLE orders CASCADE;
-- want: destructive
DROP SCHEMA app;
-- want: destructive
DROP DATABASE app;
-- want: destructive blocks-reads blocks-writes
DROP INDEX orders_created_idx;
-- want: destructive
DROP INDEX CONCURRENTLY orders_created_idx;
-- want: destructive
DROP VIEW v;
-- want: destructive
DROP FUNCTION f();
-- want: destructive
DROP ROLE reporting;
-- want: destructive
DROP EXTENSION pgcrypto;
-- want: destructive
DROP OWNED BY app;
-- want: destructive
REASSIGN OWNED BY app TO postgres;
-- want: destructive blocks-reads blocks-writes
ALTER TABLE orders DROP COLUMN note;
-- want: destructive blocks-reads blocks-writes
ALTER TABLE orders DROP CONSTRAINT positive;
-- want: destructive blocks-reads blocks-writes rewrites-table
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
-- want: destructive blocks-reads blocks-writes
ALTER TABLE orders ALTER COLUMN note DROP DEFAULT;
-- want: destructive blocks-reads blocks-writes
ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;
-- want: destructive blocks-reads blocks-writes
ALTER TABLE measurements DETACH PARTITION m2024;
-- want: destructive
ALTER TABLE orders RENAME TO orders_old;
-- want: destructive
ALTER TABLE orders RENAME COLUMN note TO notes;
-- want: destructive
ALTER TABLE orders RENAME CONSTRAINT positive TO total_positive;
-- want: destructive
ALTER INDEX orders_created_idx RENAME TO orders_created_at_idx;
-- want: destructive
ALTER TABLE orders SET SCHEMA archive;
-- want: destructive
CREATE OR REPLACE VIEW v AS SELECT 2;
-- want: destructive
CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';
-- want: destructive
ALTER SEQUENCE orders_id_seq RESTART WITH 1;
-- want: destructive
SELECT setval('orders_id_seq', 1);
-- want: destructive
REVOKE SELECT ON orders FROM reporting;
-- want: destructive
ALTER ROLE app WITH PASSWORD 'secret';
-- want: destructive
ALTER USER app VALID UNTIL 'infinity';
-- want: destructive
ALTER DATABASE app SET work_mem = '64MB';
-- want: destructive
ALTER SYSTEM SET max_connections = 200;
-- want: write
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reporting;
-- want: destructive
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM reporting;
-- want: destructive untryable
SELECT pg_terminate_backend(1234);
-- want: destructive
SELECT lo_unlink(16400);
-- want: destructive untryable
SELECT pg_drop_replication_slot('slot');
-- want: destructive untryable
SELECT pg_replication_origin_drop('origin');
-- want: destructive untryable
SELECT dblink_exec('dbname=other', 'DELETE FROM t');
-- want: destructive untryable
SELECT pg_promote();
-- want: destructive untryable
SELECT pg_file_unlink('/tmp/x');
-- want: destructive untryable
COPY orders FROM '/tmp/orders.csv';
-- want: destructive untryable
COPY orders TO '/tmp/orders.csv';
-- want: destructive opaque untryable
COPY orders TO PROGRAM 'gzip > /tmp/o.gz';
-- want: destructive opaque untryable
COPY orders FROM PROGRAM 'curl http://x';
-- want: destructive unparsed
DELETE FROM WHERE;
-- want: destructive no-where
PREPARE del AS DELETE FROM orders;
EXECUTE del;
-- want: destructive opaque untryable
EXECUTE never_prepared;
-- want: destructive opaque untryable
CALL refresh_everything();
-- want: destructive opaque untryable
DO $$ BEGIN EXECUTE 'DROP TABLE ' || 'orders'; END $$;
-- want: destructive opaque untryable
DO LANGUAGE plpython3u $$ import os $$;
-- want: destructive
DO $$ BEGIN DELETE FROM orders WHERE id = 1; END $$;

-- flags
-- want: destructive tautology
DELETE FROM orders WHERE 1 = 1;
-- want: destructive tautology
DELETE FROM orders WHERE true;
-- want: destructive tautology
UPDATE orders SET x = 1 WHERE 'a' = 'a';
-- want: destructive tautology
DELETE FROM orders WHERE id = id;
-- want: destructive tautology
DELETE FROM orders WHERE id = 5 OR true;
-- want: destructive tautology
DELETE FROM orders WHERE NOT false;
-- want: destructive tautology
DELETE FROM orders WHERE ((1 = 1));
-- want: destructive
DELETE FROM orders WHERE id = 5 AND true;

-- psql variables are substituted by psql before the statement is sent.
-- want: destructive no-where
DELETE FROM :tbl;
-- want: destructive
UPDATE orders SET note = :'note' WHERE id = :id;
-- want: read
SELECT '::' || x::text FROM t WHERE a = :"col";
