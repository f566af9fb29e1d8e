//! Training speed of the lab 07 reference against the documents' numpy loop, scikit-learn and
//! PyTorch, in one run on one machine: `cargo bench -p lab07-training-solution --bench training`.
//!
//! Two workloads, each with the same data and hyper-parameters for every contender:
//! - XOR: the documents' 2-4-1 sigmoid network from numpy's seed-42 weights, 10 000 full-batch
//!   epochs (lr 1.0 on their gradient = lr 0.5 on the true one);
//! - digits: 1,437 training and 360 test images (split seed 7), 64-32-10, Adam lr 0.01, batches of
//!   32, 15 epochs.
//!
//! The Python peers live in `benches/peers/`; a peer whose library is not installed is reported
//! as skipped. Each time is the best of five runs (XOR in Rust and numpy) or of three (the rest);
//! PyTorch is held to one thread, like the reference. The figures are recorded in
//! `book/src/benchmarks.md`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

// The allocator a deployed Rust program would pick: at these tiny sizes glibc's malloc, not the
// arithmetic, dominates (see the instructor chapter for the figures with the system allocator).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use faer::Mat;
use lab07_training_solution as lab;
use lab07_training_solution::{Activation, Layer, Loss, TrainConfig};
use nnlab_data::experiment::{Experiment, Problem};

fn main() {
    println!("nnlab training benchmark (best of 5 runs for XOR in Rust and numpy, 3 otherwise)\n");
    let xor = best_of(5, xor_reference);
    let split = Experiment { problem: Problem::Digits, n_train: 1437, n_test: 360, seed: 7 }.split();
    let digits = best_of(3, || digits_reference(&split));

    let folder = std::env::temp_dir().join(format!("nnlab-bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    write_csv(&folder.join("train.csv"), &split.train);
    write_csv(&folder.join("test.csv"), &split.test);

    println!("XOR, 2-4-1 sigmoid, 10 000 full-batch epochs");
    println!("  {:<34} {:>10.2} ms   final loss {:.6}", "nnlab reference (Rust, faer)", xor.0 * 1e3, xor.1);
    for (name, script) in [("documents' numpy loop", "xor_numpy.py"), ("PyTorch, 1 thread", "xor_torch.py")] {
        match peer(script, &folder) {
            Peer::Ran { seconds, value, version } => println!(
                "  {:<34} {:>10.2} ms   final loss {value:.6}   → nnlab is {:.0}× faster ({version})",
                name,
                seconds * 1e3,
                seconds / xor.0
            ),
            Peer::Skipped(why) => println!("  {name:<34} skipped: {why}"),
        }
    }
    println!("\nDigits, 64-32-10, Adam lr 0.01, batches of 32, 15 epochs, 1437 train / 360 test");
    println!(
        "  {:<34} {:>10.2} ms   test accuracy {:.4}",
        "nnlab reference (Rust, faer)",
        digits.0 * 1e3,
        digits.1
    );
    for (name, script) in
        [("scikit-learn MLPClassifier", "digits_sklearn.py"), ("PyTorch, 1 thread", "digits_torch.py")]
    {
        match peer(script, &folder) {
            Peer::Ran { seconds, value, version } => println!(
                "  {:<34} {:>10.2} ms   test accuracy {value:.4}   → nnlab takes {:.2}× its time ({version})",
                name,
                seconds * 1e3,
                digits.0 / seconds
            ),
            Peer::Skipped(why) => println!("  {name:<34} skipped: {why}"),
        }
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// The fastest of `runs` timings of `work`, with its result.
fn best_of(runs: usize, mut work: impl FnMut() -> f64) -> (f64, f64) {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let value = std::hint::black_box(work());
            (start.elapsed().as_secs_f64(), value)
        })
        .fold((f64::INFINITY, f64::NAN), |best, run| if run.0 < best.0 { run } else { best })
}

/// The documents' XOR run; returns the loss of the last epoch.
fn xor_reference() -> f64 {
    let m = |rows: &[&[f64]]| Mat::from_fn(rows.len(), rows[0].len(), |i, j| rows[i][j]);
    // numpy's `np.random.randn(2, 4) * 0.5` and `randn(4, 1) * 0.5` after `np.random.seed(42)`.
    let mut layers = vec![
        Layer {
            w: m(&[
                &[0.24835707650561634, -0.06913215058559233, 0.32384426905034625, 0.7615149282040127],
                &[-0.11707668736166799, -0.11706847847459027, 0.7896064077536957, 0.3837173645764544],
            ]),
            b: Mat::zeros(1, 4),
            activation: Activation::Sigmoid,
        },
        Layer {
            w: m(&[
                &[-0.23473719296747605],
                &[0.27128002179298233],
                &[-0.23170884640623113],
                &[-0.23286487678512843],
            ]),
            b: Mat::zeros(1, 1),
            activation: Activation::Sigmoid,
        },
    ];
    let data = lab::logic_gate("xor").expect("xor is a gate");
    let config =
        TrainConfig { epochs: 10_000, batch_size: 0, loss: Loss::SquaredError, lambda: 0.0, seed: 0 };
    let losses =
        lab::train(&mut layers, &data.x, &data.y, &config, &mut lab::Sgd { lr: 0.5 }, &mut |_, _, _| false);
    losses[losses.len() - 1]
}

/// `fit_digits` on the split; returns the test accuracy.
fn digits_reference(split: &nnlab_data::Split) -> f64 {
    let model = lab::fit_digits(&split.train, 7);
    let x = lab::standardize(&split.test.x, &model.standardizer);
    let out = lab::forward(&x, &model.layers).a.pop().expect("the input is always there");
    let labels: Vec<usize> = (0..split.test.len()).map(|i| split.test.y[(i, 0)] as usize).collect();
    lab::accuracy(&lab::predict_classes(&out), &labels)
}

fn write_csv(path: &Path, data: &lab::Dataset) {
    let rows: Vec<String> = (0..data.len())
        .map(|i| {
            let mut fields: Vec<String> = (0..data.x.ncols()).map(|j| data.x[(i, j)].to_string()).collect();
            fields.push(data.y[(i, 0)].to_string());
            fields.join(",")
        })
        .collect();
    std::fs::write(path, rows.join("\n") + "\n").expect("writing the split");
}

enum Peer {
    Ran { seconds: f64, value: f64, version: String },
    Skipped(String),
}

/// Runs `benches/peers/<script>` with the split's folder; what it reports.
fn peer(script: &str, folder: &Path) -> Peer {
    let peers = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers");
    let output =
        match Command::new("python3").arg(peers.join(script)).arg(folder).current_dir(&peers).output() {
            Ok(output) => output,
            Err(e) => return Peer::Skipped(format!("python3 cannot be run: {e}")),
        };
    let text = String::from_utf8_lossy(&output.stdout);
    let Some(line) = text.lines().last() else {
        return Peer::Skipped(format!(
            "{script} printed nothing: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(line) else {
        return Peer::Skipped(format!("{script} printed `{line}`"));
    };
    if let Some(why) = json["skipped"].as_str() {
        return Peer::Skipped(why.to_string());
    }
    let value = json["final_loss"].as_f64().or_else(|| json["accuracy"].as_f64()).unwrap_or(f64::NAN);
    Peer::Ran {
        seconds: json["seconds"].as_f64().unwrap_or(f64::NAN),
        value,
        version: json["version"].as_str().unwrap_or("?").to_string(),
    }
}
