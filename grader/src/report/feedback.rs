//! `feedback.md`: what a student reads after class grading — per lab and exercise the points, and
//! for every exercise that lost points its first failing case (public or hidden, with got, want,
//! the element that differs and the tolerance), the hint and the book section to read.
//!
//! The student's name and intake's notes (which quote file names from the submission) are the
//! student's text, not the grader's: they go into code spans and code blocks, so that a folder
//! named `# x` or `[a](javascript:…)` reads as that name, never as Markdown.

use std::fmt::Write;

use nnlab_check::verdict::Status;

use super::Report;

/// The feedback of student `name`.
pub fn render(name: &str, report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# nnlab feedback — {}\n", code_span(name));
    let cases = if report.hidden {
        format!("the worked examples and hidden random cases (seed {})", report.seed)
    } else {
        "the worked examples (public cases only)".to_string()
    };
    let _ = writeln!(out, "**Total: {:.2} / {}**, graded on {cases}.\n", report.score(), report.max_score());
    if !report.notes.is_empty() {
        let _ = writeln!(out, "What the grader did not take from your submission:\n");
        let _ = writeln!(out, "{}\n", code_block(&report.notes.join("\n")));
    }
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
            let _ = writeln!(out, "{}\n", code_block(err));
        } else if let Some(why) = &lab.not_graded {
            let _ = writeln!(out, "This lab was not graded, so every exercise scores 0:\n");
            let _ = writeln!(out, "{}\n", code_block(why));
        }
        let _ = writeln!(out, "| Exercise | Points | Result | Read |\n|---|---:|---|---|");
        for ex in &lab.exercises {
            let result = match ex.status {
                Status::DidNotCompile if lab.not_submitted() => "not submitted".to_string(),
                Status::DidNotCompile if lab.not_graded.is_some() => "not graded".to_string(),
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
                    "\n### `{}`: the first case that failed\n\n{}",
                    ex.name,
                    code_block(explanation.trim_end())
                );
            }
        }
    }
    out
}

/// `text` as an inline code span: fenced by one backtick more than its longest run of backticks,
/// padded when it starts or ends with one, and with line breaks and other control characters
/// escaped (a code span cannot hold a line break, and a heading ends at one).
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect();
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `text` as a fenced code block whose fence no line of `text` can close.
fn code_block(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    format!("{fence}text\n{}\n{fence}", text.trim_end())
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_become_markup() {
        assert_eq!(code_span("alice"), "`alice`");
        assert_eq!(code_span("# x"), "`# x`");
        assert_eq!(code_span("[a](javascript:alert(1))"), "`[a](javascript:alert(1))`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("a\n# b"), "`a\\n# b`");
    }

    #[test]
    fn a_code_block_outlasts_the_fences_inside_it() {
        assert_eq!(code_block("x"), "```text\nx\n```");
        assert_eq!(code_block("```\n# not a heading"), "````text\n```\n# not a heading\n````");
    }
}
