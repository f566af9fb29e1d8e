//! The scoreboard printed in a terminal.

use std::fmt::Write;

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
    for lab in &report.labs {
        let _ = writeln!(
            out,
            "{:<60} {:>6.2} / {}",
            format!("{} — {}", lab.lab, lab.title),
            lab.score(),
            lab.max_score()
        );
        if let Some(err) = &lab.compile_error {
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
                nnlab_check::verdict::Status::Passed | nnlab_check::verdict::Status::DidNotCompile => {
                    ex.status.label().to_string()
                }
                nnlab_check::verdict::Status::NotImplemented => ex.status.label().to_string(),
                _ => format!("{} ({} of {} cases passed)", ex.status.label(), ex.cases_passed, ex.cases),
            };
            let _ = writeln!(out, "  {:<32} {:>6.2} / {:<3} {detail}", ex.name, ex.score, ex.max_score);
            if let Some(failure) = &ex.failure {
                for line in failure.lines() {
                    let _ = writeln!(out, "      {line}");
                }
                let _ = writeln!(out, "      {:<10} {}", "hint", ex.hint);
                let _ = writeln!(out, "      {:<10} {}", "read", ex.read);
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{:<60} {:>6.2} / {}", "Total", report.score(), report.max_score());
    out
}
