//! The mechanisms, each the kernel's: a session and a parent-death signal (the process tree dies
//! with the grader), resource limits, no capabilities, a Landlock domain (files, TCP, signals and
//! abstract sockets) and a seccomp filter (every socket, new processes, signals to others,
//! tracing, io_uring and the administrative calls a root process could otherwise make).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use landlock::{
    ABI, Access, AccessFs, AccessNet, LandlockStatus, Ruleset, RulesetAttr, RulesetCreatedAttr,
    RulesetStatus, Scope, path_beneath_rules,
};
use rustix::process::{Resource, Rlimit, Signal};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
};

use crate::ProbeArgs;

/// The Landlock ABI whose rights are asked for: 6 adds signal and abstract-socket scopes
/// (Linux 6.12). On an older kernel the missing rights are reported, never silently dropped.
const ABI_WANTED: ABI = ABI::V6;

/// What one Landlock domain allows; everything else on the file system is denied.
#[derive(Debug, Default)]
pub struct Rules {
    /// Read files and list folders beneath these.
    pub read: Vec<PathBuf>,
    /// List these folders (and those beneath), but open no file in them.
    pub list: Vec<PathBuf>,
    /// Read and write beneath these.
    pub read_write: Vec<PathBuf>,
    /// Read and execute these files.
    pub exec: Vec<PathBuf>,
}

/// Makes this process the leader of a new session (so the grader can kill its whole group) and
/// asks the kernel to kill it when its parent dies. `parent` is the pid the caller expects as
/// parent: if it already died, the process was re-parented and must not start.
pub fn session(parent: Option<u32>, new_session: bool) -> Result<(), String> {
    if new_session {
        rustix::process::setsid().map_err(|e| format!("setsid: {e}"))?;
    }
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))
        .map_err(|e| format!("PR_SET_PDEATHSIG: {e}"))?;
    let now = rustix::process::getppid().map(|p| p.as_raw_nonzero().get() as u32);
    if parent.is_some_and(|p| now != Some(p)) {
        return Err("the grader that started this is gone".into());
    }
    Ok(())
}

/// Sets soft and hard limits.
pub fn limit(resource: Resource, soft: u64, hard: u64) -> Result<(), String> {
    rustix::process::setrlimit(resource, Rlimit { current: Some(soft), maximum: Some(hard) })
        .map_err(|e| format!("setrlimit {resource:?}: {e}"))
}

/// Drops every capability, for good: the grader runs as root, and a root process without
/// capabilities cannot mount, trace, load modules or bypass file permissions. `SECBIT_NOROOT`
/// keeps `exec` from handing uid 0 its capabilities back. A process that has none already (not
/// root) skips this.
pub fn drop_capabilities() -> Result<(), String> {
    use rustix::thread::{CapabilitiesSecureBits as Bits, CapabilitySet, CapabilitySets};
    let current = rustix::thread::capabilities(None).map_err(|e| format!("capget: {e}"))?;
    if current.permitted.is_empty() {
        return Ok(());
    }
    rustix::thread::set_capabilities_secure_bits(Bits::NO_ROOT | Bits::NO_ROOT_LOCKED)
        .map_err(|e| format!("securebits: {e}"))?;
    for cap in CapabilitySet::all().iter() {
        // Emptying the ambient and bounding sets as well: nothing can be inherited or regained.
        let _ = rustix::thread::remove_capability_from_bounding_set(cap);
    }
    let none = CapabilitySets {
        effective: CapabilitySet::empty(),
        permitted: CapabilitySet::empty(),
        inheritable: CapabilitySet::empty(),
    };
    rustix::thread::set_capabilities(None, none).map_err(|e| format!("capset: {e}"))?;
    rustix::thread::clear_ambient_capability_set().map_err(|e| format!("ambient capabilities: {e}"))
}

/// The protections Landlock cannot give on this kernel, by name.
fn landlock_missing(status: &LandlockStatus) -> Vec<String> {
    match status {
        LandlockStatus::Available { effective_abi, .. } => {
            let mut missing = Vec::new();
            if *effective_abi < ABI::V4 {
                missing
                    .push("network: Landlock TCP rules need Linux 6.7 (seccomp still denies sockets)".into());
            }
            if *effective_abi < ABI::V6 {
                missing.push(
                    "signal scope: Landlock signal and abstract-socket scopes need Linux 6.12 (seccomp \
                     still denies signals to other processes)"
                        .into(),
                );
            }
            missing
        }
        LandlockStatus::NotEnabled => {
            vec!["files: Landlock is built into this kernel but not enabled".into()]
        }
        LandlockStatus::NotImplemented => {
            vec!["files: this kernel has no Landlock (Linux 5.13 or newer)".into()]
        }
    }
}

/// Enters a Landlock domain that allows `rules` only (plus nothing on the network and no signals
/// or abstract sockets across the domain's border). Returns the protections that are missing.
pub fn landlock(rules: &Rules) -> Result<Vec<String>, String> {
    let read = AccessFs::ReadFile | AccessFs::ReadDir;
    let write = AccessFs::WriteFile
        | AccessFs::MakeReg
        | AccessFs::MakeDir
        | AccessFs::RemoveFile
        | AccessFs::RemoveDir
        | AccessFs::Truncate
        | AccessFs::Refer;
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(ABI_WANTED))
        .and_then(|r| r.handle_access(AccessNet::from_all(ABI_WANTED)))
        .and_then(|r| r.scope(Scope::from_all(ABI_WANTED)))
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules(&rules.read, read)))
        .and_then(|r| r.add_rules(path_beneath_rules(&rules.list, AccessFs::ReadDir)))
        .and_then(|r| r.add_rules(path_beneath_rules(&rules.read_write, read | write)))
        .and_then(|r| r.add_rules(path_beneath_rules(&rules.exec, AccessFs::ReadFile | AccessFs::Execute)))
        .and_then(|r| r.restrict_self())
        .map_err(|e| format!("Landlock: {e}"))?;
    let mut missing = landlock_missing(&status.landlock);
    if status.ruleset == RulesetStatus::NotEnforced && missing.is_empty() {
        missing.push("files: the Landlock ruleset was not enforced".into());
    }
    Ok(missing)
}

/// Calls that fail with EPERM whatever their arguments.
fn denied_calls() -> Vec<i64> {
    let mut calls = vec![
        // Every socket: UDP, raw, netlink, Unix; TCP is also denied by Landlock.
        libc::SYS_socket,
        libc::SYS_socketpair,
        // io_uring performs I/O that seccomp cannot see.
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        // Reaching into other processes.
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_pidfd_open,
        libc::SYS_pidfd_getfd,
        libc::SYS_pidfd_send_signal,
        libc::SYS_tkill,
        libc::SYS_kcmp,
        // What root could do to the machine (capabilities are dropped as well).
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_userfaultfd,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_kexec_load,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_sethostname,
        libc::SYS_setdomainname,
        libc::SYS_mknodat,
        // Changing what it may not read or write still needs no read or write: Landlock does not
        // cover permissions, owners, times or extended attributes, and a probe runs as the
        // grader's user, who owns every other student's files (and the grader's).
        libc::SYS_fchmod,
        libc::SYS_fchmodat,
        libc::SYS_fchown,
        libc::SYS_fchownat,
        libc::SYS_utimensat,
        libc::SYS_setxattr,
        libc::SYS_lsetxattr,
        libc::SYS_fsetxattr,
        libc::SYS_removexattr,
        libc::SYS_lremovexattr,
        libc::SYS_fremovexattr,
        // SysV IPC and POSIX message queues outlive the process that made them (and, in the
        // grader's IPC namespace, are shared with every classmate's box); a probe needs neither.
        libc::SYS_shmget,
        libc::SYS_shmat,
        libc::SYS_shmctl,
        libc::SYS_semget,
        libc::SYS_semop,
        libc::SYS_semctl,
        libc::SYS_semtimedop,
        libc::SYS_msgget,
        libc::SYS_msgsnd,
        libc::SYS_msgrcv,
        libc::SYS_msgctl,
        libc::SYS_mq_open,
        libc::SYS_mq_unlink,
    ];
    #[cfg(target_arch = "x86_64")]
    calls.extend([
        libc::SYS_fork,
        libc::SYS_vfork,
        libc::SYS_mknod,
        libc::SYS_iopl,
        libc::SYS_ioperm,
        libc::SYS_chmod,
        libc::SYS_chown,
        libc::SYS_lchown,
        libc::SYS_utime,
        libc::SYS_utimes,
        libc::SYS_futimesat,
    ]);
    calls
}

/// Installs the seccomp filters: see [`denied_calls`]; signals only to this process itself
/// (`abort()` still works); `clone` only for threads, so no new process (a fork bomb) can start;
/// `clone3` answers ENOSYS, which makes the C library fall back to `clone` for threads.
pub fn seccomp() -> Result<(), String> {
    let me = u64::from(rustix::process::getpid().as_raw_nonzero().get().unsigned_abs());
    let err = |e: seccompiler::BackendError| format!("seccomp: {e}");
    let arch = std::env::consts::ARCH.try_into().map_err(|e| format!("seccomp: {e:?}"))?;
    let not_me = || {
        SeccompRule::new(vec![
            SeccompCondition::new(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, me).map_err(err)?,
        ])
        .map_err(err)
    };
    let mut rules: BTreeMap<i64, Vec<SeccompRule>> =
        denied_calls().into_iter().map(|c| (c, vec![])).collect();
    for call in [libc::SYS_kill, libc::SYS_tgkill, libc::SYS_rt_sigqueueinfo, libc::SYS_rt_tgsigqueueinfo] {
        rules.insert(call, vec![not_me()?]);
    }
    // Limits of another process (a classmate's probe, the reference's, the grader's): the C
    // library's own setrlimit and getrlimit pass 0, this process.
    let not_self = SeccompCondition::new(0, SeccompCmpArgLen::Dword, SeccompCmpOp::Ne, 0).map_err(err)?;
    rules.insert(libc::SYS_prlimit64, vec![SeccompRule::new(vec![not_self]).map_err(err)?]);
    let thread = libc::CLONE_THREAD as u64;
    let not_a_thread =
        SeccompCondition::new(0, SeccompCmpArgLen::Qword, SeccompCmpOp::MaskedEq(thread), 0).map_err(err)?;
    rules.insert(libc::SYS_clone, vec![SeccompRule::new(vec![not_a_thread]).map_err(err)?]);
    let deny =
        SeccompFilter::new(rules, SeccompAction::Allow, SeccompAction::Errno(libc::EPERM as u32), arch)
            .map_err(err)?;
    let clone3 = SeccompFilter::new(
        [(libc::SYS_clone3, vec![])].into_iter().collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(err)?;
    for filter in [deny, clone3] {
        let program: BpfProgram = filter.try_into().map_err(|e| format!("seccomp: {e}"))?;
        seccompiler::apply_filter(&program).map_err(|e| format!("seccomp: {e}"))?;
    }
    Ok(())
}

/// The dynamic loader of this machine's programs, which `exec` runs before the program itself.
pub fn interpreters() -> Vec<PathBuf> {
    ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"]
        .iter()
        .filter_map(|p| Path::new(p).canonicalize().ok())
        .collect()
}

/// Folders of shared libraries a dynamically linked program loads.
pub fn library_dirs() -> Vec<PathBuf> {
    ["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect()
}

/// The rules of a probe: its run folder, its own executable and the shared libraries.
pub(crate) fn probe_rules(dir: &Path, exe: &Path) -> Rules {
    let mut exec = interpreters();
    exec.push(exe.to_path_buf());
    Rules { read: library_dirs(), read_write: vec![dir.to_path_buf()], exec, ..Rules::default() }
}

/// A probe's resource limits: address space, file size, CPU time, open files, no core dumps.
pub fn probe_limits(args: &ProbeArgs) -> Result<(), String> {
    const MIB: u64 = 1024 * 1024;
    limit(Resource::As, args.memory_mib * MIB, args.memory_mib * MIB)?;
    limit(Resource::Fsize, args.file_mib * MIB, args.file_mib * MIB)?;
    limit(Resource::Cpu, args.cpu_seconds, args.cpu_seconds + 1)?;
    limit(Resource::Nofile, 64, 64)?;
    limit(Resource::Core, 0, 0)
}

/// The probe's executable, resolved.
pub fn probe_executable(args: &ProbeArgs) -> Result<PathBuf, String> {
    Path::new(&args.command[0]).canonicalize().map_err(|e| format!("{}: {e}", args.command[0]))
}

/// Confines this process as a probe of someone else's code, before it `exec`s one: its Landlock
/// domain (see [`landlock_probe`]), then [`lock_down`].
pub fn confine_probe(args: &ProbeArgs, dir: &Path, exe: &Path) -> Result<(), String> {
    let missing = landlock_probe(dir, exe)?;
    lock_down(args, missing)
}

/// Enters the probe's Landlock domain where the kernel has Landlock: files only in `dir`, execute
/// only `exe` (and the dynamic loader), no TCP, no signals or abstract sockets across the border.
/// Made while the process can still open every path it names (a box's uid may not reach the
/// workbook); returns the protections missing.
pub fn landlock_probe(dir: &Path, exe: &Path) -> Result<Vec<String>, String> {
    landlock(&probe_rules(dir, exe))
}

/// The rest of a probe's confinement: no capabilities and the seccomp filter. The floor (seccomp
/// and Landlock's file rules, of which `missing` tells) is required unless the grader was told to
/// grade without it.
pub fn lock_down(args: &ProbeArgs, mut missing: Vec<String>) -> Result<(), String> {
    if let Err(e) = drop_capabilities() {
        missing.push(format!("capabilities: {e}"));
    }
    if let Err(e) = seccomp() {
        missing.push(e);
    }
    let floor: Vec<&String> = missing.iter().filter(|m| !is_layer(m)).collect();
    if !floor.is_empty() && !args.allow_unconfined {
        return Err(format!("missing protections: {}", missing.join("; ")));
    }
    Ok(())
}

/// Whether a missing protection is a layer above the floor, not part of the floor itself.
pub fn is_layer(missing: &str) -> bool {
    LAYERS.iter().any(|l| missing.starts_with(l))
}

/// The protections above the floor: Landlock's network rules and signal scope (seccomp and the
/// box's uid hold those lines without them) and the namespaces.
pub const LAYERS: [&str; 3] = ["network", "signal scope", "namespaces"];

/// A probe of the grader's own (the reference) or of the student's own code: its own session,
/// killed with the grader, and the resource limits, so that time and memory limits and the
/// reports are those of a confined run.
pub fn own_probe(args: &ProbeArgs) -> Result<(), String> {
    session(args.parent, true)?;
    probe_limits(args)
}

/// Confines this process as a probe of someone else's code without a box of its own (a grader
/// that is not root): session, limits and [`confine_probe`].
pub fn probe(args: &ProbeArgs, dir: &Path) -> Result<(), String> {
    session(args.parent, true)?;
    probe_limits(args)?;
    let exe = probe_executable(args)?;
    confine_probe(args, dir, &exe)
}
