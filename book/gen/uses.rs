//! Each chapter's "Run it" box and "What you will use" section, generated from the student's
//! stub: the lab's own types, the code it gives, and what it takes from earlier labs and from
//! `nnlab-data`, each as its source declares it, so that a chapter cannot fall behind the code.
//! A chapter includes `generated/<lab>/uses.md`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nnlab_check::LabFixture;
use proc_macro2::LineColumn;
use syn::spanned::Spanned;
use syn::{Item, UseTree, Visibility};

use crate::HEADER;

/// `generated/<lab>/uses.md` of `fixture`, reading the stubs and `nnlab-data` through `crates`.
pub fn page(fixture: &LabFixture, crates: &mut Crates<'_>) -> Result<String> {
    let src = crates.root.join("labs").join(&fixture.lab).join("src");
    let lib = Source::read(&src.join("lib.rs"))?;
    let given = src.join("given.rs");
    let given = if given.is_file() { Some(Source::read(&given)?) } else { None };
    let mut out = String::from(HEADER);
    let number = fixture.number();
    let _ = write!(
        out,
        "\n<!-- ANCHOR: run -->\n\
         > **Run it.** From the workbook's folder, after each change:\n\
         >\n\
         > ```sh\n\
         > # this lab's public checks\n\
         > cargo test -p {lab}\n\
         > # graded, with points\n\
         > cargo run -p grader -- --lab {number}\n\
         > ```\n\
         <!-- ANCHOR_END: run -->\n",
        lab = fixture.lab,
    );
    out.push_str("\n<!-- ANCHOR: uses -->\n## What you will use\n");
    let exercise_types: Vec<String> = fixture.exercises.iter().map(|e| e.name.replace('_', "")).collect();
    let is_exercise = |name: &str| exercise_types.contains(&name.to_lowercase());
    let own: Vec<String> = [Some(&lib), given.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|s| s.types().into_iter().filter(|(n, _)| !is_exercise(n)).map(|(_, t)| t))
        .collect();
    if !own.is_empty() {
        out.push_str("\nThe lab's own types:\n");
        listing(&mut out, &own);
    }
    if let Some(given) = &given {
        let functions = given.functions(false);
        if !functions.is_empty() {
            out.push_str("\nCode the lab gives you, which you call and do not write (`src/given.rs`):\n");
            listing(&mut out, &functions);
        }
    }
    // What the lab takes from earlier labs and from nnlab-data the student has met already: folded
    // under a line that names it, so that the chapter's first section is not six screens down
    // (print shows it unfolded).
    for (krate, names) in lib.imports() {
        let what = match crates.labs.iter().find(|l| l.lab.replace('-', "_") == krate) {
            Some(l) => format!(
                "From lab {} (<a href=\"{}\">{}</a>), your own code",
                l.number(),
                l.chapter.replace(".md", ".html"),
                l.title
            ),
            None if krate == "nnlab_data" => {
                "From <code>nnlab-data</code>, the course's data sets".to_string()
            }
            None => continue,
        };
        let mut shown = Vec::new();
        for name in &names {
            let found = crates.declaration(&krate, name)?;
            shown.push(
                found.with_context(|| format!("{}: `{krate}::{name}` is declared nowhere", fixture.lab))?,
            );
        }
        let named: Vec<String> = names.iter().map(|n| format!("<code>{n}</code>")).collect();
        let _ = write!(out, "\n<details>\n<summary>{what}: {}</summary>\n", named.join(", "));
        listing(&mut out, &shown);
        out.push_str("\n</details>\n");
    }
    if !out.contains("```rust") {
        out.push_str(
            "\nNo type or helper of the course: this lab's exercises take and return plain values (numbers, \
             slices, faer matrices).\n",
        );
    }
    out.push_str("<!-- ANCHOR_END: uses -->\n");
    Ok(out)
}

/// The crates a stub can take items from — the labs' stubs and `nnlab-data` — each parsed once.
pub struct Crates<'a> {
    root: &'a Path,
    labs: &'a [LabFixture],
    parsed: BTreeMap<String, Vec<Source>>,
}

impl<'a> Crates<'a> {
    /// The crates of the workbook at `root`, whose labs are `labs`.
    pub fn new(root: &'a Path, labs: &'a [LabFixture]) -> Crates<'a> {
        Crates { root, labs, parsed: BTreeMap::new() }
    }

    /// The sources of crate `krate` (`lab05_backprop`, `nnlab_data`); none for another crate.
    fn sources(&mut self, krate: &str) -> Result<&[Source]> {
        if !self.parsed.contains_key(krate) {
            let dir = match self.labs.iter().find(|l| l.lab.replace('-', "_") == krate) {
                Some(l) => Some(self.root.join("labs").join(&l.lab).join("src")),
                None => (krate == "nnlab_data").then(|| self.root.join("grader/data/src")),
            };
            let sources = dir.map_or_else(|| Ok(Vec::new()), |d| Source::all_in(&d))?;
            self.parsed.insert(krate.to_string(), sources);
        }
        Ok(&self.parsed[krate])
    }

    /// The declaration of `name` in crate `krate`, following its `pub use` of other crates.
    fn declaration(&mut self, krate: &str, name: &str) -> Result<Option<String>> {
        let sources = self.sources(krate)?;
        if let Some(found) = sources.iter().find_map(|s| s.declaration(name)) {
            return Ok(Some(found));
        }
        let via: Vec<String> = sources
            .iter()
            .flat_map(Source::imports)
            .filter(|(from, names)| from != krate && names.iter().any(|n| n == name))
            .map(|(from, _)| from)
            .collect();
        for from in via {
            if let Some(found) = self.declaration(&from, name)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// One code block of declarations, a blank line between them.
fn listing(out: &mut String, items: &[String]) {
    let text: Vec<String> = items.iter().map(|item| fit(item)).collect();
    let _ = write!(out, "\n```rust,ignore\n{}\n```\n", text.join("\n\n"));
}

/// The book's listings are 80 columns wide at most.
const COLUMNS: usize = 80;

/// `item` with every doc paragraph that has a line over [`COLUMNS`] rewrapped to fit: code
/// formatted for a wider column (`nnlab-data`'s) keeps its words, not its line breaks.
fn fit(item: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut prefix = String::new();
    let flush = |paragraph: &mut Vec<&str>, prefix: &str, out: &mut Vec<String>| {
        if paragraph.iter().any(|l| l.chars().count() > COLUMNS) {
            let words = paragraph.iter().flat_map(|l| l[prefix.len()..].split_whitespace());
            let mut line = prefix.to_string();
            for word in words {
                if line.len() > prefix.len() && line.chars().count() + 1 + word.chars().count() > COLUMNS {
                    out.push(std::mem::replace(&mut line, prefix.to_string()));
                }
                if line.len() > prefix.len() {
                    line.push(' ');
                }
                line.push_str(word);
            }
            out.push(line);
        } else {
            out.extend(paragraph.iter().map(|l| l.to_string()));
        }
        paragraph.clear();
    };
    for line in item.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let text_line = line.trim_start().starts_with("///") && line.trim() != "///";
        let this_prefix = format!("{indent}/// ");
        if text_line && (paragraph.is_empty() || this_prefix == prefix) {
            prefix = this_prefix;
            paragraph.push(line);
            continue;
        }
        flush(&mut paragraph, &prefix, &mut out);
        if text_line {
            prefix = this_prefix;
            paragraph.push(line);
        } else {
            out.push(line.to_string());
        }
    }
    flush(&mut paragraph, &prefix, &mut out);
    out.join("\n")
}

/// A Rust file, parsed, with its text.
struct Source {
    text: String,
    file: syn::File,
}

impl Source {
    fn read(path: &Path) -> Result<Source> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let file = syn::parse_file(&text).with_context(|| format!("parsing {}", path.display()))?;
        Ok(Source { text, file })
    }

    /// Every `.rs` file under `dir`.
    fn all_in(dir: &Path) -> Result<Vec<Source>> {
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut dirs = vec![dir.to_path_buf()];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d)? {
                let path = entry?.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension() == Some("rs".as_ref()) {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        paths.iter().map(|p| Source::read(p)).collect()
    }

    /// The text from `start` to `end`, `start`'s line taken whole (its indent kept).
    fn slice(&self, start: LineColumn, end: LineColumn) -> String {
        let lines: Vec<&str> = self.text.lines().collect();
        let mut out: Vec<String> = lines[start.line - 1..end.line].iter().map(|l| l.to_string()).collect();
        if let Some(last) = out.last_mut() {
            let cut = last.char_indices().nth(end.column).map_or(last.len(), |(i, _)| i);
            last.truncate(cut);
        }
        out.join("\n")
    }

    /// The doc comment and attributes of an item, as written, then the item from `from` to `to`.
    fn with_docs(&self, attrs: &[syn::Attribute], from: LineColumn, to: LineColumn) -> String {
        let docs = attrs.iter().filter(|a| a.path().is_ident("doc") || a.path().is_ident("derive"));
        let start = docs.map(|a| a.span().start()).min_by_key(|s| (s.line, s.column)).unwrap_or(from);
        self.slice(LineColumn { line: start.line, column: 0 }, to)
    }

    /// The public structs, enums, traits, type aliases and constants, by name, as declared.
    fn types(&self) -> Vec<(String, String)> {
        self.file
            .items
            .iter()
            .filter_map(|item| {
                let (vis, attrs, name) = match item {
                    Item::Struct(i) => (&i.vis, &i.attrs, i.ident.to_string()),
                    Item::Enum(i) => (&i.vis, &i.attrs, i.ident.to_string()),
                    Item::Trait(i) => (&i.vis, &i.attrs, i.ident.to_string()),
                    Item::Type(i) => (&i.vis, &i.attrs, i.ident.to_string()),
                    Item::Const(i) => (&i.vis, &i.attrs, i.ident.to_string()),
                    _ => return None,
                };
                is_pub(vis).then(|| (name, self.with_docs(attrs, item.span().start(), item.span().end())))
            })
            .collect()
    }

    /// The public functions as signatures with their doc comment: whole, or its first paragraph
    /// when `brief`.
    fn functions(&self, brief: bool) -> Vec<String> {
        self.file
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Fn(f) if is_pub(&f.vis) => Some(self.signature(f, brief)),
                _ => None,
            })
            .collect()
    }

    /// A function as its doc comment and signature, ended by `;` (the signature's last line
    /// fits the column with its ` {`, so it does with `;`).
    fn signature(&self, f: &syn::ItemFn, brief: bool) -> String {
        let text = self.with_docs(&f.attrs, f.sig.span().start(), f.sig.span().end());
        let mut lines: Vec<&str> = text.lines().collect();
        if brief {
            // The doc's first paragraph that says what the function does: a given function's
            // doc opens with "*Given:* …", which the section's heading already says.
            let is_doc = |l: &&str| l.trim_start().starts_with("///");
            let sig_at =
                lines.iter().position(|l| !is_doc(l) && !l.trim_start().starts_with("#[")).unwrap_or(0);
            let paragraphs: Vec<&[&str]> = lines[..sig_at].split(|l| l.trim() == "///").collect();
            let kept = paragraphs
                .iter()
                .find(|p| p.first().is_some_and(|l| !l.contains("*Given:*")))
                .map(|p| p.to_vec())
                .unwrap_or_default();
            let sig = lines[sig_at..].to_vec();
            lines = kept.into_iter().chain(sig).collect();
        }
        format!("{};", lines.join("\n"))
    }

    /// The declaration of the public item `name`: a type whole, a function's signature with its
    /// doc's first paragraph.
    fn declaration(&self, name: &str) -> Option<String> {
        if let Some((_, text)) = self.types().into_iter().find(|(n, _)| n == name) {
            return Some(text);
        }
        self.file.items.iter().find_map(|item| match item {
            Item::Fn(f) if is_pub(&f.vis) && f.sig.ident == name => Some(self.signature(f, true)),
            _ => None,
        })
    }

    /// The names each `pub use` brings in, by crate (`lab05_backprop`, `nnlab_data`), in order.
    fn imports(&self) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for item in &self.file.items {
            let Item::Use(u) = item else { continue };
            if !is_pub(&u.vis) {
                continue;
            }
            if let UseTree::Path(p) = &u.tree {
                let mut names = Vec::new();
                leaves(&p.tree, &mut names);
                out.push((p.ident.to_string(), names));
            }
        }
        out
    }
}

fn leaves(tree: &UseTree, out: &mut Vec<String>) {
    match tree {
        UseTree::Name(n) => out.push(n.ident.to_string()),
        UseTree::Rename(r) => out.push(r.ident.to_string()),
        UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
        UseTree::Path(p) => leaves(&p.tree, out),
        UseTree::Glob(_) => {}
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_doc_paragraphs_are_rewrapped_and_code_is_kept() {
        let long = format!("/// {}\n/// end.\n///\n/// Short.\npub fn f(x: f64) -> f64;", "word ".repeat(30));
        let out = fit(&long);
        assert!(out.lines().all(|l| l.chars().count() <= COLUMNS), "{out}");
        assert_eq!(out.matches("word").count(), 30);
        assert!(out.contains("end.\n///\n/// Short.\npub fn f(x: f64) -> f64;"), "{out}");
        let short = "    /// Fits.\n    pub x: f64,";
        assert_eq!(fit(short), short);
    }
}
