//! Figures drawn with plotters from the reference solutions, as SVG text (byte-identical from run
//! to run, so a test can insist the committed figure is the current one). Each lab's figures are a
//! module of their own, drawn with the shared helpers of `draw`; the list of lab modules below is
//! written by `cargo run -p grader -- generate` from the registry.

mod lab01_neuron;
mod lab02_perceptron;
mod lab03_forward;
mod lab04_loss;
mod lab05_backprop;
mod lab06_optimizers;
mod lab07_training;
mod lab08_regularization;
mod lab09_deeper;

mod draw;

use anyhow::Result;
pub use draw::{COLUMN, PHONE_COLUMN, SMALLEST_TEXT};

use crate::Generated;

/// Every figure of the book, lab by lab.
pub fn all() -> Result<Vec<Generated>> {
    let labs = [
        lab01_neuron::figures,
        lab02_perceptron::figures,
        lab03_forward::figures,
        lab04_loss::figures,
        lab05_backprop::figures,
        lab06_optimizers::figures,
        lab07_training::figures,
        lab08_regularization::figures,
        lab09_deeper::figures,
    ];
    let mut out = Vec::new();
    for figures in labs {
        out.extend(figures()?);
    }
    Ok(out)
}
