#!/usr/bin/env bash
# Short fuzzing run of the input reader, the sentence splitter, the extractor and the
# dictionary readers.
# Usage: .ci/fuzz.sh [GEOKG_BINARY]   (the binary is not needed; accepted for uniformity)
# FUZZ_SECONDS (default 60) per target. Fails when a target crashes.
# Stable toolchain: cargo-fuzz needs nightly flags, which RUSTC_BOOTSTRAP=1 unlocks; no
# sanitizer (-s none), so no nightly-only runtime is needed.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    if ! cargo install cargo-fuzz --locked; then
        echo "fuzz: SKIPPED: cargo-fuzz cannot be installed here"
        exit 0
    fi
fi
if ! command -v c++ >/dev/null 2>&1; then
    echo "fuzz: SKIPPED: libFuzzer needs a C++ compiler (c++ not found)"
    exit 0
fi

export RUSTC_BOOTSTRAP=1
for target in input_reader sentence_splitter extractor dictionaries; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus" fuzz/artifacts
    # Seed with the example articles so the run starts from real news text, and the
    # dictionary target with small dictionaries of each kind.
    if [ "$target" = dictionaries ]; then
        cp -n fuzz/seeds/dictionaries/* "$corpus"/ 2>/dev/null || true
    else
        cp -n examples/articles/* "$corpus"/ 2>/dev/null || true
    fi
    echo "fuzz: $target for ${seconds}s"
    cargo fuzz run -s none --release "$target" "$corpus" -- \
        -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 \
        -artifact_prefix="fuzz/artifacts/$target-" 2>&1 | tail -n 25
    status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
        echo "fuzz: $target FAILED (exit $status); the crashing input is in fuzz/artifacts/"
        exit 1
    fi
done
echo "fuzz: all targets ran ${seconds}s without a crash"
