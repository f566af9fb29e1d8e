//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why).

use std::collections::BTreeMap;

use nnlab_check::Value;

#[path = "../../../grader/probes/lab06-optimizers.rs"]
mod dispatch;

use lab06_optimizers_solution as lab;

fn run(exercise: &str, fields: Vec<(&str, Value)>) -> Value {
    nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields)
}

#[test]
fn reference_outputs_on_the_grid() {
    let mut grid = BTreeMap::new();
    let settings = |kind: &str| -> Vec<(&'static str, Value)> {
        match kind {
            "momentum" | "nesterov" => vec![("lr", 0.05.into()), ("beta", 0.8.into())],
            "rmsprop" => vec![("lr", 0.05.into()), ("rho", 0.9.into()), ("eps", 1e-8.into())],
            "adam" => vec![
                ("lr", 0.05.into()),
                ("beta1", 0.9.into()),
                ("beta2", 0.999.into()),
                ("eps", 1e-8.into()),
            ],
            _ => vec![("lr", 0.05.into())],
        }
    };
    for kind in ["sgd", "momentum", "nesterov", "rmsprop", "adam"] {
        let mut fields = settings(kind);
        fields.push(("params", vec![1.0, -2.0, 0.0].into()));
        fields
            .push(("grads", vec![vec![0.5, -1.0, 0.0], vec![2.0, 0.1, -3.0], vec![-0.5, 0.0, 1e-6]].into()));
        grid.insert(kind.to_string(), run(kind, fields));
        let optimizer =
            Value::record(std::iter::once(("kind", kind.into())).chain(settings(kind)).collect::<Vec<_>>());
        let descent = run(
            "minimize",
            vec![
                ("optimizer", optimizer),
                ("coeffs", vec![0.5, 2.0, 8.0].into()),
                ("start", vec![-2.0, 1.0, 0.5].into()),
                ("steps", 15usize.into()),
            ],
        );
        grid.insert(format!("minimize_{kind}"), descent);
    }
    insta::assert_yaml_snapshot!(grid);
}

/// Adam's first step moves every coordinate by almost exactly `lr` against its gradient's sign,
/// whatever the gradient's size: the property that makes its bias correction visible.
#[test]
fn adams_first_step_has_the_size_of_the_learning_rate() {
    use lab::Optimizer as _;
    let mut adam = lab::Adam::new(0.1, 0.9, 0.999, 1e-8, 3);
    let mut params = vec![0.0; 3];
    adam.step(&mut params, &[1e-3, -50.0, 7.0]);
    for (p, want) in params.iter().zip([-0.1, 0.1, -0.1]) {
        assert!((p - want).abs() < 1e-6, "{p} vs {want}");
    }
}
