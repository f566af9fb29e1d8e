//! Machines unlike the one running the tests, emulated for the program `emulate` starts and
//! everything it starts: a kernel without Landlock (Linux before 5.13, or one that does not enable
//! it, as WSL's), and an ordinary container (Docker's and Gradescope's defaults), where the grader
//! is root but lacks `CAP_SYS_ADMIN` and so cannot make namespaces.

use seccompiler::{BpfProgram, SeccompAction, SeccompFilter};

/// Makes this process (and what it `exec`s) see the machine described.
pub fn machine(no_landlock: bool, no_sys_admin: bool) -> Result<(), String> {
    if no_sys_admin {
        drop_sys_admin()?;
    }
    if no_landlock {
        without_landlock()?;
    }
    Ok(())
}

/// Removes `CAP_SYS_ADMIN` for good: from the bounding set, which no `exec` can give back, and from
/// the process's own sets.
fn drop_sys_admin() -> Result<(), String> {
    use rustix::thread::CapabilitySet;
    rustix::thread::remove_capability_from_bounding_set(CapabilitySet::SYS_ADMIN)
        .map_err(|e| format!("dropping CAP_SYS_ADMIN from the bounding set: {e}"))?;
    let mut sets = rustix::thread::capabilities(None).map_err(|e| format!("capget: {e}"))?;
    sets.effective.remove(CapabilitySet::SYS_ADMIN);
    sets.permitted.remove(CapabilitySet::SYS_ADMIN);
    sets.inheritable.remove(CapabilitySet::SYS_ADMIN);
    rustix::thread::set_capabilities(None, sets).map_err(|e| format!("capset: {e}"))
}

/// Makes the three Landlock calls fail with ENOSYS, as on a kernel built without it.
fn without_landlock() -> Result<(), String> {
    let arch = std::env::consts::ARCH.try_into().map_err(|e| format!("seccomp: {e:?}"))?;
    let calls =
        [libc::SYS_landlock_create_ruleset, libc::SYS_landlock_add_rule, libc::SYS_landlock_restrict_self];
    let filter = SeccompFilter::new(
        calls.into_iter().map(|c| (c, vec![])).collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(|e| format!("seccomp: {e}"))?;
    let program: BpfProgram = filter.try_into().map_err(|e| format!("seccomp: {e}"))?;
    seccompiler::apply_filter(&program).map_err(|e| format!("seccomp: {e}"))
}
