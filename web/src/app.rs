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

use crate::components::{human_size, Checklist, Chip, EvidenceSources, ExportBar, FindingCard, InputChips, Notice, Progress, StatusBar};
use crate::context::WebResult;
use crate::examples::EXAMPLES;
use crate::protocol::{FromWorker, Job, JobInput, JobSource};

/// Files above this size are refused with a message, not read (the tab must never freeze).
pub const MAX_INPUT_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

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
}

/// The last report, shared with the components without copying.
struct Shown {
    report: Rc<Report>,
    context: Rc<BTreeMap<String, BTreeMap<u64, String>>>,
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
        self.running = Some(Running { progress: Progress { done: 0.0, total }, started: now() });
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
                if let Some(r) = self.running.take() {
                    self.elapsed_ms = now() - r.started;
                    self.bytes_done = r.progress.total;
                }
                match serde_json::from_str::<WebResult>(&json) {
                    Ok(WebResult { report: Some(report), context }) => {
                        self.shown = Some(Shown { report: Rc::new(report), context: Rc::new(context) })
                    }
                    Ok(_) => self.notice = Some(Notice::Error("The worker answered without a report.".into())),
                    Err(e) => self.notice = Some(Notice::Error(format!("The worker's answer could not be read: {e}"))),
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

impl Component for App {
    type Message = Msg;
    type Properties = ();

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
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Paste(s) => {
                self.paste = s;
                false
            }
            Msg::AddFiles(files) => {
                self.dragging = false;
                let mut refused = Vec::new();
                for (f, shown) in files {
                    if f.size() > MAX_INPUT_BYTES {
                        // refused up front and not kept: it would block every later diagnosis
                        refused.push(format!("{} is {}", f.name(), human_size(f.size())));
                        continue;
                    }
                    let name = self.unique_name(&shown);
                    self.inputs.push(InputItem { name, size: f.size(), source: Source::File(f), kind: None });
                }
                if !self.inputs.is_empty() || !self.paste.trim().is_empty() {
                    self.start(ctx);
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
                    self.paste.clear();
                    self.inputs = ex
                        .files
                        .iter()
                        .map(|(name, bytes)| InputItem {
                            name: (*name).to_string(),
                            size: bytes.len() as f64,
                            source: Source::Bytes(Rc::new(bytes.to_vec())),
                            kind: None,
                        })
                        .collect();
                    self.start(ctx);
                }
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
                    let md = wsus_doctor_core::render::markdown(r);
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
                <section class="inputs" aria-label="Evidence">
                    <label for="evidence" class="label">{ "Paste evidence (log lines, reg query / .reg text, IIS log lines; several kinds at once are fine)" }</label>
                    <textarea id="evidence" spellcheck="false" value={self.paste.clone()} oninput={on_paste}
                        placeholder="2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019" />
                    <div class="actions">
                        <button id="diagnose" class="primary" onclick={link.callback(|_| Msg::Diagnose)} disabled={self.running.is_some()}>{ "Diagnose" }</button>
                        <label class="button" for="files">{ "Add files…" }
                            <input id="files" type="file" multiple=true class="visually-hidden" onchange={on_pick.clone()} aria-label="Add evidence files" />
                        </label>
                        <label class="button" for="folder">{ "Add folder…" }
                            <input id="folder" type="file" webkitdirectory=true multiple=true class="visually-hidden" onchange={on_pick} aria-label="Add an evidence folder" />
                        </label>
                        <span class="hint">{ "or drop files or folders anywhere on the page" }</span>
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
                { self.view_report(ctx) }
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
        html! {
            <section id="report" aria-label="Report">
                <div class="report-head">
                    <h2>{ "Findings" }</h2>
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
                { for report.findings.iter().map(|f| html! { <FindingCard key={f.rule.clone()} finding={f.clone()} context={shown.context.clone()} /> }) }
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
