//! Naming a failure's mistake, on the grader's side, in order: a catalogued mistake (the
//! maintainers' own words); a relation between the student's values and the expected ones (twice,
//! the opposite sign, n times, …); the reference on a changed input (an index one off, one input
//! used for another); and last, a generated mutant whose class has a sentence. A relation must give
//! the student's value on every failing case; a mutant, every answer, failing and passing (there
//! are hundreds of mutants, and a coincidence on the failing cases alone is likelier).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use nnlab_check::probe::{Request, RequestCase};
use nnlab_check::relation::{Related, explain, samples};
use nnlab_check::verdict::Status;
use nnlab_check::{Answer, Exercise, Value, Verdict};

use super::Grader;
use super::cases::GradedCase;
use super::judge::Answers;
use crate::mutants::Class;
use crate::run::run_probe;

/// A named mistake: what `report.json` records (`mistake`) and, when a student may read it,
/// what the failure block says (`diagnosis`).
pub struct Named {
    /// Which mistake, for the instructor: a catalogued name, `relation: …`, `changed input: …`
    /// or `generated: …`.
    pub mistake: String,
    /// What the student reads, if anything.
    pub says: Option<String>,
}

impl Grader<'_> {
    /// The mistake behind `ex`'s failure, if one accounts for every answer.
    pub(super) fn name_mistake(
        &self,
        lab: &str,
        ex: &Exercise,
        cases: &[GradedCase],
        answers: &Answers,
    ) -> Result<Option<Named>> {
        if answers.judgement.status != Status::Failed || ex.outcome.is_some() {
            return Ok(None);
        }
        if let Some(mistake) = self.diagnose(lab, ex, cases, answers)? {
            return Ok(Some(Named {
                mistake: mistake.name.clone(),
                says: Some(mistake.diagnosis.says.clone()),
            }));
        }
        let verdicts = &answers.judgement.verdicts;
        let values: Vec<Option<&Value>> = answers
            .judged
            .iter()
            .map(|a| match a {
                Some(Answer::Value(v)) => Some(v),
                _ => None,
            })
            .collect();
        let related: Vec<Related<'_>> = cases
            .iter()
            .zip(&values)
            .zip(verdicts)
            .map(|((c, got), verdict)| Related {
                want: &c.want,
                got: *got,
                tol: c.tol,
                passed: *verdict == Verdict::Pass,
                n: samples(c.input.values()),
            })
            .collect();
        if let Some((name, says)) = explain(&related) {
            return Ok(Some(Named { mistake: format!("relation: {name}"), says: Some(says) }));
        }
        // The rest runs the reference, which an edition without solutions does not have.
        if related.iter().any(|c| !c.passed && c.got.is_none()) || self.reference.is_none() {
            return Ok(None);
        }
        if let Some(named) = self.changed_input(lab, ex, cases, &related)? {
            return Ok(Some(named));
        }
        self.generated(lab, ex, cases, answers)
    }

    /// The reference on inputs changed as students slip: every count or index one more or one
    /// less; one input in place of another of the same shape. Asked in one run of the reference.
    fn changed_input(
        &self,
        lab: &str,
        ex: &Exercise,
        cases: &[GradedCase],
        related: &[Related<'_>],
    ) -> Result<Option<Named>> {
        let Some(reference) = self.reference.as_ref().and_then(|r| r.get(lab)) else { return Ok(None) };
        let variants = variants(&ex.name, cases);
        // Only the failing cases decide (a slip may leave the others right), so only they are
        // asked: an exercise that trains a network costs a training run per case and variant.
        let failing: Vec<usize> = (0..cases.len()).filter(|&i| !related[i].passed).collect();
        // A variant that does not apply to a case leaves it as it is; one that changes no case is
        // not asked.
        let changed: Vec<Vec<BTreeMap<String, Value>>> = variants
            .iter()
            .map(|v| {
                let inputs: Vec<Option<Input>> =
                    failing.iter().map(|&i| (v.change)(&cases[i].input)).collect();
                if inputs.iter().all(Option::is_none) {
                    return Vec::new();
                }
                inputs
                    .into_iter()
                    .zip(&failing)
                    .map(|(input, &i)| input.unwrap_or_else(|| cases[i].input.clone()))
                    .collect()
            })
            .collect();
        let request = Request {
            exercise: ex.name.clone(),
            cases: changed
                .iter()
                .enumerate()
                .flat_map(|(v, inputs)| {
                    inputs
                        .iter()
                        .enumerate()
                        .map(move |(k, input)| RequestCase::new(format!("{v}/{k}"), input.clone()))
                })
                .collect(),
        };
        if request.cases.is_empty() {
            return Ok(None);
        }
        // A diagnosis, not a grade: it gets a student's time limit, not the reference's.
        let limits = crate::run::Limits { time: self.opts.timeout, ..self.opts.reference_limits() };
        let run = run_probe(&self.jail, reference, &request, limits)?;
        for (v, Variant { name, says, .. }) in variants.iter().enumerate() {
            if changed[v].is_empty() {
                continue;
            }
            let predicted: Option<Vec<&Value>> = (0..failing.len())
                .map(|k| match run.answers.get(&format!("{v}/{k}")) {
                    Some(Answer::Value(value)) => Some(value),
                    _ => None,
                })
                .collect();
            let Some(predicted) = predicted else { continue };
            let accounts = failing.iter().zip(&predicted).all(|(&i, p)| {
                let c = &related[i];
                c.got.is_some_and(|got| nnlab_check::compare::same(got, p, c.tol))
            });
            if accounts {
                return Ok(Some(Named {
                    mistake: format!("changed input: {name}"),
                    says: Some(says.clone()),
                }));
            }
        }
        Ok(None)
    }

    /// A generated mutant whose answers are the student's on every case: named in the words of the
    /// sentence of the first matching class (in [`Class::PRIORITY`]) that has one; otherwise
    /// recorded for the instructor only.
    fn generated(
        &self,
        lab: &str,
        ex: &Exercise,
        cases: &[GradedCase],
        answers: &Answers,
    ) -> Result<Option<Named>> {
        let matching = self.matching_mutants(lab, ex, cases, &answers.judged, &answers.judgement.verdicts)?;
        if matching.is_empty() {
            return Ok(None);
        }
        let classes: BTreeSet<Class> = matching.iter().map(|m| m.class).collect();
        let class = Class::PRIORITY
            .into_iter()
            .find(|c| classes.contains(c) && self.sentences.contains_key(c))
            .or_else(|| Class::PRIORITY.into_iter().find(|c| classes.contains(c)))
            .expect("every class is in the priority list");
        let first = matching.iter().find(|m| m.class == class).expect("a mutant of the class");
        let mistake = format!("generated: {} (mutant {} of {lab})", class_name(class), first.id);
        let says = self.sentences.get(&class).map(|sentence| sentence.replace("{exercise}", &ex.name));
        Ok(Some(Named { mistake, says }))
    }
}

/// An input changed the way a slip changes it, and what the diagnosis then says.
struct Variant {
    name: String,
    says: String,
    change: Change,
}

type Input = BTreeMap<String, Value>;

/// How a variant changes one case's inputs (`None`: it does not apply to the case).
type Change = Box<dyn Fn(&Input) -> Option<Input>>;

/// How a variant changes one input's value.
type ChangeValue = Box<dyn Fn(&Value) -> Option<Value>>;

/// The changed inputs the diagnosis tries for exercise `ex`: every integer (or list of them) one
/// more and one less; every number halved, doubled, negated and zero; every numeric field of a
/// record (or of a list of records) zero; every input replaced by another of the same shape.
fn variants(ex: &str, cases: &[GradedCase]) -> Vec<Variant> {
    let names: BTreeSet<String> = cases.iter().flat_map(|c| c.input.keys().cloned()).collect();
    let mut out = Vec::new();
    let mut add = |name: String, says: String, change: Change| {
        out.push(Variant { name, says, change });
    };
    let replace = |key: &str, f: ChangeValue| -> Change {
        let key = key.to_string();
        Box::new(move |input: &Input| {
            let mut changed = input.clone();
            changed.insert(key.clone(), f(input.get(&key)?)?);
            Some(changed)
        })
    };
    for name in &names {
        for (step, word) in [(1i64, "one more"), (-1, "one less")] {
            add(
                format!("{name} {step:+}"),
                format!(
                    "your values are what `{ex}` gives with `{name}` {word} than it is, on every case you failed: \
                     look where your code uses `{name}` and what depends on it: an off-by-one (counted from 0 \
                     or from 1? a missing +1? a loop that ends one step early or late?)"
                ),
                replace(name, Box::new(move |v| shift(v, step))),
            );
        }
        let scalings: [(&str, f64, &str); 4] = [
            ("halved", 0.5, "a factor ½ on it that the formula does not have, or a 2 missing"),
            ("doubled", 2.0, "a factor 2 on it that the formula does not have, or a ½ missing"),
            ("negated", -1.0, "its sign is flipped somewhere"),
            ("zero", 0.0, "your code leaves it out"),
        ];
        for (what, k, hint) in scalings {
            let says = if k == 0.0 {
                format!(
                    "your values are what `{ex}` gives with `{name}` = 0, on every case you failed: {hint}"
                )
            } else {
                format!(
                    "your values are what `{ex}` gives with `{name}` {what}, on every case you failed: {hint}"
                )
            };
            add(
                format!("{name} {what}"),
                says,
                replace(
                    name,
                    Box::new(move |v| match v {
                        Value::Num(x) if *x != 0.0 => Some(Value::Num(k * x)),
                        _ => None,
                    }),
                ),
            );
        }
        let fields: BTreeSet<String> =
            cases.iter().filter_map(|c| c.input.get(name)).flat_map(record_fields).collect();
        for field in fields {
            let f = field.clone();
            add(
                format!("{name}.{field} zero"),
                format!(
                    "your values are what `{ex}` gives with every `{field}` of `{name}` zero, on every case you failed: \
                     your code never uses `{field}` (is that part of the update missing?)"
                ),
                replace(name, Box::new(move |v| zero_field(v, &f))),
            );
        }
        if name == "z" && names.contains("activation") {
            add(
                "f(z) for z".into(),
                format!(
                    "your values are what `{ex}` gives when handed the activation f(z) in place of the pre-activation z, \
                     on every case you failed: the derivative is taken at the output a = f(z) instead of at z"
                ),
                Box::new(|input: &Input| {
                    let Some(Value::Str(f)) = input.get("activation") else { return None };
                    let z = input.get("z")?;
                    let mut changed = input.clone();
                    changed.insert("z".into(), activated(f, z)?);
                    Some(changed)
                }),
            );
        }
        for other in names.iter().filter(|o| *o != name) {
            let (into, from) = (name.clone(), other.clone());
            add(
                format!("{other} for {name}"),
                format!(
                    "your values are what `{ex}` gives with `{other}` used in place of `{name}`, on every case you \
                     failed: check which quantity your code uses for `{name}` (the pre-activation or the output? \
                     this layer's or another's?)"
                ),
                Box::new(move |input: &Input| {
                    let (a, b) = (input.get(&into)?, input.get(&from)?);
                    if a.shape() != b.shape() || a == b {
                        return None;
                    }
                    let mut changed = input.clone();
                    changed.insert(into.clone(), b.clone());
                    Some(changed)
                }),
            );
        }
    }
    out
}

/// `z` through the activation called `f`, element by element (the smooth ones and ReLU).
fn activated(f: &str, z: &Value) -> Option<Value> {
    let f: fn(f64) -> f64 = match f {
        "identity" => |x| x,
        "sigmoid" => |x| 1.0 / (1.0 + (-x).exp()),
        "tanh" => f64::tanh,
        "relu" => |x| x.max(0.0),
        _ => return None,
    };
    Some(nnlab_check::relation::map_numbers(z, &f))
}

/// The numeric fields of a record, or of the records of a list.
fn record_fields(v: &Value) -> Vec<String> {
    match v {
        Value::Map(fields) => fields.iter().filter(|(_, x)| has_number(x)).map(|(k, _)| k.clone()).collect(),
        Value::List(items) => items.iter().flat_map(record_fields).collect(),
        _ => Vec::new(),
    }
}

fn has_number(v: &Value) -> bool {
    match v {
        Value::Num(_) => true,
        Value::List(items) => items.iter().any(has_number),
        _ => false,
    }
}

/// `v` with the numbers of its field `field` (or of every record's in a list) set to 0.
fn zero_field(v: &Value, field: &str) -> Option<Value> {
    match v {
        Value::Map(fields) => {
            let mut out = fields.clone();
            let x = out.get_mut(field)?;
            *x = nnlab_check::relation::map_numbers(x, &|_| 0.0);
            Some(Value::Map(out))
        }
        Value::List(items) if !items.is_empty() => {
            Some(Value::List(items.iter().map(|x| zero_field(x, field)).collect::<Option<_>>()?))
        }
        _ => None,
    }
}

fn class_name(class: Class) -> String {
    serde_yaml_ng::to_string(&class).unwrap_or_default().trim().to_string()
}

/// `v` with every integer one step up or down (an integer, or a list of them); `None` for
/// anything else, or an integer that would go below 0.
fn shift(v: &Value, step: i64) -> Option<Value> {
    match v {
        Value::Int(k) if k + step >= 0 => Some(Value::Int(k + step)),
        Value::List(items) if !items.is_empty() => {
            Some(Value::List(items.iter().map(|x| shift_int(x, step)).collect::<Option<_>>()?))
        }
        _ => None,
    }
}

fn shift_int(v: &Value, step: i64) -> Option<Value> {
    match v {
        Value::Int(k) if k + step >= 0 => Some(Value::Int(k + step)),
        _ => None,
    }
}
