//! Mutants of the reference, derived mechanically and compiled together: every mutation point of
//! `lib.rs` becomes a branch on the active mutant (mutation schemata), so one build holds them all
//! and a probe runs any of them. The operators are those cargo-mutants uses on expressions: an
//! arithmetic operator swapped, a comparison that takes its boundary the other way, `==` for `!=`,
//! `&&` for `||`, a negation dropped, a constant set to 0, 1 or 2, a term of a sum dropped, a
//! statement that updates state dropped; and two that students make and cargo-mutants does not
//! try: two neighbouring updates swapped, a rounding done another way, ε moved out of a square
//! root, and a division by n − 1 instead of n.
//!
//! The original branch comes first in each `if`, so a mutant that does not type-check is the one
//! the compiler blames (see [`blame`]); the builder drops it and builds again.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use quote::ToTokens;
use serde::{Deserialize, Serialize};
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{BinOp, Expr, ExprLit, Lit, Stmt, UnOp, parse_quote};

/// What a mutant changes, as the diagnosis sentences and the survivors list group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// `+` for `−`, `×` for `÷`, and back.
    Arithmetic,
    /// `<` for `≤`, `>` for `≥`, and back: the boundary counted on the other side.
    Boundary,
    /// `==` for `!=`, and back.
    Equality,
    /// `&&` for `||`, and back.
    Logic,
    /// A unary `−` or `!` dropped.
    Negation,
    /// A numeric constant set to 0, 1 or 2.
    Constant,
    /// One term of a sum or difference dropped.
    Term,
    /// A statement that assigns or updates dropped.
    Statement,
    /// Two neighbouring updates done in the other order.
    Order,
    /// A rounding done another way (`floor`, `ceil`, `round`).
    Rounding,
    /// A term moved out of a square root (`(v + ε).sqrt()` → `v.sqrt() + ε`), or into one.
    Root,
    /// A division by n − 1 instead of n (a sample statistic).
    Sample,
}

impl Class {
    /// The classes from the most telling to the least: when mutants of several classes match a
    /// student's answers, the diagnosis names the first of them that has a sentence (a sign
    /// function that says 1 at 0 is both a boundary taken the other way and a constant changed).
    pub const PRIORITY: [Class; 12] = [
        Class::Order,
        Class::Rounding,
        Class::Root,
        Class::Sample,
        Class::Boundary,
        Class::Term,
        Class::Statement,
        Class::Negation,
        Class::Arithmetic,
        Class::Constant,
        Class::Equality,
        Class::Logic,
    ];
}

/// One mutant: where it is and what it changes, in the reference's own text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mutant {
    /// Its number in the schemata build (from 1; 0 is the reference).
    pub id: u32,
    /// The function it is in.
    pub function: String,
    /// Its line in the reference's `lib.rs`.
    pub line: usize,
    /// What kind of change it is.
    pub class: Class,
    /// The original expression or statement.
    pub from: String,
    /// What the mutant has instead.
    pub to: String,
}

impl Mutant {
    /// A name that survives edits elsewhere in the file: the function and the change (the line
    /// is left out), numbered when the same change occurs twice in one function.
    pub fn key(&self) -> String {
        format!("{}: {} → {}", self.function, self.from, self.to)
    }
}

/// The reference's `lib.rs` as a schemata build, without the mutants in `disabled`, and every
/// mutant it holds.
pub fn rewrite(source: &str, disabled: &BTreeSet<u32>) -> Result<(String, Vec<Mutant>)> {
    let mut file = syn::parse_file(source).context("the reference does not parse")?;
    let mut mutator = Mutator { disabled, next: 0, function: None, mutants: Vec::new() };
    mutator.visit_file_mut(&mut file);
    file.items.push(parse_quote! {
        /// Which mutant is active (generated for mutation testing; 0: none).
        #[doc(hidden)]
        #[allow(missing_docs)]
        pub mod __nnlab_mutants {
            use std::sync::atomic::{AtomicU32, Ordering};
            static ACTIVE: AtomicU32 = AtomicU32::new(0);
            /// Makes mutant `k` the active one.
            pub fn select(k: u32) {
                ACTIVE.store(k, Ordering::Relaxed);
            }
            /// The active mutant.
            pub fn active() -> u32 {
                ACTIVE.load(Ordering::Relaxed)
            }
        }
    });
    file.items.push(parse_quote! {
        #[allow(dead_code)]
        fn __nnlab_m(k: u32) -> bool {
            __nnlab_mutants::active() == k
        }
    });
    file.items.push(parse_quote! {
        #[allow(dead_code)]
        fn __nnlab_off(ks: &[u32]) -> bool {
            !ks.contains(&__nnlab_mutants::active())
        }
    });
    let mut all = mutator.mutants;
    // Two identical changes in one function get a number, so that every key names one mutant.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for m in &mut all {
        let n = seen.entry(m.key()).or_default();
        *n += 1;
        if *n > 1 {
            m.to = format!("{} (#{n})", m.to);
        }
    }
    let kept = all.into_iter().filter(|m| !disabled.contains(&m.id)).collect();
    Ok((file.into_token_stream().to_string(), kept))
}

struct Mutator<'a> {
    disabled: &'a BTreeSet<u32>,
    next: u32,
    function: Option<String>,
    mutants: Vec<Mutant>,
}

fn text(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string()
}

/// A statement that only assigns or updates a place (`x = …;`, `x += …;`): one a slip may drop,
/// or do before or after its neighbour.
fn is_update(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(Expr::Assign(_), Some(_)) => true,
        Stmt::Expr(Expr::Binary(b), Some(_)) => {
            matches!(
                b.op,
                BinOp::AddAssign(_) | BinOp::SubAssign(_) | BinOp::MulAssign(_) | BinOp::DivAssign(_)
            )
        }
        _ => false,
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"))
}

impl Mutator<'_> {
    /// Numbers a new mutant; `None` when it is disabled (its number stays taken, so that the
    /// numbers of the others do not move between builds).
    fn add(&mut self, line: usize, class: Class, from: String, to: String) -> Option<u32> {
        self.next += 1;
        let id = self.next;
        let function = self.function.clone()?;
        self.mutants.push(Mutant { id, function, line, class, from, to });
        (!self.disabled.contains(&id)).then_some(id)
    }

    /// The mutations of one expression, built from its original text.
    fn variants(&mut self, expr: &Expr) -> Vec<(u32, Expr)> {
        let line = expr.span().start().line;
        let mut out = Vec::new();
        let mut push = |this: &mut Self, class: Class, to: Expr| {
            if let Some(id) = this.add(line, class, text(expr), text(&to)) {
                out.push((id, to));
            }
        };
        match expr {
            Expr::Binary(b) => {
                use BinOp::*;
                let swapped: &[(BinOp, Class)] = match b.op {
                    Add(_) => &[(Sub(Default::default()), Class::Arithmetic)],
                    Sub(_) => &[(Add(Default::default()), Class::Arithmetic)],
                    Mul(_) => &[(Div(Default::default()), Class::Arithmetic)],
                    Div(_) => &[(Mul(Default::default()), Class::Arithmetic)],
                    AddAssign(_) => &[(SubAssign(Default::default()), Class::Arithmetic)],
                    SubAssign(_) => &[(AddAssign(Default::default()), Class::Arithmetic)],
                    MulAssign(_) => &[(DivAssign(Default::default()), Class::Arithmetic)],
                    DivAssign(_) => &[(MulAssign(Default::default()), Class::Arithmetic)],
                    Lt(_) => &[(Le(Default::default()), Class::Boundary)],
                    Le(_) => &[(Lt(Default::default()), Class::Boundary)],
                    Gt(_) => &[(Ge(Default::default()), Class::Boundary)],
                    Ge(_) => &[(Gt(Default::default()), Class::Boundary)],
                    Eq(_) => &[(Ne(Default::default()), Class::Equality)],
                    Ne(_) => &[(Eq(Default::default()), Class::Equality)],
                    And(_) => &[(Or(Default::default()), Class::Logic)],
                    Or(_) => &[(And(Default::default()), Class::Logic)],
                    _ => &[],
                };
                for (op, class) in swapped {
                    let mut to = b.clone();
                    to.op = *op;
                    push(self, *class, Expr::Binary(to));
                }
                if let (Add(_), Expr::MethodCall(root)) = (b.op, &*b.left)
                    && root.method == "sqrt"
                    && root.args.is_empty()
                {
                    // a.sqrt() + b → (a + b).sqrt(): ε moved into the root. `a` may be a
                    // reference (a method call derefs it, `+` does not): of the two forms, the
                    // one that does not type-check is dropped.
                    let (a, e) = (&root.receiver, &b.right);
                    push(self, Class::Root, parse_quote! { (#a + #e).sqrt() });
                    push(self, Class::Root, parse_quote! { (*#a + #e).sqrt() });
                }
                if matches!(b.op, Div(_)) {
                    let (x, d) = (&b.left, &b.right);
                    push(self, Class::Sample, parse_quote! { #x / (#d - 1.0) });
                }
                if matches!(b.op, Add(_) | Sub(_)) {
                    push(self, Class::Term, (*b.left).clone());
                    if matches!(b.op, Add(_)) {
                        push(self, Class::Term, (*b.right).clone());
                    }
                }
            }
            Expr::MethodCall(call) if call.args.is_empty() => {
                let name = call.method.to_string();
                if name == "sqrt" {
                    // (a + b).sqrt() → a.sqrt() + b: the ε of RMSProp, Adam and batch norm.
                    let mut receiver = &*call.receiver;
                    while let Expr::Paren(p) = receiver {
                        receiver = &p.expr;
                    }
                    if let Expr::Binary(b) = receiver
                        && matches!(b.op, BinOp::Add(_))
                    {
                        let (a, e) = (&b.left, &b.right);
                        push(self, Class::Root, parse_quote! { (#a).sqrt() + #e });
                    }
                }
                const ROUNDINGS: [&str; 3] = ["floor", "ceil", "round"];
                if ROUNDINGS.contains(&name.as_str()) {
                    for other in ROUNDINGS.iter().filter(|r| **r != name) {
                        let mut to = call.clone();
                        to.method = syn::Ident::new(other, call.method.span());
                        push(self, Class::Rounding, Expr::MethodCall(to));
                    }
                }
            }
            Expr::Unary(u) if matches!(u.op, UnOp::Neg(_) | UnOp::Not(_)) => {
                push(self, Class::Negation, (*u.expr).clone());
            }
            Expr::Lit(ExprLit { lit: Lit::Float(f), .. }) => {
                let value: f64 = f.base10_parse().unwrap_or(f64::NAN);
                for c in [0.0, 1.0, 2.0] {
                    if value != c {
                        let lit = syn::LitFloat::new(&format!("{c:.1}{}", f.suffix()), f.span());
                        push(
                            self,
                            Class::Constant,
                            Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Float(lit) }),
                        );
                    }
                }
            }
            Expr::Lit(ExprLit { lit: Lit::Int(i), .. }) => {
                let value: u128 = i.base10_parse().unwrap_or(u128::MAX);
                for c in [0u128, 1, 2] {
                    if value != c {
                        let lit = syn::LitInt::new(&format!("{c}{}", i.suffix()), i.span());
                        push(
                            self,
                            Class::Constant,
                            Expr::Lit(ExprLit { attrs: Vec::new(), lit: Lit::Int(lit) }),
                        );
                    }
                }
            }
            _ => {}
        }
        out
    }
}

impl VisitMut for Mutator<'_> {
    fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
        if !is_cfg_test(&m.attrs) {
            visit_mut::visit_item_mod_mut(self, m);
        }
    }

    // Constants and statics are evaluated at compile time, where no mutant can be chosen.
    fn visit_item_const_mut(&mut self, _: &mut syn::ItemConst) {}
    fn visit_item_static_mut(&mut self, _: &mut syn::ItemStatic) {}
    fn visit_impl_item_const_mut(&mut self, _: &mut syn::ImplItemConst) {}

    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        if f.sig.constness.is_some() || is_cfg_test(&f.attrs) {
            return;
        }
        self.function = Some(f.sig.ident.to_string());
        visit_mut::visit_item_fn_mut(self, f);
        self.function = None;
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.constness.is_some() {
            return;
        }
        self.function = Some(f.sig.ident.to_string());
        visit_mut::visit_impl_item_fn_mut(self, f);
        self.function = None;
    }

    // Array lengths and patterns must be constants.
    fn visit_expr_repeat_mut(&mut self, r: &mut syn::ExprRepeat) {
        self.visit_expr_mut(&mut r.expr);
    }
    fn visit_pat_mut(&mut self, _: &mut syn::Pat) {}

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let updates: Vec<bool> = block.stmts.iter().map(is_update).collect();
        // Swaps of neighbouring updates are numbered first, from the statements as written.
        let mut swaps: Vec<(usize, u32)> = Vec::new();
        if self.function.is_some() {
            for i in 0..block.stmts.len().saturating_sub(1) {
                if updates[i] && updates[i + 1] {
                    let (a, b) = (&block.stmts[i], &block.stmts[i + 1]);
                    let line = a.span().start().line;
                    let from = format!("{} {}", text(a), text(b));
                    if let Some(id) =
                        self.add(line, Class::Order, from, "(the two in the other order)".into())
                    {
                        swaps.push((i, id));
                    }
                }
            }
        }
        for (stmt, update) in block.stmts.iter_mut().zip(&updates) {
            let id = if *update && self.function.is_some() {
                let line = stmt.span().start().line;
                self.add(line, Class::Statement, text(stmt), "(statement dropped)".into())
            } else {
                None
            };
            visit_mut::visit_stmt_mut(self, stmt);
            if let (Some(id), Stmt::Expr(e, Some(_))) = (id, &*stmt) {
                let e = e.clone();
                *stmt = parse_quote! { if !crate::__nnlab_m(#id) { #e; } };
            }
        }
        // Each run of neighbouring updates becomes one chain: as written, or with one pair swapped.
        let mut i = 0;
        let mut stmts = Vec::new();
        while i < block.stmts.len() {
            let in_run: Vec<(usize, u32)> = {
                let mut run = Vec::new();
                let mut j = i;
                while let Some(&(at, id)) = swaps.iter().find(|(at, _)| *at == j) {
                    run.push((at, id));
                    j += 1;
                }
                run
            };
            if in_run.is_empty() {
                stmts.push(block.stmts[i].clone());
                i += 1;
                continue;
            }
            let end = in_run.last().expect("not empty").0 + 2;
            let run: Vec<Stmt> = block.stmts[i..end].to_vec();
            let ids: Vec<u32> = in_run.iter().map(|(_, id)| *id).collect();
            let (last_at, last_id) = *in_run.last().expect("not empty");
            let swapped = |at: usize| {
                let mut r = run.clone();
                r.swap(at - i, at - i + 1);
                r
            };
            let last = swapped(last_at);
            let mut chain: Expr =
                parse_quote! { if crate::__nnlab_m(#last_id) { #(#last)* } else { unreachable!() } };
            for &(at, id) in in_run[..in_run.len() - 1].iter().rev() {
                let r = swapped(at);
                chain = parse_quote! { if crate::__nnlab_m(#id) { #(#r)* } else #chain };
            }
            stmts.push(parse_quote! { if crate::__nnlab_off(&[#(#ids),*]) { #(#run)* } else #chain });
            i = end;
        }
        block.stmts = stmts;
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if self.function.is_none() {
            return visit_mut::visit_expr_mut(self, expr);
        }
        // Closures' bodies, macros' arguments and the like are visited as they come; only
        // expressions with something to change become a branch.
        let variants = self.variants(expr);
        visit_mut::visit_expr_mut(self, expr);
        if variants.is_empty() {
            return;
        }
        let ids: Vec<u32> = variants.iter().map(|(id, _)| *id).collect();
        // A flat chain: the original first, then each variant behind its own test, so that the
        // compiler places a variant's type error on that variant's `if`.
        let (id, last) = variants.last().expect("not empty");
        let mut chain: Expr = parse_quote! { if crate::__nnlab_m(#id) { #last } else { unreachable!() } };
        for (id, to) in variants[..variants.len() - 1].iter().rev() {
            chain = parse_quote! { if crate::__nnlab_m(#id) { #to } else #chain };
        }
        let original = expr.clone();
        *expr = parse_quote! { (if crate::__nnlab_off(&[#(#ids),*]) { #original } else #chain) };
    }
}

/// Where the compiler places one error: its primary spans and its labels' (line, column from 1,
/// as rustc counts them).
#[derive(Clone, Debug, Default)]
pub struct ErrorAt {
    /// Where the error is.
    pub primary: Vec<(usize, usize)>,
    /// What the labels point at ("expected because of this", the other branch, …).
    pub labels: Vec<(usize, usize)>,
}

/// Which mutants to blame for compiler errors in the build of `generated`: for each error, the
/// innermost mutated `if` its primary span starts in; failing that, those its labels start in.
pub fn blame(generated: &str, errors: &[ErrorAt]) -> Result<BTreeSet<u32>> {
    let file = syn::parse_file(generated).context("the schemata build does not parse")?;
    let mut branches = Branches::default();
    branches.visit_file(&file);
    let innermost = |&(line, column): &(usize, usize)| {
        let at = (line, column.saturating_sub(1));
        branches
            .spans
            .iter()
            .filter(|b| b.1 <= at && at <= b.2)
            // Smaller spans first: lines, then columns (a one-line build has them all on line 1).
            .min_by_key(|b| ((b.2.0 - b.1.0), b.2.1.abs_diff(b.1.1)))
            .map(|b| b.0)
    };
    let mut blamed = BTreeSet::new();
    for error in errors {
        let primary: BTreeSet<u32> = error.primary.iter().filter_map(innermost).collect();
        if primary.is_empty() {
            blamed.extend(error.labels.iter().filter_map(innermost));
        } else {
            blamed.extend(primary);
        }
    }
    Ok(blamed)
}

/// The `if`s of a schemata build's variants (`if __nnlab_m(K) { variant } else …`): mutant,
/// start and end (line, column from 0).
#[derive(Default)]
struct Branches {
    spans: Vec<(u32, Place, Place)>,
}

/// A place in a file: line (from 1), column (from 0).
type Place = (usize, usize);

/// The mutant `K` of a condition `__nnlab_m(K)` (or `!__nnlab_m(K)`, a dropped statement's).
fn mutant_of(cond: &Expr) -> Option<u32> {
    let call = match cond {
        Expr::Unary(u) if matches!(u.op, UnOp::Not(_)) => &*u.expr,
        other => other,
    };
    let Expr::Call(call) = call else { return None };
    let Expr::Path(p) = &*call.func else { return None };
    if p.path.segments.last()?.ident != "__nnlab_m" {
        return None;
    }
    match call.args.first()? {
        Expr::Lit(ExprLit { lit: Lit::Int(i), .. }) => i.base10_parse().ok(),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Branches {
    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        if let Some(id) = mutant_of(&e.cond) {
            let span = e.span();
            let (s, t) = (span.start(), span.end());
            self.spans.push((id, (s.line, s.column), (t.line, t.column)));
        }
        syn::visit::visit_expr_if(self, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "
        /// Doc.
        pub fn f(x: f64, n: usize) -> f64 {
            let mut s = 0.0;
            for i in 0..n {
                if x > 1.0 { s += x * 2.0; }
            }
            -s
        }
        const K: usize = 3 + 4;
        #[cfg(test)]
        mod tests { fn g() -> i32 { 1 + 1 } }
    ";

    #[test]
    fn every_operator_of_a_function_is_mutated_and_constants_and_tests_are_not() {
        let (generated, mutants) = rewrite(SOURCE, &BTreeSet::new()).unwrap();
        let classes: BTreeSet<Class> = mutants.iter().map(|m| m.class).collect();
        for class in [Class::Arithmetic, Class::Boundary, Class::Negation, Class::Constant, Class::Statement]
        {
            assert!(classes.contains(&class), "{class:?} missing: {mutants:#?}");
        }
        assert!(mutants.iter().all(|m| m.function == "f"), "{mutants:#?}");
        assert!(mutants.iter().any(|m| m.from == "x > 1.0" && m.to == "x >= 1.0" && m.line == 6));
        assert!(generated.contains("const K : usize = 3 + 4"), "constants stay as they are");
        syn::parse_file(&generated).unwrap();
        let ids: BTreeSet<u32> = mutants.iter().map(|m| m.id).collect();
        assert_eq!(ids.len(), mutants.len(), "one number per mutant");
    }

    #[test]
    fn neighbouring_updates_are_swapped_and_roundings_exchanged() {
        let source = "
            /// Doc.
            pub fn step(v: &mut f64, w: &mut f64, g: f64) -> usize {
                *v = 0.9 * *v - g;
                *w += *v;
                (g * 10.0).ceil() as usize
            }
        ";
        let (generated, mutants) = rewrite(source, &BTreeSet::new()).unwrap();
        let swap = mutants.iter().find(|m| m.class == Class::Order).expect("a swap");
        assert_eq!(swap.from, "* v = 0.9 * * v - g ; * w += * v ;");
        let roundings: Vec<&str> =
            mutants.iter().filter(|m| m.class == Class::Rounding).map(|m| m.to.as_str()).collect();
        assert_eq!(roundings, ["(g * 10.0) . floor ()", "(g * 10.0) . round ()"]);
        syn::parse_file(&generated).unwrap();
    }

    #[test]
    fn a_disabled_mutant_is_left_out_and_the_others_keep_their_numbers() {
        let (_, all) = rewrite(SOURCE, &BTreeSet::new()).unwrap();
        let (generated, kept) = rewrite(SOURCE, &BTreeSet::from([all[0].id])).unwrap();
        assert_eq!(kept, all[1..].to_vec());
        assert!(!generated.contains(&format!("__nnlab_m ({}u32)", all[0].id)));
    }

    #[test]
    fn an_error_inside_a_mutated_branch_blames_that_mutant() {
        let (generated, mutants) = rewrite(SOURCE, &BTreeSet::new()).unwrap();
        // Find where one mutant's branch starts in the one-line build and blame a column inside.
        let target = mutants.iter().find(|m| m.to == "x >= 1.0").unwrap();
        let marker = format!("crate :: __nnlab_m ({}u32) {{", target.id);
        let at = generated.find(&marker).expect("the branch is in the build") + marker.len() + 2;
        let column = generated[..at].chars().count() + 1;
        let error = ErrorAt { primary: vec![(1, column)], labels: Vec::new() };
        assert_eq!(blame(&generated, &[error]).unwrap(), BTreeSet::from([target.id]));
    }
}
