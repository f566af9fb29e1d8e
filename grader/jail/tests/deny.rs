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
        other => panic!("no attack {other}"),
    }
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
    dir: PathBuf,
    outside: PathBuf,
}

fn setup(name: &str) -> Setup {
    let base = std::env::temp_dir().join(format!("nnlab-jail-test-{}-{name}", std::process::id()));
    let dir = base.join("run");
    std::fs::create_dir_all(&dir).unwrap();
    let outside = base.join("secret.txt");
    std::fs::write(&outside, "the reference").unwrap();
    Setup { dir, outside }
}

fn attacker_command(setup: &Setup, attack: &str, jailed: bool) -> Command {
    let me = std::env::current_exe().unwrap();
    let mut cmd = if jailed {
        let mut c = Command::new(JAIL);
        c.arg("probe").arg("--dir").arg(&setup.dir);
        c.args(["--memory", "1024", "--file-size", "64", "--cpu", "20", "--"]).arg(me);
        c
    } else {
        Command::new(me)
    };
    cmd.args(["--exact", "attacker", "--test-threads", "1", "-q"])
        .env("NNLAB_ATTACK", attack)
        .env("NNLAB_OUTSIDE", &setup.outside)
        .current_dir(&setup.dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

fn run(attack: &str, jailed: bool) -> ExitStatus {
    let setup = setup(attack);
    attacker_command(&setup, attack, jailed).status().unwrap()
}

const ATTACKS: [&str; 9] = [
    "read-outside",
    "write-outside",
    "chmod-outside",
    "udp",
    "tcp",
    "new-process",
    "exec",
    "signal-parent",
    "big-file",
];

#[test]
fn attacks_work_unconfined() {
    for attack in ATTACKS {
        assert_eq!(run(attack, false).code(), Some(0), "{attack} does not even work without the jail");
    }
}

#[test]
fn the_jail_denies_every_attack() {
    let mut worked = Vec::new();
    for attack in ATTACKS {
        let status = run(attack, true);
        // Refused (1), or stopped by the kernel (SIGXFSZ for the big file); never 0.
        if status.code() == Some(0) {
            worked.push(attack);
        }
    }
    assert!(worked.is_empty(), "these attacks got through the jail: {worked:?}");
}

#[test]
fn a_file_stops_at_the_size_limit() {
    let setup = setup("size");
    let status = attacker_command(&setup, "big-file", true).status().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGXFSZ), "{status:?}");
    let size = std::fs::metadata(setup.dir.join("big")).unwrap().len();
    assert_eq!(size, 64 << 20, "the file grew to {size} bytes");
}

#[test]
fn the_secret_is_untouched() {
    let setup = setup("untouched");
    for attack in ["read-outside", "write-outside"] {
        attacker_command(&setup, attack, true).status().unwrap();
    }
    assert!(!setup.outside.with_extension("written").exists());
}

/// The grader killed with SIGKILL mid-run leaves no probe behind: a stand-in "grader" (a shell)
/// starts a probe that sleeps, and is killed; the kernel then kills the probe (PR_SET_PDEATHSIG).
#[test]
fn a_killed_grader_leaves_no_probe() {
    let setup = setup("orphan");
    let probe = attacker_command(&setup, "sleep", true);
    let line = std::iter::once(probe.get_program())
        .chain(probe.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ");
    let mut grader = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "NNLAB_ATTACK=sleep NNLAB_OUTSIDE='{}' {line} & echo $! > pid; wait",
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
    let alive = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| !s.rsplit(')').next().unwrap_or_default().trim_start().starts_with('Z'))
    };
    assert!(alive(pid), "the probe did not start");
    grader.kill().unwrap();
    grader.wait().unwrap();
    let started = Instant::now();
    while alive(pid) && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(pid), "the probe {pid} outlived the grader that started it");
}
