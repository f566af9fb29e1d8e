//! The data sets of nnlab, in one crate that the labs, the grader and the book share, so that a
//! student's experiment, the grader's hidden check and the book's figure see the same points.
//!
//! Every generator is seeded (`rand_pcg`), so the same seed gives the same points on every
//! machine. The digits are compiled in from `fixtures/data/digits.csv`: no file is read at run
//! time, which is what lets a sandboxed probe train on them.

pub mod experiment;
mod toy;

use faer::Mat;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

pub use experiment::{Experiment, Split};
pub use toy::{logic_gate, sine_wave, two_blobs, two_circles, two_moons};

/// Samples in rows: `x` is n×d, `y` is n×1 (a class label 0, 1, … or a regression target).
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// The inputs, one sample per row.
    pub x: Mat<f64>,
    /// The targets, one per row.
    pub y: Mat<f64>,
}

impl Dataset {
    /// The samples at `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Dataset {
        Dataset { x: select_rows(&self.x, rows), y: select_rows(&self.y, rows) }
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.x.nrows()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The rows `rows` of `m`, in that order.
pub fn select_rows(m: &Mat<f64>, rows: &[usize]) -> Mat<f64> {
    Mat::from_fn(rows.len(), m.ncols(), |i, j| m[(rows[i], j)])
}

/// The numbers `0..n` in a random order fixed by `seed`: Fisher–Yates with a `Pcg64` seeded by
/// `seed`, swapping position `i` with a uniform position `j ≤ i` for `i` from `n − 1` down to 1.
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    order
}

/// The 1,797 handwritten digits of `fixtures/data/digits.csv`: 8×8 images as 64 pixel
/// intensities 0–16 per row, and the digit 0–9 each shows.
pub fn digits() -> Dataset {
    const CSV: &str = include_str!("../../../fixtures/data/digits.csv");
    let rows: Vec<Vec<f64>> = CSV
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(|v| v.parse().expect("digits.csv holds integers")).collect())
        .collect();
    Dataset {
        x: Mat::from_fn(rows.len(), 64, |i, j| rows[i][j]),
        y: Mat::from_fn(rows.len(), 1, |i, _| rows[i][64]),
    }
}

/// A rows×cols matrix of independent normal numbers with mean 0 and standard deviation `std`,
/// fixed by `seed`: for initial weights.
pub fn gaussian(rows: usize, cols: usize, std: f64, seed: u64) -> Mat<f64> {
    let mut rng = Pcg64::seed_from_u64(seed);
    Mat::from_fn(rows, cols, |_, _| std * normal(&mut rng))
}

/// A rows×cols matrix of independent numbers uniform in [0, 1), fixed by `seed`: for dropout
/// masks and random search.
pub fn uniform(rows: usize, cols: usize, seed: u64) -> Mat<f64> {
    let mut rng = Pcg64::seed_from_u64(seed);
    Mat::from_fn(rows, cols, |_, _| rng.random::<f64>())
}

/// A standard normal number by the Box–Muller transform.
pub(crate) fn normal(rng: &mut Pcg64) -> f64 {
    let (u1, u2) = (1.0 - rng.random::<f64>(), rng.random::<f64>());
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_the_published_set() {
        let d = digits();
        assert_eq!((d.x.nrows(), d.x.ncols()), (1797, 64));
        let mut per_class = [0; 10];
        for i in 0..d.len() {
            per_class[d.y[(i, 0)] as usize] += 1;
        }
        // The class sizes scikit-learn documents for this set.
        assert_eq!(per_class, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        assert!((0..d.len()).all(|i| (0..64).all(|j| (0.0..=16.0).contains(&d.x[(i, j)]))));
    }

    #[test]
    fn a_permutation_holds_every_index_once_and_depends_on_the_seed() {
        let mut p = permutation(50, 3);
        assert_ne!(p, permutation(50, 4));
        assert_eq!(p, permutation(50, 3));
        p.sort_unstable();
        assert_eq!(p, (0..50).collect::<Vec<_>>());
    }
}
