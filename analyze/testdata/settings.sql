-- Contract rev 3: turning read-only off is a write.

-- want: write
SET transaction_read_only = off;
-- want: write
SET transaction_read_only TO false;
-- want: write
SET LOCAL transaction_read_only = 0;
-- want: write
SET default_transaction_read_only = 'off';
-- want: write
SET SESSION default_transaction_read_only TO no;
-- want: write
SET default_transaction_read_only TO DEFAULT;
-- want: write
RESET transaction_read_only;
-- want: write
RESET default_transaction_read_only;
-- want: write
RESET ALL;
-- want: write
SET TRANSACTION READ WRITE;
-- want: write
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE;
-- want: write
SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;
-- want: write
BEGIN READ WRITE;
-- want: write
START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE;
-- want: write
SELECT set_config('transaction_read_only', 'off', false);
-- want: write
SELECT set_config('default_transaction_read_only', 'off', true);
-- want: write
SELECT set_config('default_transaction_read_only', current_setting('x'), false);
-- want: write
SET session_replication_role = replica;
-- want: write
SELECT set_config('session_replication_role', 'replica', false);
-- Keeping (or turning) read-only on is read.
-- want: read
SET transaction_read_only = on;
-- want: read
SET default_transaction_read_only TO true;
-- want: read
SET LOCAL transaction_read_only = 1;
-- want: read
SET TRANSACTION READ ONLY;
-- want: read
SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;
-- want: read
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
-- want: read
BEGIN READ ONLY;
-- want: read
BEGIN ISOLATION LEVEL SERIALIZABLE;
-- want: read
SELECT set_config('transaction_read_only', 'on', false);
-- want: read
RESET work_mem;
-- want: read
SET standard_conforming_strings = off;
-- want: read
SET backslash_quote = on;
-- want: read
SET escape_string_warning = off;
