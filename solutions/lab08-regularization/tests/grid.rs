//! The reference's outputs on fixed inputs, snapshotted through the probe's dispatch (see
//! lab 01's grid test for why).

use std::collections::BTreeMap;

use lab08_regularization_solution as lab;
use nnlab_check::Value;

#[path = "../../../grader/probes/lab08-regularization.rs"]
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
    let a = m(&[&[1.0, -2.0, 0.5], &[0.0, 3.0, -1.5], &[2.5, 1.0, 1.0]]);
    for (p, training) in [(0.0, true), (0.25, true), (0.75, true), (0.5, false)] {
        grid.insert(
            format!("dropout_{p}_{training}"),
            run(
                "dropout_forward",
                vec![
                    ("a", a.clone()),
                    ("p", p.into()),
                    ("seed", 17usize.into()),
                    ("training", training.into()),
                ],
            ),
        );
    }
    grid.insert(
        "penalty_gradient".into(),
        run("penalty_gradient", vec![("w", a.clone()), ("l1", 0.05.into()), ("l2", 0.2.into())]),
    );
    let x = m(&[&[1.0, 10.0], &[-2.0, 30.0], &[0.5, 20.0], &[4.0, 25.0]]);
    grid.insert(
        "batchnorm_forward".into(),
        run(
            "batchnorm_forward",
            vec![
                ("x", x.clone()),
                ("gamma", vec![1.5, 0.5].into()),
                ("beta", vec![0.0, -1.0].into()),
                ("eps", 1e-5.into()),
            ],
        ),
    );
    // The backward pass is given the forward pass's cache, as the grader gives it.
    let (_, cache) = lab::batchnorm_forward(&x.as_mat().unwrap(), &[1.5, 0.5], &[0.0, -1.0], 1e-5);
    grid.insert(
        "batchnorm_backward".into(),
        run(
            "batchnorm_backward",
            vec![
                ("x_hat", cache.x_hat.into()),
                ("mean", cache.mean.into()),
                ("var", cache.var.into()),
                ("gamma", vec![1.5, 0.5].into()),
                ("eps", 1e-5.into()),
                ("dout", m(&[&[0.2, -0.1], &[0.0, 0.3], &[-0.4, 0.1], &[0.1, 0.2]])),
            ],
        ),
    );
    grid.insert(
        "early_stopping".into(),
        run(
            "early_stopping",
            vec![
                ("patience", 3usize.into()),
                ("min_delta", 0.01.into()),
                ("losses", vec![1.0, 0.8, 0.795, 0.81, 0.7, 0.72, 0.71, 0.705].into()),
            ],
        ),
    );
    let bowl = Value::record([("log10_lr", (-1.5).into()), ("hidden", 40.0.into()), ("width", 16.0.into())]);
    grid.insert(
        "random_search".into(),
        run(
            "random_search",
            vec![
                ("n", 6usize.into()),
                ("lo", 1e-4.into()),
                ("hi", 1.0.into()),
                ("hiddens", vec![16usize, 32, 64].into()),
                ("seed", 8usize.into()),
                ("bowl", bowl),
            ],
        ),
    );
    insta::assert_yaml_snapshot!(grid);
}

/// The dropout mask is the one the documentation promises: kept where u ≥ p.
#[test]
fn the_mask_follows_the_documented_draw() {
    let a = faer::Mat::from_fn(4, 5, |_, _| 1.0);
    let (_, mask) = lab::dropout_forward(&a, 0.4, 21, true);
    let u = nnlab_data::uniform(4, 5, 21);
    for i in 0..4 {
        for j in 0..5 {
            assert_eq!(mask[(i, j)], if u[(i, j)] >= 0.4 { 1.0 } else { 0.0 });
        }
    }
}
