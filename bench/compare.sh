#!/usr/bin/env bash
# Runs psql and safesql side by side on the same generated data and prints
# wall-time medians, peak RSS and the ratio safesql/psql for each scenario.
#
#   bash bench/compare.sh            # full size (1,000,000 rows, 100,000 INSERTs)
#   ROWS=100000 INSERTS=10000 RUNS=3 bash bench/compare.sh   # quicker
#
# It starts its own throwaway cluster (as the postgres user when root) unless
# SAFESQL_BENCH_HOST/PORT/USER point at a server. Figures are from one run on
# a shared machine: compare the ratios, not the seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-1000000}
INSERTS=${INSERTS:-100000}
RUNS=${RUNS:-3}
STARTUP_RUNS=${STARTUP_RUNS:-20}
BINDIR=${SAFESQL_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PSQL=${PSQL:-$BINDIR/psql}
[ -x "$PSQL" ] || { echo "bench: real psql binary not found (set PSQL=...)" >&2; exit 1; }

work=$(mktemp -d /tmp/safesql-bench-XXXX)
chmod 755 "$work"
go build -o "$work/safesql" .
SAFESQL=$work/safesql
# psql's behaviour for the comparisons (a local environment), and a
# production wrapper for the rows that measure the safety rules' cost:
# read-only, implicit transaction, a savepoint per statement, the analyzer.
printf 'unknown_tier = "local"\n' >"$work/local.toml"
printf 'unknown_tier = "production"\n' >"$work/prod.toml"
export SAFESQL_CONFIG=$work/local.toml SAFESQL_SYSTEM_CONFIG=$work/local.toml
printf '#!/bin/sh\nSAFESQL_CONFIG=%s SAFESQL_SYSTEM_CONFIG=%s exec %s "$@"\n' "$work/prod.toml" "$work/prod.toml" "$SAFESQL" >"$work/safesql-prod"
chmod 755 "$work/safesql-prod"
# production with writes allowed and the run committed: what a migration
# script given --write --commit costs (each INSERT under the rules, the
# audit log written ahead, the server's check after each statement)
printf '#!/bin/sh\nSAFESQL_CONFIG=%s SAFESQL_SYSTEM_CONFIG=%s exec %s --write --commit "$@" 2>/dev/null\n' "$work/prod.toml" "$work/prod.toml" "$SAFESQL" >"$work/safesql-prod-write"
chmod 755 "$work/safesql-prod-write"
export XDG_STATE_HOME=$work/state

cleanup() {
	[ -n "${busy_pid:-}" ] && kill "$busy_pid" 2>/dev/null || true
	if [ -z "${SAFESQL_BENCH_HOST:-}" ]; then
		as_pg "$BINDIR/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -z "${SAFESQL_BENCH_HOST:-}" ]; then
	[ "$(id -u)" = 0 ] && chown postgres "$work"
	as_pg "$BINDIR/initdb" -D "$work/data" -A trust -E UTF8 --locale=C --no-sync >/dev/null
	as_pg "$BINDIR/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
		-o "-c listen_addresses='' -k $work -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB" start >/dev/null
	export PGHOST=$work PGPORT=5432 PGUSER=$([ "$(id -u)" = 0 ] && echo postgres || id -un)
else
	export PGHOST=$SAFESQL_BENCH_HOST PGPORT=${SAFESQL_BENCH_PORT:-5432} PGUSER=${SAFESQL_BENCH_USER:-postgres}
fi
export PGDATABASE=postgres PGTZ=UTC LC_ALL=C.UTF-8

echo "bench: generating $ROWS rows and $INSERTS INSERT statements"
"$PSQL" -X -q -v ON_ERROR_STOP=1 <<SQL
set client_min_messages = warning;
drop table if exists wide;
create table wide as
select i as id, (i % 1000)::int2 as small, i::int8 * 7919 as big, (i / 7.0)::numeric(14,3) as amount,
       random() as ratio, 'customer ' || i || ' of the benchmark' as name,
       md5(i::text) as hash, (i % 2 = 0) as flag, date '2020-01-01' + (i % 1500) as day,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' as at,
       case when i % 10 = 0 then null else gen_random_uuid() end as uid
from generate_series(1, $ROWS) as g(i);
create unique index on wide (id);
vacuum analyze wide;
drop table if exists ins;
create table ins (id int, name text, at timestamptz);
SQL
python3 - "$work/inserts.sql" "$INSERTS" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    for i in range(n):
        f.write(f"insert into ins values ({i}, 'name {i}', '2024-01-01 00:00:00+00');\n")
with open(path.replace("inserts", "selects"), "w") as f:
    for i in range(n):
        f.write(f"select id, name from wide where id = {i + 1};\n")
PY

# measure RUNS CMD...: prints "median_seconds peak_kib" over RUNS runs
# (wall time from a monotonic clock, peak RSS from wait4).
measure() {
	local runs=$1; shift
	python3 - "$runs" "$@" <<'PY'
import os, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times, peak = [], 0
for _ in range(runs):
    devnull = os.open(os.devnull, os.O_WRONLY)
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.execvp(cmd[0], cmd)
    _, status, ru = os.wait4(pid, 0)
    times.append(time.perf_counter() - t0)
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("bench: %s exited %d" % (" ".join(cmd), os.waitstatus_to_exitcode(status)))
    peak = max(peak, ru.ru_maxrss)
print(statistics.median(times), peak)
PY
}

printf '\n%-28s %10s %10s %7s %10s %10s %7s\n' scenario psql_s safesql_s ratio psql_MiB safe_MiB ratio
row() {
	local name=$1 runs=$2; shift 2
	# Same bytes first: a fast wrong answer is no answer.
	if [ "${name#-f}" = "$name" ] && [ -z "${NOCMP:-}" ]; then
		"$PSQL" -X "$@" >"$work/psql.out" 2>&1
		"$SAFESQL" -X "$@" >"$work/safesql.out" 2>&1
		cmp -s "$work/psql.out" "$work/safesql.out" || { echo "bench: output of '$name' differs from psql's" >&2; exit 1; }
	fi
	read -r pt pm < <(measure "$runs" "$PSQL" -X "$@")
	read -r st sm < <(measure "$runs" "$SAFESQL" -X "$@")
	python3 -c 'import sys
n,pt,pm,st,sm=sys.argv[1],float(sys.argv[2]),int(sys.argv[3]),float(sys.argv[4]),int(sys.argv[5])
r=lambda a,b: (a/b if b else float("nan"))
print("%-28s %10.3f %10.3f %7.2f %10.1f %10.1f %7.2f" % (n,pt,st,r(st,pt),pm/1024,sm/1024,r(sm,pm)))' "$name" "$pt" "$pm" "$st" "$sm"
}

row "startup -c 'select 1'" "$STARTUP_RUNS" -c 'select 1'
row "${ROWS} rows aligned" "$RUNS" -c 'select * from wide'
row "${ROWS} rows unaligned" "$RUNS" -A -c 'select * from wide'
row "${ROWS} rows csv" "$RUNS" --csv -c 'select * from wide'
# Round-trip bound: keep one core busy so the other does not sleep between
# round trips (an idle core's wake-up dominates otherwise), for both clients.
( nice -n 19 bash -c 'while :; do :; done' ) & busy_pid=$!
row "-f ${INSERTS} INSERTs" "$RUNS" -q -c 'truncate ins' -f "$work/inserts.sql"
row "-f ${INSERTS} SELECTs" "$RUNS" -f "$work/selects.sql"
# The same reads under production's rules (same bytes out, as psql's).
plain=$SAFESQL; SAFESQL=$work/safesql-prod
row "production: ${ROWS} rows csv" "$RUNS" --csv -c 'select * from wide'
row "production: -f ${INSERTS} SELECTs" "$RUNS" -f "$work/selects.sql"
# Writes under production's rules, then the same with TABLES more tables in
# the database: the cost must not grow with them.
SAFESQL=$work/safesql-prod-write
NOCMP=1 row "production: -f ${INSERTS} INSERTs" "$RUNS" -q -f "$work/inserts.sql"
TABLES=${TABLES:-5000}
"$PSQL" -X -q -c "do \$\$ begin for i in 1..$TABLES loop execute format('create table bench_extra_%s (id int)', i); end loop; end \$\$"
NOCMP=1 row "  same, ${TABLES} more tables" "$RUNS" -q -f "$work/inserts.sql"
SAFESQL=$plain
kill "$busy_pid" 2>/dev/null || true; busy_pid=
