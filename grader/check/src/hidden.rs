//! What grading needs from whoever draws the hidden cases: the shape of an input and of a
//! cross-check, and the trait the grader asks. The instructor's crate `nnlab-hidden` implements
//! it; [`PublicOnly`], its default, draws none — the student edition, which has neither that crate
//! nor the reference solutions, grades the public cases only.

use std::collections::BTreeMap;

use crate::Value;
use crate::fixture::CrossCheckSpec;
use crate::outcome::ExperimentSpec;

/// The named inputs of one case.
pub type Input = BTreeMap<String, Value>;

/// A source of hidden cases, drawn from a grading run's `seed`. Every method answers "none" unless
/// the source knows the exercise.
pub trait HiddenCases: Sync {
    /// The hidden inputs of `exercise` of `lab`, whose expected values the reference computes.
    fn cases(&self, _lab: &str, _exercise: &str, _seed: u64) -> Option<Vec<Input>> {
        None
    }

    /// The hidden runs of an experiment (an exercise graded by outcome), as the registry
    /// declares them, each with its true test targets.
    fn outcome_cases(
        &self,
        _lab: &str,
        _exercise: &str,
        _experiment: &ExperimentSpec,
        _seed: u64,
    ) -> Option<Vec<(Input, Value)>> {
        None
    }

    /// The inputs of `exercise`'s cross-check as the registry declares it ([`CrossCheckSpec`]).
    fn cross_check(
        &self,
        _lab: &str,
        _exercise: &str,
        _check: &CrossCheckSpec,
        _seed: u64,
    ) -> Option<Vec<Input>> {
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
