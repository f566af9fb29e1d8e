//! Lab 02's figure: the perceptron's boundaries and mistakes.

use anyhow::Result;
use lab02_perceptron_solution as lab02;
use plotters::prelude::*;

use super::draw::{
    BLUE_, COLUMN, Layout, PHONE, RED_, canvas_for, chart_builder, drawn, figure_in_both, inside, line, mesh,
};
use crate::Generated;

/// The figures of lab02-perceptron.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    let out = figure_in_both(LAB, "perceptron", perceptron)?.into();
    Ok(out)
}

const LAB: &str = "lab02-perceptron";

/// Lab 02: the boundary learned on AND, on two Gaussian clusters, and XOR's mistakes per epoch.
pub fn perceptron(layout: Layout) -> Result<String> {
    let table = lab02::truth_table();
    let and = lab02::train(&table, &[0.0, 0.0, 0.0, 1.0], 0.5, 20);
    let (clusters, labels) = lab02::gaussian_clusters(60, [-1.5, -1.0], [1.5, 1.2], 0.9, 2);
    let fit = lab02::train(&clusters, &labels, 0.1, 100);
    let xor = lab02::train(&table, &[0.0, 1.0, 1.0, 0.0], 0.5, 20);
    let mut svg = String::new();
    {
        // Two square panels above a wide one; on a phone, the three one above the other.
        let (root, panels) = match layout {
            Layout::Column => {
                let root = canvas_for(&mut svg, (COLUMN as u32, 740), layout);
                let (top, bottom) = root.split_vertically(400);
                let (top_left, top_right) = top.split_horizontally(COLUMN as u32 / 2);
                (root, [top_left, top_right, bottom])
            }
            Layout::Phone => {
                let root = canvas_for(&mut svg, (PHONE, 1120), layout);
                let (top, rest) = root.split_vertically(400);
                let (middle, bottom) = rest.split_vertically(400);
                (root, [top, middle, bottom])
            }
        };
        drawn(root.fill(&WHITE))?;
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
            chart_builder(&panels[2], "XOR: mistakes per epoch never reach 0", 12, (36, 40))
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
    let mut chart =
        drawn(chart_builder(area, title, 12, (36, 40)).build_cartesian_2d(range.clone(), range.clone()))?;
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
