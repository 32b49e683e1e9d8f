#!/bin/sh
# callgrind.sh -- instructions per call of each micro benchmark.
#
# Instruction counts do not depend on what else the machine is doing, so
# they are the repeatable companion of the medians: each benchmark runs
# under callgrind with N calls, and with the same inputs made for N calls
# but none run; the difference / N is what one call costs (setup and
# teardown cancel out, the ledger rows' ids too).
set -eu
bench=${1:-build/default/test/bench/bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

ir() { # NAME N [inputs-only] -> total instructions
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bench" "$@" \
        > /dev/null 2>&1
    awk '/^(summary|totals):/ { print $2; exit }' "$out/cg"
}

printf '%-16s %14s\n' benchmark "instr/call"
for spec in day_parse:200000 classify_ladder:200000 decide:200000 decide_many:204800 \
            clv_margin:200000 romi:200000 amount_parse:200000 \
            ledger_10k:200000 ledger_many_10k:200000 \
            ledger_many_1M:2000000; do
    name=${spec%%:*}
    n=${spec##*:}
    base=$(ir "$name" "$n" inputs-only)
    full=$(ir "$name" "$n")
    awk -v n="$name" -v a="$base" -v b="$full" -v c="$n" \
        'BEGIN { printf "%-16s %14.1f\n", n, (b - a) / c }'
done
