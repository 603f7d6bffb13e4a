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
