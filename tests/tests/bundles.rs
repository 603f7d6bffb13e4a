//! Zip bundles: members are diagnosed as if given loose; bombs, climbing names, nested
//! archives and cabinets end in a clear note or error, never a panic.

use std::io::Write;

use wsus_doctor_core::{diagnose, Input, Report};
use wsus_doctor_tests::root;
use zip::write::SimpleFileOptions;

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in members {
        w.start_file(*name, SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(root().join("examples/win10-misconfigured").join(name)).unwrap()
}

/// Rule, severity and each evidence's (line, text): what must not change between loose and zipped.
fn shape(r: &Report) -> Vec<(String, Vec<(u64, String)>)> {
    r.findings.iter().map(|f| (f.rule.clone(), f.evidence.iter().map(|e| (e.line, e.text.clone())).collect())).collect()
}

#[test]
fn a_zipped_collection_gives_the_findings_of_the_loose_files() {
    let (log, reg) = (example("WindowsUpdate.log"), example("reg-query.txt"));
    let loose =
        diagnose(&[Input { name: "WindowsUpdate.log", bytes: &log, kind: None }, Input { name: "reg-query.txt", bytes: &reg, kind: None }]);
    let bundle = zip_of(&[("pc1/", b""), ("pc1/WindowsUpdate.log", &log), ("pc1/reg-query.txt", &reg)]);
    let zipped = diagnose(&[Input { name: "collect.zip", bytes: &bundle, kind: None }]);
    assert_eq!(shape(&zipped), shape(&loose));
    let names: Vec<&str> = zipped.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["collect.zip", "collect.zip/pc1/WindowsUpdate.log", "collect.zip/pc1/reg-query.txt"]);
    let z = &zipped.inputs[0];
    assert_eq!((z.format.as_deref(), z.lines, z.error.as_deref()), (Some("zip"), 2, None));
    assert_eq!(zipped.inputs[1].lines, 27);
    let f = zipped.finding("wuserver-invalid").unwrap();
    assert!(f.evidence.iter().any(|e| e.input == "collect.zip/pc1/reg-query.txt"));
}

#[test]
fn binary_members_are_decoded_too() {
    let etl = std::fs::read(root().join("tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl")).unwrap();
    let evtx = std::fs::read(root().join("tests/fixtures/evtx/system.evtx")).unwrap();
    let bundle = zip_of(&[("Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl", &etl), ("System.evtx", &evtx)]);
    let r = diagnose(&[Input { name: "bundle.zip", bytes: &bundle, kind: None }]);
    let by_name = |n: &str| r.inputs.iter().find(|i| i.name == n).unwrap_or_else(|| panic!("{n} missing"));
    assert_eq!(by_name("bundle.zip/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl").lines, 80);
    assert_eq!(by_name("bundle.zip/System.evtx").lines, 377);
    assert_eq!(r.finding("wu-error-codes").unwrap().evidence[0].location(), "bundle.zip/System.evtx#561");
}

#[test]
fn a_zip_bomb_member_is_refused_with_a_note() {
    let zeros = vec![0u8; 64 << 20];
    let bundle = zip_of(&[("WindowsUpdate.log", &example("WindowsUpdate.log")), ("huge.log", &zeros)]);
    assert!(bundle.len() < 200 << 10, "64 MB of zeros deflates to {} bytes", bundle.len());
    let r = diagnose(&[Input { name: "bomb.zip", bytes: &bundle, kind: None }]);
    assert_eq!(r.inputs.len(), 2, "the bomb got no input: {:?}", r.inputs.iter().map(|i| &i.name).collect::<Vec<_>>());
    let notes = r.inputs[0].notes.join(" | ");
    assert!(notes.contains("huge.log (67108864 bytes from") && notes.contains("zip bomb"), "{notes}");
    assert!(r.finding("wuserver-invalid").is_some() || r.finding("wu-error-codes").is_some(), "the honest member is still read");
}

#[test]
fn member_names_that_climb_out_are_shown_inside_the_bundle() {
    let bundle = zip_of(&[("../../../Windows/WindowsUpdate.log", &example("WindowsUpdate.log"))]);
    let r = diagnose(&[Input { name: "evil.zip", bytes: &bundle, kind: None }]);
    assert_eq!(r.inputs[1].name, "evil.zip/Windows/WindowsUpdate.log");
    assert!(r.inputs[0].notes.iter().any(|n| n.contains("1 member name(s) pointed outside the archive")), "{:?}", r.inputs[0].notes);
}

#[test]
fn nested_damaged_and_cabinet_archives_get_clear_errors() {
    let inner = zip_of(&[("WindowsUpdate.log", &example("WindowsUpdate.log"))]);
    let outer = zip_of(&[("inner.zip", &inner)]);
    let r = diagnose(&[Input { name: "outer.zip", bytes: &outer, kind: None }]);
    assert_eq!(r.inputs.len(), 2);
    assert!(r.inputs[1].error.as_deref().unwrap().contains("a zip inside a zip is not opened"), "{:?}", r.inputs[1]);
    assert!(r.findings.is_empty());

    let mut cut = inner.clone();
    cut.truncate(inner.len() - 30); // the end of the central directory is gone
    let r = diagnose(&[Input { name: "cut.zip", bytes: &cut, kind: None }]);
    assert!(r.inputs[0].error.as_deref().unwrap().starts_with("cut.zip: not a readable zip archive"), "{:?}", r.inputs[0]);

    let cab = b"MSCF\0\0\0\0\x2c\x01\0\0\0\0\0\0\x2c\0\0\0\0\0\0\0\x03\x01\x01\0\x01\0\0\0";
    let r = diagnose(&[Input { name: "logs.cab", bytes: cab, kind: None }]);
    assert!(r.inputs[0].error.as_deref().unwrap().contains("does not open cabinets"), "{:?}", r.inputs[0]);
}

/// A client's `C:\Windows\CCM\Logs` zipped as is, with its WindowsUpdate.log beside it: the
/// Configuration Manager logs are read by content inside the bundle, the machine is a
/// Configuration Manager client of its software update point, and no finding blames WSUS.
#[test]
fn a_zipped_ccm_logs_folder_is_read_as_configuration_manager_evidence() {
    let dir = root().join("tests/real/configmgr-win10-1809-policy-gap");
    let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
    let (wua, deploy, store, wulog) =
        (read("WUAHandler.log"), read("UpdatesDeployment.log"), read("UpdatesStore.log"), read("WindowsUpdate.log"));
    let bundle = zip_of(&[
        ("Logs/WUAHandler.log", &wua),
        ("Logs/UpdatesDeployment.log", &deploy),
        ("Logs/UpdatesStore.log", &store),
        ("WindowsUpdate.log", &wulog),
    ]);
    let r = diagnose(&[Input { name: "PC042-CCM.zip", bytes: &bundle, kind: None }]);
    let kind = |name: &str| r.inputs.iter().find(|i| i.name == name).and_then(|i| i.kind).map(|k| k.name());
    assert_eq!(kind("PC042-CCM.zip/Logs/WUAHandler.log"), Some("configmgr-log"));
    assert_eq!(kind("PC042-CCM.zip/WindowsUpdate.log"), Some("windowsupdate-log"));
    assert_eq!(r.modes.first().map(|m| m.mode.id()), Some("configmgr"), "{:?}", r.modes);
    assert!(r.modes[0].because.iter().any(|b| b.contains("SCCM01D.firm.saulewing.net")), "{:?}", r.modes[0].because);
    let errors: Vec<&str> =
        r.findings.iter().filter(|f| f.severity == wsus_doctor_core::Severity::Error).map(|f| f.rule.as_str()).collect();
    assert!(errors.is_empty(), "a healthy ConfigMgr client got errors: {errors:?}");
    assert!(r.finding("dual-scan").is_none(), "scans made while the policy was absent are not dual scan");
}

use wsus_doctor_bench::hostile::with_overlapping_entries;

#[test]
fn overlapping_entries_are_read_once() {
    let log = example("WindowsUpdate.log");
    let bomb = with_overlapping_entries(&zip_of(&[("WindowsUpdate.log", &log)]), 500);
    let mut members = Vec::new();
    let s = wsus_doctor_core::archive::read_zip(&bomb, &mut |name, r| {
        members.push(name.to_string());
        std::io::copy(r, &mut std::io::sink()).unwrap()
    });
    assert_eq!(members, ["WindowsUpdate.log"]);
    assert!(s.notes.iter().any(|n| n.contains("500 member(s) not read") && n.contains("overlaps another member's data")), "{:?}", s.notes);
}

/// The decompression budget is the run's, and when it cannot cover every member the client's
/// own log is read before bulk sorted ahead of it; what was left out is said.
#[test]
fn a_spent_budget_cuts_bulk_not_the_evidence_that_matters() {
    let log = example("WindowsUpdate.log");
    let bulk: Vec<u8> =
        b"2024-05-01 10:00:00 10.0.0.5 GET /ClientWebService/client.asmx - 8530 - 10.0.0.9 Windows-Update-Agent 200 0 0 15\r\n"
            .repeat(20_000);
    let bundle = zip_of(&[("aaa/u_ex240501.log", &bulk), ("aab/u_ex240502.log", &bulk), ("zz/WindowsUpdate.log", &log)]);
    let mut budget = (bulk.len() + log.len()) as u64;
    let mut read = Vec::new();
    let s = wsus_doctor_core::archive::read_zip_within(&bundle, &mut budget, &mut |name, r| {
        let n = std::io::copy(r, &mut std::io::sink()).unwrap();
        read.push((name.to_string(), n));
        n
    });
    assert_eq!(read[0], ("zz/WindowsUpdate.log".to_string(), log.len() as u64));
    assert_eq!(read[1].1, bulk.len() as u64);
    assert_eq!(budget, 0);
    assert!(s.notes.iter().any(|n| n.contains("u_ex24050") && n.contains("budget of this run is spent")), "{:?}", s.notes);
    // a second archive in the same run gets nothing more
    let mut again = Vec::new();
    wsus_doctor_core::archive::read_zip_within(&zip_of(&[("WindowsUpdate.log", &log)]), &mut budget, &mut |name, _| {
        again.push(name.to_string());
        0
    });
    assert!(again.is_empty());
}

/// A zip inside the zip is said from its first bytes, never inflated and held whole.
#[test]
fn a_nested_zip_is_not_inflated() {
    let filler = vec![b'x'; 8 << 20];
    let inner = zip_of(&[("filler.log", &filler)]);
    let mut held = 0;
    wsus_doctor_core::archive::read_zip(&zip_of(&[("inner.zip", &inner)]), &mut |_, r| {
        held = std::io::copy(r, &mut std::io::sink()).unwrap();
        held
    });
    assert!(held <= 8, "{held} bytes of the nested zip were read");
}
