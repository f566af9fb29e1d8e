//! The nnlab grader: builds each lab of a submission into a probe, asks it for outputs on the
//! worked examples of the lecture documents and on hidden randomized inputs, judges every answer
//! against the reference, and reports scores in the forms students and instructors use.

pub mod cases;
pub mod class;
pub mod compile;
pub mod grade;
pub mod hidden;
pub mod intake;
pub mod jail;
pub mod package;
pub mod release;
pub mod report;
pub mod run;
pub mod stubs;
pub mod workspace;
