//! What grading needs from whoever draws the hidden cases (`hidden.rs` in the instructor's
//! workbook, a stand-in that draws none in the student edition): the shape of an input, of a
//! cross-check, and the one hash that turns names into seeds and keys.

use std::collections::BTreeMap;

use nnlab_check::{Tol, Value};

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

/// FNV-1a: a hash whose value is fixed by its definition, unlike `std`'s hashers.
pub fn fnv1a(text: &str) -> u64 {
    fnv1a_bytes(text.as_bytes())
}

/// FNV-1a of raw bytes (a file name that need not be UTF-8).
pub fn fnv1a_bytes(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
