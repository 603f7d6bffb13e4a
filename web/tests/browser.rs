//! The worker's session in a real browser (headless Chromium through wasm-bindgen-test):
//! chunked feeding, the JSON contract, and evidence context.

use wasm_bindgen_test::*;
use wsus_doctor_web::context::WebResult;
use wsus_doctor_web::examples::EXAMPLES;
use wsus_doctor_web::session::Session;

wasm_bindgen_test_configure!(run_in_browser);

fn run(files: &[(&str, &[u8])], chunk: usize) -> WebResult {
    let mut s = Session::new(0.0, files.iter().map(|(n, _)| n.to_string()).collect(), 0, 1);
    let ids: Vec<usize> = files.iter().map(|(n, _)| s.add_input(n, "").expect("session open")).collect();
    for (id, (_, bytes)) in ids.iter().zip(files) {
        for c in bytes.chunks(chunk) {
            s.feed(*id, c);
        }
        s.finish_input(*id);
    }
    s.finish();
    for (id, (_, bytes)) in ids.iter().zip(files) {
        if s.needs_context(*id) {
            for c in bytes.chunks(chunk) {
                s.context_feed(*id, c);
            }
            s.context_finish(*id);
        }
    }
    serde_json::from_str(&s.result_json()).expect("valid JSON")
}

#[wasm_bindgen_test]
fn session_diagnoses_the_bundled_xp_example_in_chunks() {
    let ex = &EXAMPLES[0];
    let r = run(ex.files, 4096);
    let report = r.report.expect("report");
    assert_eq!(report.version, 1);
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(&rules[..2], ["selfupdate-needs-port-80", "selfupdate-not-found"]);
    // the UTF-16 .reg was decoded in the browser build too
    let reg = report.inputs.iter().find(|i| i.name == "client-policy.reg").unwrap();
    assert_eq!(reg.encoding.as_deref(), Some("UTF-16 LE with BOM"));
    assert_eq!(reg.unrecognised, 0);
}

#[wasm_bindgen_test]
fn context_holds_the_lines_around_each_evidence_line() {
    let ex = &EXAMPLES[0];
    let r = run(ex.files, 333);
    let report = r.report.unwrap();
    let f = report.findings.iter().find(|f| f.rule == "selfupdate-not-found").unwrap();
    for e in &f.evidence {
        let lines = r.context.get(&e.input).expect("context for input");
        assert_eq!(lines.get(&e.line).map(|s| s.trim_end()), Some(e.text.as_str()));
        assert!(lines.contains_key(&(e.line.saturating_sub(1).max(1))));
    }
}

#[wasm_bindgen_test]
fn every_bundled_example_yields_findings() {
    for ex in EXAMPLES {
        let r = run(ex.files, 1 << 16);
        assert!(!r.report.unwrap().findings.is_empty(), "{}", ex.title);
    }
}

#[wasm_bindgen_test]
fn forced_kind_and_size_limit() {
    let mut s = Session::new(10.0, vec!["big.log".to_string()], 0, 1);
    let id = s.add_input("big.log", "iis-log").expect("session open");
    s.feed(id, b"#Fields: date time cs-uri-stem sc-status\n2009-12-14 15:23:45 /selfupdate/wuident.cab 404\n");
    s.finish_input(id);
    s.finish();
    let r: WebResult = serde_json::from_str(&s.result_json()).unwrap();
    let input = &r.report.unwrap().inputs[0];
    assert!(input.error.as_deref().unwrap().contains("limit"), "{:?}", input.error);
}

/// A WindowsUpdate.log of 60,000 lines, one a second from midnight of 2026-10-01, whose only
/// error is line 50,000.
fn big_log() -> String {
    (1..=60_000u64)
        .map(|i| {
            let what = if i == 50_000 { "FATAL: IsUpdateRequired failed with error 0x80244019".to_string() } else { format!("* line {i}") };
            format!("2026-10-01\t{:02}:{:02}:{:02}:000\t1032\td18\tAgent\t{what}\r\n", i / 3600, i / 60 % 60, i % 60)
        })
        .collect()
}

#[wasm_bindgen_test]
fn the_viewers_find_job_reads_a_big_input_in_chunks_until_the_match_and_a_zips_member() {
    use wsus_doctor_web::context::{FindAnswer, LineFind};
    let log = big_log();
    let mut f = LineFind::new("wu.log", "", 1001.0, true, "", "error");
    let mut fed = 0;
    for c in log.as_bytes().chunks(1 << 16) {
        f.feed(c);
        fed += c.len();
        if f.done() {
            break;
        }
    }
    let a: FindAnswer = serde_json::from_str(&f.finish_json()).unwrap();
    assert_eq!((a.name.as_str(), a.found.line, a.error), ("wu.log", Some(50_000), None));
    assert!(fed < log.len(), "reading stops at the match: {fed} of {} bytes", log.len());
    // back from line 40,000: none before
    let mut f = LineFind::new("wu.log", "", 40_000.0, false, "", "error");
    f.feed(log.as_bytes());
    let a: FindAnswer = serde_json::from_str(&f.finish_json()).unwrap();
    assert_eq!((a.found.line, a.found.forward), (None, false));
    // a search in a zip's member, named by its path inside the zip
    let zip = include_bytes!("../../tests/fixtures/bundles/pc1-collect.zip");
    let mut f = LineFind::new("pc1-collect.zip/pc1/WindowsUpdate.log", "pc1/WindowsUpdate.log", 1.0, true, "EXIT CODE", "");
    for c in zip.chunks(1000) {
        f.feed(c);
    }
    let a: FindAnswer = serde_json::from_str(&f.finish_json()).unwrap();
    assert_eq!(a.found.line, Some(24));
    let mut f = LineFind::new("pc1-collect.zip", "", 1.0, true, "exit", "");
    f.feed(zip);
    let a: FindAnswer = serde_json::from_str(&f.finish_json()).unwrap();
    assert!(a.found.line.is_none() && a.error.unwrap().starts_with("This is an archive"));
}

#[wasm_bindgen_test]
fn the_merged_views_slice_job_keeps_an_inputs_lines_of_a_time_range() {
    use wsus_doctor_web::context::{LineWindow, TimeSlice};
    let log = big_log();
    let midnight = wsus_doctor_core::time::Timestamp::new(2026, 10, 1, 0, 0, 0).unwrap().epoch_seconds() as f64;
    let mut s = TimeSlice::new("wu.log", "", midnight + 49_000.0, midnight + 50_500.0);
    for c in log.as_bytes().chunks(1 << 16) {
        s.feed(c);
    }
    let w: LineWindow = serde_json::from_str(&s.finish_json()).unwrap();
    assert_eq!((w.from, w.to, w.lines.len(), w.more), (49_000, 50_500, 1501, false));
    assert!(w.lines[1000].1.contains("FATAL"));
    // no bounds: the first 2,000 lines, the cut said, and reading stops there
    let mut s = TimeSlice::new("wu.log", "", f64::NEG_INFINITY, f64::INFINITY);
    let mut fed = 0;
    for c in log.as_bytes().chunks(1 << 16) {
        s.feed(c);
        fed += c.len();
        if s.done() {
            break;
        }
    }
    let w: LineWindow = serde_json::from_str(&s.finish_json()).unwrap();
    assert_eq!((w.lines.len(), w.more, w.to), (2000, true, 2000));
    assert!(fed < log.len() / 10);
}
