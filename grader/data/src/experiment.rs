//! The experiments labs 07 and 08 are graded on by outcome: a problem, how many points to train
//! and test on, and a seed. The grader draws the split, sends the training points and the test
//! inputs to the student's code, and scores the predictions against test targets it never sent.

use faer::Mat;

use crate::{Dataset, digits, logic_gate, permutation, sine_wave, two_circles, two_moons};

/// What is learned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Problem {
    /// The XOR truth table: trained and tested on its four points.
    Xor,
    /// [`two_moons`] with this noise.
    Moons {
        /// Standard deviation of the noise.
        noise: f64,
    },
    /// [`two_circles`] with this noise and inner radius 0.5.
    Circles {
        /// Standard deviation of the noise.
        noise: f64,
    },
    /// [`sine_wave`] with this noise on the training targets; the test targets are sin x exactly.
    Sine {
        /// Standard deviation of the noise.
        noise: f64,
    },
    /// The handwritten [`digits`], split at random.
    Digits,
}

/// One experiment: a problem, the sizes of its training and test sets, and a seed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Experiment {
    /// What is learned.
    pub problem: Problem,
    /// Training points (for the digits, at most what the test set leaves).
    pub n_train: usize,
    /// Test points.
    pub n_test: usize,
    /// Seeds the points and the split.
    pub seed: u64,
}

/// A training set and a test set.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// What the learner sees.
    pub train: Dataset,
    /// What it is scored on.
    pub test: Dataset,
}

impl Experiment {
    /// The experiment's training and test sets.
    pub fn split(&self) -> Split {
        let (n, n_train) = (self.n_train + self.n_test, self.n_train);
        let first = |d: &Dataset, take: std::ops::Range<usize>| d.select(&take.collect::<Vec<_>>());
        match self.problem {
            Problem::Xor => {
                let d = logic_gate("xor").expect("xor is a gate");
                Split { train: d.clone(), test: d }
            }
            Problem::Moons { noise } => {
                let d = two_moons(n, noise, self.seed);
                Split { train: first(&d, 0..n_train), test: first(&d, n_train..n) }
            }
            Problem::Circles { noise } => {
                let d = two_circles(n, noise, 0.5, self.seed);
                Split { train: first(&d, 0..n_train), test: first(&d, n_train..n) }
            }
            Problem::Sine { noise } => {
                let d = sine_wave(n, noise, self.seed);
                let test = first(&d, n_train..n);
                let exact = Mat::from_fn(test.len(), 1, |i, _| test.x[(i, 0)].sin());
                Split { train: first(&d, 0..n_train), test: Dataset { x: test.x, y: exact } }
            }
            Problem::Digits => {
                let d = digits();
                let order = permutation(d.len(), self.seed);
                let n_test = self.n_test.min(d.len());
                let n_train = self.n_train.min(d.len() - n_test);
                Split { train: d.select(&order[n_test..n_test + n_train]), test: d.select(&order[..n_test]) }
            }
        }
    }
}
