//! The public checks of lab 03: every worked example of fixtures/labs/lab03-forward.yaml, run on
//! your code. The grader adds hidden randomized cases where it has the reference solutions (the
//! instructor's workbook); in the student edition, `cargo run -p grader` grades these cases with points.

use lab03_forward as lab;

#[path = "../../../grader/probes/lab03-forward.rs"]
mod dispatch;

fn main() -> std::process::ExitCode {
    nnlab_check::public::run(env!("CARGO_MANIFEST_DIR"), dispatch::call)
}
