//! Lab 08's figures: a wide network overfitting 40 noisy points, with and without dropout or an
//! L2 penalty, and the per-layer gradient norms of two deep networks.

use faer::Mat;
use lab08_regularization_solution as lab08;
use lab08_regularization_solution::{Activation, Loss, Regularization, TrainConfig};
use nnlab_data::experiment::{Experiment, Problem};
use plotters::prelude::*;

use super::draw::{
    BLUE_, COLUMN, GREEN_, Layout, ORANGE, PHONE, RED_, canvas_for, chart_builder, drawn, figure_in_both,
    inside, legend, line, mesh,
};
use crate::Generated;

/// The figures of lab08-regularization.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let mut out = Vec::from(figure_in_both(LAB, "overfitting", overfitting)?);
    out.extend(figure_in_both(LAB, "gradient-norms", gradient_norms)?);
    Ok(out)
}

const LAB: &str = "lab08-regularization";

const EPOCHS: usize = 400;

/// Training and validation loss per epoch of the 2-64-64-1 network on 40 noisy moon points, with
/// `reg`; one epoch at a time, so that the validation loss can be measured after each.
fn curves(reg: Regularization) -> (Vec<f64>, Vec<f64>) {
    let split =
        Experiment { problem: Problem::Moons { noise: 0.35 }, n_train: 40, n_test: 200, seed: 3 }.split();
    let mut layers = lab08::init_network(&[2, 64, 64, 1], Activation::Relu, Activation::Sigmoid, 1);
    let mut adam = lab08::Adam::new(0.01, 0.9, 0.999, 1e-8, lab08::flatten(&layers).len());
    let (mut train, mut val) = (Vec::new(), Vec::new());
    for epoch in 0..EPOCHS {
        // A new seed every epoch gives new dropout masks.
        let config = TrainConfig {
            epochs: 1,
            batch_size: 0,
            loss: Loss::CrossEntropy,
            lambda: 0.0,
            seed: epoch as u64,
        };
        train.extend(lab08::train_regularized(
            &mut layers,
            &split.train.x,
            &split.train.y,
            reg,
            &config,
            &mut adam,
        ));
        let out = lab08::forward(&split.test.x, &layers).a.pop().unwrap_or_else(|| Mat::zeros(0, 0));
        val.push(lab08::loss_value(&out, &split.test.y, Loss::CrossEntropy));
    }
    (train, val)
}

/// Three panels: no regularization (with the epoch early stopping keeps), dropout 0.3, L2 0.01.
pub fn overfitting(layout: Layout) -> anyhow::Result<String> {
    let none = Regularization { dropout: 0.0, l1: 0.0, l2: 0.0 };
    let runs = [
        ("No regularization", none),
        ("Dropout p = 0.3", Regularization { dropout: 0.3, ..none }),
        ("L2 penalty λ₂ = 0.01", Regularization { l2: 0.01, ..none }),
    ];
    let mut svg = String::new();
    {
        let size = match layout {
            Layout::Column => (COLUMN as u32, 900),
            Layout::Phone => (PHONE, 3 * 360),
        };
        let root = canvas_for(&mut svg, size, layout);
        drawn(root.fill(&WHITE))?;
        let panels = root.split_evenly((3, 1));
        let runs: Vec<_> = runs.into_iter().map(|(title, reg)| (title, reg, curves(reg))).collect();
        // One scale for the three panels, tall enough for the highest loss of any of them.
        let top = runs.iter().flat_map(|(_, _, (t, v))| t.iter().chain(v)).fold(0.0_f64, |m, &l| m.max(l));
        let top = (top * 1.05 / 0.5).ceil() * 0.5;
        for (area, (title, reg, (train, val))) in panels.iter().zip(runs) {
            // What train_regularized reports: the loss of the network it trains, dropout on and
            // the penalty added; the validation loss is plain cross-entropy.
            let trained = if reg.l1 > 0.0 || reg.l2 > 0.0 {
                "training loss + penalty"
            } else if reg.dropout > 0.0 {
                "training loss, dropout on"
            } else {
                "training loss"
            };
            let best = (0..val.len()).fold(0, |b, e| if val[e] < val[b] { e } else { b });
            let mut chart = drawn(
                chart_builder(area, title, 12, (36, 44)).build_cartesian_2d(0.0..EPOCHS as f64, 0.0..top),
            )?;
            drawn(
                mesh(&mut chart)
                    .x_desc("epoch")
                    .y_desc("loss")
                    .x_label_formatter(&|v| format!("{v:.0}"))
                    .light_line_style(WHITE.mix(0.0))
                    .draw(),
            )?;
            for (name, colour, losses) in
                [(trained, BLUE_, &train), ("validation cross-entropy", ORANGE, &val)]
            {
                let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
                let points = inside(&chart, losses.iter().enumerate().map(|(e, &l)| (e as f64, l)))?;
                line(&mut chart, points, style)?
                    .label(name)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            }
            let mark = ShapeStyle { color: GREEN_.to_rgba(), filled: false, stroke_width: 2 };
            line(&mut chart, [(best as f64, 0.0), (best as f64, top)], mark)?
                .label(format!("lowest validation loss (epoch {best})"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], mark));
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        drawn(root.present())?;
    }
    Ok(svg)
}

/// The norm of each layer's weight gradient in the documents' deep sigmoid network (weights
/// N(0, 0.01²)) and in a ReLU network with He initialisation, on the same batch.
pub fn gradient_norms(layout: Layout) -> anyhow::Result<String> {
    let x = nnlab_data::gaussian(32, 16, 1.0, 1);
    let y = Mat::from_fn(32, 1, |i, _| f64::from(u8::from(i % 2 == 0)));
    let runs = [
        ("sigmoid, weights N(0, 0.01²)", RED_, lab08::deep_network(16, Activation::Sigmoid, Some(0.01), 7)),
        ("sigmoid, LeCun N(0, 1/n)", ORANGE, lab08::deep_network(16, Activation::Sigmoid, None, 7)),
        ("ReLU, He N(0, 2/n)", BLUE_, lab08::deep_network(16, Activation::Relu, None, 7)),
    ];
    let mut svg = String::new();
    {
        // On a phone the legend spans the plot's width: the axis reaches lower, so that it sits
        // under the curves rather than on them.
        let (size, title, bottom) = match layout {
            Layout::Column => ((900, 460), "Gradient norm of each layer's weights, 10-layer networks", 1e-18),
            Layout::Phone => ((PHONE, 440), "Gradient norm per layer, 10 layers", 1e-26),
        };
        let root = canvas_for(&mut svg, size, layout);
        drawn(root.fill(&WHITE))?;
        let mut chart = drawn(
            chart_builder(&root, title, 12, (36, 64))
                .build_cartesian_2d(0.5..10.5, (bottom..1e1).log_scale()),
        )?;
        drawn(
            mesh(&mut chart)
                .x_desc("layer (1 = next to the input)")
                .y_desc("‖∂L/∂W‖")
                .x_label_formatter(&|v| format!("{v:.0}"))
                .y_label_formatter(&|v| format!("{v:.0e}"))
                .light_line_style(WHITE.mix(0.0))
                .draw(),
        )?;
        for (name, colour, layers) in &runs {
            let norms = lab08::layer_gradient_norms(layers, &x, &y, Loss::CrossEntropy);
            let points: Vec<(f64, f64)> =
                norms.iter().enumerate().map(|(l, &g)| ((l + 1) as f64, g)).collect();
            let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
            let colour = *colour;
            line(&mut chart, points.clone(), style)?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            let shown = inside(&chart, points)?;
            drawn(chart.draw_series(shown.into_iter().map(move |p| Circle::new(p, 4, colour.filled()))))?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        drawn(root.present())?;
    }
    Ok(svg)
}
