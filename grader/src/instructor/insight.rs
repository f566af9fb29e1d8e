//! The class picture a `grade` run leaves in `OUT/class/`: what the class got wrong and which
//! submissions look alike, for the instructor.
//!
//! - `summary.json`: per lab the scores' statistics and histogram, compile failures, time-outs and
//!   budget stops; per exercise what Gradescope's question statistics give (mean, median, standard
//!   deviation, the share with full marks) and what only nnlab knows: the share passing the public
//!   and the hidden cases, the share failing where an exercise it calls fails, the named mistakes
//!   with the students behind each, the case groups that fail most; a "teach again" list; the
//!   similar pairs ([`super::similarity`]).
//! - `exercises.csv`: the per-exercise statistics, for a spreadsheet.
//! - `index.html`: all of it on one page that opens offline (no script, no request), with a
//!   histogram per lab drawn by plotters.
//!
//! Everything is computed from the students' `report.json` and `code.json` files in OUT, so a
//! resumed or partial run shows the whole class graded so far, and the same seed always gives the
//! same bytes. How long grading took is measured, so it goes apart, into `timing.json` (the
//! students graded in this run), which the page names but does not copy.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use anyhow::{Context, Result};
use nnlab_check::verdict::Status;
use plotters::prelude::*;
use serde::{Deserialize, Serialize};

use super::similarity::{self, LabPrints, Likeness};
use crate::report::gradebook::field;
use crate::report::{ExerciseResult, LabResult, Report};
use crate::workspace::Workspace;

/// The folder under OUT.
pub const DIR: &str = "class";
/// A student's source files, by lab and path, as the grader took them in.
pub const CODE: &str = "code.json";
/// How long grading took, per student graded in this run.
pub const TIMING: &str = "timing.json";

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
        for (i, (a, pa)) in holders.iter().enumerate() {
            for (b, pb) in &holders[i + 1..] {
                if let Some(likeness) = similarity::likeness(pa, pb, &ignored)
                    && likeness.score >= threshold
                {
                    out.pairs.push(Pair { lab: lab.clone(), a: (*a).clone(), b: (*b).clone(), likeness });
                }
            }
            // Against the reference only the base code is left out: a key the whole class
            // copied is still the key.
            let base_only = similarity::ignored(lab_base, &[]);
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

/// Text made safe to place in HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A percentage.
fn pct(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// A link to a student's feedback, from `OUT/class/`; output names are one path component.
fn student_link(name: &str) -> String {
    let href: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    format!("<a href=\"../{href}/feedback.md\">{}</a>", esc(name))
}

/// The histogram of a lab's scores, as an SVG drawn by plotters.
fn histogram(lab: &LabSummary) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 220)).into_drawing_area();
        let top = lab.histogram.iter().copied().max().unwrap_or(0).max(1) as u32;
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(10)
                .margin_right(24)
                .x_label_area_size(36)
                .y_label_area_size(36)
                .build_cartesian_2d(0.0..100.0, 0u32..top + 1)?;
            chart
                .configure_mesh()
                .x_desc("score, % of the lab's points")
                .y_desc("students")
                .x_labels(6)
                .x_label_formatter(&|v| format!("{v:.0} %"))
                .y_labels((top as usize + 1).min(6))
                .light_line_style(WHITE)
                .label_style(("sans-serif", 13))
                .draw()?;
            chart.draw_series(lab.histogram.iter().enumerate().map(|(i, &n)| {
                let x = i as f64 * 10.0;
                Rectangle::new([(x + 0.5, 0), (x + 9.5, n as u32)], RGBColor(31, 119, 180).filled())
            }))?;
            root.present()?;
            Ok(())
        })();
        if drawn.is_err() {
            return String::new();
        }
    }
    svg
}

/// The lines `first..=last` of `file` of `student`'s `lab`, at most 40.
fn excerpt(
    codes: &BTreeMap<String, Code>,
    student: &str,
    lab: &str,
    region: &(String, usize, usize),
) -> String {
    let text = codes.get(student).and_then(|c| c.get(lab)).and_then(|files| files.get(&region.0));
    let Some(text) = text else { return String::new() };
    let (first, last) = (region.1.max(1), region.2.min(region.1 + 39));
    text.lines().skip(first - 1).take(last + 1 - first).collect::<Vec<_>>().join("\n")
}

/// `index.html`: the class picture on one page.
pub fn html(
    summary: &ClassSummary,
    codes: &BTreeMap<String, Code>,
    reference: &BTreeMap<String, Code>,
) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The class, seed {seed}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <h1>The class</h1>\n<p>{n} students graded with seed {seed}.",
        seed = summary.seed,
        n = summary.students,
    );
    h.push_str(
        " How long grading took per student is in <a href=\"timing.json\">timing.json</a>: it is measured, so it \
         changes from run to run, and everything else here is the same for the same seed.</p>\n",
    );
    if !summary.protections.is_empty() {
        h.push_str("<details><summary>How the submissions were confined</summary>\n<ul>\n");
        for p in &summary.protections {
            let _ = writeln!(h, "<li>{}</li>", esc(p));
        }
        h.push_str("</ul>\n</details>\n");
    }

    h.push_str("<h2 id=\"teach-again\">Teach again</h2>\n");
    if summary.teach_again.is_empty() {
        h.push_str("<p>No exercise left a quarter of the class without full marks.</p>\n");
    } else {
        h.push_str("<ol>\n");
        for t in &summary.teach_again {
            let _ = write!(
                h,
                "<li><b>{}</b> ({}): {} without full marks",
                esc(&t.exercise),
                esc(&t.lab),
                pct(t.without_full_marks)
            );
            if let Some((m, n)) = &t.mistake {
                let _ = write!(h, "; most often <code>{}</code> ({n})", esc(m));
            }
            let _ = writeln!(h, ". Read again: <code>{}</code></li>", esc(&t.section));
        }
        h.push_str("</ol>\n");
    }

    for lab in &summary.labs {
        if lab.submitted == 0 {
            let _ = writeln!(
                h,
                "<h2 id=\"{id}\">{} <small>({id})</small></h2>\n<p>Nobody submitted it.</p>",
                esc(&lab.title),
                id = esc(&lab.lab)
            );
            continue;
        }
        let _ = write!(
            h,
            "<h2 id=\"{id}\">{title} <small>({id})</small></h2>\n\
             <p>{n} submitted; mean {mean:.2} of {max}, median {median:.2}; {cf} did not compile, {to} timed \
             out, {bs} stopped by the time budget.</p>\n<figure>{svg}<figcaption>Scores of {id}</figcaption></figure>\n",
            id = esc(&lab.lab),
            title = esc(&lab.title),
            n = lab.submitted,
            mean = lab.scores.mean,
            max = lab.max_score,
            median = lab.scores.median,
            cf = lab.compile_failures,
            to = lab.timed_out,
            bs = lab.budget_stops,
            svg = histogram(lab),
        );
        h.push_str(
            "<div class=\"scroll\"><table>\n<thead><tr><th>Exercise</th><th>Mean</th><th>Full marks</th>\
             <th>Public passing</th><th>Hidden passing</th><th>A callee fails</th><th>Named mistakes</th>\
             <th>Groups failing most</th></tr></thead>\n<tbody>\n",
        );
        for ex in &lab.exercises {
            let mistakes: Vec<String> = ex
                .mistakes
                .iter()
                .take(3)
                .map(|m| {
                    let students: Vec<String> = m.students.iter().map(|s| student_link(s)).collect();
                    format!("<code>{}</code> ×{}: {}", esc(&m.mistake), m.students.len(), students.join(", "))
                })
                .collect();
            let groups: Vec<String> = ex
                .groups
                .iter()
                .filter(|g| g.failing > 0.0)
                .take(3)
                .map(|g| format!("{} ({})", esc(&g.name), pct(g.failing)))
                .collect();
            let _ = writeln!(
                h,
                "<tr><td><b>{}</b></td><td>{:.2} / {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&ex.name),
                ex.scores.mean,
                ex.max_score,
                pct(ex.full_marks),
                pct(ex.public_passing),
                ex.hidden_passing.map(pct).unwrap_or_else(|| "—".into()),
                pct(ex.callee_failing),
                mistakes.join("<br>"),
                groups.join(", "),
            );
        }
        h.push_str("</tbody></table></div>\n");
    }

    let sim = &summary.similarity;
    let _ = write!(
        h,
        "<h2 id=\"similar\">Submissions that look alike</h2>\n<p>Pairs whose function bodies share at least \
         {} of the smaller side's fingerprints, once the stub's, the given code's and what most of the class \
         writes are left out. Similar is not copied: read the code side by side before you ask anyone about it.</p>\n",
        pct(sim.threshold)
    );
    let reference_code: BTreeMap<String, Code> =
        [(REFERENCE.to_string(), reference.values().flat_map(|c| c.clone()).collect())].into();
    for (title, pairs) in
        [("Pairs of students", &sim.pairs), ("Students and the reference solution", &sim.reference)]
    {
        let _ = writeln!(h, "<h3>{title}</h3>");
        if pairs.is_empty() {
            h.push_str("<p>None above the threshold.</p>\n");
            continue;
        }
        for p in pairs {
            let b_link = if p.b == REFERENCE { "the reference".to_string() } else { student_link(&p.b) };
            let _ = writeln!(
                h,
                "<details><summary>{} and {b_link}, {}: {} alike ({} shared of {} and {})</summary>",
                student_link(&p.a),
                esc(&p.lab),
                pct(p.likeness.score),
                p.likeness.shared,
                p.likeness.sizes.0,
                p.likeness.sizes.1,
            );
            for r in p.likeness.regions.iter().take(5) {
                let b_codes = if p.b == REFERENCE { &reference_code } else { codes };
                let _ = writeln!(
                    h,
                    "<div class=\"pair\"><div><p>{} lines {}–{}</p><pre>{}</pre></div><div><p>{} lines {}–{}</p><pre>{}</pre></div></div>",
                    esc(&r.a.0),
                    r.a.1,
                    r.a.2,
                    esc(&excerpt(codes, &p.a, &p.lab, &r.a)),
                    esc(&r.b.0),
                    r.b.1,
                    r.b.2,
                    esc(&excerpt(b_codes, &p.b, &p.lab, &r.b)),
                );
            }
            h.push_str("</details>\n");
        }
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// The page's style: readable on a phone (tables scroll inside their box, figures shrink).
const STYLE: &str =
    "body { font-family: sans-serif; max-width: 70rem; margin: 0 auto; padding: 0 1rem; line-height: 1.4; }
figure { margin: 0.5rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #555; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 46rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem; }
.pair > div { flex: 1 1 20rem; min-width: 0; }
pre { overflow-x: auto; background: #f6f6f6; padding: 0.5rem; font-size: 0.8rem; }
";

/// Writes `OUT/class/`: `summary.json`, `exercises.csv` and `index.html`, from the students'
/// `report.json` (`reports`, by output name) and `code.json`, and the workbook's stubs, given code
/// and reference; and `timing.json` from `seconds`, each student graded in this run with how long
/// it took (left as it is when this run graded nobody).
pub fn write(
    ws: &Workspace,
    out: &Path,
    reports: &BTreeMap<String, Report>,
    seed: u64,
    seconds: &BTreeMap<String, f64>,
    threshold: f64,
) -> Result<()> {
    let mut codes = BTreeMap::new();
    for name in reports.keys() {
        // A student graded before the class report existed has no code.json: left out of the pairs.
        if let Ok(text) = std::fs::read_to_string(out.join(name).join(CODE)) {
            codes.insert(name.clone(), serde_json::from_str::<Code>(&text).context("reading code.json")?);
        }
    }
    let labs: BTreeSet<&String> = codes.values().flat_map(|c| c.keys()).collect();
    let mut base = BTreeMap::new();
    let mut reference_code: BTreeMap<String, Code> = BTreeMap::new();
    let mut reference = BTreeMap::new();
    for lab in labs {
        let stub = rust_files(&ws.root.join("labs").join(lab).join("src"), true);
        base.insert(lab.clone(), similarity::lab_prints(stub.iter().map(|(f, t)| (f.as_str(), t.as_str()))));
        if let Some(solution) = ws.solution(lab) {
            let files = rust_files(&solution.join("src"), false);
            reference.insert(
                lab.clone(),
                similarity::lab_prints(files.iter().map(|(f, t)| (f.as_str(), t.as_str()))),
            );
            reference_code.insert(lab.clone(), [(lab.clone(), files)].into());
        }
    }
    let similarity = similar(&codes, &base, &reference, threshold);
    let summary = summarize(reports, seed, similarity);
    let dir = out.join(DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    if !seconds.is_empty() {
        let all: Vec<f64> = seconds.values().copied().collect();
        let timing = serde_json::json!({ "per_student": Stats::of(&all), "students": seconds });
        super::class::write_atomically(&dir.join(TIMING), &(serde_json::to_string_pretty(&timing)? + "\n"))?;
    }
    super::class::write_atomically(
        &dir.join("summary.json"),
        &(serde_json::to_string_pretty(&summary)? + "\n"),
    )?;
    super::class::write_atomically(&dir.join("exercises.csv"), &csv(&summary))?;
    super::class::write_atomically(&dir.join("index.html"), &html(&summary, &codes, &reference_code))
}

/// Writes `OUT/class/` again from what OUT holds: the seed of `OUT/run.json` and every student
/// folder with a `report.json` (timing.json is left as it is: nothing is graded).
pub fn rebuild(ws: &Workspace, out: &Path, threshold: f64) -> Result<()> {
    let run = std::fs::read_to_string(out.join(super::class::RUN)).context("reading run.json")?;
    let seed =
        serde_json::from_str::<serde_json::Value>(&run)?["seed"].as_u64().context("run.json has no seed")?;
    let mut reports = BTreeMap::new();
    for entry in std::fs::read_dir(out)? {
        let entry = entry?;
        let path = entry.path().join("report.json");
        if entry.file_name() == DIR || !path.is_file() {
            continue;
        }
        let report: Report = serde_json::from_str(&std::fs::read_to_string(&path)?)
            .with_context(|| format!("reading {}", path.display()))?;
        reports.insert(entry.file_name().to_string_lossy().into_owned(), report);
    }
    write(ws, out, &reports, seed, &BTreeMap::new(), threshold)
}

/// Reads the code of a lab's `src/` folder: every `.rs` file but the given code, at most 256 KiB
/// each and 1 MiB in all (what intake took in is bounded already; this bounds the report).
pub fn read_lab_code(src: &Path) -> BTreeMap<String, String> {
    rust_files(src, false)
}

/// The `.rs` files under `src`, the given code with them or not.
fn rust_files(src: &Path, with_given: bool) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut total = 0;
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(src).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if !kind.is_file() || !rel.ends_with(".rs") || (rel == crate::compile::GIVEN && !with_given) {
                continue;
            }
            let Ok(text) = std::fs::read(&path) else { continue };
            if text.len() > 256 << 10 || total + text.len() > 1 << 20 {
                continue;
            }
            total += text.len();
            files.insert(rel, String::from_utf8_lossy(&text).into_owned());
        }
    }
    files
}
