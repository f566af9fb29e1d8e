//! What grading needs from whoever draws the hidden cases: the shape of an input and of a
//! cross-check, and the trait the grader asks. The instructor's crate `nnlab-hidden` implements
//! it; [`PublicOnly`], its default, draws none — the student edition, which has neither that crate
//! nor the reference solutions, grades the public cases only.

use std::collections::BTreeMap;

use crate::{Tol, Value};

/// The named inputs of one case.
pub type Input = BTreeMap<String, Value>;

/// Hidden cases whose expected value comes by a second route rather than from the reference's
/// answer to the same exercise: the reference's probe runs `oracle` on them instead.
pub struct CrossCheck {
    /// The probe call that computes the expected values (not an exercise students write).
    pub oracle: &'static str,
    /// How reports name these cases.
    pub what: &'static str,
    /// The inputs, sent to the student's exercise unchanged.
    pub inputs: Vec<Input>,
    /// The tolerance of the second route, looser than the exercise's own.
    pub tol: Tol,
}

/// A source of hidden cases, drawn from a grading run's `seed`. Every method answers "none" unless
/// the source knows the exercise.
pub trait HiddenCases: Sync {
    /// The hidden inputs of `exercise` of `lab`, whose expected values the reference computes.
    fn cases(&self, _lab: &str, _exercise: &str, _seed: u64) -> Option<Vec<Input>> {
        None
    }

    /// The hidden experiments of an exercise graded by outcome, each with its true test targets.
    fn outcome_cases(&self, _lab: &str, _exercise: &str, _seed: u64) -> Option<Vec<(Input, Value)>> {
        None
    }

    /// The cross-checks of `exercise` of `lab`, if it has any.
    fn cross_check(&self, _lab: &str, _exercise: &str, _seed: u64) -> Option<CrossCheck> {
        None
    }
}

/// No hidden cases: the public ones only.
pub struct PublicOnly;

impl HiddenCases for PublicOnly {}

/// FNV-1a: a hash whose value is fixed by its definition, unlike `std`'s hashers, so that a seed
/// and a name always give the same stream of cases.
pub fn fnv1a(text: &str) -> u64 {
    fnv1a_bytes(text.as_bytes())
}

/// FNV-1a of raw bytes (a file name that need not be UTF-8).
pub fn fnv1a_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
