//! Code you are given: the lab needs it, but it is not an exercise, and the
//! grader always builds your lab with this copy of it.

use super::*;

/// *Given:* you do not write this one.
///
/// A network with layer sizes `sizes` (inputs first), activation `hidden` on
/// the hidden layers and `output` on the last: weights drawn from N(0,
/// 2/fan-in) for ReLU layers (He) and N(0, 1/fan-in) otherwise (LeCun; the
/// documents call it Xavier), biases 0, every layer seeded from `seed`.
pub fn init_network(
    sizes: &[usize],
    hidden: Activation,
    output: Activation,
    seed: u64,
) -> Vec<Layer> {
    let last = sizes.len() - 2;
    (0..=last)
        .map(|l| {
            let activation = if l == last { output } else { hidden };
            let gain = if activation == Activation::Relu { 2.0 } else { 1.0 };
            let std = (gain / sizes[l] as f64).sqrt();
            let layer_seed = seed.wrapping_add(
                (l as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            Layer {
                w: nnlab_data::gaussian(
                    sizes[l],
                    sizes[l + 1],
                    std,
                    layer_seed,
                ),
                b: Mat::zeros(1, sizes[l + 1]),
                activation,
            }
        })
        .collect()
}

/// *Given:* you do not write this one.
///
/// Every parameter of `layers` end to end: each layer's `w` row by row, then
/// its `b`.
pub fn flatten(layers: &[Layer]) -> Vec<f64> {
    let mut out = Vec::with_capacity(
        layers.iter().map(|l| (l.w.nrows() + 1) * l.w.ncols()).sum(),
    );
    for layer in layers {
        for m in [&layer.w, &layer.b] {
            for i in 0..m.nrows() {
                for j in 0..m.ncols() {
                    out.push(m[(i, j)]);
                }
            }
        }
    }
    out
}

/// *Given:* you do not write this one.
///
/// The gradients in the order of [`flatten`].
pub fn flatten_gradients(grads: &[Gradients]) -> Vec<f64> {
    let mut out = Vec::new();
    flatten_gradients_into(grads, &mut out);
    out
}

/// *Given:* you do not write this one.
///
/// [`flatten_gradients`], written over `out`: a training loop that keeps one
/// vector for all its steps allocates it once.
pub fn flatten_gradients_into(grads: &[Gradients], out: &mut Vec<f64>) {
    out.clear();
    out.reserve(grads.iter().map(|g| (g.dw.nrows() + 1) * g.dw.ncols()).sum());
    for g in grads {
        for m in [&g.dw, &g.db] {
            for i in 0..m.nrows() {
                for j in 0..m.ncols() {
                    out.push(m[(i, j)]);
                }
            }
        }
    }
}

/// *Given:* you do not write this one.
///
/// Writes `params` (in the order of [`flatten`]) back into `layers`.
pub fn unflatten(layers: &mut [Layer], params: &[f64]) {
    let mut next = params.iter();
    for layer in layers {
        for m in [&mut layer.w, &mut layer.b] {
            for i in 0..m.nrows() {
                for j in 0..m.ncols() {
                    m[(i, j)] = *next.next().expect("one number per parameter");
                }
            }
        }
    }
}

/// *Given:* you do not write this one.
///
/// Reads a CSV file and splits it as [`parse_csv`] does.
pub fn load_csv(
    path: &std::path::Path,
    target: &str,
) -> Result<Dataset, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_csv(&text, target)
}

/// *Given:* you do not write this one.
///
/// A standardizer that changes nothing, for inputs that need no scaling.
pub fn identity_standardizer(features: usize) -> Standardizer {
    Standardizer { mean: vec![0.0; features], scale: vec![1.0; features] }
}
