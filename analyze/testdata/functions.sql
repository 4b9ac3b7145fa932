-- Functions created earlier in the same input are known: a call has the
-- class of the body instead of being opaque.

-- want: write
CREATE FUNCTION purge_orders() RETURNS void LANGUAGE sql AS 'DELETE FROM orders';
-- want: destructive no-where
SELECT purge_orders();
-- want: write
CREATE FUNCTION app.total(id bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT sum(total) FROM orders WHERE customer_id = id $$;
-- want: read
SELECT app.total(1);
-- want: write opaque untryable
SELECT total(1);
-- want: write
CREATE FUNCTION archive(days int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE n int;
BEGIN
  INSERT INTO orders_archive SELECT * FROM orders WHERE created_at < now() - make_interval(days => days);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;
-- want: write
SELECT archive(30);
-- want: write
CREATE FUNCTION cleanup() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'TRUNCATE ' || 'orders';
END $$;
-- want: destructive opaque untryable
SELECT cleanup();
-- want: write
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
-- want: write
CREATE FUNCTION c_func() RETURNS int LANGUAGE c AS 'mylib', 'c_func';
-- want: write opaque untryable
SELECT c_func();
-- want: write
CREATE FUNCTION atomic_purge() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM orders WHERE id < 0; END;
-- want: destructive
SELECT atomic_purge();
-- want: destructive no-where
DO $$ BEGIN PERFORM purge_orders(); END $$;
-- want: write
CREATE FUNCTION uses_other() RETURNS void LANGUAGE sql AS 'SELECT purge_orders()';
-- want: destructive no-where
SELECT uses_other();
-- want: write
CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
-- want: destructive opaque untryable
CALL p();
