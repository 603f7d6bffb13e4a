//! The text admins actually paste (forum posts, web pages, PowerShell windows), read as the
//! evidence it carries, each repair said in the notes.

use wsus_doctor_core::{diagnose, Input, Report};
use wsus_doctor_tests::{assert_evidence_is_real, root};

fn paste(name: &str) -> (Report, Vec<u8>) {
    let bytes = std::fs::read(root().join("tests/fixtures/pastes").join(name)).unwrap();
    let r = diagnose(&[Input { name, bytes: &bytes, kind: None }]);
    assert_evidence_is_real(&r, &[(name.to_string(), bytes.clone())]);
    (r, bytes)
}

fn codes(r: &Report) -> String {
    r.finding("wu-error-codes").map(|f| f.detail.clone()).unwrap_or_default()
}

#[test]
fn a_powershell_error_carries_its_hresult() {
    let (r, _) = paste("powershell-hresult.txt");
    assert!(codes(&r).contains("0x8024401C"), "{}", codes(&r));
    let i = &r.inputs[0];
    assert_eq!(i.kind.map(|k| k.name()), Some("windowsupdate-log"));
    assert_eq!(i.unrecognised, 6, "the prompt and the error record's other lines are not evidence");
    assert_eq!(r.finding("wu-error-codes").unwrap().evidence[0].line, 2);
}

#[test]
fn a_log_copied_out_of_a_web_page() {
    let (r, _) = paste("forum-html.txt");
    let notes = r.inputs[0].notes.join(" | ");
    assert!(notes.contains("came from a web page"), "{notes}");
    assert!(notes.contains("several records glued together"), "{notes}");
    assert!(codes(&r).contains("0x8024401C ") && codes(&r).contains("×2"), "both records found: {}", codes(&r));
}

#[test]
fn bullets_and_inline_code_around_records() {
    let (r, _) = paste("bullets-and-code.txt");
    let i = &r.inputs[0];
    let notes = i.notes.join(" | ");
    assert!(
        notes.contains("2 line(s) had list bullets or comment marks (`# `) removed") && notes.contains("1 line(s) had markdown code"),
        "{notes}"
    );
    assert_eq!(i.unrecognised, 2, "the prose lines: {notes}");
    assert!(codes(&r).contains("0x8024401C"));
}

#[test]
fn classic_lines_copied_without_milliseconds_are_log_records_not_iis_rows() {
    let (r, _) = paste("classic-no-millis.txt");
    let i = &r.inputs[0];
    assert_eq!((i.kind.map(|k| k.name()), i.lines, i.unrecognised), (Some("windowsupdate-log"), 4, 0), "{:?}", i.notes);
    assert!(codes(&r).contains("0x80244019"));
    assert!(r.check("wustatusserver-missing").is_some_and(|c| c.status == wsus_doctor_core::CheckStatus::Passed));
}
