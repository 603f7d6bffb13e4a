//! The worker's interface to the core: add inputs, feed chunks, finish, then one more pass per
//! input for evidence context. Everything crosses the boundary as bytes in and JSON out.

use std::collections::{BTreeMap, BTreeSet};

use wasm_bindgen::prelude::*;
use wsus_doctor_core::{InputKind, Limits, MachineAnalysis};

use crate::context::{wanted_lines, ContextCollector, LineCollector, WebResult};

#[wasm_bindgen]
pub struct Session {
    analysis: Option<MachineAnalysis>,
    ids: Vec<usize>,
    names: Vec<String>,
    wanted: BTreeMap<String, BTreeSet<u64>>,
    collecting: BTreeMap<usize, ContextCollector>,
    result: WebResult,
    /// The order to add the inputs in (indexes into the names given to `new`).
    order: Vec<u32>,
}

#[wasm_bindgen]
impl Session {
    /// `max_bytes` ≤ 0 means no size limit. `names`: every input that will be added (inputs from
    /// several machines' folders are diagnosed per machine, which needs the whole list first).
    /// `share_k` of `share_n` > 1: only that share of the machines (a fleet's worker).
    #[wasm_bindgen(constructor)]
    pub fn new(max_bytes: f64, names: Vec<String>, share_k: u32, share_n: u32) -> Session {
        let limits = Limits { max_input_bytes: (max_bytes > 0.0).then_some(max_bytes as u64) };
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let order = wsus_doctor_core::machines::reading_order(&names).into_iter().map(|i| i as u32).collect();
        let analysis =
            if share_n > 1 { MachineAnalysis::share(limits, &names, share_k, share_n) } else { MachineAnalysis::new(limits, &names) };
        Session {
            analysis: Some(analysis),
            ids: Vec::new(),
            names: Vec::new(),
            wanted: BTreeMap::new(),
            collecting: BTreeMap::new(),
            result: WebResult::default(),
            order,
        }
    }

    /// The order to add the inputs in, as indexes into the names given to `new`: the shared
    /// (server) inputs first, read once before any machine's diagnosis starts from their facts,
    /// then zips, then each machine's own files.
    pub fn reading_order(&self) -> Vec<u32> {
        self.order.clone()
    }

    /// Add an input; `kind` is a kind name to force, or empty to detect. Returns its index.
    /// The core makes its name unique; context is keyed by that unique name.
    pub fn add_input(&mut self, name: &str, kind: &str) -> Result<usize, JsError> {
        let kind = InputKind::parse(kind);
        let a = self.analysis.as_mut().ok_or_else(|| JsError::new("this session has already finished; start a new one"))?;
        let id = a.add_input(name, kind);
        self.names.push(a.name(id).unwrap_or(name).to_string());
        self.ids.push(id);
        Ok(self.ids.len() - 1)
    }

    pub fn feed(&mut self, input: usize, bytes: &[u8]) {
        if let (Some(a), Some(id)) = (self.analysis.as_mut(), self.ids.get(input)) {
            a.feed(*id, bytes);
        }
    }

    pub fn finish_input(&mut self, input: usize) {
        if let (Some(a), Some(id)) = (self.analysis.as_mut(), self.ids.get(input)) {
            a.finish_input(*id);
        }
    }

    /// Run the rules. Afterwards `needs_context` tells which inputs to stream once more.
    pub fn finish(&mut self) {
        if let Some(a) = self.analysis.take() {
            let report = a.finish();
            self.wanted = wanted_lines(&report);
            self.result.report = Some(report);
        }
    }

    /// Evidence cites this input, or a member of it (a zip's).
    pub fn needs_context(&self, input: usize) -> bool {
        self.names.get(input).is_some_and(|n| self.wanted.contains_key(n) || !self.members_wanted(n).is_empty())
    }

    pub fn context_feed(&mut self, input: usize, bytes: &[u8]) {
        let Some(name) = self.names.get(input) else { return };
        let w = self.wanted.get(name).cloned().unwrap_or_default();
        self.collecting.entry(input).or_insert_with(|| ContextCollector::new(w)).feed(bytes);
    }

    pub fn context_finish(&mut self, input: usize) {
        let Some(c) = self.collecting.remove(&input) else { return };
        let name = self.names[input].clone();
        let members = self.members_wanted(&name);
        if members.is_empty() {
            self.result.context.insert(name, c.finish());
        } else {
            for (member, lines) in c.finish_members(&members) {
                self.result.context.insert(format!("{name}/{member}"), lines);
            }
        }
    }

    /// Wanted lines of this input's zip members, by their path inside the zip.
    fn members_wanted(&self, name: &str) -> BTreeMap<String, BTreeSet<u64>> {
        let prefix = format!("{name}/");
        self.wanted.iter().filter_map(|(k, v)| k.strip_prefix(&prefix).map(|m| (m.to_string(), v.clone()))).collect()
    }

    /// `{"report": <the CLI's JSON contract>, "context": {input: {line: text}}}`
    pub fn result_json(&self) -> String {
        serde_json::to_string(&self.result).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

/// The input viewer's side in the worker: stream one input, keep a window of its lines.
#[wasm_bindgen]
pub struct LineView {
    collector: Option<LineCollector>,
}

#[wasm_bindgen]
impl LineView {
    #[wasm_bindgen(constructor)]
    /// `member`: the path inside the zip when `name` is a zip member (else empty).
    pub fn new(name: &str, member: &str, from: f64, to: f64) -> LineView {
        let member = Some(member).filter(|m| !m.is_empty());
        LineView { collector: Some(LineCollector::new(name, member, from.max(1.0) as u64, to.max(1.0) as u64)) }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        if let Some(c) = self.collector.as_mut() {
            c.feed(bytes);
        }
    }

    /// Every wanted line has been read: the rest of the file need not be.
    pub fn done(&self) -> bool {
        self.collector.as_ref().is_none_or(|c| c.done())
    }

    pub fn finish_json(&mut self) -> String {
        let w = self.collector.take().map(|c| c.finish()).unwrap_or_default();
        serde_json::to_string(&w).unwrap_or_default()
    }
}

/// The evidence explorer's side in the worker: every matching line of the given inputs.
#[wasm_bindgen]
pub struct Explore {
    explorer: Option<wsus_doctor_core::explore::Explorer>,
    records: wsus_doctor_core::records::RecordReader,
    name: String,
    /// The zip member to read when the input is a bundle.
    member: Option<String>,
}

#[wasm_bindgen]
impl Explore {
    #[wasm_bindgen(constructor)]
    pub fn new(term: &str) -> Explore {
        Explore {
            explorer: Some(wsus_doctor_core::explore::Explorer::new(term)),
            records: Default::default(),
            name: String::new(),
            member: None,
        }
    }

    /// Start reading the next input (`member`: its path inside a zip, else empty).
    pub fn begin(&mut self, name: &str, member: &str) {
        self.name = name.to_string();
        self.member = Some(member.to_string()).filter(|m| !m.is_empty());
        self.records = wsus_doctor_core::records::RecordReader::new();
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        let (Some(x), name) = (self.explorer.as_mut(), &self.name) else { return };
        self.records.push(bytes, &mut |n, l| x.line(name, n, l));
    }

    pub fn end(&mut self) {
        let (Some(x), name) = (self.explorer.as_mut(), &self.name) else { return };
        self.records.finish(&mut |n, l| x.line(name, n, l));
        if let (Some(zip), Some(member)) = (self.records.take_archive(), &self.member) {
            wsus_doctor_core::archive::read_zip(&zip, &mut |m, reader| {
                if m != member.as_str() {
                    return 0;
                }
                crate::context::member_lines(reader, &mut |n, l| x.line(name, n, l))
            });
        }
    }

    pub fn finish_json(&mut self) -> String {
        let e = self.explorer.take().map(|x| x.finish()).unwrap_or_default();
        serde_json::to_string(&e).unwrap_or_default()
    }
}
