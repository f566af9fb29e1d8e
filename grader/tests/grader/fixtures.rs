//! Promises the fixture files make: every exercise has hidden cases, every number cited from a
//! document carries what the document printed, and an erratum exactly where the two disagree.

use crate::common::{SEED, workspace};

#[test]
fn every_exercise_has_hidden_cases_that_differ_between_seeds() {
    let ws = workspace();
    for lab in ws.labs().unwrap() {
        for ex in &ws.fixture(&lab).unwrap().exercises {
            if let Some(spec) = &ex.experiment {
                let drawn = nnlab_hidden::outcome_cases(&lab, &ex.name, spec, SEED);
                assert!(!drawn.is_empty(), "{lab}::{}: no hidden experiments", ex.name);
                assert_ne!(drawn, nnlab_hidden::outcome_cases(&lab, &ex.name, spec, SEED + 1));
                continue;
            }
            if let Some(check) = &ex.cross_check {
                let drawn = nnlab_hidden::cross_check(&lab, &ex.name, check, SEED)
                    .unwrap_or_else(|| panic!("no cross-check cases for {lab}::{}", ex.name));
                assert_eq!(drawn.len(), check.cases, "{lab}::{}", ex.name);
                assert_ne!(Some(drawn), nnlab_hidden::cross_check(&lab, &ex.name, check, SEED + 1));
            }
            let cases = nnlab_hidden::cases(&lab, &ex.name, SEED)
                .unwrap_or_else(|| panic!("no hidden cases for {lab}::{}", ex.name));
            assert!(cases.len() >= 5, "{lab}::{}: only {} hidden cases", ex.name, cases.len());
            assert_eq!(
                Some(&cases),
                nnlab_hidden::cases(&lab, &ex.name, SEED).as_ref(),
                "same seed, same cases"
            );
            assert_ne!(
                Some(&cases),
                nnlab_hidden::cases(&lab, &ex.name, SEED + 1).as_ref(),
                "{lab}::{}",
                ex.name
            );
        }
    }
}

#[test]
fn every_exercise_has_a_public_case() {
    let ws = workspace();
    for lab in ws.labs().unwrap() {
        let fixture = ws.fixture(&lab).unwrap();
        for ex in &fixture.exercises {
            assert!(fixture.cases_of(&ex.name).next().is_some(), "{lab}::{} has no public case", ex.name);
        }
    }
}

#[test]
fn document_cases_print_a_value_and_errata_mark_exactly_the_wrong_ones() {
    let ws = workspace();
    let seeds = ws.root.join("../shared/seeds");
    for lab in ws.labs().unwrap() {
        let fixture = ws.fixture(&lab).unwrap();
        for case in &fixture.cases {
            if let Some(doc) = &case.source.doc {
                assert!(
                    case.printed.is_some(),
                    "{lab}/{}: a case from {doc} records what it prints",
                    case.id
                );
                if seeds.is_dir() {
                    assert!(seeds.join(doc).is_file(), "{lab}/{}: no document {doc}", case.id);
                }
            }
            let differs = case.printed_differs().unwrap_or_else(|e| panic!("{lab}: {e}"));
            assert_eq!(
                differs,
                case.erratum.is_some(),
                "{lab}/{}: printed {:?} vs want {}: an erratum belongs exactly where they differ",
                case.id,
                case.printed,
                case.want
            );
        }
        for erratum in &fixture.errata {
            assert!(!erratum.correct.is_empty() && !erratum.why.is_empty(), "{lab}: {erratum:?}");
        }
    }
}
