-- The catalogue the golden tests describe: every footer section psql prints.
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE mood IS 'how one feels';
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TABLE customers (
    id serial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name varchar(100) COLLATE "C" DEFAULT 'anon',
    feeling mood,
    attrs hstore,
    created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE customers IS 'people who buy';
COMMENT ON COLUMN customers.email IS 'where to write';
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    parent_id bigint REFERENCES orders(id),
    qty posint NOT NULL,
    price numeric(10,2) CHECK (price >= 0),
    total numeric GENERATED ALWAYS AS (qty * price) STORED,
    note text,
    CONSTRAINT qty_small CHECK (qty < 1000)
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX orders_note_lower ON orders (lower(note)) WHERE note IS NOT NULL;
CREATE INDEX orders_note_hash ON orders USING hash (note);
ALTER TABLE orders ALTER COLUMN note SET STATISTICS 500;
ALTER TABLE orders ALTER COLUMN note SET STORAGE EXTERNAL;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER orders_off AFTER DELETE ON orders FOR EACH STATEMENT EXECUTE FUNCTION touch();
ALTER TABLE orders DISABLE TRIGGER orders_off;
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
COMMENT ON FUNCTION add(integer, integer) IS 'adds';
CREATE PROCEDURE noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE SEQUENCE invoice_seq START 100 INCREMENT 5 OWNED BY orders.id;
CREATE SEQUENCE free_seq CYCLE;
CREATE TABLE measurements (
    id int NOT NULL,
    logdate date NOT NULL,
    reading real
) PARTITION BY RANGE (logdate);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (id);
CREATE TABLE measurements_2026_a PARTITION OF measurements_2026 FOR VALUES IN (1, 2);
CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;
CREATE INDEX measurements_logdate_idx ON measurements (logdate);
CREATE TABLE base_item (id int PRIMARY KEY, label text);
CREATE TABLE special_item (extra int) INHERITS (base_item);
CREATE TABLE shop.products (sku text PRIMARY KEY, price numeric NOT NULL, customer int REFERENCES public.customers(id));
CREATE TABLE shop."Mixed Case" ("Col" int);
CREATE VIEW big_orders AS SELECT id, qty FROM orders WHERE qty > 10;
COMMENT ON VIEW big_orders IS 'large ones';
CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE INDEX order_totals_idx ON order_totals (customer_id);
CREATE UNLOGGED TABLE scratch (k text, v text) WITH (fillfactor = 70);
ALTER TABLE scratch REPLICA IDENTITY FULL;
DO $$BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN
        CREATE ROLE reader NOLOGIN;
        COMMENT ON ROLE reader IS 'reads';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'writer') THEN
        CREATE ROLE writer LOGIN CONNECTION LIMIT 3 VALID UNTIL '2030-01-01 00:00:00+00';
    END IF;
END$$;
GRANT reader TO writer;
GRANT SELECT ON orders TO reader;
GRANT SELECT (email), UPDATE (name) ON customers TO writer;
GRANT USAGE ON SCHEMA shop TO reader;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO reader;
CREATE POLICY own_orders ON orders FOR SELECT TO reader USING (customer_id > 0);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
-- More footer sections.
CREATE TABLE bookings (
    id int PRIMARY KEY,
    room int,
    during tsrange,
    code text,
    CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&),
    CONSTRAINT code_uniq UNIQUE (code) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX bookings_room_incl ON bookings (room) INCLUDE (code) NULLS NOT DISTINCT;
CLUSTER bookings USING bookings_pkey;
CREATE UNIQUE INDEX bookings_room_not_null ON bookings (room);
ALTER TABLE bookings ALTER COLUMN room SET NOT NULL;
ALTER TABLE bookings REPLICA IDENTITY USING INDEX bookings_room_not_null;
CREATE STATISTICS bookings_stats (ndistinct, dependencies) ON room, code FROM bookings;
CREATE STATISTICS bookings_all ON room, code FROM bookings;
ALTER STATISTICS bookings_all SET STATISTICS 50;
CREATE RULE bookings_log AS ON UPDATE TO bookings DO ALSO NOTIFY bookings;
CREATE RULE bookings_quiet AS ON DELETE TO bookings DO INSTEAD NOTHING;
ALTER TABLE bookings DISABLE RULE bookings_quiet;
CREATE TRIGGER bookings_always AFTER INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE bookings ENABLE ALWAYS TRIGGER bookings_always;
CREATE TRIGGER bookings_replica AFTER UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE bookings ENABLE REPLICA TRIGGER bookings_replica;
ALTER TABLE bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookings FORCE ROW LEVEL SECURITY;
CREATE POLICY strict_rooms ON bookings AS RESTRICTIVE FOR UPDATE USING (room > 0) WITH CHECK (room < 100);
CREATE POLICY all_rooms ON bookings USING (true);
CREATE PUBLICATION bookings_pub FOR TABLE bookings (id, room) WHERE (room > 1);
CREATE PUBLICATION shop_pub FOR TABLES IN SCHEMA shop;
CREATE TABLE rls_empty (a int);
ALTER TABLE rls_empty ENABLE ROW LEVEL SECURITY;
CREATE TABLE rls_off (a int);
CREATE POLICY p ON rls_off USING (a > 0);
CREATE VIEW rule_view AS SELECT 1 AS one;
CREATE RULE rule_view_ins AS ON INSERT TO rule_view DO INSTEAD NOTHING;
CREATE TRIGGER rule_view_trg INSTEAD OF UPDATE ON rule_view FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TYPE pair AS (a int, b text);
COMMENT ON COLUMN pair.a IS 'first';
CREATE FOREIGN DATA WRAPPER dummy_fdw;
CREATE SERVER dummy_srv FOREIGN DATA WRAPPER dummy_fdw;
CREATE FOREIGN TABLE remote_things (id int OPTIONS (column_name 'ID'), v text NOT NULL DEFAULT 'x') SERVER dummy_srv OPTIONS (schema_name 'far', table_name 'things');
CREATE TABLE events (id int, at date NOT NULL, customer int REFERENCES customers(id)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TRIGGER events_trg AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION touch();
CREATE INDEX events_at ON events (at);
CREATE TABLE empty_parts (a int) PARTITION BY LIST (a);
CREATE UNLOGGED SEQUENCE unlogged_seq;
CREATE TABLE typed_pairs OF pair;
CREATE TABLE second_parent (z int);
CREATE TABLE two_parents (w int) INHERITS (base_item, second_parent);
CREATE TABLE ident_by_default (id int GENERATED BY DEFAULT AS IDENTITY, txt text COMPRESSION pglz);
CREATE MATERIALIZED VIEW mv_opts WITH (fillfactor = 50) AS SELECT 1 AS x;
CREATE TABLE toasty (t text) WITH (toast.autovacuum_enabled = false, fillfactor = 80);
CREATE TABLE nocols ();
-- Objects for the other describing commands (\dD, \do, \dC, \dO, \dy ...).
CREATE DOMAIN shop.price AS numeric(10,2) DEFAULT 0 NOT NULL CHECK (VALUE >= 0) CHECK (VALUE < 1000000);
COMMENT ON DOMAIN shop.price IS 'money';
ALTER DOMAIN shop.price OWNER TO reader;
GRANT USAGE ON DOMAIN shop.price TO writer;
CREATE DOMAIN short_text AS varchar(20) COLLATE "C";
CREATE FUNCTION pair_eq(a pair, b pair) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT a.a = b.a';
CREATE OPERATOR === (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_eq, COMMUTATOR = ===);
COMMENT ON OPERATOR === (pair, pair) IS 'same first';
CREATE FUNCTION mood_neg(m mood) RETURNS mood LANGUAGE sql IMMUTABLE AS 'SELECT m';
CREATE OPERATOR shop.!! (RIGHTARG = mood, FUNCTION = mood_neg);
CREATE FUNCTION mood_text(m mood) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';
CREATE CAST (mood AS integer) WITH FUNCTION mood_text(mood) AS ASSIGNMENT;
COMMENT ON CAST (mood AS integer) IS 'mood as a number';
CREATE CAST (pair AS text) WITH INOUT;
CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER ddl_watch ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION on_ddl();
COMMENT ON EVENT TRIGGER ddl_watch IS 'watches ddl';
CREATE EVENT TRIGGER ddl_off ON sql_drop EXECUTE FUNCTION on_ddl();
ALTER EVENT TRIGGER ddl_off DISABLE;
CREATE COLLATION german (provider = libc, locale = 'C');
COMMENT ON COLLATION german IS 'not really german';
CREATE COLLATION shop.nd (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE INDEX events_customer ON events (customer);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (id);
COMMENT ON TABLE events IS 'things that happen';
CREATE CONVERSION my_conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
COMMENT ON CONVERSION my_conv IS 'latin';
CREATE TEXT SEARCH CONFIGURATION my_ts (COPY = pg_catalog.english);
COMMENT ON TEXT SEARCH CONFIGURATION my_ts IS 'my words';
CREATE TEXT SEARCH DICTIONARY my_dict (TEMPLATE = simple, STOPWORDS = english);
ALTER TEXT SEARCH CONFIGURATION my_ts ALTER MAPPING FOR word WITH my_dict, english_stem;
CREATE TEXT SEARCH TEMPLATE my_tmpl (LEXIZE = dsimple_lexize);
CREATE USER MAPPING FOR writer SERVER dummy_srv OPTIONS (user 'w');
CREATE USER MAPPING FOR PUBLIC SERVER dummy_srv;
COMMENT ON FOREIGN DATA WRAPPER dummy_fdw IS 'does nothing';
ALTER SERVER dummy_srv OPTIONS (host 'far.away');
ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT EXECUTE ON FUNCTIONS TO writer;
ALTER DEFAULT PRIVILEGES FOR ROLE writer REVOKE USAGE ON TYPES FROM PUBLIC;
CREATE STATISTICS shop_stats (mcv) ON sku, price FROM shop.products;
CREATE STATISTICS expr_stats ON (lower(note)) FROM orders;
SELECT lo_from_bytea(424242, 'hello');
COMMENT ON LARGE OBJECT 424242 IS 'a greeting';
SELECT lo_from_bytea(424243, 'bye');
CREATE AGGREGATE my_sum(integer) (SFUNC = int4pl, STYPE = integer);
COMMENT ON AGGREGATE my_sum(integer) IS 'sums';
COMMENT ON RULE bookings_log ON bookings IS 'logs updates';
COMMENT ON TRIGGER orders_touch ON orders IS 'touches';
COMMENT ON CONSTRAINT qty_small ON orders IS 'not too many';
COMMENT ON POLICY own_orders ON orders IS 'mine';
CREATE TRUSTED LANGUAGE my_lang HANDLER plpgsql_call_handler;
COMMENT ON LANGUAGE my_lang IS 'another plpgsql';
CREATE PUBLICATION all_pub FOR ALL TABLES WITH (publish = 'insert', publish_via_partition_root = true);
CREATE PUBLICATION mixed_pub FOR TABLE orders, shop.products, TABLES IN SCHEMA shop;
CREATE PUBLICATION empty_pub;
COMMENT ON PUBLICATION empty_pub IS 'nothing';
ALTER ROLE reader SET search_path = public, shop;
DO $$BEGIN
    EXECUTE format('ALTER ROLE writer IN DATABASE %I SET work_mem = %L', current_database(), '1MB');
    EXECUTE format('ALTER DATABASE %I SET random_page_cost = 2', current_database());
END$$;
