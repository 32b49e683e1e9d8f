#!/bin/sh
# docscheck.sh -- facts the docs state that the code states too, checked
# against the code (make check runs it).
#
# Usage: scripts/docscheck.sh POLICY_TABLE_TOOL WINBACK LIB_SOURCE...
#   - docs/policy.md's table: every key, default and range as the library's
#     field table has them (test/tools/policy_table.c);
#   - every C file under lib/ is in a tier folder, and so in the build's
#     source list (lib/sources.mk): a file elsewhere would be left out;
#   - winback(1) documents every option that `winback --help` lists;
#   - sources are cited by the keys docs/sources.md defines ([Rules] ...),
#     never by the names of files a reader of the project does not have.
set -eu
tool=$1
winback=$2
shift 2
bad=0

"$tool" docs/policy.md || bad=1

for f in $(find lib -name '*.c' | sort); do
    case " $* " in *" $f "*) ;; *)
        echo "docscheck: $f is in no tier folder of lib/ (lib/README.md)"; bad=1 ;;
    esac
done

for opt in $("$winback" --help | sed -n 's/^  \(--[a-z-]*\).*/\1/p'); do
    grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" programs/winback/winback.1 ||
        { echo "docscheck: winback(1) does not document $opt"; bad=1; }
done

texts="README.md CHANGELOG.md docs include lib programs examples scripts test/tools"
hits=$(grep -rni --exclude=docscheck.sh "seeds\? 00[0-9]\|shared/seeds\|SPEC\.md" $texts || true)
if [ -n "$hits" ]; then
    echo "$hits"
    echo "docscheck: cite the sources by their docs/sources.md keys"; bad=1
fi
keys=$(sed -n 's/^## \[\([A-Za-z-]*\)\].*/\1/p' docs/sources.md)
[ -n "$keys" ] || { echo "docscheck: docs/sources.md defines no keys"; bad=1; }
# A citation is a capitalised word in brackets not followed by "(" (a link).
for cite in $(grep -rhoE '\[[A-Z][a-z]+(-[a-z]+)*\]([^(]|$)' $texts |
              sed 's/^\[\([^]]*\)\].*/\1/' | sort -u); do
    echo "$keys" | grep -qx "$cite" ||
        { echo "docscheck: [$cite] is cited but docs/sources.md does not define it"; bad=1; }
done
[ $bad -eq 0 ] && echo "docscheck: tiers, citations, options and the policy table agree with the code"
exit $bad
