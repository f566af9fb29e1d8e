#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built: install the Rust toolchain the
# package was made with, then build the grader, the reference probes and every dependency, so that
# grading a submission compiles only the student's own code, offline.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
ROOT="${AUTOGRADER_ROOT:-/autograder}"
# The toolchain `grader gradescope` was run with (the one the course was tested on).
RUST_VERSION="@RUST_VERSION@"
source "$HOME/.cargo/env" 2>/dev/null || true
if ! cargo --version 2>/dev/null | grep -q "^cargo $RUST_VERSION "; then
    if ! command -v rustup >/dev/null; then
        apt-get update -q && apt-get install -y -q --no-install-recommends curl ca-certificates build-essential
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain none
        source "$HOME/.cargo/env"
    fi
    rustup toolchain install "$RUST_VERSION" --profile minimal
    rustup default "$RUST_VERSION"
fi
cd "$ROOT/source"
# Every dependency at the version of Cargo.lock, fetched now: grading runs offline.
cargo fetch --locked
cargo build --locked -p grader
# Grading the stubs builds everything a real submission needs; its score does not matter.
cargo run --frozen -q -p grader -- check labs --seed 0 >/dev/null
# The catalogued mistakes the feedback diagnoses, built now rather than on a student's first failure.
cargo run --frozen -q -p grader -- mistakes >/dev/null
