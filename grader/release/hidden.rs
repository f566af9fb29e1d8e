//! The student edition has no hidden cases: their generators, like the reference solutions, stay
//! with the instructor. This module keeps the three functions the grader calls, answering "none",
//! so `cargo run -p grader` grades the public cases (the lecture documents' worked examples).

use nnlab_check::Value;

use crate::cases::{CrossCheck, Input};

/// No hidden cases in this edition.
pub fn cases(_lab: &str, _exercise: &str, _seed: u64) -> Option<Vec<Input>> {
    None
}

/// No cross-checks in this edition.
pub fn cross_check(_lab: &str, _exercise: &str, _seed: u64) -> Option<CrossCheck> {
    None
}

/// No hidden experiments in this edition.
pub fn outcome_cases(_lab: &str, _exercise: &str, _seed: u64) -> Option<Vec<(Input, Value)>> {
    None
}
