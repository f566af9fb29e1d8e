//! The one data model for inputs and outputs: what fixtures hold, what the probe sends back, and
//! what the comparison rule walks. A vector is a `List` of numbers, a matrix a `List` of rows
//! (samples as rows, as everywhere in nnlab), a record a `Map`.
//!
//! Non-finite numbers matter here — a softmax without the max shift returns NaN, and the grader
//! must see that NaN rather than a `null` — so numbers serialise as strings `"NaN"`, `"inf"` and
//! `"-inf"` when they are not finite (JSON has no spelling for them).

use std::collections::BTreeMap;
use std::fmt;

use faer::{Mat, MatRef};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// A value crossing the boundary between the grader, a probe and a fixture file.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A boolean, compared exactly.
    Bool(bool),
    /// An integer (counts, indices, labels), compared exactly.
    Int(i64),
    /// A floating-point number, compared with a tolerance.
    Num(f64),
    /// Text, compared exactly.
    Str(String),
    /// A vector, or a matrix as a list of rows.
    List(Vec<Value>),
    /// A record with named fields.
    Map(BTreeMap<String, Value>),
}

impl Value {
    /// The number this value holds, accepting integers written without a decimal point.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Num(v) => Some(v),
            Value::Int(v) => Some(v as f64),
            _ => None,
        }
    }

    /// The numbers of a flat list.
    pub fn as_vec(&self) -> Option<Vec<f64>> {
        match self {
            Value::List(items) => items.iter().map(Value::as_f64).collect(),
            _ => None,
        }
    }

    /// A list of equally long rows of numbers as a matrix. An empty list is a 0×0 matrix.
    pub fn as_mat(&self) -> Option<Mat<f64>> {
        let Value::List(rows) = self else { return None };
        let rows: Vec<Vec<f64>> = rows.iter().map(Value::as_vec).collect::<Option<_>>()?;
        let ncols = rows.first().map_or(0, Vec::len);
        if rows.iter().any(|r| r.len() != ncols) {
            return None;
        }
        Some(Mat::from_fn(rows.len(), ncols, |i, j| rows[i][j]))
    }

    /// The fields of a record, readable with [`Args`]'s accessors.
    pub fn as_record(&self) -> Option<Args<'_>> {
        match self {
            Value::Map(fields) => Some(Args(fields)),
            _ => None,
        }
    }

    /// A short description of the value's shape, for "shapes differ" messages.
    pub fn shape(&self) -> String {
        match self {
            Value::List(items) => match items.first() {
                // A matrix is a list of rows of plain numbers; a list of matrices is a list.
                Some(Value::List(row)) if items.iter().all(is_row) => {
                    format!("{}×{}", items.len(), row.len())
                }
                _ => format!("length {}", items.len()),
            },
            Value::Map(m) => format!("record {{{}}}", m.keys().cloned().collect::<Vec<_>>().join(", ")),
            Value::Bool(_) => "a boolean".into(),
            Value::Int(_) => "an integer".into(),
            Value::Num(_) => "a number".into(),
            Value::Str(_) => "text".into(),
        }
    }

    /// The value with every number rounded to `digits` significant digits: snapshots of outputs
    /// stay stable across platforms whose last bits of `exp` or `tanh` differ.
    pub fn rounded(&self, digits: usize) -> Value {
        match self {
            Value::Num(v) if v.is_finite() && *v != 0.0 => Value::Num(
                format!("{v:.*e}", digits.saturating_sub(1)).parse().expect("a formatted f64 parses"),
            ),
            Value::List(items) => Value::List(items.iter().map(|v| v.rounded(digits)).collect()),
            Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), v.rounded(digits))).collect()),
            other => other.clone(),
        }
    }

    /// Whether a NaN is anywhere inside.
    pub fn has_nan(&self) -> bool {
        match self {
            Value::Num(v) => v.is_nan(),
            Value::List(items) => items.iter().any(Value::has_nan),
            Value::Map(fields) => fields.values().any(Value::has_nan),
            _ => false,
        }
    }

    /// Builds a record from `(name, value)` pairs.
    pub fn record<K: Into<String>>(fields: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(fields.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

fn is_row(v: &Value) -> bool {
    matches!(v, Value::List(items) if items.iter().all(|x| !matches!(x, Value::List(_) | Value::Map(_))))
}

/// Formats a number so that it reads back to the same `f64`, without 300-digit expansions.
pub fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || v.is_nan() || v.is_infinite() || (1e-4..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Longest list printed in full in a message; longer ones are cut with a count of what is left.
const SHOWN_ITEMS: usize = 8;

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Num(v) => f.write_str(&fmt_num(*v)),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().take(SHOWN_ITEMS).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                if items.len() > SHOWN_ITEMS {
                    write!(f, ", … {} more", items.len() - SHOWN_ITEMS)?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Num(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(v as i64)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Str(v.to_string())
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
impl From<&[f64]> for Value {
    fn from(v: &[f64]) -> Self {
        Value::List(v.iter().map(|&x| Value::Num(x)).collect())
    }
}
impl From<MatRef<'_, f64>> for Value {
    fn from(m: MatRef<'_, f64>) -> Self {
        Value::List(
            (0..m.nrows())
                .map(|i| Value::List((0..m.ncols()).map(|j| Value::Num(m[(i, j)])).collect()))
                .collect(),
        )
    }
}
impl From<Mat<f64>> for Value {
    fn from(m: Mat<f64>) -> Self {
        m.as_ref().into()
    }
}
impl From<&Mat<f64>> for Value {
    fn from(m: &Mat<f64>) -> Self {
        m.as_ref().into()
    }
}

/// The named inputs of one case, with typed accessors that say which input was malformed.
#[derive(Clone, Copy, Debug)]
pub struct Args<'a>(pub &'a BTreeMap<String, Value>);

impl<'a> Args<'a> {
    /// The raw value of input `name`.
    pub fn get(&self, name: &str) -> Result<&'a Value, InputError> {
        self.0.get(name).ok_or_else(|| InputError(format!("input `{name}` is missing")))
    }
    fn typed<T>(
        &self,
        name: &str,
        what: &str,
        f: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<T, InputError> {
        f(self.get(name)?).ok_or_else(|| InputError(format!("input `{name}` is not {what}")))
    }
    /// Input `name` as a number.
    pub fn f64(&self, name: &str) -> Result<f64, InputError> {
        self.typed(name, "a number", Value::as_f64)
    }
    /// Input `name` as a vector of numbers.
    pub fn vec(&self, name: &str) -> Result<Vec<f64>, InputError> {
        self.typed(name, "a list of numbers", Value::as_vec)
    }
    /// Input `name` as a matrix (a list of equally long rows).
    pub fn mat(&self, name: &str) -> Result<Mat<f64>, InputError> {
        self.typed(name, "a matrix", Value::as_mat)
    }
    /// Input `name` as a non-negative integer.
    pub fn usize(&self, name: &str) -> Result<usize, InputError> {
        self.typed(name, "a non-negative integer", |v| match *v {
            Value::Int(i) => usize::try_from(i).ok(),
            _ => None,
        })
    }

    /// Input `name` as a seed (a non-negative integer).
    pub fn u64(&self, name: &str) -> Result<u64, InputError> {
        self.typed(name, "a non-negative integer", |v| match *v {
            Value::Int(i) => u64::try_from(i).ok(),
            _ => None,
        })
    }

    /// A list of non-negative integers (class labels, indices).
    pub fn usizes(&self, name: &str) -> Result<Vec<usize>, InputError> {
        self.typed(name, "a list of non-negative integers", |v| match v {
            Value::List(items) => items
                .iter()
                .map(|i| if let Value::Int(i) = *i { usize::try_from(i).ok() } else { None })
                .collect(),
            _ => None,
        })
    }

    /// A list of matrices (the weights of several layers).
    pub fn mats(&self, name: &str) -> Result<Vec<Mat<f64>>, InputError> {
        self.typed(name, "a list of matrices", |v| match v {
            Value::List(items) => items.iter().map(Value::as_mat).collect(),
            _ => None,
        })
    }
    /// A list of vectors (a sequence of gradients, several parameter groups).
    pub fn vecs(&self, name: &str) -> Result<Vec<Vec<f64>>, InputError> {
        self.typed(name, "a list of lists of numbers", |v| match v {
            Value::List(items) => items.iter().map(Value::as_vec).collect(),
            _ => None,
        })
    }

    /// A list of records (layers, optimizer settings), each readable with the same accessors.
    pub fn records(&self, name: &str) -> Result<Vec<Args<'a>>, InputError> {
        self.typed(name, "a list of records", |v| match v {
            Value::List(items) => items.iter().map(Value::as_record).collect(),
            _ => None,
        })
    }

    /// Input `name` as a record.
    pub fn record(&self, name: &str) -> Result<Args<'a>, InputError> {
        self.typed(name, "a record", Value::as_record)
    }

    /// Input `name` as a boolean.
    pub fn bool(&self, name: &str) -> Result<bool, InputError> {
        self.typed(name, "a boolean", |v| match *v {
            Value::Bool(b) => Some(b),
            _ => None,
        })
    }
    /// Input `name` as text.
    pub fn str(&self, name: &str) -> Result<&'a str, InputError> {
        match self.get(name)? {
            Value::Str(s) => Ok(s),
            _ => Err(InputError(format!("input `{name}` is not text"))),
        }
    }
}

/// Renders case inputs as `name = value` pairs in a stable (alphabetical) order.
pub fn fmt_inputs(input: &BTreeMap<String, Value>) -> String {
    input.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Num(v) if v.is_nan() => s.serialize_str("NaN"),
            Value::Num(v) if v.is_infinite() => s.serialize_str(if *v > 0.0 { "inf" } else { "-inf" }),
            Value::Num(v) => s.serialize_f64(*v),
            Value::Str(t) => s.serialize_str(t),
            Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, boolean, string, list or map")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v).map(Value::Int).map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(match v {
            "NaN" => Value::Num(f64::NAN),
            "inf" => Value::Num(f64::INFINITY),
            "-inf" => Value::Num(f64::NEG_INFINITY),
            _ => Value::Str(v.to_owned()),
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            m.insert(k, v);
        }
        Ok(Value::Map(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_numbers_survive_json() {
        let v = Value::from(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.1 + 0.2]);
        let back: Value = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
        let Value::List(items) = back else { panic!("not a list") };
        assert!(items[0].as_f64().unwrap().is_nan());
        assert_eq!(items[1], Value::Num(f64::INFINITY));
        assert_eq!(items[2], Value::Num(f64::NEG_INFINITY));
        assert_eq!(items[3], Value::Num(0.1 + 0.2), "floats must round-trip bit for bit");
    }

    #[test]
    fn rounding_keeps_significant_digits() {
        let v = Value::from(vec![0.9088770389851438, -1.234567890123e-20, 0.0, f64::INFINITY]);
        assert_eq!(v.rounded(4), Value::from(vec![0.9089, -1.235e-20, 0.0, f64::INFINITY]));
    }

    #[test]
    fn matrices_are_lists_of_rows() {
        let m = faer::mat![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0f64]];
        let v = Value::from(&m);
        assert_eq!(v.shape(), "2×3");
        assert_eq!(v.as_mat().unwrap(), m);
        let ragged: Value = serde_yaml_ng::from_str("[[1, 2], [3]]").unwrap();
        assert!(ragged.as_mat().is_none());
    }

    #[test]
    fn yaml_integers_read_as_numbers_where_numbers_are_expected() {
        let input: BTreeMap<String, Value> = serde_yaml_ng::from_str("b: 2\nz: .nan").unwrap();
        assert_eq!(Args(&input).f64("b").unwrap(), 2.0);
        assert!(Args(&input).f64("z").unwrap().is_nan());
        assert!(Args(&input).vec("b").unwrap_err().0.contains("`b` is not a list"));
    }
}
