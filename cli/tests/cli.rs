//! End-to-end tests of the `wsus-doctor` binary: JSON contract, exit codes, stdin, overrides.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wsus-doctor"));
    c.current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run wsus-doctor")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn json_report_follows_the_contract() {
    let out = run(&[
        "diagnose",
        "--format",
        "json",
        "examples/xp-selfupdate-port80/WindowsUpdate.log",
        "examples/xp-selfupdate-port80/client-policy.reg",
        "examples/xp-selfupdate-port80/u_ex091214-port80.log",
    ]);
    assert_eq!(out.status.code(), Some(1), "error findings give exit 1");
    let v = json(&out);
    assert_eq!(v["version"], 1);
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    assert_eq!(inputs[1]["kind"], "registry");
    assert_eq!(inputs[1]["lines"], 19);
    assert_eq!(inputs[1]["unrecognised"], 0);
    assert_eq!(inputs[2]["kind"], "iis-log");
    let findings = v["findings"].as_array().unwrap();
    let first = &findings[0];
    assert_eq!(first["rule"], "selfupdate-needs-port-80");
    assert_eq!(first["severity"], "error");
    for key in ["title", "detail", "evidence", "remedy", "references"] {
        assert!(!first[key].is_null(), "finding lacks {key}");
    }
    let ev = &first["evidence"][0];
    assert_eq!(ev["input"], "examples/xp-selfupdate-port80/client-policy.reg");
    assert_eq!(ev["line"], 4);
    assert_eq!(ev["text"], "\"WUServer\"=\"http://wsus01:8530\"");
    assert!(first["remedy"].as_array().unwrap().iter().any(|s| s.as_str().unwrap().contains("http://wsus01/iuident.cab")));
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), wsus_doctor_core::rules::CATALOGUE.len());
    for c in checks {
        assert!(["fired", "passed", "not-run"].contains(&c["status"].as_str().unwrap()));
        assert!(c["needs"].is_array());
    }
}

#[test]
fn stdin_and_kind_override() {
    let mut child = bin()
        .args(["diagnose", "--format", "json", "--kind", "windowsupdate-log", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"  * WSUS server: <NULL>\r\n  * WSUS status server: <NULL>\r\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let v = json(&out);
    assert_eq!(v["inputs"][0]["name"], "stdin");
    assert_eq!(v["inputs"][0]["kind"], "windowsupdate-log");
    // a log that shows no WSUS server is a machine that does not use WSUS: said, not blamed
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "wuserver-missing").expect("wuserver-missing");
    assert_eq!(f["severity"], "info");
    assert_eq!(v["modes"][0]["mode"], "unmanaged");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn clean_evidence_exits_zero_and_unreadable_exits_two() {
    let ok = run(&["diagnose", "tests/cases/healthy-port80/policy.reg", "tests/cases/healthy-port80/u_ex210203.log"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));
    let missing = run(&["diagnose", "no/such/file.log"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.log"));
    let dir = std::env::temp_dir().join(format!("wsus-doctor-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join("screenshot.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10").unwrap();
    let out = run(&["diagnose", "--format", "json", png.to_str().unwrap(), "tests/cases/healthy-port80/policy.reg"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert!(v["inputs"][0]["error"].as_str().unwrap().contains("PNG"));
    assert_eq!(v["inputs"][1]["kind"], "registry", "the other input is still diagnosed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn size_limit_is_reported_not_fatal() {
    let out = run(&["diagnose", "--format", "json", "--max-size", "1KB", "examples/xp-selfupdate-port80/WindowsUpdate.log"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert!(v["inputs"][0]["error"].as_str().unwrap().contains("limit"));
}

#[test]
fn text_output_reads_like_a_compiler_diagnostic_and_respects_no_color() {
    let out = bin()
        .args(["diagnose", "--color", "auto", "examples/xp-selfupdate-port80/WindowsUpdate.log"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.contains('\x1b'), "no escape codes with NO_COLOR");
    assert!(s.contains("error[selfupdate-not-found]: Self-update files are not found"));
    assert!(s.contains("--> examples/xp-selfupdate-port80/WindowsUpdate.log:35"));
    assert!(s.contains("   1. "));
    let forced = run(&["diagnose", "--color", "always", "examples/xp-selfupdate-port80/WindowsUpdate.log"]);
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\x1b'));
}

#[test]
fn markdown_output() {
    let out = run(&["diagnose", "--format", "markdown", "examples/xp-root-certificates/WindowsUpdate.log"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("# WSUS Doctor report"));
    assert!(s.contains("### WARNING `root-cert-update-repeats`"));
    assert!(s.contains("| `usewuserver-off` | not run |"));
}

#[test]
fn rules_explain_and_code() {
    let rules = String::from_utf8(run(&["rules"]).stdout).unwrap();
    assert_eq!(rules.lines().count(), wsus_doctor_core::rules::CATALOGUE.len());
    assert!(rules.contains("server-unreachable-24h"));
    let ex = run(&["explain", "selfupdate-needs-port-80"]);
    assert!(String::from_utf8_lossy(&ex.stdout).contains("port 80"));
    assert_eq!(run(&["explain", "nope"]).status.code(), Some(2));
    let code = String::from_utf8(run(&["code", "0x80244019"]).stdout).unwrap();
    assert_eq!(
        code.lines().next().unwrap_or_default(),
        "0x80244019 WU_E_PT_HTTP_STATUS_NOT_FOUND (HTTP 404): the update server (or a proxy in between) answered HTTP 404 (not found)"
    );
    assert_eq!(code.lines().nth(1), Some("blame: wsus-server"));
    let bits = String::from_utf8(run(&["code", "80190194"]).stdout).unwrap();
    assert!(bits.contains("BG_E_HTTP_ERROR_404"));
    let dec = String::from_utf8(run(&["code", "-2145107943"]).stdout).unwrap();
    assert!(dec.contains("WU_E_PT_HTTP_STATUS_NOT_FOUND"));
}

#[test]
fn a_folder_stands_for_its_files() {
    // like C:\inetpub\logs\LogFiles\W3SVC1 copied off the WSUS server
    let dir = std::env::temp_dir().join(format!("wsus-doctor-w3svc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["u_ex170508.log", "httperr1.log"] {
        std::fs::copy(format!("{}/../examples/server-sharepoint/{f}", env!("CARGO_MANIFEST_DIR")), dir.join(f)).unwrap();
    }
    let out = run(&["diagnose", "--format", "json", dir.to_str().unwrap()]);
    let v = json(&out);
    let names: Vec<String> =
        v["inputs"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap().rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(names, ["httperr1.log", "u_ex170508.log"], "sorted, one input per file");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "sharepoint-intercepts-wsus"));
    std::fs::remove_dir_all(&dir).unwrap();
    let empty = std::env::temp_dir().join(format!("wsus-doctor-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = run(&["diagnose", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the folder holds no files"));
    std::fs::remove_dir_all(&empty).unwrap();
}

/// A collection folder as admins copy it off a client: subfolders are read (ETL traces, event
/// log, ReportingEvents.log), and what is not a regular file is named on stderr, not dropped.
#[cfg(unix)]
#[test]
fn a_collection_folder_is_walked_and_what_is_skipped_is_said() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("wsus-doctor-collect-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("Logs/WindowsUpdate")).unwrap();
    std::fs::create_dir_all(dir.join("SoftwareDistribution")).unwrap();
    std::fs::copy(
        format!("{root}/tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl"),
        dir.join("Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl"),
    )
    .unwrap();
    std::fs::copy(format!("{root}/tests/fixtures/evtx/system.evtx"), dir.join("System.evtx")).unwrap();
    std::fs::copy(format!("{root}/tests/fixtures/reporting/ReportingEvents.log"), dir.join("SoftwareDistribution/ReportingEvents.log"))
        .unwrap();
    std::os::unix::fs::symlink(dir.join("gone.log"), dir.join("dangling.log")).unwrap();
    let fifo = dir.join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = run(&["diagnose", "--format", "json", dir.to_str().unwrap()]);
    let v = json(&out);
    let names: Vec<&str> = v["inputs"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    let tail = |n: &str| n.strip_prefix(dir.to_str().unwrap()).unwrap().to_string();
    assert_eq!(
        names.iter().map(|n| tail(n)).collect::<Vec<_>>(),
        ["/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl", "/SoftwareDistribution/ReportingEvents.log", "/System.evtx"]
    );
    let lines: Vec<u64> = v["inputs"].as_array().unwrap().iter().map(|i| i["lines"].as_u64().unwrap()).collect();
    assert_eq!(lines, [80, 175, 377]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dangling.log: a link that leads nowhere"), "{err}");
    assert!(err.contains("pipe: not a regular file"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Two machines' logs with the same file name stay two inputs: each keeps the path it was given,
/// its own line count, and the evidence that cites it points into its own lines. The same file
/// given twice gets a ` (2)` suffix rather than merging with the first.
#[test]
fn same_named_inputs_keep_their_identity() {
    let dir = std::env::temp_dir().join(format!("wsus-doctor-same-name-{}", std::process::id()));
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    for (pc, src) in [("pc1", "examples/win10-misconfigured/WindowsUpdate.log"), ("pc2", "tests/cases/legacy-sus-server/WindowsUpdate.log")]
    {
        std::fs::create_dir_all(dir.join(pc)).unwrap();
        std::fs::copy(root.join(src), dir.join(pc).join("WindowsUpdate.log")).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_wsus-doctor"))
        .current_dir(&dir)
        .args(["diagnose", "--format", "json", "pc1/WindowsUpdate.log", "pc2/WindowsUpdate.log", "pc1/WindowsUpdate.log"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let v = json(&out);
    let names: Vec<&str> = v["inputs"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["pc1/WindowsUpdate.log", "pc2/WindowsUpdate.log", "pc1/WindowsUpdate.log (2)"]);
    let lines: Vec<u64> = v["inputs"].as_array().unwrap().iter().map(|i| i["lines"].as_u64().unwrap()).collect();
    assert_eq!(lines, [27, 13, 27]);
    // pc2 alone is the SUS-legacy client; its evidence must cite pc2's file and pc2's lines
    let legacy = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "legacy-sus-mode").expect("legacy-sus-mode fired");
    for e in legacy["evidence"].as_array().unwrap() {
        assert_eq!(e["input"], "pc2/WindowsUpdate.log");
        let n = e["line"].as_u64().unwrap() as usize;
        let text = std::fs::read_to_string(root.join("tests/cases/legacy-sus-server/WindowsUpdate.log")).unwrap();
        let line = text.lines().nth(n - 1).unwrap();
        assert!(line.trim_end().starts_with(e["text"].as_str().unwrap().trim_end_matches('…')), "{e}");
    }
}

/// Evidence is attacker-controlled: escape sequences in a log line (clear screen, window title,
/// C1 CSI) must reach the terminal as visible text, never as control characters.
#[test]
fn text_output_shows_control_characters_as_inert_text() {
    let mut child = bin().args(["diagnose", "--color", "never", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let line = "2009-12-14\t10:20:09:031\t1032\t4d8\tPT\tWARNING: PTError: 0x80072efd \u{1b}[2J\u{1b}]0;owned\u{7}\u{9b}31m\u{8}\u{8}\r\n";
    child.stdin.take().unwrap().write_all(line.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0x80072efd \\x1B[2J\\x1B]0;owned\\x07\\x9B31m\\x08\\x08"), "{text}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "raw control characters in: {text:?}");
}

/// `--max-size` limits: an over-limit file is refused before it is read (it contributes no
/// finding), an endless stream is read only up to the limit and said to be partial, and the
/// other inputs are still diagnosed.
#[test]
fn max_size_refuses_files_up_front_and_stops_endless_streams() {
    let dir = std::env::temp_dir().join(format!("wsus-doctor-max-size-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("WindowsUpdate.log");
    let line = "2009-12-14\t10:20:09:031\t1032\t4d8\tPT\tWARNING: PTError: 0x80072efd\r\n";
    std::fs::write(&big, line.repeat((2 << 20) / line.len())).unwrap();
    let out =
        run(&["diagnose", "--format", "json", "--max-size", "1MB", big.to_str().unwrap(), "examples/win10-misconfigured/reg-query.txt"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert!(v["inputs"][0]["error"].as_str().unwrap().contains("larger than the 1 MB limit; it was not diagnosed"), "{}", v["inputs"][0]);
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["rule"] != "wsus-unreachable"), "a refused input gave findings");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "usewuserver-off"), "the other input was still diagnosed");

    // `yes |`: never ends by itself; the CLI must stop reading at the limit
    let mut yes = Command::new("yes").arg(line.trim_end()).stdout(Stdio::piped()).spawn().unwrap();
    let out = bin()
        .args(["diagnose", "--format", "json", "--max-size", "1MB", "-"])
        .stdin(Stdio::from(yes.stdout.take().unwrap()))
        .output()
        .unwrap();
    let _ = yes.kill();
    let _ = yes.wait();
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let err = v["inputs"][0]["error"].as_str().unwrap();
    assert!(err.contains("only its first ") && err.contains(" KB (up to line ") && err.contains("the rest was not read"), "{err}");
}

/// A report that cannot be written (disk full) is an error: exit 2 with a message.
#[test]
fn a_write_failure_exits_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    let out = bin().args(["diagnose", "examples/win10-misconfigured/reg-query.txt"]).stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report"));
}

#[test]
fn a_collection_folder_of_two_machines_is_diagnosed_per_machine() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::temp_dir().join(format!("wsus-doctor-machines-{}", std::process::id()));
    for (name, from) in [
        ("collect/pc1/WindowsUpdate.log", "examples/xp-selfupdate-port80/WindowsUpdate.log"),
        ("collect/pc1/client-policy.reg", "examples/xp-selfupdate-port80/client-policy.reg"),
        ("collect/pc2/WindowsUpdate.log", "examples/win10-misconfigured/WindowsUpdate.log"),
        ("collect/pc2/reg-query.txt", "examples/win10-misconfigured/reg-query.txt"),
        ("collect/u_ex091214.log", "examples/xp-selfupdate-port80/u_ex091214-port80.log"),
    ] {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(root.join(from), p).unwrap();
    }
    let json =
        Command::new(env!("CARGO_BIN_EXE_wsus-doctor")).args(["diagnose", "--format", "json"]).arg(dir.join("collect")).output().unwrap();
    let text =
        Command::new(env!("CARGO_BIN_EXE_wsus-doctor")).args(["diagnose", "--color", "never"]).arg(dir.join("collect")).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let r: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(r["machines"], serde_json::json!(["pc1", "pc2"]));
    let on = |rule: &str| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["machine"].as_str().unwrap_or("-").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(on("usewuserver-off"), ["pc2"]);
    assert_eq!(on("selfupdate-needs-port-80"), ["pc1"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("machines: pc1, pc2 (the inputs came from 2 machines' folders"), "{text}");
    assert!(text.contains("error[selfupdate-needs-port-80] on pc1: "), "{text}");
}

#[test]
fn codes_lists_every_code_with_its_blame() {
    let out = run(&["codes"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 1200, "{} codes", lines.len());
    for (hex, symbol, blame) in [
        ("0x80244019", "WU_E_PT_HTTP_STATUS_NOT_FOUND", "wsus-server"),
        ("0x8024401B", "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ", "proxy"),
        ("0x8024402C", "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED", "network"),
        ("0x80072EE2", "ERROR_WINHTTP_TIMEOUT", "network"),
        ("0x80190194", "BG_E_HTTP_ERROR_404", "content"),
        ("0x800B0109", "CERT_E_UNTRUSTEDROOT", "client"),
        ("0x800F081F", "CBS_E_SOURCE_MISSING", "client"),
        ("0x87D00692", "ConfigMgr", "client"),
    ] {
        let line = lines.iter().find(|l| l.starts_with(hex)).unwrap_or_else(|| panic!("{hex} not listed"));
        let fields: Vec<&str> = line.splitn(4, "  ").collect();
        assert_eq!(fields[..3], [hex, symbol, blame], "{line}");
        assert!(!fields[3].is_empty(), "{line}");
    }
    let hexes: Vec<&str> = lines.iter().map(|l| &l[..10]).collect();
    assert!(hexes.windows(2).all(|w| w[0] < w[1]), "in numeric order, once each");
    let dec = String::from_utf8(run(&["code", "2148204809"]).stdout).unwrap();
    assert!(dec.starts_with("0x800B0109 CERT_E_UNTRUSTEDROOT") && dec.contains("blame: client"), "{dec}");
}

/// A file name and evidence carrying a right-to-left override and a zero-width space: the
/// terminal report shows them as escapes (`evil\u{202E}gol.exe` would display as `evilexe.log`).
#[test]
fn bidi_and_invisible_characters_are_shown_as_escapes() {
    let dir = std::env::temp_dir().join(format!("wsus-doctor-bidi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("evil\u{202E}gol.exe");
    std::fs::write(&f, "2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: Exit code = 0x8024402C \u{200B}\u{2066}hidden\u{2069}\r\n")
        .unwrap();
    let out = bin().args(["diagnose", f.to_str().unwrap()]).env("NO_COLOR", "1").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    std::fs::remove_dir_all(&dir).ok();
    assert!(text.contains("evil\\u{202E}gol.exe"), "{text}");
    assert!(text.contains("\\u{200B}\\u{2066}hidden\\u{2069}"), "{text}");
    for c in ['\u{202E}', '\u{200B}', '\u{2066}', '\u{2069}'] {
        assert!(!text.contains(c), "{c:?} reached the terminal: {text}");
    }
}

/// A folder restored from a stranger's bundle can hold links: one to a secret outside the folder
/// would be quoted into a report meant for a ticket, one into `/proc` never ends. Neither is read,
/// both are said; a link that stays inside the folder is read as the file it names.
#[cfg(unix)]
#[test]
fn links_out_of_the_folder_given_are_not_followed() {
    let root = format!("{}/..", env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("wsus-doctor-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("SoftwareDistribution")).unwrap();
    let outside = std::env::temp_dir().join(format!("wsus-doctor-secret-{}.txt", std::process::id()));
    std::fs::write(&outside, "2009-12-14\t10:20:09:031\t1032\t4d8\tPT\tWARNING: PTError: 0x80072efd secret-token-4711\r\n").unwrap();
    std::fs::copy(format!("{root}/examples/win10-misconfigured/reg-query.txt"), dir.join("reg-query.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("SoftwareDistribution/ReportingEvents.log")).unwrap();
    std::os::unix::fs::symlink("/proc/self/pagemap", dir.join("zz.log")).unwrap();
    std::os::unix::fs::symlink(dir.join("reg-query.txt"), dir.join("policy-link.txt")).unwrap();
    let out = run(&["diagnose", "--format", "json", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_file(&outside).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("secret-token-4711"), "a file outside the folder was quoted: {stdout}");
    let v = json(&out);
    let names: Vec<&str> = v["inputs"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with("/policy-link.txt") && names[1].ends_with("/reg-query.txt"), "{names:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ReportingEvents.log: a link out of the folder given"), "{err}");
    assert!(err.contains("zz.log: a link to /proc/") && err.contains("a system file, not read"), "{err}");
}

/// `/dev/zero` named on the command line, with no `--max-size`: the default limit stops it.
#[cfg(unix)]
#[test]
fn an_endless_device_stops_at_the_default_limit() {
    let out = run(&["diagnose", "--format", "json", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let err = v["inputs"][0]["error"].as_str().unwrap();
    assert!(err.contains("larger than the 2.0 GB limit") && err.contains("the rest was not read"), "{err}");
    let help = String::from_utf8_lossy(&run(&["diagnose", "--help"]).stdout).to_string();
    assert!(help.contains("[default: 2GB]"), "{help}");
}
