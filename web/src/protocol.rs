//! The page ↔ worker protocol, typed on the Rust side (serde through `serde-wasm-bindgen`).
//! `www/worker.js` reads and writes exactly these shapes; a field renamed here must be renamed there.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wsus_doctor_core::InputKind;

/// Page → worker: diagnose these inputs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub inputs: Vec<JobInput>,
    /// Inputs larger than this are refused by the core (0: no limit).
    pub max_bytes: f64,
    /// `[k, n]`: diagnose only the machines of share `k` of `n` (a fleet's worker); `[0, 1]`: all.
    pub share: [u32; 2],
}

/// Page → worker: which machines the inputs hold (zips' directories read, nothing diagnosed).
#[derive(Serialize)]
pub struct PlanJob {
    pub plan: Vec<JobInput>,
}

impl PlanJob {
    pub fn to_js(&self) -> Result<JsValue, String> {
        as_js(self, "the plan request")
    }
}

/// Page → worker: the lines `from..=to` of one input, for the input viewer.
#[derive(Serialize)]
pub struct ViewJob {
    pub view: ViewRequest,
}

#[derive(Serialize)]
pub struct ViewRequest {
    pub name: String,
    /// The path inside the zip when `name` is a zip member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    pub from: f64,
    pub to: f64,
    #[serde(flatten)]
    pub source: JobSource,
}

impl ViewJob {
    pub fn to_js(&self) -> Result<JsValue, String> {
        as_js(self, "the view request")
    }
}

/// Page → worker: the next (or previous) line of one input after (before) line `from` that holds
/// `term`, or is of severity `level`, read through the whole input, for the input viewer.
#[derive(Serialize)]
pub struct FindJob {
    pub find: FindRequest,
}

#[derive(Serialize)]
pub struct FindRequest {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    pub from: f64,
    pub forward: bool,
    /// ASCII case ignored; unused when `level` is set.
    pub term: String,
    /// `error` (errors) or `warning` (warnings and errors); empty: a search of `term`.
    pub level: String,
    #[serde(flatten)]
    pub source: JobSource,
}

impl FindJob {
    pub fn to_js(&self) -> Result<JsValue, String> {
        as_js(self, "the find request")
    }
}

/// Page → worker: the lines of one input written between `start` and `end` (UTC seconds; an
/// infinite bound is none), for the viewer's merged view.
#[derive(Serialize)]
pub struct SliceJob {
    pub slice: SliceRequest,
}

#[derive(Serialize)]
pub struct SliceRequest {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    pub start: f64,
    pub end: f64,
    #[serde(flatten)]
    pub source: JobSource,
}

impl SliceJob {
    pub fn to_js(&self) -> Result<JsValue, String> {
        as_js(self, "the slice request")
    }
}

/// Page → worker: every line of these inputs matching `term`, for the evidence explorer.
#[derive(Serialize)]
pub struct ExploreJob {
    pub explore: ExploreRequest,
}

#[derive(Serialize)]
pub struct ExploreRequest {
    pub term: String,
    pub inputs: Vec<ExploreInput>,
}

/// One input to explore: a page input, or a member of one (a zip's).
#[derive(Serialize)]
pub struct ExploreInput {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(flatten)]
    pub source: JobSource,
}

impl ExploreJob {
    pub fn to_js(&self) -> Result<JsValue, String> {
        as_js(self, "the explore request")
    }
}

/// One input of a [`Job`]: its unique display name, a forced kind, and where its bytes are.
#[derive(Serialize)]
pub struct JobInput {
    pub name: String,
    pub kind: Option<InputKind>,
    /// A `File` (read by the worker in slices) or a `Uint8Array` (pasted text, bundled example).
    #[serde(flatten)]
    pub source: JobSource,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobSource {
    File(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue),
    Bytes(#[serde(with = "serde_wasm_bindgen::preserve")] JsValue),
}

/// Worker → page.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FromWorker {
    Progress {
        done: f64,
        total: f64,
    },
    /// `json` is a [`crate::context::WebResult`].
    Result {
        json: String,
    },
    Error {
        message: String,
    },
    /// `json` is a [`crate::context::LineWindow`] (a view's or a slice's).
    Lines {
        json: String,
    },
    /// `json` is a [`crate::context::FindAnswer`].
    Found {
        json: String,
    },
    /// `json` is a [`wsus_doctor_core::explore::Exploration`].
    Explored {
        json: String,
    },
    /// `json`: the machines' names, as a JSON array.
    Planned {
        json: String,
    },
}

/// As a plain JS object (maps as objects, so the worker reads `job.inputs[0].name`).
fn as_js<T: Serialize>(v: &T, what: &str) -> Result<JsValue, String> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    v.serialize(&ser).map_err(|e| format!("could not build {what}: {e}"))
}

impl Job {
    pub fn to_js(&self) -> Result<JsValue, String> {
        as_js(self, "the job for the worker")
    }
}

impl FromWorker {
    pub fn from_js(v: JsValue) -> Result<FromWorker, String> {
        serde_wasm_bindgen::from_value(v).map_err(|e| format!("unexpected message from the worker: {e}"))
    }
}
