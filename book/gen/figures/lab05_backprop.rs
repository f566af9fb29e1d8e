//! Lab 05's figure: how well finite differences reproduce the backward pass as the step h shrinks.

use faer::Mat;
use lab05_backprop_solution as lab05;
use plotters::prelude::*;

use super::draw::{
    BLUE_, Layout, PHONE, RED_, canvas_for, chart_builder, drawn, figure_in_both, fixture_network, inside,
    legend, line, mesh,
};
use crate::Generated;

/// The figures of lab05-backprop.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    Ok(figure_in_both(LAB, "gradient-check", gradient_check)?.into())
}

const LAB: &str = "lab05-backprop";

/// The relative error between the backward pass's dW1 and finite differences of the loss, for
/// step sizes h from 1e−12 to 1e−1: centred differences (the lab's) against one-sided ones. Both
/// lines fall while truncation error dominates (like h² and like h) and rise again once rounding
/// error, which grows like 1/h, takes over.
pub fn gradient_check(layout: Layout) -> anyhow::Result<String> {
    let (x, y, layers) = fixture_network("lab05-backprop", "homework-backprop")?;
    let loss = lab05::Loss::SquaredError;
    let analytic = lab05::backward(&layers, &lab05::forward(&x, &layers), &y, loss, 0.0).remove(0).dw;
    let f = |w: &Mat<f64>| {
        let mut changed = layers.clone();
        changed[0].w = w.clone();
        lab05::loss_value(&lab05::forward(&x, &changed).a[2], &y, loss)
    };
    let one_sided = |h: f64| {
        let w = &layers[0].w;
        let here = f(w);
        Mat::from_fn(w.nrows(), w.ncols(), |i, j| {
            let mut moved = w.clone();
            moved[(i, j)] += h;
            (f(&moved) - here) / h
        })
    };
    let hs: Vec<f64> = (0..=44).map(|k| 10f64.powf(-12.0 + f64::from(k) * 0.25)).collect();
    let centred: Vec<(f64, f64)> = hs
        .iter()
        .map(|&h| (h, lab05::relative_error(&analytic, &lab05::numerical_gradient(&f, &layers[0].w, h))))
        .collect();
    let forward: Vec<(f64, f64)> =
        hs.iter().map(|&h| (h, lab05::relative_error(&analytic, &one_sided(h)))).collect();
    let mut svg = String::new();
    {
        let (size, title) = match layout {
            Layout::Column => ((800, 460), "Gradient check of dW1 on the homework network"),
            Layout::Phone => ((PHONE, 400), "Gradient check of dW1"),
        };
        let root = canvas_for(&mut svg, size, layout);
        drawn(root.fill(&WHITE))?;
        let mut chart = drawn(
            chart_builder(&root, title, 14, (40, 60))
                .build_cartesian_2d((1e-12..0.1).log_scale(), (1e-13..1.0).log_scale()),
        )?;
        drawn(
            mesh(&mut chart)
                .x_desc("step h")
                .y_desc("relative error ‖a − b‖ / (‖a‖ + ‖b‖)")
                .x_label_formatter(&|h| format!("{h:.0e}"))
                .y_label_formatter(&|e| format!("{e:.0e}"))
                .light_line_style(WHITE.mix(0.0))
                .draw(),
        )?;
        for (name, colour, points) in [
            ("centred: (f(w+h) − f(w−h)) / 2h", BLUE_, centred),
            ("one-sided: (f(w+h) − f(w)) / h", RED_, forward),
        ] {
            let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
            let points: Vec<(f64, f64)> = points.into_iter().collect();
            line(&mut chart, points.clone(), style)?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            let shown = inside(&chart, points)?;
            drawn(chart.draw_series(shown.into_iter().map(|p| Circle::new(p, 3, colour.filled()))))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        drawn(root.present())?;
    }
    Ok(svg)
}
