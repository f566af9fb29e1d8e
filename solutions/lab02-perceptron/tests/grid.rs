//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why).

use std::collections::BTreeMap;

use lab02_perceptron_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab02-perceptron.rs"]
mod dispatch;

fn run(exercise: &str, fields: Vec<(&str, Value)>) -> Value {
    nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields)
}

#[test]
fn reference_outputs_on_the_grid() {
    let table = lab::truth_table();
    let mut grid = BTreeMap::new();
    let gates = [("and", [0.0, 0.0, 0.0, 1.0]), ("or", [0.0, 1.0, 1.0, 1.0]), ("nand", [1.0, 1.0, 1.0, 0.0])];
    let mut runs = Vec::new();
    for (_, y) in gates {
        for eta in [0.1, 1.0] {
            runs.push(run(
                "train",
                vec![
                    ("x", (&table).into()),
                    ("y", y.to_vec().into()),
                    ("eta", eta.into()),
                    ("max_epochs", 10usize.into()),
                ],
            ));
        }
    }
    grid.insert("train", Value::List(runs));
    let boundary =
        vec![("w", vec![1.0, 0.5].into()), ("b", (-1.5).into()), ("x1", vec![-1.0, 0.0, 2.0].into())];
    grid.insert("decision_boundary", Value::List(vec![run("decision_boundary", boundary)]));
    let clusters = vec![
        ("n", 100usize.into()),
        ("centre0", vec![-1.0, 0.0].into()),
        ("centre1", vec![1.0, 0.5].into()),
        ("std", 0.5.into()),
        ("seed", 7usize.into()),
    ];
    grid.insert("gaussian_clusters", Value::List(vec![run("gaussian_clusters", clusters)]));
    insta::assert_yaml_snapshot!(grid);
}
