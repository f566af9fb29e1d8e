//! What the registry's checks read from the Rust sources: which functions of a stub still hold a
//! `todo!()`, and which functions each function of a reference calls. Read with `syn`, so that
//! comments, strings and formatting never count as code.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use syn::visit::Visit;
use syn::{ImplItem, Item, UseTree};

/// The functions of one source file, by name (`f`, or `Type::f` for a method).
#[derive(Debug, Default)]
pub struct Functions {
    /// What each function calls, as written: `f`, `Type::f`, `some_crate::f`, or `.f` for a
    /// method call (whose receiver's type the source alone does not say).
    pub calls: BTreeMap<String, BTreeSet<String>>,
    /// The functions whose body is, or holds, `todo!()`.
    pub todo: BTreeSet<String>,
    /// Names brought in by `use some_crate::{…}`: name → crate.
    pub imports: BTreeMap<String, String>,
    /// Every function, in the order the file defines them.
    pub order: Vec<String>,
}

impl Functions {
    /// Reads a source file.
    pub fn parse(source: &str) -> Result<Functions> {
        let file = syn::parse_file(source).context("the source does not parse")?;
        let mut out = Functions::default();
        for item in &file.items {
            match item {
                Item::Fn(f) => out.add(f.sig.ident.to_string(), &f.block, None),
                Item::Impl(imp) => {
                    let ty = match &*imp.self_ty {
                        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    };
                    let Some(ty) = ty else { continue };
                    for it in &imp.items {
                        if let ImplItem::Fn(f) = it {
                            out.add(format!("{ty}::{}", f.sig.ident), &f.block, Some(&ty));
                        }
                    }
                }
                Item::Use(u) => imports(&u.tree, None, &mut out.imports),
                _ => {}
            }
        }
        Ok(out)
    }

    fn add(&mut self, name: String, body: &syn::Block, self_ty: Option<&str>) {
        let mut calls = Calls { self_ty, found: BTreeSet::new(), todo: false };
        calls.visit_block(body);
        if calls.todo {
            self.todo.insert(name.clone());
        }
        self.order.push(name.clone());
        self.calls.insert(name, calls.found);
    }
}

/// Collects the calls in one function body.
struct Calls<'a> {
    self_ty: Option<&'a str>,
    found: BTreeSet<String>,
    todo: bool,
}

impl<'ast> Visit<'ast> for Calls<'_> {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*call.func {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| match (s.ident.to_string().as_str(), self.self_ty) {
                    ("Self", Some(ty)) => ty.to_string(),
                    (name, _) => name.to_string(),
                })
                .collect();
            self.found.insert(segments.join("::"));
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.found.insert(format!(".{}", call.method));
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.todo |= mac.path.is_ident("todo");
        syn::visit::visit_macro(self, mac);
    }
}

/// The names a `use` tree imports from another crate (not `crate::`, `self::`, `super::` or std).
fn imports(tree: &UseTree, krate: Option<&str>, out: &mut BTreeMap<String, String>) {
    match tree {
        UseTree::Path(p) => {
            let name = p.ident.to_string();
            let krate = krate.unwrap_or(&name);
            if !["crate", "self", "super", "std", "core", "alloc"].contains(&krate) {
                imports(&p.tree, Some(krate), out);
            }
        }
        UseTree::Name(n) => {
            if let Some(k) = krate {
                out.insert(n.ident.to_string(), k.to_string());
            }
        }
        UseTree::Rename(r) => {
            if let Some(k) = krate {
                out.insert(r.rename.to_string(), k.to_string());
            }
        }
        UseTree::Group(g) => g.items.iter().for_each(|t| imports(t, krate, out)),
        UseTree::Glob(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_todo_and_imports_are_read_from_the_syntax() {
        let f = Functions::parse(
            "use other_lab::{backward, Adam as Opt};\n\
             use std::fmt;\n\
             /// calls helper() in a doc comment\n\
             pub fn a(x: f64) -> f64 { let s = \"b(x)\"; helper(x) + Opt::new(1.0).step() }\n\
             fn helper(x: f64) -> f64 { backward(x) }\n\
             pub struct S;\n\
             impl S { pub fn m(&self) -> f64 { Self::n() } fn n() -> f64 { todo!() } }\n",
        )
        .unwrap();
        let calls = |name: &str| f.calls[name].iter().map(String::as_str).collect::<Vec<_>>();
        assert_eq!(calls("a"), [".step", "Opt::new", "helper"]);
        assert_eq!(calls("helper"), ["backward"]);
        assert_eq!(calls("S::m"), ["S::n"]);
        assert_eq!(f.todo.iter().collect::<Vec<_>>(), ["S::n"]);
        assert_eq!(f.imports.get("backward").map(String::as_str), Some("other_lab"));
        assert_eq!(f.imports.get("Opt").map(String::as_str), Some("other_lab"));
        assert!(!f.imports.contains_key("fmt"));
    }
}
