//! The page's state and its transitions: one [`State`] (inputs, run, viewer, explorer), changed
//! only by [`State::reduce`] with an [`Action`]. The worker is reached through a [`Port`], so the
//! transitions run, and are tested, without one (`web/tests/reducer.rs`). [`Page`] is the
//! `Reducible` the page's `use_reducer` holds: the state with the real worker.

mod explorer;
mod fleet;
mod inputs;
mod page;
mod redact;
mod run;
mod viewer;

pub use explorer::ExplorerState;
pub use fleet::FleetState;
pub use inputs::{Basis, InputItem, InputRef, Inputs, NotAdded, Saved, Source, BIG_PASTE, MAX_INPUT_BYTES, PASTE_NAME};
pub use page::Page;
pub use run::{announcement, now, Run, Running, Shown};
pub use viewer::{parse_view_hash, view_hash_others, MergeSpan, Seek, ViewerState, MAX_MERGED, MERGE_LINES};

use web_sys::File;
use wsus_doctor_core::InputKind;

use crate::components::{human_size, Chip, Notice};
use crate::examples::EXAMPLES;
use crate::protocol::FromWorker;

/// Everything the page does to its state.
#[derive(Debug)]
pub enum Action {
    /// The text box changed.
    Paste(String),
    /// Files with the names they are shown and cited by (their path inside a dropped folder).
    AddFiles(Vec<(File, String)>),
    Drag(bool),
    Remove(InputRef),
    SetKind(InputRef, Option<InputKind>),
    Diagnose,
    Example(usize),
    /// Put back the evidence "Try an example" replaced.
    Restore,
    /// The address changed (`#view/...` opens the input viewer).
    Hash(String),
    /// Explore every matching line of a finding (its rule and machine).
    Explore(String, Option<String>),
    /// A new filter term for the open explorer.
    ExploreTerm(String),
    CloseExplorer,
    CloseViewer,
    /// The viewer's search (or next error) found nothing more in its window: ask the worker for
    /// the next match in the whole input, forward or back.
    Find(wsus_doctor_core::find::Target, bool),
    Worker(FromWorker),
    /// The worker sent something that is not [`FromWorker`].
    WorkerBroken(String),
    /// A dropped folder could not be walked.
    DropFailed(String),
    Cancel,
    /// The clipboard took the Markdown report, or refused it.
    Copied(Result<(), String>),
    /// The JSON download could not start.
    DownloadFailed(String),
    /// Show and export the report with names, addresses and ids replaced by aliases, or not.
    Redact(bool),
    /// A message of fleet worker `k`, or what it sent that is not one.
    Fleet(usize, FromWorker),
    FleetBroken(String),
    /// Sort the fleet table by this column (again: the other way).
    FleetSort(crate::fleet::SortBy),
    FleetFilter(String),
    /// Open a machine's report below the fleet table, or close it.
    FleetOpen(Option<String>),
    /// Download the fleet's NDJSON records.
    FleetNdjson,
}

/// A request to the worker, in the page's terms ([`crate::worker`] makes the message of it).
#[derive(Clone, Debug)]
pub enum Request {
    /// Diagnose these inputs: (name, forced kind, bytes).
    Diagnose(Vec<(String, Option<InputKind>, Source)>),
    /// Lines `from..=to` of one input (or of a zip's member).
    View { name: String, member: Option<String>, from: u64, to: u64, source: Source },
    /// The next line after `from` (or the last before it) of one input that `target` matches.
    Find { name: String, member: Option<String>, from: u64, forward: bool, target: wsus_doctor_core::find::Target, source: Source },
    /// The lines of one input written between `start` and `end` (UTC seconds; `None`: no bound).
    Slice { name: String, member: Option<String>, start: Option<i64>, end: Option<i64>, source: Source },
    /// Every line matching `term` of these inputs: (name, zip member, bytes).
    Explore { term: String, inputs: Vec<(String, Option<String>, Source)> },
    /// Which machines these inputs hold (zips' directories read).
    Plan(Vec<(String, Option<InputKind>, Source)>),
    /// Diagnose these inputs over `workers` workers, each its share of the machines.
    Fleet { inputs: Vec<(String, Option<InputKind>, Source)>, workers: usize },
}

/// Why a request did not reach the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum SendError {
    /// No worker could be started.
    Spawn(String),
    /// The message could not be built or posted.
    Post(String),
}

impl SendError {
    pub fn message(self) -> String {
        match self {
            SendError::Spawn(m) | SendError::Post(m) => m,
        }
    }
}

/// The worker, as the reducer sees it: `send` starts it when there is none.
pub trait Port {
    fn send(&mut self, request: Request) -> Result<(), SendError>;
    /// End the worker (a run in progress with it); the next `send` starts another.
    fn stop(&mut self);
}

/// Where focus goes once the page is drawn again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Focus {
    /// A new report: its summary.
    pub report: bool,
    /// The viewer got lines: the viewer, scrolled to its line.
    pub viewer: bool,
    /// The explorer got its lines.
    pub explorer: bool,
}

/// What the page does after a transition, besides drawing the new state.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// False when nothing shown changed (typing in the text box, say).
    pub render: bool,
    /// The page changed the pasted text: write it into the text box.
    pub show_paste: bool,
    /// The viewer closed: the address goes back to `#report`.
    pub to_report: bool,
}

#[derive(Clone, Debug, Default)]
pub struct State {
    pub inputs: Inputs,
    pub run: Run,
    pub viewer: Option<ViewerState>,
    pub explorer: Option<ExplorerState>,
    pub notice: Option<Notice>,
    pub dragging: bool,
    pub focus: Focus,
    /// Reports are shown and exported redacted.
    pub redact: bool,
    /// A run over many machines.
    pub fleet: Option<FleetState>,
    /// The inputs of a run whose machines are being planned.
    pub planning: Option<Vec<InputItem>>,
}

impl State {
    pub fn reduce(&mut self, action: Action, port: &mut dyn Port) -> Outcome {
        let mut out = Outcome { render: true, show_paste: false, to_report: false };
        match action {
            Action::Paste(s) => {
                // typing does not redraw the page; only a report going out of date, or the
                // paste growing past the big-paste hint, does
                let was = (self.stale(), self.inputs.paste.len() > BIG_PASTE);
                self.inputs.paste = s;
                out.render = was != (self.stale(), self.inputs.paste.len() > BIG_PASTE);
            }
            Action::AddFiles(files) => {
                self.dragging = false;
                let not = self.inputs.add_files(files);
                if !self.inputs.is_empty() {
                    self.start(port);
                }
                if !not.twice.is_empty() {
                    self.notice = Some(Notice::Info(format!("Already added, not added twice: {}.", not.twice.join(", "))));
                }
                if !not.refused.is_empty() {
                    self.notice = Some(Notice::Error(format!(
                        "{}; the page reads at most {} per file. Cut the log to the days around the problem, or use the wsus-doctor command line.",
                        not.refused.join(", "),
                        human_size(MAX_INPUT_BYTES)
                    )));
                }
            }
            Action::Drag(on) => {
                out.render = self.dragging != on;
                self.dragging = on;
            }
            Action::Remove(r) => {
                self.inputs.remove(r);
                out.show_paste = r == InputRef::Paste;
                self.rerun_or_clear(port);
            }
            Action::SetKind(r, k) => {
                self.inputs.set_kind(r, k);
                self.start(port);
            }
            Action::Diagnose => self.start(port),
            Action::Example(n) => {
                if let Some(ex) = EXAMPLES.get(n) {
                    if self.inputs.use_example(ex) {
                        self.notice =
                            Some(Notice::Info("Your evidence was set aside for the example; \"Restore my evidence\" puts it back.".into()));
                    }
                    out.show_paste = true;
                    self.start(port);
                }
            }
            Action::Restore => {
                if self.inputs.restore() {
                    out.show_paste = true;
                    self.notice = Some(Notice::Info("Your evidence is back.".into()));
                    self.rerun_or_clear(port);
                }
            }
            Action::Hash(h) => {
                if let Some((name, line)) = parse_view_hash(&h) {
                    self.open_viewer(port, name, line, viewer::view_hash_others(&h));
                }
            }
            Action::Explore(rule, machine) => self.explore(port, rule, machine),
            Action::ExploreTerm(term) => self.explore_term(port, term),
            Action::CloseExplorer => self.explorer = None,
            Action::CloseViewer => {
                self.viewer = None;
                out.to_report = true;
            }
            Action::Find(target, forward) => self.find(port, target, forward),
            Action::Worker(m) => self.on_worker(m, port),
            Action::WorkerBroken(m) => self.failed(&m, port),
            Action::DropFailed(why) => {
                self.notice = Some(Notice::Error(format!("The dropped folder could not be read ({why}); use \"Add folder…\" instead.")));
            }
            Action::Cancel => {
                self.cancel(port);
                self.notice = Some(Notice::Info("Cancelled.".into()));
            }
            Action::Copied(r) => {
                self.notice = Some(match r {
                    Ok(()) => Notice::Info("Report copied as Markdown.".into()),
                    Err(e) => Notice::Error(format!("Not copied: {e}.")),
                });
            }
            Action::DownloadFailed(e) => self.notice = Some(Notice::Error(format!("The download could not start: {e}"))),
            Action::Redact(on) => self.set_redact(on),
            Action::Fleet(k, m) => self.on_fleet(k, m, port),
            Action::FleetBroken(m) => self.failed(&m, port),
            Action::FleetSort(by) => {
                if let Some(f) = self.fleet.as_mut() {
                    f.descending = f.sort == by && !f.descending;
                    f.sort = by;
                }
            }
            Action::FleetFilter(t) => {
                if let Some(f) = self.fleet.as_mut() {
                    f.filter = t;
                }
            }
            Action::FleetOpen(m) => self.open_machine(m),
            Action::FleetNdjson => {
                if let Some(Err(e)) = self.fleet.as_ref().map(|f| crate::export::download_fleet_ndjson(&f.reports, self.redact)) {
                    self.notice = Some(Notice::Error(format!("The download could not start: {e}")));
                }
            }
        }
        out
    }

    fn on_worker(&mut self, m: FromWorker, port: &mut dyn Port) {
        match m {
            FromWorker::Progress { done, total } => self.progress(done, total),
            FromWorker::Result { json } => self.finished(&json),
            FromWorker::Lines { json } => self.lines(&json, port),
            FromWorker::Found { json } => self.found(&json),
            FromWorker::Explored { json } => self.explored(&json),
            FromWorker::Planned { json } => self.planned(&json, port),
            FromWorker::Error { message } => self.failed(&message, port),
        }
    }

    /// One chip per file, then one for the pasted text once a report has read it.
    pub fn chips(&self) -> Vec<Chip> {
        // the chips name the files as given: their summaries from the report as read
        let raw = self.run.shown.as_ref().map(|s| s.raw.as_ref());
        let summary = |name: &str| raw.and_then(|r| r.inputs.iter().find(|i| i.name == name)).cloned();
        let i = &self.inputs;
        let mut chips: Vec<Chip> =
            i.items.iter().map(|it| Chip { name: it.name.clone(), size: it.size, kind: it.kind, summary: summary(&it.name) }).collect();
        if !i.paste.trim().is_empty() {
            if let Some(s) = summary(PASTE_NAME) {
                chips.push(Chip { name: PASTE_NAME.into(), size: i.paste.len() as f64, kind: i.paste_kind, summary: Some(s) });
            }
        }
        chips
    }
}
