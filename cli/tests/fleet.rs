//! `wsus-doctor fleet` on generated collection shares (folders and zips per machine, the
//! server's IIS log beside them, machines collected twice), and `diagnose --format ndjson`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use wsus_doctor_bench::fleet::{generate, Class, Share};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wsus-doctor"))
}

/// A fresh share under the temp folder, generated once per test.
fn share(test: &str, machines: usize) -> (PathBuf, Share) {
    let root = std::env::temp_dir().join(format!("wsus-doctor-fleet-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let s = generate(&root, machines, 7, 24 * 1024, 256 * 1024).expect("generate the share");
    (root, s)
}

/// Run in `root`, so input names are relative (`share/site-0/...`) as the fleet names them.
fn run(root: &Path, args: &[&str]) -> Output {
    bin().current_dir(root).args(args).output().expect("run wsus-doctor")
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// The rule each generated class must be ranked under.
fn rule_of(c: Class) -> Option<&'static str> {
    match c {
        Class::ScanTimeout => Some("scan-timeout"),
        Class::Unreachable => Some("wsus-unreachable"),
        Class::Proxy407 => Some("proxy-in-path"),
        Class::DualScan => Some("dual-scan"),
        Class::UseWuServerOff => Some("usewuserver-off"),
        Class::InstallFailed => Some("update-install-failed"),
        Class::Healthy | Class::Unmanaged | Class::Unreadable => None,
    }
}

fn count(s: &Share, c: Class) -> usize {
    s.classes.iter().find(|(k, _)| *k == c).map_or(0, |(_, n)| *n)
}

#[test]
fn summary_ranks_each_failure_class_by_its_machines() {
    let (root, s) = share("summary", 240);
    assert!(s.zips > 20, "a zip per machine for some: {}", s.zips);
    let out = run(&root, &["fleet", "--format", "json", "--jobs", "2", "share"]);
    assert_eq!(out.status.code(), Some(1), "error findings: exit 1; stderr {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(v["machines"], 240, "machines collected twice count once");
    assert_eq!(v["diagnosed"], 240);
    let causes: BTreeMap<&str, u64> =
        v["causes"].as_array().unwrap().iter().map(|c| (c["rule"].as_str().unwrap(), c["machines"].as_u64().unwrap())).collect();
    for &(class, _) in wsus_doctor_bench::fleet::RATES {
        if let Some(rule) = rule_of(class) {
            assert_eq!(causes.get(rule).copied().unwrap_or(0), count(&s, class) as u64, "{rule}: {causes:?}");
        }
    }
    assert_eq!(causes.len(), RATES_WITH_RULE.iter().filter(|c| count(&s, **c) > 0).count(), "no other cause: {causes:?}");
    // ranked by machines, ties by rule id
    let ranked: Vec<(u64, &str)> =
        v["causes"].as_array().unwrap().iter().map(|c| (c["machines"].as_u64().unwrap(), c["rule"].as_str().unwrap())).collect();
    let mut sorted = ranked.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    assert_eq!(ranked, sorted);
    let top = &v["causes"][0];
    assert!(top["examples"].as_array().unwrap().len() <= 5 && !top["first_step"].as_str().unwrap().is_empty());
    // the server's IIS log: read once, its findings once, never a machine's cause
    assert_eq!(v["server"]["inputs"], serde_json::json!(["share/server/W3SVC1/u_ex240411.log"]));
    let server: Vec<&str> = v["server"]["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(server.contains(&"wsuspool-overloaded"), "{server:?}");
    assert_eq!(server.len(), server.iter().collect::<BTreeSet<_>>().len(), "each server finding once");
    assert!(server.iter().all(|r| !causes.contains_key(r)));
    assert_eq!(v["unreadable"].as_array().unwrap().len(), count(&s, Class::Unreadable));
    assert!(v["unreadable"][0]["why"].as_str().unwrap().contains("PNG"));
    assert_eq!(v["clean"], (count(&s, Class::Healthy) + count(&s, Class::Unmanaged)) as u64);
    let modes: BTreeMap<&str, u64> =
        v["modes"].as_array().unwrap().iter().map(|m| (m["mode"].as_str().unwrap(), m["machines"].as_u64().unwrap())).collect();
    assert_eq!(modes.get("unmanaged").copied(), Some(count(&s, Class::Unmanaged) as u64));
    assert_eq!(modes.get("mixed").copied().unwrap_or(0), count(&s, Class::DualScan) as u64);
    // the recollected copies are the same machines, said
    let notes: Vec<&str> = v["notes"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(notes.iter().filter(|n| n.contains("collected 2 times")).count(), s.twice, "{notes:?}");
    // text and Markdown say the same ranking
    let text = String::from_utf8(run(&root, &["fleet", "share"]).stdout).unwrap();
    let first = format!("  1. {}[{}] {} machine(s)", top["severity"].as_str().unwrap(), top["rule"].as_str().unwrap(), top["machines"]);
    assert!(text.contains(&first), "{text}");
    let md = String::from_utf8(run(&root, &["fleet", "--format", "markdown", "share"]).stdout).unwrap();
    let row = md.lines().find(|l| l.starts_with("| 1 | ")).unwrap_or_else(|| panic!("{md}"));
    assert!(row.contains(&format!("(`{}`)", top["rule"].as_str().unwrap())), "{row}");
    let _ = std::fs::remove_dir_all(&root);
}

const RATES_WITH_RULE: &[Class] =
    &[Class::ScanTimeout, Class::Unreachable, Class::Proxy407, Class::DualScan, Class::UseWuServerOff, Class::InstallFailed];

#[test]
fn ndjson_records_are_ecs_shaped_stable_and_rank_like_the_summary() {
    let (root, s) = share("ndjson", 150);
    let out = run(&root, &["fleet", "--format", "ndjson", "--summary", "summary.json", "share"]);
    let recs = lines(&out);
    let states: Vec<&Value> = recs.iter().filter(|r| r["event"]["kind"] == "state").collect();
    assert_eq!(states.iter().filter(|r| r["wsus_doctor"]["role"] == "client").count(), s.machines, "one state line per machine");
    let alerts: Vec<&Value> = recs.iter().filter(|r| r["event"]["kind"] == "alert").collect();
    assert!(!alerts.is_empty());
    for a in &alerts {
        for field in ["@timestamp", "message"] {
            assert!(a[field].is_string(), "{field} in {a}");
        }
        assert!(a["host"]["name"].is_string() && a["rule"]["id"].is_string() && a["rule"]["name"].is_string());
        assert!(a["rule"]["reference"].as_str().unwrap().starts_with("https://"));
        assert!(a["event"]["severity"].is_u64() && a["log"]["level"].is_string());
        assert!(!a["wsus_doctor"]["evidence"].as_array().unwrap().is_empty() && a["wsus_doctor"]["remedy"].is_array());
        if let Some(code) = a["error"]["code"].as_str() {
            assert!(
                code.len() == 10 && code.starts_with("0x") && code[2..].chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()),
                "{code}"
            );
        }
    }
    assert!(alerts.iter().any(|a| a["error"]["code"] == "0x8024401C" && a["rule"]["id"] == "scan-timeout"));
    let ids: BTreeSet<&str> = recs.iter().map(|r| r["event"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), recs.len(), "event ids are unique");
    // a re-run gives the same ids (the SIEM dedupes), whatever the order machines finished in
    let again = run(&root, &["fleet", "--format", "ndjson", "--jobs", "1", "share"]);
    let again_ids: BTreeSet<String> = lines(&again).iter().map(|r| r["event"]["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(again_ids, ids.iter().map(|s| s.to_string()).collect());
    // aggregating the records ranks causes exactly as the summary does
    let mut by_rule: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for a in alerts
        .iter()
        .filter(|a| a["wsus_doctor"]["role"] == "client" && a["log"]["level"] != "info" && a["wsus_doctor"]["caused_by"].is_null())
    {
        by_rule.entry(a["rule"]["id"].as_str().unwrap()).or_default().insert(a["host"]["name"].as_str().unwrap());
    }
    let mut ranked: Vec<(usize, &str)> = by_rule.iter().map(|(r, h)| (h.len(), *r)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let summary: Value = serde_json::from_slice(&std::fs::read(root.join("summary.json")).unwrap()).unwrap();
    let from_summary: Vec<(usize, &str)> = summary["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["machines"].as_u64().unwrap() as usize, c["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(ranked, from_summary);
    // one machine through `diagnose --format ndjson`: the same records, the same ids
    let one = states
        .iter()
        .find(|s| {
            s["wsus_doctor"]["role"] == "client"
                && s["wsus_doctor"]["findings"].as_u64() > Some(0)
                && !s["wsus_doctor"]["inputs"][0]["name"].as_str().unwrap().contains(".zip")
        })
        .unwrap();
    let host = one["host"]["name"].as_str().unwrap();
    let folder = one["wsus_doctor"]["inputs"][0]["name"].as_str().unwrap().rsplit_once('/').unwrap().0.to_string();
    let single = lines(&run(&root, &["diagnose", "--format", "ndjson", &folder]));
    let mine: BTreeSet<&str> = recs.iter().filter(|r| r["host"]["name"] == host).map(|r| r["event"]["id"].as_str().unwrap()).collect();
    let theirs: BTreeSet<&str> = single.iter().map(|r| r["event"]["id"].as_str().unwrap()).collect();
    assert_eq!(mine, theirs, "{host} from {folder}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn csv_has_a_row_per_machine_and_cause_and_no_formulas() {
    let root = std::env::temp_dir().join(format!("wsus-doctor-fleet-{}-csv", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let log = include_str!("../../tests/cases/win10-scan-timeout/WindowsUpdate.log");
    // a machine folder named like a formula, and evidence carrying an escape sequence
    for (name, text) in [
        ("=HYPERLINK(\"evil\")", log.to_string()),
        ("pc2", log.replace("Web service call failed", "Web service call \u{1b}[2J failed, \"quoted\"")),
    ] {
        std::fs::create_dir_all(root.join("collect").join(name)).unwrap();
        std::fs::write(root.join("collect").join(name).join("WindowsUpdate.log"), text).unwrap();
    }
    std::fs::create_dir_all(root.join("collect/pc3")).unwrap();
    std::fs::write(root.join("collect/pc3/WindowsUpdate.log"), include_str!("../../tests/cases/no-policy-win7/WindowsUpdate.log")).unwrap();
    let out = run(&root, &["fleet", "--format", "csv", "collect"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "machine,mode,status,rule,severity,title,error_code,first_step,evidence");
    let evil: Vec<&&str> = rows.iter().filter(|r| r.contains("HYPERLINK")).collect();
    assert!(!evil.is_empty() && evil.iter().all(|r| r.starts_with("\"'=HYPERLINK(\"\"evil\"\")\",wsus,cause,scan-timeout,")), "{evil:?}");
    let pc2: Vec<&&str> = rows.iter().filter(|r| r.starts_with("pc2,")).collect();
    assert!(pc2.iter().any(|r| r.contains(",0x8024401C,")), "{pc2:?}");
    assert!(csv.contains("\\x1B[2J failed, \"\"quoted\"\"") && !csv.contains('\u{1b}'), "{csv}");
    assert!(rows.iter().any(|r| r.starts_with("pc3,unmanaged,no cause found,")), "{rows:?}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_machine_collected_twice_is_one_and_zips_are_machines() {
    let root = std::env::temp_dir().join(format!("wsus-doctor-fleet-{}-twice", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let log = include_str!("../../tests/cases/win10-scan-timeout/WindowsUpdate.log");
    std::fs::create_dir_all(root.join("monday/PC7")).unwrap();
    std::fs::write(root.join("monday/PC7/WindowsUpdate.log"), log).unwrap();
    // Tuesday's collection of the same machine came as a zip (names compare without case)
    std::fs::create_dir_all(root.join("tuesday")).unwrap();
    wsus_doctor_bench::fleet::write_zip(&root.join("tuesday/pc7.zip"), &[("WindowsUpdate.log", log.as_bytes().to_vec())]).unwrap();
    let out = run(&root, &["fleet", "--format", "ndjson", "monday", "tuesday"]);
    let recs = lines(&out);
    let states: Vec<&Value> = recs.iter().filter(|r| r["event"]["kind"] == "state").collect();
    assert_eq!(states.len(), 1, "{recs:?}");
    assert_eq!(states[0]["host"]["name"], "pc7");
    let note = states[0]["wsus_doctor"]["notes"][0].as_str().unwrap();
    assert!(note.contains("collected 2 times: tuesday/pc7.zip is the newest and was read; monday/PC7 not read"), "{note}");
    assert!(recs.iter().any(|r| r["rule"]["id"] == "scan-timeout" && r["log"]["file"]["path"] == "tuesday/pc7.zip/Logs/WindowsUpdate.log"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn nothing_to_read_is_a_usage_error() {
    let out = bin().args(["fleet", "/nonexistent/share"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/share"));
}

/// Ctrl-C stops handing out machines; what was done is written whole, and said.
#[cfg(unix)]
#[test]
fn ctrl_c_writes_what_is_done() {
    use std::io::BufRead;
    let (root, s) = share("ctrlc", 1500);
    let mut child = bin()
        .current_dir(&root)
        .args(["fleet", "--format", "ndjson", "--jobs", "1", "share"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stopped by Ctrl-C"), "{stderr}");
    let mut states = 0;
    for l in std::iter::once(first.as_str()).chain(rest.lines()) {
        let v: Value = serde_json::from_str(l.trim_end()).unwrap_or_else(|e| panic!("a cut line ({e}): {l}"));
        states += usize::from(v["event"]["kind"] == "state" && v["wsus_doctor"]["role"] == "client");
    }
    assert!(states > 0 && states < s.machines, "{states} of {}", s.machines);
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn redact_gives_every_machine_the_same_aliases() {
    let (root, _) = share("redact", 80);
    let out = run(&root, &["fleet", "--format", "ndjson", "--redact", "share"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("wsus01") && !text.contains("PC000") && !text.contains("corp.local"), "names left in the records");
    let recs = lines(&out);
    // every unreachable machine's first step names the same server, by the same alias
    let servers: BTreeSet<&str> = recs
        .iter()
        .filter(|r| r["rule"]["id"] == "wsus-unreachable")
        .filter_map(|r| r["wsus_doctor"]["first_step"].as_str()?.split("Test-NetConnection ").nth(1)?.split(' ').next())
        .collect();
    assert_eq!(servers.len(), 1, "{servers:?}");
    assert!(servers.iter().all(|s| s.starts_with("host-")), "{servers:?}");
    let hosts: BTreeSet<&str> =
        recs.iter().filter(|r| r["wsus_doctor"]["role"] == "client").map(|r| r["host"]["name"].as_str().unwrap()).collect();
    assert!(hosts.len() == 80 && hosts.iter().all(|h| h.starts_with("host-")), "{hosts:?}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn server_logs_beside_the_machines_are_read_once() {
    let root = std::env::temp_dir().join(format!("wsus-doctor-fleet-{}-server", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let c = root.join("collect");
    for pc in ["pc1", "pc2", "pc3"] {
        std::fs::create_dir_all(c.join("site").join(pc)).unwrap();
        std::fs::write(
            c.join("site").join(pc).join("WindowsUpdate.log"),
            include_str!("../../tests/cases/win10-wsuspool/WindowsUpdate.log"),
        )
        .unwrap();
    }
    // the server's logs loose at the top, named nothing special: known by their content
    std::fs::write(c.join("iis.txt"), include_str!("../../tests/cases/server-content-404/u_ex240411.log")).unwrap();
    std::fs::write(c.join("sd.log"), include_str!("../../tests/cases/server-sync-tls/SoftwareDistribution.log")).unwrap();
    std::fs::write(c.join("httperr1.log"), include_str!("../../tests/cases/win10-wsuspool/httperr1.log")).unwrap();
    std::fs::write(c.join("readme.txt"), "collected by the Monday script\n").unwrap();
    let out = run(&root, &["fleet", "--format", "json", "collect"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["machines"], 3, "{v}");
    let inputs: BTreeSet<&str> = v["server"]["inputs"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(inputs, BTreeSet::from(["collect/httperr1.log", "collect/iis.txt", "collect/sd.log"]));
    let rules: Vec<&str> = v["server"]["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"server-sync-failed") && rules.contains(&"content-download-failed"), "{rules:?}");
    let notes = v["notes"].to_string();
    assert!(notes.contains("readme.txt: beside machine folders, in none of them: not read"), "{notes}");
    // every client saw the same 503s: each machine counted once, the server's logs not as a machine
    let causes = v["causes"].as_array().unwrap();
    assert!(!causes.is_empty() && causes.iter().all(|c| c["machines"] == 3), "{}", v["causes"]);
    let _ = std::fs::remove_dir_all(&root);
}

/// The records without the run's time (the only field two runs may differ in).
fn timeless(out: &Output) -> Vec<Value> {
    let mut recs = lines(out);
    for r in &mut recs {
        if let Some(o) = r.as_object_mut() {
            o.remove("@timestamp");
        }
    }
    recs
}

// See issue 22: aliases were numbered as machines finished, so they changed with --jobs.
#[test]
fn redact_gives_the_same_records_whatever_the_jobs() {
    let (root, _) = share("redact-jobs", 40);
    // the first machines in order are the biggest: with several workers they finish last
    let log = include_str!("../../tests/cases/win10-scan-timeout/WindowsUpdate.log");
    for (n, server) in [("AAA-big-1", "bigwsus1.contoso.com"), ("AAA-big-2", "bigwsus2.contoso.com")] {
        let dir = root.join("share/site-0/2024-04-11").join(n);
        std::fs::create_dir_all(&dir).unwrap();
        let mine = log.replace("wsus01.corp.local", server);
        std::fs::write(dir.join("WindowsUpdate.log"), mine.repeat((3 << 20) / mine.len() + 1)).unwrap();
    }
    let one = run(&root, &["fleet", "--format", "ndjson", "--redact", "--jobs", "1", "share"]);
    let four = run(&root, &["fleet", "--format", "ndjson", "--redact", "--jobs", "4", "share"]);
    let (one, four) = (timeless(&one), timeless(&four));
    assert_eq!(one.iter().filter(|r| r["event"]["kind"] == "state" && r["wsus_doctor"]["role"] == "client").count(), 42);
    let text = serde_json::to_string(&one).unwrap();
    assert!(!text.contains("bigwsus") && !text.contains("AAA-big") && !text.contains("PC000"), "names left in the records");
    // the same records, so every alias (machines, servers, ids) the same, and so every event.id
    let sorted = |v: &[Value]| {
        let mut s: Vec<String> = v.iter().map(Value::to_string).collect();
        s.sort();
        s
    };
    assert_eq!(sorted(&one), sorted(&four));
    // and in the same order: the machines' (sorted) order
    for (a, b) in one.iter().zip(&four) {
        assert_eq!(a, b);
    }
    assert_eq!(one.len(), four.len());
    // and the same again in a second run
    let again = timeless(&run(&root, &["fleet", "--format", "ndjson", "--redact", "--jobs", "4", "share"]));
    assert_eq!(again, four);
    let _ = std::fs::remove_dir_all(&root);
}

// See issue 22: a machine is the deepest folder holding a client's evidence, at any depth.
#[test]
fn machines_at_different_depths_are_the_folders_holding_evidence() {
    let root = std::env::temp_dir().join(format!("wsus-doctor-fleet-{}-depths", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let s = root.join("share");
    let log = include_str!("../../tests/cases/win10-scan-timeout/WindowsUpdate.log");
    // pc1's own log beside a folder of screenshots (no evidence: still pc1's)
    std::fs::create_dir_all(s.join("siteA/pc1/screenshots")).unwrap();
    std::fs::write(s.join("siteA/pc1/WindowsUpdate.log"), log).unwrap();
    std::fs::write(s.join("siteA/pc1/screenshots/error.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    // pc2 copied with its drive's paths
    std::fs::create_dir_all(s.join("siteA/pc2/C/Windows")).unwrap();
    std::fs::write(s.join("siteA/pc2/C/Windows/WindowsUpdate.log"), log).unwrap();
    std::fs::write(s.join("siteA/collect-run.txt"), "collected by the Monday script\n").unwrap();
    // pc3 one level up, the server's IIS log loose at the top
    std::fs::create_dir_all(s.join("pc3")).unwrap();
    std::fs::write(s.join("pc3/WindowsUpdate.log"), log).unwrap();
    std::fs::write(s.join("u_ex251020.log"), include_str!("../../tests/cases/server-content-404/u_ex240411.log")).unwrap();
    let v: Value = serde_json::from_slice(&run(&root, &["fleet", "--format", "json", "share"]).stdout).unwrap();
    assert_eq!(v["machines"], 3, "{v}");
    let cause = v["causes"].as_array().unwrap().iter().find(|c| c["rule"] == "scan-timeout").unwrap_or_else(|| panic!("{v}"));
    assert_eq!(cause["examples"], serde_json::json!(["pc1", "pc2", "pc3"]), "{v}");
    assert_eq!(v["server"]["inputs"], serde_json::json!(["share/u_ex251020.log"]));
    assert!(v["unreadable"].as_array().unwrap().is_empty(), "{v}");
    let notes = v["notes"].to_string();
    assert!(notes.contains("collect-run.txt: beside machine folders, in none of them: not read"), "{notes}");
    // pc1's screenshots are read with pc1 (said as not recognised), not as a machine of their own
    let recs = lines(&run(&root, &["fleet", "--format", "ndjson", "share"]));
    let pc1 = recs.iter().find(|r| r["event"]["kind"] == "state" && r["host"]["name"] == "pc1").unwrap();
    let inputs = pc1["wsus_doctor"]["inputs"].to_string();
    assert!(inputs.contains("share/siteA/pc1/screenshots/error.png") && inputs.contains("share/siteA/pc1/WindowsUpdate.log"), "{inputs}");
    // the same share zipped: the zip's members split at the same depths, each machine apart
    let zipped = root.join("share.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    for (name, text) in
        [("share/siteA/pc1/WindowsUpdate.log", log), ("share/siteA/pc2/WindowsUpdate.log", log), ("share/pc3/WindowsUpdate.log", log)]
    {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut z, text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    let v: Value = serde_json::from_slice(&run(&root, &["fleet", "--format", "json", "share.zip"]).stdout).unwrap();
    assert_eq!(v["machines"], 3, "{v}");
    let cause = v["causes"].as_array().unwrap().iter().find(|c| c["rule"] == "scan-timeout").unwrap_or_else(|| panic!("{v}"));
    assert_eq!(cause["examples"], serde_json::json!(["share/pc1", "share/pc2", "share/pc3"]), "a zip's machines under its name: {v}");
    let _ = std::fs::remove_dir_all(&root);
}

/// A `reg query` export naming the machine's SusClientId and, when given, its computer name.
fn identity_reg(id: &str, computer: Option<&str>) -> String {
    let mut s = format!(
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\r\n    SusClientId    REG_SZ    {{{id}}}\r\n\r\n"
    );
    if let Some(c) = computer {
        s.push_str(&format!(
            "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName\r\n    ComputerName    REG_SZ    {c}\r\n"
        ));
    }
    s
}

// See issue 22: the same machine under two names is one by its evidence; two named alike are two.
#[test]
fn machines_are_known_by_their_evidence_not_only_their_names() {
    let root = std::env::temp_dir().join(format!("wsus-doctor-fleet-{}-identity", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let log = include_str!("../../tests/cases/win10-scan-timeout/WindowsUpdate.log");
    let (a, b, c, d) = (
        "8F1D3C6A-2B7E-4C10-9A55-0E3B7D21C4AA",
        "11111111-2222-4333-8444-555555555555",
        "66666666-7777-4888-9999-AAAAAAAAAAAA",
        "0C9A7D41-1F2E-4B8A-9E3C-55D2A1B7E6F0",
    );
    let folder = |path: &str, files: &[(&str, String)], age: u64| {
        let dir = root.join(path);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000 - age);
        std::fs::File::open(&dir).unwrap().set_modified(t).unwrap();
    };
    // pc1, Monday's folder, then Tuesday's zip named with the date: one SusClientId
    folder("monday/pc1", &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(a, Some("PC1")))], 86_400);
    std::fs::create_dir_all(root.join("tuesday")).unwrap();
    let zip = root.join("tuesday/pc1-2026-11-20.zip");
    wsus_doctor_bench::fleet::write_zip(&zip, &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(a, None).into_bytes())])
        .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&zip)
        .unwrap()
        .set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000))
        .unwrap();
    // pc9: a collect bundle's folder under its DNS name, and a backup copy whose registry names it
    let manifest =
        r#"{"manifest":"wsus-doctor collect","manifest_version":1,"machine":"PC9.contoso.local","collected_utc":"2026-11-20T10:00:00Z"}"#;
    folder("wednesday/PC9.contoso.local", &[("WindowsUpdate.log", log.into()), ("manifest.json", manifest.into())], 3600);
    folder("wednesday/backup-3", &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(d, Some("pc9")))], 60);
    // two machines named pc5 at two sites: their SusClientIds differ
    folder("siteA/pc5", &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(b, None))], 60);
    folder("siteB/PC5", &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(c, None))], 60);
    // pc7 and pc8 cloned from one image: one SusClientId, two machines
    folder("siteC/pc7", &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(d.replace('0', "E").as_str(), None))], 60);
    folder("siteC/pc8", &[("WindowsUpdate.log", log.into()), ("reg.txt", identity_reg(d.replace('0', "E").as_str(), None))], 60);
    let out = run(&root, &["fleet", "--format", "ndjson", "monday", "tuesday", "wednesday", "siteA", "siteB", "siteC"]);
    let recs = lines(&out);
    let states: BTreeMap<&str, &Value> = recs
        .iter()
        .filter(|r| r["event"]["kind"] == "state" && r["wsus_doctor"]["role"] == "client")
        .map(|r| (r["host"]["name"].as_str().unwrap(), r))
        .collect();
    let names: Vec<&str> = states.keys().copied().collect();
    assert_eq!(names, ["backup-3", "pc1-2026-11-20", "pc7", "pc8", "siteA/pc5", "siteB/PC5"], "{recs:?}");
    let notes = |m: &str| states[m]["wsus_doctor"]["notes"].to_string();
    let pc1 = notes("pc1-2026-11-20");
    assert!(
        pc1.contains("collected 2 times: tuesday/pc1-2026-11-20.zip is the newest and was read; monday/pc1 not read (the same machine: the same SusClientId)"),
        "{pc1}"
    );
    let pc9 = notes("backup-3");
    assert!(
        pc9.contains("wednesday/backup-3 is the newest and was read; wednesday/PC9.contoso.local not read (the same machine: the same computer name in the evidence)"),
        "{pc9}"
    );
    let pc5 = notes("siteB/PC5");
    assert!(
        pc5.contains(&format!("named like siteA/pc5 (pc5), but their SusClientIds differ ({{{b}}} against {{{c}}}): two machines")),
        "{pc5}"
    );
    assert!(notes("siteA/pc5").contains("named like siteB/PC5 (pc5)"));
    let pc8 = notes("pc8");
    assert!(pc8.contains("is also siteC/pc7's, under another name") && pc8.contains("cloned from one image"), "{pc8}");
    // only the newest collection's evidence is read
    assert!(states["pc1-2026-11-20"]["wsus_doctor"]["inputs"].to_string().contains("tuesday/pc1-2026-11-20.zip/Logs/reg.txt"));
    assert!(!recs.iter().any(|r| r.to_string().contains("monday/pc1/WindowsUpdate.log")));
    // redacted, the notes name the collections and ids by their aliases only
    let out = run(&root, &["fleet", "--format", "ndjson", "--redact", "monday", "tuesday", "wednesday", "siteA", "siteB", "siteC"]);
    let text = String::from_utf8_lossy(&out.stdout).to_lowercase();
    for name in ["pc1", "pc5", "pc7", "pc8", "pc9", "backup-3", "8f1d3c6a", "11111111", "66666666", "0c9a7d41"] {
        assert!(!text.contains(name), "{name} left in the redacted records: {text}");
    }
    assert!(text.contains("collected 2 times: tuesday/host-") && text.contains("two machines"), "{text}");
    let _ = std::fs::remove_dir_all(&root);
}
