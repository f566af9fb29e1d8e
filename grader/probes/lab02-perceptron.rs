//! How the probe and the public tests call lab 02: exercise name and inputs in, value out.
//! Compiled against a student's crate, the reference, or the stubs, always as `lab`.

use faer::Mat;
use nnlab_check::{Args, InputError, Value};

use super::lab;

/// Calls exercise `name` of lab 02 on `input`.
pub fn call(name: &str, input: Args<'_>) -> Result<Value, InputError> {
    Ok(match name {
        "predict" => lab::predict(&input.vec("w")?, input.f64("b")?, &input.vec("x")?).into(),
        "update" => {
            let (w, b) = lab::update(
                &input.vec("w")?,
                input.f64("b")?,
                &input.vec("x")?,
                input.f64("y")?,
                input.f64("eta")?,
            );
            Value::record([("w", w.into()), ("b", b.into())])
        }
        "train" => {
            let t =
                lab::train(&input.mat("x")?, &input.vec("y")?, input.f64("eta")?, input.usize("max_epochs")?);
            Value::record([
                ("w", t.w.into()),
                ("b", t.b.into()),
                ("epochs", t.epochs.into()),
                ("mistakes", t.mistakes.into()),
                ("converged", t.converged.into()),
                ("history", t.history.into()),
            ])
        }
        "decision_boundary" => {
            lab::decision_boundary(&input.vec("w")?, input.f64("b")?, &input.vec("x1")?).into()
        }
        "gaussian_clusters" => {
            let n = input.usize("n")?;
            let pair = |name: &str| -> Result<[f64; 2], InputError> {
                input.vec(name)?.try_into().map_err(|_| InputError(format!("`{name}` must have two numbers")))
            };
            let (x, y) = lab::gaussian_clusters(
                n,
                pair("centre0")?,
                pair("centre1")?,
                input.f64("std")?,
                input.usize("seed")? as u64,
            );
            cluster_summary(&x, &y, n)
        }
        _ => return Err(InputError(format!("lab02-perceptron has no exercise `{name}`"))),
    })
}

/// Random samples are judged by their statistics, not draw by draw, so that any correct sampler
/// passes: the shape, whether the labels are n zeros then n ones, and each class's mean and
/// standard deviation per coordinate (NaN where the shape is wrong).
fn cluster_summary(x: &Mat<f64>, y: &[f64], n: usize) -> Value {
    let stats = |rows: std::ops::Range<usize>| -> (Vec<f64>, Vec<f64>) {
        if x.nrows() != 2 * n || x.ncols() != 2 || n < 2 {
            return (vec![f64::NAN; 2], vec![f64::NAN; 2]);
        }
        let count = rows.len() as f64;
        let mean: Vec<f64> = (0..2).map(|j| rows.clone().map(|i| x[(i, j)]).sum::<f64>() / count).collect();
        let std = (0..2)
            .map(|j| {
                (rows.clone().map(|i| (x[(i, j)] - mean[j]).powi(2)).sum::<f64>() / (count - 1.0)).sqrt()
            })
            .collect();
        (mean, std)
    };
    let (mean0, std0) = stats(0..n);
    let (mean1, std1) = stats(n..2 * n);
    let labels_ok =
        y.len() == 2 * n && y.iter().enumerate().all(|(i, &l)| l == if i < n { 0.0 } else { 1.0 });
    Value::record([
        ("rows", x.nrows().into()),
        ("cols", x.ncols().into()),
        ("labels_are_n_zeros_then_n_ones", labels_ok.into()),
        ("mean0", mean0.into()),
        ("std0", std0.into()),
        ("mean1", mean1.into()),
        ("std1", std1.into()),
    ])
}
