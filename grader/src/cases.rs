//! What grading needs from whoever draws the hidden cases (see [`nnlab_check::hidden`]), and where
//! this grader gets them: the instructor's crate `nnlab-hidden` when built with the `instructor`
//! feature; without it (the student edition, which has neither that crate nor the reference
//! solutions) the public cases only.

pub use nnlab_check::hidden::{HiddenCases, Input, fnv1a, fnv1a_bytes};

/// The hidden cases this grader draws.
pub fn hidden() -> &'static dyn HiddenCases {
    #[cfg(feature = "instructor")]
    return &nnlab_hidden::Hidden;
    #[cfg(not(feature = "instructor"))]
    return &nnlab_check::hidden::PublicOnly;
}
