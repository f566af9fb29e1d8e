//! What this machine's kernel lets the jail do: every mechanism applied to a throw-away process,
//! one line per protection (`nnlab-jail status`, and the grader's `Jail::protections`).

use rustix::process::Resource;

use crate::boxed::{can_switch_uid, unshare_namespaces};
use crate::confine::{drop_capabilities, is_layer, landlock, limit, probe_rules, seccomp, session};

/// One line per protection: `ok <what>: <mechanism>`, `missing <what>: <why>` for the floor, or
/// `layer-missing <what>: <why>` for a layer above it. Found by
/// confining a throw-away child, so that this process stays as it is.
pub fn status() -> Vec<String> {
    let me = std::env::current_exe().ok();
    let child = me
        .and_then(|me| std::process::Command::new(me).arg("confine-rustc").arg("--self-test").output().ok());
    let text = child.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    // A layer above the floor is named apart: the grader refuses to grade others' code without the
    // floor, never for want of a layer.
    let lines: Vec<String> = text
        .lines()
        .map(|l| match l.strip_prefix("missing ") {
            Some(what) if is_layer(what) => format!("layer-missing {what}"),
            _ => l.to_string(),
        })
        .collect();
    if lines.is_empty() { vec!["missing all: the jail's self-test did not run".into()] } else { lines }
}

fn line(what: &str, result: Result<(), String>, how: &str) -> String {
    match result {
        Ok(()) => format!("ok {what}: {how}"),
        Err(e) => format!("missing {what}: {e}"),
    }
}

/// The self-test behind [`status`]: applies every mechanism to this (throw-away) process.
pub fn self_test() -> Vec<String> {
    let mut lines = vec![
        line(
            "process tree",
            session(None, true),
            "own session, killed when the grader dies (PR_SET_PDEATHSIG)",
        ),
        line(
            "limits",
            limit(Resource::Fsize, 1 << 30, 1 << 30),
            "address space, file size, CPU time (rlimits)",
        ),
    ];
    // Before the capabilities go: both need root's.
    let uid = if can_switch_uid() {
        Ok(())
    } else {
        Err("the grader is not root, and only root can give a box a uid of its own".to_string())
    };
    lines.push(line(
        "uid",
        uid,
        "a uid of its own per submission: no process, file or IPC object of anyone else is its own; \
         RLIMIT_NPROC bounds its processes and threads",
    ));
    lines.push(line(
        "namespaces",
        unshare_namespaces()
            .map_err(|e| format!("no PID, IPC, network and UTS namespaces ({e}: no CAP_SYS_ADMIN)")),
        "PID, IPC, network and UTS namespaces of its own, with an init that takes everything with it",
    ));
    lines.push(line("capabilities", drop_capabilities(), "all dropped, SECBIT_NOROOT"));
    let dir = std::env::temp_dir();
    match landlock(&probe_rules(&dir, &dir)) {
        Ok(missing) => {
            let files = missing.iter().all(|m| !m.starts_with("files"));
            if files {
                lines.push("ok files: Landlock, only the probe's own folder".into());
            }
            if missing.iter().all(|m| !m.starts_with("network")) {
                let how = if files {
                    "Landlock TCP rules and seccomp (no sockets)"
                } else {
                    "seccomp (no sockets)"
                };
                lines.push(format!("ok network: {how}"));
            }
            lines.extend(missing.iter().map(|m| format!("missing {m}")));
        }
        Err(e) => lines.push(format!("missing files: {e}")),
    }
    lines.push(line(
        "system calls",
        seccomp(),
        "seccomp: no sockets, processes, signals or limits to others, tracing, SysV IPC",
    ));
    lines
}
