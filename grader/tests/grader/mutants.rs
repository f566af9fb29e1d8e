//! The adequacy of the cases, measured by mutation: every lab's cases (public and hidden, three
//! seeds) must catch at least the share of the reference's mutants recorded under `mutants` in
//! `fixtures/submissions/<lab>.yaml`, and every mutant they do not catch must be listed there with the
//! reason it computes the same thing. `cargo run -p grader -- mutants` prints the same figures.

use std::collections::BTreeSet;

use grader::grade::{Grader, Options, mutation_summary};
use grader::jail::Whose;
use grader::mutants::Notes;

use crate::common::{SEED, one_at_a_time, workspace};

#[test]
fn the_cases_catch_every_mutant_that_is_not_listed_as_equivalent() {
    let ws = workspace();
    let _guard = one_at_a_time();
    let grader = Grader::new(&ws, Options { whose: Whose::Own, ..Options::with_seed(SEED) }).unwrap();
    let seeds = [SEED, SEED + 1, SEED + 2];
    let mut problems = Vec::new();
    for lab in grader.labs() {
        let fates = grader.mutation_test(lab, &seeds).unwrap();
        let notes = Notes::load(&ws, lab).unwrap();
        let (text, score) = mutation_summary(lab, &fates, &notes);
        println!("{text}");
        assert!(fates.len() >= 50, "{lab}: only {} mutants: is the schemata build losing them?", fates.len());
        if score < notes.score {
            problems.push(format!(
                "{lab}: mutation score {score:.1} % is below the recorded {:.1} %",
                notes.score
            ));
        }
        let survivors: BTreeSet<String> =
            fates.iter().filter(|f| f.caught.is_none()).map(|f| f.mutant.key()).collect();
        for f in fates.iter().filter(|f| f.caught.is_none() && !notes.survivors.contains_key(&f.mutant.key()))
        {
            problems.push(format!(
                "{lab}: no case catches `{}` (line {}): add a case, or explain it",
                f.mutant.key(),
                f.mutant.line
            ));
        }
        for listed in notes.survivors.keys().filter(|k| !survivors.contains(*k)) {
            problems
                .push(format!("{lab}: `{listed}` is listed as a survivor but is caught or gone: remove it"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
