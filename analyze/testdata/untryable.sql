-- Contract rev 3, "not safe to try in a dry run": effects a rollback does
-- not undo carry the flag untryable.

-- want: destructive untryable
SELECT pg_terminate_backend(4242);
-- want: write untryable
SELECT pg_cancel_backend(4242);
-- want: write untryable
SELECT pg_advisory_lock(1);
-- want: write untryable
SELECT pg_advisory_lock_shared(1, 2);
-- want: write untryable
SELECT pg_try_advisory_lock(1);
-- want: write untryable
SELECT pg_try_advisory_lock_shared(1);
-- want: write untryable
SELECT pg_advisory_unlock_all();
-- want: write
SELECT pg_advisory_xact_lock(1);
-- want: write
SELECT pg_try_advisory_xact_lock(1);
-- want: write
SELECT pg_notify('ch', 'hello');
-- want: write
SELECT nextval('orders_id_seq');
-- want: destructive
SELECT setval('orders_id_seq', 10);
-- want: read untryable
SELECT * FROM dblink('dbname=other', 'SELECT 1') AS t(a int);
-- want: write untryable
SELECT dblink_connect('c', 'dbname=other');
-- want: read untryable
SELECT * FROM dblink_fetch('c', 'cur', 10) AS t(a int);
-- want: destructive untryable
SELECT pg_file_write('/tmp/x', 'data', false);
-- want: read untryable
SELECT * FROM pg_logdir_ls();
-- want: destructive untryable
SELECT lo_export(16400, '/tmp/lo');
-- want: destructive untryable
SELECT lo_import('/etc/hosts');
-- want: destructive
SELECT lo_unlink(16400);
-- want: destructive untryable
COPY orders TO '/tmp/o.csv';
-- want: destructive untryable
COPY orders FROM '/tmp/o.csv';
-- want: destructive opaque untryable
COPY orders TO PROGRAM 'cat > /dev/null';
-- want: read
COPY orders TO STDOUT;
-- want: write
COPY orders FROM STDIN;
-- want: write untryable
SELECT pg_reload_conf();
-- want: write untryable
SELECT pg_rotate_logfile();
-- want: write untryable
SELECT pg_switch_wal();
-- want: write untryable
SELECT pg_create_restore_point('x');
-- want: destructive untryable
SELECT pg_promote();
-- want: write untryable
SELECT pg_create_logical_replication_slot('s', 'pgoutput');
-- want: write untryable
SELECT pg_create_physical_replication_slot('s');
-- want: destructive untryable
SELECT pg_drop_replication_slot('s');
-- want: write untryable
SELECT pg_replication_origin_create('o');
-- want: destructive untryable
SELECT pg_replication_origin_advance('o', '0/0');
-- want: write opaque untryable
SELECT app.unknown_function(1);
-- want: destructive opaque untryable
CALL app.proc();
-- want: destructive opaque untryable
DO $$ BEGIN EXECUTE 'SELECT 1'; END $$;
-- want: read
DO $$ BEGIN PERFORM 1; END $$;
-- want: destructive opaque untryable
EXECUTE not_seen_here;
-- want: write untryable
SELECT 1 FROM orders WHERE pg_try_advisory_lock(id);
