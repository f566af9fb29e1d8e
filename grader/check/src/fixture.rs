//! The fixture file of a lab (`fixtures/labs/<lab>.yaml`): its exercises with points, tolerance and
//! hint, and its public cases — every worked number of the lecture documents, each citing the
//! document it comes from, the value the document prints, the value recomputed for nnlab and,
//! where the two differ, an erratum.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::compare::Tol;
use crate::documents::Document;
use crate::outcome::{ExperimentSpec, Outcome};
use crate::value::Value;

/// Everything the public checks and the book know about one lab.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabFixture {
    /// The lab's crate name, e.g. `lab01-neuron`.
    pub lab: String,
    /// A human title, e.g. "The artificial neuron".
    pub title: String,
    /// The book page of the lab, relative to the book's root, e.g. `lab01-neuron.md`.
    pub chapter: String,
    /// What the student writes in this lab, for the README's table of labs.
    pub summary: String,
    /// The crates the lab's code uses: workspace dependencies (`faer`) and labs it needs without
    /// calling their exercises. The labs whose exercises it calls are added (`cargo run -p grader
    /// -- generate` writes both manifests, the reference's and the student's, from these).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<String>,
    /// The crates only the reference's own tests use: workspace dependencies and other labs,
    /// whose references they are then tested against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tests_use: Vec<String>,
    /// The exercises, in the order a student should do them.
    pub exercises: Vec<Exercise>,
    /// The public worked cases.
    pub cases: Vec<Case>,
    /// Wrong statements of fact (not numbers) found in the documents for this lab's topics.
    #[serde(default)]
    pub errata: Vec<FactErratum>,
    /// The lecture documents' titles (`fixtures/documents.yaml`), read with the fixture.
    #[serde(skip)]
    pub documents: Vec<Document>,
}

/// One function a student implements.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The function's name in the lab crate.
    pub name: String,
    /// Points at stake.
    pub points: u32,
    /// Tolerance of the comparison, unless a case states its own.
    pub tol: Tol,
    /// What to check first when this exercise fails.
    pub hint: String,
    /// The anchor of the book section that teaches it (without `#`).
    pub section: String,
    /// The functions of the lab crate whose bodies the student writes for this exercise, as
    /// `name` or `Type::name`; absent when that is the one function named like the exercise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<String>,
    /// The exercises whose functions this one's reference calls: `name` in the same lab or
    /// `lab05-backprop/backward` in another, so that a failure can point at its cause.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<String>,
    /// For an experiment graded by what it achieves: its cases' `want` are the true test targets,
    /// the answer is the predictions, and this says how they are scored (`tol` is then unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// For an experiment: what it learns and how the grader's hidden runs of it are drawn. Given
    /// exactly when `outcome` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentSpec>,
    /// Hidden cases whose expected values come by a second route (see [`CrossCheckSpec`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_check: Option<CrossCheckSpec>,
    /// Groups of cases with a share of the points each (far tails, ties, batches); the cases no
    /// group holds share the rest (see [`crate::groups`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<crate::groups::Group>,
}

/// A cross-check as the registry declares it: `cases` more hidden inputs for the exercise, drawn
/// by the hidden crate under the name `<exercise>/cross-check`, whose expected values the
/// reference's probe computes with `oracle` instead of the exercise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossCheckSpec {
    /// The probe call that computes the expected values (not an exercise students write).
    pub oracle: String,
    /// How reports name these cases.
    pub what: String,
    /// How many.
    pub cases: usize,
    /// The tolerance of the second route, looser than the exercise's own.
    pub tol: Tol,
}

impl Exercise {
    /// The functions the student writes for this exercise.
    pub fn functions(&self) -> Vec<&str> {
        if self.functions.is_empty() {
            vec![self.name.as_str()]
        } else {
            self.functions.iter().map(String::as_str).collect()
        }
    }

    /// The exercises this one calls, as `(lab, exercise)`, `lab` being this exercise's own for a
    /// bare name.
    pub fn callees<'a>(&'a self, lab: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.calls.iter().map(move |c| c.split_once('/').unwrap_or((lab, c.as_str())))
    }
}

/// One worked example with a known answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// A short unique name.
    pub id: String,
    /// Which exercise it checks.
    pub exercise: String,
    /// Where the numbers come from.
    pub source: Source,
    /// The named inputs of the exercise.
    pub input: BTreeMap<String, Value>,
    /// The correct output, recomputed for nnlab (never copied from the document).
    pub want: Value,
    /// The output as the document prints it, as text with the document's digits, in the same shape
    /// as `want`, with `_` for an element the document does not print. Absent for cases nnlab adds
    /// itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<Value>,
    /// Decimal places the document rounded to, where its printout dropped trailing zeros.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<usize>,
    /// Why the printed value is wrong; present exactly when `printed` disagrees with `want`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erratum: Option<String>,
    /// A tolerance for this case instead of the exercise's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tol: Option<Tol>,
}

/// The origin of a case.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The lecture document's file name in `shared/seeds/`; absent for a case nnlab adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The example within the document (its heading or a description), or why nnlab adds the case.
    pub example: String,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.doc {
            Some(doc) => write!(f, "{doc}, \"{}\"", self.example),
            None => write!(f, "nnlab case: {}", self.example),
        }
    }
}

/// A wrong statement in a document that is not a printed number.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactErratum {
    /// The lecture document's file name.
    pub doc: String,
    /// Where in it (section or example).
    pub place: String,
    /// What it says.
    pub says: String,
    /// What is correct.
    pub correct: String,
    /// Why.
    pub why: String,
}

impl LabFixture {
    /// The fixture file of `lab` under the `fixtures/` folder.
    pub fn path(fixtures: &Path, lab: &str) -> PathBuf {
        fixtures.join("labs").join(format!("{lab}.yaml"))
    }

    /// Reads and validates a fixture file.
    pub fn load(path: &Path) -> Result<LabFixture, String> {
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let fixture: LabFixture = serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("{} is not a valid fixture file: {e}", path.display()))?;
        fixture.validate().map_err(|e| format!("{}: {e}", path.display()))?;
        let fixtures = path.parent().and_then(Path::parent).unwrap_or(Path::new("."));
        Ok(LabFixture { documents: crate::documents::load(fixtures)?, ..fixture })
    }

    fn validate(&self) -> Result<(), String> {
        let mut ids = std::collections::BTreeSet::new();
        for case in &self.cases {
            if !ids.insert(&case.id) {
                return Err(format!("case id `{}` appears twice", case.id));
            }
            if self.exercise(&case.exercise).is_none() {
                return Err(format!("case `{}` names unknown exercise `{}`", case.id, case.exercise));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for ex in &self.exercises {
            if !names.insert(&ex.name) {
                return Err(format!("exercise `{}` appears twice", ex.name));
            }
        }
        for ex in &self.exercises {
            if ex.outcome.is_some() != ex.experiment.is_some() {
                return Err(format!(
                    "exercise `{}`: an experiment has both `outcome` and `experiment`",
                    ex.name
                ));
            }
            let total: f64 = ex.groups.iter().map(|g| g.share).sum();
            for group in &ex.groups {
                group
                    .when
                    .check()
                    .map_err(|e| format!("exercise `{}`, group `{}`: {e}", ex.name, group.name))?;
                if !(group.share > 0.0 && group.share < 1.0) {
                    return Err(format!(
                        "exercise `{}`, group `{}`: a share is between 0 and 1",
                        ex.name, group.name
                    ));
                }
            }
            if total >= 1.0 {
                return Err(format!(
                    "exercise `{}`: its groups' shares add up to {total}, leaving nothing for ordinary inputs",
                    ex.name
                ));
            }
            for (lab, callee) in ex.callees(&self.lab) {
                if lab == self.lab && (callee == ex.name || self.exercise(callee).is_none()) {
                    return Err(format!(
                        "exercise `{}` calls `{callee}`, no other exercise of this lab",
                        ex.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// The exercise called `name`.
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// The public cases of exercise `name`, in file order.
    pub fn cases_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Case> + 'a {
        self.cases.iter().filter(move |c| c.exercise == name)
    }

    /// Where in the book to read about `ex`, as a path from the workbook root.
    pub fn read(&self, ex: &Exercise) -> String {
        format!("book/src/{}#{}", self.chapter, ex.section)
    }

    /// The lab's number, `05` of `lab05-backprop`.
    pub fn number(&self) -> &str {
        self.lab.get(3..5).unwrap_or("??")
    }

    /// How the book and the README name the lab: "Lab 05 — Backpropagation".
    pub fn heading(&self) -> String {
        format!("Lab {} — {}", self.number(), self.title)
    }

    /// The most points this lab can give.
    pub fn max_points(&self) -> u32 {
        self.exercises.iter().map(|e| e.points).sum()
    }
}

impl Case {
    /// How reports name the case: its id and where its numbers come from, documents cited by
    /// their title (see [`crate::documents`]).
    pub fn label(&self, documents: &[Document]) -> String {
        crate::documents::cite(documents, &format!("{} — {}", self.id, self.source))
    }

    /// The tolerance that applies to this case.
    pub fn tol(&self, exercise: &Exercise) -> Tol {
        self.tol.unwrap_or(exercise.tol)
    }

    /// Whether the document's printout disagrees with the correct value once that value is rounded
    /// the way the document rounded. `Err` when `printed` does not have the shape of `want`.
    pub fn printed_differs(&self) -> Result<bool, String> {
        let Some(printed) = &self.printed else { return Ok(false) };
        let mut differs = false;
        self.walk_printed(printed, &self.want, &mut differs)?;
        Ok(differs)
    }

    fn walk_printed(&self, printed: &Value, want: &Value, differs: &mut bool) -> Result<(), String> {
        match (printed, want) {
            (Value::List(p), Value::List(w)) if p.len() == w.len() => {
                p.iter().zip(w).try_for_each(|(p, w)| self.walk_printed(p, w, differs))
            }
            (Value::Map(p), Value::Map(w)) => p.iter().try_for_each(|(k, p)| match w.get(k) {
                Some(w) => self.walk_printed(p, w, differs),
                None => Err(format!("case `{}`: printed field `{k}` is not in `want`", self.id)),
            }),
            // The document prints only some elements of a long list (a loss every few steps).
            (Value::Str(text), _) if text == "_" => Ok(()),
            (Value::Str(text), want) => {
                let want = want
                    .as_f64()
                    .ok_or_else(|| format!("case `{}`: `{text}` printed for a non-number", self.id))?;
                let shown: f64 = text
                    .parse()
                    .map_err(|_| format!("case `{}`: printed `{text}` is not a number", self.id))?;
                let decimals =
                    self.decimals.unwrap_or_else(|| text.split_once('.').map_or(0, |(_, d)| d.len()));
                let rounded = format!("{want:.decimals$}");
                // A printed "-0.0" for a value that is really +0 is a difference too.
                let sign_differs = text.starts_with('-') != rounded.starts_with('-');
                *differs |= sign_differs || rounded.parse::<f64>() != Ok(shown);
                Ok(())
            }
            _ => Err(format!("case `{}`: `printed` does not have the shape of `want`", self.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(yaml: &str) -> Case {
        serde_yaml_ng::from_str(yaml).unwrap()
    }

    #[test]
    fn printed_values_are_checked_at_their_own_precision() {
        let base = "id: c\nexercise: e\nsource: {example: x}\ninput: {}\n";
        assert!(
            !case(&format!("{base}want: 0.9088770389851438\nprinted: '0.9089'")).printed_differs().unwrap()
        );
        assert!(
            case(&format!("{base}want: 0.9088770389851438\nprinted: '0.9088'")).printed_differs().unwrap()
        );
        assert!(case(&format!("{base}want: 0.0\nprinted: '-0.0'")).printed_differs().unwrap());
        // numpy's .round(4) drops trailing zeros; `decimals` says what the document meant.
        let trimmed = format!("{base}want: [0.47, -0.25]\nprinted: ['0.47', '-0.25']\ndecimals: 4");
        assert!(!case(&trimmed).printed_differs().unwrap());
        assert!(case(&format!("{base}want: [1.0]\nprinted: ['1', '2']")).printed_differs().is_err());
        // `_` skips an element the document leaves out.
        assert!(!case(&format!("{base}want: [9.0, 1.0]\nprinted: ['_', '1.0']")).printed_differs().unwrap());
        assert!(case(&format!("{base}want: [9.0, 1.0]\nprinted: ['_', '1.1']")).printed_differs().unwrap());
    }
}
