//! Points by case group. An exercise may split its cases into groups — far tails, edge cases such
//! as ties and zeros, batches of several samples — each worth a stated share of its points, so
//! that a bug confined to one group costs that group, whatever the number of cases drawn in it.
//! A case belongs to the first group whose rule it meets; the others are "ordinary inputs", which
//! hold the share the groups leave. A group with no case in a run gives its share to the others in
//! proportion.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::value::Value;

/// One group of an exercise's cases, as the fixture declares it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// What its cases have in common, as the report shows it ("stable for |z| ≥ 30").
    pub name: String,
    /// Its share of the exercise's points, in (0, 1).
    pub share: f64,
    /// Which cases are in it.
    pub when: Rule,
}

/// Which inputs a group holds: the input named `input` has ...
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The input the rule looks at.
    pub input: String,
    /// ... a number of at least this magnitude;
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abs_at_least: Option<f64>,
    /// ... an element equal to one of these (numbers by value, text exactly);
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Value>,
    /// ... at least this many rows (a batch of several samples);
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_at_least: Option<usize>,
    /// ... a row (or, for a list of numbers, the list) whose largest or smallest value occurs
    /// more than once: a tie, where a convention decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie: Option<Extreme>,
    /// ... the value of the input named here (a batch size equal to the number of samples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

/// The end of a row a tie is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Extreme {
    /// The largest value (an argmax).
    Max,
    /// The smallest value (the best loss so far).
    Min,
}

/// Whether the numbers `row` hold their largest (smallest) value more than once.
fn tied(row: &[Value], at: Extreme) -> bool {
    let numbers: Vec<f64> = row.iter().filter_map(Value::as_f64).collect();
    if numbers.len() != row.len() || numbers.len() < 2 {
        return false;
    }
    let end = match at {
        Extreme::Max => numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Extreme::Min => numbers.iter().copied().fold(f64::INFINITY, f64::min),
    };
    numbers.iter().filter(|&&x| x == end).count() > 1
}

/// The name of the cases no group holds.
pub const ORDINARY: &str = "ordinary inputs";

impl Rule {
    /// Whether the inputs of a case meet the rule.
    pub fn holds(&self, input: &BTreeMap<String, Value>) -> bool {
        let Some(value) = input.get(&self.input) else { return false };
        let mut leaves = Vec::new();
        collect(value, &mut leaves);
        let big = self
            .abs_at_least
            .is_some_and(|x| leaves.iter().any(|v| v.as_f64().is_some_and(|v| v.abs() >= x)));
        let equal = leaves.iter().any(|v| self.any_of.iter().any(|w| same(v, w)));
        let rows = self.rows_at_least.is_some_and(|n| matches!(value, Value::List(rows) if rows.len() >= n));
        let tie = self.tie.is_some_and(|at| match value {
            Value::List(rows) if rows.iter().all(|r| matches!(r, Value::List(_))) => {
                rows.iter().any(|r| matches!(r, Value::List(r) if tied(r, at)))
            }
            Value::List(row) => tied(row, at),
            _ => false,
        });
        let equals =
            self.equals.as_ref().is_some_and(|other| input.get(other).is_some_and(|o| same(o, value)));
        big || equal || rows || tie || equals
    }

    /// The rule's problems: it must say one thing.
    pub fn check(&self) -> Result<(), String> {
        let said = usize::from(self.abs_at_least.is_some())
            + usize::from(!self.any_of.is_empty())
            + usize::from(self.rows_at_least.is_some())
            + usize::from(self.tie.is_some())
            + usize::from(self.equals.is_some());
        if said == 1 {
            Ok(())
        } else {
            Err(format!(
                "the rule on `{}` must say exactly one of abs_at_least, any_of, rows_at_least, tie, equals",
                self.input
            ))
        }
    }
}

fn collect<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::List(items) => items.iter().for_each(|v| collect(v, out)),
        Value::Map(fields) => fields.values().for_each(|v| collect(v, out)),
        leaf => out.push(leaf),
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// The group of each case, by index into `groups` (`None`: ordinary).
pub fn assign<'a>(
    groups: &[Group],
    inputs: impl IntoIterator<Item = &'a BTreeMap<String, Value>>,
) -> Vec<Option<usize>> {
    inputs.into_iter().map(|input| groups.iter().position(|g| g.when.holds(input))).collect()
}

/// How one group of an exercise fared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupScore {
    /// Its name ([`ORDINARY`] for the cases no group holds).
    pub name: String,
    /// Cases passed.
    pub passed: usize,
    /// Cases run.
    pub cases: usize,
    /// Of those, public cases passed.
    #[serde(default)]
    pub public_passed: usize,
    /// Public cases run.
    #[serde(default)]
    pub public_cases: usize,
    /// Points at stake (not rounded).
    pub max_score: f64,
}

impl GroupScore {
    /// Points earned (not rounded).
    pub fn score(&self) -> f64 {
        self.share(self.passed)
    }

    /// The points of `part` of its cases.
    pub fn share(&self, part: usize) -> f64 {
        if self.cases == 0 { 0.0 } else { self.max_score * part as f64 / self.cases as f64 }
    }
}

/// The groups of an exercise's cases and how they fared: `public` and `passed` say, case by
/// case, whether it is public and whether it passed (`passed` may be empty: nothing ran).
pub fn tally(
    groups: &[Group],
    points: f64,
    inputs: &[&BTreeMap<String, Value>],
    public: &[bool],
    passed: &[bool],
) -> Vec<GroupScore> {
    let assigned = assign(groups, inputs.iter().copied());
    let share = |g: Option<usize>| match g {
        Some(i) => groups[i].share,
        None => 1.0 - groups.iter().map(|g| g.share).sum::<f64>(),
    };
    let present: Vec<Option<usize>> =
        std::iter::once(None).chain((0..groups.len()).map(Some)).filter(|g| assigned.contains(g)).collect();
    // With no groups this is exactly 1.0, so that an exercise without groups scores as before.
    let total: f64 = if groups.is_empty() { 1.0 } else { present.iter().map(|g| share(*g)).sum() };
    present
        .into_iter()
        .map(|g| {
            let count =
                |f: &dyn Fn(usize) -> bool| (0..assigned.len()).filter(|&i| assigned[i] == g && f(i)).count();
            let ok = |i: usize| passed.get(i).copied().unwrap_or(false);
            GroupScore {
                name: g.map_or(ORDINARY, |i| groups[i].name.as_str()).to_string(),
                passed: count(&ok),
                cases: count(&|_| true),
                public_passed: count(&|i| public[i] && ok(i)),
                public_cases: count(&|i| public[i]),
                max_score: if groups.is_empty() { points } else { points * share(g) / total },
            }
        })
        .collect()
}

impl fmt::Display for GroupScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let points = |x: f64| {
            let text = format!("{x:.2}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        let unit = if points(self.max_score) == "1" { "point" } else { "points" };
        write!(
            f,
            "{}: {} of {} {unit} ({} of {} cases passed)",
            self.name,
            points(self.score()),
            points(self.max_score),
            self.passed,
            self.cases
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(z: f64) -> BTreeMap<String, Value> {
        BTreeMap::from([("z".to_string(), Value::Num(z))])
    }

    fn tails() -> Vec<Group> {
        let when = Rule {
            input: "z".into(),
            abs_at_least: Some(30.0),
            any_of: vec![],
            rows_at_least: None,
            tie: None,
            equals: None,
        };
        vec![Group { name: "far tails".into(), share: 0.25, when }]
    }

    #[test]
    fn a_bug_confined_to_a_group_costs_that_group_only() {
        let inputs = [input(0.5), input(-2.0), input(1.0), input(-40.0)];
        let refs: Vec<_> = inputs.iter().collect();
        let groups = tally(&tails(), 4.0, &refs, &[true, true, false, false], &[true, true, true, false]);
        assert_eq!(groups.len(), 2);
        assert_eq!((groups[0].name.as_str(), groups[0].max_score, groups[0].score()), (ORDINARY, 3.0, 3.0));
        assert_eq!(
            (groups[1].name.as_str(), groups[1].max_score, groups[1].score()),
            ("far tails", 1.0, 0.0)
        );
        assert_eq!((groups[0].public_passed, groups[0].public_cases), (2, 2));
        assert_eq!(groups[1].to_string(), "far tails: 0 of 1 point (0 of 1 cases passed)");
    }

    #[test]
    fn an_empty_group_leaves_its_share_to_the_others_and_no_groups_score_by_count() {
        let inputs = [input(0.5), input(-2.0)];
        let refs: Vec<_> = inputs.iter().collect();
        let groups = tally(&tails(), 4.0, &refs, &[false, false], &[true, false]);
        assert_eq!((groups.len(), groups[0].max_score, groups[0].score()), (1, 4.0, 2.0));
        let plain = tally(&[], 3.0, &refs, &[false, false], &[]);
        assert_eq!((plain[0].max_score, plain[0].score()), (3.0, 0.0));
    }

    #[test]
    fn rules_look_at_magnitudes_values_and_rows() {
        let rule = |abs, any_of, rows| Rule {
            input: "x".into(),
            abs_at_least: abs,
            any_of,
            rows_at_least: rows,
            tie: None,
            equals: None,
        };
        let x = |v: Value| BTreeMap::from([("x".to_string(), v)]);
        let matrix =
            Value::List(vec![Value::List(vec![Value::Num(0.0)]), Value::List(vec![Value::Num(1.0)])]);
        assert!(rule(None, vec![Value::Int(1)], None).holds(&x(matrix.clone())));
        assert!(rule(None, vec![], Some(2)).holds(&x(matrix.clone())));
        assert!(!rule(None, vec![], Some(3)).holds(&x(matrix.clone())));
        assert!(!rule(Some(2.0), vec![], None).holds(&x(matrix)));
        assert!(rule(None, vec![Value::Str("he".into())], None).holds(&x(Value::Str("he".into()))));
        assert!(rule(Some(1.0), vec![], None).check().is_ok());
        assert!(rule(Some(1.0), vec![Value::Int(1)], None).check().is_err());
    }

    #[test]
    fn a_tie_is_an_end_of_a_row_held_twice() {
        let tie = |at| Rule {
            input: "x".into(),
            abs_at_least: None,
            any_of: vec![],
            rows_at_least: None,
            tie: Some(at),
            equals: None,
        };
        let x = |rows: &[&[f64]]| {
            let row = |r: &[f64]| Value::List(r.iter().map(|&v| Value::Num(v)).collect());
            BTreeMap::from([("x".to_string(), Value::List(rows.iter().map(|r| row(r)).collect()))])
        };
        assert!(tie(Extreme::Max).holds(&x(&[&[0.1, 0.7, 0.2], &[0.5, 0.2, 0.5]])));
        assert!(!tie(Extreme::Max).holds(&x(&[&[0.3, 0.3, 0.4]])), "a tie below the largest value");
        assert!(tie(Extreme::Min).holds(&x(&[&[0.3, 0.3, 0.4]])));
        let list = BTreeMap::from([(
            "x".to_string(),
            Value::List(vec![Value::Num(2.0), Value::Num(1.0), Value::Num(1.0)]),
        )]);
        assert!(tie(Extreme::Min).holds(&list) && !tie(Extreme::Max).holds(&list));
        assert!(tie(Extreme::Max).check().is_ok());
        let equals = Rule {
            input: "b".into(),
            abs_at_least: None,
            any_of: vec![],
            rows_at_least: None,
            tie: None,
            equals: Some("n".into()),
        };
        let case = |b: i64, n: i64| {
            BTreeMap::from([("b".to_string(), Value::Int(b)), ("n".to_string(), Value::Int(n))])
        };
        assert!(equals.holds(&case(5, 5)) && !equals.holds(&case(4, 5)));
    }
}
