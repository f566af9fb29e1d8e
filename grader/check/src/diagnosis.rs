//! Naming the mistake behind a failure. A catalogued mistake (the reference with one typical
//! slip) is run on the same inputs as the student's code; when its answers are the student's on
//! every case the student failed, the failure block says which mistake it is and what to change.
//! The grader runs the mistakes on its side; the public tests read their answers on the public
//! cases from `fixtures/mistakes/<lab>.yaml`, written by `grader generate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::compare::{Tol, same};
use crate::probe::Answer;
use crate::verdict::Verdict;

/// One case as the diagnosis sees it.
#[derive(Clone, Copy, Debug)]
pub struct Compared<'a> {
    /// How the student's answer was judged.
    pub verdict: &'a Verdict,
    /// The student's answer (`None`: the probe gave none).
    pub student: Option<&'a Answer>,
    /// The mistake's answer on the same input (`None`: not known for this case).
    pub mistake: Option<&'a Answer>,
    /// The case's tolerance.
    pub tol: Tol,
}

/// Whether a mistake explains a failure: the student failed at least one case, and on every case
/// they failed the mistake answered the same (within the case's tolerance, NaN for NaN, a panic
/// for a panic). Cases the student passed do not count: a student may have got an edge right
/// that the catalogued mistake gets wrong. A case with no answer, or a `todo!()`, is never
/// explained, nor is an experiment's (whose answers depend on every random draw).
pub fn explains<'a>(cases: impl IntoIterator<Item = Compared<'a>>) -> bool {
    let mut failed = 0;
    for case in cases {
        match case.verdict {
            Verdict::Pass => continue,
            Verdict::Wrong { .. } | Verdict::Panicked(_) => failed += 1,
            _ => return false,
        }
        let agree = match (case.student, case.mistake) {
            (Some(Answer::Value(a)), Some(Answer::Value(b))) => same(a, b, case.tol),
            (Some(Answer::Panic(_)), Some(Answer::Panic(_))) => true,
            _ => false,
        };
        if !agree {
            return false;
        }
    }
    failed > 0
}

/// The stored answers of a lab's catalogued mistakes on its public cases.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredMistakes {
    /// The mistakes, in the catalogue's order.
    pub mistakes: Vec<StoredMistake>,
}

/// One catalogued mistake with its answers on the public cases of the exercises it is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredMistake {
    /// Its name in the catalogue (its key in `fixtures/submissions/<lab>.yaml` in the workbook).
    pub name: String,
    /// What the diagnosis line says.
    pub says: String,
    /// By exercise, by public case id: what the mistake answers.
    pub answers: BTreeMap<String, BTreeMap<String, Answer>>,
}

impl StoredMistakes {
    /// Where the stored answers of `lab` are, under the fixtures folder.
    pub fn path(fixtures: &Path, lab: &str) -> PathBuf {
        fixtures.join("mistakes").join(format!("{lab}.yaml"))
    }

    /// The stored answers of a lab; none when the file is absent (a lab without a catalogue).
    pub fn load(path: &Path) -> Result<StoredMistakes, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StoredMistakes::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// The first mistake of `exercise` that explains the failures, the student's answers and
    /// verdicts given by public case id.
    pub fn diagnose<'a>(
        &'a self,
        exercise: &str,
        cases: &[(&str, &Verdict, Option<&Answer>, Tol)],
    ) -> Option<&'a StoredMistake> {
        self.mistakes.iter().find(|m| {
            let Some(answers) = m.answers.get(exercise) else { return false };
            explains(cases.iter().map(|&(id, verdict, student, tol)| Compared {
                verdict,
                student,
                mistake: answers.get(id),
                tol,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    const T: Tol = Tol { atol: 1e-9, rtol: 0.0 };

    fn wrong(x: f64) -> Verdict {
        Verdict::judge(&Answer::Value(Value::Num(x)), &Value::Num(0.0), T, None)
    }

    #[test]
    fn a_mistake_explains_only_when_it_matches_every_failed_case() {
        let (nan, two) = (Answer::Value(Value::Num(f64::NAN)), Answer::Value(Value::Num(2.0)));
        let (v_nan, v_two) = (wrong(f64::NAN), wrong(2.0));
        let case = |verdict, student, mistake| Compared { verdict, student, mistake, tol: T };
        assert!(explains([case(&v_nan, Some(&nan), Some(&nan)), case(&v_two, Some(&two), Some(&two))]));
        // Passed cases do not count, whatever the mistake answers there.
        assert!(explains([case(&Verdict::Pass, None, Some(&nan)), case(&v_two, Some(&two), Some(&two))]));
        assert!(!explains([case(&v_nan, Some(&nan), Some(&nan)), case(&v_two, Some(&two), Some(&nan))]));
        assert!(!explains([case(&v_two, Some(&two), None)]), "an unknown answer explains nothing");
        assert!(!explains([case(&Verdict::Pass, None, None)]), "nothing failed, nothing to explain");
        let todo = Verdict::NotImplemented;
        assert!(!explains([case(&todo, None, None)]));
    }
}
