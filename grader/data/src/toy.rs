//! Small two-dimensional problems (and one curve) that show what a network can and cannot learn.

use std::f64::consts::PI;

use faer::Mat;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use crate::{Dataset, normal, permutation};

/// A logic gate's truth table: inputs (0,0), (0,1), (1,0), (1,1) and the gate's output, for
/// `and`, `or`, `nand`, `nor` and `xor`; `None` for any other name.
pub fn logic_gate(name: &str) -> Option<Dataset> {
    let gate: fn(bool, bool) -> bool = match name {
        "and" => |a, b| a && b,
        "or" => |a, b| a || b,
        "nand" => |a, b| !(a && b),
        "nor" => |a, b| !(a || b),
        "xor" => |a, b| a != b,
        _ => return None,
    };
    let inputs = [(0, 0), (0, 1), (1, 0), (1, 1)];
    Some(Dataset {
        x: Mat::from_fn(4, 2, |i, j| f64::from(if j == 0 { inputs[i].0 } else { inputs[i].1 })),
        y: Mat::from_fn(4, 1, |i, _| f64::from(u8::from(gate(inputs[i].0 == 1, inputs[i].1 == 1)))),
    })
}

/// `n` points in two Gaussian clouds of standard deviation `spread`: the first half around
/// (−1, −1) with label 0, the rest around (1, 1) with label 1, in a seeded random order.
pub fn two_blobs(n: usize, spread: f64, seed: u64) -> Dataset {
    let mut rng = Pcg64::seed_from_u64(seed);
    let label = |i: usize| if i < n / 2 { 0.0 } else { 1.0 };
    let points: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let centre = 2.0 * label(i) - 1.0;
            [centre + spread * normal(&mut rng), centre + spread * normal(&mut rng)]
        })
        .collect();
    shuffled(&points, label, &mut rng)
}

/// `n` points on two interleaving half circles, as scikit-learn's `make_moons`: the upper moon
/// (cos t, sin t) has label 0, the lower one (1 − cos t, ½ − sin t) label 1, t evenly spaced over
/// [0, π], each coordinate moved by Gaussian noise of standard deviation `noise`.
pub fn two_moons(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut rng = Pcg64::seed_from_u64(seed);
    let upper = n / 2;
    let label = |i: usize| if i < upper { 0.0 } else { 1.0 };
    let points: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let (k, count) = if i < upper { (i, upper) } else { (i - upper, n - upper) };
            let t = PI * k as f64 / (count.max(2) - 1) as f64;
            let [x, y] = if i < upper { [t.cos(), t.sin()] } else { [1.0 - t.cos(), 0.5 - t.sin()] };
            [x + noise * normal(&mut rng), y + noise * normal(&mut rng)]
        })
        .collect();
    shuffled(&points, label, &mut rng)
}

/// `n` points on two concentric circles, as scikit-learn's `make_circles`: the outer circle of
/// radius 1 has label 0, the inner one of radius `factor` label 1, angles evenly spaced, each
/// coordinate moved by Gaussian noise of standard deviation `noise`.
pub fn two_circles(n: usize, noise: f64, factor: f64, seed: u64) -> Dataset {
    let mut rng = Pcg64::seed_from_u64(seed);
    let outer = n / 2;
    let label = |i: usize| if i < outer { 0.0 } else { 1.0 };
    let points: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let (k, count, r) = if i < outer { (i, outer, 1.0) } else { (i - outer, n - outer, factor) };
            let t = 2.0 * PI * k as f64 / count.max(1) as f64;
            [r * t.cos() + noise * normal(&mut rng), r * t.sin() + noise * normal(&mut rng)]
        })
        .collect();
    shuffled(&points, label, &mut rng)
}

/// `n` samples of the curve y = sin x: x uniform in [−π, π], y with Gaussian noise of standard
/// deviation `noise` added. A regression problem: `y` holds the targets.
pub fn sine_wave(n: usize, noise: f64, seed: u64) -> Dataset {
    let mut rng = Pcg64::seed_from_u64(seed);
    let xs: Vec<f64> = (0..n).map(|_| rng.random_range(-PI..PI)).collect();
    let ys: Vec<f64> = xs.iter().map(|x| x.sin() + noise * normal(&mut rng)).collect();
    Dataset { x: Mat::from_fn(n, 1, |i, _| xs[i]), y: Mat::from_fn(n, 1, |i, _| ys[i]) }
}

/// The points with their labels, rows in a random order drawn from `rng`, so that a split that
/// takes the first rows gets both classes.
fn shuffled(points: &[[f64; 2]], label: impl Fn(usize) -> f64, rng: &mut Pcg64) -> Dataset {
    let order = permutation(points.len(), rng.random());
    Dataset {
        x: Mat::from_fn(points.len(), 2, |i, j| points[order[i]][j]),
        y: Mat::from_fn(points.len(), 1, |i, _| label(order[i])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xor_is_true_on_the_off_diagonal() {
        let d = logic_gate("xor").unwrap();
        assert_eq!((0..4).map(|i| d.y[(i, 0)]).collect::<Vec<_>>(), [0.0, 1.0, 1.0, 0.0]);
        assert!(logic_gate("maybe").is_none());
    }

    #[test]
    fn noiseless_moons_lie_on_their_half_circles() {
        let d = two_moons(40, 0.0, 1);
        for i in 0..40 {
            let (x, y) = (d.x[(i, 0)], d.x[(i, 1)]);
            let r = if d.y[(i, 0)] == 0.0 { x.hypot(y) } else { (x - 1.0).hypot(y - 0.5) };
            assert!((r - 1.0).abs() < 1e-12, "point {i} at radius {r}");
        }
        assert_eq!((0..40).filter(|&i| d.y[(i, 0)] == 1.0).count(), 20);
    }

    #[test]
    fn circles_have_the_stated_radii() {
        let d = two_circles(30, 0.0, 0.4, 2);
        for i in 0..30 {
            let r = d.x[(i, 0)].hypot(d.x[(i, 1)]);
            assert!((r - if d.y[(i, 0)] == 0.0 { 1.0 } else { 0.4 }).abs() < 1e-12);
        }
    }

    #[test]
    fn blobs_and_sine_are_seeded() {
        assert_eq!(two_blobs(20, 0.5, 9), two_blobs(20, 0.5, 9));
        assert_ne!(two_blobs(20, 0.5, 9), two_blobs(20, 0.5, 10));
        let s = sine_wave(25, 0.0, 4);
        assert!((0..25).all(|i| (s.y[(i, 0)] - s.x[(i, 0)].sin()).abs() < 1e-15));
    }
}
