//! The public checks of lab 07: every worked example of fixtures/labs/lab07-training.yaml, run on
//! your code. The grader (`cargo run -p grader`) adds hidden randomized cases.

use lab07_training as lab;

#[path = "../../../grader/probes/lab07-training.rs"]
mod dispatch;

fn main() -> std::process::ExitCode {
    nnlab_check::public::run(env!("CARGO_MANIFEST_DIR"), dispatch::call)
}
