//! The grader's own suite: the reference scores full marks, the stubs score nothing, reports are
//! reproducible and well-formed, fixtures keep their promises, and known-wrong submissions score
//! what their snapshots say.
//!
//! Unix only, like the grader's confinement it tests: links, FIFOs, uids and signals are its cases.

#![cfg(unix)]

mod cli;
mod common;
mod confinement;
mod diagnosis;
mod fixtures;
mod gradescope;
mod intake;
mod mutants;
mod registry;
mod release;
mod reports;
mod similarity;
mod submissions;
mod unify;
mod watch;
