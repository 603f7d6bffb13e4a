//! Windows 10/11 client evidence in its own formats: an ETL trace gives the findings of its
//! decoded text (citing event numbers), and ReportingEvents.log rows feed the same facts.

use wsus_doctor_core::{diagnose, Input, Report};
use wsus_doctor_tests::root;

fn example(name: &str) -> Vec<u8> {
    std::fs::read(root().join("examples/win10-misconfigured").join(name)).expect("example file")
}

fn as_etl(text: &[u8], buffer_size: usize) -> Vec<u8> {
    let mut etl = Vec::new();
    let text = std::str::from_utf8(text).expect("utf-8 log");
    let (_, events) = wsus_doctor_bench::etl::from_text_log(text, &mut etl, buffer_size).expect("write etl");
    assert_eq!(events, 27);
    etl
}

fn diagnose_pair(log_name: &str, log: &[u8]) -> Report {
    let reg = example("reg-query.txt");
    diagnose(&[Input { name: log_name, bytes: log, kind: None }, Input { name: "reg-query.txt", bytes: &reg, kind: None }])
}

#[test]
fn an_etl_trace_gives_the_findings_of_its_decoded_text() {
    let text = example("WindowsUpdate.log");
    let from_text = diagnose_pair("WindowsUpdate.log", &text);
    for buffer_size in [4096, 64 * 1024] {
        let etl = as_etl(&text, buffer_size);
        let name = "WindowsUpdate.20240411.081401.971.1.etl";
        let from_etl = diagnose_pair(name, &etl);
        let summary = &from_etl.inputs[0];
        assert_eq!(summary.format.as_deref(), Some("etl"));
        assert_eq!(summary.lines, 27);
        assert_eq!(summary.kind.map(|k| k.name()), Some("windowsupdate-log"));
        let ids = |r: &Report| r.findings.iter().map(|f| (f.rule.clone(), f.severity)).collect::<Vec<_>>();
        assert_eq!(ids(&from_etl), ids(&from_text));
        assert!(!from_text.findings.is_empty());
        for (a, b) in from_text.findings.iter().zip(&from_etl.findings) {
            assert_eq!(a.remedy, b.remedy, "{}", a.rule);
            assert_eq!(a.evidence.len(), b.evidence.len(), "{}", a.rule);
            for (ea, eb) in a.evidence.iter().zip(&b.evidence) {
                assert_eq!((ea.line, ea.text.trim_end()), (eb.line, eb.text.trim_end()), "{}", a.rule);
                assert_eq!(eb.record, eb.input == name, "{}", a.rule);
                if eb.record {
                    assert_eq!(eb.location(), format!("{name}#{}", eb.line));
                }
            }
        }
    }
}

#[test]
fn a_trace_of_another_component_says_what_it_is() {
    // the shared sample with its provider name changed: a trace that is not Windows Update's
    let mut bytes = std::fs::read(root().join("tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl")).unwrap();
    let from = b"WUTraceLogging";
    let mut n = 0;
    while let Some(i) = bytes.windows(from.len()).position(|w| w == from) {
        bytes[i..i + from.len()].copy_from_slice(b"SIHTraceLoggin");
        n += 1;
    }
    assert_eq!(n, 80);
    let r = diagnose(&[Input { name: "SIH.20251008.etl", bytes: &bytes, kind: None }]);
    let i = &r.inputs[0];
    assert_eq!(i.format.as_deref(), Some("etl"));
    assert_eq!((i.lines, i.kind), (0, None));
    assert!(i.notes.iter().any(|n| n.contains("holds no Windows Update events")), "{:?}", i.notes);
    assert!(i.notes.iter().any(|n| n.contains("80 event(s) of other providers were skipped: SIHTraceLoggin (80)")), "{:?}", i.notes);
    assert!(r.findings.is_empty());
}

#[test]
fn reporting_events_rows_feed_codes_from_their_hresult_column() {
    let bytes = std::fs::read(root().join("tests/fixtures/reporting/ReportingEvents.log")).unwrap();
    assert_eq!(&bytes[..2], b"\xFF\xFE", "the real file is UTF-16 LE with a BOM");
    let r = diagnose(&[Input { name: "ReportingEvents.log", bytes: &bytes, kind: None }]);
    let i = &r.inputs[0];
    assert_eq!((i.kind.map(|k| k.name()), i.unrecognised), (Some("windowsupdate-log"), 0));
    assert!(i.notes.iter().any(|n| n.starts_with("163 ReportingEvents.log row(s) read")), "{:?}", i.notes);
    let f = r.finding("wu-error-codes").expect("codes found");
    // "Download canceled." names no code: 0x8024000B comes from the HRESULT column alone
    let cancelled = f.evidence.iter().find(|e| e.line == 47).expect("line 47 cited");
    assert!(cancelled.text.contains("Download canceled.") && !cancelled.text.contains("0x8024000B"));
    assert!(f.detail.contains("0x8024000B") && f.detail.contains("0x80240017"), "{}", f.detail);
    // the same rows pasted as UTF-8 text, wrapped in a forum quote, read the same
    let text: String =
        char::decode_utf16(bytes[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]))).map(|c| c.unwrap()).collect();
    let quoted: String = text.lines().map(|l| format!("> {l}\n")).collect();
    let r2 = diagnose(&[Input { name: "paste", bytes: quoted.as_bytes(), kind: None }]);
    assert_eq!(r2.finding("wu-error-codes").map(|f| f.detail.clone()), Some(f.detail.replace("ReportingEvents.log", "paste")));
}

fn system_evtx() -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/evtx/system.evtx")).unwrap()
}

#[test]
fn a_system_event_log_gives_install_failures_with_their_record_ids() {
    let bytes = system_evtx();
    let r = diagnose(&[Input { name: "System.evtx", bytes: &bytes, kind: None }]);
    let i = &r.inputs[0];
    assert_eq!((i.format.as_deref(), i.lines), (Some("evtx"), 377), "{:?}", i.notes);
    assert!(i.notes.iter().any(|n| n.contains("1881 record(s) from computer \"DESKTOP-2KGM189\"")), "{:?}", i.notes);
    let f = r.finding("wu-error-codes").expect("event 20 carries errorCode");
    let first = &f.evidence[0];
    assert_eq!((first.line, first.record, first.location().as_str()), (561, true, "System.evtx#561"));
    assert!(first.text.contains("Installation Failure") && first.text.contains("0x80248007") && first.text.contains("(KB4025342)"));
    assert!(f.detail.contains("first System.evtx#561"), "{}", f.detail);
    assert!(!f.detail.contains("System.evtx:"), "record numbers, never line numbers: {}", f.detail);
}

#[test]
fn a_damaged_event_log_keeps_what_it_can_and_says_what_it_lost() {
    let good = system_evtx();
    // a chunk's records overwritten with noise: the other chunks are still read
    let mut bad = good.clone();
    let chunk = 4096 + 3 * 65536;
    for (k, b) in bad[chunk + 512..chunk + 8192].iter_mut().enumerate() {
        *b = (k * 131 % 251) as u8;
    }
    let r = diagnose(&[Input { name: "System.evtx", bytes: &bad, kind: None }]);
    let i = &r.inputs[0];
    assert!(i.error.is_none());
    assert!(i.lines > 0 && i.lines <= 377, "{}", i.lines);
    assert!(i.notes.iter().any(|n| n.contains("could not be read")), "{:?}", i.notes);
    // cut in the middle of the file: what precedes the cut is read
    let r = diagnose(&[Input { name: "System.evtx", bytes: &good[..good.len() / 2], kind: None }]);
    assert!(r.inputs[0].lines > 0, "{:?}", r.inputs[0].notes);
    // only the header survives
    let r = diagnose(&[Input { name: "System.evtx", bytes: &good[..4096], kind: None }]);
    assert_eq!(r.inputs[0].lines, 0);
    assert!(r.inputs[0].notes.iter().any(|n| n.contains("no Windows Update client or WSUS server events")), "{:?}", r.inputs[0].notes);
}

/// Install failures from event 20 are listed per KB, and a KB that a later event 19 installed is
/// not counted as open: checked against the events themselves, decoded independently here.
#[test]
fn install_failures_per_update_from_the_event_log() {
    use wsus_doctor_core::records::RecordReader;
    let bytes = system_evtx();
    let mut lines = Vec::new();
    let mut rr = RecordReader::new();
    rr.push(&bytes, &mut |n, l| lines.push((n, l.to_string())));
    rr.finish(&mut |n, l| lines.push((n, l.to_string())));
    let kb = |l: &str| l.rsplit("(KB").next().and_then(|t| t.split(')').next()).map(|d| format!("KB{d}"));
    let mut failed: Vec<(String, u64)> = Vec::new();
    for (n, l) in &lines {
        if l.contains("Installation Failure") {
            let k = kb(l).unwrap();
            failed.retain(|(f, _)| *f != k);
            failed.push((k, *n));
        }
    }
    let open: Vec<&String> = failed
        .iter()
        .filter(|(k, at)| !lines.iter().any(|(n, l)| n > at && l.contains("Installation Successful") && l.contains(&format!("({k})"))))
        .map(|(k, _)| k)
        .collect();
    let r = diagnose(&[Input { name: "System.evtx", bytes: &bytes, kind: None }]);
    let f = r.finding("update-install-failed").expect("event 20 records");
    assert!(
        f.detail.starts_with(&format!("{} update(s) failed to install, {} of them not installed since", failed.len(), open.len())),
        "{}",
        f.detail
    );
    for (k, _) in &failed {
        assert!(f.detail.contains(k.as_str()), "{k}: {}", f.detail);
    }
    assert!(f.detail.contains("KB4025342 ×4") && f.detail.contains("0x80248007 WU_E_DS_NODATA"), "{}", f.detail);
    assert!(f.remedy.iter().any(|s| s.contains("SoftwareDistribution")), "the datastore reset for 0x80248007");
}
