//! `feedback.md`: what a student reads after class grading — per lab and exercise the points, and
//! for every exercise that lost points its first failing case (public or hidden, with got, want,
//! the element that differs and the tolerance), the hint and the book section to read.

use std::fmt::Write;

use nnlab_check::verdict::Status;

use super::Report;

/// The feedback of student `name`.
pub fn render(name: &str, report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# nnlab feedback — {name}\n");
    let cases = if report.hidden {
        format!("the worked examples and hidden random cases (seed {})", report.seed)
    } else {
        "the worked examples (public cases only)".to_string()
    };
    let _ = writeln!(out, "**Total: {:.2} / {}**, graded on {cases}.\n", report.score(), report.max_score());
    let _ = writeln!(out, "| Lab | Points |\n|---|---:|");
    for lab in &report.labs {
        let _ = writeln!(out, "| {} — {} | {:.2} / {} |", lab.lab, lab.title, lab.score(), lab.max_score());
    }
    for lab in &report.labs {
        let _ = writeln!(out, "\n## {} — {}: {:.2} / {}\n", lab.lab, lab.title, lab.score(), lab.max_score());
        if lab.not_submitted() {
            let _ =
                writeln!(out, "Not submitted (no `src/lib.rs` for this lab), so every exercise scores 0.\n");
        } else if let Some(err) = lab.build_failure() {
            let _ = writeln!(out, "This lab did not compile, so every exercise scores 0. The first error:\n");
            let _ = writeln!(out, "```text\n{err}\n```\n");
        }
        let _ = writeln!(out, "| Exercise | Points | Result | Read |\n|---|---:|---|---|");
        for ex in &lab.exercises {
            let result = match ex.status {
                Status::DidNotCompile if lab.not_submitted() => "not submitted".to_string(),
                Status::Failed | Status::TimedOut => {
                    format!("{} ({} of {} cases passed)", ex.status.label(), ex.cases_passed, ex.cases)
                }
                other => other.label().to_string(),
            };
            let _ = writeln!(
                out,
                "| `{}` | {:.2} / {} | {result} | `{}` |",
                ex.name, ex.score, ex.max_score, ex.read
            );
        }
        for ex in &lab.exercises {
            if let Some(explanation) = ex.explanation() {
                let _ = writeln!(
                    out,
                    "\n### `{}`: the first case that failed\n\n```text\n{explanation}```",
                    ex.name
                );
            }
        }
    }
    out
}
