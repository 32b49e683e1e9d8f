#!/bin/sh
# fdw_test.sh WB_BUILD TOOL -- the distributed batch job on two local
# clusters joined with postgres_fdw, as Citus would run it: purchases split
# by customer id between a coordinator and a worker, summarised where they
# live (the worker's summaries computed remotely, the aggregate shipped
# with the extension), fitted on the coordinator. The fit must equal the
# one of a single cluster holding everything. The extension must be
# installed (run_tests.sh does it).
set -eu
src=$(cd "$(dirname "$0")" && pwd)
. "$src/cluster.sh"
coord=$(mktemp -d)
worker=$(mktemp -d)
trap 'cluster_stop "$coord"; cluster_stop "$worker"; rm -rf "$coord" "$worker"' EXIT
awk 'NR > 1 { printf "%s,%s-%s-%s,%s\n", $1, substr($2, 1, 4), substr($2, 5, 2),
              substr($2, 7, 2), $4 }' "$src/../../examples/data/CDNOW_master.txt" \
    > "$coord/cdnow.csv"
cp "$coord/cdnow.csv" "$worker/cdnow.csv"
chmod a+r "$coord/cdnow.csv" "$worker/cdnow.csv"
cluster_start "$coord" 5496
cluster_start "$worker" 5495
sql() { as_pg "$bindir/psql" -h "$1" -p "$2" -U postgres -d postgres -X -q -t -A -v ON_ERROR_STOP=1 -c "$3"; }
load="CREATE EXTENSION winback;
      CREATE TABLE all_tx (id text, day date, dollars numeric(12,2));
      COPY all_tx FROM '%s/cdnow.csv' WITH (FORMAT csv);
      CREATE TABLE tx AS SELECT id, day, (dollars * 100)::bigint AS cents FROM all_tx
                          WHERE abs(hashtext(id)) %% 2 = %d;"
sql "$coord" 5496 "$(printf "$load" "$coord" 0)"
sql "$worker" 5495 "$(printf "$load" "$worker" 1)"
sql "$coord" 5496 "CREATE EXTENSION postgres_fdw;
    CREATE SERVER worker FOREIGN DATA WRAPPER postgres_fdw
        OPTIONS (host '$worker', port '5495', dbname 'postgres', extensions 'winback');
    CREATE USER MAPPING FOR postgres SERVER worker OPTIONS (user 'postgres');
    CREATE FOREIGN TABLE worker_tx (id text, day date, cents bigint) SERVER worker
        OPTIONS (table_name 'tx')"
job="SELECT winback_bgnbd_fit((s).x, (s).t_x, (s).\"T\") FROM (
        SELECT winback_summary(day, cents, DATE '1998-06-30') AS s FROM tx GROUP BY id
        UNION ALL
        SELECT winback_summary(day, cents, DATE '1998-06-30') AS s FROM worker_tx GROUP BY id) u"
sql "$coord" 5496 "EXPLAIN (VERBOSE, COSTS OFF) $job" > "$coord/plan.txt"
shipped=$(grep -c "Remote SQL: SELECT public.winback_summary(.*GROUP BY" "$coord/plan.txt" || true)
split=$(sql "$coord" 5496 "SELECT (SELECT count(*) FROM tx) || ' + ' || (SELECT count(*) FROM worker_tx)")
distributed=$(sql "$coord" 5496 "$job")
single=$(sql "$coord" 5496 "SELECT winback_bgnbd_fit((s).x, (s).t_x, (s).\"T\") FROM (
    SELECT winback_summary(day, (dollars * 100)::bigint, DATE '1998-06-30') AS s
    FROM all_tx GROUP BY id) u")
echo "fdw: purchases split $split between the coordinator and the worker"
echo "fdw: the worker's summaries computed on the worker (aggregate in the remote SQL): $shipped"
if [ "$distributed" = "$single" ] && [ "$shipped" -ge 1 ]; then
    echo "fdw: the distributed BG/NBD fit equals the single cluster's: $distributed"
else
    echo "fdw: FAILED: distributed $distributed, single $single"; exit 1
fi
