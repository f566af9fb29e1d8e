//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why).

use std::collections::BTreeMap;

use lab03_forward_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab03-forward.rs"]
mod dispatch;

fn run(exercise: &str, fields: Vec<(&str, Value)>) -> Value {
    nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields)
}

fn m(rows: &[&[f64]]) -> Value {
    Value::List(rows.iter().map(|r| r.to_vec().into()).collect())
}

#[test]
fn reference_outputs_on_the_grid() {
    let z = m(&[&[-3.0, -0.5, 0.0], &[0.5, 2.0, 800.0]]);
    let mut grid = BTreeMap::new();
    let activations = ["identity", "sigmoid", "tanh", "relu", "softmax"]
        .into_iter()
        .map(|a| run("activate", vec![("z", z.clone()), ("activation", a.into())]))
        .collect();
    grid.insert("activate", Value::List(activations));
    let layer =
        |w: Value, b: Value, act: &str| Value::record([("w", w), ("b", b), ("activation", act.into())]);
    let layers = Value::List(vec![
        layer(m(&[&[0.2, -0.4], &[0.7, 0.1]]), m(&[&[0.05, -0.05]]), "tanh"),
        layer(m(&[&[1.0, -1.0, 0.5], &[0.3, 0.2, -0.6]]), m(&[&[0.0, 0.1, 0.2]]), "softmax"),
    ]);
    let x = m(&[&[1.0, 2.0], &[-1.0, 0.5], &[0.0, 0.0]]);
    grid.insert("forward", Value::List(vec![run("forward", vec![("x", x), ("layers", layers)])]));
    let inits = ["small_random", "uniform", "xavier", "he"]
        .into_iter()
        .map(|i| {
            run(
                "init_layer",
                vec![
                    ("n_in", 30usize.into()),
                    ("n_out", 40usize.into()),
                    ("init", i.into()),
                    ("seed", 5usize.into()),
                ],
            )
        })
        .collect();
    grid.insert("init_layer", Value::List(inits));
    insta::assert_yaml_snapshot!(grid);
}
