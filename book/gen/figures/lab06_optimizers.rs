//! Lab 06's figure: plain gradient descent, momentum and Adam on the bowl f(x, y) = x² + 3y² of the
//! lecture notes, 20 steps of lr = 0.1 from (4, 3).

use lab06_optimizers_solution as lab06;
use plotters::prelude::*;

use super::draw::{
    BLUE_, COLUMN, GREEN_, Layout, RED_, chart_builder, drawn, figure_in_both, inside, legend, line, mesh,
    slider_figure, two_panels,
};
use crate::Generated;

/// The figures of lab06-optimizers.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let mut out: Vec<Generated> = figure_in_both(LAB, "optimizers", trajectories)?.into();
    let rates = SLIDER_RATES.iter().map(|&lr| {
        Ok((
            format!("lr = {lr}"),
            format!("lr-{lr}"),
            [frame(lr, Layout::Column)?, frame(lr, Layout::Phone)?],
        ))
    });
    out.extend(slider_figure(
        "lab06-optimizers/lr-slider.md",
        "figures/lab06-optimizers/lr",
        "learning rate",
        "Gradient descent, momentum and Adam on x² + 3y² with",
        rates.collect::<anyhow::Result<Vec<_>>>()?,
        SLIDER_START,
    ));
    Ok(out)
}

const LAB: &str = "lab06-optimizers";

fn loss(p: &[f64]) -> f64 {
    p[0] * p[0] + 3.0 * p[1] * p[1]
}

fn gradient(p: &[f64]) -> Vec<f64> {
    vec![2.0 * p[0], 6.0 * p[1]]
}

/// The paths of the three optimizers of the lecture's comparison, with learning rate `lr`.
fn paths(lr: f64) -> Vec<(&'static str, RGBColor, Vec<Vec<f64>>)> {
    let start = [4.0, 3.0];
    let run = |opt: &mut dyn lab06::Optimizer| lab06::minimize(opt, &gradient, &start, 20);
    vec![
        ("gradient descent", BLUE_, run(&mut lab06::Sgd { lr })),
        ("momentum (β = 0.9)", RED_, run(&mut lab06::Momentum::new(lr, 0.9, 2))),
        ("Adam", GREEN_, run(&mut lab06::Adam::new(lr, 0.9, 0.999, 1e-8, 2))),
    ]
}

/// The learning rates of the interactive figure, and the one it opens at (the lecture's 0.1).
pub const SLIDER_RATES: [f64; 8] = [0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35];
/// Where [`SLIDER_RATES`] holds 0.1.
pub const SLIDER_START: usize = 2;

/// The figure of the chapter: the lecture's comparison at lr = 0.1.
pub fn trajectories(layout: Layout) -> anyhow::Result<String> {
    trajectories_at(0.1, false, loss_axis(&[0.1]), layout)
}

/// One frame of the interactive figure: the same comparison at `lr`. A path that leaves the axes
/// (gradient descent diverges above lr = 1/3) is cut at the frame and its steps outside are not
/// marked. Every frame has the same loss axis, the one that holds the steps of all of them, so
/// that moving the slider compares the curves, not the scales.
pub fn frame(lr: f64, layout: Layout) -> anyhow::Result<String> {
    trajectories_at(lr, true, loss_axis(&SLIDER_RATES), layout)
}

/// The loss axis (a logarithmic range) that holds every step's loss of the paths with the
/// learning rates `rates`, from the decade below the smallest to well above the largest, which
/// leaves the legend a strip where no line runs.
fn loss_axis(rates: &[f64]) -> (f64, f64) {
    let losses =
        rates.iter().flat_map(|&lr| paths(lr)).flat_map(|(_, _, path)| path.into_iter().map(|p| loss(&p)));
    let (low, high) = losses.fold((f64::INFINITY, 0.0_f64), |(lo, hi), l| (lo.min(l), hi.max(l)));
    let (low, high) = (low.max(1e-300).log10().floor(), high.log10().ceil());
    // The legend is about a third of the panel's height: leave it that share of the decades.
    let room_above = ((high - low) * 0.45).ceil().max(2.0);
    (10f64.powf(low), 10f64.powf(high + room_above))
}

/// Left: the paths over the contour lines of the bowl. Right: the loss after every step, on a
/// logarithmic scale that holds every step, with the legend above the data. With `may_leave`,
/// steps outside the left panel's axes are left out instead of refused. `(low, high)` is the
/// loss axis, from [`loss_axis`].
fn trajectories_at(
    lr: f64,
    may_leave: bool,
    (low, high): (f64, f64),
    layout: Layout,
) -> anyhow::Result<String> {
    let paths = paths(lr);
    let title =
        if may_leave { format!("Paths with lr = {lr}") } else { "Paths on f(x, y) = x² + 3y²".to_string() };
    let mut svg = String::new();
    {
        let (root, left, right) = two_panels(&mut svg, (COLUMN as u32, 380), layout)?;
        let mut chart =
            drawn(chart_builder(&left, title, 14, (36, 44)).build_cartesian_2d(-4.5..5.0, -3.5..5.5))?;
        drawn(mesh(&mut chart).x_desc("x").y_desc("y").light_line_style(WHITE.mix(0.0)).draw())?;
        for level in [0.25, 1.0, 3.0, 7.0, 15.0, 27.0, 43.0] {
            let ellipse = (0..=200).map(|k| {
                let t = std::f64::consts::TAU * f64::from(k) / 200.0;
                (f64::sqrt(level) * t.cos(), f64::sqrt(level / 3.0) * t.sin())
            });
            line(&mut chart, ellipse, BLACK.mix(0.18).into())?;
        }
        for (_, colour, path) in &paths {
            let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
            let points: Vec<(f64, f64)> = path.iter().map(|p| (p[0], p[1])).collect();
            // No legend here: a diverging path reaches every corner of this panel, and a legend
            // box would hide some of its steps; the loss panel's legend names the colours.
            line(&mut chart, points.clone(), style)?;
            let shown = if may_leave {
                let (x, y) = (chart.x_range(), chart.y_range());
                points.into_iter().filter(|&p| super::draw::on_axes(&x, &y, p)).collect()
            } else {
                inside(&chart, points)?
            };
            drawn(chart.draw_series(shown.into_iter().map(|p| Circle::new(p, 3, colour.filled()))))?;
        }

        let mut chart = drawn(
            chart_builder(&right, "Loss per step", 14, (36, 60))
                .build_cartesian_2d(0.0..20.0, (low..high).log_scale()),
        )?;
        drawn(
            mesh(&mut chart)
                .x_desc("step")
                .y_desc("f(x, y)")
                .y_label_formatter(&|v| format!("{v:.0e}"))
                .light_line_style(WHITE.mix(0.0))
                .draw(),
        )?;
        for (name, colour, path) in &paths {
            let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
            let points: Vec<(f64, f64)> =
                path.iter().enumerate().map(|(step, p)| (step as f64, loss(p))).collect();
            line(&mut chart, points, style)?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        drawn(root.present())?;
    }
    Ok(svg)
}
