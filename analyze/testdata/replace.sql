-- Contract rev 3: CREATE OR REPLACE of anything is destructive.

-- want: destructive
CREATE OR REPLACE LANGUAGE plfoo HANDLER plfoo_handler;
-- want: destructive
CREATE OR REPLACE LANGUAGE plperl;
-- want: destructive
CREATE OR REPLACE TRUSTED LANGUAGE plperl;
-- want: destructive
/* a comment */ create or replace procedural language plperl;
-- want: write
CREATE EXTENSION IF NOT EXISTS plperl;
-- want: write
CREATE LANGUAGE plperl;
-- want: write
CREATE EXTENSION plperl;
-- want: destructive
CREATE OR REPLACE TRANSFORM FOR int LANGUAGE plpython3u (FROM SQL WITH FUNCTION f(internal), TO SQL WITH FUNCTION g(internal));
-- want: destructive
CREATE OR REPLACE AGGREGATE my_sum(int) (sfunc = int4pl, stype = int);
-- want: write
CREATE AGGREGATE my_sum(int) (sfunc = int4pl, stype = int);
-- want: destructive
CREATE OR REPLACE TRIGGER t AFTER INSERT ON x FOR EACH ROW EXECUTE FUNCTION f();
-- want: destructive
CREATE OR REPLACE RULE r AS ON INSERT TO x DO NOTHING;
-- want: destructive
CREATE OR REPLACE VIEW v AS SELECT 1;
-- want: destructive
CREATE OR REPLACE TEMP VIEW v AS SELECT 1;
-- want: destructive
CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';
-- want: destructive
CREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS 'select 1';
-- want: destructive blocks-reads blocks-writes
REFRESH MATERIALIZED VIEW mv WITH NO DATA;
-- want: write blocks-reads blocks-writes
REFRESH MATERIALIZED VIEW mv WITH DATA;
-- want: write
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
