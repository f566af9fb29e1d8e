//! The class picture's figures: per lab and per exercise statistics, named mistakes, the
//! teach-again list and the similar pairs, computed from the students' reports and code.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use nnlab_check::verdict::Status;
use serde::{Deserialize, Serialize};

use crate::instructor::similarity::{self, LabPrints, Likeness};
use crate::report::gradebook::field;
use crate::report::{ExerciseResult, LabResult, Report};

/// A student's code: lab → file (relative to the lab's `src/`) → text.
pub type Code = BTreeMap<String, BTreeMap<String, String>>;

/// Gradescope's statistics of a list of scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The mean.
    pub mean: f64,
    /// The median.
    pub median: f64,
    /// The population standard deviation.
    pub std_dev: f64,
    /// The least.
    pub min: f64,
    /// The most.
    pub max: f64,
}

impl Stats {
    /// The statistics of `values` (all zero when there are none), rounded to four decimals.
    pub fn of(values: &[f64]) -> Stats {
        if values.is_empty() {
            return Stats::default();
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
        let var = sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        Stats {
            mean: round4(mean),
            median: round4(median),
            std_dev: round4(var.sqrt()),
            min: round4(sorted[0]),
            max: round4(sorted[n - 1]),
        }
    }
}

/// The class picture.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClassSummary {
    /// The run's seed.
    pub seed: u64,
    /// Students with a report.
    pub students: usize,
    /// How someone else's code was confined.
    pub protections: Vec<String>,
    /// By lab, in course order.
    pub labs: Vec<LabSummary>,
    /// The exercises most students did not get right, most first.
    pub teach_again: Vec<TeachAgain>,
    /// Submissions that look alike.
    pub similarity: SimilaritySummary,
}

/// One lab across the class.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LabSummary {
    /// The crate name.
    pub lab: String,
    /// Its title.
    pub title: String,
    /// Points at stake.
    pub max_score: f64,
    /// Students who submitted it.
    pub submitted: usize,
    /// Their scores.
    pub scores: Stats,
    /// How many scored in each tenth of the points (the last bin holds full marks).
    pub histogram: Vec<usize>,
    /// Students whose lab did not compile.
    pub compile_failures: usize,
    /// Students with an exercise that timed out.
    pub timed_out: usize,
    /// Students whose exercises were stopped by the submission's time budget.
    pub budget_stops: usize,
    /// By exercise, in the lab's order.
    pub exercises: Vec<ExerciseSummary>,
}

/// One exercise across the students who submitted its lab.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExerciseSummary {
    /// The function's name.
    pub name: String,
    /// The book section that teaches it.
    pub section: String,
    /// Points at stake.
    pub max_score: f64,
    /// The students' points.
    pub scores: Stats,
    /// The share with full marks.
    pub full_marks: f64,
    /// The share passing every public case.
    pub public_passing: f64,
    /// The share passing every hidden case (absent when no hidden case ran).
    pub hidden_passing: Option<f64>,
    /// The share that fails while an exercise it calls fails its own checks.
    pub callee_failing: f64,
    /// The named mistakes, most frequent first.
    pub mistakes: Vec<Mistake>,
    /// The case groups, by the share of students failing one of their cases, most first.
    pub groups: Vec<GroupFailing>,
}

/// A named mistake and who made it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Mistake {
    /// Its name in `report.json` (`sigmoid-applied-twice`, `relation: half`, …).
    pub mistake: String,
    /// What the students were told.
    pub says: Option<String>,
    /// Who, by output name.
    pub students: Vec<String>,
}

/// A case group and how often it fails.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GroupFailing {
    /// The group.
    pub name: String,
    /// The share of students failing one of its cases.
    pub failing: f64,
}

/// An exercise to teach again.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TeachAgain {
    /// The lab.
    pub lab: String,
    /// The exercise.
    pub exercise: String,
    /// Its book section.
    pub section: String,
    /// The share of the students who submitted the lab without full marks.
    pub without_full_marks: f64,
    /// The mistake most of them made, with how many, if one was named.
    pub mistake: Option<(String, usize)>,
    /// The students who submitted the lab.
    pub submitted: usize,
}

/// The pairs of submissions that look alike, and the submissions that look like the reference.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SimilaritySummary {
    /// The score from which a pair is listed.
    pub threshold: f64,
    /// Pairs at or above it, highest first.
    pub pairs: Vec<Pair>,
    /// Students whose lab looks like the reference solution (a leaked key?).
    pub reference: Vec<Pair>,
}

/// Two sides of one lab that look alike.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pair {
    /// The lab.
    pub lab: String,
    /// The first student.
    pub a: String,
    /// The second student, or `reference`.
    pub b: String,
    /// How alike.
    pub likeness: Likeness,
}

/// The name the reference goes by in [`Pair::b`].
pub const REFERENCE: &str = "reference";

/// Rounds to four decimals, so that the JSON holds the same digits on every machine.
fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// `part / whole` rounded, 0 when `whole` is.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { round4(part as f64 / whole as f64) }
}

/// Whether the exercise fails while an exercise it calls fails its own checks (the grader's
/// `cause` says which to fix first).
fn callee_failing(ex: &ExerciseResult) -> bool {
    ex.cause.as_deref().is_some_and(|c| c.contains("fails its own checks"))
}

/// Whether the exercise was stopped by the submission's time budget.
fn budget_stopped(ex: &ExerciseResult) -> bool {
    ex.status == Status::TimedOut && ex.failure.as_deref().is_some_and(|f| f.contains("time budget"))
}

/// The class picture of `reports` (by output name) graded with the run's `seed`, with the similar
/// pairs found.
pub fn summarize(
    reports: &BTreeMap<String, Report>,
    seed: u64,
    similarity: SimilaritySummary,
) -> ClassSummary {
    let first = reports.values().next();
    let mut labs = Vec::new();
    for (l, template) in first.map(|r| r.labs.as_slice()).unwrap_or_default().iter().enumerate() {
        let results: Vec<(&String, &LabResult)> = reports
            .iter()
            .filter_map(|(name, r)| {
                r.labs.get(l).filter(|lab| lab.lab == template.lab).map(|lab| (name, lab))
            })
            .filter(|(_, lab)| !lab.not_submitted())
            .collect();
        let n = results.len();
        let max = template.max_score();
        let scores: Vec<f64> = results.iter().map(|(_, lab)| lab.score()).collect();
        let mut histogram = vec![0; 10];
        for score in &scores {
            let bin = if max > 0.0 { ((score / max) * 10.0).floor() as usize } else { 0 };
            histogram[bin.min(9)] += 1;
        }
        let count = |f: &dyn Fn(&LabResult) -> bool| results.iter().filter(|(_, lab)| f(lab)).count();
        let exercises = template
            .exercises
            .iter()
            .enumerate()
            .map(|(e, ex)| {
                let of: Vec<(&String, &ExerciseResult)> =
                    results.iter().filter_map(|(name, lab)| Some((*name, lab.exercises.get(e)?))).collect();
                let with = |f: &dyn Fn(&ExerciseResult) -> bool| of.iter().filter(|(_, r)| f(r)).count();
                let mut mistakes: BTreeMap<&str, Mistake> = BTreeMap::new();
                for (name, r) in &of {
                    if let Some(m) = &r.mistake {
                        let entry = mistakes.entry(m).or_insert_with(|| Mistake {
                            mistake: m.clone(),
                            says: r.diagnosis.clone(),
                            students: Vec::new(),
                        });
                        entry.students.push((*name).clone());
                    }
                }
                let mut mistakes: Vec<Mistake> = mistakes.into_values().collect();
                mistakes
                    .sort_by(|a, b| b.students.len().cmp(&a.students.len()).then(a.mistake.cmp(&b.mistake)));
                let mut groups: BTreeMap<&str, usize> = BTreeMap::new();
                for (_, r) in &of {
                    for g in &r.groups {
                        *groups.entry(&g.name).or_default() += usize::from(g.passed < g.cases);
                    }
                }
                let mut groups: Vec<GroupFailing> = groups
                    .into_iter()
                    .map(|(name, failing)| GroupFailing {
                        name: name.to_string(),
                        failing: share(failing, n),
                    })
                    .collect();
                groups.sort_by(|a, b| b.failing.total_cmp(&a.failing).then(a.name.cmp(&b.name)));
                let hidden_ran = of.iter().any(|(_, r)| r.cases > r.public_cases);
                ExerciseSummary {
                    name: ex.name.clone(),
                    section: ex.read.clone(),
                    max_score: ex.max_score,
                    scores: Stats::of(&of.iter().map(|(_, r)| r.score).collect::<Vec<_>>()),
                    full_marks: share(with(&|r| r.score >= r.max_score), n),
                    public_passing: share(
                        with(&|r| r.public_cases > 0 && r.public_passed == r.public_cases),
                        n,
                    ),
                    hidden_passing: hidden_ran.then(|| {
                        share(with(&|r| r.cases - r.public_cases == r.cases_passed - r.public_passed), n)
                    }),
                    callee_failing: share(with(&callee_failing), n),
                    mistakes,
                    groups,
                }
            })
            .collect();
        labs.push(LabSummary {
            lab: template.lab.clone(),
            title: template.title.clone(),
            max_score: max,
            submitted: n,
            scores: Stats::of(&scores),
            histogram,
            compile_failures: count(&|lab| lab.build_failure().is_some()),
            timed_out: count(&|lab| lab.exercises.iter().any(|e| e.status == Status::TimedOut)),
            budget_stops: count(&|lab| lab.exercises.iter().any(budget_stopped)),
            exercises,
        });
    }
    let mut teach_again: Vec<TeachAgain> = labs
        .iter()
        .flat_map(|lab| {
            lab.exercises.iter().map(|ex| TeachAgain {
                lab: lab.lab.clone(),
                exercise: ex.name.clone(),
                section: ex.section.clone(),
                without_full_marks: round4(1.0 - ex.full_marks),
                mistake: ex.mistakes.first().map(|m| (m.mistake.clone(), m.students.len())),
                submitted: lab.submitted,
            })
        })
        .filter(|t| t.without_full_marks >= 0.25 && t.submitted > 0)
        .collect();
    teach_again.sort_by(|a, b| {
        b.without_full_marks
            .total_cmp(&a.without_full_marks)
            .then((&a.lab, &a.exercise).cmp(&(&b.lab, &b.exercise)))
    });
    teach_again.truncate(10);
    ClassSummary {
        seed,
        students: reports.len(),
        protections: first.map(|r| r.protections.clone()).unwrap_or_default(),
        labs,
        teach_again,
        similarity,
    }
}

/// The pairs of `codes` (by student) that look alike in a lab from `threshold` on, and the
/// students whose lab looks like the reference's; `base` holds each lab's stub and given code,
/// `reference` each lab's reference.
pub fn similar(
    codes: &BTreeMap<String, Code>,
    base: &BTreeMap<String, LabPrints>,
    reference: &BTreeMap<String, LabPrints>,
    threshold: f64,
) -> SimilaritySummary {
    let prints: BTreeMap<&String, BTreeMap<&String, LabPrints>> = codes
        .iter()
        .map(|(student, code)| {
            let labs = code
                .iter()
                .map(|(lab, files)| {
                    (lab, similarity::lab_prints(files.iter().map(|(f, t)| (f.as_str(), t.as_str()))))
                })
                .collect();
            (student, labs)
        })
        .collect();
    let labs: BTreeSet<&String> = prints.values().flat_map(|labs| labs.keys().copied()).collect();
    let none = LabPrints::new();
    let mut out = SimilaritySummary { threshold, ..SimilaritySummary::default() };
    for lab in labs {
        let holders: Vec<(&String, &LabPrints)> =
            prints.iter().filter_map(|(student, labs)| Some((*student, labs.get(lab)?))).collect();
        let lab_base = base.get(lab.as_str()).unwrap_or(&none);
        let class: Vec<&LabPrints> = holders.iter().map(|(_, p)| *p).collect();
        let ignored = similarity::ignored(lab_base, &class);
        // Against the reference only the base code is left out: a key the whole class copied is
        // still the key.
        let base_only = similarity::ignored(lab_base, &[]);
        for (i, (a, pa)) in holders.iter().enumerate() {
            for (b, pb) in &holders[i + 1..] {
                if let Some(likeness) = similarity::likeness(pa, pb, &ignored)
                    && likeness.score >= threshold
                {
                    out.pairs.push(Pair { lab: lab.clone(), a: (*a).clone(), b: (*b).clone(), likeness });
                }
            }
            if let Some(key) = reference.get(lab.as_str())
                && let Some(likeness) = similarity::likeness(pa, key, &base_only)
                && likeness.score >= threshold
            {
                out.reference.push(Pair { lab: lab.clone(), a: (*a).clone(), b: REFERENCE.into(), likeness });
            }
        }
    }
    let order = |x: &Pair, y: &Pair| {
        y.likeness.score.total_cmp(&x.likeness.score).then((&x.lab, &x.a, &x.b).cmp(&(&y.lab, &y.a, &y.b)))
    };
    out.pairs.sort_by(order);
    out.reference.sort_by(order);
    out
}

/// `exercises.csv`: one row per exercise, Gradescope's question statistics and nnlab's own.
pub fn csv(summary: &ClassSummary) -> String {
    let mut out = String::from(
        "lab,exercise,max_score,mean,median,std_dev,min,max,full_marks,public_passing,hidden_passing,\
         callee_failing,top_mistake,top_mistake_students\n",
    );
    for lab in &summary.labs {
        for ex in &lab.exercises {
            let s = &ex.scores;
            let top = ex.mistakes.first();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                field(&lab.lab),
                field(&ex.name),
                ex.max_score,
                s.mean,
                s.median,
                s.std_dev,
                s.min,
                s.max,
                ex.full_marks,
                ex.public_passing,
                ex.hidden_passing.map(|h| h.to_string()).unwrap_or_default(),
                ex.callee_failing,
                field(top.map_or("", |m| m.mistake.as_str())),
                top.map_or(0, |m| m.students.len()),
            );
        }
    }
    out
}
