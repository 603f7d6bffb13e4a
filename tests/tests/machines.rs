//! Two machines' folders in one run: each machine is diagnosed apart (pc2's registry never
//! explains pc1's log), the server's IIS log at the top counts for both and its findings are
//! said once. (The CLI on such a folder: `cli/tests/cli.rs`.)

use std::path::Path;

use wsus_doctor_core::{Limits, MachineAnalysis, Report};

fn read(p: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(p)).unwrap()
}

/// pc1: the XP client with the port-80 self-update problem; pc2: a Windows 10 client whose
/// policy turns WSUS off; the WSUS server's IIS log shared.
fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("collect/pc1/WindowsUpdate.log", read("examples/xp-selfupdate-port80/WindowsUpdate.log")),
        ("collect/pc1/client-policy.reg", read("examples/xp-selfupdate-port80/client-policy.reg")),
        ("collect/pc2/WindowsUpdate.log", read("examples/win10-misconfigured/WindowsUpdate.log")),
        ("collect/pc2/reg-query.txt", read("examples/win10-misconfigured/reg-query.txt")),
        ("collect/u_ex091214.log", read("examples/xp-selfupdate-port80/u_ex091214-port80.log")),
    ]
}

fn diagnose(inputs: &[(&str, Vec<u8>)]) -> Report {
    let names: Vec<&str> = inputs.iter().map(|(n, _)| *n).collect();
    let mut a = MachineAnalysis::new(Limits::default(), &names);
    for (name, bytes) in inputs {
        let id = a.add_input(name, None);
        for chunk in bytes.chunks(1000) {
            a.feed(id, chunk);
        }
        a.finish_input(id);
    }
    a.finish()
}

#[test]
fn two_machines_are_diagnosed_apart_and_the_server_log_is_shared() {
    let r = diagnose(&inputs());
    assert_eq!(r.machines, ["pc1", "pc2"]);
    assert_eq!(r.inputs.len(), 5, "each input listed once");
    for f in &r.findings {
        let cited: Vec<&str> = f.evidence.iter().map(|e| e.input.as_str()).collect();
        match f.machine.as_deref() {
            Some(m) => assert!(
                cited.iter().all(|i| i.starts_with(&format!("collect/{m}/")) || *i == "collect/u_ex091214.log"),
                "{} on {m} cites another machine: {cited:?}",
                f.rule
            ),
            None => assert!(cited.iter().all(|i| *i == "collect/u_ex091214.log"), "{} without a machine cites {cited:?}", f.rule),
        }
    }
    let on = |rule: &str, m: &str| r.findings.iter().any(|f| f.rule == rule && f.machine.as_deref() == Some(m));
    assert!(on("selfupdate-needs-port-80", "pc1"), "pc1's WUServer on 8530 and the shared 404s on port 80");
    assert!(on("usewuserver-off", "pc2"));
    assert!(!on("usewuserver-off", "pc1"), "pc2's policy does not leak into pc1");
    assert!(!r
        .findings
        .iter()
        .any(|f| f.machine.as_deref() == Some("pc2") && f.detail.contains("wsus01:8530") && f.rule == "selfupdate-needs-port-80"));
    // the same server finding is said once, not once per machine
    let shared: Vec<&str> = r.findings.iter().filter(|f| f.machine.is_none()).map(|f| f.rule.as_str()).collect();
    let mut dedup = shared.clone();
    dedup.dedup();
    assert_eq!(shared, dedup);
    // the timeline keeps each machine's client lanes apart
    assert!(r.timeline.lanes.iter().any(|l| l.name.starts_with("pc1: ")));
    assert!(r.timeline.lanes.iter().any(|l| l.name.starts_with("pc2: ")));
}

#[test]
fn one_machine_reports_as_before() {
    let one: Vec<(&str, Vec<u8>)> = inputs().into_iter().filter(|(n, _)| !n.contains("/pc2/")).collect();
    let r = diagnose(&one);
    assert!(r.machines.is_empty());
    assert!(r.findings.iter().all(|f| f.machine.is_none()));
    let plain =
        wsus_doctor_core::diagnose(&one.iter().map(|(n, b)| wsus_doctor_core::Input { name: n, bytes: b, kind: None }).collect::<Vec<_>>());
    assert_eq!(r, plain, "no machine split: the very same report");
}

/// Cloned machines in their own folders: each is diagnosed apart, and the shared SusClientId is
/// still seen, across the machines' diagnoses, once.
#[test]
fn cloned_machines_in_their_own_folders_still_share_an_id() {
    let r = diagnose(&[
        ("pcs/PC-0142/identity.reg", read("tests/cases/cloned-clients/PC-0142-identity.reg")),
        ("pcs/PC-0143/identity.txt", read("tests/cases/cloned-clients/PC-0143-identity.txt")),
    ]);
    assert_eq!(r.machines, ["PC-0142", "PC-0143"]);
    let dup: Vec<_> = r.findings.iter().filter(|f| f.rule == "duplicate-client-id").collect();
    assert_eq!(dup.len(), 1, "said once");
    assert_eq!(dup[0].machine, None);
    let cited: Vec<&str> = dup[0].evidence.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(cited, ["pcs/PC-0142/identity.reg", "pcs/PC-0143/identity.txt"]);
    assert!(dup[0].detail.contains("PC-0142") && dup[0].detail.contains("PC-0143"), "{}", dup[0].detail);
    assert_eq!(r.check("duplicate-client-id").map(|c| c.status), Some(wsus_doctor_core::CheckStatus::Fired));
}

/// Two machines' registry exports side by side, not in folders: read as one, and said so.
#[test]
fn two_machines_not_in_folders_are_said_to_be_mixed() {
    let a = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\r\n    SusClientId    REG_SZ    8f1d3c6a-2b7e-4c10-9a55-0e3b7d21c4aa\r\n";
    let b = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\r\n    SusClientId    REG_SZ    0b7e21c4-9a55-4c10-2b7e-8f1d3c6a4aa1\r\n";
    let r = diagnose(&[("pc-a.txt", a.as_bytes().to_vec()), ("pc-b.txt", b.as_bytes().to_vec())]);
    assert!(r.machines.is_empty());
    let note = r.inputs[0].notes.join(" ");
    assert!(note.contains("not the one in pc-b.txt: these inputs come from 2 machines and were read as one"), "{note}");
    assert!(r.inputs[1].notes.join(" ").contains("not the one in pc-a.txt"));
}

fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Each finding's rule, machine and cited (input without `strip`, line): what a zip must not change.
/// A finding placed: (rule, machine, cited (input, line)).
type Placed = (String, Option<String>, Vec<(String, u64)>);

fn placed(r: &Report, strip: &str) -> Vec<Placed> {
    let mut v: Vec<_> = r
        .findings
        .iter()
        .map(|f| {
            let cited = f.evidence.iter().map(|e| (e.input.strip_prefix(strip).unwrap_or(&e.input).to_string(), e.line)).collect();
            (f.rule.clone(), f.machine.clone(), cited)
        })
        .collect();
    v.sort();
    v
}

/// The loose collection's inputs, as `pc1/...`, `pc2/...` and the server log, under `prefix`.
fn members(prefix: &str) -> Vec<(String, Vec<u8>)> {
    inputs().into_iter().map(|(n, b)| (format!("{prefix}{}", n.trim_start_matches("collect/")), b)).collect()
}

/// One zip holding both machines' folders and the server log at its top: split exactly as the
/// folders are (pc2's UseWUServer=0 stays pc2's, pc1's remedy never cites pc2's server).
#[test]
fn one_zip_holding_two_machines_splits_as_their_folders_do() {
    let loose = diagnose(&inputs());
    let zipped = diagnose(&[("fleet.zip", zip_of(&members("")))]);
    assert_eq!(zipped.machines, ["pc1", "pc2"]);
    assert_eq!(placed(&zipped, "fleet.zip/"), placed(&loose, "collect/"));
    let on = |rule: &str, m: &str| zipped.findings.iter().any(|f| f.rule == rule && f.machine.as_deref() == Some(m));
    assert!(on("usewuserver-off", "pc2") && !on("usewuserver-off", "pc1"));
    assert!(on("selfupdate-needs-port-80", "pc1"));
    for f in zipped.findings.iter().filter(|f| f.machine.as_deref() == Some("pc1")) {
        assert!(!f.detail.contains("wsus01:8530"), "pc1's finding names pc2's server: {}", f.detail);
    }
    // the zip is listed once with what it held, then each member once
    assert_eq!(zipped.inputs.len(), 6);
    assert_eq!(zipped.inputs[0].name, "fleet.zip");
    assert!(zipped.inputs[0].notes.iter().any(|n| n.contains("5 member(s) read")), "{:?}", zipped.inputs[0].notes);
}

/// A zip per machine is that machine, named without `.zip`; the server log beside them is
/// shared, whichever order the inputs are listed in (callers add zips first).
#[test]
fn a_zip_per_machine_is_that_machine() {
    let loose = diagnose(&inputs());
    let one = |m: &str| {
        zip_of(
            &inputs()
                .into_iter()
                .filter(|(n, _)| n.contains(&format!("/{m}/")))
                .map(|(n, b)| (n.rsplit('/').next().unwrap().to_string(), b))
                .collect::<Vec<_>>(),
        )
    };
    let server = inputs().pop().unwrap();
    let given = [("collect/u_ex091214.log", server.1), ("collect/pc1.zip", one("pc1")), ("collect/PC2.ZIP", one("pc2"))];
    let names: Vec<&str> = given.iter().map(|(n, _)| *n).collect();
    let mut a = MachineAnalysis::new(Limits::default(), &names);
    for i in wsus_doctor_core::machines::reading_order(&names) {
        let id = a.add_input(given[i].0, None);
        a.feed(id, &given[i].1);
        a.finish_input(id);
    }
    let r = a.finish();
    assert_eq!(r.machines, ["PC2", "pc1"], "sorted by name, as folders are");
    let rename = |v: Vec<Placed>| -> Vec<_> {
        v.into_iter()
            .map(|(rule, m, c)| {
                (
                    rule,
                    m.map(|m| m.to_lowercase()),
                    c.into_iter().map(|(i, l)| (i.rsplit('/').next().unwrap().to_string(), l)).collect::<Vec<_>>(),
                )
            })
            .collect()
    };
    let mut got = rename(placed(&r, ""));
    let mut want = rename(placed(&loose, ""));
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let listed: Vec<&str> = r.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(listed[0], "collect/u_ex091214.log", "the user's order, not the reading order: {listed:?}");
    assert!(listed.contains(&"collect/pc1.zip/WindowsUpdate.log") && listed.contains(&"collect/PC2.ZIP/reg-query.txt"), "{listed:?}");
}

/// Collection folders above the machines (a share's date and site folders, a machine's own
/// Windows layout below it), inside one zip: the machines are still pc1 and pc2.
#[test]
fn nested_collection_folders_inside_a_zip_find_the_machines() {
    let nested: Vec<(String, Vec<u8>)> = members("")
        .into_iter()
        .map(|(n, b)| {
            let n = match n.split_once('/') {
                Some((m, file)) if file.ends_with(".log") => format!("{m}/Windows/{file}"),
                Some((m, file)) => format!("{m}/{file}"),
                None => n,
            };
            (format!("share/2026-11-30/site-a/{n}"), b)
        })
        .collect();
    let r = diagnose(&[("collected.zip", zip_of(&nested))]);
    assert_eq!(r.machines, ["pc1", "pc2"]);
    let on = |rule: &str, m: &str| r.findings.iter().any(|f| f.rule == rule && f.machine.as_deref() == Some(m));
    assert!(on("usewuserver-off", "pc2") && !on("usewuserver-off", "pc1"));
    assert!(on("selfupdate-needs-port-80", "pc1"));
    // the server log at the site's top reached both machines, and its findings are said once
    let server = "collected.zip/share/2026-11-30/site-a/u_ex091214.log";
    assert!(r.findings.iter().any(|f| f.machine.as_deref() == Some("pc1") && f.evidence.iter().any(|e| e.input == server)));
}

/// The server's log given loose beside a zip of machines' folders (listed first, as a folder
/// walk may): added zips first, it still reaches every machine, as with loose folders.
#[test]
fn a_loose_server_log_beside_a_zip_of_machines_reaches_each_machine() {
    let loose = diagnose(&inputs());
    let clients: Vec<(String, Vec<u8>)> = members("").into_iter().filter(|(n, _)| n.contains('/')).collect();
    let server = inputs().pop().unwrap();
    let given = [("collect/IIS/u_ex091214.log", server.1), ("collect/fleet.zip", zip_of(&clients))];
    let names: Vec<&str> = given.iter().map(|(n, _)| *n).collect();
    let run = |order: Vec<usize>| {
        let mut a = MachineAnalysis::new(Limits::default(), &names);
        for i in order {
            let id = a.add_input(given[i].0, None);
            a.feed(id, &given[i].1);
            a.finish_input(id);
        }
        a.finish()
    };
    let r = run(wsus_doctor_core::machines::reading_order(&names));
    assert_eq!(r.machines, ["pc1", "pc2"]);
    let strip = |v: Vec<Placed>| -> Vec<(String, Option<String>)> { v.into_iter().map(|(rule, m, _)| (rule, m)).collect() };
    assert_eq!(strip(placed(&r, "")), strip(placed(&loose, "")));
    // the port-80 finding on pc1 rests on the server's 404s: the shared log reached pc1
    let f = r.findings.iter().find(|f| f.rule == "selfupdate-needs-port-80" && f.machine.as_deref() == Some("pc1")).unwrap();
    assert!(f.evidence.iter().any(|e| e.input == "collect/IIS/u_ex091214.log"), "{:?}", f.evidence);
}

/// Issue 21 §2: the shared server log is read once however many machines there are, and each
/// machine's diagnosis still compares its own client with that server (pc1's WUServer on 8530
/// against the log's 404s on port 80). Given after the machines' files, as a folder walk lists
/// them, the reading order puts it first; added last anyway, it is read again by the machines
/// begun before it and said so; in a zip it is read first whatever its place among the members.
#[test]
fn the_shared_server_log_is_read_once_for_every_machine() {
    let server = inputs().pop().unwrap();
    let mut given: Vec<(String, Vec<u8>)> = Vec::new();
    for k in 1..=6 {
        let from = if k % 2 == 1 { "pc1" } else { "pc2" };
        for (n, b) in inputs().into_iter().filter(|(n, _)| n.contains(&format!("/{from}/"))) {
            given.push((n.replace(&format!("/{from}/"), &format!("/m{k}/")), b));
        }
    }
    given.push((server.0.to_string(), server.1.clone()));
    let names: Vec<&str> = given.iter().map(|(n, _)| n.as_str()).collect();
    let run = |order: Vec<usize>| {
        let mut a = MachineAnalysis::new(Limits::default(), &names);
        for i in order {
            let id = a.add_input(&given[i].0, None);
            a.feed(id, &given[i].1);
            a.finish_input(id);
        }
        a.finish()
    };
    let note_of = |r: &Report| r.inputs.iter().find(|i| i.name == "collect/u_ex091214.log").unwrap().notes.join(" ");
    let once = run(wsus_doctor_core::machines::reading_order(&names));
    assert_eq!(once.machines.len(), 6);
    assert!(note_of(&once).contains("shared by the 6 machines diagnosed apart: read once"), "{}", note_of(&once));
    // the cross check still runs on every XP machine, and the server's own findings are said once
    for m in ["m1", "m3", "m5"] {
        let f = once.findings.iter().find(|f| f.rule == "selfupdate-needs-port-80" && f.machine.as_deref() == Some(m));
        assert!(f.is_some_and(|f| f.evidence.iter().any(|e| e.input == "collect/u_ex091214.log")), "{m}");
    }
    assert!(!once.findings.iter().any(|f| f.rule == "selfupdate-needs-port-80" && f.machine.as_deref() == Some("m2")));
    let server_only: Vec<&str> = once.findings.iter().filter(|f| f.machine.is_none()).map(|f| f.rule.as_str()).collect();
    let mut distinct = server_only.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(server_only.len(), distinct.len(), "{server_only:?}");
    // the order given (the server log last): read by the six begun machines again, same findings
    let late = run((0..names.len()).collect());
    assert!(note_of(&late).contains("read 7 times, as 6 machine(s) had begun before it"), "{}", note_of(&late));
    assert_eq!(placed(&late, ""), placed(&once, ""));
    // one zip, the server log its last member: read first, once
    let zipped = diagnose(&[(
        "fleet.zip",
        zip_of(&given.iter().map(|(n, b)| (n.trim_start_matches("collect/").to_string(), b.clone())).collect::<Vec<_>>()),
    )]);
    let note = zipped.inputs.iter().find(|i| i.name == "fleet.zip/u_ex091214.log").unwrap().notes.join(" ");
    assert!(note.contains("shared by the 6 machines diagnosed apart: read once"), "{note}");
    assert_eq!(placed(&zipped, "fleet.zip/"), placed(&once, "collect/"));
    // listed in the zip's order, not the order read
    assert_eq!(zipped.inputs.last().map(|i| i.name.as_str()), Some("fleet.zip/u_ex091214.log"));
}

/// Issue 21/22: the share as collection scripts leave it, machines at different depths: pc1 and
/// pc2 under a site folder, pc3 one level up, the server's IIS log at the top. pc1: the Windows 10
/// client whose policy turns WSUS off; pc2: the XP client whose self-update goes to port 80 while
/// its WUServer says 8530; pc3: a client whose scans time out.
fn share() -> Vec<(String, Vec<u8>)> {
    [
        ("share/siteA/pc1/WindowsUpdate.log", "examples/win10-misconfigured/WindowsUpdate.log"),
        ("share/siteA/pc1/reg-query.txt", "examples/win10-misconfigured/reg-query.txt"),
        ("share/siteA/pc2/WindowsUpdate.log", "examples/xp-selfupdate-port80/WindowsUpdate.log"),
        ("share/siteA/pc2/client-policy.reg", "examples/xp-selfupdate-port80/client-policy.reg"),
        ("share/pc3/WindowsUpdate.log", "tests/cases/win10-scan-timeout/WindowsUpdate.log"),
        ("share/u_ex091214.log", "examples/xp-selfupdate-port80/u_ex091214-port80.log"),
    ]
    .into_iter()
    .map(|(n, from)| (n.to_string(), read(from)))
    .collect()
}

/// As the CLI and the page read them: in the core's reading order (the shared inputs first).
fn diagnose_owned(inputs: &[(String, Vec<u8>)]) -> Report {
    let names: Vec<&str> = inputs.iter().map(|(n, _)| n.as_str()).collect();
    let order = wsus_doctor_core::machines::reading_order(&names);
    diagnose(&order.into_iter().map(|i| (names[i], inputs[i].1.clone())).collect::<Vec<_>>())
}

/// Every finding of a machine cites only that machine's folder or the shared log (`prefix` is
/// where the share's files are named from).
fn each_machine_cites_its_own(r: &Report, prefix: &str) {
    let server = format!("{prefix}u_ex091214.log");
    for f in &r.findings {
        let cited: Vec<&str> = f.evidence.iter().map(|e| e.input.as_str()).collect();
        match f.machine.as_deref() {
            Some(m) => assert!(
                cited.iter().all(|i| *i == server || i.contains(&format!("/{m}/")) || i.starts_with(&format!("{prefix}{m}/"))),
                "{} on {m} cites another machine: {cited:?}",
                f.rule
            ),
            None => assert!(cited.iter().all(|i| *i == server), "{} without a machine cites {cited:?}", f.rule),
        }
    }
}

// See issues 21 and 22: machines are the deepest folders holding a client's evidence, not the
// first folders under the common one (`siteA` was read as one machine, pc1 and pc2 merged).
#[test]
fn a_share_with_machines_at_different_depths_splits_at_each_machine() {
    let r = diagnose_owned(&share());
    assert_eq!(r.machines, ["pc1", "pc2", "pc3"]);
    each_machine_cites_its_own(&r, "share/");
    let on = |rule: &str, m: &str| r.findings.iter().any(|f| f.rule == rule && f.machine.as_deref() == Some(m));
    assert!(on("usewuserver-off", "pc1"), "pc1's UseWUServer=0 is pc1's error");
    assert!(!on("usewuserver-off", "pc2") && !on("usewuserver-off", "pc3"));
    assert!(on("selfupdate-needs-port-80", "pc2"), "pc2's WUServer on 8530 against the shared log's 404s on port 80");
    assert!(!on("selfupdate-needs-port-80", "pc1"));
    assert!(on("scan-timeout", "pc3"));
    // pc2's remedy names pc2's own server, never pc1's
    let pc1_server = "wsus01:8530";
    for f in r.findings.iter().filter(|f| f.machine.as_deref() == Some("pc2")) {
        let remedy = format!("{:?}", f.remedy);
        assert!(!f.detail.contains(pc1_server) && !remedy.contains(pc1_server), "pc2's {} names pc1's server", f.rule);
    }
    // the server log is read once, for the three
    let note = r.inputs.iter().find(|i| i.name == "share/u_ex091214.log").unwrap().notes.join(" ");
    assert!(note.contains("shared by the 3 machines diagnosed apart: read once"), "{note}");
}

/// The same share as one zip (the share's folder zipped whole): split as its folders are.
#[test]
fn a_zip_of_a_share_with_machines_at_different_depths_splits_as_its_folders_do() {
    let loose = diagnose_owned(&share());
    let zipped = diagnose(&[("share.zip", zip_of(&share()))]);
    assert_eq!(zipped.machines, ["pc1", "pc2", "pc3"]);
    assert_eq!(placed(&zipped, "share.zip/"), placed(&loose, ""));
    each_machine_cites_its_own(&zipped, "share.zip/share/");
    let note = zipped.inputs.iter().find(|i| i.name == "share.zip/share/u_ex091214.log").unwrap().notes.join(" ");
    assert!(note.contains("shared by the 3 machines diagnosed apart: read once"), "{note}");
}

/// One machine's folder, its drive copied with its paths (`C/Windows/...`) beside a folder of
/// screenshots: one machine, reported as one (no machine label), not two machines `C` and
/// `screenshots` with its own log shared.
#[test]
fn a_machine_folder_with_a_drive_copy_and_screenshots_is_one_machine() {
    let etl = read("tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let one: Vec<(&str, Vec<u8>)> = vec![
        ("PC042/C/Windows/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl", etl),
        ("PC042/reg-query.txt", read("examples/win10-misconfigured/reg-query.txt")),
        ("PC042/screenshots/error.png", png),
    ];
    let r = diagnose(&one);
    assert!(r.machines.is_empty(), "{:?}", r.machines);
    assert!(r.findings.iter().all(|f| f.machine.is_none()));
    assert!(r.findings.iter().any(|f| f.rule == "usewuserver-off"), "its own policy read with its trace");
    let plain =
        wsus_doctor_core::diagnose(&one.iter().map(|(n, b)| wsus_doctor_core::Input { name: n, bytes: b, kind: None }).collect::<Vec<_>>());
    assert_eq!(r, plain, "one machine: the very same report");
}

/// A machine copied with its drive's paths, under a date folder (`share/2025-10/pc2/C/Windows/
/// Logs/WindowsUpdate/*.etl`, its WindowsUpdate.log where XP kept it), beside a machine one level
/// up: machine `pc2`, its evidence its own, not machine `2025-10`.
#[test]
fn a_drive_copy_under_a_collection_folder_is_its_machine() {
    let pc2 = "share/2025-10/pc2/C/Windows";
    let inputs: Vec<(String, Vec<u8>)> = vec![
        (
            format!("{pc2}/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl"),
            read("tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl"),
        ),
        (format!("{pc2}/WindowsUpdate.log"), read("tests/cases/win10-scan-timeout/WindowsUpdate.log")),
        ("share/pc1/WindowsUpdate.log".into(), read("examples/win10-misconfigured/WindowsUpdate.log")),
        ("share/pc1/reg-query.txt".into(), read("examples/win10-misconfigured/reg-query.txt")),
    ];
    let r = diagnose_owned(&inputs);
    assert_eq!(r.machines, ["pc1", "pc2"]);
    let on = |rule: &str, m: &str| r.findings.iter().any(|f| f.rule == rule && f.machine.as_deref() == Some(m));
    assert!(on("scan-timeout", "pc2") && !on("scan-timeout", "pc1"));
    assert!(on("usewuserver-off", "pc1") && !on("usewuserver-off", "pc2"), "pc1's policy does not leak into pc2");
    for f in &r.findings {
        let in_pc2 = f.evidence.iter().any(|e| e.input.starts_with(pc2));
        assert_eq!(in_pc2, f.machine.as_deref() == Some("pc2"), "{} on {:?}", f.rule, f.machine);
    }
    // the trace's events are pc2's on the timeline
    let lanes: Vec<&str> = r.timeline.lanes.iter().map(|l| l.name.as_str()).collect();
    assert!(
        lanes.iter().any(|l| l.starts_with("pc2: ")) && lanes.iter().all(|l| !l.starts_with("2025-10") && !l.starts_with("C: ")),
        "{lanes:?}"
    );
}
