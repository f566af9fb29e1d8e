//! `index.html`: the class picture on one page that opens offline, readable on a phone, with a
//! histogram per lab drawn by plotters.

use std::collections::BTreeMap;
use std::fmt::Write;

use plotters::prelude::*;

use super::summary::{ClassSummary, Code, LabSummary, REFERENCE};
use crate::report::junit::escape as esc;

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

/// The lines `first..=last` of `file` of one side's `lab` (its `code`), at most 40.
fn excerpt(code: Option<&Code>, lab: &str, region: &(String, usize, usize)) -> String {
    let text = code.and_then(|c| c.get(lab)).and_then(|files| files.get(&region.0));
    let Some(text) = text else { return String::new() };
    let (first, last) = (region.1.max(1), region.2.min(region.1 + 39));
    text.lines().skip(first - 1).take(last + 1 - first).collect::<Vec<_>>().join("\n")
}

/// `index.html`: the class picture on one page.
pub fn html(summary: &ClassSummary, codes: &BTreeMap<String, Code>, reference: &Code) -> String {
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
                let b_code = if p.b == REFERENCE { Some(reference) } else { codes.get(&p.b) };
                let _ = writeln!(
                    h,
                    "<div class=\"pair\"><div><p>{} lines {}–{}</p><pre>{}</pre></div><div><p>{} lines {}–{}</p><pre>{}</pre></div></div>",
                    esc(&r.a.0),
                    r.a.1,
                    r.a.2,
                    esc(&excerpt(codes.get(&p.a), &p.lab, &r.a)),
                    esc(&r.b.0),
                    r.b.1,
                    r.b.2,
                    esc(&excerpt(b_code, &p.lab, &r.b)),
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
