//! Generates each lab's student stubs from its reference solution, so that the two can never
//! drift apart (ARCHITECTURE.md, invariant 1). The reference in `solutions/<lab>/src/` is the one
//! source: the stub keeps every line of it — docs, types, signatures — except that
//!
//! - the body of every public function becomes `todo!()` (after a `let _ = (…)` that keeps the
//!   unused parameters from warning);
//! - private functions and `#[cfg(test)]` modules, which belong to the answer, are left out.
//!
//! Code students are given lives in the lab's `given.rs`, copied as it is (it may have private
//! helpers of its own); the grader builds every submission with that copy.
//!
//! `cargo run -p grader -- generate` writes `labs/<lab>/src/`; a test fails when they are stale.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use proc_macro2::{LineColumn, Span};
use syn::spanned::Spanned;
use syn::{Block, FnArg, ImplItem, Item, Pat, Signature, Visibility};

use crate::workspace::Workspace;

/// The stub text generated from one reference source file.
pub fn stub_source(reference: &str) -> Result<String> {
    let file = syn::parse_file(reference).context("the reference does not parse")?;
    let text = Text::new(reference);
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for item in &file.items {
        match item {
            Item::Fn(f) if is_pub(&f.vis) => edits.extend(stub_body(&text, &f.sig, &f.block)),
            Item::Fn(f) => edits.push(text.remove_item(f.span())),
            Item::Mod(m) if m.attrs.iter().any(is_cfg_test) => edits.push(text.remove_item(m.span())),
            Item::Impl(imp) => {
                for it in &imp.items {
                    if let ImplItem::Fn(f) = it {
                        if is_pub(&f.vis) || imp.trait_.is_some() {
                            edits.extend(stub_body(&text, &f.sig, &f.block));
                        } else {
                            edits.push(text.remove_item(f.span()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(reference.len());
    let mut at = 0;
    for (start, end, replacement) in edits {
        if start < at {
            bail!("overlapping edits at byte {start}");
        }
        out.push_str(&reference[at..start]);
        out.push_str(&replacement);
        at = end;
    }
    out.push_str(&reference[at..]);
    // Removing the file's last item leaves the blank line that separated it.
    Ok(format!("{}\n", out.trim_end()))
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn is_cfg_test(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg") && attr.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
}

/// The edit that replaces a function body with `todo!()`.
fn stub_body(text: &Text, sig: &Signature, block: &Block) -> Option<(usize, usize, String)> {
    let start = text.offset(block.brace_token.span.open().start());
    let end = text.offset(block.brace_token.span.close().end());
    let indent = text.indent_of(sig.fn_token.span);
    let names: Vec<String> = sig
        .inputs
        .iter()
        .filter_map(|arg| match arg {
            FnArg::Typed(t) => match &*t.pat {
                Pat::Ident(p) if !p.ident.to_string().starts_with('_') => Some(p.ident.to_string()),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        })
        .collect();
    let silence = match names.as_slice() {
        [] => String::new(),
        [one] => format!("{indent}    let _ = {one};\n"),
        many => format!("{indent}    let _ = ({});\n", many.join(", ")),
    };
    Some((start, end, format!("{{\n{silence}{indent}    todo!()\n{indent}}}")))
}

/// Source text with line/column → byte offset conversion (proc-macro2 columns count characters).
struct Text<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Text<'a> {
    fn new(src: &'a str) -> Self {
        let line_starts = std::iter::once(0).chain(src.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Text { src, line_starts }
    }

    fn offset(&self, lc: LineColumn) -> usize {
        let line_start = self.line_starts[lc.line - 1];
        self.src[line_start..].char_indices().nth(lc.column).map_or(self.src.len(), |(i, _)| line_start + i)
    }

    fn indent_of(&self, span: Span) -> &'a str {
        let line_start = self.line_starts[span.start().line - 1];
        let line = &self.src[line_start..];
        &line[..line.len() - line.trim_start_matches(' ').len()]
    }

    /// Removes an item with its attributes and doc comments, whole lines, plus one blank line after.
    fn remove_item(&self, span: Span) -> (usize, usize, String) {
        let start = self.line_starts[span.start().line - 1];
        let mut end = self.line_starts.get(span.end().line).copied().unwrap_or(self.src.len());
        if self.src[end..].starts_with('\n') {
            end += 1;
        }
        (start, end, String::new())
    }
}

/// Every `(reference file, stub file)` pair of a lab, by relative path under `src/`.
pub fn lab_files(ws: &Workspace, lab: &str) -> Result<Vec<(PathBuf, PathBuf)>> {
    let src = ws.root.join("solutions").join(lab).join("src");
    let stubs = ws.root.join("labs").join(lab).join("src");
    ws.reference_files(lab)?
        .into_iter()
        .map(|path| {
            let stub = stubs.join(path.strip_prefix(&src)?);
            Ok((path, stub))
        })
        .collect()
}

/// The stubs of `lab`, each with the text it should have.
pub fn files(ws: &Workspace, lab: &str) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    for (reference, stub) in lab_files(ws, lab)? {
        let text = std::fs::read_to_string(&reference)?;
        let want = if reference.file_name().is_some_and(|n| n == crate::compile::GIVEN) {
            text
        } else {
            stub_source(&text).with_context(|| format!("generating a stub from {}", reference.display()))?
        };
        out.push((stub, want));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_become_todo_and_private_code_goes() {
        let reference = "\
//! Lab.
use faer::Mat;

/// Doc stays.
pub fn f(x: f64, _unused: f64, w: &[f64]) -> f64 {
    helper(x) * w[0]
}

pub fn one(z: f64) -> f64 {
    z
}

/// The answer's helper.
fn helper(x: f64) -> f64 {
    x
}

pub struct S;

impl S {
    /// Method doc.
    pub fn m(&self, k: usize) -> usize {
        k
    }
}

#[cfg(test)]
mod tests {}
";
        let want = "\
//! Lab.
use faer::Mat;

/// Doc stays.
pub fn f(x: f64, _unused: f64, w: &[f64]) -> f64 {
    let _ = (x, w);
    todo!()
}

pub fn one(z: f64) -> f64 {
    let _ = z;
    todo!()
}

pub struct S;

impl S {
    /// Method doc.
    pub fn m(&self, k: usize) -> usize {
        let _ = k;
        todo!()
    }
}
";
        assert_eq!(stub_source(reference).unwrap(), want);
    }
}
