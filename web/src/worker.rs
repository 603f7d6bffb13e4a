//! The page's side of the worker: starting it (a module worker, or the single-file page's own),
//! turning the reducer's [`Request`]s into [`crate::protocol`] messages, routing the worker's
//! answers back as [`FromWorker`], and ending it (the only way to interrupt wasm in a worker).

use gloo::events::EventListener;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::pool::Pool;
use crate::protocol::{
    ExploreInput, ExploreJob, ExploreRequest, FindJob, FindRequest, FromWorker, Job, JobInput, JobSource, PlanJob, SliceJob, SliceRequest,
    ViewJob, ViewRequest,
};
use crate::state::{Port, Request, SendError, Source, MAX_INPUT_BYTES};

/// A running worker and the listener that routes its messages.
pub(crate) struct Handle {
    pub(crate) worker: Worker,
    _listener: EventListener,
}

/// The worker is kept between runs (its wasm is compiled once); [`Port::stop`] terminates it.
pub struct WorkerLink {
    handle: Option<Handle>,
    /// Where the worker's messages go (an error: a message that is not [`FromWorker`]).
    on_message: Callback<Result<FromWorker, String>>,
    /// A fleet's workers, while a fleet runs.
    pool: Pool,
}

impl WorkerLink {
    /// A link with no worker yet, whose messages go nowhere until [`WorkerLink::connect`].
    pub fn idle() -> WorkerLink {
        WorkerLink { handle: None, on_message: Callback::noop(), pool: Pool::default() }
    }

    /// Route the worker's messages to `on_message`, and start the worker now, so its wasm is
    /// compiled before the first Diagnose.
    pub fn connect(&mut self, on_message: Callback<Result<FromWorker, String>>, on_pool: Callback<(usize, Result<FromWorker, String>)>) {
        self.stop();
        self.pool.connect(on_pool);
        self.handle = spawn(&on_message).ok();
        self.on_message = on_message;
    }
}

impl Port for WorkerLink {
    fn send(&mut self, request: Request) -> Result<(), SendError> {
        if let Request::Fleet { inputs, workers } = request {
            return self.pool.start(inputs, workers);
        }
        if self.handle.is_none() {
            self.handle = Some(spawn(&self.on_message).map_err(SendError::Spawn)?);
        }
        let Some(h) = &self.handle else { return Ok(()) };
        message(request).and_then(|m| h.worker.post_message(&m).map_err(|e| format!("{e:?}"))).map_err(SendError::Post)
    }

    fn stop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.worker.terminate();
        }
        self.pool.stop();
    }
}

pub(crate) fn source(s: Source) -> JobSource {
    match s {
        Source::File(f) => JobSource::File(f.into()),
        Source::Bytes(b) => JobSource::Bytes(Uint8Array::from(b.as_slice()).into()),
    }
}

/// The protocol message of a request.
fn message(request: Request) -> Result<JsValue, String> {
    match request {
        Request::Diagnose(inputs) => Job {
            inputs: inputs.into_iter().map(|(name, kind, s)| JobInput { name, kind, source: source(s) }).collect(),
            max_bytes: MAX_INPUT_BYTES,
            share: [0, 1],
        }
        .to_js(),
        Request::Plan(inputs) => {
            PlanJob { plan: inputs.into_iter().map(|(name, kind, s)| JobInput { name, kind, source: source(s) }).collect() }.to_js()
        }
        // sent by the pool, one job per worker
        Request::Fleet { .. } => Err("a fleet is run by the pool".into()),
        Request::View { name, member, from, to, source: s } => {
            ViewJob { view: ViewRequest { name, member, from: from as f64, to: to as f64, source: source(s) } }.to_js()
        }
        Request::Find { name, member, from, forward, target, source: s } => {
            use wsus_doctor_core::{find::Target, lines::Level};
            let (term, level) = match target {
                Target::Text(t) => (t, ""),
                Target::Level(Level::Error) => (String::new(), "error"),
                Target::Level(Level::Warning) => (String::new(), "warning"),
            };
            FindJob { find: FindRequest { name, member, from: from as f64, forward, term, level: level.into(), source: source(s) } }.to_js()
        }
        Request::Slice { name, member, start, end, source: s } => {
            let bound = |t: Option<i64>, none: f64| t.map_or(none, |t| t as f64);
            SliceJob {
                slice: SliceRequest {
                    name,
                    member,
                    start: bound(start, f64::NEG_INFINITY),
                    end: bound(end, f64::INFINITY),
                    source: source(s),
                },
            }
            .to_js()
        }
        Request::Explore { term, inputs } => ExploreJob {
            explore: ExploreRequest {
                term,
                inputs: inputs.into_iter().map(|(name, member, s)| ExploreInput { name, member, source: source(s) }).collect(),
            },
        }
        .to_js(),
    }
}

/// True in the single-file page (`wsus-doctor.html`), which starts its own workers.
pub fn is_single_file() -> bool {
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

/// Start the worker and route its typed messages to `on_message`.
pub(crate) fn spawn(on_message: &Callback<Result<FromWorker, String>>) -> Result<Handle, String> {
    let worker = new_worker().map_err(|e| format!("Could not start the worker: {e:?}"))?;
    let on_message = on_message.clone();
    let listener = EventListener::new(&worker, "message", move |ev| {
        let Some(ev) = ev.dyn_ref::<MessageEvent>() else { return };
        on_message.emit(FromWorker::from_js(ev.data()));
    });
    Ok(Handle { worker, _listener: listener })
}
