package audit

import (
	"strings"
	"testing"
)

var redactTests = []struct {
	name string
	in   string
	want string
}{
	// Role passwords.
	{"create role password",
		"CREATE ROLE app LOGIN PASSWORD 'hunter2'",
		"CREATE ROLE app LOGIN PASSWORD '[redacted]'"},
	{"alter user encrypted password",
		"ALTER USER app WITH ENCRYPTED PASSWORD 'SCRAM-SHA-256$4096:abc'",
		"ALTER USER app WITH ENCRYPTED PASSWORD '[redacted]'"},
	{"lower case, no space before the literal",
		"alter role app password'hunter2';",
		"alter role app password'[redacted]';"},
	{"escape string with an escaped quote",
		`ALTER ROLE app PASSWORD E'hun\'ter2' VALID UNTIL '2030-01-01'`,
		`ALTER ROLE app PASSWORD '[redacted]' VALID UNTIL '2030-01-01'`},
	{"doubled quote inside",
		"CREATE USER bob PASSWORD 'it''s secret' CREATEDB",
		"CREATE USER bob PASSWORD '[redacted]' CREATEDB"},
	{"dollar quoted",
		"ALTER ROLE app PASSWORD $pw$hunter2$pw$",
		"ALTER ROLE app PASSWORD '[redacted]'"},
	{"unicode escape string",
		`ALTER ROLE app PASSWORD U&'h\0075nter2'`,
		`ALTER ROLE app PASSWORD '[redacted]'`},
	{"comment between PASSWORD and the literal",
		"ALTER ROLE app PASSWORD /* new */ 'hunter2'",
		"ALTER ROLE app PASSWORD /* new */ '[redacted]'"},
	{"unquoted password, a syntax error that still must not leak",
		"CREATE ROLE app PASSWORD hunter2 LOGIN",
		"CREATE ROLE app PASSWORD [redacted] LOGIN"},
	{"password NULL stays",
		"ALTER ROLE app PASSWORD NULL",
		"ALTER ROLE app PASSWORD NULL"},
	{"unterminated literal",
		"ALTER ROLE app PASSWORD 'hunter2",
		"ALTER ROLE app PASSWORD '[redacted]'"},
	{"literal continued on the next line",
		"ALTER ROLE app PASSWORD 'hun'\n'ter2'",
		"ALTER ROLE app PASSWORD '[redacted]'\n'[redacted]'"},
	{"second statement untouched",
		"ALTER ROLE app PASSWORD 'hunter2'; SELECT 'hello'",
		"ALTER ROLE app PASSWORD '[redacted]'; SELECT 'hello'"},

	// Foreign servers and user mappings.
	{"create server options",
		"CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db1', dbname 'app', password 'hunter2')",
		"CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '[redacted]', dbname '[redacted]', password '[redacted]')"},
	{"user mapping",
		"CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password 'hunter2')",
		"CREATE USER MAPPING FOR bob SERVER s OPTIONS (user '[redacted]', password '[redacted]')"},
	{"alter user mapping set, quoted option name",
		`ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET "password" 'hunter2')`,
		`ALTER USER MAPPING FOR bob SERVER s OPTIONS (SET "password" '[redacted]')`},

	// Connection strings.
	{"dblink conninfo keeps host and dbname",
		"SELECT * FROM dblink('host=db1 dbname=app user=bob password=hunter2', 'SELECT 1') AS t(x int)",
		"SELECT * FROM dblink('host=db1 dbname=app user=bob password=[redacted]', '[redacted]') AS t(x int)"},
	{"dblink_connect quoted conninfo value",
		"SELECT dblink_connect('c1', 'host=db1 password=''hun ter2'' dbname=app')",
		"SELECT dblink_connect('[redacted]', 'host=db1 password=[redacted] dbname=app')"},
	{"malformed conninfo goes whole",
		"SELECT dblink_connect('host=db1 password=hun ter2')",
		"SELECT dblink_connect('[redacted]')"},
	{"URI with user and password",
		"SELECT dblink('postgres://bob:hunter2@db1:5432/app', 'SELECT 1') AS t(x int)",
		"SELECT dblink('postgres://bob:[redacted]@db1:5432/app', 'SELECT 1') AS t(x int)"},
	{"URI password with an at sign",
		"SELECT dblink_connect('postgresql://bob:hun@ter2@db1/app')",
		"SELECT dblink_connect('postgresql://bob:[redacted]@db1/app')"},
	{"URI without password stays",
		"SELECT dblink_connect('postgresql://bob@db1/app')",
		"SELECT dblink_connect('postgresql://bob@db1/app')"},
	{"URI password in the query",
		"SELECT dblink_connect('postgresql://db1/app?user=bob&password=hunter2&sslmode=require')",
		"SELECT dblink_connect('postgresql://db1/app?user=bob&password=[redacted]&sslmode=require')"},
	{"URI in a comment",
		"SELECT 1 -- was postgres://bob:hunter2@db1/app",
		"SELECT 1 -- was postgres://bob:[redacted]@db1/app"},

	// pgcrypto.
	{"pgp_sym_encrypt key",
		"INSERT INTO t (v) VALUES (pgp_sym_encrypt('data', 'k3y!'))",
		"INSERT INTO t (v) VALUES (pgp_sym_encrypt('[redacted]', '[redacted]'))"},
	{"pgp_sym_decrypt key, column kept",
		"SELECT pgp_sym_decrypt(v, 'k3y!', 'cipher-algo=aes256') FROM t WHERE id = 1",
		"SELECT pgp_sym_decrypt(v, '[redacted]', '[redacted]') FROM t WHERE id = 1"},
	{"pgp_sym_decrypt bytea, schema qualified",
		"SELECT public.pgp_sym_decrypt_bytea(v, $$k3y$$) FROM t",
		"SELECT public.pgp_sym_decrypt_bytea(v, '[redacted]') FROM t"},
	{"crypt with a literal password",
		"SELECT crypt('hunter2', gen_salt('bf'))",
		"SELECT crypt('[redacted]', gen_salt('[redacted]'))"},

	// Settings.
	{"set_config keeps the name",
		"SELECT set_config('app.api_password', 'hunter2', false)",
		"SELECT set_config('app.api_password', '[redacted]', false)"},
	{"SET a token",
		"SET app.token = 'abc123'",
		"SET app.token = '[redacted]'"},
	{"SET TO a number",
		"SET app.secret TO 12345",
		"SET app.secret TO [redacted]"},
	{"password_encryption is not a secret",
		"SET password_encryption = 'scram-sha-256'",
		"SET password_encryption = 'scram-sha-256'"},

	// Statements that mention a secret: every literal goes.
	{"update a password column",
		"UPDATE users SET password = 'hunter2' WHERE id = 7",
		"UPDATE users SET password = '[redacted]' WHERE id = 7"},
	{"insert into a key/value table",
		"INSERT INTO settings (k, v) VALUES ('smtp_password', 'hunter2')",
		"INSERT INTO settings (k, v) VALUES ('[redacted]', '[redacted]')"},
	{"api key column",
		"INSERT INTO clients (name, apiKey) VALUES ('acme', 'sk_live_abc')",
		"INSERT INTO clients (name, apiKey) VALUES ('[redacted]', '[redacted]')"},
	{"function body redacted inside",
		"CREATE FUNCTION set_pw() RETURNS void LANGUAGE plpgsql AS $$BEGIN EXECUTE 'ALTER ROLE x PASSWORD ''y'''; RAISE NOTICE 'done'; END$$",
		"CREATE FUNCTION set_pw() RETURNS void LANGUAGE plpgsql AS $$BEGIN EXECUTE '[redacted]'; RAISE NOTICE '[redacted]'; END$$"},
	{"python body string in double quotes",
		"DO LANGUAGE plpython3u $$\npassword = \"hunter2\"\n$$",
		"DO LANGUAGE plpython3u $$\npassword = \"[redacted]\"\n$$"},
	{"commented-out role statement",
		"SELECT 1; -- ALTER ROLE app PASSWORD 'old'",
		"SELECT 1; -- ALTER ROLE app PASSWORD '[redacted]'"},
	{"password in prose",
		"/* password: hunter2 */ SELECT 1",
		"/* password: [redacted] */ SELECT 1"},

	// Backslash commands.
	{"\\password",
		`\password bob`,
		`\password [redacted]`},
	{"\\password alone",
		`\password`,
		`\password`},
	{"\\setenv",
		`\setenv PGPASSWORD hunter2`,
		`\setenv PGPASSWORD [redacted]`},
	{"\\connect URI",
		`\c postgresql://bob:hunter2@db1/app`,
		`\c postgresql://bob:[redacted]@db1/app`},
	{"\\! with an environment variable",
		"\\! PGPASSWORD=hunter2 pg_dump app\nSELECT 1",
		"\\! PGPASSWORD=[redacted] pg_dump app\nSELECT 1"},

	// What must stay.
	{"password_hash in a select list",
		"SELECT id, password_hash, email FROM users",
		"SELECT id, password_hash, email FROM users"},
	{"password_reset = true",
		"SELECT id FROM users WHERE password_reset = true AND id > 10",
		"SELECT id FROM users WHERE password_reset = true AND id > 10"},
	{"no secret, nothing changes",
		"UPDATE orders SET status = 'shipped' WHERE id = 42 AND note <> 'x''y'",
		"UPDATE orders SET status = 'shipped' WHERE id = 42 AND note <> 'x''y'"},
	{"primary key and foreign key are keywords",
		"CREATE TABLE t (id int PRIMARY KEY, c text DEFAULT 'new', o int REFERENCES o, FOREIGN KEY (o) REFERENCES o)",
		"CREATE TABLE t (id int PRIMARY KEY, c text DEFAULT 'new', o int REFERENCES o, FOREIGN KEY (o) REFERENCES o)"},
	{"FOR NO KEY UPDATE and users_pkey",
		"SELECT * FROM t WHERE c = 'a' FOR NO KEY UPDATE; ALTER TABLE users DROP CONSTRAINT users_pkey",
		"SELECT * FROM t WHERE c = 'a' FOR NO KEY UPDATE; ALTER TABLE users DROP CONSTRAINT users_pkey"},
	{"identifiers after password stay",
		"SELECT password FROM users WHERE email = lower(password)",
		"SELECT password FROM users WHERE email = lower(password)"},
	{"casts and psql variables",
		"SELECT '1'::int, :'name', now() - interval '1 day'",
		"SELECT '1'::int, :'name', now() - interval '1 day'"},
	{"subscription connection string",
		"CREATE SUBSCRIPTION sub CONNECTION 'host=db1 user=rep password=hunter2 dbname=app' PUBLICATION pub",
		"CREATE SUBSCRIPTION sub CONNECTION 'host=db1 user=rep password=[redacted] dbname=app' PUBLICATION pub"},
	{"subscription URI, no secret word",
		"ALTER SUBSCRIPTION sub CONNECTION 'postgresql://rep:hunter2@db1/app'",
		"ALTER SUBSCRIPTION sub CONNECTION 'postgresql://rep:[redacted]@db1/app'"},
	{"escape string URI that cannot be read goes whole",
		`SELECT dblink_connect(E'postgresql://rep:hunter2\x40db1/app')`,
		`SELECT dblink_connect('[redacted]')`},
	{"ALTER SYSTEM passphrase command",
		"ALTER SYSTEM SET ssl_passphrase_command = 'echo hunter2'",
		"ALTER SYSTEM SET ssl_passphrase_command = '[redacted]'"},
	{"current_setting keeps the name",
		"SELECT current_setting('app.secret')",
		"SELECT current_setting('app.secret')"},
	{"key inside a pgcrypto call goes, even as a setting name",
		"SELECT pgp_sym_decrypt(v, current_setting('app.key')) FROM t",
		"SELECT pgp_sym_decrypt(v, current_setting('[redacted]')) FROM t"},
	{"JSON with a password goes whole",
		`INSERT INTO config VALUES ('{"db": {"password": "hunter2"}}')`,
		`INSERT INTO config VALUES ('[redacted]')`},
	{"psql variable after PASSWORD",
		"ALTER ROLE app PASSWORD :'pw'",
		"ALTER ROLE app PASSWORD :'[redacted]'"},
	{"\\set a secret variable",
		`\set PGPASSWORD hunter2`,
		`\set PGPASSWORD [redacted]`},
	{"statement then \\g",
		"ALTER ROLE app PASSWORD 'hunter2' \\g",
		"ALTER ROLE app PASSWORD '[redacted]' \\g"},
	{"a token column in a select stays",
		"SELECT token, expires_at FROM sessions WHERE user_id = 5",
		"SELECT token, expires_at FROM sessions WHERE user_id = 5"},
	{"when unsure, literals of a statement about keys go",
		"DELETE FROM api_keys WHERE created < '2020-01-01'",
		"DELETE FROM api_keys WHERE created < '[redacted]'"},
	{"no secret word: an email stays",
		"SELECT * FROM users WHERE email = 'a@b.example'",
		"SELECT * FROM users WHERE email = 'a@b.example'"},
	{"two URIs in a comment, one without a password",
		"SELECT 1 /* from postgres://u:p1@h1/a to https://example.com/x@y and postgresql://v:p2@h2 */",
		"SELECT 1 /* from postgres://u:[redacted]@h1/a to https://example.com/x@y and postgresql://v:[redacted]@h2 */"},
	{"key=value that is no connection string goes whole",
		"INSERT INTO secrets VALUES ('a=hunter2')",
		"INSERT INTO secrets VALUES ('[redacted]')"},
	{"a URI that is no connection string goes whole in a statement about secrets",
		"INSERT INTO secrets VALUES ('https://vault.example/hunter2')",
		"INSERT INTO secrets VALUES ('[redacted]')"},
	{"quoted pgcrypto function name",
		`SELECT "crypt"('hunter2', x) FROM t`,
		`SELECT "crypt"('[redacted]', x) FROM t`},
	{"empty", "", ""},
}

func TestRedact(t *testing.T) {
	for _, tt := range redactTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactCallerSecrets(t *testing.T) {
	got := Redact(`\connect app bob db1`, "bob")
	if want := `\connect app [redacted] db1`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = Redact("SELECT 'hunter2' AS x", "hunter2", "")
	if strings.Contains(got, "hunter2") {
		t.Errorf("caller's secret kept: %q", got)
	}
}

func TestRedactLexer(t *testing.T) {
	// Every byte of the input lands in exactly one token.
	for _, in := range []string{
		"", "'", `"`, "$", "$$", "$a", "$a$", "/*", "/* /* */", "--", `\`, "E'\\", "U&", "U&'", "1e+", "x'ab'", "$1$2",
		"SELECT $f$ a $g$ b $f$, 'it''s', E'\\'', \"q\"\"x\" /* c /* n */ */ -- d\n\\g",
	} {
		toks := lex(in, true)
		end := 0
		for _, tk := range toks {
			if tk.start != end || tk.end <= tk.start || tk.bodyStart > tk.bodyEnd {
				t.Fatalf("lex(%q): bad token %+v after %d", in, tk, end)
			}
			end = tk.end
		}
		if end != len(in) {
			t.Fatalf("lex(%q) covers %d bytes of %d", in, end, len(in))
		}
	}
}

func TestRedactTextAndStatement(t *testing.T) {
	if got, want := RedactText(`cannot parse "postgres://app:hunter2@db/x": host=db password=hunter2`), `cannot parse "postgres://app:[redacted]@db/x": host=db password=[redacted]`; got != want {
		t.Errorf("RedactText: %q, want %q", got, want)
	}
	sql, scrub := RedactStatement("CREATE ROLE app PASSWORD hunter2")
	if sql != "CREATE ROLE app PASSWORD [redacted]" {
		t.Errorf("statement %q", sql)
	}
	if got, want := scrub(`syntax error at or near "hunter2"`), `syntax error at or near "[redacted]"`; got != want {
		t.Errorf("scrub: %q, want %q", got, want)
	}
}
