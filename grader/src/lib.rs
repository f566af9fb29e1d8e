//! The nnlab grader: builds each lab of a submission into a probe, asks it for outputs on the
//! worked examples of the lecture documents and on hidden randomized inputs, judges every answer
//! against the reference, and reports scores in the forms students and instructors use.

pub mod cases;
pub mod compile;
#[cfg(feature = "instructor")]
pub mod generate;
pub mod grade;
#[cfg(feature = "instructor")]
pub mod instructor;
pub mod intake;
pub mod jail;
pub mod mistakes;
pub mod mutants;
#[cfg(feature = "instructor")]
pub mod registry;
pub mod removal;
pub mod report;
pub mod run;
pub mod watch;
pub mod workspace;
