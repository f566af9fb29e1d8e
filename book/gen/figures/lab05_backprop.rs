//! Lab 05's figure: how well finite differences reproduce the backward pass as the step h shrinks.

use faer::Mat;
use lab05_backprop_solution as lab05;
use plotters::prelude::*;

use super::draw::{
    BLUE_, Layout, PHONE, RED_, canvas_for, chart_builder, drawn, figure_in_both, figure_numbers,
    fixture_network, inside, legend, line, mesh, scientific,
};
use crate::Generated;

/// The figures of lab05-backprop, and the numbers the chapter quotes from them.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let errors = Errors::new()?;
    let [column, phone] = figure_in_both(LAB, "gradient-check", |layout| gradient_check(&errors, layout))?;
    Ok(vec![column, phone, numbers(&errors)])
}

const LAB: &str = "lab05-backprop";

/// The relative error between the backward pass's dW1 and finite differences of the loss, for
/// step sizes h from 1e−12 to 1e−1 (h, error): centred differences (the lab's) and one-sided ones.
pub struct Errors {
    centred: Vec<(f64, f64)>,
    one_sided: Vec<(f64, f64)>,
}

impl Errors {
    fn new() -> anyhow::Result<Errors> {
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
        Ok(Errors { centred, one_sided: forward })
    }

    /// The error at the step closest to `h`.
    fn at(curve: &[(f64, f64)], h: f64) -> f64 {
        let distance = |p: &(f64, f64)| (p.0.ln() - h.ln()).abs();
        curve.iter().min_by(|a, b| distance(a).total_cmp(&distance(b))).expect("a curve has points").1
    }

    /// The step where the error is smallest, and that error.
    fn best(curve: &[(f64, f64)]) -> (f64, f64) {
        *curve.iter().min_by(|a, b| a.1.total_cmp(&b.1)).expect("a curve has points")
    }
}

/// `generated/lab05-backprop/figures.md`: what the chapter says of the figure, computed here,
/// each between mdBook anchors.
fn numbers(errors: &Errors) -> Generated {
    let (centred_h, centred_low) = Errors::best(&errors.centred);
    let (one_sided_h, one_sided_low) = Errors::best(&errors.one_sided);
    // A step as the power of ten it is closest to: 10⁻⁵.
    let power = |h: f64| scientific(10f64.powf(h.log10().round())).replace("1.0 × ", "");
    let anchors = [
        ("centred-at-1e-5", scientific(Errors::at(&errors.centred, 1e-5))),
        ("one-sided-at-1e-5", scientific(Errors::at(&errors.one_sided, 1e-5))),
        ("centred-best-h", power(centred_h)),
        ("centred-best", scientific(centred_low)),
        ("one-sided-best-h", power(one_sided_h)),
        ("one-sided-best", scientific(one_sided_low)),
    ];
    figure_numbers(LAB, &anchors)
}

/// The figure: both lines fall while truncation error dominates (like h² and like h) and rise
/// again once rounding error, which grows like 1/h, takes over.
pub fn gradient_check(errors: &Errors, layout: Layout) -> anyhow::Result<String> {
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
            ("centred: (f(w+h) − f(w−h)) / 2h", BLUE_, errors.centred.clone()),
            ("one-sided: (f(w+h) − f(w)) / h", RED_, errors.one_sided.clone()),
        ] {
            let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
            let points: Vec<(f64, f64)> = points.into_iter().collect();
            line(&mut chart, points.clone(), style)?
                .label(name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            let shown = inside(&chart, points)?;
            drawn(chart.draw_series(shown.into_iter().map(|p| Circle::new(p, 3, colour.filled()))))?;
        }
        // On a phone the legend spans most of the plot: below the curves' left ends, not over
        // their right ones.
        let corner = match layout {
            Layout::Column => SeriesLabelPosition::UpperLeft,
            Layout::Phone => SeriesLabelPosition::LowerLeft,
        };
        legend(&mut chart, corner)?;
        drawn(root.present())?;
    }
    Ok(svg)
}
