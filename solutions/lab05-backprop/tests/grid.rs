//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why).

use std::collections::BTreeMap;

use lab05_backprop_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab05-backprop.rs"]
mod dispatch;

fn run(exercise: &str, fields: Vec<(&str, Value)>) -> Value {
    nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields)
}

fn m(rows: &[&[f64]]) -> Value {
    Value::List(rows.iter().map(|r| r.to_vec().into()).collect())
}

fn network() -> Vec<(&'static str, Value)> {
    let layer =
        |w: Value, b: Value, act: &str| Value::record([("w", w), ("b", b), ("activation", act.into())]);
    vec![
        ("x", m(&[&[1.0, 2.0], &[-1.0, 0.5], &[0.0, 0.0]])),
        ("y", m(&[&[1.0], &[0.0], &[1.0]])),
        (
            "layers",
            Value::List(vec![
                layer(m(&[&[0.2, -0.4, 0.1], &[0.7, 0.1, -0.3]]), m(&[&[0.05, -0.05, 0.0]]), "tanh"),
                layer(m(&[&[1.0], &[-1.0], &[0.5]]), m(&[&[0.1]]), "sigmoid"),
            ]),
        ),
    ]
}

#[test]
fn reference_outputs_on_the_grid() {
    let z = m(&[&[-3.0, -0.5, 0.0], &[0.5, 2.0, 40.0]]);
    let mut grid = BTreeMap::new();
    let derivatives = ["identity", "sigmoid", "tanh", "relu"]
        .into_iter()
        .map(|a| run("activation_derivative", vec![("z", z.clone()), ("activation", a.into())]))
        .collect();
    grid.insert("activation_derivative", Value::List(derivatives));
    let backward = [("cross_entropy", 0.0), ("squared_error", 0.0), ("squared_error", 0.3)]
        .into_iter()
        .map(|(loss, lambda)| {
            let mut fields = network();
            fields.extend([("loss", loss.into()), ("lambda", lambda.into())]);
            run("backward", fields)
        })
        .collect();
    grid.insert("backward", Value::List(backward));
    insta::assert_yaml_snapshot!(grid);
}

/// The three routes to the homework's gradient agree: closed form, backpropagation and finite
/// differences.
#[test]
fn closed_form_backprop_and_finite_differences_agree() {
    let x = faer::mat![[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5], [2.0, 1.0]];
    let y = [1.0, 0.0, 0.0, 1.0];
    let targets = faer::Mat::from_fn(4, 1, |i, _| y[i]);
    let layers = vec![
        lab::Layer {
            w: faer::mat![[0.2, -0.3, 0.4], [0.1, 0.5, -0.2]],
            b: faer::mat![[0.1, -0.1, 0.05]],
            activation: lab::Activation::Sigmoid,
        },
        lab::Layer {
            w: faer::mat![[0.3], [-0.6], [0.2]],
            b: faer::mat![[0.05]],
            activation: lab::Activation::Sigmoid,
        },
    ];
    let alpha = 0.5;
    let grads = lab::backward(&layers, &lab::forward(&x, &layers), &targets, lab::Loss::SquaredError, 0.0);
    let loss_of = |w1: &faer::Mat<f64>| {
        let mut changed = layers.clone();
        changed[0].w = w1.clone();
        lab::loss_value(&lab::forward(&x, &changed).a[2], &targets, lab::Loss::SquaredError)
    };
    let numeric = lab::numerical_gradient(&loss_of, &layers[0].w, 1e-5);
    assert!(lab::relative_error(&grads[0].dw, &numeric) < 1e-8);
    for feature in 0..2 {
        let closed = lab::homework_update(&x, &y, &layers, feature, alpha);
        let by_backprop = layers[0].w[(feature, 1)] - alpha * grads[0].dw[(feature, 1)];
        assert!((closed - by_backprop).abs() < 1e-14, "{closed} vs {by_backprop}");
    }
}
