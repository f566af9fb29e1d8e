//! Confining a probe before it calls student code. On Linux with the `sandbox` feature (which the
//! grader turns on for its probes) the process restricts itself with Landlock: from then on it can
//! read, write and create files only inside its run folder, cannot execute any program (the
//! reference's probes included) and cannot open or accept TCP connections. The restriction is
//! inherited by anything it starts and cannot be lifted.
//!
//! Landlock needs Linux 5.13 or newer with Landlock enabled; network rules need 6.7. Where the
//! kernel offers less, the probe applies what it can (`best effort`) — the grader's other limits
//! still hold, and the instructor chapter says when to add a container.

use std::path::Path;

/// When this variable is set, a probe whose sandbox cannot be set up runs unconfined instead of
/// refusing to run (the grader's `--allow-unconfined`).
pub const ALLOW_UNCONFINED: &str = "NNLAB_ALLOW_UNCONFINED";

/// Restricts this process to `dir` (see the module documentation). A no-op without the feature.
#[cfg(all(feature = "sandbox", target_os = "linux"))]
pub fn confine(dir: &Path) -> Result<(), String> {
    use landlock::{
        ABI, Access, AccessFs, AccessNet, Ruleset, RulesetAttr, RulesetCreatedAttr, path_beneath_rules,
    };
    let abi = ABI::V4;
    let fs = AccessFs::from_all(abi);
    let inside = fs & !AccessFs::Execute;
    Ruleset::default()
        .handle_access(fs)
        .and_then(|r| r.handle_access(AccessNet::from_all(abi)))
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules([dir], inside)))
        .and_then(|r| r.restrict_self())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Restricts this process to `dir` (see the module documentation). A no-op without the feature.
#[cfg(not(all(feature = "sandbox", target_os = "linux")))]
pub fn confine(_dir: &Path) -> Result<(), String> {
    Ok(())
}
