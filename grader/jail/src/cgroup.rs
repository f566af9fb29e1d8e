//! A memory cgroup around one process tree (a student crate's compiler): unlike an address-space
//! limit, it counts what the tree really uses, all its processes and threads together. Made
//! where the grader may write a hierarchy with the memory controller: cgroup v2 where its root
//! delegates `memory`, else v1's `memory` hierarchy; nowhere else (a container without its own
//! cgroup namespace), where the address-space limit stays the only bound.

use std::path::PathBuf;

/// The variable through which the wrapper tells the confined compiler which cgroups to join
/// (its `cgroup.procs` file).
pub const JOIN: &str = "NNLAB_JAIL_CGROUP";

/// A cgroup made for one process tree.
pub struct Cgroup {
    dir: PathBuf,
    v2: bool,
}

impl Cgroup {
    /// A new cgroup named after `what` and this process, whose tree may use `memory` bytes.
    pub fn create(what: &str, memory: u64) -> Option<Cgroup> {
        let name = format!("nnlab-{what}-{}", std::process::id());
        let root = PathBuf::from("/sys/fs/cgroup");
        let v2 = std::fs::read_to_string(root.join("cgroup.subtree_control"))
            .is_ok_and(|c| c.split_whitespace().any(|c| c == "memory"));
        let (dir, limit) = if v2 {
            (root.join(&name), "memory.max")
        } else {
            (root.join("memory").join(&name), "memory.limit_in_bytes")
        };
        std::fs::create_dir(&dir).ok()?;
        let group = Cgroup { dir, v2 };
        if std::fs::write(group.dir.join(limit), memory.to_string()).is_err() {
            group.remove();
            return None;
        }
        if v2 {
            // No swap to grow into instead.
            let _ = std::fs::write(group.dir.join("memory.swap.max"), "0");
        }
        Some(group)
    }

    /// What [`JOIN`] holds for a process that is to join this cgroup.
    pub fn procs_file(&self) -> PathBuf {
        self.dir.join("cgroup.procs")
    }

    /// Whether the kernel killed a process of the tree for using more than its memory; then kills
    /// whatever is left and removes the cgroup.
    pub fn finish(self) -> bool {
        let events = if self.v2 { "memory.events" } else { "memory.oom_control" };
        let killed = std::fs::read_to_string(self.dir.join(events)).is_ok_and(|text| {
            text.lines().any(|l| l.strip_prefix("oom_kill ").is_some_and(|n| n.trim() != "0"))
        });
        self.remove();
        killed
    }

    fn remove(self) {
        if self.v2 {
            let _ = std::fs::write(self.dir.join("cgroup.kill"), "1");
        } else if let Ok(procs) = std::fs::read_to_string(self.dir.join("cgroup.procs")) {
            for pid in procs.lines().filter_map(|p| p.trim().parse::<i32>().ok()) {
                if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
            }
        }
        // A killed process leaves its cgroup a moment after it dies.
        for _ in 0..200 {
            if std::fs::remove_dir(&self.dir).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// Moves this process into the cgroup the wrapper made for it, if any.
pub fn join_from_env() -> Result<(), String> {
    let Some(procs) = std::env::var_os(JOIN) else { return Ok(()) };
    std::fs::write(&procs, std::process::id().to_string())
        .map_err(|e| format!("joining the cgroup {}: {e}", PathBuf::from(&procs).display()))
}
