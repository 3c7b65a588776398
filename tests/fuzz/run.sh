#!/bin/sh
# Builds and runs the .t7 reader fuzzers (libFuzzer; needs clang).
#   tests/fuzz/run.sh [seconds-per-harness]      (from the repo root)
# fuzz_t7:   file.c primitives + a C walk of the object graph (no Lua);
# fuzz_load: the real reader (File.lua + lfile.c + the tensor core) through an
#            embedded Lua state, on torch.deserialize(input, mode).
# Seeds are the golden .t7 files, each prefixed with the mode byte the
# harness expects.  New corpus entries and crash files go to $BUILD/fuzz/.
set -e
SECS=${1:-60}
BUILD=${BUILD:-build}
OUT=$BUILD/fuzz
CC=${FUZZ_CC:-clang}
LUA_PC=${LUA_PC:-lua5.4}
FLAGS="-g -O1 -march=native -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE -Isrc"
mkdir -p "$OUT/corpus_t7" "$OUT/corpus_load" "$OUT/crashes"

# seeds: mode byte (bit 0 binary, bit 1 longSize 4, bit 2 DiskFile) + bytes
for f in tests/golden/t7/*.t7; do
    b=$(basename "$f" .t7)
    case $b in
        *.b32) modes="3 7" ;;
        *.bin) modes="1 5" ;;
        *) modes="0 4" ;;
    esac
    for m in $modes; do
        for dir in corpus_t7 corpus_load; do
            { printf "\\$(printf %o "$m")"; cat "$f"; } > "$OUT/$dir/seed_${b}_$m"
        done
    done
done

CORE="$(ls src/*.c | grep -v '^src/l' | grep -v '^src/th.c')"
$CC $FLAGS tests/fuzz/fuzz_t7.c src/file.c src/error.c src/dtype.c -o "$OUT/fuzz_t7"
"$OUT/fuzz_t7" -max_total_time="$SECS" -max_len=4096 -rss_limit_mb=2048 \
    -artifact_prefix="$OUT/crashes/t7-" "$OUT/corpus_t7" 2>&1 | grep -vE "NEW|REDUCE|pulse|Uses:|dictionary" | tail -n 8

if [ -f tests/fuzz/fuzz_load.c ]; then
    # everything (core + bindings) linked in and instrumented; ember.core is
    # preloaded instead of dlopen'ed
    $CC $FLAGS $(pkg-config --cflags $LUA_PC openblas) tests/fuzz/fuzz_load.c $CORE src/l*.c \
        $(pkg-config --libs $LUA_PC openblas zlib) -lm -lpthread -o "$OUT/fuzz_load"
    "$OUT/fuzz_load" -max_total_time="$SECS" -max_len=4096 -rss_limit_mb=2048 \
        -artifact_prefix="$OUT/crashes/load-" "$OUT/corpus_load" 2>&1 | grep -vE "NEW|REDUCE|pulse|Uses:|dictionary" | tail -n 8
fi
