//! The instructor's commands around the grading pipeline: grading a class (`grade`) with its
//! class picture (`insight`, `similarity`), the roster
//! and the LMS imports made from it (Canvas, Moodle), the student edition (`release`) and the
//! Gradescope package. Built with the `instructor` feature only; the student edition leaves this
//! folder out.

pub mod atomic;
pub mod class;
pub mod insight;
pub mod lms;
pub mod package;
pub mod release;
pub mod roster;
pub mod similarity;
