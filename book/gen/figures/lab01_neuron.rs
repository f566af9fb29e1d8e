//! Lab 01's figure: the activation functions and their derivatives.

use anyhow::Result;
use lab01_neuron_solution as lab01;
use plotters::prelude::*;

use super::draw::{
    BLUE_, COLUMN, Curve, GREEN_, Layout, ORANGE, PURPLE, RED_, curves_panel, drawn, figure_in_both,
    two_panels,
};
use crate::Generated;

/// The figures of lab01-neuron.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let out = figure_in_both(LAB, "activations", activations)?.into();
    Ok(out)
}

const LAB: &str = "lab01-neuron";

/// The slope leaky ReLU is drawn with: the documents' 0.01 would be indistinguishable from ReLU.
const ALPHA: f64 = 0.1;

/// Lab 01: the activation functions (left) and their derivatives (right) on z ∈ [−4, 4].
pub fn activations(layout: Layout) -> Result<String> {
    let functions: [Curve; 5] = [
        ("step", PURPLE, &lab01::step),
        ("sigmoid", BLUE_, &lab01::sigmoid),
        ("tanh", ORANGE, &lab01::tanh),
        ("ReLU", GREEN_, &lab01::relu),
        ("leaky ReLU (α = 0.1)", RED_, &|z| lab01::leaky_relu(z, ALPHA)),
    ];
    let derivatives: [Curve; 5] = [
        ("step′", PURPLE, &lab01::step_prime),
        ("sigmoid′", BLUE_, &lab01::sigmoid_prime),
        ("tanh′", ORANGE, &lab01::tanh_prime),
        ("ReLU′", GREEN_, &lab01::relu_prime),
        ("leaky ReLU′ (α = 0.1)", RED_, &|z| lab01::leaky_relu_prime(z, ALPHA)),
    ];
    let mut svg = String::new();
    {
        let (root, left, right) = two_panels(&mut svg, (COLUMN as u32, 360), layout)?;
        let upper_left = SeriesLabelPosition::UpperLeft;
        curves_panel(
            &left,
            "Activation functions a = f(z)",
            "z",
            "f(z)",
            -4.0..4.0,
            -1.3..4.2,
            &functions,
            upper_left,
        )?;
        let upper_left = SeriesLabelPosition::UpperLeft;
        curves_panel(
            &right,
            "Their derivatives f′(z)",
            "z",
            "f′(z)",
            -4.0..4.0,
            // Room above f′ = 1 for the legend, which would otherwise cover that line.
            -0.1..2.3,
            &derivatives,
            upper_left,
        )?;
        drawn(root.present())?;
    }
    Ok(svg)
}
