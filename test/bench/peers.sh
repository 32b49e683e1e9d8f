#!/bin/sh
# peers.sh TOOL LOG PEERS [AS_OF] -- the batch job side by side in one run:
# `wc -l` (the floor of reading the file), the DuckDB peer of ../shared/peers
# when Node and the peer's npm package are installed (said when not), and
# `winback plan --format csv`. Median of three wall times and the last
# run's peak RSS each; ratios against the program, the figure to quote.
set -eu
tool=$1
log=$2
peers=$3
as_of=${4:-2026-01-01}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # NAME COMMAND... -> "NAME seconds peak_kb"
    name=$1
    shift
    for k in 1 2 3; do
        t0=$(date +%s%N)
        /usr/bin/time -f "%M" -o "$tmp/rss" "$@" > /dev/null 2>&1
        t1=$(date +%s%N)
        echo "$(( (t1 - t0) / 1000 )) $(cat "$tmp/rss")"
    done | sort -n | sed -n 2p | awk -v n="$name" '{ printf "%s %.4f %d\n", n, $1 / 1e6, $2 }'
}

cat "$log" > /dev/null                          # warm the page cache
{
    run "wc -l" wc -l "$log"
    if command -v node > /dev/null && [ -d "$peers/node/node_modules/@duckdb/node-api" ]; then
        run "DuckDB (peer)" node "$peers/peer_duckdb.mjs" "$log" "$as_of" "$tmp/duck.csv"
    else
        echo "DuckDB-not-installed - -"
    fi
    run "winback plan" "$tool" plan "$log" --as-of "$as_of" --format csv --quiet
    run "winback summary" "$tool" summary "$log" --as-of "$as_of" --quiet
    run "winback plan 1-thread" "$tool" plan "$log" --as-of "$as_of" --format csv --quiet --threads 1
} > "$tmp/times"
wb=$(awk '$1 == "winback" && $2 == "plan" && NF == 4 { print $3 }' "$tmp/times")
printf '%-22s %9s %12s %9s\n' "" "wall s" "x winback" "RSS MiB"
awk -v wb="$wb" '
    /not-installed/ { printf "%-22s %9s  (cd %s && npm install: not installed, skipped)\n",
                      "DuckDB (peer)", "-", "../shared/peers/node"; next }
    { name = $1; for (i = 2; i <= NF - 2; i++) name = name " " $i
      s = $(NF - 1); kb = $NF
      printf "%-22s %9.3f %12.2f %9.1f\n", name, s, s / wb, kb / 1024 }' "$tmp/times"
awk '$1 == "DuckDB" && $3 != "-" { duck = $(NF - 1) }
     $1 == "winback" { t[$2 ($3 == "1-thread" ? " 1-thread" : "")] = $(NF - 1) }
     END { if (duck) {
         printf "DuckDB / winback plan: %.2fx, / winback summary: %.2fx (issue goal: 5x)\n",
                duck / t["plan"], duck / t["summary"]
         printf "winback plan, 1 thread / %s threads: %.2fx\n", "'"$(nproc)"'", t["plan 1-thread"] / t["plan"] } }' "$tmp/times"
