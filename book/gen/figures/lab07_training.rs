//! Lab 07's figures: the documents' XOR run, a straight line against a hidden layer on the two
//! moons, a sine curve fitted by one hidden layer, and digits with the labels the network gives
//! them. All from the lab 07 reference on the data of `nnlab_data`.

use faer::Mat;
use lab07_training_solution as lab07;
use lab07_training_solution::{Activation, Loss, Model, TrainConfig};
use nnlab_data::experiment::{Experiment, Problem};
use plotters::prelude::*;

use super::draw::{
    BLUE_, COLUMN, GREEN_, LABEL, Layout, ORANGE, PHONE, RED_, TITLE, canvas_for, chart_builder, drawn,
    figure_in_both, fixture_network, inside, legend, line, mesh, slider_figure, text, two_panels,
};
use crate::Generated;

/// The figures of lab07-training.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let sine_fit = SineFit::new();
    let mut out = Vec::from(figure_in_both(LAB, "sine", |layout| sine(&sine_fit, layout))?);
    let digits_fit = DigitsFit::new();
    out.extend(figure_in_both(LAB, "digits", |layout| digits(&digits_fit, layout))?);
    out.extend(figure_in_both(LAB, "xor", xor)?);
    out.extend(figure_in_both(LAB, "moons", moons)?);
    let epochs = xor_frames(Layout::Column)?
        .into_iter()
        .zip(xor_frames(Layout::Phone)?)
        // The label says what the frame's title says, in the page's text: printed two to a row, a
        // frame's own text is too small to read on paper.
        .map(|((e, outs, svg), (_, _, phone))| {
            (format!("{e} epochs: outputs {outs}"), format!("epoch-{e}"), [svg, phone])
        })
        .collect();
    out.extend(slider_figure(
        "lab07-training/xor-slider.md",
        "figures/lab07-training/xor-epochs",
        "training",
        "The loss and the plane of the documents' XOR network after",
        epochs,
        XOR_START,
    ));
    Ok(out)
}

const LAB: &str = "lab07-training";

/// The model's outputs on `x`.
fn outputs(model: &Model, x: &Mat<f64>) -> Mat<f64> {
    let cache = lab07::forward(&lab07::standardize(x, &model.standardizer), &model.layers);
    cache.a.last().expect("a network has layers").clone()
}

fn labels(y: &Mat<f64>) -> Vec<usize> {
    (0..y.nrows()).map(|i| y[(i, 0)] as usize).collect()
}

/// The test accuracy of `model` on `data`.
fn accuracy(model: &Model, data: &lab07::Dataset) -> f64 {
    lab07::accuracy(&lab07::predict_classes(&outputs(model, &data.x)), &labels(&data.y))
}

/// A panel shading the plane by the probability a model gives class 1 (blue for 0, orange for 1)
/// with the points of `data` on top and the 0.5 boundary where the shade turns.
fn decision_map(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    model: &Model,
    data: &lab07::Dataset,
    bounds: (f64, f64, f64, f64),
) -> anyhow::Result<()> {
    decision_map_with(area, title, model, data, bounds, 48)
}

/// [`decision_map`] with `cells` × `cells` shaded cells.
fn decision_map_with(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    model: &Model,
    data: &lab07::Dataset,
    (x0, x1, y0, y1): (f64, f64, f64, f64),
    cells: usize,
) -> anyhow::Result<()> {
    let mut chart = drawn(chart_builder(area, title, 12, (32, 40)).build_cartesian_2d(x0..x1, y0..y1))?;
    drawn(mesh(&mut chart).disable_mesh().draw())?;
    let (dx, dy) = ((x1 - x0) / cells as f64, (y1 - y0) / cells as f64);
    let centres = Mat::from_fn(cells * cells, 2, |k, j| {
        if j == 0 { x0 + (k % cells) as f64 * dx + dx / 2.0 } else { y0 + (k / cells) as f64 * dy + dy / 2.0 }
    });
    let p = outputs(model, &centres);
    let shade = |p: f64| {
        let mix = |a: u8, b: u8| (f64::from(a) * (1.0 - p) + f64::from(b) * p).round() as u8;
        RGBColor(mix(198, 255), mix(219, 221), mix(239, 190))
    };
    drawn(chart.draw_series((0..cells * cells).map(|k| {
        let (cx, cy) = (centres[(k, 0)], centres[(k, 1)]);
        Rectangle::new(
            [(cx - dx / 2.0, cy - dy / 2.0), (cx + dx / 2.0, cy + dy / 2.0)],
            shade(p[(k, 0)]).filled(),
        )
    })))?;
    for (class, colour) in [(0.0, BLUE_), (1.0, ORANGE)] {
        let points: Vec<(f64, f64)> = (0..data.len())
            .filter(|&i| data.y[(i, 0)] == class)
            .map(|i| (data.x[(i, 0)], data.x[(i, 1)]))
            .collect();
        let points = inside(&chart, points)?;
        drawn(chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled()))))?;
        drawn(chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, BLACK.mix(0.5)))))?;
    }
    // No legend box, which would hide points: the chapter's captions name the colours.
    Ok(())
}

/// The documents' XOR run (numpy's seed-42 weights, lr 0.5 on the true gradient, 10 000 full-batch
/// epochs): its loss per epoch; `after(epochs, layers)` sees the network after each epoch, and
/// first at epoch 0.
fn documents_xor(mut after: impl FnMut(usize, &[lab07::Layer])) -> anyhow::Result<Vec<f64>> {
    let (x, y, mut layers) = fixture_network("lab07-training", "xor-numpy")?;
    let config =
        TrainConfig { epochs: 10_000, batch_size: 0, loss: Loss::SquaredError, lambda: 0.0, seed: 0 };
    after(0, &layers);
    Ok(lab07::train(&mut layers, &x, &y, &config, &mut lab07::Sgd { lr: 0.5 }, &mut |e, _, now| {
        after(e + 1, now);
        false
    }))
}

/// The axes of the XOR figures' left panel: epochs 0 to 10 000, the loss on a log scale.
fn xor_loss_axes<'a>(
    area: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    caption: &str,
) -> anyhow::Result<super::draw::Chart<'a, plotters::coord::types::RangedCoordf64, LogCoord<f64>>> {
    let mut chart = drawn(
        chart_builder(area, caption, 12, (36, 60)).build_cartesian_2d(0.0..10_000.0, (5e-4..0.5).log_scale()),
    )?;
    drawn(
        mesh(&mut chart)
            .x_desc("epoch")
            .y_desc("loss")
            .x_labels(5)
            // 10k rather than 10000: the last label sits on the panel's edge, which a phone's
            // narrow panel leaves little room beyond.
            .x_label_formatter(&|v| {
                if *v >= 1000.0 { format!("{:.0}k", v / 1000.0) } else { format!("{v:.0}") }
            })
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .light_line_style(WHITE.mix(0.0))
            .draw(),
    )?;
    Ok(chart)
}

/// Every tenth of the first `epochs` losses, as (epoch, loss) points.
fn every_tenth(losses: &[f64], epochs: usize) -> impl Iterator<Item = (f64, f64)> + '_ {
    losses.iter().enumerate().take(epochs).step_by(10).map(|(e, &l)| (e as f64, l))
}

/// Left: the loss of the documents' XOR run (numpy's seed-42 weights), per epoch. Right: what a
/// 2-4-1 network trained by `fit_xor` makes of the plane.
pub fn xor(layout: Layout) -> anyhow::Result<String> {
    let losses = documents_xor(|_, _| {})?;
    let model = lab07::fit_xor(42);
    let data = lab07::logic_gate("xor").ok_or_else(|| anyhow::anyhow!("xor is a gate"))?;
    let mut svg = String::new();
    {
        let (root, left, right) = two_panels(&mut svg, (COLUMN as u32, 380), layout)?;
        let mut chart = xor_loss_axes(&left, "XOR: mean squared error per epoch")?;
        let style = ShapeStyle { color: BLUE_.to_rgba(), filled: false, stroke_width: 2 };
        line(&mut chart, every_tenth(&losses, losses.len()), style)?
            .label("recomputed")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        let printed =
            [(0.0, 0.277823), (2000.0, 0.125614), (4000.0, 0.015423), (6000.0, 0.004567), (8000.0, 0.002134)];
        let printed = inside(&chart, printed)?;
        drawn(chart.draw_series(printed.into_iter().map(|p| Cross::new(p, 6, RED_.stroke_width(2)))))?
            .label("printed (004)")
            .legend(|(x, y)| Cross::new((x + 10, y), 6, RED_.stroke_width(2)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        decision_map(&right, "fit_xor(42): the plane after training", &model, &data, (-0.5, 1.5, -0.5, 1.5))?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// The two moons (noise 0.2, 400 training points, the 200 test points shown): one sigmoid neuron
/// — the best a straight line does — beside the 2-16-1 network of `fit_moons`.
pub fn moons(layout: Layout) -> anyhow::Result<String> {
    let split =
        Experiment { problem: Problem::Moons { noise: 0.2 }, n_train: 400, n_test: 200, seed: 7 }.split();
    let standardizer = lab07::fit_standardizer(&split.train.x);
    let mut line = lab07::init_network(&[2, 1], Activation::Sigmoid, Activation::Sigmoid, 7);
    let config = TrainConfig { epochs: 200, batch_size: 32, loss: Loss::CrossEntropy, lambda: 0.0, seed: 7 };
    let mut adam = lab07::Adam::new(0.01, 0.9, 0.999, 1e-8, 3);
    let x = lab07::standardize(&split.train.x, &standardizer);
    lab07::train(&mut line, &x, &split.train.y, &config, &mut adam, &mut |_, _, _| false);
    let linear = Model { standardizer, layers: line };
    let mlp = lab07::fit_moons(&split.train, 7);
    let mut svg = String::new();
    {
        let (root, left, right) = two_panels(&mut svg, (COLUMN as u32, 380), layout)?;
        let bounds = (-1.6, 2.6, -1.2, 1.7);
        let title =
            |name: &str, model: &Model| format!("{name}: test accuracy {:.3}", accuracy(model, &split.test));
        decision_map(&left, &title("one neuron (a line)", &linear), &linear, &split.test, bounds)?;
        decision_map(&right, &title("2-16-1 network", &mlp), &mlp, &split.test, bounds)?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// The epochs after which the interactive XOR figure shows the documents' network, and the frame
/// it opens at.
pub const XOR_EPOCHS: [usize; 8] = [0, 1000, 2000, 2500, 3000, 4000, 6000, 10_000];
/// Where [`XOR_EPOCHS`] holds the end of training.
pub const XOR_START: usize = 7;

/// The frames of the interactive XOR figure: for each of [`XOR_EPOCHS`], the loss so far (left)
/// and the plane as the documents' network (numpy's seed-42 weights, the run of [`xor`]) sees it
/// after that many epochs (right).
pub fn xor_frames(layout: Layout) -> anyhow::Result<Vec<(usize, String, String)>> {
    let mut snapshots = Vec::new();
    let losses = documents_xor(|epochs, now| {
        if XOR_EPOCHS.contains(&epochs) {
            snapshots.push((epochs, now.to_vec()));
        }
    })?;
    let data = lab07::logic_gate("xor").ok_or_else(|| anyhow::anyhow!("xor is a gate"))?;
    let mut frames = Vec::new();
    for (epochs, layers) in snapshots {
        let model = Model { standardizer: lab07::identity_standardizer(2), layers };
        let p = outputs(&model, &data.x);
        let outs = (0..4).map(|i| format!("{:.2}", p[(i, 0)])).collect::<Vec<_>>().join(", ");
        let mut svg = String::new();
        {
            let (root, left, right) = two_panels(&mut svg, (COLUMN as u32, 380), layout)?;
            let mut chart = xor_loss_axes(&left, "loss per epoch, so far")?;
            let style = ShapeStyle { color: BLUE_.to_rgba(), filled: false, stroke_width: 2 };
            line(&mut chart, every_tenth(&losses, epochs), style)?;
            let mark = ShapeStyle { color: BLACK.mix(0.4), filled: false, stroke_width: 1 };
            line(&mut chart, [(epochs as f64, 5e-4), (epochs as f64, 0.5)], mark)?;
            decision_map_with(
                &right,
                &format!("after {epochs} epochs: {outs}"),
                &model,
                &data,
                (-0.5, 1.5, -0.5, 1.5),
                24,
            )?;
            drawn(root.present())?;
        }
        frames.push((epochs, outs, svg));
    }
    Ok(frames)
}

/// `fit_sine` on 200 noisy samples of sin x on [−π, π], trained once for both layouts of its
/// figure: the split, the network's outputs on x from −2π to 2π, and its test RMSE.
pub struct SineFit {
    split: nnlab_data::experiment::Split,
    xs: Mat<f64>,
    fit: Mat<f64>,
    rmse: f64,
}

impl SineFit {
    fn new() -> SineFit {
        let split =
            Experiment { problem: Problem::Sine { noise: 0.05 }, n_train: 200, n_test: 200, seed: 7 }.split();
        let model = lab07::fit_sine(&split.train, 7);
        let tau = std::f64::consts::TAU;
        let xs = Mat::from_fn(801, 1, |i, _| -tau + 2.0 * tau * i as f64 / 800.0);
        let fit = outputs(&model, &xs);
        let test_out = outputs(&model, &split.test.x);
        let rmse =
            ((0..split.test.len()).map(|i| (test_out[(i, 0)] - split.test.y[(i, 0)]).powi(2)).sum::<f64>()
                / split.test.len() as f64)
                .sqrt();
        SineFit { split, xs, fit, rmse }
    }
}

/// The sine figure: the samples, the curve and the network's fit, drawn out to ±2π to show what
/// it does where it saw no data.
pub fn sine(sine: &SineFit, layout: Layout) -> anyhow::Result<String> {
    let SineFit { split, xs, fit, rmse } = sine;
    use std::f64::consts::{PI, TAU};
    let mut svg = String::new();
    {
        // On a phone the legend spans the plot's width: the axis reaches higher to hold it above
        // the curves.
        let long = layout == Layout::Column;
        let (size, title, top) = match layout {
            Layout::Column => (
                (900, 460),
                format!("One hidden layer of 20 tanh units fits sin x (test RMSE {rmse:.3})"),
                2.8,
            ),
            Layout::Phone => ((PHONE, 440), format!("20 tanh units fit sin x (RMSE {rmse:.3})"), 3.6),
        };
        let root = canvas_for(&mut svg, size, layout);
        drawn(root.fill(&WHITE))?;
        let mut chart =
            drawn(chart_builder(&root, title, 12, (36, 48)).build_cartesian_2d(-TAU..TAU, -1.6..top))?;
        drawn(mesh(&mut chart).x_desc("x").y_desc("y").light_line_style(WHITE.mix(0.0)).draw())?;
        // The interval the network was trained on, shaded.
        drawn(chart.draw_series([Rectangle::new([(-PI, -1.6), (PI, top)], BLACK.mix(0.06).filled())]))?
            .label(if long { "the training interval [−π, π]" } else { "training interval" })
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], BLACK.mix(0.12).filled()));
        let samples = (0..split.train.len()).map(|i| (split.train.x[(i, 0)], split.train.y[(i, 0)]));
        let samples = inside(&chart, samples)?;
        drawn(chart.draw_series(samples.into_iter().map(|p| Circle::new(p, 2, BLACK.mix(0.35).filled()))))?
            .label(if long { "200 noisy training samples" } else { "training samples" })
            .legend(|(x, y)| Circle::new((x + 10, y), 3, BLACK.mix(0.35).filled()));
        let truth = ShapeStyle { color: GREEN_.to_rgba(), filled: false, stroke_width: 4 };
        line(&mut chart, (0..xs.nrows()).map(|i| (xs[(i, 0)], xs[(i, 0)].sin())), truth)?
            .label("sin x")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], truth));
        let net = ShapeStyle { color: RED_.to_rgba(), filled: false, stroke_width: 2 };
        line(&mut chart, (0..xs.nrows()).map(|i| (xs[(i, 0)], fit[(i, 0)])), net)?
            .label(if long { "the trained network" } else { "network" })
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], net));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// `fit_digits` on the lab's split, trained once for both layouts of its figure: the test images,
/// the labels the network gives them, the true ones and the accuracy.
pub struct DigitsFit {
    split: nnlab_data::experiment::Split,
    predicted: Vec<usize>,
    truth: Vec<usize>,
    acc: f64,
}

impl DigitsFit {
    fn new() -> DigitsFit {
        let split = Experiment { problem: Problem::Digits, n_train: 1437, n_test: 360, seed: 7 }.split();
        let model = lab07::fit_digits(&split.train, 7);
        let predicted = lab07::predict_classes(&outputs(&model, &split.test.x));
        let truth = labels(&split.test.y);
        let acc = lab07::accuracy(&predicted, &truth);
        DigitsFit { split, predicted, truth, acc }
    }
}

/// The first 32 test digits of the lab's split as 8×8 images, each with the label `fit_digits`
/// gives it; a wrong label is red and shows the true digit beside it. Eight to a row in the
/// column, four on a phone.
pub fn digits(digits: &DigitsFit, layout: Layout) -> anyhow::Result<String> {
    let DigitsFit { split, predicted, truth, acc } = digits;
    // The first 32 test images; if none of them is a mistake, the last tile shows the first one.
    let mut shown: Vec<usize> = (0..31).collect();
    let wrong = (0..truth.len()).find(|&i| predicted[i] != truth[i]).filter(|&i| i >= 31);
    shown.push(wrong.unwrap_or(31));
    let mut svg = String::new();
    {
        let (size, grid, title) = match layout {
            Layout::Column => (
                (900, 520),
                (4, 8),
                format!("Test digits and the network's labels (accuracy on all 360: {acc:.3})"),
            ),
            Layout::Phone => ((PHONE, 860), (8, 4), format!("Test digits, labelled (accuracy {acc:.3})")),
        };
        let root = canvas_for(&mut svg, size, layout);
        drawn(root.fill(&WHITE))?;
        let root = drawn(root.titled(&title, ("sans-serif", text(TITLE))))?;
        let tiles = root.split_evenly(grid);
        for (tile, &i) in tiles.iter().zip(&shown) {
            let (w, h) = tile.dim_in_pixel();
            let cell = (f64::from(w.min(h)) - 30.0) / 8.0;
            let x0 = (f64::from(w) - 8.0 * cell) / 2.0;
            for r in 0..8 {
                for c in 0..8 {
                    let ink = 255 - (split.test.x[(i, r * 8 + c)] / 16.0 * 255.0).round() as u8;
                    let (px, py) = (x0 + c as f64 * cell, 4.0 + r as f64 * cell);
                    let rect = [(px as i32, py as i32), ((px + cell) as i32, (py + cell) as i32)];
                    drawn(tile.draw(&Rectangle::new(rect, RGBColor(ink, ink, ink).filled())))?;
                }
            }
            let right = predicted[i] == truth[i];
            let label = if right {
                format!("{}", predicted[i])
            } else {
                format!("{} (is {})", predicted[i], truth[i])
            };
            let colour = if right { BLACK } else { RED_ };
            let at =
                ((f64::from(w) / 2.0) as i32 - 4 * label.chars().count() as i32, (8.0 * cell + 8.0) as i32);
            drawn(tile.draw(&Text::new(label, at, ("sans-serif", text(LABEL)).into_font().color(&colour))))?;
        }
        drawn(root.present())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's XOR code prints the `a2` of its last forward pass, which comes before the
    /// 10 000th update; the fixture's output is the network after it. The erratum quotes both.
    #[test]
    fn the_xor_erratum_quotes_what_the_documents_code_prints() {
        let (x, y, mut layers) = fixture_network("lab07-training", "xor-numpy").unwrap();
        let config =
            TrainConfig { epochs: 9_999, batch_size: 0, loss: Loss::SquaredError, lambda: 0.0, seed: 0 };
        lab07::train(&mut layers, &x, &y, &config, &mut lab07::Sgd { lr: 0.5 }, &mut |_, _, _| false);
        let a2 = lab07::forward(&x, &layers).a.last().unwrap().clone();
        let printed: Vec<String> = (0..4).map(|i| format!("{:.4}", a2[(i, 0)])).collect();
        let path = nnlab_check::LabFixture::path(&crate::workbook_root().join("fixtures"), "lab07-training");
        let fixture = nnlab_check::LabFixture::load(&path).unwrap();
        let case = fixture.cases.iter().find(|c| c.id == "xor-numpy").unwrap();
        let erratum = case.erratum.as_deref().unwrap();
        let quoted = format!("the final predictions {}", printed.join(", "));
        assert!(erratum.contains(&quoted), "the erratum should say “{quoted}”");
        assert!(erratum.contains(&format!("{:.6}", a2[(2, 0)])), "and quote {:.6}", a2[(2, 0)]);
    }
}
