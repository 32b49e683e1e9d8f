#!/bin/sh
# run_tests.sh WB_BUILD TOOL -- builds and installs the extension, starts a
# throwaway PostgreSQL cluster of its own (cluster.sh), runs pg_regress,
# and stops and removes the cluster.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run_tests.sh WB_BUILD TOOL}" && pwd)
tool=$(cd "$(dirname "${2:?usage: run_tests.sh WB_BUILD TOOL}")" && pwd)/$(basename "$2")
pgxs=$(dirname "$(pg_config --pgxs)")
. "$src/cluster.sh"
# Built out of the source tree, in the libwinback build directory.
here=$build/postgresql
mkdir -p "$here"
cp "$src"/Makefile "$src"/*.c "$src"/*.sql "$src"/*.control "$here"/
env -u MAKEFLAGS -u MFLAGS make -s -C "$here" WB_ROOT="$src/../.." WB_BUILD="$build" > /dev/null
env -u MAKEFLAGS -u MFLAGS make -s -C "$here" WB_ROOT="$src/../.." WB_BUILD="$build" install > /dev/null
tmp=$(mktemp -d)
trap 'cluster_stop "$tmp"; rm -rf "$tmp"' EXIT
log=$src/../../examples/data/CDNOW_master.txt
"$tool" plan "$log" --as-of 1998-07-01 --cost 2.00 --format csv --quiet > "$tmp/plan.csv"
cp "$log" "$tmp/cdnow.txt"
chmod a+r "$tmp"/*.csv "$tmp"/*.txt
cluster_start "$tmp" 5499
# pg_regress runs as the postgres user: its inputs are copied where that
# user can read them, whatever the permissions of the clone.
mkdir -p "$tmp/out" "$tmp/in"
cp -r "$src/sql" "$src/expected" "$tmp/in/"
[ "$(id -u)" = 0 ] && chown -R postgres "$tmp/out" "$tmp/in"
status=0
as_pg env WINBACK_CDNOW="$tmp/cdnow.txt" WINBACK_PLAN_CSV="$tmp/plan.csv" \
    "$pgxs/../test/regress/pg_regress" --host="$tmp" --port=5499 --user=postgres \
    --inputdir="$tmp/in" --outputdir="$tmp/out" --dbname=winback_regress winback || status=$?
if [ $status -ne 0 ]; then
    cat "$tmp/out/regression.diffs" 2>/dev/null | head -80
    cp "$tmp/out/results/winback.out" "$here/results.out" 2>/dev/null || true
    echo "run_tests.sh: the output is in $here/results.out" 
fi
exit $status
