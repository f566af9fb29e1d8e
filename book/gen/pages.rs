//! Pages built from the fixture files: the worked examples with the documents' printed values
//! beside the recomputed ones, the exercise tables with points, and the errata.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use nnlab_check::{Case, LabFixture, Value};

use crate::{Generated, HEADER, documents};

/// The generated pages of every lab with a fixture file.
pub fn all(root: &Path) -> Result<Vec<Generated>> {
    let mut labs: Vec<PathBuf> = std::fs::read_dir(root.join("fixtures/labs"))?
        .map(|e| Ok(e?.path()))
        .collect::<Result<_, std::io::Error>>()?;
    labs.sort();
    let fixtures: Vec<LabFixture> =
        labs.iter().map(|p| LabFixture::load(p).map_err(|e| anyhow!(e))).collect::<Result<_>>()?;
    let documents = crate::documents::load(root)?;
    let mut crates = crate::uses::Crates::new(root, &fixtures);
    let mut out =
        vec![Generated { path: "generated/documents.md".into(), content: documents::table(&documents) }];
    // The errata appendix's lab sections, in course order: one heading and one include per lab.
    let mut by_lab = String::from(HEADER);
    for fixture in &fixtures {
        let number = fixture.lab.get(3..5).unwrap_or("??");
        write!(
            by_lab,
            "\n## Lab {number} — {}\n\n{{{{#include {}/errata.md}}}}\n",
            fixture.title, fixture.lab
        )?;
        let dir = PathBuf::from("generated").join(&fixture.lab);
        let chapter = std::fs::read_to_string(root.join("book/src").join(&fixture.chapter))
            .map_err(|e| anyhow!("{}: {e}", fixture.chapter))?;
        out.push(Generated { path: dir.join("exercises.md"), content: exercises(fixture, &chapter) });
        out.push(Generated {
            path: dir.join("examples.md"),
            content: documents::cite(&documents, &examples(fixture)),
        });
        out.push(Generated {
            path: dir.join("errata.md"),
            content: documents::cite(&documents, &errata(fixture)),
        });
        out.push(Generated { path: dir.join("values.md"), content: values(fixture) });
        out.push(Generated { path: dir.join("uses.md"), content: crate::uses::page(fixture, &mut crates)? });
        let stub = std::fs::read_to_string(root.join("labs").join(&fixture.lab).join("src/lib.rs"))?;
        out.push(Generated { path: dir.join("api.md"), content: api(fixture, &stub)? });
        if let Some(case) = fixture.cases.iter().find(|c| c.id == "train-and") {
            out.push(Generated { path: dir.join("and-trace.md"), content: training_trace(case)? });
        }
    }
    out.push(Generated { path: "generated/errata-by-lab.md".into(), content: by_lab });
    Ok(out)
}

/// The anchor name an example's table gets: its title in lower case, words joined by `-`.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&word.to_ascii_lowercase());
    }
    s
}

/// The exercise table: function, points, what it is about, where it is taught. On a phone
/// (`exercise-table` in assets/formula.css) its words break only where a reader would: a name
/// after an underscore (`<wbr>`, which copies as nothing), so the name keeps its column beside
/// the section's link instead of breaking at any letter.
fn exercises(fixture: &LabFixture, chapter: &str) -> String {
    let titles = section_titles(chapter);
    let mut out = String::from(HEADER);
    let _ = writeln!(out, "\n<div class=\"exercise-table\">\n");
    let _ = writeln!(out, "| Exercise | Points | Public cases | Taught in |\n|---|---:|---:|---|");
    for ex in &fixture.exercises {
        let _ = writeln!(
            out,
            "| {} | {} | {} | [{}](#{}) |",
            name_cell(&ex.name),
            ex.points,
            fixture.cases_of(&ex.name).count(),
            titles.get(&ex.section).cloned().unwrap_or_else(|| ex.section.replace('-', " ")),
            ex.section
        );
    }
    let _ = writeln!(out, "| **Total** | **{}** | | |", fixture.max_points());
    let _ = writeln!(out, "\n</div>");
    out
}

/// A function's name in a table cell: code that breaks only after an underscore (`<wbr>`, which
/// copies as nothing), so that a narrow column keeps whole words (`train_with_/early_stopping`).
fn name_cell(name: &str) -> String {
    format!("<code>{}</code>", name.replace('_', "_<wbr>"))
}

/// The id mdBook gives a heading: lower case, spaces to dashes, other punctuation dropped.
pub fn heading_id(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A chapter's section titles (`##` and `###`) by their ids, written as a link inside a sentence
/// reads them: the first letter in lower case unless the first word is an acronym or a name
/// written with capitals inside ("XOR in two layers", "ReLU and leaky ReLU").
fn section_titles(chapter: &str) -> BTreeMap<String, String> {
    chapter
        .lines()
        .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
        .map(|title| {
            let title = title.trim();
            let first_word = title.split(' ').next().unwrap_or_default();
            let text = if first_word.chars().skip(1).any(char::is_uppercase) {
                title.to_string() // XOR, ReLU, RMSProp
            } else {
                let mut chars = title.chars();
                chars.next().into_iter().flat_map(char::to_lowercase).chain(chars).collect()
            };
            (heading_id(title), text)
        })
        .collect()
}

/// One table per worked example of the documents, between `ANCHOR` markers named by [`slug`] of
/// the example's title (the part before any comma), so chapters include exactly the one they
/// discuss. Examples nnlab adds go under the anchor `nnlab`.
fn examples(fixture: &LabFixture) -> String {
    let mut groups: BTreeMap<String, Vec<&Case>> = BTreeMap::new();
    for case in &fixture.cases {
        let key = match &case.source.doc {
            Some(_) => slug(case.source.example.split([',', '(']).next().unwrap_or_default()),
            None => "nnlab".to_string(),
        };
        groups.entry(key).or_default().push(case);
    }
    let mut out = String::from(HEADER);
    for (anchor, cases) in groups {
        let _ = writeln!(out, "\n<!-- ANCHOR: {anchor} -->");
        // A class for the phone layout of assets/formula.css, which shows each case as a card.
        let _ = writeln!(out, "<div class=\"case-table\">\n");
        if anchor == "nnlab" {
            let _ = writeln!(out, "| Function | Input | Result | Why this case |\n|---|---|---|---|");
            for c in cases {
                // An experiment's `want` is its test targets; what it must achieve is the bar.
                let result = match fixture.exercise(&c.exercise).and_then(|e| e.outcome) {
                    Some(outcome) => {
                        let points = c.want.as_vec().map_or(0, |v| v.len());
                        format!("{outcome} on {points} test points")
                    }
                    None => shown(&c.want),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    name_cell(&c.exercise),
                    cell(&inputs(&c.input)),
                    cell(&result),
                    cell(&c.source.example)
                );
            }
        } else if !cases
            .iter()
            .any(|c| c.erratum.is_some() || c.printed.as_ref().is_some_and(|p| !nothing_printed(p)))
        {
            // A worked example the document prints no number of: nnlab's results, without a
            // column of "(no number)".
            let _ = writeln!(out, "| Function | Input | Result (computed by nnlab) |\n|---|---|---|");
            for c in cases {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    name_cell(&c.exercise),
                    cell(&inputs(&c.input)),
                    cell(&shown(&c.want))
                );
            }
        } else {
            let _ = writeln!(
                out,
                "| Function | Input | Document prints | Recomputed | Check |\n|---|---|---|---|---|"
            );
            for c in cases {
                // A result the document shows nothing of is shown in full, not as a row of `…`.
                let (shown_printed, shown_want) = match &c.printed {
                    Some(p) if !nothing_printed(p) => (printed(p), recomputed(&c.want, p)),
                    _ => ("(no number)".to_string(), shown(&c.want)),
                };
                let mark = match &c.printed {
                    _ if c.erratum.is_some() => "⚠ erratum",
                    Some(p) if !nothing_printed(p) => "✓",
                    _ => "(computed by nnlab)",
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {mark} |",
                    name_cell(&c.exercise),
                    cell(&inputs(&c.input)),
                    cell(&shown_printed),
                    cell(&shown_want)
                );
            }
        }
        let _ = writeln!(out, "\n</div>\n<!-- ANCHOR_END: {anchor} -->");
    }
    out
}

/// Each exercise as the student's stub declares it — doc comment, signature and `todo!()` body —
/// copied from `labs/<lab>/src/lib.rs` between `ANCHOR` markers named after the exercise, so a
/// chapter shows the real declaration with `{{#include generated/<lab>/api.md:<exercise>}}` and a
/// changed signature reaches the book at the next `cargo run -p nnlab-book`. An exercise that is
/// a type's method (an optimizer's `step`, `EarlyStopping::update`) shows the type's items.
fn api(fixture: &LabFixture, stub: &str) -> Result<String> {
    let lines: Vec<&str> = stub.lines().collect();
    let mut out = String::from(HEADER);
    for ex in &fixture.exercises {
        let function = format!("pub fn {}", ex.name);
        let mut found: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.trim_start().strip_prefix(&function).is_some_and(|rest| rest.starts_with(['(', '<']))
            })
            .map(|(i, _)| i)
            .collect();
        if found.is_empty() {
            // A type named like the exercise: `sgd` is `Sgd`, `early_stopping` is `EarlyStopping`.
            let wanted = ex.name.replace('_', "");
            let names_it = |line: &str| {
                let line = line.trim_start();
                let header = line.strip_prefix("pub struct ").or_else(|| line.strip_prefix("impl "));
                header.is_some_and(|h| {
                    let name = h.rsplit(" for ").next().unwrap_or(h);
                    let name: String =
                        name.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    name.to_lowercase() == wanted
                })
            };
            found = lines.iter().enumerate().filter(|(_, l)| names_it(l)).map(|(i, _)| i).collect();
        }
        if found.is_empty() {
            return Err(anyhow!("{}: the stub declares no `{}`", fixture.lab, ex.name));
        }
        let _ = writeln!(out, "\n<!-- ANCHOR: {} -->\n```rust,ignore", ex.name);
        for (n, &header) in found.iter().enumerate() {
            let mut start = header;
            while start > 0 && {
                let above = lines[start - 1].trim_start();
                above.starts_with("///") || above.starts_with("#[")
            } {
                start -= 1;
            }
            let mut end = header;
            let mut depth = 0i32;
            loop {
                let line = lines[end];
                depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
                if (depth == 0 && (line.contains('}') || line.trim_end().ends_with(';')))
                    || end + 1 == lines.len()
                {
                    break;
                }
                end += 1;
            }
            if n > 0 {
                out.push('\n');
            }
            let indent = lines[header].len() - lines[header].trim_start().len();
            for line in &lines[start..=end] {
                let _ = writeln!(
                    out,
                    "{}",
                    line.get(indent.min(line.len() - line.trim_start().len())..).unwrap_or(line)
                );
            }
        }
        let _ = writeln!(out, "```\n<!-- ANCHOR_END: {} -->", ex.name);
    }
    Ok(out)
}

/// The recomputed answer of every case, one per anchor named by the case's id, for a chapter to
/// quote a number in a sentence or a formula with `{{#include generated/<lab>/values.md:<id>}}`
/// instead of retyping it; an experiment's bar is `<exercise>--pass`; what the document printed, where it did, is `<id>--printed`. Records are quoted field by field (`<id>--<field>`) and lists of records
/// item by item (`<id>--<index>`), as are the items of short lists; a `.` in an id becomes `_`, which mdBook's anchors allow.
fn values(fixture: &LabFixture) -> String {
    let mut out = String::from(HEADER);
    for ex in &fixture.exercises {
        if let Some(outcome) = ex.outcome {
            quote_all(&mut out, &format!("{}--pass", ex.name), &Value::Num(outcome.pass));
        }
    }
    for case in &fixture.cases {
        if fixture.exercise(&case.exercise).and_then(|e| e.outcome).is_some() {
            continue; // an experiment's answer is its hidden test targets
        }
        let anchor = case.id.replace('.', "_");
        quote_all(&mut out, &anchor, &case.want);
        if let Some(p) = &case.printed {
            quote_all(&mut out, &format!("{anchor}--printed"), p);
        }
    }
    out
}

fn quote_all(out: &mut String, anchor: &str, value: &Value) {
    match value {
        Value::Map(fields) => {
            for (name, field) in fields {
                quote_all(out, &format!("{anchor}--{name}"), field);
            }
        }
        Value::List(items) if items.iter().any(|v| matches!(v, Value::Map(_))) => {
            for (i, item) in items.iter().enumerate() {
                quote_all(out, &format!("{anchor}--{i}"), item);
            }
        }
        _ => {
            let _ = writeln!(
                out,
                "\n<!-- ANCHOR: {anchor} -->\n{}\n<!-- ANCHOR_END: {anchor} -->",
                quoted(value)
            );
            // Short lists also item by item, for a sentence about one step of a path; a 1×m
            // matrix, like the row it is quoted as.
            let items = match value {
                Value::List(rows) if rows.len() == 1 => &rows[0],
                other => other,
            };
            if let Value::List(items) = items
                && (2..=QUOTED_ITEMS).contains(&items.len())
            {
                for (i, item) in items.iter().enumerate() {
                    quote_all(out, &format!("{anchor}--{i}"), item);
                }
            }
        }
    }
}

/// Longest list whose items get anchors of their own.
const QUOTED_ITEMS: usize = 32;

/// A value as prose quotes it: numbers to four decimals without trailing zeros, with a true minus
/// sign; lists and matrices in brackets.
fn quoted(value: &Value) -> String {
    match value {
        Value::Num(v) => {
            let fixed = format!("{v:.4}");
            let fixed =
                if fixed.contains('.') { fixed.trim_end_matches('0').trim_end_matches('.') } else { &fixed };
            let text = match fixed {
                "0" | "-0" if *v != 0.0 => format!("{v:.3e}"),
                "-0" => "0".to_string(),
                other => other.to_string(),
            };
            text.replace('-', "−")
        }
        Value::Int(i) => i.to_string().replace('-', "−"),
        // A document's printout keeps its digits.
        Value::Str(s) => escape(s).replace('-', "−"),
        // A 1×1 matrix is the number a sentence talks about; a 1×m matrix, the row.
        Value::List(items) if items.len() == 1 => quoted(&items[0]),
        Value::List(items) => format!("[{}]", items.iter().map(quoted).collect::<Vec<_>>().join(", ")),
        other => escape(&other.to_string()),
    }
}

/// The cases of a lab whose printed numbers are wrong, one entry per distinct error: a case whose
/// erratum only repeats sentences an earlier entry already made (the same slip printed again, or a
/// whole pass made of slips listed one by one) is folded into that entry instead of being listed
/// once more. Each entry is its first case and the cases folded into it.
pub fn erratum_entries(fixture: &LabFixture) -> Vec<(&Case, Vec<&Case>)> {
    let mut entries: Vec<(&Case, Vec<&Case>)> = Vec::new();
    let mut said: Vec<(usize, String)> = Vec::new();
    for case in fixture.cases.iter().filter(|c| c.erratum.is_some()) {
        let sentences = sentences(case.erratum.as_deref().unwrap_or_default());
        let earlier: Vec<usize> = sentences
            .iter()
            .map(|s| said.iter().find(|(_, t)| t == s).map(|(e, _)| *e))
            .collect::<Option<Vec<usize>>>()
            .unwrap_or_default();
        match earlier.first() {
            Some(&first) if !sentences.is_empty() => entries[first].1.push(case),
            _ => {
                said.extend(sentences.into_iter().map(|s| (entries.len(), s)));
                entries.push((case, Vec::new()));
            }
        }
    }
    entries
}

/// The sentences of an erratum, each ending in its full stop.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end = rest.find(". ").map_or(rest.len(), |at| at + 1);
        out.push(rest[..end].trim().to_string());
        rest = rest[end..].trim_start();
    }
    out
}

/// The errata of a lab: printed numbers that are wrong, then wrong statements.
fn errata(fixture: &LabFixture) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let numbers = erratum_entries(fixture);
    if numbers.is_empty() && fixture.errata.is_empty() {
        out.push_str("No errata: every number and statement checked for this lab is right.\n");
        return out;
    }
    for (c, repeats) in numbers {
        let doc = c.source.doc.as_deref().unwrap_or("nnlab");
        let _ = write!(
            out,
            "- **{doc}**, {}: prints {} for `{}({})`; correct is {}. {}",
            escape(&c.source.example),
            escape(&c.printed.as_ref().map_or_else(String::new, printed)),
            c.exercise,
            inputs(&c.input).replace('`', "'"),
            escape(&c.printed.as_ref().map_or_else(|| shown(&c.want), |p| recomputed(&c.want, p))),
            escape(c.erratum.as_deref().unwrap_or_default())
        );
        if !repeats.is_empty() {
            let places: Vec<String> = repeats.iter().map(|r| escape(&r.source.example)).collect();
            let _ = write!(out, " The same slip is printed again in: {}.", places.join("; "));
        }
        out.push('\n');
    }
    for e in &fixture.errata {
        let _ = writeln!(
            out,
            "- **{}**, {}: says “{}”; correct: {}. {}",
            escape(&e.doc),
            escape(&e.place),
            escape(&e.says),
            escape(&e.correct),
            escape(&e.why)
        );
    }
    out
}

/// The step-by-step table of a perceptron training case: for every sample visited, the epoch, the
/// sample, its label, and the weights and bias after its update.
fn training_trace(case: &Case) -> Result<String> {
    let field = |v: &Value, k: &str| match v {
        Value::Map(m) => m.get(k).cloned().ok_or_else(|| anyhow!("case {} has no `{k}`", case.id)),
        _ => Err(anyhow!("case {} is not a record", case.id)),
    };
    let x = field(&Value::Map(case.input.clone()), "x")?;
    let y = field(&Value::Map(case.input.clone()), "y")?.as_vec().ok_or_else(|| anyhow!("labels"))?;
    let rows = x.as_mat().ok_or_else(|| anyhow!("x is not a matrix"))?;
    let history = field(&case.want, "history")?.as_mat().ok_or_else(|| anyhow!("history is not a matrix"))?;
    let d = rows.ncols();
    let mut out = String::from(HEADER);
    let _ = writeln!(out, "\n| Epoch | Sample x | y | w after | b after |\n|---:|---|---:|---|---:|");
    for step in 0..history.nrows() {
        let i = step % rows.nrows();
        let sample: Vec<String> = (0..d).map(|j| Value::Num(rows[(i, j)]).to_string()).collect();
        let w: Vec<String> = (0..d).map(|j| Value::Num(history[(step, j)]).to_string()).collect();
        let _ = writeln!(
            out,
            "| {} | ({}) | {} | ({}) | {} |",
            step / rows.nrows() + 1,
            sample.join(", "),
            Value::Num(y[i]),
            w.join(", "),
            Value::Num(history[(step, d)])
        );
    }
    Ok(out)
}

/// A value with six significant digits: enough to compare with four-decimal printouts. Lists of
/// more than [`LISTED`] numbers are summarised by their shape and range (the fixture keeps them).
fn shown(v: &Value) -> String {
    brief(&v.rounded(6))
}

/// The most numbers a table cell lists; a larger vector or matrix is summarised.
const LISTED: usize = 12;

/// How many numbers a value holds, and their range.
fn numbers(v: &Value) -> (usize, f64, f64) {
    match v {
        Value::Num(x) => (1, *x, *x),
        Value::Int(i) => (1, *i as f64, *i as f64),
        Value::List(items) => items
            .iter()
            .map(numbers)
            .fold((0, f64::INFINITY, f64::NEG_INFINITY), |a, b| (a.0 + b.0, a.1.min(b.1), a.2.max(b.2))),
        _ => (0, f64::INFINITY, f64::NEG_INFINITY),
    }
}

/// `v` as a table cell shows it: records field by field, short lists in full, long lists of numbers
/// as their shape and range.
fn brief(v: &Value) -> String {
    match v {
        Value::Map(fields) => format!(
            "{{{}}}",
            fields.iter().map(|(k, v)| format!("{k}: {}", brief(v))).collect::<Vec<_>>().join(", ")
        ),
        Value::List(items) if items.iter().any(|i| matches!(i, Value::Map(_))) => {
            format!("[{}]", items.iter().map(brief).collect::<Vec<_>>().join(", "))
        }
        Value::List(items) => {
            let (count, lo, hi) = numbers(v);
            if count <= LISTED || count == 0 {
                return v.to_string();
            }
            let range = format!("{} to {}", Value::Num(lo).rounded(3), Value::Num(hi).rounded(3));
            // A matrix only when every row has the first row's length: lists of lists of other
            // lengths (the rounds of successive halving) are lists.
            let row_lengths: Vec<Option<usize>> =
                items.iter().map(|i| if let Value::List(row) = i { Some(row.len()) } else { None }).collect();
            match row_lengths.first() {
                Some(Some(cols)) if row_lengths.iter().all(|l| *l == Some(*cols)) => {
                    format!("{}×{cols} matrix, {range}", items.len())
                }
                Some(Some(_)) => format!("{} lists, {count} numbers, {range}", items.len()),
                _ => format!("{count} numbers, {range}"),
            }
        }
        other => other.to_string(),
    }
}

/// A case's inputs as a table cell shows them, like [`nnlab_check::value::fmt_inputs`] but
/// rounded and summarised as [`shown`] does.
fn inputs(input: &BTreeMap<String, Value>) -> String {
    input.iter().map(|(k, v)| format!("{k} = {}", shown(v))).collect::<Vec<_>>().join(", ")
}

/// The document's printout as it printed it (strings keep their digits, and the sign of zero);
/// a run of elements it does not print (`_`) shows as one `…`.
fn printed(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::List(items) => format!("[{}]", elided(items, items, |p, _| printed(p))),
        Value::Map(fields) => {
            format!(
                "{{{}}}",
                fields.iter().map(|(k, v)| format!("{k}: {}", printed(v))).collect::<Vec<_>>().join(", ")
            )
        }
        other => other.to_string(),
    }
}

/// The recomputed value of a document case, showing only what the document prints, in the same
/// layout as [`printed`], so that the two columns read side by side.
fn recomputed(want: &Value, printed: &Value) -> String {
    match (want, printed) {
        (Value::List(w), Value::List(p)) if w.len() == p.len() => format!("[{}]", elided(w, p, recomputed)),
        (Value::Map(w), Value::Map(p)) => format!(
            "{{{}}}",
            p.iter()
                .filter_map(|(k, p)| Some(format!("{k}: {}", recomputed(w.get(k)?, p))))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => shown(want),
    }
}

/// Whether the document prints no number at all of a result: every element skipped, in every
/// field of a record.
fn nothing_printed(printed: &Value) -> bool {
    match printed {
        Value::Map(fields) => fields.values().all(nothing_printed),
        other => skipped(other),
    }
}

/// Whether the document prints nothing of this element: `_`, or a list of nothing but `_`.
fn skipped(printed: &Value) -> bool {
    match printed {
        Value::Str(s) => s == "_",
        Value::List(items) => !items.is_empty() && items.iter().all(skipped),
        _ => false,
    }
}

/// `items` rendered by `show` beside their printed counterparts, with every run of elements the
/// document skipped (`_`) collapsed to one `…`.
fn elided(items: &[Value], printed: &[Value], show: impl Fn(&Value, &Value) -> String) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (item, p) in items.iter().zip(printed) {
        if skipped(p) {
            if parts.last().is_none_or(|last| last != "…") {
                parts.push("…".into());
            }
        } else {
            parts.push(show(item, p));
        }
    }
    parts.join(", ")
}

/// Text that is safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    escape(text)
}

/// Text shown as itself in Markdown: a document's `w[1](t+1)_(j,1)` would otherwise become a link
/// and an emphasis.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_notation_is_shown_as_written() {
        assert_eq!(escape("w[1](t+1)_(j,1)"), "w\\[1\\](t+1)\\_(j,1)");
        assert_eq!(escape("a | b * c"), "a \\| b \\* c");
    }

    #[test]
    fn only_lists_of_equal_rows_are_called_matrices() {
        let rows = |lengths: &[usize]| {
            Value::List(
                lengths
                    .iter()
                    .map(|&n| Value::List((0..n).map(|i| Value::Num(i as f64)).collect()))
                    .collect(),
            )
        };
        assert!(brief(&rows(&[10, 10, 10])).starts_with("3×10 matrix"), "{}", brief(&rows(&[10, 10, 10])));
        assert!(
            brief(&rows(&[27, 9, 3])).starts_with("3 lists, 39 numbers"),
            "{}",
            brief(&rows(&[27, 9, 3]))
        );
    }

    #[test]
    fn quoted_numbers_have_four_decimals_at_most_and_a_true_minus() {
        assert_eq!(quoted(&Value::Num(0.908877)), "0.9089");
        assert_eq!(quoted(&Value::Num(-0.96402758)), "−0.964");
        assert_eq!(quoted(&Value::Num(2.3)), "2.3");
        assert_eq!(quoted(&Value::Num(-0.0)), "0");
        assert_eq!(quoted(&Value::Num(4.2e-18)), "4.200e−18");
        assert_eq!(quoted(&Value::List(vec![Value::Num(0.25), Value::Int(-1)])), "[0.25, −1]");
        let row = Value::List(vec![Value::List(vec![Value::Num(0.5), Value::Num(1.0)])]);
        assert_eq!(quoted(&row), "[0.5, 1]");
        assert_eq!(quoted(&Value::List(vec![Value::List(vec![Value::Num(0.719)])])), "0.719");
    }

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("Single Neuron: Forward Pass Calculation"), "single-neuron-forward-pass-calculation");
        assert_eq!(slug("  Activation Functions "), "activation-functions");
    }
}
