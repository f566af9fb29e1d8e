//! Figures drawn with plotters from the reference solutions, as SVG text (byte-identical from run
//! to run, so a test can insist the committed figure is the current one).

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use lab01_neuron_solution as lab01;
use plotters::prelude::*;

use crate::Generated;

/// Every figure of the book.
pub fn all() -> Result<Vec<Generated>> {
    Ok(vec![Generated { path: PathBuf::from("figures/lab01-activations.svg"), content: activations()? }])
}

/// Plotters' errors borrow the backend's error type; the book only needs their text.
fn drawn<T, E: std::fmt::Debug>(result: Result<T, E>) -> Result<T> {
    result.map_err(|e| anyhow!("drawing a figure: {e:?}"))
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
        let root = SVGBackend::with_string(&mut svg, (1000, 420)).into_drawing_area();
        drawn(root.fill(&WHITE))?;
        let (left, right) = root.split_horizontally(500);
        panel(&left, "Activation functions a = f(z)", "f(z)", -1.3..3.0, &functions)?;
        panel(&right, "Their derivatives f′(z)", "f′(z)", -0.1..1.15, &derivatives)?;
        drawn(root.present())?;
    }
    Ok(svg)
}

fn panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    y_label: &str,
    y_range: std::ops::Range<f64>,
    curves: &[Curve],
) -> Result<()> {
    let mut chart = drawn(
        ChartBuilder::on(area)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(-4.0..4.0, y_range),
    )?;
    drawn(chart.configure_mesh().x_desc("z").y_desc(y_label).light_line_style(WHITE.mix(0.0)).draw())?;
    for &(name, colour, f) in curves {
        // The step functions jump at 0: sampling either side of it draws the jump as a vertical line.
        let points = (0..=800).map(|i| -4.0 + 8.0 * f64::from(i) / 800.0).map(|z| (z, f(z)));
        let style = ShapeStyle { color: colour.to_rgba(), filled: false, stroke_width: 2 };
        drawn(chart.draw_series(LineSeries::new(points, style)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    drawn(
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw(),
    )?;
    Ok(())
}
