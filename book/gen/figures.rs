//! Figures drawn with plotters from the reference solutions, as SVG text (byte-identical from run
//! to run, so a test can insist the committed figure is the current one).

mod backprop;
mod optimizers;
mod regularization;
mod training;

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use lab01_neuron_solution as lab01;
use lab02_perceptron_solution as lab02;
use lab03_forward_solution as lab03;
use lab04_loss_solution as lab04;
use lab05_backprop_solution as lab05;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::Generated;

/// Every figure of the book.
pub fn all() -> Result<Vec<Generated>> {
    Ok(vec![
        Generated { path: PathBuf::from("figures/lab01-activations.svg"), content: activations()? },
        Generated { path: PathBuf::from("figures/lab02-perceptron.svg"), content: perceptron()? },
        Generated { path: PathBuf::from("figures/lab03-network.svg"), content: network()? },
        Generated { path: PathBuf::from("figures/lab04-losses.svg"), content: losses()? },
        Generated {
            path: PathBuf::from("figures/lab05-gradient-check.svg"),
            content: backprop::gradient_check()?,
        },
        Generated {
            path: PathBuf::from("figures/lab06-optimizers.svg"),
            content: optimizers::trajectories()?,
        },
        Generated { path: PathBuf::from("figures/lab07-xor.svg"), content: training::xor()? },
        Generated { path: PathBuf::from("figures/lab07-moons.svg"), content: training::moons()? },
        Generated { path: PathBuf::from("figures/lab07-sine.svg"), content: training::sine()? },
        Generated { path: PathBuf::from("figures/lab07-digits.svg"), content: training::digits()? },
        Generated {
            path: PathBuf::from("figures/lab08-overfitting.svg"),
            content: regularization::overfitting()?,
        },
        Generated {
            path: PathBuf::from("figures/lab08-gradient-norms.svg"),
            content: regularization::gradient_norms()?,
        },
    ])
}

/// The inputs, targets and network of fixture case `case` of `lab` (a lab using lab 05's layers).
fn fixture_network(lab: &str, case: &str) -> Result<(faer::Mat<f64>, faer::Mat<f64>, Vec<lab05::Layer>)> {
    use nnlab_check::{Args, LabFixture};
    let path = LabFixture::path(&crate::workbook_root().join("fixtures"), lab);
    let fixture = LabFixture::load(&path).map_err(|e| anyhow!(e))?;
    let found =
        fixture.cases.iter().find(|c| c.id == case).ok_or_else(|| anyhow!("{lab} has no case {case}"))?;
    let input = Args(&found.input);
    let read = || -> Result<_, nnlab_check::InputError> {
        let layers = input
            .records("layers")?
            .into_iter()
            .map(|l| {
                let activation = match l.str("activation")? {
                    "identity" => lab05::Activation::Identity,
                    "sigmoid" => lab05::Activation::Sigmoid,
                    "tanh" => lab05::Activation::Tanh,
                    "relu" => lab05::Activation::Relu,
                    other => return Err(nnlab_check::InputError(format!("unknown activation `{other}`"))),
                };
                Ok(lab05::Layer { w: l.mat("w")?, b: l.mat("b")?, activation })
            })
            .collect::<Result<Vec<_>, nnlab_check::InputError>>()?;
        Ok((input.mat("x")?, input.mat("y")?, layers))
    };
    read().map_err(|e| anyhow!("{lab}/{case}: {}", e.0))
}

/// Plotters' errors borrow the backend's error type; the book only needs their text.
fn drawn<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T> {
    result.map_err(|e| anyhow!("drawing a figure: {e:?}"))
}

/// The width, in CSS pixels, of mdBook's content column: a figure is shown at most this wide.
pub const COLUMN: f64 = 750.0;

/// The smallest text of a figure, in CSS pixels once the figure is scaled to the column.
pub const SMALLEST_TEXT: f64 = 12.0;

thread_local! {
    /// The width of the figure being drawn, which [`text`] scales fonts by.
    static WIDTH: std::cell::Cell<u32> = const { std::cell::Cell::new(COLUMN as u32) };
}

/// A figure `size` pixels large drawn into `svg`; fonts from [`text`] are scaled to its width.
fn canvas(svg: &mut String, size: (u32, u32)) -> DrawingArea<SVGBackend<'_>, plotters::coord::Shift> {
    WIDTH.with(|w| w.set(size.0));
    SVGBackend::with_string(svg, size).into_drawing_area()
}

/// The plotters font size for text `px` CSS pixels high when the current figure is shown at the
/// column's width (plotters writes a size s as an SVG font-size of s / 1.24).
fn text(px: f64) -> f64 {
    let width = f64::from(WIDTH.with(std::cell::Cell::get));
    (px * width.max(COLUMN) / COLUMN * 1.24 * 10.0).ceil() / 10.0
}

/// Room for axis labels that was `pixels` with plotters' 12-point default font, at [`text`]'s size.
fn room(pixels: u32) -> u32 {
    (f64::from(pixels) * text(LABEL) / 12.0).ceil() as u32
}

/// Tick labels, axis names and legends.
const LABEL: f64 = SMALLEST_TEXT + 0.5;
/// Panel titles.
const TITLE: f64 = 15.0;

/// The mesh of a chart with the book's label fonts and few enough ticks for them.
fn mesh<'a, 'b, X, Y>(
    chart: &'b mut Chart<'a, X, Y>,
) -> plotters::chart::MeshStyle<'a, 'b, X, Y, SVGBackend<'a>>
where
    X: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let mut style = chart.configure_mesh();
    style
        .label_style(("sans-serif", text(LABEL)))
        .axis_desc_style(("sans-serif", text(LABEL)))
        .x_labels(7)
        .y_labels(7);
    style
}

/// A chart of the book: two axes of `f64`, linear or logarithmic.
type Chart<'a, X, Y> = ChartContext<'a, SVGBackend<'a>, plotters::coord::cartesian::Cartesian2d<X, Y>>;

/// Whether `(x, y)` lies on the chart's axes (edges included).
fn on_axes(x_range: &std::ops::Range<f64>, y_range: &std::ops::Range<f64>, (x, y): (f64, f64)) -> bool {
    let within = |r: &std::ops::Range<f64>, v: f64| r.start.min(r.end) <= v && v <= r.start.max(r.end);
    within(x_range, x) && within(y_range, y)
}

/// The parts of the polyline `points` that lie inside the box, cut where it crosses an edge (the
/// crossing is interpolated, so every part starts and ends on the true curve). plotters would pin
/// a point outside the axes to the frame and draw a value that nobody computed.
fn clipped(
    points: &[(f64, f64)],
    x_range: &std::ops::Range<f64>,
    y_range: &std::ops::Range<f64>,
) -> Vec<Vec<(f64, f64)>> {
    let (x0, x1) = (x_range.start.min(x_range.end), x_range.start.max(x_range.end));
    let (y0, y1) = (y_range.start.min(y_range.end), y_range.start.max(y_range.end));
    let mut parts: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut open = false;
    for pair in points.windows(2) {
        let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
        if !(ax.is_finite() && ay.is_finite() && bx.is_finite() && by.is_finite()) {
            open = false;
            continue;
        }
        // Liang–Barsky: the part t ∈ [t0, t1] of a + t·(b − a) inside the box.
        let (dx, dy) = (bx - ax, by - ay);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        let mut keep = true;
        for (p, q) in [(-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)] {
            if p == 0.0 {
                keep &= q >= 0.0;
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
        if !keep || t0 > t1 {
            open = false;
            continue;
        }
        // The ends themselves where they are inside, so that an unclipped polyline is unchanged.
        let at = |t: f64| match t {
            0.0 => (ax, ay),
            1.0 => (bx, by),
            t => ((ax + t * dx).clamp(x0, x1), (ay + t * dy).clamp(y0, y1)),
        };
        if !(open && t0 == 0.0) {
            parts.push(vec![at(t0)]);
        }
        parts.last_mut().expect("a part was opened").push(at(t1));
        open = t1 == 1.0;
    }
    parts
}

/// Draws the polyline `points` on `chart`, clipped to its axes, as one labelled series.
fn line<'a, 'b, X, Y>(
    chart: &'b mut Chart<'a, X, Y>,
    points: impl IntoIterator<Item = (f64, f64)>,
    style: ShapeStyle,
) -> Result<&'b mut plotters::chart::SeriesAnno<'a, SVGBackend<'a>>>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let points: Vec<(f64, f64)> = points.into_iter().collect();
    let parts = clipped(&points, &chart.x_range(), &chart.y_range());
    drawn(chart.draw_series(parts.into_iter().map(move |part| PathElement::new(part, style))))
}

/// The points of a scatter, refused when one lies outside the chart's axes: choose axes that
/// contain the data rather than let plotters pin a point to the frame.
fn inside<X, Y>(
    chart: &Chart<'_, X, Y>,
    points: impl IntoIterator<Item = (f64, f64)>,
) -> Result<Vec<(f64, f64)>>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let (x_range, y_range) = (chart.x_range(), chart.y_range());
    points
        .into_iter()
        .map(|p| {
            if on_axes(&x_range, &y_range, p) {
                Ok(p)
            } else {
                Err(anyhow!("the point {p:?} lies outside the axes {x_range:?} × {y_range:?}"))
            }
        })
        .collect()
}

/// One curve: its legend, its colour and the function drawn.
type Curve<'a> = (&'a str, RGBColor, &'a dyn Fn(f64) -> f64);

const BLUE_: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(255, 127, 14);
const GREEN_: RGBColor = RGBColor(44, 160, 44);
const RED_: RGBColor = RGBColor(214, 39, 40);
const PURPLE: RGBColor = RGBColor(148, 103, 189);

/// The slope leaky ReLU is drawn with: the documents' 0.01 would be indistinguishable from ReLU.
const ALPHA: f64 = 0.1;

/// Lab 01: the activation functions (left) and their derivatives (right) on z ∈ [−4, 4].
fn activations() -> Result<String> {
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
        let root = canvas(&mut svg, (COLUMN as u32, 360));
        drawn(root.fill(&WHITE))?;
        let (left, right) = root.split_horizontally(COLUMN as u32 / 2);
        let upper_left = SeriesLabelPosition::UpperLeft;
        curves_panel(
            &left,
            "Activation functions a = f(z)",
            "z",
            "f(z)",
            -4.0..4.0,
            -1.3..3.0,
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
            -0.1..1.75,
            &derivatives,
            upper_left,
        )?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// Lab 02: the boundary learned on AND, on two Gaussian clusters, and XOR's mistakes per epoch.
fn perceptron() -> Result<String> {
    let table = lab02::truth_table();
    let and = lab02::train(&table, &[0.0, 0.0, 0.0, 1.0], 0.5, 20);
    let (clusters, labels) = lab02::gaussian_clusters(60, [-1.5, -1.0], [1.5, 1.2], 0.9, 2);
    let fit = lab02::train(&clusters, &labels, 0.1, 100);
    let xor = lab02::train(&table, &[0.0, 1.0, 1.0, 0.0], 0.5, 20);
    let mut svg = String::new();
    {
        let root = canvas(&mut svg, (COLUMN as u32, 740));
        drawn(root.fill(&WHITE))?;
        let (top, bottom) = root.split_vertically(400);
        let (top_left, top_right) = top.split_horizontally(COLUMN as u32 / 2);
        let panels = [top_left, top_right, bottom];
        let gate: Vec<(f64, f64, f64)> =
            (0..4).map(|i| (table[(i, 0)], table[(i, 1)], [0.0, 0.0, 0.0, 1.0][i])).collect();
        let title = format!("AND: learned in {} epochs (η = 0.5)", and.epochs);
        scatter_with_line(&panels[0], &title, &gate, &and, -0.5..1.5)?;
        let points: Vec<(f64, f64, f64)> =
            (0..clusters.nrows()).map(|i| (clusters[(i, 0)], clusters[(i, 1)], labels[i])).collect();
        let title = format!(
            "Two clusters: {} after {} epochs",
            if fit.converged { "separated" } else { "not separated" },
            fit.epochs
        );
        scatter_with_line(&panels[1], &title, &points, &fit, -4.5..4.5)?;
        let mut chart = drawn(
            ChartBuilder::on(&panels[2])
                .caption("XOR: mistakes per epoch never reach 0", ("sans-serif", text(TITLE)))
                .margin(12)
                .x_label_area_size(room(36))
                .y_label_area_size(room(40))
                .build_cartesian_2d(0.5..(xor.epochs as f64 + 0.5), 0.0..4.5),
        )?;
        drawn(mesh(&mut chart).x_desc("epoch").y_desc("misclassified samples (of 4)").draw())?;
        drawn(chart.draw_series(xor.mistakes.iter().enumerate().map(|(e, &m)| {
            let x = (e + 1) as f64;
            Rectangle::new([(x - 0.35, 0.0), (x + 0.35, m as f64)], RED_.mix(0.7).filled())
        })))?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// Labelled points (class 0 blue, class 1 red) and the perceptron's boundary w₁x₁ + w₂x₂ + b = 0
/// (black), clipped to the axes.
fn scatter_with_line(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    points: &[(f64, f64, f64)],
    fit: &lab02::Training,
    range: std::ops::Range<f64>,
) -> Result<()> {
    let mut chart = drawn(
        ChartBuilder::on(area)
            .caption(title, ("sans-serif", text(TITLE)))
            .margin(12)
            .x_label_area_size(room(36))
            .y_label_area_size(room(40))
            .build_cartesian_2d(range.clone(), range.clone()),
    )?;
    drawn(mesh(&mut chart).x_desc("x₁").y_desc("x₂").light_line_style(WHITE.mix(0.0)).draw())?;
    // The learned line, clipped where it leaves the axes: a vertical one if w₂ = 0.
    let ends: Vec<(f64, f64)> = if fit.w[1] == 0.0 {
        let x = -fit.b / fit.w[0];
        vec![(x, range.start), (x, range.end)]
    } else {
        let xs = [range.start, range.end];
        xs.into_iter().zip(lab02::decision_boundary(&fit.w, fit.b, &xs)).collect()
    };
    let style = ShapeStyle { color: BLACK.to_rgba(), filled: false, stroke_width: 2 };
    // No legend box, which would hide points: the chapter's caption names the colours.
    line(&mut chart, ends, style)?;
    for (class, colour) in [(0.0, BLUE_), (1.0, RED_)] {
        let style = colour.mix(0.8).filled();
        let shown = inside(&chart, points.iter().filter(|p| p.2 == class).map(|&(x, y, _)| (x, y)))?;
        drawn(chart.draw_series(shown.into_iter().map(|p| Circle::new(p, 5, style))))?;
    }
    Ok(())
}

/// Lab 03: the 2-3-1 network of the lecture notes as a diagram, every neuron labelled with the
/// value the reference's forward pass computes for it; edges are coloured by the weight's sign and
/// drawn thicker for larger weights.
fn network() -> Result<String> {
    let m = |rows: &[&[f64]]| faer::Mat::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j]);
    let layers = [
        lab03::Layer {
            w: m(&[&[0.1, 0.3, -0.2], &[0.4, -0.5, 0.6]]),
            b: m(&[&[0.1, -0.1, 0.2]]),
            activation: lab03::Activation::Relu,
        },
        lab03::Layer {
            w: m(&[&[0.7], &[-0.3], &[0.5]]),
            b: m(&[&[0.1]]),
            activation: lab03::Activation::Sigmoid,
        },
    ];
    let cache = lab03::forward(&m(&[&[0.5, 0.8]]), &layers);
    let mut svg = String::new();
    {
        let root = canvas(&mut svg, (900, 420));
        drawn(root.fill(&WHITE))?;
        let column_x = [150, 450, 750];
        let position = |layer: usize, k: usize, count: usize| {
            let spacing = 120;
            let top = 210 - spacing * (count as i32 - 1) / 2;
            (column_x[layer], top + spacing * k as i32)
        };
        for (l, layer) in layers.iter().enumerate() {
            for i in 0..layer.w.nrows() {
                for j in 0..layer.w.ncols() {
                    let w = layer.w[(i, j)];
                    let colour = if w >= 0.0 { BLUE_ } else { RED_ };
                    let (from, to) = (position(l, i, layer.w.nrows()), position(l + 1, j, layer.w.ncols()));
                    let width = 1 + (w.abs() * 8.0).round() as u32;
                    let style = ShapeStyle { color: colour.mix(0.6), filled: false, stroke_width: width };
                    drawn(root.draw(&PathElement::new(vec![from, to], style)))?;
                    let label = (from.0 + (to.0 - from.0) / 4, from.1 + (to.1 - from.1) / 4 - 8);
                    drawn(root.draw(&Text::new(
                        format!("{w}"),
                        label,
                        ("sans-serif", text(LABEL)).into_font().color(&colour),
                    )))?;
                }
            }
        }
        let titles = ["input x", "hidden: ReLU(z₁)", "output: σ(z₂)"];
        for (l, a) in cache.a.iter().enumerate() {
            for k in 0..a.ncols() {
                let centre = position(l, k, a.ncols());
                drawn(root.draw(&Circle::new(centre, 34, WHITE.filled())))?;
                drawn(root.draw(&Circle::new(
                    centre,
                    34,
                    ShapeStyle { color: BLACK.to_rgba(), filled: false, stroke_width: 2 },
                )))?;
                let value = format!("{:.4}", a[(0, k)]);
                let inner = ("sans-serif", text(14.0))
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                drawn(root.draw(&Text::new(value, centre, inner.clone())))?;
                if l > 0 {
                    let z = format!("z = {:.4}", cache.z[l - 1][(0, k)]);
                    let below = ("sans-serif", text(LABEL))
                        .into_font()
                        .color(&BLACK.mix(0.6))
                        .pos(Pos::new(HPos::Center, VPos::Top));
                    drawn(root.draw(&Text::new(z, (centre.0, centre.1 + 38), below)))?;
                }
            }
            let title =
                ("sans-serif", text(TITLE)).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
            drawn(root.draw(&Text::new(titles[l], (column_x[l], 8), title)))?;
        }
        drawn(root.present())?;
    }
    Ok(svg)
}

/// Lab 04: for a true label y = 1, the BCE and MSE of a prediction p (left), and the gradients
/// with respect to the sigmoid's pre-activation z that each loss sends back (right): MSE's vanishes
/// exactly where the prediction is confidently wrong.
fn losses() -> Result<String> {
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
        let root = canvas(&mut svg, (COLUMN as u32, 360));
        drawn(root.fill(&WHITE))?;
        let (left, right) = root.split_horizontally(COLUMN as u32 / 2);
        let (upper_right, middle_right) = (SeriesLabelPosition::UpperRight, SeriesLabelPosition::MiddleRight);
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
            -1.05..0.05,
            &gradient_curves,
            middle_right,
        )?;
        drawn(root.present())?;
    }
    Ok(svg)
}

/// The legend box every chart of the book uses, at `position`.
fn legend<'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Result<()> {
    drawn(
        chart
            .configure_series_labels()
            .position(position)
            .label_font(("sans-serif", text(LABEL)))
            .legend_area_size(room(30))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw(),
    )
}

/// A panel of named curves over `x_range`. The step functions jump at 0: sampling either side of
/// it draws the jump as a vertical line.
#[allow(clippy::too_many_arguments)]
fn curves_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    x_label: &str,
    y_label: &str,
    x_range: std::ops::Range<f64>,
    y_range: std::ops::Range<f64>,
    curves: &[Curve],
    legend_at: SeriesLabelPosition,
) -> Result<()> {
    let mut chart = drawn(
        ChartBuilder::on(area)
            .caption(title, ("sans-serif", text(TITLE)))
            .margin(12)
            .x_label_area_size(room(36))
            .y_label_area_size(room(48))
            .build_cartesian_2d(x_range.clone(), y_range),
    )?;
    drawn(mesh(&mut chart).x_desc(x_label).y_desc(y_label).light_line_style(WHITE.mix(0.0)).draw())?;
    for &(name, colour, f) in curves {
        let (lo, hi) = (x_range.start, x_range.end);
        let points = (0..=800).map(|i| lo + (hi - lo) * f64::from(i) / 800.0).map(|x| (x, f(x)));
        let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
        line(&mut chart, points, style)?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    legend(&mut chart, legend_at)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_where_it_leaves_the_axes() {
        // y = x on [0, 4] through a box of height 2: drawn up to (2, 2), not pinned along the top.
        let parts = clipped(&[(0.0, 0.0), (4.0, 4.0)], &(0.0..4.0), &(0.0..2.0));
        assert_eq!(parts, vec![vec![(0.0, 0.0), (2.0, 2.0)]]);
        // Leaving and coming back gives two parts; a segment wholly outside gives none.
        let zigzag = [(0.0, 1.0), (1.0, 3.0), (2.0, 1.0), (3.0, 5.0), (4.0, 6.0)];
        let parts = clipped(&zigzag, &(0.0..4.0), &(0.0..2.0));
        assert_eq!(parts, vec![vec![(0.0, 1.0), (0.5, 2.0)], vec![(1.5, 2.0), (2.0, 1.0), (2.25, 2.0)]]);
        // A polyline inside the box is kept as it is, in one piece.
        let inner = [(0.5, 0.5), (1.0, 1.5), (3.0, 0.2)];
        assert_eq!(clipped(&inner, &(0.0..4.0), &(0.0..2.0)), vec![inner.to_vec()]);
    }

    #[test]
    fn a_scatter_point_outside_the_axes_is_refused() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (200, 200)).into_drawing_area();
        let chart = ChartBuilder::on(&root).build_cartesian_2d(0.0..1.0, 0.0..1.0).unwrap();
        assert!(inside(&chart, [(0.5, 0.5), (1.0, 0.0)]).is_ok());
        let refused = inside(&chart, [(0.5, 0.5), (0.5, 1.2)]).unwrap_err().to_string();
        assert!(refused.contains("(0.5, 1.2)"), "{refused}");
    }

    /// Every line of every figure goes through [`line`], which clips it to the axes: plotters'
    /// own `LineSeries` pins the points outside them to the frame.
    #[test]
    fn figures_draw_lines_only_through_the_clipping_helper() {
        let dir = crate::workbook_root().join("book/gen");
        let mut sources = vec![dir.join("figures.rs")];
        for entry in std::fs::read_dir(dir.join("figures")).unwrap() {
            sources.push(entry.unwrap().path());
        }
        let needle = ["LineSeries", "::new("].concat();
        for path in sources {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains(&needle), "{} draws a line with plotters' {needle}", path.display());
        }
    }
}
