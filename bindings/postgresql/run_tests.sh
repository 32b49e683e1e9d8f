#!/bin/sh
# run_tests.sh WB_BUILD TOOL -- builds and installs the extension, starts a
# throwaway PostgreSQL cluster of its own (initdb in a temporary directory,
# a unix socket only, no TCP, no system cluster touched), runs pg_regress,
# and stops and removes the cluster. As root, the cluster runs as the
# postgres user (PostgreSQL refuses root).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run_tests.sh WB_BUILD TOOL}" && pwd)
tool=$(cd "$(dirname "${2:?usage: run_tests.sh WB_BUILD TOOL}")" && pwd)/$(basename "$2")
bindir=$(pg_config --bindir)
pgxs=$(dirname "$(pg_config --pgxs)")
# Built out of the source tree, in the libwinback build directory.
here=$build/postgresql
mkdir -p "$here"
cp -r "$src"/Makefile "$src"/*.c "$src"/*.sql "$src"/*.control "$src"/sql "$src"/expected "$here"/
env -u MAKEFLAGS -u MFLAGS make -s -C "$here" WB_ROOT="$src/../.." WB_BUILD="$build" > /dev/null
env -u MAKEFLAGS -u MFLAGS make -s -C "$here" WB_ROOT="$src/../.." WB_BUILD="$build" install > /dev/null
tmp=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
cleanup() { as_pg "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop > /dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
log=$src/../../examples/data/CDNOW_master.txt
"$tool" plan "$log" --as-of 1998-07-01 --cost 2.00 --format csv --quiet > "$tmp/plan.csv"
cp "$log" "$tmp/cdnow.txt"
chmod a+r "$tmp"/*.csv "$tmp"/*.txt
as_pg "$bindir/initdb" -D "$tmp/data" -A trust -U postgres --no-sync > "$tmp/initdb.log"
as_pg "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
    -o "-k $tmp -c listen_addresses= -p 5499 -c max_parallel_workers=4 -c fsync=off" start > /dev/null
mkdir -p "$tmp/out"
[ "$(id -u)" = 0 ] && chown postgres "$tmp/out"
cd "$here"
status=0
as_pg env WINBACK_CDNOW="$tmp/cdnow.txt" WINBACK_PLAN_CSV="$tmp/plan.csv" \
    "$pgxs/../test/regress/pg_regress" --host="$tmp" --port=5499 --user=postgres \
    --inputdir="$here" --outputdir="$tmp/out" --dbname=winback_regress winback || status=$?
if [ $status -ne 0 ]; then
    cat "$tmp/out/regression.diffs" 2>/dev/null | head -80
    cp "$tmp/out/results/winback.out" "$here/results.out" 2>/dev/null || true
    echo "run_tests.sh: the output is in $here/results.out" 
fi
exit $status
