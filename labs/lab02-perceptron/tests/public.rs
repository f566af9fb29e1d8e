//! The public checks of lab 02: every worked example of fixtures/labs/lab02-perceptron.yaml, run on
//! your code. The grader adds hidden randomized cases where it has the reference solutions (the
//! instructor's workbook); in the student edition, `cargo run -p grader` grades these cases with points.

use lab02_perceptron as lab;

#[path = "../../../grader/probes/lab02-perceptron.rs"]
mod dispatch;

fn main() -> std::process::ExitCode {
    nnlab_check::public::run(env!("CARGO_MANIFEST_DIR"), dispatch::call)
}
