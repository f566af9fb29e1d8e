//! Relations between a student's answers and the expected ones, for mistakes no catalogue
//! names: every value twice the expected, the opposite sign, n times (n the samples), divided by
//! n − 1 instead of n, the transpose. A relation is a diagnosis when it gives the student's value
//! on every failing case (and differs from the expected value there). Passing cases do not count
//! against it: a mistake may show on some inputs only (a factor 2 of the squared error, not of the
//! cross-entropy). What it says names the relation and where to look, never the reference.

use crate::compare::{Tol, same};
use crate::value::Value;

/// One case as a relation sees it.
#[derive(Clone, Copy, Debug)]
pub struct Related<'a> {
    /// The expected value.
    pub want: &'a Value,
    /// The student's value (`None`: no value, a panic or no answer).
    pub got: Option<&'a Value>,
    /// The case's tolerance.
    pub tol: Tol,
    /// Whether the case passed.
    pub passed: bool,
    /// The number of samples of the case (rows of its largest matrix, or length of its longest
    /// list), for the relations with n.
    pub n: Option<usize>,
}

/// What a relation predicts from the expected value and the case's number of samples (`None`:
/// it does not apply).
type Predict = Box<dyn Fn(&Value, Option<usize>) -> Option<Value>>;

/// A relation that may hold: its text, and the value it predicts from the expected one.
struct Relation {
    name: &'static str,
    says: String,
    predict: Predict,
}

fn scale(k: f64) -> impl Fn(&Value, Option<usize>) -> Option<Value> {
    move |v, _| Some(map_numbers(v, &|x| k * x))
}

fn per_sample(f: fn(f64) -> f64) -> impl Fn(&Value, Option<usize>) -> Option<Value> {
    move |v, n| {
        let n = n.filter(|&n| n >= 2)? as f64;
        Some(map_numbers(v, &|x| f(n) * x))
    }
}

fn relations() -> Vec<Relation> {
    let r =
        |name: &'static str, says: &str, predict: Predict| Relation { name, says: says.to_string(), predict };
    vec![
        r(
            "opposite sign",
            "every value you got is the expected one with the opposite sign: look for a flipped sign (a − b for b − a, + for −, a gradient followed uphill)",
            Box::new(scale(-1.0)),
        ),
        r(
            "twice",
            "every value you got is exactly twice the expected: a factor 2 too many, or a ½ missing",
            Box::new(scale(2.0)),
        ),
        r(
            "half",
            "every value you got is exactly half the expected: a factor 2 is missing (the 2 of a squared error's derivative?), or a ½ is one too many",
            Box::new(scale(0.5)),
        ),
        r(
            "n times",
            "every value you got is n times the expected, n the number of samples: a mean over the samples is missing (a sum where the mean is meant)",
            Box::new(per_sample(|n| n)),
        ),
        r(
            "divided by n",
            "every value you got is the expected divided by n, the number of samples: the mean is taken twice (divided by n once too often)",
            Box::new(per_sample(|n| 1.0 / n)),
        ),
        r(
            "n/(n − 1)",
            "your values are the expected times n/(n − 1): a sample statistic (divided by n − 1) where the course divides by n",
            Box::new(per_sample(|n| n / (n - 1.0))),
        ),
        r(
            "√(n/(n − 1))",
            "your values are the expected times √(n/(n − 1)): a sample standard deviation (n − 1) where the course divides by n",
            Box::new(per_sample(|n| (n / (n - 1.0)).sqrt())),
        ),
        r(
            "(n − 1)/n",
            "your values are the expected times (n − 1)/n: divided by n where the formula divides by n − 1",
            Box::new(per_sample(|n| (n - 1.0) / n)),
        ),
        r(
            "−2 times",
            "every value you got is the negative of twice the expected: a flipped sign and a factor 2",
            Box::new(scale(-2.0)),
        ),
        r(
            "4 times",
            "every value you got is four times the expected: a factor 2 counted twice",
            Box::new(scale(4.0)),
        ),
        r(
            "a quarter",
            "every value you got is a quarter of the expected: a factor 2 missing twice",
            Box::new(scale(0.25)),
        ),
        r(
            "without the last",
            "your list is the expected one without its last element: is the last step (the last epoch, the one training stops at) recorded?",
            Box::new(|v, _| match v {
                Value::List(items) if !items.is_empty() => {
                    Some(Value::List(items[..items.len() - 1].to_vec()))
                }
                _ => None,
            }),
        ),
        r(
            "without the first",
            "your list is the expected one without its first element: is the first step (epoch 0, the starting value) recorded?",
            Box::new(|v, _| match v {
                Value::List(items) if !items.is_empty() => Some(Value::List(items[1..].to_vec())),
                _ => None,
            }),
        ),
        r(
            "transpose",
            "your result is the transpose of the expected: check the order of a product (Aᵀ·B or B·Aᵀ?) and which index is the row",
            Box::new(|v, _| transpose(v)),
        ),
    ]
}

/// The relation that accounts for every answer of the cases, if one does: its name and what it
/// says. `cases`
/// must hold at least one failing case with a value; any failing case without one (a panic, no
/// answer) rules every relation out.
pub fn explain(cases: &[Related<'_>]) -> Option<(String, String)> {
    let failing = cases.iter().filter(|c| !c.passed);
    if cases.iter().all(|c| c.passed) || failing.clone().any(|c| c.got.is_none()) {
        return None;
    }
    for relation in relations() {
        // A record (an optimizer's state, a model): the relation may hold on one field, the
        // others being right; that field is then named.
        if let Some(Value::Map(fields)) = cases.iter().find(|c| !c.passed).map(|c| c.want) {
            for field in fields.keys() {
                let on_field = |want: &Value, n: Option<usize>| -> Option<Value> {
                    let Value::Map(w) = want else { return None };
                    let mut out = w.clone();
                    let changed = (relation.predict)(w.get(field)?, n)?;
                    out.insert(field.clone(), changed);
                    Some(Value::Map(out))
                };
                if holds(cases, &on_field) {
                    return Some((
                        format!("{} in {field}", relation.name),
                        format!("in `{field}`: {}", relation.says),
                    ));
                }
            }
        }
        if holds(cases, &|want, n| (relation.predict)(want, n)) {
            return Some((relation.name.to_string(), relation.says));
        }
    }
    None
}

/// Whether `predict` gives the student's value, and not the expected one, on every failing case.
fn holds(cases: &[Related<'_>], predict: &dyn Fn(&Value, Option<usize>) -> Option<Value>) -> bool {
    cases.iter().filter(|c| !c.passed).all(|c| {
        let Some(predicted) = predict(c.want, c.n) else { return false };
        c.got.is_some_and(|got| same(got, &predicted, c.tol)) && !same(&predicted, c.want, c.tol)
    })
}

/// `v` with every floating-point number mapped by `f` (integers, booleans and text kept).
pub fn map_numbers(v: &Value, f: &dyn Fn(f64) -> f64) -> Value {
    match v {
        Value::Num(x) => Value::Num(f(*x)),
        Value::List(items) => Value::List(items.iter().map(|x| map_numbers(x, f)).collect()),
        Value::Map(fields) => {
            Value::Map(fields.iter().map(|(k, x)| (k.clone(), map_numbers(x, f))).collect())
        }
        other => other.clone(),
    }
}

/// The transpose of a matrix (a list of equal rows), if `v` is one and is not square.
fn transpose(v: &Value) -> Option<Value> {
    let Value::List(rows) = v else { return None };
    let rows: Vec<&Vec<Value>> =
        rows.iter().map(|r| if let Value::List(r) = r { Some(r) } else { None }).collect::<Option<_>>()?;
    let cols = rows.first()?.len();
    if rows.iter().any(|r| r.len() != cols) {
        return None;
    }
    Some(Value::List((0..cols).map(|j| Value::List(rows.iter().map(|r| r[j].clone()).collect())).collect()))
}

/// The number of samples of a case with inputs `input`: the rows of its largest matrix, else the
/// length of its longest list of numbers.
pub fn samples<'a>(input: impl IntoIterator<Item = &'a Value>) -> Option<usize> {
    let mut rows = None;
    let mut length = None;
    for v in input {
        if let Value::List(items) = v {
            if items.iter().all(|x| matches!(x, Value::List(_))) && !items.is_empty() {
                rows = rows.max(Some(items.len()));
            } else if items.iter().all(|x| x.as_f64().is_some()) {
                length = length.max(Some(items.len()));
            }
        }
    }
    rows.or(length)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Tol = Tol { atol: 1e-12, rtol: 1e-9 };

    fn list(xs: &[f64]) -> Value {
        Value::List(xs.iter().map(|&x| Value::Num(x)).collect())
    }

    fn case<'a>(want: &'a Value, got: &'a Value, passed: bool, n: usize) -> Related<'a> {
        Related { want, got: Some(got), tol: T, passed, n: Some(n) }
    }

    #[test]
    fn a_factor_is_named_when_it_accounts_for_every_failing_answer() {
        let (w1, g1) = (list(&[1.0, -2.0]), list(&[2.0, -4.0]));
        let (w2, g2) = (list(&[3.0]), list(&[3.0]));
        // The passing case is one the mistake does not touch (another loss, another branch).
        let said = explain(&[case(&w1, &g1, false, 2), case(&w2, &g2, true, 1)]).unwrap().1;
        assert!(said.contains("twice"), "{said}");
        // One failing case the factor does not explain: no diagnosis.
        let (w3, g3) = (list(&[3.0]), list(&[5.0]));
        assert_eq!(explain(&[case(&w1, &g1, false, 2), case(&w3, &g3, false, 1)]), None);
    }

    #[test]
    fn the_number_of_samples_and_the_transpose_are_relations_too() {
        let (w, g) = (list(&[1.0, 2.0, 3.0]), list(&[3.0, 6.0, 9.0]));
        assert!(explain(&[case(&w, &g, false, 3)]).unwrap().1.contains("n times"));
        let (w, g) = (list(&[1.5, 3.0]), list(&[1.0, 2.0]));
        assert!(explain(&[case(&w, &g, false, 3)]).unwrap().1.contains("(n − 1)/n"));
        let w = Value::List(vec![list(&[1.0, 2.0, 3.0])]);
        let g = Value::List(vec![list(&[1.0]), list(&[2.0]), list(&[3.0])]);
        assert!(explain(&[case(&w, &g, false, 1)]).unwrap().1.contains("transpose"));
        let (w, g) = (list(&[3.0, 2.0, 1.5]), list(&[3.0, 2.0]));
        assert!(explain(&[case(&w, &g, false, 1)]).unwrap().1.contains("without its last"));
    }

    #[test]
    fn no_relation_for_unrelated_values_a_panic_or_nothing_failed() {
        let (w, g) = (list(&[1.0, 2.0]), list(&[2.0, 3.0]));
        assert_eq!(explain(&[case(&w, &g, false, 2)]), None);
        let panicked = Related { want: &w, got: None, tol: T, passed: false, n: None };
        let (w2, g2) = (list(&[1.0]), list(&[2.0]));
        assert_eq!(explain(&[panicked, case(&w2, &g2, false, 1)]), None);
        assert_eq!(explain(&[case(&w, &w, true, 2)]), None);
    }

    #[test]
    fn a_relation_on_one_field_of_a_record_names_the_field() {
        let record = |w: f64, t: i64| {
            Value::Map(
                [("w".to_string(), list(&[w])), ("t".to_string(), Value::Int(t))].into_iter().collect(),
            )
        };
        let (want, got) = (record(1.0, 3), record(-1.0, 3));
        let said = explain(&[case(&want, &got, false, 1)]).unwrap().1;
        assert!(said.starts_with("in `w`") && said.contains("opposite sign"), "{said}");
    }
}
