//! The products the reference writes for speed (the given forward pass, `activation_grad`,
//! `weight_gradient`) give the formula's numbers to the last bit: the same terms, added in the same
//! order. Checked at the labs' sizes, on both sides of the small-size shortcuts, and with numbers
//! of terms that are not multiples of four; and a cache reused across batches of another size
//! changes nothing.

use faer::Mat;
use lab05_backprop_solution as lab;

/// A matrix of numbers with no pattern a loop could get right by luck, none of them zero.
fn numbers(rows: usize, cols: usize, salt: f64) -> Mat<f64> {
    Mat::from_fn(rows, cols, |i, j| ((i * 31 + j * 17) as f64 * 0.37 + salt).sin())
}

/// `Σₖ term(k)` from 0, one term after another, as the formulas read.
fn sum(terms: usize, term: impl Fn(usize) -> f64) -> f64 {
    (0..terms).fold(0.0, |total, k| total + term(k))
}

fn assert_same_bits(got: &Mat<f64>, want: &Mat<f64>, what: &str) {
    assert_eq!((got.nrows(), got.ncols()), (want.nrows(), want.ncols()), "{what}: shape");
    for i in 0..want.nrows() {
        for j in 0..want.ncols() {
            assert_eq!(got[(i, j)].to_bits(), want[(i, j)].to_bits(), "{what} at ({i}, {j})");
        }
    }
}

/// (samples, inputs, outputs): XOR's two layers, the digits' two layers, and odd sizes.
const SIZES: [(usize, usize, usize); 7] =
    [(4, 2, 4), (4, 4, 1), (3, 5, 7), (32, 64, 32), (32, 32, 10), (17, 9, 6), (1, 1, 1)];

#[test]
fn weight_and_activation_gradients_add_the_formulas_terms_in_order() {
    for (n, d, m) in SIZES {
        let (a, delta, w) = (numbers(n, d, 0.5), numbers(n, m, 1.5), numbers(d, m, 2.5));
        let dw = Mat::from_fn(d, m, |i, j| sum(n, |k| a[(k, i)] * delta[(k, j)]));
        assert_same_bits(&lab::weight_gradient(&a, &delta), &dw, &format!("weight_gradient {n}×{d}×{m}"));
        let da = Mat::from_fn(n, d, |i, j| sum(m, |k| delta[(i, k)] * w[(j, k)]));
        assert_same_bits(&lab::activation_grad(&delta, &w), &da, &format!("activation_grad {n}×{d}×{m}"));
    }
}

#[test]
fn the_forward_pass_adds_the_formulas_terms_in_order_into_a_reused_cache() {
    let mut reused = lab::Cache { z: Vec::new(), a: Vec::new() };
    // The last size is smaller than the one before: the cache shrinks as well as grows.
    for (n, d, m) in SIZES {
        let layers = vec![
            lab::Layer { w: numbers(d, m, 3.5), b: numbers(1, m, 4.5), activation: lab::Activation::Tanh },
            lab::Layer { w: numbers(m, 3, 5.5), b: numbers(1, 3, 6.5), activation: lab::Activation::Sigmoid },
        ];
        let x = numbers(n, d, 7.5);
        let mut a = x.clone();
        let fresh = lab::forward(&x, &layers);
        lab::forward_into(&x, &layers, &mut reused);
        for (l, layer) in layers.iter().enumerate() {
            let z = Mat::from_fn(n, layer.w.ncols(), |i, j| {
                sum(layer.w.nrows(), |k| a[(i, k)] * layer.w[(k, j)]) + layer.b[(0, j)]
            });
            let what = format!("layer {l} of {n}×{d}×{m}");
            assert_same_bits(&fresh.z[l], &z, &format!("forward: z of {what}"));
            assert_same_bits(&reused.z[l], &z, &format!("forward_into: z of {what}"));
            a = lab::activate(&z, layer.activation);
            assert_same_bits(&fresh.a[l + 1], &a, &format!("forward: a of {what}"));
            assert_same_bits(&reused.a[l + 1], &a, &format!("forward_into: a of {what}"));
        }
        assert_eq!(reused, fresh, "forward_into and forward on {n}×{d}×{m}");
    }
}
