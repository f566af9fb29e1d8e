//! The public checks of lab 02: every worked example of fixtures/labs/lab02-perceptron.yaml, run on
//! your code. The grader (`cargo run -p grader`) adds hidden randomized cases.

use lab02_perceptron as lab;

#[path = "../../../grader/probes/lab02-perceptron.rs"]
mod dispatch;

fn main() -> std::process::ExitCode {
    nnlab_check::public::run(env!("CARGO_MANIFEST_DIR"), dispatch::call)
}
