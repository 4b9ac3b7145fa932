-- pg_dump (plain format) output, statement by statement.

-- want: read
SET statement_timeout = 0;
-- want: read
SET lock_timeout = 0;
-- want: read
SET idle_in_transaction_session_timeout = 0;
-- want: read
SET client_encoding = 'UTF8';
-- want: read
SET standard_conforming_strings = on;
-- want: read
SELECT pg_catalog.set_config('search_path', '', false);
-- want: read
SET check_function_bodies = false;
-- want: read
SET xmloption = content;
-- want: read
SET client_min_messages = warning;
-- want: read
SET row_security = off;
-- want: write
CREATE SCHEMA app;
-- want: write
ALTER SCHEMA app OWNER TO app;
-- want: write
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
-- want: write
COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';
-- want: write
CREATE TYPE public.mood AS ENUM (
    'happy',
    'sad'
);
-- want: write
ALTER TYPE public.mood OWNER TO app;
-- want: write
CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
-- want: read
SET default_tablespace = '';
-- want: read
SET default_table_access_method = heap;
-- want: write
CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint,
    total numeric(12,2) DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);
-- want: write blocks-reads blocks-writes
ALTER TABLE public.orders OWNER TO app;
-- want: write
CREATE SEQUENCE public.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
-- want: write blocks-reads blocks-writes
ALTER TABLE public.orders_id_seq OWNER TO app;
-- want: write
ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;
-- want: write blocks-reads blocks-writes
ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);
-- want: write
COPY public.orders (id, customer_id, total, created_at) FROM stdin;
-- want: destructive
SELECT pg_catalog.setval('public.orders_id_seq', 1042, true);
-- want: write blocks-reads blocks-writes
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
-- want: write blocks-writes
CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);
-- want: write blocks-writes
CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();
-- want: write blocks-writes
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;
-- want: destructive
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
-- want: write
GRANT ALL ON SCHEMA public TO PUBLIC;
-- want: write
GRANT SELECT ON TABLE public.orders TO reporting;
-- want: write
ALTER DEFAULT PRIVILEGES FOR ROLE app IN SCHEMA public GRANT SELECT ON TABLES  TO reporting;
-- want: write
CREATE VIEW public.big_orders AS
 SELECT orders.id,
    orders.total
   FROM public.orders
  WHERE (orders.total > (1000)::numeric);
-- want: write
CREATE MATERIALIZED VIEW public.order_totals AS
 SELECT customer_id, sum(total) AS total FROM public.orders GROUP BY customer_id
  WITH NO DATA;
-- want: write blocks-reads blocks-writes
REFRESH MATERIALIZED VIEW public.order_totals;
-- want: write
CREATE PUBLICATION orders_pub FOR TABLE ONLY public.orders WITH (publish = 'insert, update, delete');
-- want: write
CREATE POLICY own_rows ON public.orders USING ((customer_id = (current_setting('app.customer'::text))::bigint));
-- want: destructive blocks-reads blocks-writes
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
-- want: write
SELECT pg_catalog.lo_create('16400');
-- want: write
SELECT pg_catalog.lo_open('16400', 131072);
-- want: destructive
SELECT pg_catalog.lowrite(0, '\x68656c6c6f');
-- want: read
SELECT pg_catalog.lo_close(0);
-- want: write
CREATE DATABASE app WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C';
-- want: destructive
ALTER DATABASE app OWNER TO app;
-- want: destructive
ALTER DATABASE app SET search_path TO 'app', 'public';
-- want: destructive
DROP DATABASE IF EXISTS app;
-- want: destructive blocks-reads blocks-writes
ALTER TABLE IF EXISTS ONLY public.orders DROP CONSTRAINT IF EXISTS orders_customer_id_fkey;
-- want: destructive blocks-reads blocks-writes
DROP INDEX IF EXISTS public.orders_customer_id_idx;
-- want: destructive
DROP SEQUENCE IF EXISTS public.orders_id_seq;
-- want: destructive
DROP FUNCTION IF EXISTS public.touch();
-- want: destructive
DROP EXTENSION IF EXISTS pg_trgm;
-- want: destructive
DROP SCHEMA IF EXISTS app;
-- want: destructive
SELECT pg_catalog.binary_upgrade_set_next_pg_type_oid('16385'::pg_catalog.oid);
-- pg_dumpall
-- want: write
CREATE ROLE app;
-- want: destructive
ALTER ROLE app WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:x';
-- want: write
GRANT reporting TO app GRANTED BY postgres;

-- Administrative statements a DBA runs.
-- want: read
SELECT pid, state, query FROM pg_stat_activity WHERE state <> 'idle';
-- want: read
SELECT pg_size_pretty(pg_total_relation_size('orders'));
-- want: read
SELECT * FROM pg_locks l JOIN pg_class c ON c.oid = l.relation;
-- want: destructive untryable
SELECT pg_stat_reset();
-- want: destructive untryable
SELECT pg_stat_statements_reset();
-- want: write untryable
SELECT pg_create_logical_replication_slot('s', 'pgoutput');
-- want: destructive untryable
SELECT pg_replication_slot_advance('s', '0/16B3748');
-- want: read
SELECT pg_sleep(1), random(), clock_timestamp(), txid_current(), gen_random_uuid();
-- want: read
SELECT * FROM pg_ls_waldir();
-- want: destructive
SELECT pg_read_file('/etc/passwd');
-- want: write
SELECT brin_summarize_new_values('orders_brin');
-- want: destructive opaque untryable
ROLLBACK PREPARED 'tx1';
-- want: destructive opaque untryable
COMMIT PREPARED 'tx1';
-- want: read
PREPARE TRANSACTION 'tx1';
-- want: destructive
ALTER SYSTEM RESET ALL;
