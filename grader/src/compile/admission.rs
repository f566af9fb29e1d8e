//! Admission: what of a lab's sources may go into a build. The grader copies only `src/` and
//! builds it with its own manifest; this refuses, before cargo runs, code that would read files
//! outside `src/` while compiling, with a message that says why.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// Whether the submission has the lab at all: a crate needs its `src/lib.rs` (without it, the
/// lab is not submitted rather than failed).
pub(super) fn submitted(src: &Path) -> bool {
    src.join("lib.rs").is_file()
}

/// Refuses a lab's sources that would read files outside `src/` while compiling: the grader
/// copies only `src/`, and `include!`, `include_str!`, `include_bytes!` and `#[path]` are the only
/// ways Rust code can reach further (build scripts and dependencies come from the trusted
/// manifest). Checked on tokens, so comments and strings that merely mention them are fine.
/// (Whether there is a `src/lib.rs` at all is [`submitted`]'s question, asked first.)
pub(super) fn admissible(src: &Path) -> Result<()> {
    let mut files = vec![src.to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).with_context(|| format!("reading {}", path.display()))? {
                files.push(entry?.path());
            }
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        // Code that does not even tokenise fails to compile anyway, with a better message.
        let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else { continue };
        if let Some((what, line)) = reaches_outside(tokens) {
            let file = path.strip_prefix(src).unwrap_or(&path).display().to_string();
            bail!(
                "src/{file}:{line} uses {what}, which reads files at compile time. The grader builds only \
                 the code in src/, so include!, include_str!, include_bytes! and #[path] are not allowed."
            );
        }
    }
    Ok(())
}

/// The first `include…!` macro call or `path = …` attribute in `tokens`, with its line. Walks
/// nested groups with a stack of its own, not by recursion: a file of a million nested brackets
/// must not overflow the grader's stack.
fn reaches_outside(tokens: proc_macro2::TokenStream) -> Option<(String, usize)> {
    use proc_macro2::TokenTree;
    let mut todo = vec![tokens];
    while let Some(stream) = todo.pop() {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let bang = matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    if bang && matches!(name.as_str(), "include" | "include_str" | "include_bytes") {
                        return Some((format!("{name}!"), ident.span().start().line));
                    }
                }
                TokenTree::Group(group) => {
                    if let Some(found) = attribute_path(&tokens, i) {
                        return Some(found);
                    }
                    todo.push(group.stream());
                }
                _ => {}
            }
        }
    }
    None
}

/// `#[path = …]` (or `#![path = …]`): a bracketed group after `#` that starts with `path =`.
fn attribute_path(tokens: &[proc_macro2::TokenTree], i: usize) -> Option<(String, usize)> {
    use proc_macro2::{Delimiter, TokenTree};
    let TokenTree::Group(group) = &tokens[i] else { return None };
    let after_hash = (1..=2)
        .any(|back| i >= back && matches!(&tokens[i - back], TokenTree::Punct(p) if p.as_char() == '#'));
    if group.delimiter() != Delimiter::Bracket || !after_hash {
        return None;
    }
    let inner: Vec<TokenTree> = group.stream().into_iter().take(2).collect();
    match inner.as_slice() {
        [TokenTree::Ident(name), TokenTree::Punct(eq)] if name == "path" && eq.as_char() == '=' => {
            Some(("#[path = …]".into(), name.span().start().line))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_finds_includes_and_paths_at_any_depth() {
        let found = |src: &str| reaches_outside(src.parse().unwrap()).map(|(what, _)| what);
        assert_eq!(found("fn f() { { let _ = include_str!(\"x\"); } }").as_deref(), Some("include_str!"));
        assert_eq!(found("mod a { #[path = \"x.rs\"] mod b; }").as_deref(), Some("#[path = …]"));
        assert_eq!(found("fn f() { let include_str = 1; }"), None);
    }

    /// Run on the test thread's small stack: a scan that recursed per bracket would overflow.
    #[test]
    fn a_million_nested_brackets_do_not_overflow_the_scan() {
        let depth = 1_000_000;
        let src = "(".repeat(depth) + &")".repeat(depth);
        assert_eq!(reaches_outside(src.parse().unwrap()), None);
    }
}
