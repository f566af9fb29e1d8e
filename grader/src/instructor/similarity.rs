//! Which submissions look alike: a lead for a person, never a verdict.
//!
//! Each function body a student wrote becomes a stream of tokens with the names, numbers and text
//! taken out (`x`, `weights` and `total` are all one identifier; `0.5` and `2.0` one number), so
//! that renaming, reformatting and comments change nothing. The stream is cut into k-grams and
//! winnowed (Schleimer, Wilkerson and Aiken, *Winnowing: local algorithms for document
//! fingerprinting*, SIGMOD 2003): in every window of `WINDOW` consecutive k-gram hashes the
//! smallest is kept, so that any run of `K + WINDOW − 1` shared tokens is sure to share a
//! fingerprint. The fingerprints of a lab are a set, so the order of the functions does not
//! matter, and dead code inserted only adds fingerprints to one side.
//!
//! Three kinds of fingerprint say nothing about copying and are removed before pairs are scored,
//! as MOSS removes base code: the stub's and the given code's; those held by more than half of the
//! students who submitted the lab (the way everybody writes a loop over rows); and, since k-grams
//! never cross from one body to the next, the short bodies everybody writes alike (a sigmoid in
//! one line) have none at all.
//!
//! A pair's score in a lab is the share of the smaller side's fingerprints that the other side
//! holds too: a copy with dead code added still scores as high as the original.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Tokens a k-gram spans: a run shorter than this shared by two bodies is not evidence.
pub const K: usize = 20;
/// Consecutive k-grams from which one fingerprint is kept.
pub const WINDOW: usize = 10;
/// A lab whose smaller side has fewer fingerprints than this is not scored: too little code.
pub const MIN_PRINTS: usize = 6;
/// The default score from which a pair is listed.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// A token after normalisation, with the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// `V` for a name, `N` for a number, `S` for text or a character, `L` for a lifetime; a
    /// keyword or punctuation as it is.
    pub text: String,
    /// 1-based line.
    pub line: usize,
}

/// Rust's keywords, which stay as they are: they carry the structure of the code.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while",
];

/// Punctuation of two or three characters, longest first.
const PUNCT: &[&str] = &[
    "..=", "...", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=",
    "%=", "^=", "&=", "|=", "<<", ">>", "..",
];

/// The normalised tokens of Rust source `src`; comments and white space are dropped. It never
/// fails: code that does not compile is still tokenised as far as it reads.
pub fn tokens(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let (mut i, mut line) = (0, 1);
    let mut out = Vec::new();
    let mut push = |text: &str, line: usize| out.push(Token { text: text.to_string(), line });
    while i < chars.len() {
        let c = chars[i];
        let start_line = line;
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if rest.starts_with("//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with("/*") {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' || ((c == 'r' || c == 'b') && raw_or_byte_string(&chars[i..]).is_some()) {
            let (hashes, skip) =
                if c == '"' { (0, 1) } else { raw_or_byte_string(&chars[i..]).expect("checked") };
            i += skip;
            while i < chars.len() {
                if chars[i] == '\\' && hashes == 0 {
                    line += usize::from(chars.get(i + 1) == Some(&'\n'));
                    i += 2;
                    continue;
                }
                if chars[i] == '"'
                    && chars[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            push("S", start_line);
        } else if c == '\'' {
            // A character ('a', '\n') or a lifetime ('a).
            if chars.get(i + 2) == Some(&'\'') || chars.get(i + 1) == Some(&'\\') {
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                push("S", start_line);
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                push("L", start_line);
            }
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                    || ((chars[i] == '-' || chars[i] == '+') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            push("N", start_line);
        } else if c.is_alphabetic() || c == '_' {
            let begin = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[begin..i].iter().collect();
            push(if KEYWORDS.contains(&word.as_str()) { &word } else { "V" }, start_line);
        } else if let Some(p) = PUNCT.iter().find(|p| rest.starts_with(**p)) {
            i += p.chars().count();
            push(p, start_line);
        } else {
            i += 1;
            push(&c.to_string(), start_line);
        }
    }
    out
}

/// For `r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`: the number of `#` and the characters before the text.
fn raw_or_byte_string(chars: &[char]) -> Option<(usize, usize)> {
    let mut i = 0;
    if chars.first() == Some(&'b') {
        i += 1;
    }
    let raw = chars.get(i) == Some(&'r');
    if raw {
        i += 1;
    }
    let hashes = if raw { chars[i..].iter().take_while(|&&c| c == '#').count() } else { 0 };
    i += hashes;
    (chars.get(i) == Some(&'"') && i > 0).then_some((hashes, i + 1))
}

/// The bodies of the functions in `tokens` (without their braces), each a slice of tokens: what a
/// student writes. A function inside another belongs to the outer body.
pub fn bodies(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].text != "fn" {
            i += 1;
            continue;
        }
        // The body is the first `{` outside the signature's brackets (generics' `<…>` need no
        // counting: no brace stands in them); a `;` first means a declaration without one.
        let mut depth = 0i32;
        let mut j = i + 1;
        let open = loop {
            match tokens.get(j).map(|t| t.text.as_str()) {
                None => break None,
                Some("(" | "[") => depth += 1,
                Some(")" | "]") => depth -= 1,
                Some(";") if depth <= 0 => break None,
                Some("{") if depth <= 0 => break Some(j),
                _ => {}
            }
            j += 1;
        };
        let Some(open) = open else {
            i = j + 1;
            continue;
        };
        let mut level = 0;
        let mut close = open;
        for (k, t) in tokens.iter().enumerate().skip(open) {
            match t.text.as_str() {
                "{" => level += 1,
                "}" => {
                    level -= 1;
                    if level == 0 {
                        close = k;
                        break;
                    }
                }
                _ => {}
            }
            close = k;
        }
        out.push(&tokens[open + 1..close.max(open + 1)]);
        i = close + 1;
    }
    out
}

/// One fingerprint: the hash of a k-gram and the lines it spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Print {
    /// The k-gram's hash.
    pub hash: u64,
    /// Its first line.
    pub first: usize,
    /// Its last line.
    pub last: usize,
}

/// The winnowed fingerprints of one body: in each window of [`WINDOW`] k-gram hashes, the
/// rightmost smallest (kept once however many windows choose it).
pub fn winnow(body: &[Token]) -> Vec<Print> {
    if body.len() < K {
        return Vec::new();
    }
    let grams: Vec<Print> = body
        .windows(K)
        .map(|gram| {
            let text: Vec<&str> = gram.iter().map(|t| t.text.as_str()).collect();
            Print { hash: crate::cases::fnv1a(&text.join(" ")), first: gram[0].line, last: gram[K - 1].line }
        })
        .collect();
    let mut kept: Vec<usize> = Vec::new();
    for start in 0..grams.len().saturating_sub(WINDOW - 1).max(1) {
        let window = start..(start + WINDOW).min(grams.len());
        let pick = window.clone().rev().min_by_key(|&g| grams[g].hash).expect("a window is never empty");
        if kept.last() != Some(&pick) {
            kept.push(pick);
        }
    }
    kept.into_iter().map(|g| grams[g]).collect()
}

/// The fingerprints of a lab's files, each with the file it is in.
pub type LabPrints = Vec<(String, Print)>;

/// The fingerprints of the function bodies of `files` (name, Rust source).
pub fn lab_prints<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> LabPrints {
    let mut out = Vec::new();
    for (name, src) in files {
        let tokens = tokens(src);
        for body in bodies(&tokens) {
            out.extend(winnow(body).into_iter().map(|p| (name.to_string(), p)));
        }
    }
    out
}

/// One stretch of code two sides share: a file and lines on each side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// File and lines (first, last) on the first side.
    pub a: (String, usize, usize),
    /// File and lines on the second side.
    pub b: (String, usize, usize),
    /// Fingerprints the stretch holds.
    pub prints: usize,
}

/// How alike two sides are in one lab.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Likeness {
    /// The share of the smaller side's fingerprints the other holds, 0 to 1.
    pub score: f64,
    /// Fingerprints shared.
    pub shared: usize,
    /// Fingerprints of each side (after the base code and the class's common ones are removed).
    pub sizes: (usize, usize),
    /// The shared stretches, largest first.
    pub regions: Vec<Region>,
}

/// How alike `a` and `b` are once the fingerprints in `ignored` are left out; `None` when the
/// smaller side has fewer than [`MIN_PRINTS`].
pub fn likeness(a: &LabPrints, b: &LabPrints, ignored: &BTreeSet<u64>) -> Option<Likeness> {
    let hashes = |side: &LabPrints| -> BTreeSet<u64> {
        side.iter().map(|(_, p)| p.hash).filter(|h| !ignored.contains(h)).collect()
    };
    let (ha, hb) = (hashes(a), hashes(b));
    let smaller = ha.len().min(hb.len());
    if smaller < MIN_PRINTS {
        return None;
    }
    let shared: BTreeSet<u64> = ha.intersection(&hb).copied().collect();
    let first = |side: &LabPrints, hash: u64| side.iter().find(|(_, p)| p.hash == hash).cloned();
    let mut pairs: Vec<((String, Print), (String, Print))> =
        shared.iter().filter_map(|&h| Some((first(a, h)?, first(b, h)?))).collect();
    pairs.sort_by(|x, y| (&x.0.0, x.0.1.first).cmp(&(&y.0.0, y.0.1.first)));
    let mut regions: Vec<Region> = Vec::new();
    for ((fa, pa), (fb, pb)) in pairs {
        // A print continues the last stretch when it starts where the stretch ends (or within
        // it) on both sides.
        let near = |r: &(String, usize, usize), f: &str, p: &Print| {
            r.0 == f && p.first + 1 >= r.1 && p.first <= r.2 + 1
        };
        match regions.last_mut() {
            Some(r) if near(&r.a, &fa, &pa) && near(&r.b, &fb, &pb) => {
                r.a.2 = r.a.2.max(pa.last);
                r.b.1 = r.b.1.min(pb.first);
                r.b.2 = r.b.2.max(pb.last);
                r.prints += 1;
            }
            _ => regions.push(Region { a: (fa, pa.first, pa.last), b: (fb, pb.first, pb.last), prints: 1 }),
        }
    }
    regions.sort_by(|x, y| y.prints.cmp(&x.prints).then_with(|| (&x.a.0, x.a.1).cmp(&(&y.a.0, y.a.1))));
    Some(Likeness {
        score: shared.len() as f64 / smaller as f64,
        shared: shared.len(),
        sizes: (ha.len(), hb.len()),
        regions,
    })
}

/// The fingerprints to leave out of every comparison in a lab: the base code's (`base`) and those
/// more than half of the `students` hold (when at least four do).
pub fn ignored(base: &LabPrints, students: &[&LabPrints]) -> BTreeSet<u64> {
    let mut held: BTreeMap<u64, usize> = BTreeMap::new();
    for prints in students {
        let hashes: BTreeSet<u64> = prints.iter().map(|(_, p)| p.hash).collect();
        for h in hashes {
            *held.entry(h).or_default() += 1;
        }
    }
    let common = held.into_iter().filter(|&(_, n)| n >= 4 && 2 * n > students.len()).map(|(h, _)| h);
    base.iter().map(|(_, p)| p.hash).chain(common).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = r#"
/// Doc comments do not count.
pub fn backward(x: &[f64], w: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    for i in 0..x.len() {
        let mut total = 0.0;
        for j in 0..w.len() {
            if j % 2 == 0 { total += x[i] * w[j]; } else { total -= x[i] / (w[j] + 1.0); }
        }
        out[i] = total.max(0.0) * 2.0 + "text".len() as f64;
    }
    out
}

pub fn short(z: f64) -> f64 { 1.0 / (1.0 + (-z).exp()) }
"#;

    /// The original renamed, reformatted, with a comment and dead code.
    const DISGUISED: &str = r#"
pub fn short(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}
pub fn backward(inputs: &[f64], weights: &[f64]) -> Vec<f64> {
    let unused_counter = 17; // never read
    let mut result = vec![0.0; inputs.len()];
    for a in 0..inputs.len() {
        let mut acc = 0.0;
        for b in 0..weights.len() {
            if b % 2 == 0 {
                acc += inputs[a] * weights[b];
            } else {
                acc -= inputs[a] / (weights[b] + 1.0);
            }
        }
        result[a] = acc.max(0.0) * 2.0 + "other".len() as f64;
    }
    result
}
"#;

    #[test]
    fn names_numbers_text_comments_and_layout_are_taken_out() {
        let t: Vec<String> = tokens("let x_1 = 2.5e-3 + y; // hi\n/* a /* b */ c */ 'a' r#\"q\"\"# 'b ..=")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["let", "V", "=", "N", "+", "V", ";", "S", "S", "L", "..="]);
        let lines: Vec<usize> = tokens("a\n\n/* \n */ b \"x\ny\" c").iter().map(|t| t.line).collect();
        assert_eq!(lines, [1, 4, 4, 5]);
    }

    #[test]
    fn only_function_bodies_are_read() {
        let t = tokens(
            "struct S { a: u8 }\ntrait T { fn f(&self); }\nimpl S { fn g(&self) -> Vec<u8> { vec![1] } }",
        );
        let b: Vec<Vec<&str>> =
            bodies(&t).iter().map(|b| b.iter().map(|t| t.text.as_str()).collect()).collect();
        assert_eq!(b, vec![vec!["V", "!", "[", "N", "]"]]);
    }

    #[test]
    fn a_disguised_copy_scores_as_the_original_and_one_liners_count_for_nothing() {
        let a = lab_prints([("lib.rs", ORIGINAL)]);
        let b = lab_prints([("lib.rs", DISGUISED)]);
        let like = likeness(&a, &b, &BTreeSet::new()).expect("enough code");
        assert!(like.score > 0.9, "{like:?}");
        // The shared stretch is the loop, on the lines each side has it.
        let top = &like.regions[0];
        assert!(top.a.1 >= 4 && top.a.2 <= 13 && top.b.1 >= 6 && top.b.2 <= 20, "{top:?}");
        // The one-line function gives no fingerprint at all.
        assert!(winnow(bodies(&tokens(ORIGINAL))[1]).is_empty());
        // Leaving out what both hold leaves nothing to compare.
        let everything: BTreeSet<u64> = a.iter().map(|(_, p)| p.hash).collect();
        assert!(likeness(&a, &b, &everything).is_none());
    }

    #[test]
    fn winnowing_keeps_a_print_in_every_window() {
        let body = tokens(&"a + b * c - ".repeat(20));
        let prints = winnow(&body);
        let grams = body.len() - K + 1;
        assert!(!prints.is_empty() && prints.len() < grams);
        // Different code, different prints.
        let other = winnow(&tokens(&"if a { b } else { c } ".repeat(20)));
        let shared = prints.iter().filter(|p| other.iter().any(|q| q.hash == p.hash)).count();
        assert_eq!(shared, 0);
    }

    #[test]
    fn what_most_of_the_class_holds_is_ignored() {
        let common = lab_prints([("lib.rs", ORIGINAL)]);
        let other = "fn f() { while a < b { if c { d(e, f)?; } else { return g; } } loop { match h { Some(i) => \
                     j.push(i), None => break } } let k: Vec<_> = l.iter().map(|m| m * 2).collect(); k.len() }";
        let own = lab_prints([("lib.rs", other)]);
        assert!(
            own.len() >= MIN_PRINTS && own.iter().all(|(_, p)| common.iter().all(|(_, q)| q.hash != p.hash))
        );
        let class = [&common, &common, &common, &common, &own];
        let ignored = ignored(&Vec::new(), &class);
        assert!(common.iter().all(|(_, p)| ignored.contains(&p.hash)));
        // Three of five is a majority but not four students: kept.
        assert!(super::ignored(&Vec::new(), &[&common, &common, &common, &own, &own]).is_empty());
    }
}
