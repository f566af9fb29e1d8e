//! The scoreboard printed in a terminal.

use std::fmt::Write;

use nnlab_check::verdict::Status;

use super::Report;

/// Renders the report as the terminal scoreboard.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let hidden = if report.hidden {
        format!("public and hidden cases, seed {}", report.seed)
    } else {
        "public cases only (this edition has no reference solutions)".to_string()
    };
    let _ = writeln!(out, "nnlab grader — {} ({hidden})\n", report.graded);
    if !report.notes.is_empty() {
        let _ = writeln!(out, "What the grader did not take from the submission:");
        for note in &report.notes {
            let _ = writeln!(out, "  - {note}");
        }
        out.push('\n');
    }
    for lab in &report.labs {
        let _ = writeln!(
            out,
            "{:<60} {:>6.2} / {}",
            format!("{} — {}", lab.lab, lab.title),
            lab.score(),
            lab.max_score()
        );
        if lab.not_submitted() {
            let _ = writeln!(out, "  not submitted (no src/lib.rs): every exercise of this lab scores 0");
        } else if let Some(why) = &lab.not_graded {
            let _ = writeln!(out, "  not graded: {why}; every exercise of this lab scores 0");
        } else if let Some(err) = lab.build_failure() {
            let _ = writeln!(
                out,
                "  did not compile; every exercise of this lab scores 0. The compiler's first error:"
            );
            for line in err.lines() {
                let _ = writeln!(out, "  │ {line}");
            }
        }
        for ex in &lab.exercises {
            let detail = match ex.status {
                Status::DidNotCompile if lab.not_submitted() => "not submitted".to_string(),
                Status::DidNotCompile if lab.not_graded.is_some() => "not graded".to_string(),
                Status::Passed | Status::DidNotCompile | Status::NotImplemented => {
                    ex.status.label().to_string()
                }
                Status::Failed | Status::TimedOut => {
                    format!("{} ({} of {} cases passed)", ex.status.label(), ex.cases_passed, ex.cases)
                }
            };
            let _ = writeln!(out, "  {:<32} {:>6.2} / {:<3} {detail}", ex.name, ex.score, ex.max_score);
            for line in ex.explanation().iter().flat_map(|e| e.lines()) {
                let _ = writeln!(out, "      {line}");
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{:<60} {:>6.2} / {}", "Total", report.score(), report.max_score());
    out
}
