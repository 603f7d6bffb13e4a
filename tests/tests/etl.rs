//! The same evidence as an ETL trace and as `Get-WindowsUpdateLog` text gives the same findings,
//! citing event numbers instead of line numbers.

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
