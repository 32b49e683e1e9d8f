#!/bin/sh
# scale.sh TOOL LOG_5M LOG_50M [AS_OF] -- does the cost grow with the work
# and no faster? `winback plan --format csv` on the 5 M-row, 500 k-customer
# log and on the 50 M-row, 5 M-customer one (both from the peers'
# generator), after warming the page cache: three runs each, their median
# (as peers.sh takes), and the big log's first run apart (on a virtual
# machine a first run after a pause can be slower: docs/performance.md);
# the ratio of the medians (issue goal: at most 12), and of the first runs,
# and the big log's peak RSS (goal: at most 1.3 GiB).
set -eu
tool=$1
small=$2
big=$3
as_of=${4:-2026-01-01}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

once() { # LOG -> "microseconds peak_kb"
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$tool" plan "$1" --as-of "$as_of" --format csv \
        --quiet > /dev/null
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $(cat "$tmp/rss")"
}

runs() { # LOG -> "first_us median_us peak_kb"
    cat "$1" > /dev/null
    once "$1" > "$tmp/runs"
    once "$1" >> "$tmp/runs"
    once "$1" >> "$tmp/runs"
    first=$(head -1 "$tmp/runs" | cut -d' ' -f1)
    sort -n "$tmp/runs" | sed -n 2p | { read -r us kb; echo "$first $us $kb"; }
}
# shellcheck disable=SC2046  # the six numbers, split into the arguments
set -- $(runs "$small") $(runs "$big")
awk -v sf="$1" -v s="$2" -v sk="$3" -v bf="$4" -v b="$5" -v bk="$6" 'BEGIN {
    printf "plan, 5 M rows, 500 k customers   %7.2f s  %7.1f MiB  (first run %.2f s)\n",
           s / 1e6, sk / 1024, sf / 1e6
    printf "plan, 50 M rows, 5 M customers    %7.2f s  %7.1f MiB  (first run %.2f s)\n",
           b / 1e6, bk / 1024, bf / 1e6
    printf "50 M / 5 M: %.1fx the time (goal: at most 12x; first runs %.1fx), peak %.2f GiB (goal: at most 1.3)\n",
           b / s, bf / sf, bk / 1048576 }'
