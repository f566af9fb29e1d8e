//! Each mechanism of the jail, shown denying. The test binary is its own attacker: run through
//! `nnlab-jail probe` with `NNLAB_ATTACK` set, its `attacker` test tries one thing and exits 0 if
//! that worked, 1 if it was refused. Every attack here works when run without the jail (checked
//! by `attacks_work_unconfined`), so a refusal is the jail's doing.

#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

const JAIL: &str = env!("CARGO_BIN_EXE_nnlab-jail");

/// The attacks, each returning whether it succeeded.
fn attempt(name: &str) -> bool {
    let outside = std::env::var("NNLAB_OUTSIDE").expect("the test names a file outside");
    match name {
        "read-outside" => std::fs::read(&outside).is_ok(),
        "write-outside" => std::fs::write(Path::new(&outside).with_extension("written"), "pwned").is_ok(),
        "chmod-outside" => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&outside, std::fs::Permissions::from_mode(0o777)).is_ok()
        }
        "udp" => {
            std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.send_to(b"x", "127.0.0.1:9")).is_ok()
        }
        "tcp" => reached_port(std::net::TcpStream::connect_timeout(
            &"127.0.0.1:9".parse().unwrap(),
            Duration::from_secs(1),
        )),
        "new-process" => Command::new("/bin/true").status().is_ok(),
        "exec" => {
            use std::os::unix::process::CommandExt;
            let _ = Command::new("/bin/true").exec();
            false
        }
        "signal-parent" => {
            let parent = rustix::process::getppid().expect("a parent");
            rustix::process::test_kill_process(parent).is_ok()
        }
        "big-file" => {
            use std::io::Write;
            let mut f = std::fs::File::create("big").expect("its own folder is writable");
            let chunk = vec![0u8; 1 << 20];
            (0..2048).all(|_| f.write_all(&chunk).is_ok())
        }
        "sleep" => {
            std::thread::sleep(Duration::from_secs(60));
            true
        }
        // Not an attack: what an honest probe does. A box that let nothing run would deny it too.
        "own-folder" => std::fs::write("answer.txt", "42").is_ok() && std::fs::read("answer.txt").is_ok(),
        "prlimit-victim" => {
            let victim = victim_pid();
            let zero = rustix::process::Rlimit { current: Some(0), maximum: Some(0) };
            rustix::process::prlimit(Some(victim), rustix::process::Resource::Fsize, zero).is_ok()
        }
        "signal-victim" => rustix::process::test_kill_process(victim_pid()).is_ok(),
        "sysv-shm" => sysv_shm(),
        "threads" => {
            let sleeper = || std::thread::sleep(Duration::from_secs(3));
            let started = (0..200)
                .map(|_| std::thread::Builder::new().stack_size(64 << 10).spawn(sleeper).is_ok())
                .filter(|ok| *ok)
                .count();
            started == 200
        }
        other => panic!("no attack {other}"),
    }
}

/// The process the test started for the attacker to aim at (the grader, a classmate's probe).
fn victim_pid() -> rustix::process::Pid {
    let pid: i32 = std::env::var("NNLAB_VICTIM").expect("a victim").parse().unwrap();
    rustix::process::Pid::from_raw(pid).unwrap()
}

/// Makes a SysV shared-memory segment (removed at once if it was made): the kind of object that
/// outlives the process that made it.
#[allow(unsafe_code)]
fn sysv_shm() -> bool {
    // SAFETY: plain system calls on integers; the segment is never attached.
    let id = unsafe { libc::shmget(libc::IPC_PRIVATE, 1 << 20, libc::IPC_CREAT | 0o600) };
    if id >= 0 {
        // SAFETY: as above; a null buffer is allowed for IPC_RMID.
        unsafe { libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()) };
    }
    id >= 0
}

/// A denied `connect` fails with EPERM; an allowed one reaches the port (and is refused there,
/// since nothing listens): both are answers, only the first is the jail's.
fn reached_port<T>(result: std::io::Result<T>) -> bool {
    match result {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionRefused,
    }
}

/// Not a test of its own: the attacker, when the jail runs this binary.
#[test]
fn attacker() {
    if let Ok(name) = std::env::var("NNLAB_ATTACK") {
        std::process::exit(if attempt(&name) { 0 } else { 1 });
    }
}

struct Setup {
    /// The test's folder, removed when the setup is dropped (the unconfined big file is 2 GiB).
    base: PathBuf,
    dir: PathBuf,
    outside: PathBuf,
    /// A process of the test's own (root's), for the attacker to aim at.
    victim: std::process::Child,
}

impl Drop for Setup {
    fn drop(&mut self) {
        let _ = self.victim.kill();
        let _ = self.victim.wait();
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

fn setup(name: &str) -> Setup {
    let base = std::env::temp_dir().join(format!("nnlab-jail-test-{}-{name}", std::process::id()));
    let dir = base.join("run");
    std::fs::create_dir_all(&dir).unwrap();
    let outside = base.join("secret.txt");
    std::fs::write(&outside, "the reference").unwrap();
    let victim = Command::new("/bin/sleep").arg("60").spawn().unwrap();
    Setup { base, dir, outside, victim }
}

/// How the attacker runs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Not through the jail at all.
    Unconfined,
    /// Through the jail, without a box (a grader that is not root).
    Jailed,
    /// In a box of its own uid, as someone else's code runs when the grader is root.
    Boxed,
}

/// The uid of the test's boxes: each test process its own.
fn box_uid() -> u32 {
    4_000_000 + std::process::id() % 100_000
}

fn attacker_command(setup: &Setup, attack: &str, mode: Mode) -> Command {
    let me = std::env::current_exe().unwrap();
    let mut cmd = if mode == Mode::Unconfined {
        Command::new(me)
    } else {
        let mut c = Command::new(JAIL);
        c.arg("probe").arg("--dir").arg(&setup.dir);
        c.args(["--memory", "1024", "--file-size", "64", "--cpu", "20"]);
        if mode == Mode::Boxed {
            std::os::unix::fs::chown(&setup.dir, Some(box_uid()), Some(box_uid())).unwrap();
            c.args(["--box-uid", &box_uid().to_string()]);
        }
        c.arg("--").arg(me);
        c
    };
    cmd.args(["--exact", "attacker", "--test-threads", "1", "-q"])
        .env("NNLAB_ATTACK", attack)
        .env("NNLAB_OUTSIDE", &setup.outside)
        .env("NNLAB_VICTIM", setup.victim.id().to_string())
        .current_dir(&setup.dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

fn run(attack: &str, mode: Mode) -> ExitStatus {
    // A folder per mode: a file one mode's attacker left as root is not the box's to write.
    let setup = setup(&format!("{attack}-{mode:?}"));
    attacker_command(&setup, attack, mode).status().unwrap()
}

const ATTACKS: [&str; 13] = [
    "read-outside",
    "write-outside",
    "chmod-outside",
    "udp",
    "tcp",
    "new-process",
    "exec",
    "signal-parent",
    "big-file",
    "prlimit-victim",
    "signal-victim",
    "sysv-shm",
    "threads",
];

/// What a box adds to the jail: these work in the jail without one (the grader's uid is the
/// victim's; nothing counts threads) and not in a box.
const BOX_ONLY: [&str; 1] = ["threads"];

#[test]
fn attacks_work_unconfined() {
    for attack in ATTACKS {
        assert_eq!(
            run(attack, Mode::Unconfined).code(),
            Some(0),
            "{attack} does not even work without the jail"
        );
    }
}

#[test]
fn the_jail_denies_every_attack() {
    let mut worked = Vec::new();
    for attack in ATTACKS.iter().filter(|a| !BOX_ONLY.contains(a)) {
        let status = run(attack, Mode::Jailed);
        // Refused (1), or stopped by the kernel (SIGXFSZ for the big file); never 0.
        if status.code() == Some(0) {
            worked.push(attack);
        }
    }
    assert!(worked.is_empty(), "these attacks got through the jail: {worked:?}");
}

/// The same attacks from a box, the grader being root: a uid of its own, namespaces, the rest.
#[test]
fn a_box_denies_every_attack() {
    let mut worked = Vec::new();
    for attack in ATTACKS {
        let status = run(attack, Mode::Boxed);
        // 0: it worked; 3: the box did not even start, which denies nothing.
        if matches!(status.code(), Some(0 | 3)) {
            worked.push(format!("{attack}: {status:?}"));
        }
    }
    assert!(worked.is_empty(), "these attacks got out of the box: {worked:?}");
}

/// Without CAP_SYS_ADMIN (Docker's default, Gradescope's) there are no namespaces; the floor — the
/// uid, RLIMIT_NPROC, seccomp, rlimits, Landlock — still denies every attack.
#[test]
fn a_box_without_namespaces_denies_every_attack() {
    let mut worked = Vec::new();
    for attack in ATTACKS {
        let setup = setup(&format!("{attack}-no-admin"));
        let boxed = attacker_command(&setup, attack, Mode::Boxed);
        let mut cmd = Command::new(JAIL);
        cmd.args(["emulate", "--no-sys-admin", "--"]).arg(boxed.get_program()).args(boxed.get_args());
        for (key, value) in boxed.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        let status = cmd
            .current_dir(&setup.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        if matches!(status.code(), Some(0 | 3)) {
            worked.push(format!("{attack}: {status:?}"));
        }
    }
    assert!(worked.is_empty(), "these attacks got out of a box without namespaces: {worked:?}");
}

/// Denial means something only where honest work runs: in every mode, the probe writes and reads
/// its own folder.
#[test]
fn honest_work_runs_in_every_mode() {
    for mode in [Mode::Unconfined, Mode::Jailed, Mode::Boxed] {
        assert_eq!(run("own-folder", mode).code(), Some(0), "{mode:?}");
    }
    let no_admin = setup("own-folder-no-admin");
    let boxed = attacker_command(&no_admin, "own-folder", Mode::Boxed);
    let status = Command::new(JAIL)
        .args(["emulate", "--no-sys-admin", "--"])
        .arg(boxed.get_program())
        .args(boxed.get_args())
        .envs(boxed.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(&no_admin.dir)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "a box without namespaces");

    // The probe's executable where the box's uid cannot reach it: a workbook cloned into
    // `mktemp -d` (mode 0700, root's), as CI does. The jail opens it, and Landlock's rules, as root.
    let elsewhere = setup("own-folder-closed");
    let closed = elsewhere.dir.parent().unwrap().join("closed");
    std::fs::create_dir_all(&closed).unwrap();
    std::fs::set_permissions(&closed, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let copy = closed.join("attacker");
    std::fs::copy(std::env::current_exe().unwrap(), &copy).unwrap();
    let boxed = attacker_command(&elsewhere, "own-folder", Mode::Boxed);
    let mut args: Vec<std::ffi::OsString> = boxed.get_args().map(|a| a.to_owned()).collect();
    let at = args.iter().position(|a| a == "--").unwrap() + 1;
    args[at] = copy.into_os_string();
    let status = Command::new(JAIL)
        .args(&args)
        .envs(boxed.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(&elsewhere.dir)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "a box whose probe lies in a folder closed to its uid");
}

/// A box reports what it is: its uid, and no capability (the self-test's namespaces work here).
#[test]
fn the_status_names_the_floor_and_the_layers() {
    let out = Command::new(JAIL).arg("status").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ok uid:"), "{text}");
    assert!(text.contains("ok namespaces:"), "{text}");
    let emulated = Command::new(JAIL)
        .args(["emulate", "--no-landlock", "--no-sys-admin", "--", JAIL, "status"])
        .output()
        .unwrap();
    let text = String::from_utf8(emulated.stdout).unwrap();
    assert!(text.contains("missing files: this kernel has no Landlock"), "{text}");
    assert!(text.contains("layer-missing namespaces:"), "{text}");
    assert!(text.contains("ok uid:"), "{text}");
}

#[test]
fn a_file_stops_at_the_size_limit() {
    let setup = setup("size");
    let status = attacker_command(&setup, "big-file", Mode::Jailed).status().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGXFSZ), "{status:?}");
    let size = std::fs::metadata(setup.dir.join("big")).unwrap().len();
    assert_eq!(size, 64 << 20, "the file grew to {size} bytes");
}

#[test]
fn the_secret_is_untouched() {
    let setup = setup("untouched");
    for attack in ["read-outside", "write-outside"] {
        attacker_command(&setup, attack, Mode::Jailed).status().unwrap();
    }
    assert!(!setup.outside.with_extension("written").exists());
}

/// The grader killed with SIGKILL mid-run leaves no probe behind: a stand-in "grader" (a shell)
/// starts a probe that sleeps, and is killed; the kernel then kills the probe (PR_SET_PDEATHSIG),
/// and in a box its init and everything in its PID namespace.
#[test]
fn a_killed_grader_leaves_no_probe() {
    for mode in [Mode::Jailed, Mode::Boxed] {
        killed_grader_leaves_nothing(mode);
    }
}

fn killed_grader_leaves_nothing(mode: Mode) {
    let setup = setup(&format!("orphan-{mode:?}"));
    let probe = attacker_command(&setup, "sleep", mode);
    let line = std::iter::once(probe.get_program())
        .chain(probe.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut grader = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "NNLAB_ATTACK=sleep NNLAB_OUTSIDE='{}' NNLAB_VICTIM=1 {line} & echo $! > pid; wait",
            setup.outside.display()
        ))
        .current_dir(&setup.dir)
        .spawn()
        .unwrap();
    let pid_file = setup.dir.join("pid");
    let started = Instant::now();
    while !pid_file.exists() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let pid: u32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
    // The probe, or in a box every process of the box's uid.
    let alive = || -> Vec<u32> {
        let running = |pid: u32| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| !s.rsplit(')').next().unwrap_or_default().trim_start().starts_with('Z'))
        };
        if mode != Mode::Boxed {
            return if running(pid) { vec![pid] } else { vec![] };
        }
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&p| {
                let status = std::fs::read_to_string(format!("/proc/{p}/status")).unwrap_or_default();
                let uid = status
                    .lines()
                    .find_map(|l| l.strip_prefix("Uid:"))
                    .and_then(|l| l.split_whitespace().next());
                uid == Some(box_uid().to_string().as_str()) && running(p)
            })
            .collect()
    };
    assert!(!alive().is_empty(), "{mode:?}: the probe did not start");
    grader.kill().unwrap();
    grader.wait().unwrap();
    let started = Instant::now();
    while !alive().is_empty() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(alive().is_empty(), "{mode:?}: {:?} outlived the grader that started them", alive());
}
