//! The course's registry: the fixture files (`fixtures/labs/<lab>.yaml`) are the one list of labs
//! and exercises, with each exercise's functions and the exercises it calls. Every other list of
//! labs in the tree is generated from them ([`crate::generate`]), and [`Registry::detected_calls`] reads the
//! reference to check that the declared calls are not missing one.

pub mod source;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use nnlab_check::LabFixture;

use crate::workspace::Workspace;
use source::Functions;

/// An exercise as `(lab, exercise)`.
pub type ExerciseId = (String, String);

/// Every lab of the course, in order.
pub struct Registry {
    /// The fixture of each lab.
    pub labs: Vec<LabFixture>,
}

impl Registry {
    /// Reads every fixture of the tree.
    pub fn load(ws: &Workspace) -> Result<Registry> {
        Ok(Registry { labs: ws.labs()?.iter().map(|lab| ws.fixture(lab)).collect::<Result<_>>()? })
    }

    /// The lab called `name`.
    pub fn lab(&self, name: &str) -> Option<&LabFixture> {
        self.labs.iter().find(|l| l.lab == name)
    }

    /// The other labs `lab`'s exercises call, in course order.
    pub fn builds_on(&self, lab: &LabFixture) -> Vec<&LabFixture> {
        let called: BTreeSet<&str> = lab
            .exercises
            .iter()
            .flat_map(|e| e.callees(&lab.lab))
            .map(|(l, _)| l)
            .filter(|l| *l != lab.lab)
            .collect();
        self.labs.iter().filter(|l| called.contains(l.lab.as_str())).collect()
    }

    /// The exercise whose functions include `function` in `lab`.
    fn owner(&self, lab: &str, function: &str) -> Option<ExerciseId> {
        let fixture = self.lab(lab)?;
        let ex = fixture.exercises.iter().find(|e| e.functions().contains(&function))?;
        Some((lab.to_string(), ex.name.clone()))
    }

    /// The exercises each exercise of `lab`'s reference calls, directly or through functions that
    /// are no exercise (private helpers, given code). Method calls (`x.step()`) are not resolved:
    /// the receiver's type is not in the syntax, so such calls must be declared by hand.
    pub fn detected_calls(
        &self,
        ws: &Workspace,
        lab: &str,
    ) -> Result<BTreeMap<String, BTreeSet<ExerciseId>>> {
        let fixture = self.lab(lab).with_context(|| format!("no lab {lab}"))?;
        let mut functions = Functions::default();
        for reference in ws.reference_files(lab)? {
            let text = std::fs::read_to_string(&reference)?;
            let f = Functions::parse(&text).with_context(|| format!("reading {}", reference.display()))?;
            functions.calls.extend(f.calls);
            functions.imports.extend(f.imports);
        }
        let crate_lab = |krate: &str| self.labs.iter().find(|l| l.lab.replace('-', "_") == krate);
        let mut out = BTreeMap::new();
        for ex in &fixture.exercises {
            let mut found = BTreeSet::new();
            let mut seen: BTreeSet<String> = ex.functions().iter().map(|f| f.to_string()).collect();
            let mut todo: Vec<String> = seen.iter().cloned().collect();
            while let Some(function) = todo.pop() {
                for callee in functions.calls.get(&function).into_iter().flatten() {
                    let head = callee.split("::").next().unwrap_or(callee);
                    let target = if let Some(other) = functions.imports.get(head).and_then(|k| crate_lab(k)) {
                        self.owner(&other.lab, callee)
                    } else if let Some((krate, rest)) = callee.split_once("::")
                        && let Some(other) = crate_lab(krate)
                    {
                        self.owner(&other.lab, rest)
                    } else {
                        self.owner(lab, callee)
                    };
                    match target {
                        Some(id) if id != (lab.to_string(), ex.name.clone()) => {
                            found.insert(id);
                        }
                        Some(_) => {}
                        None if functions.calls.contains_key(callee) && seen.insert(callee.clone()) => {
                            todo.push(callee.clone())
                        }
                        None => {}
                    }
                }
            }
            out.insert(ex.name.clone(), found);
        }
        Ok(out)
    }
}
