#!/bin/sh
# e2e.sh -- the winback command end to end on the CDNOW log.
#
# The expected figures are computed here a second way, with awk, from the
# same file, and also pinned as numbers (checked once more with Python's
# datetime when this test was written): 23 570 customers, 69 659 purchases,
# $2 500 315.63, and per class as of 1998-07-01 1452 / 1830 / 2059 / 2930 /
# 15299. Then a corrupted copy must account for every row and keep the
# accepted figures unchanged.
set -eu
# WB_WRAP runs the tool under a checker, e.g. valgrind (make check-valgrind).
bin=${WB_BIN:-build/default}   # the build directory (make BUILD=...)
tool="${WB_WRAP:-} $bin/programs/winback"
log=examples/data/CDNOW_master.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

status() { "$@" > /dev/null 2>&1 && echo 0 || echo $?; }

check() { # name expected actual
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi
}

# Independent figures: days_from_civil in awk, classes by the spec windows.
awk 'function days(y, m, d,   era, yoe, doy) {
         y -= (m <= 2); era = int(y / 400); yoe = y - era * 400
         doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
         return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468 }
     NR > 1 { t = days(substr($2,1,4)+0, substr($2,5,2)+0, substr($2,7,2)+0)
              if (!($1 in last) || t > last[$1]) last[$1] = t
              split($4, p, "."); cents += p[1] * 100 + p[2]; rows++ }
     END { asof = days(1998, 7, 1)
           for (c in last) { d = asof - last[c]; n++
               k = d < 30 ? 1 : d < 90 ? 2 : d < 180 ? 3 : d < 360 ? 4 : 5; cls[k]++ }
           printf "%d %d %d.%02d %d %d %d %d %d\n", n, rows, cents / 100, cents % 100,
                  cls[1], cls[2], cls[3], cls[4], cls[5] }' "$log" > "$tmp/awk"
check "awk agrees with the pinned figures" \
      "23570 69659 2500315.63 1452 1830 2059 2930 15299" "$(cat "$tmp/awk")"

$tool summary "$log" --as-of 1998-07-01 > "$tmp/sum" 2> "$tmp/err"
field() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/sum"; }
got="$(awk '/^base as of/ { print $5, $7 }' "$tmp/sum") $(awk '/revenue to date/ { print $4 }' "$tmp/sum")"
got="$got $(field active) $(field watch) $(field lapsed-1) $(field lapsed-2) $(field lapsed-3)"
check "winback summary on CDNOW" "$(cat "$tmp/awk")" "$got"
check "read line" "winback: read 69659, accepted 69659, rejected 0" "$(cat "$tmp/err")"

# Plan: one row per customer plus a header, in every format.
$tool plan "$log" --as-of 1998-07-01 --format csv --quiet > "$tmp/plan.csv"
check "plan rows" 23571 "$(wc -l < "$tmp/plan.csv")"
# R8, revision 2: every win-back, and nothing else, has an offer expiring 180
# days after its contact day; a log knows no escalation, so every win-back
# is automated, by e-mail, and a lost-twice customer's apology is a
# personal letter; and the priority falls with the time since the
# customer left (per class: the mean priority per unit of CLV net of the
# 0 cost falls from lapsed-1 to lapsed-3).
check "offers expire after 180 days" 0 \
      "$(awk -F, 'NR > 1 && ($5 == "winback") != ($13 != "-")' "$tmp/plan.csv" | wc -l)"
check "offer expiry day" "1998-12-28" \
      "$(awk -F, 'NR > 1 && $5 == "winback" { print $13 }' "$tmp/plan.csv" | sort -u)"
check "channels on CDNOW" "exclude personal-letter|monitor none|none none|winback e-mail" \
      "$(awk -F, 'NR > 1 { print $5, $12 }' "$tmp/plan.csv" | LC_ALL=C sort -u | tr '\n' '|' | sed 's/|$//')"
check "recent leavers first" "1 1" \
      "$(awk -F, 'NR > 1 && $5 == "winback" && $7 > 0 { s[$4] += $15 / $7; n[$4]++ }
         END { a = s["lapsed-1"] / n["lapsed-1"]; b = s["lapsed-2"] / n["lapsed-2"]
               c = s["lapsed-3"] / n["lapsed-3"]; print (a > b), (b > c) }' "$tmp/plan.csv")"
$tool plan "$log" --as-of 1998-07-01 --format json --quiet > "$tmp/plan.json"
check "json rows" 23570 "$(grep -c '"id"' "$tmp/plan.json")"
# The default as-of is the day after the last purchase, and it says so.
$tool plan "$log" --top 1 > /dev/null 2> "$tmp/err"
check "default as-of" 1 "$(grep -c 'as of 1998-07-01, the day after the last purchase' "$tmp/err")"

# A corrupted copy: bad dates, bad amounts, truncated lines, no final newline.
awk 'NR == 100 { print " 99991 19971345  1   10.00"; }
     NR == 200 { print " 99992 19970101  1   1O.00"; }
     NR == 300 { print " 99993 1997010"; }
     NR == 400 { print " 99994 19970229  1   5.00"; }
     NR == 500 { print " 99995 19970101  1   -5.00"; }
     NR == 600 { print " 99996 19970101  1   5.001"; }
     { print }' "$log" > "$tmp/bad.txt"
printf ' 99997 19980101  1' >> "$tmp/bad.txt"          # truncated, no newline
$tool summary "$tmp/bad.txt" --as-of 1998-07-01 --rejects "$tmp/rejects" \
    > "$tmp/badsum" 2> "$tmp/err"
check "corrupted: read = accepted + rejected" \
      "winback: read 69666, accepted 69659, rejected 7" "$(cat "$tmp/err")"
check "corrupted: accepted figures unchanged" "$(cat "$tmp/sum")" "$(cat "$tmp/badsum")"
check "rejects file lists every rejected row" 7 "$(wc -l < "$tmp/rejects")"
check "rejects name the line and reason" "100	bad date" "$(head -1 "$tmp/rejects" | cut -f1,2)"
# CDNOW as CSV with one stray quote at the start of line 101: that line is
# rejected and every other line is still read (read = lines - header).
awk 'BEGIN { print "customer_id,date,amount" }
     NR > 1 { printf "%s%s,%s,%s\n", (NR == 101 ? "\"" : ""), $1, $2, $4 }' "$log" > "$tmp/quote.csv"
$tool summary "$tmp/quote.csv" --as-of 1998-07-01 --rejects "$tmp/qrej" > /dev/null 2> "$tmp/err"
check "a stray quote costs one line, not the rest" \
      "winback: read $(($(wc -l < "$tmp/quote.csv") - 1)), accepted 69658, rejected 1 101" "$(cat "$tmp/err") $(cut -f1 "$tmp/qrej")"
# Two columns that both look like the amount: refused, naming both.
printf 'customer,value,date,total\nA,1,2024-01-01,5\n' > "$tmp/twoamounts.csv"
check "two amount columns name both" \
      "winback: $tmp/twoamounts.csv: columns 2 and 4 of the header both name the amount; choose one with --amount-col NAME" \
      "$($tool summary "$tmp/twoamounts.csv" --quiet 2>&1 >/dev/null)"
check "--amount-col picks one" 0 "$(status $tool summary "$tmp/twoamounts.csv" --amount-col total)"
# An output that is an input is refused before anything is opened.
head -50 "$log" > "$tmp/victim.txt"
ln "$tmp/victim.txt" "$tmp/alias.txt"
sum_before=$(cksum < "$tmp/victim.txt")
check "--rejects the log itself" 2 "$(status $tool plan "$tmp/victim.txt" --rejects "$tmp/victim.txt")"
check "--rejects the log by another name" 2 "$(status $tool plan "$tmp/victim.txt" --rejects "$tmp/alias.txt")"
check "--rejects the log read from stdin" 2 "$(status $tool plan - --rejects "$tmp/alias.txt" < "$tmp/victim.txt")"
check "the log survives" "$sum_before" "$(cksum < "$tmp/victim.txt")"
printf 'tier1_days = 45\n' > "$tmp/pol"
check "--rejects the policy file" 2 "$(status $tool plan "$tmp/victim.txt" --policy "$tmp/pol" --rejects "$tmp/pol")"
check "the policy file survives" "tier1_days = 45" "$(cat "$tmp/pol")"
# One mistyped year (2098) does not move the default as-of: without --as-of
# rows after today are rejected as dated in the future, and said so.
(cat "$log"; echo " 99999 20980101  1   10.00") > "$tmp/typo.txt"
$tool summary "$tmp/typo.txt" --rejects "$tmp/typorej" > "$tmp/typosum" 2> "$tmp/err"
check "a year typo leaves the plan as it was" "$(cat "$tmp/sum")" "$(cat "$tmp/typosum")"
check "a year typo is rejected and said" 2 "$(grep -c 'dated in the future' "$tmp/err" "$tmp/typorej" | awk -F: '{ s += $2 } END { print s }')"
# --as-of before some purchases: they are left out and counted, and the
# rest goes on (it used to fail the whole run naming no customer).
check "--as-of before some purchases" "0 winback: 12694 accepted rows fall after the as-of day 1998-01-01 and are left out" \
      "$(status $tool summary "$log" --as-of 1998-01-01 --quiet) $($tool summary "$log" --as-of 1998-01-01 --quiet 2>&1 >/dev/null)"
# A full disk is exit 3 with a message naming the output, for every command
# and for the rejects file (whose failure used to be blamed on the log).
if [ -w /dev/full ]; then
    for cmd in "summary $log --quiet" "plan $log --quiet" "plan $log --top 3 --quiet" "fit $log --quiet" \
               "clv --avg 1 --per-year 1" "romi --income 1 --spend 1" \
               "discount --price 1 --bp 1" "--version" "--help"; do
        # shellcheck disable=SC2086  # the command is meant to split
        got=$($tool $cmd 2>&1 > /dev/full || echo "rc=$?")
        check "full disk: $cmd" "winback: standard output: cannot write: No space left on device rc=3" \
              "$(echo $got)"
    done
    check "full disk: the rejects file" "3 winback: /dev/full: cannot write the rejects: No space left on device" \
          "$(status $tool summary "$tmp/bad.txt" --rejects /dev/full --quiet) $($tool summary "$tmp/bad.txt" --rejects /dev/full --quiet 2>&1 >/dev/null)"
fi
# Messages a user can act on: what is wrong, where, and what to do.
check "a directory as the log" "3 winback: $tmp: cannot read: Is a directory" \
      "$(status $tool plan "$tmp" --quiet) $($tool plan "$tmp" --quiet 2>&1)"
printf 'id,date,amount\nA,2024-01-01,5\n' | iconv -f UTF-8 -t UTF-16 > "$tmp/u16.csv"
check "a UTF-16 log" 1 "$($tool plan "$tmp/u16.csv" --quiet 2>&1 | grep -c 'is UTF-16 text.*iconv')"
check "calibration end before every purchase" 1 \
      "$($tool fit "$log" --calibration-end 1990-01-01 --quiet 2>&1 | grep -c 'no purchase on or before 1990-01-01, the calibration end')"
# One customer whose figures overflow is said and left out; the rest go on.
printf 'id,date,amount\nA,2024-01-01,50000000000000000\nA,2024-01-02,50000000000000000\nB,2024-01-01,5\n' > "$tmp/huge.csv"
check "a huge amount: its row refused, its customer left out, the rest planned" \
      "0 B winback: read 3, accepted 2, rejected 1|winback: customer A: result does not fit the 64-bit money type; left out|winback: 1 customers left out (see above; --strict stops at the first)" \
      "$(status $tool plan "$tmp/huge.csv" --as-of 2024-02-01) $($tool plan "$tmp/huge.csv" --as-of 2024-02-01 --format csv 2>"$tmp/err" | awk -F, 'NR > 1 { print $1 }') $(paste -sd'|' "$tmp/err")"
check "a huge amount under --strict" 1 "$(status $tool plan "$tmp/huge.csv" --as-of 2024-02-01 --strict)"
# --strict: the first bad row is fatal, exit code 1.
set +e
$tool summary "$tmp/bad.txt" --strict > /dev/null 2> "$tmp/err"; rc=$?
set -e
check "strict exit code" 1 "$rc"
check "strict names the line" 1 "$(grep -c 'bad.txt:100: bad date' "$tmp/err")"

# Standard input, an empty log and a header-only log.
check "stdin" "$(cat "$tmp/sum")" "$($tool summary - --as-of 1998-07-01 < "$log" 2>/dev/null)"
: > "$tmp/empty"
set +e
$tool plan "$tmp/empty" > /dev/null 2> "$tmp/err"; rc=$?
set -e
check "empty log" "1 winback: read 0, accepted 0, rejected 0" "$rc $(head -1 "$tmp/err")"
printf 'customer_id,date,amount\n' > "$tmp/header"
check "header-only log with --as-of" 0 "$(status $tool summary "$tmp/header" --as-of 2020-01-01)"

# A policy file, and its errors naming the line.
printf '# water delivery\ntier1_days = 45\n' > "$tmp/p1"
check "policy file" 0 "$(status $tool plan "$log" --policy "$tmp/p1" --quiet --top 1)"
printf 'tier1_days = 45\nnope = 3\n' > "$tmp/p2"
check "policy unknown key" "winback: $tmp/p2:2: unknown key 'nope'" \
      "$($tool plan "$log" --policy "$tmp/p2" 2>&1 >/dev/null)"
printf 'watch_days = 10\n\ntier2_days = 80\n' > "$tmp/p3"
check "policy rule names the line" \
      "winback: $tmp/p3:3: tier2_days breaks the policy's rules (see docs/policy.md)" \
      "$($tool plan "$log" --policy "$tmp/p3" 2>&1 >/dev/null)"

# Policy files: lines of any length (a long comment's tail is no setting),
# each key once, a byte order mark skipped, a directory named as such.
printf '# %05000d tier3_days = 400\n' 0 > "$tmp/plong"
check "a long comment line is a comment" \
      "$($tool plan "$log" --as-of 1998-07-01 --format csv --quiet | cksum)" \
      "$($tool plan "$log" --as-of 1998-07-01 --format csv --quiet --policy "$tmp/plong" | cksum)"
printf 'tier1_days = 45\ntier1_days = 50\n' > "$tmp/pdup"
check "a key set twice" "winback: $tmp/pdup:2: tier1_days is set again (first on line 1); set each key once" \
      "$($tool plan "$log" --policy "$tmp/pdup" 2>&1 >/dev/null)"
printf '\357\273\277tier1_days = 45\n' > "$tmp/pbom"
check "a policy file with a byte order mark" 0 "$(status $tool plan "$log" --policy "$tmp/pbom" --top 1)"
check "a directory as the policy" "winback: $tmp: cannot read: Is a directory" \
      "$($tool plan "$log" --policy "$tmp" 2>&1 >/dev/null)"
# A ROMI between -1 % and 0 keeps its sign (-34 bp printed "0.34 %" before).
check "summary ROMI keeps its sign" "projected ROMI -0.34 %" \
      "$($tool summary "$log" --as-of 1998-07-01 --cost 10 --return-rate 803 --quiet | grep 'projected ROMI' | tr -s ' ' | sed 's/^ //')"
check "romi keeps its sign" "romi -50 bp (-0.50 %)" "$($tool romi --income 199 --spend 200)"
# Hostile ids (commas, quotes, CR, LF, tab, NUL, invalid UTF-8, 1 KB) read
# back by Python's csv and json modules, and a multi-line reject on one line.
python3 test/tools/hostile_ids.py "$bin/programs/winback" "$tmp" > "$tmp/hostile" || true
check "hostile ids round trip" "hostile ids: 5 passed, 0 failed" "$(tail -1 "$tmp/hostile")"
# Calculators: the spec's worked examples.
check "clv" "clv 25000.00" "$($tool clv --avg 500 --per-year 10 --years 5)"
check "romi 8325" "romi 282105 bp (2821.05 %)" "$($tool romi --income 8325 --spend 285)"
check "romi 3840" "romi 124737 bp (1247.37 %)" "$($tool romi --income 3840 --spend 285)"
check "discount" "class lapsed-2, discount 1500 bp: 3.00 off, pay 16.99" \
      "$($tool discount --price 19.99 --days 200)"
# Money as text: an odd number of decimals, a value below one unit, zero,
# whole numbers of 1, 2 and 3 digits, and a negative rate.
check "money digits" "clv 0.150|clv 21000000000|clv 0.000|clv 7|clv 10|clv 100|romi -6667 bp (-66.67 %)" \
      "$($tool clv --avg 0.05 --per-year 1 --decimals 3)|$($tool clv --avg 1000000000 --per-year 7 --decimals 0)|$($tool clv --avg 0 --per-year 1 --decimals 3)|$($tool clv --avg 7 --per-year 1 --years 1 --decimals 0)|$($tool clv --avg 10 --per-year 1 --years 1 --decimals 0)|$($tool clv --avg 100 --per-year 1 --years 1 --decimals 0)|$($tool romi --income 1 --spend 3)"
check "romi spend 0 is an error" 1 "$(status $tool romi --income 1 --spend 0)"
# One option table for every command: --name=value everywhere, --decimals
# for the calculators too, and the defaults --help prints are the ones used.
check "clv default years, as --help says" "clv 15000.00" "$($tool clv --avg 500 --per-year 10)"
check "help prints the default years" 1 "$($tool clv --help | grep -c -- '--years N .*(default 3)')"
check "calculators take --name=value and --decimals" "clv 25000" \
      "$($tool clv --avg=500 --per-year=10 --years=5 --decimals 0)"
check "--rounding applies beside --policy" "class lapsed-2, discount 1500 bp: 2.99 off, pay 17.00" \
      "$($tool discount --price 19.99 --days 200 --policy "$tmp/p1" --rounding down)"
check "an option of another command is a usage error" 2 "$(status $tool summary "$log" --format csv)"
check "--calibration-end is fit's alone" 2 "$(status $tool plan "$log" --calibration-end 1998-01-01)"
check "--horizon needs --model" 2 "$(status $tool plan "$log" --horizon 10)"
check "--id-col needs a header" 2 "$(status $tool plan "$log" --no-header --id-col x)"
check "usage error" 2 "$(status $tool plan)"
check "missing file" 3 "$(status $tool plan "$tmp/nope")"

# BG/NBD on the paper's sample: the fit from the raw log reproduces Fader,
# Hardie & Lee (2005), r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4,
# and Gamma-Gamma p 6.25, q 3.74, gamma 15.44.
$tool fit test/data/CDNOW_sample.txt --no-header --columns 1,2,4 \
    --calibration-end 1997-09-30 > "$tmp/fit" 2> "$tmp/err"
check "fit BG/NBD" "0.243 4.414 0.793 2.426 -9582.4" \
      "$(awk '/^BG\/NBD/ { printf "%.3f %.3f %.3f %.3f %.1f", $3, $5, $7, $9, $11 }' "$tmp/fit")"
check "fit Gamma-Gamma" "6.25 3.74 15.44" \
      "$(awk '/^Gamma-Gamma/ { printf "%.2f %.2f %.2f", $3, $5, $7 }' "$tmp/fit")"
check "fit counts" "customers 2357 (946 repeat buyers), calibration to 1997-09-30, time in weeks" \
      "$(head -1 "$tmp/fit")"
check "fit leaves out the holdout rows" 1 "$(grep -c '1959 accepted rows fall after the calibration end' "$tmp/err")"
# A log that cannot identify the model: an error that says why, not
# parameters running off to infinity with exit 0.
{ echo "id,date,amount"; i=0; while [ $i -lt 300 ]; do i=$((i + 1));
  echo "C$i,2024-01-01,5"; echo "C$i,2024-01-08,5"; done; } > "$tmp/same.csv"
check "fit on identical customers" "1 1" \
      "$(status $tool fit "$tmp/same.csv" --calibration-end 2024-01-08) $($tool fit "$tmp/same.csv" --calibration-end 2024-01-08 2>&1 | grep -c 'cannot identify the model: 300 customers, 300 with repeat purchases, 1 distinct')"
# plan --model bgnbd: every lapsed, eligible customer is sleeping or gone,
# and sleeping ones get a reminder, not a discount.
$tool plan "$log" --as-of 1998-07-01 --model bgnbd --format csv --quiet > "$tmp/model.csv"
check "model columns" "id,last_purchase,days_since,class,action,discount_bp,clv,reasons,escalation,approach,earliest_contact,channel,offer_expires,signals,priority,p_alive,expected_purchases,state" \
      "$(head -1 "$tmp/model.csv")"
check "sleeping get no discount" 0 \
      "$(awk -F, '$NF == "sleeping" && ($6 != 0 || $10 != "reminder")' "$tmp/model.csv" | wc -l)"
check "every win-back is sleeping or gone" 0 \
      "$(awk -F, 'NR > 1 && $5 == "winback" && $NF != "sleeping" && $NF != "gone"' "$tmp/model.csv" | wc -l)"
check "p_alive within [0, 1]" 0 \
      "$(awk -F, 'NR > 1 && ($(NF-2) < 0 || $(NF-2) > 1)' "$tmp/model.csv" | wc -l)"

# The generator is deterministic.
check "genlog deterministic" "$("$bin/test/tools/genlog" 1000 100 | cksum)" "$("$bin/test/tools/genlog" 1000 100 | cksum)"
"$bin/test/tools/genlog" 5000 700 > "$tmp/gen.csv"
check "genlog log reads clean" "winback: read 5000, accepted 5000, rejected 0" \
      "$($tool summary "$tmp/gen.csv" 2>&1 >/dev/null | head -1)"

# Every proof target names what a fresh machine lacks: deps.sh, with a
# dpkg that knows no package, gives the exact apt-get line for each.
mkdir -p "$tmp/nodpkg"
printf '#!/bin/sh\nexit 1\n' > "$tmp/nodpkg/dpkg-query"
chmod +x "$tmp/nodpkg/dpkg-query"
for spec in firmware:gcc-arm-none-eabi coverage:gcovr lint:clang-tidy fuzz:libclang-rt-14-dev \
            cross:gcc-s390x-linux-gnu; do
    mode=${spec%%:*}; pkg=${spec#*:}
    check "deps.sh names $pkg for make $mode" "1 1" \
          "$(PATH="$tmp/nodpkg:$PATH" status sh scripts/deps.sh check "$mode") $(PATH="$tmp/nodpkg:$PATH" sh scripts/deps.sh check "$mode" 2>&1 | grep -c "apt-get install.* $pkg")"
done

# Options that do not apply to a command are refused, never ignored.
check "fit refuses --as-of" 2 "$(status $tool fit "$log" --as-of 1998-01-01)"
check "fit refuses --format" 2 "$(status $tool fit "$log" --format json)"
check "summary refuses --top and --model" "2 2" \
      "$(status $tool summary "$log" --top 3) $(status $tool summary "$log" --model bgnbd)"
check "plan refuses --unit without --model" 2 "$(status $tool plan "$log" --unit days)"


# --customers: what a CRM knows, joined by id. Known columns change the
# decision; a customer absent from the log is "never bought"; other columns
# are dimensions for summary --by.
printf 'id,Reason,severity,strategic,nps,region,cost\n00001,price,,yes,,north,1.00\n00002,service,3,,,south,\n99999,,,,9,north,\n00003,Lost Interest,,,2,south,\n' > "$tmp/crm.csv"
$tool plan "$log" --as-of 1998-07-01 --customers "$tmp/crm.csv" --format csv > "$tmp/crm-plan.csv" 2> "$tmp/crm-err"
check "customers: every row accounted for" "winback: customers $tmp/crm.csv: read 4, accepted 4, rejected 0" \
      "$(grep customers "$tmp/crm-err")"
check "customers: one more row, never bought" "23572 99999,-,-1,never,none" \
      "$(wc -l < "$tmp/crm-plan.csv") $(grep '^99999,' "$tmp/crm-plan.csv" | cut -d, -f1-5)"
check "customers: severity 3 service goes to the head of department by phone" \
      "head-of-department,personal-call,1998-07-01,phone-call" \
      "$(grep '^00002,' "$tmp/crm-plan.csv" | cut -d, -f9-12)"
check "customers: a strategic customer's own cost and weighted priority" "23.30 7.68" \
      "$(grep '^00001,' "$tmp/crm-plan.csv" | awk -F, '{ print $7, $NF }')"
check "customers: a detractor is lost by signal" "detractor" \
      "$(grep '^00003,' "$tmp/crm-plan.csv" | awk -F, '{ gsub(/"/, "", $14); print $14 }')"
check "summary --by a column adds up" "(none) 23567 20286|north 2 1|south 2 1" \
      "$($tool summary "$log" --as-of 1998-07-01 --customers "$tmp/crm.csv" --by region --format csv --quiet |
         awk -F, 'NR > 1 { printf "%s%s %s %s", sep, $1, $2, $3; sep = "|" }' | sort)"
# Bad rows: each rejected with its line and reason, and counted.
printf 'id,reason,severity,nps\n00001,pricey,,\n00002,,7,\n00003,,,11\n"0000\377",,,\n00005,price,2,5\n00006,price,2\n' > "$tmp/crm-bad.csv"
$tool summary "$log" --as-of 1998-07-01 --customers "$tmp/crm-bad.csv" > /dev/null 2> "$tmp/crm-err"
check "customers: bad rows named" "2:reason 3:severity 4:nps 5:column 7:3" \
      "$(grep -o 'crm-bad.csv:[0-9]*: [a-z0-9]*' "$tmp/crm-err" | sed 's/.*csv://; s/: /:/' | tr '\n' ' ' | sed 's/ $//')"
check "customers: read = accepted + rejected" "read 6, accepted 1, rejected 5" \
      "$(grep -o 'read 6, .*' "$tmp/crm-err")"
check "customers: --strict stops at a bad row" 1 \
      "$(status $tool summary "$log" --as-of 1998-07-01 --customers "$tmp/crm-bad.csv" --strict)"
printf 'id,reason\n00001,price\n00002,\n00001,service\n' > "$tmp/crm-dup.csv"
check "customers: a duplicate id names both lines" "1 1" \
      "$(status $tool plan "$log" --customers "$tmp/crm-dup.csv") $($tool plan "$log" --customers "$tmp/crm-dup.csv" 2>&1 | grep -c 'crm-dup.csv:4: id 00001 is already on line 2')"
: > "$tmp/crm-empty.csv"
check "customers: an empty file" "1 1" \
      "$(status $tool plan "$log" --customers "$tmp/crm-empty.csv") $($tool plan "$log" --customers "$tmp/crm-empty.csv" 2>&1 | grep -c 'empty: a header row')"
printf 'id,incident_day\n00001,2030-01-01\n' > "$tmp/crm-future.csv"
check "customers: a date after the plan's day" 1 \
      "$($tool plan "$log" --as-of 1998-07-01 --customers "$tmp/crm-future.csv" 2>&1 | grep -c 'crm-future.csv:2: incident_day: 2030-01-01 is after')"
check "--by a column needs --customers" 2 "$(status $tool summary "$log" --by region)"
check "summary --format needs --by" 2 "$(status $tool summary "$log" --format csv)"
# R13: losses per quarter add up to the losses per column (one group).
check "summary --by quarter and by a column agree" "$($tool summary "$log" --as-of 1998-07-01 --by quarter --format csv --quiet | awk -F, 'NR > 1 { l += $2; r += $3 } END { print l, r }')" \
      "$($tool summary "$log" --as-of 1998-07-01 --customers "$tmp/crm.csv" --by region --format csv --quiet | awk -F, 'NR > 1 { l += $4; r += $5 } END { print l, r }')"


# outcome (R12): a historical replay on CDNOW -- the lapsed customers of
# 1997-10-01 "contacted" that day, measured to 1998-06-30 -- and a small
# file whose figures are worked out by hand.
$tool plan "$log" --as-of 1997-10-01 --format csv --quiet |
    awk -F, 'NR == 1 { print "id,contact_day,campaign,cost" }
             NR > 1 && $5 == "winback" && ($4 == "lapsed-1" || $4 == "lapsed-2") {
                 print $1 ",1997-10-01,replay-" $4 ",2.00" }' > "$tmp/contacted.csv"
$tool outcome "$log" --contacted "$tmp/contacted.csv" --as-of 1998-06-30 --format csv \
    > "$tmp/outcome.csv" 2> "$tmp/outcome-err"
check "outcome: every contact accounted for" "read 19109, accepted 19109, rejected 0" \
      "$(grep -o 'read 19109.*' "$tmp/outcome-err")"
check "outcome: groups and total" "replay-lapsed-1 replay-lapsed-2 total" \
      "$(awk -F, 'NR > 1 { printf "%s%s", sep, $1; sep = " " }' "$tmp/outcome.csv")"
check "outcome: the total adds the groups" "$(awk -F, 'NR > 1 && $1 != "total" { c += $2; r += $3 } END { print c, r }' "$tmp/outcome.csv")" \
      "$(awk -F, '$1 == "total" { print $2, $3 }' "$tmp/outcome.csv")"
# Returns counted a second way, with awk: contacted ids with a purchase in
# 1997-10-02 .. 1997-12-30 (90 days).
check "outcome: returns agree with awk" "$(awk 'NR == FNR { if (FNR > 1) { split($0, f, ","); c[f[1]] = 1 }; next }
           $2 >= 19971002 && $2 <= 19971230 && ($1 in c) { back[$1] = 1 }
           END { n = 0; for (k in back) n++; print n }' "$tmp/contacted.csv" "$log")" \
      "$(awk -F, '$1 == "total" { print $3 }' "$tmp/outcome.csv")"
printf 'id,contact_day,variant,cost\n00001,1997-03-01,A,1.00\n00002,1997-03-01,B,\n99999,1997-03-01,A,\n' > "$tmp/few.csv"
$tool outcome "$log" --contacted "$tmp/few.csv" --as-of 1998-06-30 --window 365 --format csv --cost 0.50 \
    > "$tmp/few-out.csv" 2> "$tmp/few-err"
check "outcome: a contacted customer absent from the log" 1 \
      "$(grep -c '1 contacted customers have no purchase in the log' "$tmp/few-err")"
check "outcome: per variant, cost from the row or --cost" "A,2,0,1.50|B,1,0,0.50|total,3,0,2.00" \
      "$(awk -F, 'NR > 1 { printf "%s%s,%s,%s,%s", sep, $1, $2, $3, $14; sep = "|" }' "$tmp/few-out.csv")"
printf 'id,contact_day\n00001,1997-13-01\n"0000\377",1997-10-01\n00003,1999-01-01\n00004\n00005,1997-10-01\n' > "$tmp/bad-contacts.csv"
$tool outcome "$log" --contacted "$tmp/bad-contacts.csv" --as-of 1998-06-30 > /dev/null 2> "$tmp/bad-err"
check "outcome: bad rows named" "2:contact_day 3:column 4:contact_day 5:1" \
      "$(grep -o 'bad-contacts.csv:[0-9]*: [a-z0-9_]*' "$tmp/bad-err" | sed 's/.*csv://; s/: /:/' | sort | tr '\n' ' ' | sed 's/ $//')"
check "outcome: read = accepted + rejected" "read 5, accepted 1, rejected 4" \
      "$(grep -o 'read 5, .*' "$tmp/bad-err")"
printf 'id,contact_day\n00001,1997-10-01\n00001,1997-11-01\n' > "$tmp/dup-contacts.csv"
check "outcome: a duplicate id names both lines" "1 1" \
      "$(status $tool outcome "$log" --contacted "$tmp/dup-contacts.csv") $($tool outcome "$log" --contacted "$tmp/dup-contacts.csv" 2>&1 | grep -c 'dup-contacts.csv:3: id 00001 is already on line 2')"
: > "$tmp/no-contacts.csv"
check "outcome: an empty file" 1 "$(status $tool outcome "$log" --contacted "$tmp/no-contacts.csv")"
check "outcome needs --contacted" 2 "$(status $tool outcome "$log")"


# report: one self-contained page whose figures are summary's.
$tool report "$log" --as-of 1998-07-01 --cost 2.00 --model bgnbd -o "$tmp/report.html" --quiet
$tool summary "$log" --as-of 1998-07-01 --cost 2.00 --quiet > "$tmp/summary.txt"
check "report: well-formed, self-contained, summary's figures" 0 \
      "$(python3 test/tools/check_report.py "$tmp/report.html" "$tmp/summary.txt" > "$tmp/check-report" 2>&1; echo $?)"
$tool report "$log" --as-of 1998-07-01 --customers "$tmp/crm.csv" -o "$tmp/report2.html" --quiet
$tool summary "$log" --as-of 1998-07-01 --customers "$tmp/crm.csv" --quiet > "$tmp/summary2.txt"
check "report with --customers: summary's figures, never-bought included" 0 \
      "$(python3 test/tools/check_report.py "$tmp/report2.html" "$tmp/summary2.txt" > /dev/null 2>&1; echo $?)"
check "report needs -o" 2 "$(status $tool report "$log")"
check "report never overwrites its input" 2 "$(status $tool report "$log" -o "$log")"

# Threads: each thread reads a byte range of the log and holds its rows by
# ledger part, then adds its share of the parts (or, when a range would
# begin inside a quoted field, one thread reads the whole log), and the
# plans are made in ranges of customers; the output must not depend on
# how many (but for fit's own timing). On CDNOW and on generated logs whose
# ids fall in every part, in every format, with --model and --customers
# too. The ledger takes a part for each MiB of log, at least one a thread:
# the 5.3 MB log has 5 parts on 1 to 3 threads (3 threads share them
# unevenly) and 7 on 7.
"$bin/test/tools/genlog" 60000 9000 > "$tmp/gen60k.csv"
"$bin/test/tools/genlog" 200000 30000 > "$tmp/gen200k.csv"
# The summary adds its customers up in one range per thread, and does it
# again on one thread where a customer fails or a sum overflows: here the
# first and last customers' revenues overflow only once added together
# (two ranges apart), and a customer fails inside a range.
huge=50000000000000000
{ cat "$tmp/gen60k.csv"; printf 'A,2024-01-01,%s\nZZZZ,2024-01-01,%s\n' $huge $huge; } > "$tmp/gen-sum.csv"
{ cat "$tmp/gen60k.csv"; printf 'A,2024-01-01,%s\nAB,2024-01-01,%s\n' $huge $huge; } > "$tmp/gen-fail.csv"
check "the overflow cases: said on stderr" "1 1" \
      "$($tool summary "$tmp/gen-sum.csv" 2>&1 | grep -c 'customer ZZZZ: result does not fit') $($tool summary "$tmp/gen-fail.csv" 2>&1 | grep -c 'customer AB: result does not fit')"
# Ids of every length from 1 to 64 bytes: the held rows copy short ones
# in pieces by length (spill.c).
awk 'BEGIN { s = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
             print "customer_id,date,amount";
             for (i = 0; i < 40000; i++) { k = i % 997; printf "%s%d,2024-%02d-%02d,%d.25\n",
                 substr(s, 1 + k % 7, k % 64 + 1 - length(k "")), k, i % 12 + 1, i % 28 + 1, i % 500 } }' \
    | awk -F, 'NR == 1 || length($1) <= 64' > "$tmp/idlens.csv"
threads_differ=""
for args in "plan $log --as-of 1998-07-01 --format csv" "plan $log --as-of 1998-07-01 --model bgnbd" \
            "plan $tmp/idlens.csv --as-of 2025-01-01 --format csv" \
            "plan $log --as-of 1998-07-01 --format json --customers $tmp/crm.csv" \
            "summary $log --as-of 1998-07-01 --by quarter" "fit $log --calibration-end 1997-09-30" \
            "plan $tmp/gen60k.csv --format csv" "summary $tmp/gen60k.csv" \
            "plan $tmp/gen200k.csv --format csv" \
            "summary $tmp/gen-sum.csv" "summary $tmp/gen-fail.csv"; do
    # shellcheck disable=SC2086
    $tool $args --quiet --threads 1 2>&1 | grep -v '^fit time' > "$tmp/t1"
    for t in 2 3 7; do
        # shellcheck disable=SC2086
        $tool $args --quiet --threads $t 2>&1 | grep -v '^fit time' > "$tmp/tn"
        cmp -s "$tmp/t1" "$tmp/tn" || threads_differ="$threads_differ [$args --threads $t]"
    done
done
check "output does not depend on --threads" "" "$threads_differ"
# --rejects sends the rows straight to the ledger, not through the held
# rows: the ids of every length come out the same either way.
$tool plan "$tmp/idlens.csv" --as-of 2025-01-01 --format csv --quiet --threads 2 > "$tmp/ids-held"
$tool plan "$tmp/idlens.csv" --as-of 2025-01-01 --format csv --quiet --rejects "$tmp/ids-rej" > "$tmp/ids-direct"
# A log cut short while the threads read it (mapped.c): the run stops
# with exit 3 and says so, or, when the cut came before or after the
# reading, ends as usual (an empty log, with --as-of, is a summary of
# nothing); never killed by SIGBUS. The cut's moment is the machine's
# (under valgrind, before the reading starts); the outcome must be one
# of those whenever it falls.
"$bin/test/tools/genlog" 1500000 100000 > "$tmp/big.csv"
cut_runs=""
for delay in 0.005 0.02 0.05; do
    cp "$tmp/big.csv" "$tmp/cut.csv"
    { rc=0; $tool summary "$tmp/cut.csv" --as-of 2026-01-01 --quiet --threads 2 \
          > /dev/null 2> "$tmp/cut.err" || rc=$?
      echo $rc > "$tmp/cut.rc"; } &
    sleep $delay
    : > "$tmp/cut.csv"
    wait
    rc=$(cat "$tmp/cut.rc")
    if [ "$rc" = 3 ] && grep -q 'the log was cut short while it was read' "$tmp/cut.err"; then
        cut_runs="$cut_runs cut"
    elif [ "$rc" = 0 ]; then
        cut_runs="$cut_runs whole"
    else
        cut_runs="$cut_runs exit-$rc"
    fi
done
rm -f "$tmp/big.csv" "$tmp/cut.csv"
check "a log cut short while read: exit 3 and said, or read whole; no signal" "" \
      "$(echo "$cut_runs" | tr ' ' '\n' | grep -v -e '^cut$' -e '^whole$' -e '^$')"
check "ids of 1 to 64 bytes: held or not, the same plan" "0 998" \
      "$(cmp -s "$tmp/ids-held" "$tmp/ids-direct"; echo $?) $(wc -l < "$tmp/ids-held")"
# A note of 15 quoted line breaks on every row: nearly every cut between
# ranges falls inside quotes, and the log is then read whole; a log of a
# header and one row without a line break has too little to cut.
awk 'BEGIN { print "customer_id,date,amount,note";
             for (i = 0; i < 300; i++) { printf "%d,2024-%02d-%02d,%d.50,\"", i % 37, i % 12 + 1, i % 28 + 1, i;
                                         for (k = 0; k < 15; k++) printf "n%d\n", k; print "end\"" } }' > "$tmp/quoted.csv"
printf 'customer_id,date,amount\n7,2024-01-02,3.00' > "$tmp/oneline.csv"
split_differ=""
for f in quoted oneline; do
    $tool summary "$tmp/$f.csv" --as-of 2025-01-01 --threads 1 > "$tmp/s1" 2>&1
    for t in 2 3 7; do
        $tool summary "$tmp/$f.csv" --as-of 2025-01-01 --threads $t > "$tmp/sn" 2>&1
        cmp -s "$tmp/s1" "$tmp/sn" || split_differ="$split_differ [$f --threads $t]"
    done
done
check "quoted line breaks across ranges, and a one-line log: the same on any --threads" "" "$split_differ"
check "the quoted log's rows are all read" "winback: read 300, accepted 300, rejected 0" \
      "$($tool summary "$tmp/quoted.csv" --as-of 2025-01-01 --threads 3 2>&1 >/dev/null | grep '^winback: read')"
# The rows held while reading are added whenever the threads together
# hold WINBACK_HOLD_MAX bytes: every thread stops at its next row to add
# its parts' rows, read or not. With a small budget there are many such
# meetings (and, on the quoted log, meetings before the split reading is
# found void and the log read whole): the same output.
hold_differ=""
$tool plan "$tmp/gen200k.csv" --format csv --quiet --threads 2 > "$tmp/h-ref"
for t in 1 2 3 7; do
    WINBACK_HOLD_MAX=64k $tool plan "$tmp/gen200k.csv" --format csv --quiet --threads $t > "$tmp/h-out"
    cmp -s "$tmp/h-ref" "$tmp/h-out" || hold_differ="$hold_differ [gen200k --threads $t]"
    WINBACK_HOLD_MAX=1 $tool summary "$tmp/quoted.csv" --as-of 2025-01-01 --threads $t > "$tmp/h-out" 2>&1
    $tool summary "$tmp/quoted.csv" --as-of 2025-01-01 --threads $t > "$tmp/h-ref2" 2>&1
    cmp -s "$tmp/h-ref2" "$tmp/h-out" || hold_differ="$hold_differ [quoted --threads $t]"
done
check "a small WINBACK_HOLD_MAX: many meetings, the same output" "" "$hold_differ"
check "WINBACK_HOLD_MAX that is not a count of bytes" \
      "2 2 2 2 winback: WINBACK_HOLD_MAX: \"12q\" is not a count of bytes (digits, then k, M or G if wanted)" \
      "$(WINBACK_HOLD_MAX=12q status $tool summary "$log") $(WINBACK_HOLD_MAX=0 status $tool summary "$log") $(WINBACK_HOLD_MAX=-5 status $tool summary "$log") $(WINBACK_HOLD_MAX=99999999999G status $tool summary "$log") $(WINBACK_HOLD_MAX=12q $tool summary "$log" 2>&1)"
check "WINBACK_HOLD_MAX in G" 0 "$(WINBACK_HOLD_MAX=2G status $tool summary "$log")"
check "--threads 1 and 2 agree on the read line" \
      "$($tool summary "$log" --threads 1 2>&1 >/dev/null)" "$($tool summary "$log" --threads 2 2>&1 >/dev/null)"
check "--threads out of range" "2 2" "$(status $tool plan "$log" --threads 65) $(status $tool plan "$log" --threads -1)"
$tool plan - --as-of 1998-07-01 --format csv --threads 2 < "$log" > "$tmp/stdin.csv" 2> "$tmp/stdin-err"
check "standard input with --threads 2: the note, the same plan" \
      "winback: --threads 2: reading on one thread (standard input) same" \
      "$(grep 'threads' "$tmp/stdin-err") $($tool plan "$log" --as-of 1998-07-01 --format csv --quiet | cmp -s - "$tmp/stdin.csv" && echo same)"
check "--rejects reads on one thread, said" \
      "winback: --threads 2: reading on one thread (--rejects)" \
      "$($tool summary "$log" --threads 2 --rejects "$tmp/rej-t.txt" 2>&1 >/dev/null | grep threads)"

echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
