//! The page: inputs (paste, pick, drop), a worker run with progress and cancel, and the report.
//! Everything shown comes from the core's [`Report`]; pasted text is only ever rendered as text.

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use gloo::events::EventListener;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DragEvent, File, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, MessageEvent, Worker, WorkerOptions, WorkerType};
use wsus_doctor_core::{rules, CheckStatus, Finding, InputKind, InputSummary, Report, Severity};
use yew::prelude::*;

use crate::context::WebResult;
use crate::examples::EXAMPLES;

/// The index the pasted-text chip uses in `Remove`/`SetKind` messages.
const PASTE: usize = usize::MAX;

/// Files above this size are refused with a message, not read (the tab must never freeze).
pub const MAX_INPUT_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// Where an input's bytes live: a picked/dropped file (read by the worker in slices) or memory.
#[derive(Clone)]
enum Source {
    File(File),
    Bytes(Rc<Vec<u8>>),
}

#[derive(Clone)]
struct InputItem {
    name: String,
    size: f64,
    source: Source,
    kind: Option<InputKind>,
}

/// The worker is kept between runs (its wasm is compiled once); cancelling terminates it.
struct WorkerHandle {
    worker: Worker,
    _listener: EventListener,
}

struct Running {
    done: f64,
    total: f64,
    started: f64,
}

pub enum Msg {
    Paste(String),
    AddFiles(Vec<File>),
    Drag(bool),
    Remove(usize),
    SetKind(usize, Option<InputKind>),
    Diagnose,
    Example(usize),
    Progress(f64, f64),
    Done(String),
    Failed(String),
    Cancel,
    CopyMarkdown,
    Copied(Result<(), String>),
    DownloadJson,
    Print,
    Toggle(usize, usize),
}

pub struct App {
    paste: String,
    /// Kind forced on the pasted text (`None`: detect).
    paste_kind: Option<InputKind>,
    inputs: Vec<InputItem>,
    worker: Option<WorkerHandle>,
    running: Option<Running>,
    result: Option<Rc<WebResult>>,
    elapsed_ms: f64,
    bytes_done: f64,
    message: Option<(bool, String)>,
    dragging: bool,
    expanded: HashSet<(usize, usize)>,
}

fn now() -> f64 {
    gloo::utils::window().performance().map(|p| p.now()).unwrap_or(0.0)
}

fn human_size(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.1} MB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.1} KB", n / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<File> {
    let mut v = Vec::new();
    if let Some(l) = list {
        for i in 0..l.length() {
            if let Some(f) = l.get(i) {
                v.push(f);
            }
        }
    }
    v
}

impl App {
    fn start(&mut self, ctx: &Context<Self>) {
        self.cancel();
        let mut items = self.inputs.clone();
        if !self.paste.trim().is_empty() {
            items.push(InputItem {
                name: "pasted text".into(),
                size: self.paste.len() as f64,
                source: Source::Bytes(Rc::new(self.paste.clone().into_bytes())),
                kind: self.paste_kind,
            });
        }
        if items.is_empty() {
            self.message = Some((true, "Paste some evidence or add files first.".into()));
            return;
        }
        if self.worker.is_none() {
            match spawn_worker(ctx) {
                Ok(w) => self.worker = Some(w),
                Err(m) => {
                    self.message = Some((true, m));
                    return;
                }
            }
        }
        let list = Array::new();
        let mut total = 0.0;
        for it in &items {
            let o = Object::new();
            let set = |k: &str, v: &JsValue| {
                let _ = Reflect::set(&o, &JsValue::from_str(k), v);
            };
            set("name", &JsValue::from_str(&it.name));
            set("kind", &JsValue::from_str(it.kind.map(|k| k.name()).unwrap_or("")));
            match &it.source {
                Source::File(f) => set("file", f.as_ref()),
                Source::Bytes(b) => set("bytes", &Uint8Array::from(b.as_slice()).into()),
            }
            total += it.size;
            list.push(&o);
        }
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"inputs".into(), &list);
        let _ = Reflect::set(&msg, &"maxBytes".into(), &JsValue::from_f64(MAX_INPUT_BYTES));
        let Some(w) = &self.worker else { return };
        if let Err(e) = w.worker.post_message(&msg) {
            self.message = Some((true, format!("Could not send the evidence to the worker: {e:?}")));
            self.kill_worker();
            return;
        }
        self.message = None;
        self.running = Some(Running { done: 0.0, total, started: now() });
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
        self.result.as_ref().and_then(|r| r.report.as_ref())
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
            result: None,
            elapsed_ms: 0.0,
            bytes_done: 0.0,
            message: None,
            dragging: false,
            expanded: HashSet::new(),
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
                for f in files {
                    if f.size() > MAX_INPUT_BYTES {
                        // refused up front and not kept: it would block every later diagnosis
                        refused.push(format!("{} is {}", f.name(), human_size(f.size())));
                        continue;
                    }
                    self.inputs.push(InputItem { name: f.name(), size: f.size(), source: Source::File(f), kind: None });
                }
                if !self.inputs.is_empty() || !self.paste.trim().is_empty() {
                    self.start(ctx);
                }
                if !refused.is_empty() {
                    self.message = Some((
                        true,
                        format!("{}; the page reads at most {} per file. Cut the log to the days around the problem, or use the wsus-doctor command line.", refused.join(", "), human_size(MAX_INPUT_BYTES)),
                    ));
                }
                true
            }
            Msg::Drag(on) => {
                let changed = self.dragging != on;
                self.dragging = on;
                changed
            }
            Msg::Remove(i) => {
                if i < self.inputs.len() {
                    self.inputs.remove(i);
                } else if i == PASTE {
                    self.paste.clear();
                    self.paste_kind = None;
                }
                if !self.inputs.is_empty() || !self.paste.trim().is_empty() {
                    self.start(ctx);
                } else {
                    self.cancel();
                    self.result = None;
                }
                true
            }
            Msg::SetKind(i, k) => {
                if let Some(it) = self.inputs.get_mut(i) {
                    it.kind = k;
                } else if i == PASTE {
                    self.paste_kind = k;
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
            Msg::Progress(done, total) => {
                if let Some(r) = self.running.as_mut() {
                    r.done = done;
                    r.total = total;
                }
                true
            }
            Msg::Done(json) => {
                if let Some(r) = self.running.take() {
                    self.elapsed_ms = now() - r.started;
                    self.bytes_done = r.total;
                }
                match serde_json::from_str::<WebResult>(&json) {
                    Ok(res) => {
                        self.result = Some(Rc::new(res));
                        self.expanded.clear();
                    }
                    Err(e) => self.message = Some((true, format!("The worker's answer could not be read: {e}"))),
                }
                true
            }
            Msg::Failed(m) => {
                self.running = None;
                self.kill_worker(); // a failed worker may be in a bad state: start afresh next time
                self.message = Some((true, format!("Diagnosis failed: {m}")));
                true
            }
            Msg::Cancel => {
                self.cancel();
                self.message = Some((false, "Cancelled.".into()));
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
                self.message = Some(match r {
                    Ok(()) => (false, "Report copied as Markdown.".into()),
                    Err(e) => (true, format!("The browser refused the clipboard ({e}); use Download JSON instead.")),
                });
                true
            }
            Msg::DownloadJson => {
                if let Some(r) = self.report() {
                    let json = serde_json::to_string_pretty(r).unwrap_or_default();
                    let _ = download("wsus-doctor-report.json", &json, "application/json");
                }
                false
            }
            Msg::Print => {
                let _ = gloo::utils::window().print();
                false
            }
            Msg::Toggle(f, e) => {
                if !self.expanded.remove(&(f, e)) {
                    self.expanded.insert((f, e));
                }
                true
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
        let on_drop = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::AddFiles(files_of(e.data_transfer().and_then(|d| d.files())))
        });
        let on_dragover = link.callback(|e: DragEvent| {
            e.prevent_default();
            Msg::Drag(true)
        });
        let on_dragleave = link.callback(|_: DragEvent| Msg::Drag(false));
        let summaries: BTreeMap<&str, &InputSummary> =
            self.report().map(|r| r.inputs.iter().map(|i| (i.name.as_str(), i)).collect()).unwrap_or_default();

        html! {
            <div class={classes!("page", self.dragging.then_some("dragging"))}
                 ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
                <header class="top">
                    <h1>{ "WSUS Doctor" }</h1>
                    <p class="tagline">{ "Paste or drop a WindowsUpdate.log, the WSUS server's IIS logs and the client's registry export; get findings with evidence, cause, remedy and the Microsoft article behind them." }</p>
                    <p class="privacy" id="privacy">{ "Runs entirely in this page: nothing you paste or drop leaves your machine (the page's Content Security Policy forbids any request after it loads)." }</p>
                </header>
                <section class="inputs" aria-label="Evidence">
                    <label for="evidence" class="label">{ "Paste evidence (log lines, reg query / .reg text, IIS log lines; several kinds at once are fine)" }</label>
                    <textarea id="evidence" spellcheck="false" value={self.paste.clone()} oninput={on_paste}
                        placeholder="2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019" />
                    <div class="actions">
                        <button id="diagnose" class="primary" onclick={link.callback(|_| Msg::Diagnose)} disabled={self.running.is_some()}>{ "Diagnose" }</button>
                        <label class="button" for="files">{ "Add files…" }
                            <input id="files" type="file" multiple=true class="visually-hidden" onchange={on_pick} aria-label="Add evidence files" />
                        </label>
                        <span class="hint">{ "or drop files anywhere on the page" }</span>
                    </div>
                    <div class="examples">
                        <span>{ "Try an example: " }</span>
                        { for EXAMPLES.iter().enumerate().map(|(n, ex)| html! {
                            <button class="link example" title={ex.summary} data-example={n.to_string()} onclick={link.callback(move |_| Msg::Example(n))}>{ ex.title }</button>
                        }) }
                    </div>
                    { self.view_chips(ctx, &summaries) }
                    { self.view_status(ctx) }
                </section>
                { self.view_report(ctx) }
                <footer>
                    { "Rules from Microsoft KB978335 and the WSUS 2.0 guide \"Automatic Updates Must Be Updated\"; error names from the Windows SDK. " }
                    <span>{ format!("{} rules.", rules::CATALOGUE.len()) }</span>
                </footer>
            </div>
        }
    }
}

impl App {
    fn view_chips(&self, ctx: &Context<Self>, summaries: &BTreeMap<&str, &InputSummary>) -> Html {
        if self.inputs.is_empty() && summaries.get("pasted text").is_none() {
            return html! {};
        }
        let link = ctx.link();
        let chip = |i: usize, name: &str, size: f64, kind: Option<InputKind>, removable: bool| {
            let id = if i == PASTE { "paste".to_string() } else { i.to_string() };
            let s = summaries.get(name);
            let detected = s.and_then(|s| s.kind).map(|k| k.name()).unwrap_or("…");
            let on_kind = link.callback(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                Msg::SetKind(i, InputKind::parse(&v))
            });
            let sel = kind.map(|k| k.name()).unwrap_or("");
            html! {
                <li class={classes!("chip", s.and_then(|s| s.error.as_ref()).map(|_| "chip-error"))} data-input={name.to_string()}>
                    <span class="chip-name">{ name.to_string() }</span>
                    <span class="chip-kind" data-kind={detected}>{ detected }</span>
                    { match s { Some(s) => html! { <span class="chip-lines">{ format!("{} lines", s.lines) }</span> }, None => html! { <span class="chip-lines">{ human_size(size) }</span> } } }
                    { match s { Some(s) if s.unrecognised > 0 => html! { <span class="chip-unrec" title={s.notes.join("\n")}>{ format!("{} not recognised", s.unrecognised) }</span> }, _ => html! {} } }
                    { if removable { html! {
                        <>
                        <label class="visually-hidden" for={format!("kind-{id}")}>{ format!("Kind of {name}") }</label>
                        <select id={format!("kind-{id}")} onchange={on_kind}>
                            <option value="" selected={sel.is_empty()}>{ "detect kind" }</option>
                            { for InputKind::ALL.iter().map(|k| html! { <option value={k.name()} selected={sel == k.name()}>{ k.name() }</option> }) }
                        </select>
                        <button class="chip-remove" aria-label={format!("Remove {name}")} onclick={link.callback(move |_| Msg::Remove(i))}>{ "×" }</button>
                        </>
                    } } else { html! {} } }
                    { match s.and_then(|s| s.error.clone()) { Some(e) => html! { <div class="chip-msg">{ e }</div> }, None => html! {} } }
                    { for s.into_iter().flat_map(|s| s.notes.iter()).map(|n| html! { <div class="chip-note">{ n.clone() }</div> }) }
                </li>
            }
        };
        html! {
            <ul class="chips" aria-label="Inputs">
                { for self.inputs.iter().enumerate().map(|(i, it)| chip(i, &it.name, it.size, it.kind, true)) }
                { if summaries.contains_key("pasted text") && !self.paste.trim().is_empty() { chip(PASTE, "pasted text", self.paste.len() as f64, self.paste_kind, true) } else { html! {} } }
            </ul>
        }
    }

    fn view_status(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let msg = match &self.message {
            Some((err, m)) => html! { <p class={if *err { "message error" } else { "message" }} role="status">{ m.clone() }</p> },
            None => html! {},
        };
        match &self.running {
            Some(r) => {
                let pct = if r.total > 0.0 { (r.done / r.total * 100.0).min(100.0) } else { 0.0 };
                html! {
                    <div class="progress" role="status" aria-live="polite">
                        <progress id="progress" max="100" value={format!("{pct:.0}")} aria-label="Diagnosis progress"></progress>
                        <span>{ format!("Reading {} of {}", human_size(r.done), human_size(r.total)) }</span>
                        <button id="cancel" onclick={link.callback(|_| Msg::Cancel)}>{ "Cancel" }</button>
                        { msg }
                    </div>
                }
            }
            None => msg,
        }
    }

    fn view_report(&self, ctx: &Context<Self>) -> Html {
        let Some(res) = &self.result else { return html! {} };
        let Some(report) = &res.report else { return html! {} };
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
                    <div class="export">
                        <button id="copy-md" onclick={link.callback(|_| Msg::CopyMarkdown)}>{ "Copy as Markdown" }</button>
                        <button id="download-json" onclick={link.callback(|_| Msg::DownloadJson)}>{ "Download JSON" }</button>
                        <button id="print" onclick={link.callback(|_| Msg::Print)}>{ "Print" }</button>
                    </div>
                </div>
                { if report.findings.is_empty() { html! { <p class="none">{ "No problems found by the rules that could run. See the checklist for what was checked." }</p> } } else { html! {} } }
                { for report.findings.iter().enumerate().map(|(n, f)| self.view_finding(ctx, n, f, &res.context)) }
                <h2>{ "Checklist" }</h2>
                <table class="checks">
                    <thead><tr><th scope="col">{ "Rule" }</th><th scope="col">{ "Result" }</th><th scope="col">{ "Reads" }</th><th scope="col">{ "Note" }</th></tr></thead>
                    <tbody>
                    { for report.checks.iter().map(|c| {
                        let (label, class) = match c.status {
                            CheckStatus::Fired => ("fired", "st-fired"),
                            CheckStatus::Passed => ("passed", "st-passed"),
                            CheckStatus::NotRun => ("could not run", "st-notrun"),
                        };
                        let needs: Vec<&str> = c.needs.iter().map(|k| k.name()).collect();
                        html! {
                            <tr data-check={c.rule.clone()} data-status={label}>
                                <td><code>{ c.rule.clone() }</code></td>
                                <td class={class}>{ label }</td>
                                <td>{ needs.join(" or ") }</td>
                                <td>{ c.hint.clone().unwrap_or_default() }</td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
            </section>
        }
    }

    fn view_finding(&self, ctx: &Context<Self>, n: usize, f: &Finding, context: &BTreeMap<String, BTreeMap<u64, String>>) -> Html {
        let link = ctx.link();
        let rule = rules::find(&f.rule);
        let article = rule.map(|r| r.article.short()).unwrap_or("");
        html! {
            <article class={classes!("finding", format!("sev-{}", f.severity.name()))} data-rule={f.rule.clone()} data-severity={f.severity.name()}>
                <header>
                    <span class="badge">{ f.severity.name() }</span>
                    <h3>{ f.title.clone() }</h3>
                    <code class="rule-id">{ f.rule.clone() }</code>
                    <span class="article">{ article }</span>
                </header>
                { match &f.caused_by { Some(c) => html! { <p class="caused">{ format!("Probably a consequence of {c} (shown above).") }</p> }, None => html! {} } }
                { for f.detail.lines().map(|l| html! { <p class="detail">{ l.to_string() }</p> }) }
                { match rule { Some(r) => html! { <details class="why"><summary>{ "Why this matters" }</summary><p>{ r.explain }</p></details> }, None => html! {} } }
                <h4>{ "Evidence" }</h4>
                <ol class="evidence">
                { for f.evidence.iter().enumerate().map(|(e, ev)| {
                    let open = self.expanded.contains(&(n, e));
                    let lines = context.get(&ev.input);
                    html! {
                        <li>
                            <div class="ev-head">
                                <span class="loc">{ format!("{}:{}", ev.input, ev.line) }</span>
                                { if lines.is_some() { html! {
                                    <button class="link ctx-toggle" aria-expanded={open.to_string()} onclick={link.callback(move |_| Msg::Toggle(n, e))}>{ if open { "hide context" } else { "show context" } }</button>
                                } } else { html! {} } }
                            </div>
                            { if open { html! {
                                <pre class="context">{ for lines.into_iter().flat_map(|m| m.range(ev.line.saturating_sub(crate::context::RADIUS)..=ev.line + crate::context::RADIUS)).map(|(l, t)| html! {
                                    <span class={classes!("ctx-line", (*l == ev.line).then_some("hit"))}><span class="ln">{ format!("{l:>6} ") }</span>{ t.clone() }{ "\n" }</span>
                                }) }</pre>
                            } } else { html! { <pre class="line hit"><span class="ln">{ format!("{:>6} ", ev.line) }</span>{ ev.text.clone() }</pre> } } }
                        </li>
                    }
                }) }
                </ol>
                <h4>{ "Remedy" }</h4>
                <ol class="remedy">{ for f.remedy.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ol>
                <p class="refs">{ for f.references.iter().map(|r| html! { <span>{ format!("Source: {r}") }</span> }) }</p>
            </article>
        }
    }
}

/// Start the module worker that runs the diagnosis and route its messages to the page.
fn spawn_worker(ctx: &Context<App>) -> Result<WorkerHandle, String> {
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Module);
    let worker = Worker::new_with_options("./worker.js", &opts).map_err(|e| format!("Could not start the worker: {e:?}"))?;
    let link = ctx.link().clone();
    let listener = EventListener::new(&worker, "message", move |ev| {
        let Some(ev) = ev.dyn_ref::<MessageEvent>() else { return };
        let data = ev.data();
        let get = |k: &str| Reflect::get(&data, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
        match get("type").as_string().as_deref() {
            Some("progress") => link.send_message(Msg::Progress(get("done").as_f64().unwrap_or(0.0), get("total").as_f64().unwrap_or(0.0))),
            Some("result") => link.send_message(Msg::Done(get("json").as_string().unwrap_or_default())),
            Some("error") => link.send_message(Msg::Failed(get("message").as_string().unwrap_or_default())),
            _ => {}
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
