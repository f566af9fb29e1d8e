//! Cause notes: when an exercise fails, whether the failure may lie in another exercise it calls
//! (the registry's `calls`), and which one to fix first.

use nnlab_check::verdict::Status;
use nnlab_check::{Exercise, LabFixture};

use super::Grader;
use crate::report::LabResult;

impl Grader<'_> {
    /// Why a failure of `ex` may lie elsewhere, from the registry's `calls`: an exercise of the
    /// same lab it calls fails its own checks; or it calls an earlier lab, which is graded with
    /// that lab's reference where the workbook has one (so a mistake there costs points there
    /// only) and with the student's own code where not. `done` holds the labs graded before.
    /// `diagnosed`: the failure is already named as a mistake of this exercise, which makes the
    /// note that an earlier lab is not to blame redundant.
    pub(super) fn cause(
        &self,
        fixture: &LabFixture,
        ex: &Exercise,
        lab: &LabResult,
        done: &[LabResult],
        diagnosed: bool,
    ) -> Option<String> {
        cause(fixture, ex, lab, done, diagnosed, |lab| self.ws.solution(lab).is_some())
    }
}

/// [`Grader::cause`], where `has_reference` says whether the workbook has a lab's reference.
fn cause(
    fixture: &LabFixture,
    ex: &Exercise,
    lab: &LabResult,
    done: &[LabResult],
    diagnosed: bool,
    has_reference: impl Fn(&str) -> bool,
) -> Option<String> {
    let status =
        |results: &LabResult, name: &str| results.exercises.iter().find(|e| e.name == name).map(|e| e.status);
    if !matches!(status(lab, &ex.name), Some(Status::Failed | Status::TimedOut)) {
        return None;
    }
    let failing = |s: Option<Status>| s.is_some_and(|s| s != Status::Passed);
    let (mut fix, mut note) = (Vec::new(), Vec::new());
    for (callee_lab, callee) in ex.callees(&fixture.lab) {
        let name = &ex.name;
        if callee_lab == fixture.lab {
            if failing(status(lab, callee)) {
                fix.push(format!(
                    "{name} uses your {callee}, which fails its own checks: fix {callee} first"
                ));
            }
        } else if has_reference(callee_lab) {
            if diagnosed {
                continue;
            }
            note.push(format!(
                    "{name} is graded with the reference's {callee} ({callee_lab}), not yours: this failure is in {name} itself"
                ));
        } else if failing(done.iter().find(|l| l.lab == callee_lab).and_then(|l| status(l, callee))) {
            fix.push(format!(
                "{name} uses your {callee} ({callee_lab}), which fails its own checks: fix {callee} first"
            ));
        }
    }
    // One line: a failing callee is the one to act on; the reference note only rules one out.
    fix.into_iter().chain(note).next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::cases::tests::fixture;
    use crate::report::{ExerciseResult, Tally};

    /// `lab`'s results with every exercise at `Passed` but those in `failed`.
    fn results(fixture: &LabFixture, failed: &[&str]) -> LabResult {
        let exercises = fixture
            .exercises
            .iter()
            .map(|ex| {
                let status = if failed.contains(&ex.name.as_str()) { Status::Failed } else { Status::Passed };
                let tally = Tally {
                    groups: nnlab_check::groups::tally(&ex.groups, f64::from(ex.points), &[], &[], &[]),
                    ..Tally::default()
                };
                ExerciseResult::new(fixture, ex, status, tally)
            })
            .collect();
        LabResult {
            lab: fixture.lab.clone(),
            title: fixture.title.clone(),
            compile_error: None,
            not_graded: None,
            exercises,
        }
    }

    #[test]
    fn a_failing_callee_of_the_same_lab_is_the_one_to_fix() {
        let lab = fixture("lab05-backprop");
        let backward = lab.exercise("backward").unwrap();
        let failed = results(&lab, &["backward", "output_delta"]);
        let said = cause(&lab, backward, &failed, &[], false, |_| true).unwrap();
        assert_eq!(
            said,
            "backward uses your output_delta, which fails its own checks: fix output_delta first"
        );
        // A passing exercise has no cause, and neither has a failure whose callees all pass.
        let output_delta = lab.exercise("output_delta").unwrap();
        assert_eq!(cause(&lab, output_delta, &results(&lab, &[]), &[], false, |_| true), None);
    }

    #[test]
    fn an_earlier_lab_is_ruled_out_when_the_reference_stands_in_for_it() {
        let lab = fixture("lab07-training");
        let (name, _) = lab
            .exercises
            .iter()
            .flat_map(|ex| ex.callees(&lab.lab).map(move |c| (ex.name.clone(), c)))
            .find(|(_, (callee_lab, _))| *callee_lab != lab.lab)
            .expect("lab 07 calls an earlier lab");
        let ex = lab.exercise(&name).unwrap();
        let failed = results(&lab, &[&name]);
        let note = cause(&lab, ex, &failed, &[], false, |_| true).unwrap();
        assert!(note.contains("graded with the reference's") && note.contains("not yours"), "{note}");
        // Already diagnosed as a mistake of its own: the note would say nothing new.
        assert_eq!(cause(&lab, ex, &failed, &[], true, |_| true), None);
        // Without the reference (the student edition), the student's own earlier lab is used: it
        // is to blame only when it fails its own checks.
        assert_eq!(cause(&lab, ex, &failed, &[], false, |_| false), None);
    }
}
