//! Lab 09's figure: how much gradient reaches each layer of a 30-layer network with and without
//! skip connections, and the first layer as the network gets deeper.

use faer::Mat;
use lab09_deeper_solution as lab09;
use lab09_deeper_solution::Activation;
use plotters::prelude::*;

use super::draw::{
    BLUE_, COLUMN, Layout, ORANGE, PURPLE, RED_, chart_builder, drawn, figure_in_both, figure_numbers,
    inside, legend, line, mesh, scientific, two_panels,
};
use crate::Generated;

/// The figures of lab09-deeper, and the numbers the chapter quotes from them.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let [column, phone] = figure_in_both(LAB, "depth", depth)?;
    Ok(vec![column, phone, numbers()])
}

/// `generated/lab09-deeper/figures.md`: what the chapter says of the figure and the experiment,
/// computed here, each between mdBook anchors.
fn numbers() -> Generated {
    let x = batch();
    let first = |activation, residual, depth| {
        lab09::gradient_norms(&x, &weights(depth, activation, residual), activation, residual)[0]
    };
    let mut residual: Vec<f64> = Vec::new();
    for activation in [Activation::Sigmoid, Activation::Relu] {
        residual.extend(lab09::gradient_norms(&x, &weights(30, activation, true), activation, true));
        residual.extend((2..=30).map(|depth| first(activation, true, depth)));
    }
    let (low, high) = residual.iter().fold((f64::INFINITY, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
    let (deep, plain) = deep_moons();
    // The "Check yourself" answers.
    let nll = lab09::bernoulli_nll(&[0.5, 0.5, 0.25], &[1.0, 1.0, 1.0]);
    let curves: Vec<Vec<f64>> =
        (0..27).map(|c| (0..27).map(|r| (c * 31 % 27) as f64 - r as f64).collect()).collect();
    let rounds = lab09::successive_halving(&curves, 1, 3);
    let terms: Vec<String> = rounds
        .iter()
        .enumerate()
        .map(|(k, round)| format!("{}·{}", round.len(), 3usize.pow(k as u32)))
        .collect();
    let spent: usize = rounds.iter().enumerate().map(|(k, round)| round.len() * 3usize.pow(k as u32)).sum();
    let anchors = [
        ("check-nll", format!("(4·ln 2)/3 ≈ {nll:.2}")),
        ("check-halving", format!("{} = {spent}", terms.join(" + "))),
        ("check-rounds", format!("{} rounds", rounds.len())),
        ("check-all", format!("{}·{} = {}", curves.len(), curves[0].len(), curves.len() * curves[0].len())),
        ("sigmoid-plain-first", scientific(first(Activation::Sigmoid, false, 30))),
        ("relu-plain-loss", format!("{:.0} %", 100.0 * (1.0 - first(Activation::Relu, false, 30)))),
        ("residual-range", format!("{low:.2} and {high:.2}")),
        ("deep-moons-residual", format!("a test accuracy of {deep:.2}")),
        ("deep-moons-plain", format!("{plain:.2}")),
    ];
    figure_numbers(LAB, &anchors)
}

/// The test accuracy on the chapter's moons (lab 07's public case: noise 0.2, 400 training and
/// 100 test points, seed 7) of `fit_deep_moons`, and of the same layers without the skips
/// trained the same way by lab 07's `train`.
fn deep_moons() -> (f64, f64) {
    use lab09::{Loss, TrainConfig};
    use nnlab_data::experiment::{Experiment, Problem};
    let split =
        Experiment { problem: Problem::Moons { noise: 0.2 }, n_train: 400, n_test: 100, seed: 7 }.split();
    let accuracy = |output: &Mat<f64>| {
        let predicted = lab09::predict_classes(output);
        predicted.iter().enumerate().filter(|&(i, &p)| p as f64 == split.test.y[(i, 0)]).count() as f64
            / predicted.len() as f64
    };
    let model = lab09::fit_deep_moons(&split.train, 7);
    let deep = accuracy(&lab09::predict(&model, &split.test.x));
    let sizes: Vec<usize> = [2]
        .into_iter()
        .chain(std::iter::repeat_n(lab09::DEEP_WIDTH, lab09::DEEP_BLOCKS + 1))
        .chain([1])
        .collect();
    let mut plain = lab09::init_network(&sizes, Activation::Sigmoid, Activation::Sigmoid, 7);
    let x = lab09::standardize(&split.train.x, &model.standardizer);
    let config = TrainConfig {
        epochs: lab09::DEEP_EPOCHS,
        batch_size: 32,
        loss: Loss::CrossEntropy,
        lambda: 0.0,
        seed: 7,
    };
    let mut adam = lab09::Adam::new(0.01, 0.9, 0.999, 1e-8, lab09::flatten(&plain).len());
    lab09::train(&mut plain, &x, &split.train.y, &config, &mut adam, &mut |_, _, _| false);
    let test_x = lab09::standardize(&split.test.x, &model.standardizer);
    let output = lab09::forward(&test_x, &plain).a.pop().expect("an output");
    (deep, accuracy(&output))
}

const LAB: &str = "lab09-deeper";

/// The width of every layer, and the batch the norms are measured on.
const WIDTH: usize = 8;

/// The four networks the figure compares: (legend, colour, activation, residual).
pub const RUNS: [(&str, RGBColor, Activation, bool); 4] = [
    ("sigmoid, plain", RED_, Activation::Sigmoid, false),
    ("sigmoid, residual", BLUE_, Activation::Sigmoid, true),
    ("ReLU, plain", ORANGE, Activation::Relu, false),
    ("ReLU, residual", PURPLE, Activation::Relu, true),
];

/// The weights of a `depth`-layer network of [`WIDTH`] units: lab 07's `init_network` (LeCun for
/// sigmoid, He for ReLU), seed 3, without the biases; a residual network's branches start
/// `depth` times smaller, so that together they change the signal by about as much as one layer.
pub fn weights(depth: usize, activation: Activation, residual: bool) -> Vec<Mat<f64>> {
    let sizes = vec![WIDTH; depth + 1];
    let scale = if residual { 1.0 / depth as f64 } else { 1.0 };
    lab09::init_network(&sizes, activation, activation, 3)
        .into_iter()
        .map(|l| Mat::from_fn(WIDTH, WIDTH, |i, j| l.w[(i, j)] * scale))
        .collect()
}

/// The batch: 16 rows of standard normal numbers, seed 5.
pub fn batch() -> Mat<f64> {
    nnlab_data::gaussian(16, WIDTH, 1.0, 5)
}

/// Two panels: the norm of each layer's weight gradient in a 30-layer network, and the first
/// layer's as the depth grows from 2 to 30.
fn depth(layout: Layout) -> anyhow::Result<String> {
    let x = batch();
    let mut svg = String::new();
    {
        let (root, left, right) = two_panels(&mut svg, (COLUMN as u32 * 2, 480), layout)?;
        let panels = [
            (left, "Each layer of a 30-layer network", "layer (1 = next to the input)"),
            (right, "The first layer, by depth", "layers in the network"),
        ];
        for (p, (area, title, x_desc)) in panels.iter().enumerate() {
            let mut chart = drawn(
                chart_builder(area, *title, 12, (40, 64))
                    .build_cartesian_2d(0.5..30.5, (1e-40..1e3).log_scale()),
            )?;
            drawn(
                mesh(&mut chart)
                    .x_desc(*x_desc)
                    .y_desc("‖∂L/∂h‖ at the layer's input")
                    .y_labels(8)
                    .x_label_formatter(&|v| format!("{v:.0}"))
                    .y_label_formatter(&|v| format!("{v:.0e}"))
                    .light_line_style(WHITE.mix(0.0))
                    .draw(),
            )?;
            for (name, colour, activation, residual) in RUNS {
                let points: Vec<(f64, f64)> = if p == 0 {
                    let norms =
                        lab09::gradient_norms(&x, &weights(30, activation, residual), activation, residual);
                    norms.iter().enumerate().map(|(l, &g)| ((l + 1) as f64, g)).collect()
                } else {
                    (2..=30)
                        .map(|depth| {
                            let norms = lab09::gradient_norms(
                                &x,
                                &weights(depth, activation, residual),
                                activation,
                                residual,
                            );
                            (depth as f64, norms[0])
                        })
                        .collect()
                };
                let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
                line(&mut chart, points.clone(), style)?
                    .label(name)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
                let shown = inside(&chart, points)?;
                drawn(
                    chart.draw_series(shown.into_iter().map(move |pt| Circle::new(pt, 3, colour.filled()))),
                )?;
            }
            // One legend serves both panels: below the plain sigmoid's line, the left one is empty.
            if p == 0 {
                legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            }
        }
        drawn(root.present())?;
    }
    Ok(svg)
}
