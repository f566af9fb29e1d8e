//! The checking core of nnlab, shared by three programs that must agree on every detail:
//!
//! - the **grader** (trusted), which compares a submission's outputs with the reference;
//! - the **probe**, a child process built from a student's lab, which only *computes* outputs;
//! - the **public tests** a student runs with `cargo test -p labNN-…`.
//!
//! Keeping the value model, the comparison rule and the failure messages in one crate is what
//! makes "the same case fails the same way" true in all three places.

pub mod compare;
pub mod diagnosis;
pub mod documents;
pub mod error;
pub mod fixture;
pub mod groups;
pub mod hidden;
pub mod outcome;
pub mod probe;
pub mod public;
pub mod relation;
pub mod value;
pub mod verdict;

pub use compare::{Mismatch, Tol, compare};
pub use error::InputError;
pub use fixture::{Case, Exercise, LabFixture, Source};
pub use outcome::{Metric, Outcome};
pub use probe::{Answer, Dispatch};
pub use value::{Args, Value};
pub use verdict::Verdict;
