//! The page: inputs (paste, pick, drop), a worker run with progress and cancel, and the report.
//! Everything shown comes from the core's [`Report`]; pasted text is only ever rendered as text.
//! This component owns the state and the worker; the parts it shows are in [`crate::components`].

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DragEvent, File, HtmlInputElement, HtmlTextAreaElement, MessageEvent, Worker, WorkerOptions, WorkerType};
use wsus_doctor_core::{rules, InputKind, Report, Severity};
use yew::prelude::*;

use crate::components::{
    human_size, Checklist, Chip, EvidenceSources, Explorer, ExportBar, FindingCard, FixFirstBox, InputChips, Notice, Progress, StatusBar,
    Timeline, Viewer, VIEW_RADIUS,
};
use crate::context::{LineWindow, WebResult};
use crate::examples::EXAMPLES;
use crate::protocol::{ExploreInput, ExploreJob, ExploreRequest, FromWorker, Job, JobInput, JobSource, ViewJob, ViewRequest};

/// Files above this size are refused with a message, not read (the tab must never freeze).
pub const MAX_INPUT_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// Past this, the page suggests "Add files…": a textarea holding megabytes is slow to edit.
const BIG_PASTE: usize = 2 * 1024 * 1024;

/// The name the pasted text goes by (no file may take it).
const PASTE_NAME: &str = "pasted text";

/// Where an input's bytes live: a picked/dropped file (read by the worker in slices) or memory.
#[derive(Clone)]
enum Source {
    File(File),
    Bytes(Rc<Vec<u8>>),
}

#[derive(Clone)]
struct InputItem {
    /// Unique among the page's inputs: the folder-relative path of a dropped folder's file, or
    /// its name with ` (2)` when another input already has that name.
    name: String,
    /// The name it came with (before ` (2)`): with size and time, how a file added twice is known.
    origin: String,
    size: f64,
    source: Source,
    kind: Option<InputKind>,
}

/// Which input a chip action is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputRef {
    File(usize),
    Paste,
}

/// The worker is kept between runs (its wasm is compiled once); cancelling terminates it.
struct WorkerHandle {
    worker: Worker,
    _listener: EventListener,
}

struct Running {
    progress: Progress,
    started: f64,
    basis: Basis,
}

/// What a report was made from: when the page's inputs no longer match it, the report is
/// marked out of date instead of passing for a diagnosis of what is on screen.
#[derive(Clone, PartialEq)]
struct Basis {
    paste: String,
    paste_kind: Option<InputKind>,
    files: Vec<(String, Option<InputKind>)>,
}

/// The last report, shared with the components without copying.
struct Shown {
    report: Rc<Report>,
    context: Rc<BTreeMap<String, BTreeMap<u64, String>>>,
    basis: Basis,
}

/// The input viewer's state: which line of which input, and what the worker read.
struct ViewerState {
    name: String,
    line: u64,
    window: Option<LineWindow>,
    problem: Option<String>,
}

/// The evidence explorer's state: which finding, which inputs, what the worker found.
struct ExplorerState {
    rule: String,
    machine: Option<String>,
    inputs: Vec<String>,
    term: String,
    result: Option<wsus_doctor_core::explore::Exploration>,
    problem: Option<String>,
}

/// `#view/<line>/<percent-encoded input>` → (input, line).
fn parse_view_hash(hash: &str) -> Option<(String, u64)> {
    let rest = hash.strip_prefix("#view/")?;
    let (line, name) = rest.split_once('/')?;
    let name = js_sys::decode_uri_component(name).ok()?.as_string()?;
    Some((name, line.parse().ok()?))
}

/// The admin's own evidence, kept when "Try an example" replaces it, until they restore it.
struct Saved {
    paste: String,
    paste_kind: Option<InputKind>,
    inputs: Vec<InputItem>,
}

pub enum Msg {
    Paste(String),
    /// Files with the names they are shown and cited by (their path inside a dropped folder).
    AddFiles(Vec<(File, String)>),
    Drag(bool),
    Remove(InputRef),
    SetKind(InputRef, Option<InputKind>),
    Diagnose,
    Example(usize),
    Worker(FromWorker),
    WorkerBroken(String),
    /// A dropped folder could not be walked.
    DropFailed(String),
    Cancel,
    CopyMarkdown,
    Copied(Result<(), String>),
    DownloadJson,
    Print,
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
}

pub struct App {
    paste: String,
    /// Kind forced on the pasted text (`None`: detect).
    paste_kind: Option<InputKind>,
    inputs: Vec<InputItem>,
    worker: Option<WorkerHandle>,
    running: Option<Running>,
    shown: Option<Shown>,
    elapsed_ms: f64,
    bytes_done: f64,
    notice: Option<Notice>,
    dragging: bool,
    saved: Option<Saved>,
    /// The text box is not bound to `paste`: re-setting a multi-megabyte value on each redraw
    /// costs seconds of layout. The page writes it only when it changes the paste itself.
    textarea: NodeRef,
    /// Set when a new report arrives: focus moves to its summary once it is drawn.
    focus_report: bool,
    /// Said by the live region after each diagnosis.
    announce: String,
    viewer: Option<ViewerState>,
    explorer: Option<ExplorerState>,
    /// Set when the explorer gets its lines: focus it once drawn.
    focus_explorer: bool,
    /// Set when the viewer gets new lines: scroll to the target line once drawn.
    focus_viewer: bool,
    _hash_listener: EventListener,
}

fn now() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<(File, String)> {
    let mut v = Vec::new();
    if let Some(l) = list {
        for i in 0..l.length() {
            if let Some(f) = l.get(i) {
                let name = file_display_name(&f);
                v.push((f, name));
            }
        }
    }
    v
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `main.js`: walks dropped folders (the browser hands over only their top entries) and
    /// resolves to `[{file, path}]`. Must be called during the drop event.
    #[wasm_bindgen(catch, js_name = wsusDoctorDropped)]
    fn dropped_files(dt: &web_sys::DataTransfer) -> Result<js_sys::Promise, JsValue>;
}

/// `[{file, path}]` from `wsusDoctorDropped` as (file, name) pairs.
fn named_files(v: &JsValue) -> Vec<(File, String)> {
    use wasm_bindgen::JsCast;
    js_sys::Array::from(v)
        .iter()
        .filter_map(|item| {
            let file = Reflect::get(&item, &JsValue::from_str("file")).ok()?.dyn_into::<File>().ok()?;
            let path =
                Reflect::get(&item, &JsValue::from_str("path")).ok()?.as_string().filter(|p| !p.is_empty()).unwrap_or_else(|| file.name());
            Some((file, path))
        })
        .collect()
}

/// The path inside a dropped or picked folder (`pc1/WindowsUpdate.log`), else the file name.
fn file_display_name(f: &File) -> String {
    Reflect::get(f, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| f.name())
}

impl App {
    /// No two inputs (nor a file and the paste) share a name.
    fn unique_name(&self, name: &str) -> String {
        wsus_doctor_core::unique_name(name, |n| n == PASTE_NAME || self.inputs.iter().any(|i| i.name == n))
    }

    fn start(&mut self, ctx: &Context<Self>) {
        self.cancel();
        let mut items = self.inputs.clone();
        if !self.paste.trim().is_empty() {
            items.push(InputItem {
                name: PASTE_NAME.into(),
                origin: PASTE_NAME.into(),
                size: self.paste.len() as f64,
                source: Source::Bytes(Rc::new(self.paste.clone().into_bytes())),
                kind: self.paste_kind,
            });
        }
        if items.is_empty() {
            self.notice = Some(Notice::Error("Paste some evidence or add files first.".into()));
            return;
        }
        if self.worker.is_none() {
            match spawn_worker(ctx) {
                Ok(w) => self.worker = Some(w),
                Err(m) => {
                    self.notice = Some(Notice::Error(m));
                    return;
                }
            }
        }
        let total = items.iter().map(|i| i.size).sum();
        let job = Job {
            inputs: items
                .iter()
                .map(|it| JobInput {
                    name: it.name.clone(),
                    kind: it.kind,
                    source: match &it.source {
                        Source::File(f) => JobSource::File(f.clone().into()),
                        Source::Bytes(b) => JobSource::Bytes(Uint8Array::from(b.as_slice()).into()),
                    },
                })
                .collect(),
            max_bytes: MAX_INPUT_BYTES,
        };
        let Some(w) = &self.worker else { return };
        let sent = job.to_js().and_then(|msg| w.worker.post_message(&msg).map_err(|e| format!("{e:?}")));
        if let Err(e) = sent {
            self.notice = Some(Notice::Error(format!("Could not send the evidence to the worker: {e}")));
            self.kill_worker();
            return;
        }
        self.notice = None;
        self.running = Some(Running { progress: Progress { done: 0.0, total }, started: now(), basis: self.basis() });
    }

    /// Stop a run in progress: the only way to interrupt wasm in a worker is to end the worker.
    fn cancel(&mut self) {
        if self.running.take().is_some() {
            self.kill_worker();
        }
    }

    fn kill_worker(&mut self) {
        if let Some(w) = self.worker.take() {
            w.worker.terminate();
        }
    }

    fn basis(&self) -> Basis {
        Basis {
            paste: self.paste.clone(),
            paste_kind: self.paste_kind,
            files: self.inputs.iter().map(|i| (i.name.clone(), i.kind)).collect(),
        }
    }

    /// Where an input's bytes are, by the name evidence cites: a page input, or a member of a
    /// zip on the page (`bundle.zip/pc1/reg.txt`: the zip, and `pc1/reg.txt`).
    fn source_of(&self, name: &str) -> Option<(JobSource, Option<String>)> {
        let bytes_of = |i: &InputItem| match &i.source {
            Source::File(f) => JobSource::File(f.clone().into()),
            Source::Bytes(b) => JobSource::Bytes(Uint8Array::from(b.as_slice()).into()),
        };
        if name == PASTE_NAME && !self.paste.is_empty() {
            return Some((JobSource::Bytes(Uint8Array::from(self.paste.as_bytes()).into()), None));
        }
        if let Some(i) = self.inputs.iter().find(|i| i.name == name) {
            return Some((bytes_of(i), None));
        }
        self.inputs.iter().find_map(|i| {
            let member = name.strip_prefix(i.name.as_str())?.strip_prefix('/')?;
            Some((bytes_of(i), Some(member.to_string())))
        })
    }

    /// Ask the worker for every line of the explorer's inputs matching its term.
    fn run_explorer(&mut self, ctx: &Context<Self>) {
        let Some(x) = self.explorer.as_mut() else { return };
        let names = x.inputs.clone();
        let mut inputs = Vec::new();
        for name in names {
            match self.source_of(&name) {
                Some((source, member)) => inputs.push(ExploreInput { name, member, source }),
                None => {
                    if let Some(x) = self.explorer.as_mut() {
                        x.problem = Some(format!("{name} is no longer one of the page's inputs: add it again to explore it."));
                    }
                    return;
                }
            }
        }
        let Some(x) = self.explorer.as_mut() else { return };
        if self.running.is_some() {
            x.problem = Some("A diagnosis is running; explore again when it is done.".into());
            return;
        }
        if self.worker.is_none() {
            match spawn_worker(ctx) {
                Ok(w) => self.worker = Some(w),
                Err(m) => {
                    x.problem = Some(m);
                    return;
                }
            }
        }
        if let Some(w) = &self.worker {
            let job = ExploreJob { explore: ExploreRequest { term: x.term.clone(), inputs } };
            if let Err(e) = job.to_js().and_then(|m| w.worker.post_message(&m).map_err(|e| format!("{e:?}"))) {
                x.problem = Some(e);
            }
        }
    }

    /// Ask the worker for the lines around `line` of the input called `name`.
    fn open_viewer(&mut self, ctx: &Context<Self>, name: String, line: u64) {
        let mut state = ViewerState { name: name.clone(), line, window: None, problem: None };
        let Some((source, member)) = self.source_of(&name) else {
            state.problem = Some(format!("{name} is not one of the inputs on this page (add it, then open the link again)."));
            self.viewer = Some(state);
            self.focus_viewer = true;
            return;
        };
        if self.running.is_some() {
            state.problem = Some("A diagnosis is running; open the line again when it is done.".into());
            self.viewer = Some(state);
            return;
        }
        if self.worker.is_none() {
            match spawn_worker(ctx) {
                Ok(w) => self.worker = Some(w),
                Err(m) => state.problem = Some(m),
            }
        }
        if let Some(w) = &self.worker {
            let job = ViewJob {
                view: ViewRequest {
                    name,
                    member,
                    from: line.saturating_sub(VIEW_RADIUS).max(1) as f64,
                    to: (line + VIEW_RADIUS) as f64,
                    source,
                },
            };
            if let Err(e) = job.to_js().and_then(|m| w.worker.post_message(&m).map_err(|e| format!("{e:?}"))) {
                state.problem = Some(e);
            }
        }
        self.viewer = Some(state);
    }

    /// Show `paste` in the text box (after the page, not the admin, changed it).
    fn show_paste(&self) {
        if let Some(t) = self.textarea.cast::<HtmlTextAreaElement>() {
            t.set_value(&self.paste);
        }
    }

    /// The report shown no longer matches the inputs (edited, added or removed since).
    fn stale(&self) -> bool {
        self.running.is_none() && self.shown.as_ref().is_some_and(|s| s.basis != self.basis())
    }

    fn report(&self) -> Option<&Report> {
        self.shown.as_ref().map(|s| s.report.as_ref())
    }

    fn rerun_or_clear(&mut self, ctx: &Context<Self>) {
        if !self.inputs.is_empty() || !self.paste.trim().is_empty() {
            self.start(ctx);
        } else {
            self.cancel();
            self.shown = None;
        }
    }

    fn on_worker(&mut self, m: FromWorker) {
        match m {
            FromWorker::Progress { done, total } => {
                if let Some(r) = self.running.as_mut() {
                    r.progress = Progress { done, total };
                }
            }
            FromWorker::Result { json } => {
                let Some(run) = self.running.take() else { return };
                self.elapsed_ms = now() - run.started;
                self.bytes_done = run.progress.total;
                match serde_json::from_str::<WebResult>(&json) {
                    Ok(WebResult { report: Some(report), context }) => {
                        self.announce = announcement(&report);
                        self.focus_report = true;
                        self.shown = Some(Shown { report: Rc::new(report), context: Rc::new(context), basis: run.basis })
                    }
                    Ok(_) => self.notice = Some(Notice::Error("The worker answered without a report.".into())),
                    Err(e) => self.notice = Some(Notice::Error(format!("The worker's answer could not be read: {e}"))),
                }
            }
            FromWorker::Lines { json } => {
                if let Some(v) = self.viewer.as_mut() {
                    match serde_json::from_str::<LineWindow>(&json) {
                        Ok(w) => {
                            v.problem = w.error.clone();
                            v.window = Some(w);
                        }
                        Err(e) => v.problem = Some(format!("The worker's answer could not be read: {e}")),
                    }
                    self.focus_viewer = true;
                }
            }
            FromWorker::Explored { json } => {
                if let Some(x) = self.explorer.as_mut() {
                    match serde_json::from_str(&json) {
                        Ok(e) => x.result = Some(e),
                        Err(e) => x.problem = Some(format!("The worker's answer could not be read: {e}")),
                    }
                    self.focus_explorer = true;
                }
            }
            FromWorker::Error { message } => {
                self.running = None;
                self.kill_worker(); // a failed worker may be in a bad state: start afresh next time
                self.notice = Some(Notice::Error(format!("Diagnosis failed: {message}")));
            }
        }
    }

    fn chips(&self) -> Vec<Chip> {
        let summary = |name: &str| self.report().and_then(|r| r.inputs.iter().find(|i| i.name == name)).cloned();
        let mut chips: Vec<Chip> =
            self.inputs.iter().map(|it| Chip { name: it.name.clone(), size: it.size, kind: it.kind, summary: summary(&it.name) }).collect();
        if !self.paste.trim().is_empty() {
            if let Some(s) = summary(PASTE_NAME) {
                chips.push(Chip { name: PASTE_NAME.into(), size: self.paste.len() as f64, kind: self.paste_kind, summary: Some(s) });
            }
        }
        chips
    }

    /// Chip position → input (files first, then the paste).
    fn input_ref(&self, i: usize) -> InputRef {
        if i < self.inputs.len() {
            InputRef::File(i)
        } else {
            InputRef::Paste
        }
    }
}

/// What the live region says when a report arrives: the counts and what to fix first.
fn announcement(report: &Report) -> String {
    if report.nothing_read() {
        return format!("Diagnosis done. {}", report.nothing_read_message());
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let mut say = format!("Diagnosis done: {} error(s), {} warning(s).", count(Severity::Error), count(Severity::Warning));
    for c in wsus_doctor_core::fix_first(report).roots {
        say.push_str(&format!(" Fix first: {}.", c.title));
    }
    say
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    /// After a new report is drawn, focus its summary (or its heading): keyboard and screen
    /// reader users land on the result, not back at the Diagnose button.
    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        if std::mem::take(&mut self.focus_explorer) {
            if let Some(x) = gloo::utils::document().get_element_by_id("explorer").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = x.focus();
            }
            return;
        }
        if std::mem::take(&mut self.focus_viewer) {
            let doc = gloo::utils::document();
            if let Some(v) = doc.get_element_by_id("viewer").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = v.focus();
            }
            if let Some(line) = self.viewer.as_ref().and_then(|v| doc.get_element_by_id(&format!("L{}", v.line))) {
                line.scroll_into_view_with_bool(false);
            }
            return;
        }
        if !std::mem::take(&mut self.focus_report) {
            return;
        }
        let doc = gloo::utils::document();
        let target = doc.get_element_by_id("fix-first").or_else(|| doc.get_element_by_id("report-h"));
        if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }

    fn create(ctx: &Context<Self>) -> Self {
        App {
            paste: String::new(),
            paste_kind: None,
            inputs: Vec::new(),
            // start the worker now, so its wasm is compiled before the first Diagnose
            worker: spawn_worker(ctx).ok(),
            running: None,
            shown: None,
            elapsed_ms: 0.0,
            bytes_done: 0.0,
            notice: None,
            dragging: false,
            saved: None,
            textarea: NodeRef::default(),
            focus_report: false,
            announce: String::new(),
            viewer: None,
            explorer: None,
            focus_explorer: false,
            focus_viewer: false,
            _hash_listener: {
                let link = ctx.link().clone();
                EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    link.send_message(Msg::Hash(gloo::utils::window().location().hash().unwrap_or_default()))
                })
            },
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Paste(s) => {
                // typing does not redraw the page; only a report going out of date, or the
                // paste growing past the big-paste hint, does
                let was = (self.stale(), self.paste.len() > BIG_PASTE);
                self.paste = s;
                was != (self.stale(), self.paste.len() > BIG_PASTE)
            }
            Msg::AddFiles(files) => {
                self.dragging = false;
                let mut refused = Vec::new();
                let mut twice = Vec::new();
                for (f, shown) in files {
                    // the same file again (same path, size and time): flagged, not doubled
                    let same = |it: &InputItem| match &it.source {
                        Source::File(g) => it.origin == shown && g.size() == f.size() && g.last_modified() == f.last_modified(),
                        Source::Bytes(_) => false,
                    };
                    if self.inputs.iter().any(same) {
                        twice.push(shown);
                        continue;
                    }
                    if f.size() > MAX_INPUT_BYTES {
                        // refused up front and not kept: it would block every later diagnosis
                        refused.push(format!("{} is {}", f.name(), human_size(f.size())));
                        continue;
                    }
                    let name = self.unique_name(&shown);
                    self.inputs.push(InputItem { name, origin: shown, size: f.size(), source: Source::File(f), kind: None });
                }
                if !self.inputs.is_empty() || !self.paste.trim().is_empty() {
                    self.start(ctx);
                }
                if !twice.is_empty() {
                    self.notice = Some(Notice::Info(format!("Already added, not added twice: {}.", twice.join(", "))));
                }
                if !refused.is_empty() {
                    self.notice = Some(Notice::Error(format!(
                        "{}; the page reads at most {} per file. Cut the log to the days around the problem, or use the wsus-doctor command line.",
                        refused.join(", "),
                        human_size(MAX_INPUT_BYTES)
                    )));
                }
                true
            }
            Msg::Drag(on) => {
                let changed = self.dragging != on;
                self.dragging = on;
                changed
            }
            Msg::Remove(r) => {
                match r {
                    InputRef::File(i) if i < self.inputs.len() => {
                        self.inputs.remove(i);
                    }
                    InputRef::File(_) => {}
                    InputRef::Paste => {
                        self.paste.clear();
                        self.paste_kind = None;
                        self.show_paste();
                    }
                }
                self.rerun_or_clear(ctx);
                true
            }
            Msg::SetKind(r, k) => {
                match r {
                    InputRef::File(i) => {
                        if let Some(it) = self.inputs.get_mut(i) {
                            it.kind = k;
                        }
                    }
                    InputRef::Paste => self.paste_kind = k,
                }
                self.start(ctx);
                true
            }
            Msg::Diagnose => {
                self.start(ctx);
                true
            }
            Msg::Example(n) => {
                if let Some(ex) = EXAMPLES.get(n) {
                    // the admin's own evidence is kept, to be put back with one click
                    let own = !self.paste.trim().is_empty() || self.inputs.iter().any(|i| matches!(i.source, Source::File(_)));
                    if own && self.saved.is_none() {
                        self.saved = Some(Saved {
                            paste: std::mem::take(&mut self.paste),
                            paste_kind: self.paste_kind.take(),
                            inputs: std::mem::take(&mut self.inputs),
                        });
                        self.notice =
                            Some(Notice::Info("Your evidence was set aside for the example; \"Restore my evidence\" puts it back.".into()));
                    }
                    self.paste.clear();
                    self.paste_kind = None;
                    self.show_paste();
                    self.inputs = ex
                        .files
                        .iter()
                        .map(|(name, bytes)| InputItem {
                            name: (*name).to_string(),
                            origin: (*name).to_string(),
                            size: bytes.len() as f64,
                            source: Source::Bytes(Rc::new(bytes.to_vec())),
                            kind: None,
                        })
                        .collect();
                    self.start(ctx);
                }
                true
            }
            Msg::Restore => {
                if let Some(saved) = self.saved.take() {
                    self.paste = saved.paste;
                    self.paste_kind = saved.paste_kind;
                    self.show_paste();
                    self.inputs = saved.inputs;
                    self.notice = Some(Notice::Info("Your evidence is back.".into()));
                    self.rerun_or_clear(ctx);
                }
                true
            }
            Msg::Hash(h) => {
                if let Some((name, line)) = parse_view_hash(&h) {
                    self.open_viewer(ctx, name, line);
                }
                true
            }
            Msg::Explore(rule, machine) => {
                let finding = self.report().and_then(|r| r.findings.iter().find(|f| f.rule == rule && f.machine == machine)).cloned();
                if let Some(f) = finding {
                    let mut inputs: Vec<String> = Vec::new();
                    for e in &f.evidence {
                        if !inputs.contains(&e.input) {
                            inputs.push(e.input.clone());
                        }
                    }
                    let term = wsus_doctor_core::explore::Explorer::term_for(&f.evidence);
                    self.explorer = Some(ExplorerState { rule, machine, inputs, term, result: None, problem: None });
                    self.run_explorer(ctx);
                }
                true
            }
            Msg::ExploreTerm(term) => {
                if let Some(x) = self.explorer.as_mut() {
                    x.term = term;
                    x.result = None;
                    x.problem = None;
                }
                self.run_explorer(ctx);
                true
            }
            Msg::CloseExplorer => {
                self.explorer = None;
                true
            }
            Msg::CloseViewer => {
                self.viewer = None;
                let _ = gloo::utils::window().location().set_hash("report");
                true
            }
            Msg::Worker(m) => {
                self.on_worker(m);
                true
            }
            Msg::WorkerBroken(m) => {
                self.on_worker(FromWorker::Error { message: m });
                true
            }
            Msg::DropFailed(why) => {
                self.notice = Some(Notice::Error(format!("The dropped folder could not be read ({why}); use \"Add folder…\" instead.")));
                true
            }
            Msg::Cancel => {
                self.cancel();
                self.notice = Some(Notice::Info("Cancelled.".into()));
                true
            }
            Msg::CopyMarkdown => {
                if let Some(r) = self.report() {
                    let stamp = format!("Generated {}", wsus_doctor_core::time::utc_minute((js_sys::Date::now() / 1000.0) as i64));
                    let md = wsus_doctor_core::render::markdown(r, Some(&stamp));
                    let clip = gloo::utils::window().navigator().clipboard();
                    let promise = clip.write_text(&md);
                    let link = ctx.link().clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let res = wasm_bindgen_futures::JsFuture::from(promise).await;
                        link.send_message(Msg::Copied(res.map(|_| ()).map_err(|e| format!("{e:?}"))));
                    });
                }
                false
            }
            Msg::Copied(r) => {
                self.notice = Some(match r {
                    Ok(()) => Notice::Info("Report copied as Markdown.".into()),
                    Err(e) => Notice::Error(format!("The browser refused the clipboard ({e}); use Download JSON instead.")),
                });
                true
            }
            Msg::DownloadJson => {
                if let Some(r) = self.report() {
                    let json = serde_json::to_string_pretty(r).unwrap_or_default();
                    if let Err(e) = download("wsus-doctor-report.json", &json, "application/json") {
                        self.notice = Some(Notice::Error(format!("The download could not start: {e:?}")));
                        return true;
                    }
                }
                false
            }
            Msg::Print => {
                // print everything a reader of paper needs: "why this matters" and the checklist
                // groups open (a closed <details> prints closed, whatever the style sheet says)
                if let Ok(all) = gloo::utils::document().query_selector_all("#report details") {
                    for i in 0..all.length() {
                        if let Some(d) = all.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                            d.set_open(true);
                        }
                    }
                }
                let _ = gloo::utils::window().print();
                false
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_paste = link.callback(|e: InputEvent| Msg::Paste(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
        let on_pick = link.callback(|e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let files = files_of(input.files());
            input.set_value("");
            Msg::AddFiles(files)
        });
        let drop_link = link.clone();
        let on_drop = Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(dt) = e.data_transfer() else { return };
            match dropped_files(&dt) {
                // folders are walked asynchronously; their files keep their paths as names
                Ok(walk) => {
                    drop_link.send_message(Msg::Drag(false));
                    drop_link.send_future(async move {
                        match wasm_bindgen_futures::JsFuture::from(walk).await {
                            Ok(v) => Msg::AddFiles(named_files(&v)),
                            Err(e) => Msg::DropFailed(e.as_string().unwrap_or_else(|| "the browser refused to list it".into())),
                        }
                    });
                }
                Err(_) => drop_link.send_message(Msg::AddFiles(files_of(dt.files()))),
            }
        });
        let on_dragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::Drag(true)
        });
        let on_dragleave = link.callback(|_: DragEvent| Msg::Drag(false));
        let refs: Vec<InputRef> = (0..=self.inputs.len()).map(|i| self.input_ref(i)).collect();
        let on_kind = {
            let refs = refs.clone();
            link.callback(move |(i, k): (usize, Option<InputKind>)| Msg::SetKind(refs.get(i).copied().unwrap_or(InputRef::Paste), k))
        };
        let on_remove = link.callback(move |i: usize| Msg::Remove(refs.get(i).copied().unwrap_or(InputRef::Paste)));
        html! {
            <div class={classes!("page", self.dragging.then_some("dragging"))}
                 ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
                <header class="top">
                    <h1>{ "WSUS Doctor" }</h1>
                    <p class="tagline">{ "Paste or drop what the client and the WSUS server left behind: Windows Update .etl traces, event logs (.evtx), ReportingEvents.log, WindowsUpdate.log, registry exports, IIS logs, or a folder or .zip of them; get findings with evidence, cause, remedy and the Microsoft article behind them." }</p>
                    <p class="privacy" id="privacy">{ "Runs entirely in this page: nothing you paste or drop leaves your machine (the page's Content Security Policy forbids any request after it loads)." }</p>
                </header>
                <main id="main">
                <section class="inputs" aria-label="Evidence">
                    <label for="evidence" class="label">{ "Paste evidence (log lines, reg query / .reg text, IIS log lines; several kinds at once are fine)" }</label>
                    <textarea id="evidence" ref={self.textarea.clone()} spellcheck="false" oninput={on_paste}
                        placeholder="2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019" />
                    if self.paste.len() > BIG_PASTE {
                        <p class="hint big-paste" id="big-paste">{ format!("That is {} of pasted text. For logs this big, \"Add files…\" (or dropping the file) is much faster: the page then reads the file in slices instead of holding it in the text box.", human_size(self.paste.len() as f64)) }</p>
                    }
                    <div class="actions">
                        <button id="diagnose" class="primary" onclick={link.callback(|_| Msg::Diagnose)} disabled={self.running.is_some()}>{ "Diagnose" }</button>
                        <label class="button" for="files">{ "Add files…" }
                            <input id="files" type="file" multiple=true class="visually-hidden" onchange={on_pick.clone()} aria-label="Add evidence files" />
                        </label>
                        <label class="button" for="folder">{ "Add folder…" }
                            <input id="folder" type="file" webkitdirectory=true multiple=true class="visually-hidden" onchange={on_pick} aria-label="Add an evidence folder" />
                        </label>
                        <span class="hint">{ "or drop files or folders anywhere on the page" }</span>
                        if self.saved.is_some() {
                            <button id="restore" onclick={link.callback(|_| Msg::Restore)}>{ "Restore my evidence" }</button>
                        }
                    </div>
                    <div class="examples">
                        <span>{ "Try an example: " }</span>
                        { for EXAMPLES.iter().enumerate().map(|(n, ex)| html! {
                            <button class="link example" title={ex.summary} data-example={n.to_string()} onclick={link.callback(move |_| Msg::Example(n))}>{ ex.title }</button>
                        }) }
                    </div>
                    <EvidenceSources />
                    <InputChips chips={self.chips()} on_kind={on_kind} on_remove={on_remove} />
                    <StatusBar progress={self.running.as_ref().map(|r| r.progress)} notice={self.notice.clone()} on_cancel={link.callback(|_| Msg::Cancel)} />
                </section>
                <p id="announce" class="visually-hidden" aria-live="polite" aria-atomic="true">{ self.announce.clone() }</p>
                { self.view_report(ctx) }
                </main>
                <footer>
                    { "Rules from Microsoft KB978335 and the WSUS 2.0 guide \"Automatic Updates Must Be Updated\"; error names from the Windows SDK. " }
                    <span>{ format!("{} rules.", rules::CATALOGUE.len()) }</span>
                    if !is_single_file() {
                        { " " }<a id="single-file" href="./wsus-doctor.html" download="wsus-doctor.html">{ "Download the single-file page" }</a>
                        { " (one HTML file that works from disk, offline: mail it or keep it on a USB stick)." }
                    }
                </footer>
            </div>
        }
    }
}

impl App {
    fn view_report(&self, ctx: &Context<Self>) -> Html {
        let Some(shown) = &self.shown else { return html! {} };
        let report = &shown.report;
        let link = ctx.link();
        let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
        let speed = if self.elapsed_ms > 0.0 {
            format!(" Read {} in {:.0} ms.", human_size(self.bytes_done), self.elapsed_ms)
        } else {
            String::new()
        };
        let stale = self.stale();
        html! {
            <section id="report" aria-label="Report" class={classes!(stale.then_some("stale"))}>
                if stale {
                    <p class="stale-note" id="stale" role="status">
                        { "Out of date: the evidence changed after this report was made. " }
                        <button class="primary" onclick={link.callback(|_| Msg::Diagnose)}>{ "Diagnose again" }</button>
                    </p>
                }
                <section class="print-only" aria-hidden="true">
                    <h2>{ "Inputs" }</h2>
                    <ul>{ for report.inputs.iter().map(|i| html! {
                        <li>{ format!("{}: {}, {} {}", i.name, i.kind.map(|k| k.name()).unwrap_or("not recognised"), i.lines, if i.format.is_some() { "records" } else { "lines" }) }</li>
                    }) }</ul>
                </section>
                <FixFirstBox report={report.clone()} />
                { match &self.viewer {
                    Some(v) => {
                        let binary = report.inputs.iter().any(|i| i.name == v.name && matches!(i.format.as_deref(), Some("etl" | "evtx")));
                        html! { <Viewer name={v.name.clone()} line={v.line} window={v.window.clone()} problem={v.problem.clone()}
                            unit={if binary { "record" } else { "line" }} on_close={link.callback(|_| Msg::CloseViewer)} /> }
                    }
                    None => html! {},
                } }
                { match &self.explorer {
                    Some(x) => html! { <Explorer rule={x.rule.clone()} machine={x.machine.clone()} inputs={x.inputs.clone()} term={x.term.clone()}
                        result={x.result.clone()} problem={x.problem.clone()} on_search={link.callback(Msg::ExploreTerm)} on_close={link.callback(|_| Msg::CloseExplorer)} /> },
                    None => html! {},
                } }
                <Timeline report={report.clone()} />
                <div class="report-head">
                    <h2 id="report-h" tabindex="-1">{ "Findings" }</h2>
                    <p class="counts">
                        { format!("{} error(s), {} warning(s), {} info.{speed}", count(Severity::Error), count(Severity::Warning), count(Severity::Info)) }
                    </p>
                    <ExportBar on_copy={link.callback(|_| Msg::CopyMarkdown)} on_json={link.callback(|_| Msg::DownloadJson)} on_print={link.callback(|_| Msg::Print)} />
                </div>
                { if report.nothing_read() {
                    html! { <p class="none nothing-read" role="status">{ report.nothing_read_message() }</p> }
                } else if report.findings.is_empty() {
                    html! { <p class="none">{ "No problems found by the rules that could run. See the checklist for what was checked." }</p> }
                } else { html! {} } }
                if !report.machines.is_empty() {
                    <p class="machines" id="machines">{ format!("Machines: {}. The inputs came from {} machines' folders; each was diagnosed apart, and the shared files (the server's logs, typically) count for all.", report.machines.join(", "), report.machines.len()) }</p>
                }
                { for report.findings.iter().map(|f| {
                    let (rule, machine) = (f.rule.clone(), f.machine.clone());
                    html! { <FindingCard key={format!("{}--{}", f.rule, f.machine.as_deref().unwrap_or(""))} finding={f.clone()} context={shown.context.clone()}
                        on_explore={link.callback(move |_| Msg::Explore(rule.clone(), machine.clone()))} /> }
                }) }
                <Checklist report={report.clone()} />
            </section>
        }
    }
}

/// Start the module worker that runs the diagnosis and route its typed messages to the page.
/// True in the single-file page (`wsus-doctor.html`), which starts its own workers.
fn is_single_file() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("wsusDoctorSpawnWorker")).is_ok_and(|f| f.is_function())
}

/// The single-file page has no `worker.js` to load: it provides `wsusDoctorSpawnWorker`, which
/// starts a worker from a `blob:` URL with the wasm it already compiled.
fn new_worker() -> Result<Worker, JsValue> {
    let spawn = Reflect::get(&js_sys::global(), &JsValue::from_str("wsusDoctorSpawnWorker"))?;
    if let Some(spawn) = spawn.dyn_ref::<js_sys::Function>() {
        return spawn.call0(&JsValue::NULL)?.dyn_into::<Worker>();
    }
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Module);
    Worker::new_with_options("./worker.js", &opts)
}

fn spawn_worker(ctx: &Context<App>) -> Result<WorkerHandle, String> {
    let worker = new_worker().map_err(|e| format!("Could not start the worker: {e:?}"))?;
    let link = ctx.link().clone();
    let listener = EventListener::new(&worker, "message", move |ev| {
        let Some(ev) = ev.dyn_ref::<MessageEvent>() else { return };
        match FromWorker::from_js(ev.data()) {
            Ok(m) => link.send_message(Msg::Worker(m)),
            Err(e) => link.send_message(Msg::WorkerBroken(e)),
        }
    });
    Ok(WorkerHandle { worker, _listener: listener })
}

/// Offer `text` as a download, without any network request (a blob URL).
fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = gloo::utils::document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}
