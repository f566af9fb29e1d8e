//! Hidden cases of lab 07: random CSV texts (some malformed), random matrices with constant and
//! zero columns for the scalers, random splits and batchings, short training runs of random small
//! networks with either optimizer (some stopped early by the callback). The four `fit_*`
//! experiments' hidden runs are drawn from their registry entries (see the crate's
//! `outcome_cases`).

use faer::Mat;
use nnlab_check::Value;
use rand::RngExt;
use rand_pcg::Pcg64;

use super::lab05_backprop::{ACTIVATIONS, network};
use super::{Input, input, matrix, pick, tied_rows, training_optimizer, uniform};

/// A matrix whose columns are random, constant, or all zero.
fn columns(rng: &mut Pcg64) -> Mat<f64> {
    let (n, d) = (rng.random_range(1..=6), rng.random_range(1..=4));
    let kinds: Vec<u8> = (0..d).map(|_| rng.random_range(0..5)).collect();
    let constant: Vec<f64> = (0..d).map(|_| uniform(rng, 0.5, 20.0)).collect();
    let m = matrix(rng, n, d, 50.0);
    Mat::from_fn(n, d, |i, j| match kinds[j] {
        0 => constant[j],
        1 => 0.0,
        2 => m[(i, j)].abs(),
        _ => m[(i, j)],
    })
}

/// A CSV text with a header; a third of them broken in one of three ways (which makes the answer
/// "error").
fn csv(rng: &mut Pcg64, i: usize) -> Input {
    let cols = rng.random_range(2..=5);
    let names: Vec<String> =
        (0..cols).map(|j| format!("{}{j}", pick(rng, &["f", "x", "age", "size"]))).collect();
    let target = names[rng.random_range(0..cols)].clone();
    let pad = |rng: &mut Pcg64| if rng.random_bool(0.3) { " " } else { "" };
    let mut text = names.join(",") + "\n";
    for _ in 0..rng.random_range(1..=6) {
        let fields: Vec<String> = (0..cols)
            .map(|_| {
                let v = if rng.random_bool(0.5) {
                    f64::from(rng.random_range(-100..100))
                } else {
                    uniform(rng, -5.0, 5.0)
                };
                format!("{}{v}{}", pad(rng), pad(rng))
            })
            .collect();
        text += &(fields.join(",") + "\n");
        if rng.random_bool(0.2) {
            text += "\n";
        }
    }
    let text = match i % 6 {
        1 => text.replacen('\n', "\n1,2,3,4,5,6\n", 1),
        3 => text + "1,oops" + &",0".repeat(cols - 2) + "\n",
        5 => return input([("text", Value::Str(text)), ("target", "missing".into())]),
        _ => text,
    };
    input([("text", Value::Str(text)), ("target", Value::Str(target))])
}

pub fn case(exercise: &str, i: usize, rng: &mut Pcg64) -> Option<Input> {
    Some(match exercise {
        "parse_csv" => csv(rng, i),
        "fit_standardizer" | "min_max_scale" | "divide_by_column_max" => input([("x", columns(rng).into())]),
        "standardize" => {
            let x = columns(rng);
            let d = x.ncols();
            input([
                ("x", x.into()),
                ("mean", (0..d).map(|_| uniform(rng, -5.0, 5.0)).collect::<Vec<_>>().into()),
                ("scale", (0..d).map(|_| uniform(rng, 0.1, 10.0)).collect::<Vec<_>>().into()),
            ])
        }
        "one_hot" => {
            let classes = rng.random_range(1..=6);
            let n = rng.random_range(0..=8);
            let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..classes)).collect();
            input([("labels", labels.into()), ("classes", classes.into())])
        }
        "train_test_split" => input([
            ("n", rng.random_range(1..=40usize).into()),
            ("test_fraction", uniform(rng, 0.05, 0.6).into()),
            ("seed", rng.random_range(0..1_000_000usize).into()),
        ]),
        "minibatches" => {
            let n = rng.random_range(1..=30usize);
            let batch_size = match i {
                _ if i.is_multiple_of(4) => 0,
                // A batch of exactly n: one batch of every sample, in order, not shuffled.
                6 | 7 | 9 => n,
                _ => rng.random_range(1..=n + 2),
            };
            input([
                ("n", n.into()),
                ("batch_size", batch_size.into()),
                ("seed", rng.random_range(0..1_000_000usize).into()),
            ])
        }
        "train" => {
            let mut case = network(rng, &ACTIVATIONS);
            case.insert("epochs".into(), rng.random_range(1..=25usize).into());
            case.insert("batch_size".into(), rng.random_range(0..=3usize).into());
            case.insert(
                "lambda".into(),
                if i.is_multiple_of(3) { uniform(rng, 0.0, 0.1) } else { 0.0 }.into(),
            );
            case.insert("seed".into(), rng.random_range(0..1000usize).into());
            case.insert("optimizer".into(), training_optimizer(rng));
            if i % 4 == 1 {
                case.insert("stop_after".into(), 0usize.into());
            }
            case
        }
        "predict_classes" => {
            let (n, k) = (rng.random_range(1..=6), rng.random_range(1..=4));
            // The last cases are ties for the largest score, where the first index wins.
            let output = match i {
                8.. => tied_rows(rng, n, k.max(2)),
                6 | 7 => {
                    // One output column, exactly on the threshold: 0.5 is class 1.
                    let mut output = matrix(rng, n, 1, 1.0);
                    output[(0, 0)] = 0.5;
                    output
                }
                _ => matrix(rng, n, k, 1.0),
            };
            input([("output", output.into())])
        }
        "accuracy" => {
            // The first case has no labels at all: its accuracy is 0 by the book's convention.
            let n = if i == 0 { 0 } else { rng.random_range(1..=12) };
            let labels: Vec<usize> = (0..n).map(|_| rng.random_range(0..3)).collect();
            let predicted: Vec<usize> = labels
                .iter()
                .map(|&l| if rng.random_bool(0.7) { l } else { rng.random_range(0..3) })
                .collect();
            input([("predicted", predicted.into()), ("labels", labels.into())])
        }
        _ => return None,
    })
}
