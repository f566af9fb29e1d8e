//! Lab 04's figure: BCE against MSE and the gradients they send back.

use anyhow::Result;
use lab01_neuron_solution as lab01;
use lab04_loss_solution as lab04;
use plotters::prelude::*;

use super::draw::{BLUE_, COLUMN, Curve, Layout, RED_, curves_panel, drawn, figure_in_both, two_panels};
use crate::Generated;

/// The figures of lab04-loss.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let out = figure_in_both(LAB, "losses", losses)?.into();
    Ok(out)
}

const LAB: &str = "lab04-loss";

/// Lab 04: for a true label y = 1, the BCE and MSE of a prediction p (left), and the gradients
/// with respect to the sigmoid's pre-activation z that each loss sends back (right): MSE's vanishes
/// exactly where the prediction is confidently wrong.
pub fn losses(layout: Layout) -> Result<String> {
    let p_of_z = |z: f64| lab01::sigmoid(z);
    let loss_curves: [Curve; 2] = [
        ("BCE(p, 1)", RED_, &|p| lab04::bce(&[p], &[1.0])),
        ("MSE(p, 1)", BLUE_, &|p| lab04::mse(&[p], &[1.0])),
    ];
    // dL/dz = dL/dp · σ′(z), with σ′ written from the output p = σ(z).
    let bce_dz = move |z: f64| lab04::sigmoid_bce_delta(&[p_of_z(z)], &[1.0])[0];
    let mse_dz =
        move |z: f64| lab04::mse_grad(&[p_of_z(z)], &[1.0])[0] * lab01::sigmoid_prime_from_output(p_of_z(z));
    let gradient_curves: [Curve; 2] =
        [("BCE: p − 1", RED_, &bce_dz), ("MSE: 2(p − 1)·p(1 − p)", BLUE_, &mse_dz)];
    let mut svg = String::new();
    {
        let (root, left, right) = two_panels(&mut svg, (COLUMN as u32, 360), layout)?;
        let upper_right = SeriesLabelPosition::UpperRight;
        let (x, y) = ("predicted probability p", "loss");
        curves_panel(
            &left,
            "Loss for a true label 1",
            x,
            y,
            0.001..0.999,
            0.0..5.0,
            &loss_curves,
            upper_right,
        )?;
        let (x, y) = ("z (p = σ(z))", "∂L/∂z");
        curves_panel(
            &right,
            "Gradient reaching the logit z",
            x,
            y,
            -6.0..6.0,
            -1.05..0.6,
            &gradient_curves,
            SeriesLabelPosition::UpperRight,
        )?;
        drawn(root.present())?;
    }
    Ok(svg)
}
