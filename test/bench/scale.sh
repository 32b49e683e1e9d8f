#!/bin/sh
# scale.sh TOOL LOG_5M LOG_50M [AS_OF] -- does the cost grow with the work
# and no faster? `winback plan --format csv` on the 5 M-row, 500 k-customer
# log and on the 50 M-row, 5 M-customer one (both from the peers'
# generator), one run each after warming the page cache; the ratio of
# their times (issue goal: at most 12) and the big run's peak RSS (goal:
# at most 1.3 GiB).
set -eu
tool=$1
small=$2
big=$3
as_of=${4:-2026-01-01}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # LOG -> "seconds peak_kb"
    cat "$1" > /dev/null
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$tool" plan "$1" --as-of "$as_of" --format csv \
        --quiet > /dev/null
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $(cat "$tmp/rss")"
}
set -- $(run "$small") $(run "$big")
awk -v s="$1" -v sk="$2" -v b="$3" -v bk="$4" 'BEGIN {
    printf "plan, 5 M rows, 500 k customers   %7.2f s  %7.1f MiB\n", s / 1e6, sk / 1024
    printf "plan, 50 M rows, 5 M customers    %7.2f s  %7.1f MiB\n", b / 1e6, bk / 1024
    printf "50 M / 5 M: %.1fx the time (goal: at most 12x), peak %.2f GiB (goal: at most 1.3)\n",
           b / s, bk / 1048576 }'
