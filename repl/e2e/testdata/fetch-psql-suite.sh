#!/usr/bin/env bash
# Fetches psql's own regression script (src/test/regress/sql/psql.sql) for
# the major version of the psql on this machine, from Debian's source
# package of PostgreSQL, into the cache directory the e2e parity test reads
# (TestPsqlOwnRegressionSuite). It is test input, never committed: the
# script is PostgreSQL's, and the test runs it through psql and safesql.
#
#   repl/e2e/testdata/fetch-psql-suite.sh      # prints the file's path
#
# SAFESQL_PSQL_SUITE_DIR overrides the cache directory.
set -euo pipefail

psql_bin=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -1 || true)
if [ -z "$psql_bin" ]; then
	echo "fetch-psql-suite: psql not found" >&2
	exit 1
fi
version=$("$psql_bin" --version | sed -n 's/.* \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1.\2/p')
major=${version%%.*}
if [ -z "$major" ]; then
	echo "fetch-psql-suite: cannot read psql's version from: $("$psql_bin" --version)" >&2
	exit 1
fi
cache=${SAFESQL_PSQL_SUITE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/safesql/psql-suite}
out="$cache/$major/psql.sql"
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache/$major"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fetch() { # url file
	if command -v curl >/dev/null 2>&1; then
		curl -sSfL --retry 2 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$2" "$1"
	else
		echo "fetch-psql-suite: neither curl nor wget is installed" >&2
		return 1
	fi
}

# The same minor version as the psql here, else the newest of that major
# the pool lists.
tarball=""
for pool in http://deb.debian.org/debian-security/pool/updates/main/p/postgresql-$major \
	http://deb.debian.org/debian/pool/main/p/postgresql-$major; do
	name="postgresql-${major}_${version}.orig.tar.bz2"
	if fetch "$pool/$name" "$tmp/src.tar.bz2" 2>/dev/null; then
		tarball="$tmp/src.tar.bz2"
		break
	fi
	if fetch "$pool/" "$tmp/index.html" 2>/dev/null; then
		name=$(grep -o "postgresql-${major}_[0-9.]*\.orig\.tar\.bz2" "$tmp/index.html" | sort -V | tail -1 || true)
		if [ -n "$name" ] && fetch "$pool/$name" "$tmp/src.tar.bz2"; then
			tarball="$tmp/src.tar.bz2"
			break
		fi
	fi
done
if [ -z "$tarball" ]; then
	echo "fetch-psql-suite: could not download PostgreSQL $major's source from deb.debian.org" >&2
	exit 1
fi
tar -xjf "$tarball" -C "$tmp" --wildcards '*/src/test/regress/sql/psql.sql'
find "$tmp" -path '*/src/test/regress/sql/psql.sql' -exec cp {} "$out.tmp" \;
mv "$out.tmp" "$out"
echo "$out"
