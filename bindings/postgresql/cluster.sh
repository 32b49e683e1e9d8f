# cluster.sh -- a throwaway PostgreSQL cluster for tests and benchmarks,
# sourced by run_tests.sh and test/bench/pg_bench.sh: initdb in a directory
# of the caller's, a unix socket there, no TCP, no system cluster touched.
# As root the cluster runs as the postgres user (PostgreSQL refuses root).
bindir=$(pg_config --bindir)
# As root, from / : the caller's directory (a fresh clone in a private
# temporary directory, say) may be closed to the postgres user. Every path
# handed to these commands is absolute.
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
cluster_start() { # DIR PORT
    [ "$(id -u)" = 0 ] && chown postgres "$1"
    as_pg "$bindir/initdb" -D "$1/data" -A trust -U postgres --no-sync > "$1/initdb.log"
    as_pg "$bindir/pg_ctl" -D "$1/data" -l "$1/server.log" -w \
        -o "-k $1 -c listen_addresses= -p $2 -c max_parallel_workers=4 -c fsync=off" \
        start > /dev/null
}
cluster_stop() { # DIR
    as_pg "$bindir/pg_ctl" -D "$1/data" -m immediate stop > /dev/null 2>&1 || true
}
