//! The single numeric comparison rule of nnlab (ARCHITECTURE.md, invariant 7):
//! shapes must match first; then, element-wise, `|got − want| ≤ atol + rtol·|want|`;
//! NaN is never equal to anything. Integers, booleans and text compare exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::value::{Value, fmt_num};

/// An absolute and a relative tolerance.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tol {
    /// Absolute tolerance.
    pub atol: f64,
    /// Relative tolerance, scaled by `|want|`.
    pub rtol: f64,
}

impl Tol {
    /// Whether `got` is close enough to `want`.
    pub fn accepts(self, got: f64, want: f64) -> bool {
        // Equal infinities have an undefined difference but are the same value.
        got == want || (got - want).abs() <= self.atol + self.rtol * want.abs()
    }
}

impl fmt::Display for Tol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "|got − want| ≤ {} + {}·|want|", fmt_num(self.atol), fmt_num(self.rtol))
    }
}

/// The first place where a result differs from the expected one.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// Where, as an index path like `[1][0]` or `.weights[2]`; empty for the whole value.
    pub path: String,
    /// What differs there.
    pub kind: MismatchKind,
}

/// How a result differs.
#[derive(Clone, Debug, PartialEq)]
pub enum MismatchKind {
    /// Lengths, dimensions, fields or types differ; values were not compared.
    Shape {
        /// Shape of the result.
        got: String,
        /// Expected shape.
        want: String,
    },
    /// Two numbers further apart than the tolerance (or a NaN).
    Number {
        /// The result's number.
        got: f64,
        /// The expected number.
        want: f64,
    },
    /// Two exact values (integers, booleans, text) that differ.
    Exact {
        /// The result's value.
        got: Value,
        /// The expected value.
        want: Value,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() { String::new() } else { format!("at {}: ", self.path) };
        match &self.kind {
            MismatchKind::Shape { got, want } => write!(f, "{at}shape differs: got {got}, want {want}"),
            MismatchKind::Number { got, want } => {
                write!(f, "{at}got {}, want {}", fmt_num(*got), fmt_num(*want))?;
                if got.is_nan() {
                    f.write_str(
                        " (NaN is never equal: look for an overflow such as exp of a large number, or 0/0)",
                    )?;
                } else if got.is_finite() && want.is_finite() {
                    write!(f, " (off by {})", fmt_num((got - want).abs()))?;
                }
                Ok(())
            }
            MismatchKind::Exact { got, want } => write!(f, "{at}got {got}, want {want}"),
        }
    }
}

/// Compares a result with the expected value: every shape first, then every element.
pub fn compare(got: &Value, want: &Value, tol: Tol) -> Result<(), Mismatch> {
    walk(got, want, String::new(), &mut |path, g, w| shape_of(path, g, w))?;
    walk(got, want, String::new(), &mut |path, g, w| element(path, g, w, tol))
}

/// Whether two answers are the same value within `tol`, a NaN standing for a NaN: how a student's
/// answer is matched with a known mistake's (which may well be NaN), not how it is graded.
pub fn same(a: &Value, b: &Value, tol: Tol) -> bool {
    walk(a, b, String::new(), &mut |path, x, y| shape_of(path, x, y)).is_ok()
        && walk(a, b, String::new(), &mut |path, x, y| match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) if p.is_nan() && q.is_nan() => Ok(()),
            _ => element(path, x, y, tol),
        })
        .is_ok()
}

/// Visits the leaves of two values in step, stopping at the first error from `leaf`. Containers of
/// different kinds or sizes are shape mismatches.
fn walk(
    got: &Value,
    want: &Value,
    path: String,
    leaf: &mut dyn FnMut(&str, &Value, &Value) -> Result<(), Mismatch>,
) -> Result<(), Mismatch> {
    let shape =
        |path: String| Mismatch { path, kind: MismatchKind::Shape { got: got.shape(), want: want.shape() } };
    match (got, want) {
        (Value::List(g), Value::List(w)) => {
            // A matrix whose rows are too short is reported as a matrix (2×2 vs 2×3), not as row 0.
            if g.len() != w.len() || got.shape() != want.shape() {
                return Err(shape(path));
            }
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                walk(g, w, format!("{path}[{i}]"), leaf)?;
            }
            Ok(())
        }
        (Value::Map(g), Value::Map(w)) => {
            if !g.keys().eq(w.keys()) {
                return Err(shape(path));
            }
            for (k, w) in w {
                walk(&g[k], w, format!("{path}.{k}"), leaf)?;
            }
            Ok(())
        }
        (Value::List(_) | Value::Map(_), _) | (_, Value::List(_) | Value::Map(_)) => Err(shape(path)),
        _ => leaf(&path, got, want),
    }
}

fn shape_of(path: &str, got: &Value, want: &Value) -> Result<(), Mismatch> {
    let numeric = |v: &Value| matches!(v, Value::Num(_) | Value::Int(_));
    let same_kind =
        std::mem::discriminant(got) == std::mem::discriminant(want) || (numeric(got) && numeric(want));
    if same_kind {
        Ok(())
    } else {
        Err(Mismatch {
            path: path.into(),
            kind: MismatchKind::Shape { got: got.shape(), want: want.shape() },
        })
    }
}

fn element(path: &str, got: &Value, want: &Value, tol: Tol) -> Result<(), Mismatch> {
    let mismatch = |kind| Err(Mismatch { path: path.into(), kind });
    match (got, want) {
        // The shape pass has made sure both sides are numbers here.
        (_, Value::Num(_)) | (Value::Num(_), Value::Int(_)) => {
            let (g, w) = (got.as_f64().unwrap_or(f64::NAN), want.as_f64().unwrap_or(f64::NAN));
            if tol.accepts(g, w) { Ok(()) } else { mismatch(MismatchKind::Number { got: g, want: w }) }
        }
        _ if got == want => Ok(()),
        _ => mismatch(MismatchKind::Exact { got: got.clone(), want: want.clone() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Tol = Tol { atol: 1e-9, rtol: 1e-6 };

    fn v(yaml: &str) -> Value {
        serde_yaml_ng::from_str(yaml).unwrap()
    }

    #[test]
    fn tolerance_is_absolute_plus_relative() {
        assert!(T.accepts(1000.0 + 9e-4, 1000.0));
        assert!(!T.accepts(1000.0 + 2e-3, 1000.0));
        assert!(T.accepts(5e-10, 0.0));
        assert!(!T.accepts(2e-9, 0.0));
    }

    #[test]
    fn nan_is_never_equal_but_equal_infinities_are() {
        assert!(!T.accepts(f64::NAN, f64::NAN));
        assert!(T.accepts(f64::INFINITY, f64::INFINITY));
        let err = compare(&Value::Num(f64::NAN), &Value::Num(0.5), T).unwrap_err();
        assert!(err.to_string().contains("NaN is never equal"), "{err}");
    }

    #[test]
    fn the_same_answer_may_be_nan_on_both_sides() {
        assert!(same(&v("[NaN, 1.0]"), &v("[NaN, 1.0000000001]"), T));
        assert!(!same(&v("[NaN, 1.0]"), &v("[0.5, 1.0]"), T));
        assert!(!same(&v("[1.0]"), &v("[1.0, 2.0]"), T));
    }

    #[test]
    fn shapes_are_checked_before_values() {
        // The first element differs too, but the length is what the student must fix first.
        let err = compare(&v("[9, 2, 3]"), &v("[1, 2]"), T).unwrap_err();
        assert_eq!(err.to_string(), "shape differs: got length 3, want length 2");
        let err = compare(&v("[[1, 2], [3, 4]]"), &v("[[1, 2, 0], [3, 4, 0]]"), T).unwrap_err();
        assert_eq!(err.to_string(), "shape differs: got 2×2, want 2×3");
    }

    #[test]
    fn the_first_differing_element_is_named() {
        let err = compare(&v("[[1, 2], [3, 4.5]]"), &v("[[1, 2], [3, 4]]"), T).unwrap_err();
        assert_eq!(err.to_string(), "at [1][1]: got 4.5, want 4 (off by 0.5)");
        let err = compare(&v("{w: [1, 2], epochs: 3}"), &v("{w: [1, 2], epochs: 4}"), T).unwrap_err();
        assert_eq!(err.to_string(), "at .epochs: got 3, want 4");
    }

    #[test]
    fn records_need_the_same_fields_and_kinds() {
        assert!(compare(&v("{a: 1}"), &v("{b: 1}"), T).is_err());
        assert!(compare(&v("true"), &v("1.0"), T).is_err());
        assert!(compare(&v("1"), &v("1.0"), T).is_ok(), "an integer result may stand for a number");
    }
}
