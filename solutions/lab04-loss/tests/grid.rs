//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why).

use std::collections::BTreeMap;

use lab04_loss_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab04-loss.rs"]
mod dispatch;

fn run(exercise: &str, fields: &[(&str, Value)]) -> Value {
    nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields.to_vec())
}

#[test]
fn reference_outputs_on_the_grid() {
    let binary = [
        ("pred", Value::from(vec![0.0, 1e-9, 0.05, 0.5, 0.95, 1.0 - 1e-9, 1.0])),
        ("target", Value::from(vec![1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0])),
    ];
    let probs =
        Value::List(vec![vec![0.7, 0.2, 0.1].into(), vec![0.0, 0.5, 0.5].into(), vec![1.0, 0.0, 0.0].into()]);
    let onehot = Value::from(lab::one_hot(&[0, 0, 1], 3));
    let weights = Value::List(vec![
        Value::List(vec![vec![1.0, -2.0].into()]),
        Value::List(vec![vec![0.5].into(), vec![3.0].into()]),
    ]);
    let mut grid = BTreeMap::new();
    for name in ["mse", "mse_grad", "bce", "bce_grad"] {
        grid.insert(name, run(name, &binary));
    }
    for name in ["categorical_ce", "categorical_ce_grad", "softmax_ce_delta"] {
        grid.insert(name, run(name, &[("probs", probs.clone()), ("onehot", onehot.clone())]));
    }
    grid.insert("l2_penalty", run("l2_penalty", &[("weights", weights), ("lambda", 0.01.into())]));
    insta::assert_yaml_snapshot!(grid);
}
