//! Lab 03's figure: the lecture notes' network as a diagram.

use anyhow::Result;
use lab03_forward_solution as lab03;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{BLUE_, LABEL, Layout, PHONE, RED_, TITLE, canvas_for, drawn, figure_in_both, text};
use crate::Generated;

/// The figures of lab03-forward.
pub fn figures() -> anyhow::Result<Vec<Generated>> {
    Ok(figure_in_both(LAB, "network", network)?.into())
}

const LAB: &str = "lab03-forward";

/// Lab 03: the 2-3-1 network of the lecture notes as a diagram, every neuron labelled with the
/// value the reference's forward pass computes for it; edges are coloured by the weight's sign and
/// drawn thicker for larger weights. The three layers stand at a sixth, a half and five sixths of
/// the width: 900 pixels in the column, a phone's [`PHONE`].
pub fn network(layout: Layout) -> Result<String> {
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
        let width = match layout {
            Layout::Column => 900,
            Layout::Phone => PHONE,
        };
        let root = canvas_for(&mut svg, (width, 420), layout);
        drawn(root.fill(&WHITE))?;
        let width = width as i32;
        let column_x = [width / 6, width / 2, width * 5 / 6];
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
