//! The book builds, and nothing in it silently rots: generated pages and figures are current,
//! every include and image resolves (mdBook does not fail on a missing one), and every exercise
//! links to a section that exists.

use std::path::{Path, PathBuf};

use nnlab_check::LabFixture;

fn book_dir() -> PathBuf {
    nnlab_book::workbook_root().join("book")
}

fn chapters() -> Vec<(PathBuf, String)> {
    let src = book_dir().join("src");
    let mut found = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }
    found.sort();
    found
}

/// The registry: every lab's fixture, in course order.
fn fixtures() -> Vec<LabFixture> {
    let dir = nnlab_book::workbook_root().join("fixtures/labs");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| LabFixture::load(p).unwrap()).collect()
}

/// The `{{#include …}}` targets of a page as (path, optional anchor).
fn includes(text: &str) -> Vec<(String, Option<String>)> {
    text.match_indices("{{#include ")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            let target = rest[..rest.find("}}").expect("an include is closed")].trim();
            match target.split_once(':') {
                Some((path, anchor)) => (path.to_string(), Some(anchor.to_string())),
                None => (target.to_string(), None),
            }
        })
        .collect()
}

#[test]
fn generated_pages_and_figures_are_current() {
    let src = book_dir().join("src");
    for file in nnlab_book::generate(&nnlab_book::workbook_root()).unwrap() {
        let on_disk = std::fs::read_to_string(src.join(&file.path)).unwrap_or_default();
        assert!(
            on_disk == file.content,
            "book/src/{} is stale: run `cargo run -p nnlab-book`",
            file.path.display()
        );
    }
}

#[test]
fn every_include_and_image_resolves() {
    for (page, text) in chapters() {
        let dir = page.parent().unwrap();
        for (path, anchor) in includes(&text) {
            let target = dir.join(&path);
            let included = std::fs::read_to_string(&target)
                .unwrap_or_else(|_| panic!("{}: includes missing {path}", page.display()));
            if let Some(anchor) = anchor {
                // A marker is its name followed by a space (`<!-- ANCHOR: x -->`) or the line's end
                // (`// ANCHOR: x`), so that `x` does not match the marker of `x_y`.
                let marked = |kind: &str| {
                    included.lines().any(|l| {
                        l.split_once(&format!("{kind}: {anchor}"))
                            .is_some_and(|(_, after)| after.is_empty() || after.starts_with(' '))
                    })
                };
                assert!(
                    marked("ANCHOR") && marked("ANCHOR_END"),
                    "{}: {path} has no anchor `{anchor}`",
                    page.display()
                );
            }
        }
        // Images of the HTML blocks (the interactive figures' frames), as well as Markdown's. A
        // generated snippet is included into a chapter, so its paths are the chapter's: relative
        // to book/src, where every chapter lives.
        for (at, m) in text.match_indices("src=\"").chain(text.match_indices("srcset=\"")) {
            let rest = &text[at + m.len()..];
            let src = &rest[..rest.find('"').unwrap_or(0)];
            assert!(
                src.contains("://") || book_dir().join("src").join(src).is_file(),
                "{}: shows missing {src}",
                page.display()
            );
        }
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let link = &rest[..rest.find(')').unwrap_or(0)];
            if link.ends_with(".svg")
                || link.ends_with(".png")
                || (link.ends_with(".md") && !link.contains("://"))
            {
                // A generated snippet's links, like its images, are the including chapter's.
                let base = if page.starts_with(book_dir().join("src/generated")) {
                    book_dir().join("src")
                } else {
                    dir.to_path_buf()
                };
                assert!(base.join(link).is_file(), "{}: links to missing {link}", page.display());
            }
        }
    }
}

#[test]
fn every_lab_has_a_chapter_with_a_section_for_each_exercise() {
    let summary = std::fs::read_to_string(book_dir().join("src/SUMMARY.md")).unwrap();
    for fixture in fixtures() {
        assert!(summary.contains(&format!("]({})", fixture.chapter)), "SUMMARY.md lacks {}", fixture.chapter);
        let chapter = std::fs::read_to_string(book_dir().join("src").join(&fixture.chapter)).unwrap();
        let ids: Vec<String> = chapter
            .lines()
            .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
            .map(nnlab_book::pages::heading_id)
            .collect();
        for ex in &fixture.exercises {
            let include = format!("{{{{#include generated/{}/api.md:{}}}}}", fixture.lab, ex.name);
            assert!(
                chapter.contains(&include),
                "{}: shows no declaration of {} ({include})",
                fixture.chapter,
                ex.name
            );
            assert!(
                ids.contains(&ex.section),
                "{}: no section #{} for {}",
                fixture.chapter,
                ex.section,
                ex.name
            );
        }
    }
}

#[test]
fn the_book_builds() {
    let out = nnlab_book::workbook_root().join("target/book-test");
    let _ = std::fs::remove_dir_all(&out);
    let mut book = mdbook_driver::MDBook::load(book_dir()).expect("book.toml and SUMMARY.md load");
    book.config.build.build_dir = out.clone();
    book.build().expect("the book builds");
    nnlab_book::search::tidy(&out).expect("the search index is rewritten");
    let chapter = std::fs::read_to_string(out.join("lab01-neuron.html")).unwrap();
    assert!(chapter.contains("0.9088"), "the worked example's numbers reach the built page");
    assert!(!chapter.contains("{{#include"), "an include was left unexpanded");
    assert!(Path::new(&out.join("figures/lab01-neuron/activations.svg")).is_file());
    // Search is built in (mdbook-driver's `search` feature) and indexes the chapters, offline.
    let index = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("searchindex")))
        .expect("the book has a search index");
    assert!(std::fs::read_to_string(index).unwrap().contains("sigmoid"), "the index covers the chapters");
    // Snippets are prose: no listing (a doc comment, an attribute, a stub's body) and no TeX.
    let snippets = nnlab_book::search::snippets(&out).unwrap();
    for code in ["///", "#[derive", "let _ =", "\\frac", "$$"] {
        let shown: Vec<&String> = snippets.iter().filter(|s| s.contains(code)).collect();
        assert!(shown.is_empty(), "search snippets show `{code}`: {:?}", &shown[..shown.len().min(2)]);
    }
}

/// The errata appendix includes every lab's generated errata, and those list every erratum of the
/// fixtures: each case with an erratum and each statement of fact, by its text.
#[test]
fn the_errata_appendix_lists_every_erratum_of_the_fixtures() {
    let root = nnlab_book::workbook_root();
    let appendix = std::fs::read_to_string(book_dir().join("src/errata.md")).unwrap();
    assert!(
        appendix.contains("{{#include generated/errata-by-lab.md}}"),
        "errata.md does not include its lab sections"
    );
    let appendix = std::fs::read_to_string(book_dir().join("src/generated/errata-by-lab.md")).unwrap();
    let documents = nnlab_book::documents::load(&root).unwrap();
    for fixture in fixtures() {
        let page = format!("generated/{}/errata.md", fixture.lab);
        let include = format!("{{{{#include {}/errata.md}}}}", fixture.lab);
        assert!(appendix.contains(&include), "the errata appendix does not include {page}");
        let listed = std::fs::read_to_string(book_dir().join("src").join(&page)).unwrap();
        let wanted = nnlab_book::pages::erratum_entries(&fixture).len() + fixture.errata.len();
        assert_eq!(listed.lines().filter(|l| l.starts_with("- **")).count(), wanted, "{page}");
        // A case folded into an earlier entry is still named there, by its place in the document.
        for case in fixture.cases.iter().filter(|c| c.erratum.is_some()) {
            let place =
                nnlab_book::documents::cite(&documents, &nnlab_book::pages::escape(&case.source.example));
            assert!(listed.contains(&place), "{page} does not name {} ({place})", case.id);
        }
    }
}

/// Worked numbers reach a chapter from the fixtures, through `generated/<lab>/values.md`, never by
/// typing them: a number with three or more decimals in a lab chapter's own prose is a retyped
/// result that would not follow a corrected fixture. Conventional settings are not results.
#[test]
fn lab_chapters_quote_worked_numbers_instead_of_retyping_them() {
    const SETTINGS: [&str; 3] = ["0.001", "0.999", "0.0001"];
    let mut retyped = Vec::new();
    for (page, text) in chapters() {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("lab") || page.parent().unwrap().ends_with("generated") {
            continue;
        }
        let mut fenced = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                continue;
            }
            if fenced {
                continue; // code, whose numbers are arguments
            }
            let prose = without_includes(line);
            for number in decimals(&prose) {
                if number.split('.').nth(1).is_some_and(|d| d.len() >= 3) && !SETTINGS.contains(&number) {
                    retyped.push(format!("{name}:{}: {number} in “{}”", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        retyped.is_empty(),
        "quote these from generated/<lab>/values.md instead:\n{}",
        retyped.join("\n")
    );
}

/// The experiments of the course, by exercise name (`fit_moons`, …), from the registry.
fn experiments() -> Vec<String> {
    fixtures()
        .into_iter()
        .flat_map(|f| f.exercises.into_iter().filter(|e| e.outcome.is_some()).map(|e| e.name))
        .collect()
}

/// The typed numbers in `text` that state an experiment's bar: a paragraph that names an
/// experiment, or speaks of a bar or a `pass:`, and puts a number after `pass:`, `at least`,
/// `at most`, `≥` or `≤` other than through an include of `generated/<lab>/values.md`.
fn typed_bars(text: &str, experiments: &[String]) -> Vec<String> {
    const MARKERS: [&str; 7] = ["pass: ", "at least ", "at most ", "≥ ", "≤ ", ">= ", "<= "];
    let mut typed = Vec::new();
    for paragraph in text.split("\n\n") {
        let prose = paragraph.lines().map(without_includes).collect::<Vec<_>>().join(" ");
        let about_a_bar = prose.contains(" bar")
            || prose.contains("pass:")
            || experiments.iter().any(|name| prose.contains(name.as_str()));
        if !about_a_bar {
            continue;
        }
        for marker in MARKERS {
            for (at, _) in prose.match_indices(marker) {
                let after = &prose[at + marker.len()..];
                if let Some(number) = decimals(after).first().filter(|n| after.starts_with(*n)) {
                    typed.push(format!("{marker}{number} in “{}”", prose.trim()));
                }
            }
        }
    }
    typed
}

/// An experiment's bar is stated in one place, the registry (`outcome: {pass}` in
/// `fixtures/labs/<lab>.yaml`): the chapters and the instructor's pages quote it from
/// `generated/<lab>/values.md` (`<exercise>--pass`), so a prose bar cannot disagree with the
/// grader's. (The reference's doc comments are held to it by the grader's registry test.)
#[test]
fn the_book_quotes_every_experiments_bar_from_the_registry() {
    let experiments = experiments();
    let src = book_dir().join("src");
    let mut typed = Vec::new();
    for (page, text) in chapters() {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        if page.strip_prefix(&src).is_ok_and(|p| p.starts_with("generated")) || name == "benchmarks.md" {
            continue; // generated from the registry; a dated record of measurements
        }
        typed.extend(typed_bars(&text, &experiments).into_iter().map(|t| format!("{name}: {t}")));
    }
    assert!(
        typed.is_empty(),
        "include the bar from generated/<lab>/values.md:<exercise>--pass instead:\n{}",
        typed.join("\n")
    );
}

#[test]
fn the_bar_check_finds_a_typed_bar_and_passes_a_quoted_one() {
    let experiments = vec!["fit_moons".to_string()];
    let typed = "The bar of each experiment is in the fixture\n(`outcome: {metric: accuracy, pass: 0.93}`).";
    assert_eq!(typed_bars(typed, &experiments).len(), 1, "a typed pass: in a paragraph about a bar");
    let doc = "`fit_moons` trains on two moons: at least 0.95 on the test points.";
    assert_eq!(
        typed_bars(doc, &experiments).len(),
        1,
        "a typed at least in a paragraph naming an experiment"
    );
    let quoted = "`fit_moons`: accuracy ≥ {{#include generated/lab07-training/values.md:fit_moons--pass}}.";
    assert!(typed_bars(quoted, &experiments).is_empty(), "an included bar is not typed");
    let elsewhere = "σ′ is at most 0.25, so gradients shrink.";
    assert!(typed_bars(elsewhere, &experiments).is_empty(), "a bound that is no experiment's bar");
}

fn without_includes(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("{{#include ") {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once("}}").map_or("", |(_, after)| after);
    }
    out + rest
}

/// The decimal numbers of a line, like `0.9089` (digits, a point, digits).
fn decimals(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            let number = line[start..i].trim_end_matches('.');
            if number.contains('.') {
                found.push(number);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Figure text stays readable: shown at the width of mdBook's content column, no text of a figure
/// is smaller than `SMALLEST_TEXT` CSS pixels. plotters writes SVG font sizes in the figure's own
/// pixels, so a figure wider than the column shrinks its text when the page scales it down.
#[test]
fn figure_text_is_readable_at_the_columns_width() {
    use nnlab_book::figures::{COLUMN, PHONE_COLUMN, SMALLEST_TEXT};
    for file in nnlab_book::figures::all().unwrap() {
        if file.path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        let svg = &file.content;
        let number_after = |key: &str, from: usize| -> Option<(f64, usize)> {
            let at = svg[from..].find(key)? + from + key.len();
            let end = at + svg[at..].find('"')?;
            Some((svg[at..end].parse().ok()?, end))
        };
        let (width, _) = number_after("width=\"", 0).expect("an SVG has a width");
        // A phone's figure is shown in a phone's column, every other in the book's.
        let phone = file.path.to_string_lossy().ends_with("-phone.svg");
        let column = if phone { PHONE_COLUMN } else { COLUMN };
        let shown = width.max(column);
        let mut from = 0;
        while let Some((size, next)) = number_after("font-size=\"", from) {
            let on_screen = size * column / shown;
            assert!(
                on_screen >= SMALLEST_TEXT - 1e-9,
                "{}: text of {size} px in a figure {width} px wide shows at {on_screen:.1} px",
                file.path.display()
            );
            from = next;
        }
    }
}

/// The widest line a listing of the book may have. The text column of mdBook's page is about 750
/// CSS pixels, 85 characters of its monospace font at desktop width: a longer line makes its
/// block scroll sideways, and a reader misses what is off-screen (lab 05's `output_delta`
/// example hid its result there).
const LISTING_COLUMNS: usize = 80;

/// A chapter's lines as mdBook shows them, every `{{#include path[:anchor]}}` replaced by the
/// lines it includes (without anchor markers), each with where it comes from (`file:line`).
fn expanded(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("reading {}", path.display()));
    let name = shown(path);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(at) = line.find("{{#include ") else {
            out.push((line.to_string(), format!("{name}:{}", n + 1)));
            continue;
        };
        let rest = &line[at + "{{#include ".len()..];
        let end = rest.find("}}").expect("an include is closed");
        let (file, anchor) = match rest[..end].trim().split_once(':') {
            Some((file, anchor)) => (file, Some(anchor)),
            None => (rest[..end].trim(), None),
        };
        let target = path.parent().unwrap().join(file);
        let mut included: Vec<(String, String)> = if target.extension().is_some_and(|e| e == "md") {
            expanded(&target)
        } else {
            let text = std::fs::read_to_string(&target).unwrap_or_default();
            let name = shown(&target);
            text.lines().enumerate().map(|(n, l)| (l.to_string(), format!("{name}:{}", n + 1))).collect()
        };
        if let Some(anchor) = anchor {
            let is = |l: &str, kind: &str| {
                l.split_once(&format!("{kind}: {anchor}"))
                    .is_some_and(|(_, after)| after.is_empty() || after.starts_with(' '))
            };
            let start = included.iter().position(|(l, _)| is(l, "ANCHOR")).map_or(0, |s| s + 1);
            let stop = included.iter().position(|(l, _)| is(l, "ANCHOR_END")).unwrap_or(included.len());
            included = included[start..stop.max(start)].to_vec();
        }
        included.retain(|(l, _)| !l.contains("ANCHOR: ") && !l.contains("ANCHOR_END: "));
        // An include in the middle of a line (a number in a sentence) is prose, not a listing.
        let (before, after) = (&line[..at], &rest[end + 2..]);
        if let [(only, origin)] = included.as_slice() {
            out.push((format!("{before}{only}{after}"), origin.clone()));
        } else {
            out.extend(included);
        }
    }
    out
}

/// A path as a message names it: relative to the workbook's root.
fn shown(path: &Path) -> String {
    let root = nnlab_book::workbook_root().canonicalize().unwrap();
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    path.strip_prefix(&root).unwrap_or(&path).display().to_string()
}

/// The lines of a chapter's code blocks, with where each comes from.
fn listing_lines(path: &Path) -> Vec<(String, String)> {
    let mut fence: Option<String> = None;
    let mut out = Vec::new();
    for (line, origin) in expanded(path) {
        let trimmed = line.trim_start();
        match &fence {
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                fence = Some(trimmed.chars().take_while(|&c| c == '`' || c == '~').collect());
            }
            Some(open) if trimmed.starts_with(open.as_str()) && trimmed.trim_end() == open => fence = None,
            Some(_) => out.push((line, origin)),
            None => {}
        }
    }
    out
}

/// No listing of the book is wider than [`LISTING_COLUMNS`]: neither a chapter's own code blocks
/// nor what they include — the declarations of `generated/<lab>/api.md`, which come from the
/// reference's doc comments and signatures (`solutions/<lab>/src/`, formatted to 80 columns by
/// its `.rustfmt.toml`; rustfmt does not rewrap comments), and the faer primer.
#[test]
fn listings_fit_the_column() {
    let src = book_dir().join("src");
    let mut wide = Vec::new();
    for (page, _) in chapters() {
        if page.strip_prefix(&src).is_ok_and(|p| p.starts_with("generated")) {
            continue; // reached through the chapters that include them
        }
        for (line, origin) in listing_lines(&page) {
            let columns = line.chars().count();
            if columns > LISTING_COLUMNS {
                wide.push(format!("{origin} ({columns} columns, shown in {}): {line}", shown(&page)));
            }
        }
    }
    wide.dedup();
    assert!(
        wide.is_empty(),
        "listings wider than {LISTING_COLUMNS} columns scroll sideways in the book; rewrap them (the \
         reference's doc comments: then `cargo run -p grader -- generate` and `cargo run -p \
         nnlab-book`):\n{}",
        wide.join("\n")
    );
}

#[test]
fn the_listing_check_reads_includes_and_fences() {
    let dir = nnlab_book::workbook_root().join("target/listing-check");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("code.rs"), "// ANCHOR: a\nlet short = 1;\n// ANCHOR_END: a\nlet x = 2;\n")
        .unwrap();
    let long = "y".repeat(LISTING_COLUMNS + 1);
    std::fs::write(
        dir.join("page.md"),
        format!("Prose {long}\n\n```rust\n{{{{#include code.rs:a}}}}\n{long}\n```\n"),
    )
    .unwrap();
    let lines: Vec<String> = listing_lines(&dir.join("page.md")).into_iter().map(|(l, _)| l).collect();
    assert_eq!(lines, ["let short = 1;".to_string(), long], "code lines only, the anchor's only");
}

/// The "Check yourself" section of a chapter: from its heading to the next `## `.
fn check_yourself(chapter: &str) -> String {
    let text = std::fs::read_to_string(book_dir().join("src").join(chapter)).unwrap();
    let start = text.find("\n## Check yourself").unwrap_or_else(|| panic!("{chapter} has no Check yourself"));
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end].to_string()
}

/// Every lab chapter ends with a summary, questions with folded answers and further reading, and
/// the numbers in those answers are what the reference solutions compute.
#[test]
fn chapters_end_with_questions_whose_numbers_the_reference_computes() {
    use faer::Mat;
    use lab06_optimizers_solution::Optimizer;
    for fixture in fixtures() {
        let text = std::fs::read_to_string(book_dir().join("src").join(&fixture.chapter)).unwrap();
        let (summary, questions, reading) = (
            text.find("\n## Summary\n"),
            text.find("\n## Check yourself\n"),
            text.find("\n## Further reading\n"),
        );
        assert!(
            matches!((summary, questions, reading), (Some(s), Some(q), Some(r)) if s < q && q < r),
            "{} ends with Summary, Check yourself and Further reading, in that order",
            fixture.chapter
        );
        let section = check_yourself(&fixture.chapter);
        assert!(section.matches("<details>").count() >= 3, "{}: three folded answers", fixture.chapter);
    }

    let f2 = |v: f64| format!("{v:.2}");
    let f1 = |v: f64| format!("{v:.1}");
    // (chapter, what its answer says, what the reference computes, formatted alike)
    let mut claims: Vec<(&str, String, String)> = Vec::new();
    let mut claim =
        |chapter: &'static str, says: &str, computed: String| claims.push((chapter, says.into(), computed));

    claim(
        "lab01-neuron.md",
        "0.25, at z = 0",
        format!("{}, at z = 0", f2(lab01_neuron_solution::sigmoid_prime(0.0))),
    );
    let p = lab01_neuron_solution::softmax(&[1000.0, 1000.0]);
    claim("lab01-neuron.md", "returns [0.5, 0.5]", format!("returns [{}, {}]", f1(p[0]), f1(p[1])));

    let table = lab02_perceptron_solution::truth_table();
    let and = lab02_perceptron_solution::train(&table, &[0.0, 0.0, 0.0, 1.0], 0.5, 20);
    claim("lab02-perceptron.md", "After 6 epochs", format!("After {} epochs", and.epochs));
    claim(
        "lab02-perceptron.md",
        "w = (1, 0.5) and b = −1.5",
        format!("w = ({}, {}) and b = {}", and.w[0], and.w[1], and.b).replace('-', "−"),
    );
    let and1 = lab02_perceptron_solution::train(&table, &[0.0, 0.0, 0.0, 1.0], 1.0, 20);
    claim("lab02-perceptron.md", "the same 6 epochs", format!("the same {} epochs", and1.epochs));
    assert_eq!(and1.w, and.w.iter().map(|w| 2.0 * w).collect::<Vec<_>>(), "twice the weights");

    let z = lab03_forward_solution::dense(&Mat::zeros(32, 10), &Mat::zeros(10, 5), &Mat::zeros(1, 5));
    claim("lab03-forward.md", "Z is 32×5", format!("Z is {}×{}", z.nrows(), z.ncols()));
    let mut rng = lab03_forward_solution::rng(3);
    let he = lab03_forward_solution::init_layer(
        50,
        400,
        lab03_forward_solution::Init::He,
        lab03_forward_solution::Activation::Relu,
        &mut rng,
    );
    let values: Vec<f64> =
        (0..50).flat_map(|i| (0..400).map(move |j| (i, j))).map(|(i, j)| he.w[(i, j)]).collect();
    let std = (values.iter().map(|v| v * v).sum::<f64>() / values.len() as f64).sqrt();
    claim("lab03-forward.md", "√(2/50) = 0.2", format!("√(2/50) = {}", f1(std)));

    claim("lab04-loss.md", "ln 2 ≈ 0.69", format!("ln 2 ≈ {}", f2(lab04_loss_solution::bce(&[0.5], &[1.0]))));
    claim(
        "lab04-loss.md",
        "−ln 0.01 ≈ 4.61",
        format!("−ln 0.01 ≈ {}", f2(lab04_loss_solution::bce(&[0.01], &[1.0]))),
    );
    claim(
        "lab04-loss.md",
        "0.99² ≈ 0.98",
        format!("0.99² ≈ {}", f2(lab04_loss_solution::mse(&[0.01], &[1.0]))),
    );
    let bce_dz = lab04_loss_solution::sigmoid_bce_delta(&[0.01], &[1.0])[0];
    claim("lab04-loss.md", "p − 1 = −0.99", format!("p − 1 = {}", f2(bce_dz)).replace('-', "−"));

    claim(
        "lab05-backprop.md",
        "ReLU′(−0.35) = 0",
        format!("ReLU′(−0.35) = {}", lab01_neuron_solution::relu_prime(-0.35)),
    );

    let grad = |p: &[f64]| vec![2.0 * p[0], 6.0 * p[1]];
    let gd = lab06_optimizers_solution::minimize(
        &mut lab06_optimizers_solution::Sgd { lr: 0.1 },
        &grad,
        &[4.0, 3.0],
        1,
    );
    claim("lab06-optimizers.md", "= (3.2, 1.2)", format!("= ({}, {})", f1(gd[1][0]), f1(gd[1][1])));
    let y_after = |lr: f64| {
        lab06_optimizers_solution::minimize(
            &mut lab06_optimizers_solution::Sgd { lr },
            &grad,
            &[4.0, 3.0],
            100,
        )[100][1]
            .abs()
    };
    assert!(y_after(0.3) < 1e-3 && y_after(0.34) > 3.0, "gradient descent converges only for lr < 1/3");
    let mut adam = lab06_optimizers_solution::Adam::new(0.1, 0.9, 0.999, 1e-8, 2);
    let mut params = vec![4.0, 3.0];
    let first = grad(&params);
    adam.step(&mut params, &first);
    claim("lab06-optimizers.md", "On (3.9, 2.9)", format!("On ({}, {})", f1(params[0]), f1(params[1])));

    let batches = lab07_training_solution::minibatches(1437, 32, 0);
    claim(
        "lab07-training.md",
        "45: 44 full batches and a last one of 29 samples",
        format!(
            "{}: {} full batches and a last one of {} samples",
            batches.len(),
            batches.iter().filter(|b| b.len() == 32).count(),
            batches.last().unwrap().len()
        ),
    );

    let (out, mask) =
        lab08_regularization_solution::dropout_forward(&Mat::from_fn(20, 20, |_, _| 1.0), 0.3, 5, true);
    let kept: Vec<f64> = (0..20)
        .flat_map(|i| (0..20).map(move |j| (i, j)))
        .filter(|&(i, j)| mask[(i, j)] == 1.0)
        .map(|(i, j)| out[(i, j)])
        .collect();
    assert!(kept.windows(2).all(|w| w[0] == w[1]) && !kept.is_empty());
    claim("lab08-regularization.md", "1/(1 − 0.3) ≈ 1.43", format!("1/(1 − 0.3) ≈ {}", f2(kept[0])));
    let mut stopper = lab08_regularization_solution::EarlyStopping::new(2, 0.0);
    let stopped = [0.9, 0.7, 0.8, 0.75]
        .iter()
        .enumerate()
        .find(|&(epoch, &loss)| stopper.update(epoch, loss, &[]))
        .map(|(e, _)| e);
    claim(
        "lab08-regularization.md",
        "It stops after epoch 3, the second epoch in a row without a new best, and returns the weights of\n   epoch 1",
        format!(
            "It stops after epoch {}, the second epoch in a row without a new best, and returns the weights of\n   epoch {}",
            stopped.unwrap(),
            stopper.best_epoch
        ),
    );
    let (single, _) = lab08_regularization_solution::batchnorm_forward(
        &Mat::from_fn(1, 1, |_, _| 5.0),
        &[2.0],
        &[0.5],
        1e-5,
    );
    assert_eq!(single[(0, 0)], 0.5, "a batch of one comes out as β");

    for (chapter, says, computed) in claims {
        let section = check_yourself(chapter);
        assert!(section.contains(&says), "{chapter}: the answers should say “{says}”");
        assert_eq!(says, computed, "{chapter}: the reference computes “{computed}”");
    }
}

/// Every lab chapter has its "Run it" box and "What you will use" section, generated from the
/// stubs: the types, given code and earlier labs' items the lab's signatures name.
#[test]
fn every_chapter_shows_how_to_run_it_and_what_it_uses() {
    for fixture in fixtures() {
        let text = std::fs::read_to_string(book_dir().join("src").join(&fixture.chapter)).unwrap();
        let include = format!("{{{{#include generated/{}/uses.md}}}}", fixture.lab);
        assert!(text.contains(&include), "{} does not include its uses.md", fixture.chapter);
        let uses =
            std::fs::read_to_string(book_dir().join("src/generated").join(&fixture.lab).join("uses.md"))
                .unwrap();
        assert!(uses.contains(&format!("cargo test -p {}", fixture.lab)), "{}", fixture.lab);
    }
}
