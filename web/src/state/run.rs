//! A diagnosis: starting it, its progress, cancelling it, and the report it gives.

use std::collections::BTreeMap;
use std::rc::Rc;

use wsus_doctor_core::{Report, Severity};

use super::{Port, Request, SendError, State};
use crate::components::{Notice, Progress};
use crate::context::WebResult;
use crate::state::inputs::Basis;

/// A run in progress.
#[derive(Clone, Debug)]
pub struct Running {
    pub progress: Progress,
    pub started: f64,
    pub basis: Basis,
}

/// The last report, shared with the components without copying.
#[derive(Clone, Debug)]
pub struct Shown {
    /// What is shown and exported: the report as read, or redacted (see [`State::set_redact`]).
    pub report: Rc<Report>,
    pub context: Rc<BTreeMap<String, BTreeMap<u64, String>>>,
    /// The report and context as the worker made them.
    pub raw: Rc<Report>,
    pub raw_context: Rc<BTreeMap<String, BTreeMap<u64, String>>>,
    pub basis: Basis,
}

#[derive(Clone, Debug, Default)]
pub struct Run {
    pub running: Option<Running>,
    pub shown: Option<Shown>,
    /// How long the last finished run took, and how many bytes it read.
    pub elapsed_ms: f64,
    pub bytes_done: f64,
    /// Said by the live region after each diagnosis.
    pub announce: String,
}

/// `performance.now()`, or 0 where there is none.
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

impl State {
    /// Diagnose the inputs as they are now (a run in progress is cancelled first).
    pub(super) fn start(&mut self, port: &mut dyn Port) {
        self.cancel(port);
        self.planning = None;
        let items = self.inputs.run_items();
        if items.is_empty() {
            self.notice = Some(Notice::Error("Paste some evidence or add files first.".into()));
            return;
        }
        if self.plan_first(&items, port) {
            return;
        }
        self.diagnose_items(items, port);
    }

    /// Diagnose these inputs as one report (its machines apart, merged).
    pub(super) fn diagnose_items(&mut self, items: Vec<super::InputItem>, port: &mut dyn Port) {
        let total = items.iter().map(|i| i.size).sum();
        match port.send(Request::Diagnose(items.into_iter().map(|i| (i.name, i.kind, i.source)).collect())) {
            Ok(()) => {}
            Err(SendError::Spawn(m)) => {
                self.notice = Some(Notice::Error(m));
                return;
            }
            Err(SendError::Post(e)) => {
                self.notice = Some(Notice::Error(format!("Could not send the evidence to the worker: {e}")));
                port.stop();
                return;
            }
        }
        self.notice = None;
        self.run.running = Some(Running { progress: Progress { done: 0.0, total }, started: now(), basis: self.inputs.basis() });
    }

    /// Stop a run in progress: the only way to interrupt wasm in a worker is to end the worker.
    pub(super) fn cancel(&mut self, port: &mut dyn Port) {
        self.planning = None;
        if self.run.running.take().is_some() {
            port.stop();
        }
    }

    /// After an input went away: diagnose what is left, or show no report when nothing is.
    pub(super) fn rerun_or_clear(&mut self, port: &mut dyn Port) {
        if !self.inputs.is_empty() {
            self.start(port);
        } else {
            self.cancel(port);
            self.run.shown = None;
        }
    }

    /// The worker's progress, its report, or its failure.
    pub(super) fn progress(&mut self, done: f64, total: f64) {
        if let Some(r) = self.run.running.as_mut() {
            r.progress = Progress { done, total };
        }
    }

    pub(super) fn finished(&mut self, json: &str) {
        let Some(run) = self.run.running.take() else { return };
        self.run.elapsed_ms = now() - run.started;
        self.run.bytes_done = run.progress.total;
        match serde_json::from_str::<WebResult>(json) {
            Ok(WebResult { report: Some(report), context }) => {
                self.run.announce = announcement(&report);
                self.focus.report = true;
                let (report, context) = (Rc::new(report), Rc::new(context));
                self.run.shown =
                    Some(Shown { report: report.clone(), context: context.clone(), raw: report, raw_context: context, basis: run.basis });
                self.apply_redaction();
            }
            Ok(_) => self.notice = Some(Notice::Error("The worker answered without a report.".into())),
            Err(e) => self.notice = Some(Notice::Error(format!("The worker's answer could not be read: {e}"))),
        }
    }

    pub(super) fn failed(&mut self, message: &str, port: &mut dyn Port) {
        self.run.running = None;
        port.stop(); // a failed worker may be in a bad state: start afresh next time
        self.notice = Some(Notice::Error(format!("Diagnosis failed: {message}")));
    }

    /// The report shown no longer matches the inputs (edited, added or removed since).
    pub fn stale(&self) -> bool {
        self.run.running.is_none() && self.run.shown.as_ref().is_some_and(|s| s.basis != self.inputs.basis())
    }

    pub fn report(&self) -> Option<&Report> {
        self.run.shown.as_ref().map(|s| s.report.as_ref())
    }
}

/// What the live region says when a report arrives: the counts and what to fix first.
pub fn announcement(report: &Report) -> String {
    if report.nothing_read() {
        return format!("Diagnosis done. {}", report.nothing_read_message());
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let critical = match count(Severity::Critical) {
        0 => String::new(),
        n => format!("{n} critical, "),
    };
    let mut say = format!("Diagnosis done: {critical}{} error(s), {} warning(s).", count(Severity::Error), count(Severity::Warning));
    for c in wsus_doctor_core::fix_first(report).roots {
        say.push_str(&format!(" Fix first: {}.", c.title));
    }
    say
}
