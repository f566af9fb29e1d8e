//! The reference's outputs on a fixed grid of inputs, snapshotted: a change to any reference
//! function shows up as a reviewed diff, not as a silently moved target for every student.
//! The calls go through the probe's dispatch, so the snapshot also pins how the grader calls it.

use std::collections::BTreeMap;

use lab01_neuron_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab01-neuron.rs"]
mod dispatch;

const Z: [f64; 13] = [-1000.0, -30.0, -3.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.3, 3.0, 30.0, 1000.0];

fn rows(exercise: &str, inputs: Vec<Vec<(&str, Value)>>) -> Value {
    Value::List(
        inputs
            .into_iter()
            .map(|fields| nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields))
            .collect(),
    )
}

#[test]
fn reference_outputs_on_the_grid() {
    let mut grid = BTreeMap::new();
    let of_z = || Z.iter().map(|&z| vec![("z", z.into())]).collect::<Vec<_>>();
    for name in ["step", "sigmoid", "tanh", "relu", "step_prime", "sigmoid_prime", "tanh_prime", "relu_prime"]
    {
        grid.insert(name, rows(name, of_z()));
    }
    for name in ["leaky_relu", "leaky_relu_prime"] {
        let inputs = [0.01, 0.2]
            .iter()
            .flat_map(|&alpha| Z.iter().map(move |&z| vec![("z", z.into()), ("alpha", alpha.into())]))
            .collect();
        grid.insert(name, rows(name, inputs));
    }
    let outputs = [0.0, 0.1, 0.5, 0.9, 1.0].iter().map(|&a| vec![("a", a.into())]).collect();
    grid.insert("sigmoid_prime_from_output", rows("sigmoid_prime_from_output", outputs));
    let sums = vec![
        vec![("x", vec![1.0, 2.0, 3.0].into()), ("w", vec![0.2, 0.8, -0.5].into()), ("b", 2.0.into())],
        vec![("x", Vec::<f64>::new().into()), ("w", Vec::<f64>::new().into()), ("b", (-1.5).into())],
        vec![("x", vec![-1.0, 0.5].into()), ("w", vec![3.0, -4.0].into()), ("b", 0.0.into())],
    ];
    grid.insert("weighted_sum", rows("weighted_sum", sums));
    let logits: Vec<Vec<f64>> =
        vec![vec![2.0, 1.0, 0.1], vec![1000.0, 1001.0], vec![-1000.0, 0.0, 1000.0], vec![0.0; 4], vec![5.0]];
    for name in ["softmax", "softmax_jacobian"] {
        grid.insert(name, rows(name, logits.iter().map(|z| vec![("z", z.clone().into())]).collect()));
    }
    insta::assert_yaml_snapshot!(grid);
}
