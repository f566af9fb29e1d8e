//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why). The experiments are covered by `experiments.rs`, by outcome.

use std::collections::BTreeMap;

use lab07_training_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab07-training.rs"]
mod dispatch;

fn run(exercise: &str, fields: Vec<(&str, Value)>) -> Value {
    nnlab_check::probe::snapshot_row(dispatch::call, exercise, fields)
}

fn m(rows: &[&[f64]]) -> Value {
    Value::List(rows.iter().map(|r| r.to_vec().into()).collect())
}

#[test]
fn reference_outputs_on_the_grid() {
    let mut grid = BTreeMap::new();
    let x = m(&[&[3.0, 0.0, -1.0], &[5.0, 0.0, 2.0], &[4.0, 0.0, 8.0], &[3.0, 0.0, 0.5]]);
    for ex in ["fit_standardizer", "min_max_scale", "divide_by_column_max"] {
        grid.insert(ex.to_string(), run(ex, vec![("x", x.clone())]));
    }
    grid.insert(
        "parse_csv".into(),
        run("parse_csv", vec![("text", "y, a\n1, 2\n\n3, 4\n".into()), ("target", "y".into())]),
    );
    grid.insert(
        "one_hot".into(),
        run("one_hot", vec![("labels", vec![0usize, 3, 1].into()), ("classes", 4usize.into())]),
    );
    for (n, f) in [(1usize, 0.5), (9, 0.2), (20, 0.33)] {
        grid.insert(
            format!("split_{n}_{f}"),
            run(
                "train_test_split",
                vec![("n", n.into()), ("test_fraction", f.into()), ("seed", 5usize.into())],
            ),
        );
    }
    for b in [0usize, 1, 4, 9, 12] {
        grid.insert(
            format!("minibatches_9_{b}"),
            run(
                "minibatches",
                vec![("n", 9usize.into()), ("batch_size", b.into()), ("seed", 11usize.into())],
            ),
        );
    }
    let layer =
        |w: Value, b: Value, act: &str| Value::record([("w", w), ("b", b), ("activation", act.into())]);
    for (kind, loss, out) in [("sgd", "squared_error", "identity"), ("adam", "cross_entropy", "sigmoid")] {
        let optimizer = if kind == "sgd" {
            Value::record([("kind", "sgd".into()), ("lr", 0.2.into())])
        } else {
            Value::record([
                ("kind", "adam".into()),
                ("lr", 0.05.into()),
                ("beta1", 0.9.into()),
                ("beta2", 0.999.into()),
                ("eps", 1e-8.into()),
            ])
        };
        grid.insert(
            format!("train_{kind}"),
            run(
                "train",
                vec![
                    ("x", m(&[&[0.0, 1.0], &[1.0, -1.0], &[2.0, 0.5], &[-1.0, -0.5], &[0.5, 0.5]])),
                    ("y", m(&[&[1.0], &[0.0], &[1.0], &[0.0], &[1.0]])),
                    (
                        "layers",
                        Value::List(vec![
                            layer(m(&[&[0.5, -0.3], &[0.2, 0.8]]), m(&[&[0.1, -0.1]]), "relu"),
                            layer(m(&[&[0.6], &[-0.4]]), m(&[&[0.0]]), out),
                        ]),
                    ),
                    ("epochs", 6usize.into()),
                    ("batch_size", 2usize.into()),
                    ("loss", loss.into()),
                    ("lambda", 0.01.into()),
                    ("seed", 2usize.into()),
                    ("optimizer", optimizer),
                    ("every", 1usize.into()),
                ],
            ),
        );
    }
    grid.insert(
        "predict_classes".into(),
        run("predict_classes", vec![("output", m(&[&[0.49, 0.51, 0.0], &[0.3, 0.3, 0.2]]))]),
    );
    insta::assert_yaml_snapshot!(grid);
}

/// Flattening and writing back are inverse, in the documented order.
#[test]
fn flatten_and_unflatten_round_trip() {
    let mut layers = lab::init_network(&[3, 2, 1], lab::Activation::Relu, lab::Activation::Sigmoid, 9);
    let flat = lab::flatten(&layers);
    assert_eq!(flat.len(), 3 * 2 + 2 + 2 + 1);
    assert_eq!(flat[1], layers[0].w[(0, 1)]);
    let shifted: Vec<f64> = flat.iter().map(|p| p + 1.0).collect();
    lab::unflatten(&mut layers, &shifted);
    assert_eq!(lab::flatten(&layers), shifted);
}
