//! The public checks of lab 01: every worked example of fixtures/labs/lab01-neuron.yaml, run on
//! your code. The grader (`cargo run -p grader`) adds hidden randomized cases.

use lab01_neuron as lab;

#[path = "../../../grader/probes/lab01-neuron.rs"]
mod dispatch;

fn main() -> std::process::ExitCode {
    nnlab_check::public::run(env!("CARGO_MANIFEST_DIR"), dispatch::call)
}
