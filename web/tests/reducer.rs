//! The page's state transitions (`State::reduce`), with a fake worker port: what is sent, when
//! the worker is stopped, and what the admin is told.

use js_sys::Array;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::File;
use wsus_doctor_core::Report;
use wsus_doctor_web::components::Notice;
use wsus_doctor_web::context::{LineWindow, WebResult};
use wsus_doctor_web::protocol::FromWorker;
use wsus_doctor_web::state::{Action, InputRef, Port, Request, SendError, State, PASTE_NAME};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Default)]
struct FakePort {
    sent: Vec<Request>,
    stops: usize,
    fail: Option<SendError>,
}

impl Port for FakePort {
    fn send(&mut self, request: Request) -> Result<(), SendError> {
        if let Some(e) = self.fail.clone() {
            return Err(e);
        }
        self.sent.push(request);
        Ok(())
    }
    fn stop(&mut self) {
        self.stops += 1;
    }
}

fn file(name: &str, text: &str) -> File {
    File::new_with_str_sequence(&Array::of1(&JsValue::from_str(text)), name).expect("a File")
}

/// The worker's answer to a run: an empty report.
fn result() -> Action {
    let json = serde_json::to_string(&WebResult { report: Some(Report::default()), context: Default::default() }).unwrap();
    Action::Worker(FromWorker::Result { json })
}

fn info(s: &str) -> Option<Notice> {
    Some(Notice::Info(s.into()))
}

#[wasm_bindgen_test]
fn the_same_file_added_twice_is_flagged_not_doubled() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    let f = file("a.log", "one line\n");
    s.reduce(Action::AddFiles(vec![(f.clone(), "a.log".into())]), &mut port);
    assert_eq!(s.inputs.items.len(), 1);
    assert!(matches!(&port.sent[..], [Request::Diagnose(v)] if v.len() == 1 && v[0].0 == "a.log"));
    assert!(s.run.running.is_some());
    s.reduce(Action::AddFiles(vec![(f, "a.log".into())]), &mut port);
    assert_eq!(s.inputs.items.len(), 1);
    assert_eq!(s.notice, info("Already added, not added twice: a.log."));
    // another file of the same name is kept apart
    s.reduce(Action::AddFiles(vec![(file("a.log", "other\n"), "a.log".into())]), &mut port);
    let names: Vec<&str> = s.inputs.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["a.log", "a.log (2)"]);
    assert_eq!(s.notice, None);
}

#[wasm_bindgen_test]
fn a_new_report_goes_out_of_date_when_the_evidence_changes() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("some log line".into()), &mut port);
    s.reduce(Action::Diagnose, &mut port);
    assert!(!s.stale(), "a run in progress is not out of date");
    s.reduce(result(), &mut port);
    assert!(s.run.running.is_none() && s.run.shown.is_some());
    assert!(s.focus.report && s.run.announce.starts_with("Diagnosis done"));
    assert!(!s.stale());
    // typing redraws only when the report goes out of date
    assert!(s.reduce(Action::Paste("some log line, edited".into()), &mut port).render);
    assert!(s.stale());
    assert!(!s.reduce(Action::Paste("some log line, edited again".into()), &mut port).render);
    // a new run: no longer out of date, and its report is made from the edited text
    s.reduce(Action::Diagnose, &mut port);
    assert!(!s.stale());
    s.reduce(result(), &mut port);
    assert!(!s.stale());
    assert_eq!(s.run.shown.as_ref().unwrap().basis.paste, "some log line, edited again");
    // a forced kind changes the evidence too, and runs again at once
    s.reduce(Action::SetKind(InputRef::Paste, Some(wsus_doctor_core::InputKind::IisLog)), &mut port);
    assert!(s.run.running.is_some());
    assert_eq!(port.sent.len(), 3);
}

#[wasm_bindgen_test]
fn cancel_stops_the_worker_only_while_a_run_is_in_progress() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("x".into()), &mut port);
    s.reduce(Action::Diagnose, &mut port);
    s.reduce(Action::Worker(FromWorker::Progress { done: 1.0, total: 1.0 }), &mut port);
    assert_eq!(s.run.running.as_ref().unwrap().progress.done, 1.0);
    s.reduce(Action::Cancel, &mut port);
    assert!(s.run.running.is_none());
    assert_eq!(port.stops, 1);
    assert_eq!(s.notice, info("Cancelled."));
    s.reduce(Action::Cancel, &mut port);
    assert_eq!(port.stops, 1, "nothing to stop");
    // a late answer of the cancelled run is ignored
    s.reduce(result(), &mut port);
    assert!(s.run.shown.is_none());
}

#[wasm_bindgen_test]
fn nothing_to_diagnose_and_a_worker_that_fails() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("  \n".into()), &mut port);
    s.reduce(Action::Diagnose, &mut port);
    assert_eq!(s.notice, Some(Notice::Error("Paste some evidence or add files first.".into())));
    assert!(port.sent.is_empty());
    s.reduce(Action::Paste("x".into()), &mut port);
    port.fail = Some(SendError::Spawn("Could not start the worker: no".into()));
    s.reduce(Action::Diagnose, &mut port);
    assert_eq!(s.notice, Some(Notice::Error("Could not start the worker: no".into())));
    assert!(s.run.running.is_none());
    port.fail = Some(SendError::Post("closed".into()));
    s.reduce(Action::Diagnose, &mut port);
    assert_eq!(s.notice, Some(Notice::Error("Could not send the evidence to the worker: closed".into())));
    assert_eq!(port.stops, 1, "a worker that cannot take a job is ended");
    port.fail = None;
    s.reduce(Action::Diagnose, &mut port);
    assert_eq!(s.notice, None);
    s.reduce(Action::Worker(FromWorker::Error { message: "boom".into() }), &mut port);
    assert_eq!(s.notice, Some(Notice::Error("Diagnosis failed: boom".into())));
    assert!(s.run.running.is_none());
    assert_eq!(port.stops, 2);
}

#[wasm_bindgen_test]
fn an_example_sets_the_admins_evidence_aside_and_restore_puts_it_back() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("my own paste".into()), &mut port);
    let out = s.reduce(Action::Example(0), &mut port);
    assert!(out.show_paste);
    assert!(s.inputs.paste.is_empty() && s.inputs.saved.is_some());
    assert_eq!(s.inputs.items.len(), 3);
    assert!(matches!(port.sent.last(), Some(Request::Diagnose(v)) if v.len() == 3));
    // a second example keeps what was set aside first
    s.reduce(Action::Example(1), &mut port);
    assert_eq!(s.inputs.saved.as_ref().unwrap().paste, "my own paste");
    assert!(s.reduce(Action::Restore, &mut port).show_paste);
    assert_eq!(s.inputs.paste, "my own paste");
    assert!(s.inputs.items.is_empty() && s.inputs.saved.is_none());
    assert!(matches!(port.sent.last(), Some(Request::Diagnose(v)) if v.len() == 1 && v[0].0 == PASTE_NAME));
}

#[wasm_bindgen_test]
fn removing_the_last_input_clears_the_report() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("x".into()), &mut port);
    s.reduce(Action::Diagnose, &mut port);
    s.reduce(result(), &mut port);
    let out = s.reduce(Action::Remove(InputRef::Paste), &mut port);
    assert!(out.show_paste);
    assert!(s.run.shown.is_none() && s.inputs.paste.is_empty());
    assert_eq!(port.sent.len(), 1, "nothing left to run");
}

#[wasm_bindgen_test]
fn the_address_opens_the_viewer_on_an_input_of_the_page() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Hash("#view/2/nowhere.log".into()), &mut port);
    let v = s.viewer.clone().unwrap();
    assert!(v.problem.unwrap().starts_with("nowhere.log is not one of the inputs"));
    assert!(s.focus.viewer && port.sent.is_empty());
    s.reduce(Action::Paste("a\nb\n".into()), &mut port);
    s.reduce(Action::Hash("#view/200/pasted%20text".into()), &mut port);
    assert!(matches!(&port.sent[..], [Request::View { name, member: None, from: 1, to: 1200, .. }] if name == PASTE_NAME));
    assert_eq!(s.viewer.as_ref().unwrap().line, 200);
    assert!(s.reduce(Action::CloseViewer, &mut port).to_report);
    assert!(s.viewer.is_none());
    // not a viewer address: nothing opens
    s.reduce(Action::Hash("#report".into()), &mut port);
    assert!(s.viewer.is_none());
}

/// The worker's lines for a view: `from..=to` of `name`, each `text(n)`.
fn lines(name: &str, from: u64, to: u64, ended: bool, text: impl Fn(u64) -> String) -> Action {
    let w = LineWindow { name: name.into(), from, to, lines: (from..=to).map(|n| (n, text(n))).collect(), ended, ..LineWindow::default() };
    Action::Worker(FromWorker::Lines { json: serde_json::to_string(&w).unwrap() })
}

/// A WindowsUpdate.log line `n`, written at `n` seconds past midnight of 2026-10-01.
fn wu_line(n: u64) -> String {
    format!("2026-10-01\t{:02}:{:02}:{:02}:000\t1032\td18\tAgent\t* line {n}", n / 3600, n / 60 % 60, n % 60)
}

#[wasm_bindgen_test]
fn a_merged_address_reads_each_other_input_in_the_time_range_of_the_window() {
    use wsus_doctor_web::state::{parse_view_hash, view_hash_others, MergeSpan};
    let hash = "#view/3000/pasted%20text/u_ex%2F1.log/u_ex%2F1.log/nowhere.log";
    assert_eq!(parse_view_hash(hash), Some((PASTE_NAME.to_string(), 3000)));
    assert_eq!(view_hash_others(hash), vec!["u_ex/1.log".to_string(), "nowhere.log".to_string()]);
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("a\nb\n".into()), &mut port);
    let log = file("u_ex/1.log", "2009-12-14 15:11:40 x\n");
    s.reduce(Action::AddFiles(vec![(log, "u_ex/1.log".into())]), &mut port);
    s.reduce(Action::Worker(FromWorker::Error { message: "stop the run".into() }), &mut port);
    port.sent.clear();
    s.reduce(Action::Hash(hash.into()), &mut port);
    // the window first: the others' time range is the window's
    assert!(matches!(&port.sent[..], [Request::View { name, from: 2000, to: 4000, .. }] if name == PASTE_NAME));
    assert_eq!(s.viewer.as_ref().unwrap().others, vec![("u_ex/1.log".to_string(), None)]);
    s.reduce(lines(PASTE_NAME, 2000, 4000, false, wu_line), &mut port);
    let at = |secs: i64| wsus_doctor_core::time::Timestamp::new(2026, 10, 1, 0, 0, 0).unwrap().epoch_seconds() + secs;
    assert!(
        matches!(&port.sent[1..], [Request::Slice { name, start: Some(a), end: Some(b), .. }] if name == "u_ex/1.log" && *a == at(2000) && *b == at(4000)),
        "{:?}",
        &port.sent[1..]
    );
    let v = s.viewer.as_ref().unwrap();
    assert_eq!(v.span, Some(MergeSpan::Times { start: Some(at(2000)), end: Some(at(4000)) }));
    // the slice's lines: only the answer for the range asked, not a late one for another window
    let slice = |range| {
        let lines = vec![(7, "2026-10-01 00:40:00 x".to_string())];
        let w = LineWindow { name: "u_ex/1.log".into(), lines, range: Some(range), ..LineWindow::default() };
        Action::Worker(FromWorker::Lines { json: serde_json::to_string(&w).unwrap() })
    };
    s.reduce(slice((None, None)), &mut port);
    assert_eq!(s.viewer.as_ref().unwrap().others[0].1, None);
    s.reduce(slice((Some(at(2000)), Some(at(4000)))), &mut port);
    assert_eq!(s.viewer.as_ref().unwrap().others[0].1.as_ref().map(|w| w.lines.len()), Some(1));
    // a late view of another window of the input opened is not this one's
    s.reduce(Action::Hash("#view/9000/pasted%20text/u_ex%2F1.log".into()), &mut port);
    s.reduce(lines(PASTE_NAME, 2000, 4000, false, wu_line), &mut port);
    assert!(s.viewer.as_ref().unwrap().window.is_none());
    // a window at the input's start and end has no bound on either side
    port.sent.clear();
    s.reduce(Action::Hash("#view/1/pasted%20text/u_ex%2F1.log".into()), &mut port);
    s.reduce(lines(PASTE_NAME, 1, 2, true, wu_line), &mut port);
    assert!(matches!(&port.sent[1..], [Request::Slice { start: None, end: None, .. }]), "{:?}", &port.sent[1..]);
    // lines without times in the middle of an input: nothing to merge them by, and nothing asked
    port.sent.clear();
    s.reduce(Action::Hash("#view/3000/pasted%20text/u_ex%2F1.log".into()), &mut port);
    s.reduce(lines(PASTE_NAME, 2000, 4000, false, |n| format!("untimed {n}")), &mut port);
    assert_eq!(port.sent.len(), 1);
    let v = s.viewer.unwrap();
    assert_eq!(v.span, Some(MergeSpan::Untimed));
    assert!(v.others[0].1.as_ref().is_some_and(|w| w.lines.is_empty() && w.error.is_some()));
}

#[wasm_bindgen_test]
fn a_search_with_nothing_more_in_the_window_goes_on_in_the_worker() {
    use wsus_doctor_core::find::{Found, Target};
    use wsus_doctor_core::lines::Level;
    use wsus_doctor_web::context::FindAnswer;
    use wsus_doctor_web::state::Seek;
    let (mut s, mut port) = (State::default(), FakePort::default());
    s.reduce(Action::Paste("a\n".into()), &mut port);
    s.reduce(Action::Worker(FromWorker::Error { message: "stop the run".into() }), &mut port);
    s.reduce(Action::Hash("#view/1/pasted%20text".into()), &mut port);
    let errors = || Target::Level(Level::Error);
    // before the window is read: nothing to search from
    s.reduce(Action::Find(errors(), true), &mut port);
    assert_eq!(port.sent.len(), 1);
    s.reduce(lines(PASTE_NAME, 1, 1001, false, wu_line), &mut port);
    // back from line 1: nothing before it, nothing asked
    s.reduce(Action::Find(errors(), false), &mut port);
    assert_eq!(s.viewer.as_ref().unwrap().seek, Seek::Nothing { forward: false, errors: true, from: 1, last: None });
    assert_eq!(port.sent.len(), 1);
    // on: after the window's last line
    s.reduce(Action::Find(errors(), true), &mut port);
    assert!(matches!(&port.sent[1..], [Request::Find { from: 1001, forward: true, target: Target::Level(Level::Error), .. }]));
    assert_eq!(s.viewer.as_ref().unwrap().seek, Seek::Searching { forward: true, errors: true });
    s.reduce(Action::Find(Target::Text("x".into()), true), &mut port);
    assert_eq!(port.sent.len(), 2, "one search at a time");
    let answer = |name: &str, line: Option<u64>| {
        let a = FindAnswer { name: name.into(), found: Found { line, from: 1001, forward: true, last: 60_000 }, error: None };
        Action::Worker(FromWorker::Found { json: serde_json::to_string(&a).unwrap() })
    };
    s.reduce(answer("another.log", Some(7)), &mut port);
    assert_eq!(s.viewer.as_ref().unwrap().seek, Seek::Searching { forward: true, errors: true }, "not this input's answer");
    s.reduce(answer(PASTE_NAME, Some(50_000)), &mut port);
    assert_eq!(s.viewer.as_ref().unwrap().seek, Seek::Found(50_000));
    // the viewer opens there (its address changes); from its window, none after
    s.reduce(Action::Hash("#view/50000/pasted%20text".into()), &mut port);
    s.reduce(lines(PASTE_NAME, 49_000, 51_000, false, wu_line), &mut port);
    s.reduce(Action::Find(errors(), true), &mut port);
    assert!(matches!(port.sent.last(), Some(Request::Find { from: 51_000, .. })));
    s.reduce(answer(PASTE_NAME, None), &mut port);
    assert_eq!(s.viewer.unwrap().seek, Seek::Nothing { forward: true, errors: true, from: 1001, last: Some(60_000) });
}

#[wasm_bindgen_test]
fn dragging_redraws_only_when_it_changes() {
    let (mut s, mut port) = (State::default(), FakePort::default());
    assert!(s.reduce(Action::Drag(true), &mut port).render);
    assert!(!s.reduce(Action::Drag(true), &mut port).render);
    assert!(s.dragging);
    s.reduce(Action::AddFiles(Vec::new()), &mut port);
    assert!(!s.dragging);
}

#[wasm_bindgen_test]
fn the_page_redraws_for_typing_but_not_for_a_drag_that_changes_nothing() {
    use std::rc::Rc;
    use wsus_doctor_web::state::Page;
    use yew::Reducible;
    let page = Rc::new(Page::new(yew::NodeRef::default()));
    let same = page.clone().reduce(Action::Drag(false));
    assert!(Rc::ptr_eq(&page, &same), "nothing changed: the same state, no redraw");
    let typed = page.clone().reduce(Action::Paste("abc".into()));
    assert!(!Rc::ptr_eq(&page, &typed));
    assert_eq!(typed.state.inputs.paste, "abc");
    assert!(page.state.inputs.paste.is_empty(), "the previous state is left as it was");
}
