//! The faer primer of lab 03, run as a test: the chapter includes the regions marked below, so
//! every line it shows compiles and does what the chapter says it does.

use faer::{Mat, mat};

#[test]
fn the_faer_primer_of_lab_03_runs() {
    // ANCHOR: build
    let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0f64]]; // 3×2, row by row
    // 2×4, from a formula of (row, column)
    let w = Mat::from_fn(2, 4, |i, j| (i + j) as f64 / 10.0);
    let zeros = Mat::<f64>::zeros(1, 4); // a 1×4 row of zeros
    // ANCHOR_END: build
    // ANCHOR: index
    assert_eq!(x[(2, 1)], 6.0); // row 2, column 1, counted from 0
    assert_eq!((x.nrows(), x.ncols()), (3, 2));
    // ANCHOR_END: index
    // ANCHOR: multiply
    let xw = &x * &w; // (3×2)·(2×4) = 3×4
    let xt = x.transpose(); // a 2×3 view of the same numbers: no copy
    let gram = xt * &x; // (2×3)·(3×2) = 2×2
    // ANCHOR_END: multiply
    // ANCHOR: broadcast
    let b = mat![[0.1, -0.1, 0.2, 0.0f64]]; // one bias per column, a 1×4 row
    // b added to every row
    let z = Mat::from_fn(xw.nrows(), xw.ncols(), |i, j| xw[(i, j)] + b[(0, j)]);
    // ANCHOR_END: broadcast
    // ANCHOR: sum
    let column_sum = |j: usize| (0..z.nrows()).map(|i| z[(i, j)]).sum::<f64>();
    let column_sums = Mat::from_fn(1, z.ncols(), |_, j| column_sum(j)); // 1×4
    let relu = z.map(|&v| v.max(0.0)); // element by element
    // ANCHOR_END: sum
    assert_eq!((xw.nrows(), xw.ncols()), (3, 4));
    assert!((xw[(0, 1)] - (1.0 * 0.1 + 2.0 * 0.2)).abs() < 1e-12);
    assert_eq!((gram.nrows(), gram.ncols()), (2, 2));
    assert!((gram[(0, 0)] - 35.0).abs() < 1e-12); // 1² + 3² + 5²
    assert!((z[(2, 1)] - (xw[(2, 1)] - 0.1)).abs() < 1e-12);
    assert!((column_sums[(0, 0)] - (z[(0, 0)] + z[(1, 0)] + z[(2, 0)])).abs() < 1e-12);
    assert!(relu[(0, 1)] >= 0.0 && zeros[(0, 3)] == 0.0);
    // The chapter's last paragraph: a view becomes a matrix of its own with `to_owned`.
    let xt_owned: Mat<f64> = xt.to_owned();
    assert_eq!((xt_owned.nrows(), xt_owned.ncols(), xt_owned[(1, 2)]), (2, 3, 6.0));
}
