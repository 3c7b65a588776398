#!/bin/sh
# Runs every C test binary and the Lua suite, sums their `N passed, M failed`
# lines and prints the total last.  Exit status: 0 only when nothing failed.
BUILD=${BUILD:-build}
# A hung test fails by name instead of stalling the whole run (seconds per file).
LIMIT=${TEST_TIMEOUT:-900}
total_p=0; total_f=0
run_one() {
    name=$1; shift
    out=$(timeout "$LIMIT" "$@" 2>&1 </dev/null); rc=$?
    [ "$rc" = 124 ] && out="$out
$name: timed out after ${LIMIT}s"
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -n 20
        echo "$name: no result line (exit $rc)"; total_f=$((total_f + 1)); return
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    if [ "$f" != 0 ] || [ "$rc" != 0 ]; then printf '%s\n' "$out" | grep -v '^ok ' | tail -n 40; fi
    [ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
    echo "$name: $line"
    total_p=$((total_p + p)); total_f=$((total_f + f))
}
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] && run_one "c/$(basename "$t")" "$t"
done
for t in tests/lua/test_*.lua; do
    [ -f "$t" ] && run_one "lua/$(basename "$t" .lua)" "$BUILD/th" tests/lua/run.lua "$t"
done
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
