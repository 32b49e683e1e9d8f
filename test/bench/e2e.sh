#!/bin/sh
# e2e.sh -- winback plan and summary on generated logs, against the floor.
#
# For each log size: wall time (median of 3), rows/s, MB/s and peak RSS of
# `winback plan` and `winback summary`, and in the same session the time of
# `wc -l` and `cat > /dev/null` on the same file. The ratio to wc -l is the
# figure to quote: on a shared, noisy machine absolute times drift, ratios
# much less. Usage: test/bench/e2e.sh [ROWS:CUSTOMERS ...]
set -eu
bin=${WB_BIN:-build/default}   # the build directory (make BUILD=...)
tool=$bin/programs/winback
gen=$bin/test/tools/genlog
dir=${BENCH_DIR:-$(mktemp -d)}
trap 'rm -rf "$dir"' EXIT
sizes=${*:-"1000000:100000 5000000:500000"}

# "seconds peak_kb": the median wall time of three runs (nanosecond clock)
# and the peak RSS that GNU time reports for the last one
wall() {
    for k in 1 2 3; do
        t0=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$dir/rss" "$@" > /dev/null 2>&1
        t1=$(date +%s%N)
        echo "$(( (t1 - t0) / 1000 )) $(cat "$dir/rss")"
    done | sort -n | sed -n 2p | awk '{ printf "%.4f %d\n", $1 / 1e6, $2 }'
}

printf '%-10s %-8s %9s %8s %10s %8s %9s %9s\n' rows command "wall s" "x wc-l" "rows/s" "MB/s" "x cat" "RSS MB"
for size in $sizes; do
    rows=${size%%:*}
    customers=${size##*:}
    log="$dir/log_$rows.csv"
    $gen "$rows" "$customers" > "$log"
    mb=$(awk -v b="$(wc -c < "$log")" 'BEGIN { printf "%.1f", b / 1048576 }')
    cat "$log" > /dev/null                      # warm the page cache
    wc_s=$(wall wc -l "$log" | cut -d' ' -f1)
    cat_s=$(wall cat "$log" | cut -d' ' -f1)
    for cmd in plan summary; do
        set -- $(wall $tool $cmd "$log" --as-of 2026-01-01 --quiet)
        awk -v r="$rows" -v c="$cmd" -v s="$1" -v kb="$2" -v w="$wc_s" -v ca="$cat_s" -v mb="$mb" 'BEGIN {
            if (s == 0) s = 0.005; if (w == 0) w = 0.005; if (ca == 0) ca = 0.005
            printf "%-10d %-8s %9.2f %8.1f %10.0f %8.1f %9.1f %9.1f\n",
                   r, c, s, s / w, r / s, mb / s, s / ca, kb / 1024 }'
    done
    printf '%-10d %-8s %9.2f %8s %10s %8.1f  (%s MB)\n' "$rows" "wc -l" "$wc_s" 1.0 - \
        "$(awk -v mb="$mb" -v s="$wc_s" 'BEGIN { if (s == 0) s = 0.005; print mb / s }')" "$mb"
done
