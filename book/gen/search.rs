//! The search index's snippets, made prose. mdBook indexes the text of every element of a page
//! (only `script` and `style` are skipped), so a section's snippet showed its listing (`///`,
//! `#[derive(…)]`, `todo!()`) and its formulas as TeX source, which the browser typesets only on
//! the page. After the build, [`tidy`] rewrites each section's stored text — what a result's
//! snippet is cut from — without the listings and with every formula in plain symbols. The
//! index's words are left alone: searching for `forward` still finds the section that lists it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// How mdBook wraps the index: `window.search = Object.assign(window.search, JSON.parse('…'));`.
const HEAD: &str = "window.search = Object.assign(window.search, JSON.parse('";
const TAIL: &str = "'));";

/// The search index file of the book built in `out`, if it has one.
fn index_file(out: &Path) -> Result<Option<PathBuf>> {
    Ok(std::fs::read_dir(out)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("searchindex"))))
}

/// The index in `path`, as JSON.
fn read(path: &Path) -> Result<Value> {
    let js = std::fs::read_to_string(path)?;
    let Some(quoted) = js.strip_prefix(HEAD).and_then(|rest| rest.trim_end().strip_suffix(TAIL)) else {
        bail!("{}: not the shape mdBook writes", path.display());
    };
    serde_json::from_str(&unquote(quoted)).context("the search index")
}

/// The text each section's snippet is cut from, in the book built in `out`.
pub fn snippets(out: &Path) -> Result<Vec<String>> {
    let path = index_file(out)?.context("the book has no search index")?;
    let index = read(&path)?;
    let docs = index["index"]["documentStore"]["docs"].as_object().context("no documentStore")?;
    Ok(docs.values().filter_map(|d| d["body"].as_str().map(String::from)).collect())
}

/// Rewrites the search index of the book built in `out`.
pub fn tidy(out: &Path) -> Result<()> {
    let Some(path) = index_file(out)? else {
        return Ok(()); // A build without search.
    };
    let mut index = read(&path)?;
    let urls: Vec<String> = serde_json::from_value(index["doc_urls"].clone())?;
    let docs = index["index"]["documentStore"]["docs"].as_object_mut().context("no documentStore")?;
    let mut pages = std::collections::BTreeMap::new();
    for (reference, doc) in docs.iter_mut() {
        let url = reference.parse::<usize>().ok().and_then(|i| urls.get(i)).context("a doc without a url")?;
        let page = url.split('#').next().unwrap_or(url);
        if !pages.contains_key(page) {
            let html = std::fs::read_to_string(out.join(page)).unwrap_or_default();
            pages.insert(page.to_string(), Page::read(&html));
        }
        if let Some(Value::String(body)) = doc.get_mut("body") {
            *body = pages[page].prose(body);
        }
    }
    let json = serde_json::to_string(&index)?;
    let js = format!("{HEAD}{}{TAIL}", json.replace('\\', "\\\\").replace('\'', "\\'"));
    std::fs::write(&path, js)?;
    Ok(())
}

/// The JSON inside mdBook's single-quoted JavaScript string.
fn unquote(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
    }
    out
}

/// What a built page shows as code: its listings and its formulas, as mdBook's index holds them.
struct Page {
    listings: Vec<String>,
    formulas: Vec<String>,
}

impl Page {
    fn read(html: &str) -> Page {
        let mut listings = Vec::new();
        for (at, _) in html.match_indices("<pre>") {
            let rest = &html[at..];
            let Some(end) = rest.find("</pre>") else { continue };
            listings.push(indexed(&text_of(&rest[..end])));
        }
        let mut formulas = Vec::new();
        for (at, _) in html.match_indices("<code>$") {
            let rest = &html[at + "<code>".len()..];
            let Some(end) = rest.find("</code>") else { continue };
            formulas.push(indexed(&text_of(&rest[..end])));
        }
        // The longest first, so that a formula inside a longer one is not cut out of it.
        formulas.sort_by_key(|f| std::cmp::Reverse(f.len()));
        Page { listings, formulas }
    }

    /// `body` without this page's listings, its formulas in plain symbols.
    fn prose(&self, body: &str) -> String {
        let mut body = body.to_string();
        for listing in self.listings.iter().filter(|l| !l.is_empty()) {
            body = body.replace(listing.as_str(), " ");
        }
        for formula in &self.formulas {
            body = body.replace(formula.as_str(), &plain(formula));
        }
        indexed(&body)
    }
}

/// The text of an HTML fragment: tags dropped (an element's edge stands for a space, as mdBook
/// indexes it), the five entities mdBook writes decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match (c, in_tag) {
            ('<', _) => {
                in_tag = true;
                out.push(' ');
            }
            ('>', true) => in_tag = false,
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Text as mdBook stores it: trimmed, runs of white space made one space.
fn indexed(text: &str) -> String {
    let mut out = String::new();
    let mut pending = String::new();
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending.push(c);
            continue;
        }
        match pending.chars().count() {
            0 => {}
            1 => out.push_str(&pending),
            _ => out.push(' '),
        }
        pending.clear();
        out.push(c);
    }
    out
}

/// A TeX formula (`$…$` or `$$…$$`) in plain symbols, for a snippet: `\frac{a}{b}` as `a/b`,
/// Greek letters and operators as their characters, layout commands dropped.
pub fn plain(tex: &str) -> String {
    // Letters take the space after them as TeX does, as a separator; operators keep theirs.
    const LETTERS: [(&str, &str); 19] = [
        ("\\alpha", "α"),
        ("\\beta", "β"),
        ("\\gamma", "γ"),
        ("\\delta", "δ"),
        ("\\Delta", "Δ"),
        ("\\epsilon", "ε"),
        ("\\varepsilon", "ε"),
        ("\\eta", "η"),
        ("\\theta", "θ"),
        ("\\lambda", "λ"),
        ("\\mu", "μ"),
        ("\\rho", "ρ"),
        ("\\sigma", "σ"),
        ("\\tau", "τ"),
        ("\\phi", "φ"),
        ("\\nabla", "∇"),
        ("\\partial", "∂"),
        ("\\sum", "Σ"),
        ("\\sqrt", "√"),
    ];
    const OPERATORS: [(&str, &str); 21] = [
        ("\\prod", "Π"),
        ("\\odot", "⊙"),
        ("\\cdot", "·"),
        ("\\times", "×"),
        ("\\top", "ᵀ"),
        ("\\le", "≤"),
        ("\\ge", "≥"),
        ("\\approx", "≈"),
        ("\\neq", "≠"),
        ("\\to", "→"),
        ("\\infty", "∞"),
        ("\\in", "∈"),
        ("\\ln", "ln"),
        ("\\exp", "exp"),
        ("\\max", "max"),
        ("\\min", "min"),
        ("\\log", "log"),
        ("\\tanh", "tanh"),
        ("\\pm", "±"),
        ("\\ldots", "…"),
        ("\\dots", "…"),
    ];
    let mut s = tex.trim_matches('$').to_string();
    // \frac{a}{b} → (a)/(b), innermost first.
    while let Some(at) = s.find("\\frac{") {
        let Some((num, after_num)) = group(&s[at + "\\frac".len()..]) else { break };
        let Some((den, rest)) = group(after_num) else { break };
        // A single symbol needs no parentheses: 1/(1 + e^-z), ∂L/∂Z.
        let wrap = |t: &str| {
            let t = t.trim();
            let atom = !t.contains([' ', '+', '-', '−', '/']) || t.starts_with("\\partial");
            if atom { t.to_string() } else { format!("({t})") }
        };
        s = format!("{}{}/{}{rest}", &s[..at], wrap(num), wrap(den));
    }
    for (command, symbol) in LETTERS {
        s = replace_command(&s, command, symbol, true);
    }
    for (command, symbol) in OPERATORS {
        s = replace_command(&s, command, symbol, false);
    }
    for layout in ["\\left", "\\right", "\\big", "\\Big", "\\qquad", "\\quad", "\\,", "\\;", "\\!"] {
        s = s.replace(layout, " ");
    }
    for wrapper in ["\\text", "\\mathbf", "\\mathrm", "\\texttt", "\\operatorname", "\\boldsymbol", "\\hat"] {
        s = s.replace(wrapper, "");
    }
    for environment in ["\\begin{aligned}", "\\end{aligned}", "\\begin{bmatrix}", "\\end{bmatrix}"] {
        s = s.replace(environment, " ");
    }
    let s = s.replace("\\\\", ";").replace("&&", " ").replace('&', "").replace("\\_", "_");
    let s: String = s.chars().filter(|c| !matches!(c, '{' | '}')).collect();
    indexed(&s)
}

/// `command` replaced by `symbol` where it is a whole command (not `\in` of `\infty`), with the
/// one space after it when `letter`.
fn replace_command(s: &str, command: &str, symbol: &str, letter: bool) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(command) {
        let after = &rest[at + command.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push_str(command);
            rest = after;
        } else {
            out.push_str(symbol);
            rest = if letter { after.strip_prefix(' ').unwrap_or(after) } else { after };
        }
    }
    out.push_str(rest);
    out
}

/// The braced group `{…}` at the start of `s` (nested braces kept) and what follows it.
fn group(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix('{')?;
    let mut depth = 1;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&s[..i], &s[i + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_read_as_symbols() {
        assert_eq!(plain("$\\frac{\\partial L}{\\partial Z} = A \\odot f'(Z)$"), "∂L/∂Z = A ⊙ f'(Z)");
        assert_eq!(plain("$\\sigma(z) = \\frac{1}{1 + e^{-z}}$"), "σ(z) = 1/(1 + e^-z)");
        assert_eq!(plain("$$\\sigma(z) \\in (0, 1) \\quad \\text{for all } z$$"), "σ(z) ∈ (0, 1) for all z");
        assert_eq!(plain("$\\infty$"), "∞", "\\in is not read inside \\infty");
    }

    #[test]
    fn listings_leave_the_snippet_and_formulas_stay_as_symbols() {
        let html = "<p>The unit <code>$\\sigma(z)$</code> squashes.</p>\
                    <pre><code class=\"language-rust\">/// Doc.\n#[derive(Clone)]\npub fn f() { todo!() }</code></pre><p>After.</p>";
        let page = Page::read(html);
        let body = indexed(&text_of(html));
        assert!(body.contains("/// Doc."), "{body}");
        assert_eq!(page.prose(&body), "The unit σ(z) squashes. After.");
    }

    #[test]
    fn the_javascript_string_round_trips() {
        let json = r#"{"a":"it's a \\ back"}"#;
        let quoted = json.replace('\\', "\\\\").replace('\'', "\\'");
        assert_eq!(unquote(&quoted), json);
    }
}
