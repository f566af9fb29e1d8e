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

/// The id mdBook gives a heading: lower case, spaces to dashes, other punctuation dropped.
fn heading_id(heading: &str) -> String {
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
                assert!(
                    included.contains(&format!("ANCHOR: {anchor} "))
                        && included.contains(&format!("ANCHOR_END: {anchor} ")),
                    "{}: {path} has no anchor `{anchor}`",
                    page.display()
                );
            }
        }
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let link = &rest[..rest.find(')').unwrap_or(0)];
            if link.ends_with(".svg")
                || link.ends_with(".png")
                || (link.ends_with(".md") && !link.contains("://"))
            {
                assert!(dir.join(link).is_file(), "{}: links to missing {link}", page.display());
            }
        }
    }
}

#[test]
fn every_lab_has_a_chapter_with_a_section_for_each_exercise() {
    let root = nnlab_book::workbook_root();
    let summary = std::fs::read_to_string(book_dir().join("src/SUMMARY.md")).unwrap();
    for entry in std::fs::read_dir(root.join("fixtures/labs")).unwrap() {
        let fixture = LabFixture::load(&entry.unwrap().path()).unwrap();
        assert!(summary.contains(&format!("]({})", fixture.chapter)), "SUMMARY.md lacks {}", fixture.chapter);
        let chapter = std::fs::read_to_string(book_dir().join("src").join(&fixture.chapter)).unwrap();
        let ids: Vec<String> = chapter
            .lines()
            .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
            .map(heading_id)
            .collect();
        for ex in &fixture.exercises {
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
    let chapter = std::fs::read_to_string(out.join("lab01-neuron.html")).unwrap();
    assert!(chapter.contains("0.9088"), "the worked example's numbers reach the built page");
    assert!(!chapter.contains("{{#include"), "an include was left unexpanded");
    assert!(Path::new(&out.join("figures/lab01-activations.svg")).is_file());
}

/// The errata appendix includes every lab's generated errata, and those list every erratum of the
/// fixtures: each case with an erratum and each statement of fact, by its text.
#[test]
fn the_errata_appendix_lists_every_erratum_of_the_fixtures() {
    let root = nnlab_book::workbook_root();
    let appendix = std::fs::read_to_string(book_dir().join("src/errata.md")).unwrap();
    let documents = nnlab_book::documents::load(&root).unwrap();
    let mut labs: Vec<PathBuf> =
        std::fs::read_dir(root.join("fixtures/labs")).unwrap().map(|e| e.unwrap().path()).collect();
    labs.sort();
    for path in labs {
        let fixture = LabFixture::load(&path).unwrap();
        let page = format!("generated/{}/errata.md", fixture.lab);
        assert!(appendix.contains(&format!("{{{{#include {page}}}}}")), "errata.md does not include {page}");
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
    use nnlab_book::figures::{COLUMN, SMALLEST_TEXT};
    for file in nnlab_book::figures::all().unwrap() {
        let svg = &file.content;
        let number_after = |key: &str, from: usize| -> Option<(f64, usize)> {
            let at = svg[from..].find(key)? + from + key.len();
            let end = at + svg[at..].find('"')?;
            Some((svg[at..end].parse().ok()?, end))
        };
        let (width, _) = number_after("width=\"", 0).expect("an SVG has a width");
        let shown = width.max(COLUMN);
        let mut from = 0;
        while let Some((size, next)) = number_after("font-size=\"", from) {
            let on_screen = size * COLUMN / shown;
            assert!(
                on_screen >= SMALLEST_TEXT - 1e-9,
                "{}: text of {size} px in a figure {width} px wide shows at {on_screen:.1} px",
                file.path.display()
            );
            from = next;
        }
    }
}
