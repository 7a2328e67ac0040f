#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzz the input readers (model file TOML, the three CSV files) with libFuzzer.
#   scripts/fuzz.sh [SECONDS]        build with -sanitize=fuzzer and fuzz (default 600 s)
#   scripts/fuzz.sh --seed-only DIR  only write the seed corpus into DIR
# The seed corpus is built from Tests/Fixtures and the sample: the first byte of each input
# says which file it stands for (0 model file, 1 accounts.csv, 2 regions.csv, 3 footprint.csv).
# Crashes are written to .build-fuzz/crashes/; add each as a test before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."

seed() {
  local out="$1" n=0
  mkdir -p "$out"
  while IFS= read -r -d '' file; do
    local selector
    case "$(basename "$file")" in
      *.toml) selector='\x00' ;;
      accounts.csv) selector='\x01' ;;
      regions.csv) selector='\x02' ;;
      footprint.csv) selector='\x03' ;;
      *) continue ;;
    esac
    n=$((n + 1))
    { printf "$selector"; cat "$file"; } > "$out/seed-$n"
  done < <(find Tests/Fixtures data/sample models -type f \( -name '*.toml' -o -name '*.csv' \) -print0 | sort -z)
  echo "$n seed inputs in $out"
}

if [ "${1:-}" = "--seed-only" ]; then
  seed "$2"
  exit 0
fi

seconds="${1:-600}"
# swiftc's -sanitize=fuzzer links libFuzzer's own main, which clashes with the main SwiftPM
# defines for every executable on Linux; so the code is instrumented for libFuzzer directly
# (inline 8-bit counters, PC table, comparisons) under AddressSanitizer, and libFuzzer is
# linked without its main: the target's main calls LLVMFuzzerRunDriver.
runtime="$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib/clang"
fuzzer_library="$(find "$runtime" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)"
flags=(--product salesmotion-fuzz --scratch-path .build-fuzz
       -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
       -Xswiftc -DFUZZING -Xlinker "$fuzzer_library" -Xlinker -lstdc++)
swift build "${flags[@]}"
binary="$(swift build "${flags[@]}" --show-bin-path)/salesmotion-fuzz"
corpus=.build-fuzz/corpus
mkdir -p .build-fuzz/crashes
[ -d "$corpus" ] || seed "$corpus"
# Swift's runtime keeps caches for the life of the process; LeakSanitizer would call them leaks.
ASAN_OPTIONS=detect_leaks=0 "$binary" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=4096 -artifact_prefix=.build-fuzz/crashes/ -print_final_stats=1
