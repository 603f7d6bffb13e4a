//! The input viewer: which line of which input, what the worker read around it, and the other
//! inputs merged with it in time order (`#view/<line>/<input>/<other>/...`: the address says
//! it all, so a merged view can be shared like any line).

use super::{Port, Request, State};
use crate::components::VIEW_RADIUS;
use crate::context::LineWindow;

/// Lines read from each input merged in (its first ones): bounded, whatever the input's size.
pub const MERGE_LINES: u64 = 5000;
/// Inputs merged in at most, besides the one opened.
pub const MAX_MERGED: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct ViewerState {
    pub name: String,
    pub line: u64,
    pub window: Option<LineWindow>,
    pub problem: Option<String>,
    /// Inputs merged in, each with its lines once the worker sent them.
    pub others: Vec<(String, Option<LineWindow>)>,
    /// The element id the viewer is drawn after: the finding (or the timeline) it was opened
    /// from, so it opens next to what the admin was reading.
    pub near: Option<String>,
}

/// `#view/<line>/<percent-encoded input>` → (input, line).
pub fn parse_view_hash(hash: &str) -> Option<(String, u64)> {
    let rest = hash.strip_prefix("#view/")?;
    let (line, names) = rest.split_once('/')?;
    let name = names.split('/').next()?;
    let name = js_sys::decode_uri_component(name).ok()?.as_string()?;
    Some((name, line.parse().ok()?))
}

/// The inputs merged in: the address's names after the first (each percent-encoded).
pub fn view_hash_others(hash: &str) -> Vec<String> {
    let Some((_, names)) = hash.strip_prefix("#view/").and_then(|r| r.split_once('/')) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for n in names.split('/').skip(1).filter_map(|n| js_sys::decode_uri_component(n).ok()?.as_string()) {
        if !out.contains(&n) && out.len() < MAX_MERGED {
            out.push(n);
        }
    }
    out
}

/// The id of the finding card (or the timeline) holding the focused element: the link that
/// opened the viewer.
fn opener_near() -> Option<String> {
    let el = gloo::utils::document().active_element()?;
    let holder = el.closest("article.finding, #timeline").ok()??;
    Some(holder.id()).filter(|id| !id.is_empty())
}

impl State {
    /// Ask the worker for the lines around `line` of the input called `name`, and for the
    /// first lines of each input merged in.
    pub(super) fn open_viewer(&mut self, port: &mut dyn Port, name: String, line: u64, others: Vec<String>) {
        let others: Vec<String> = others.into_iter().filter(|o| *o != name).collect();
        let near = opener_near().or_else(|| self.viewer.as_ref().and_then(|v| v.near.clone()));
        let mut state = ViewerState { name: name.clone(), line, window: None, problem: None, others: Vec::new(), near };
        let Some((source, member)) = self.inputs.source_of(&name) else {
            state.problem = Some(format!("{name} is not one of the inputs on this page (add it, then open the link again)."));
            self.viewer = Some(state);
            self.focus.viewer = true;
            return;
        };
        if self.run.running.is_some() {
            state.problem = Some("A diagnosis is running; open the line again when it is done.".into());
            self.viewer = Some(state);
            return;
        }
        let from = line.saturating_sub(VIEW_RADIUS).max(1);
        if let Err(e) = port.send(Request::View { name, member, from, to: line + VIEW_RADIUS, source }) {
            state.problem = Some(e.message());
        }
        for other in others {
            let Some((source, member)) = self.inputs.source_of(&other) else { continue };
            if port.send(Request::View { name: other.clone(), member, from: 1, to: MERGE_LINES, source }).is_ok() {
                state.others.push((other, None));
            }
        }
        self.viewer = Some(state);
    }

    /// The worker's lines for the open viewer: the input opened, or one merged in.
    pub(super) fn lines(&mut self, json: &str) {
        if let Some(v) = self.viewer.as_mut() {
            match serde_json::from_str::<LineWindow>(json) {
                Ok(w) if v.window.is_none() && w.name == v.name => {
                    v.problem = w.error.clone();
                    v.window = Some(w);
                    self.focus.viewer = true;
                }
                Ok(w) => {
                    if let Some(slot) = v.others.iter_mut().find(|(n, got)| *n == w.name && got.is_none()) {
                        slot.1 = Some(w);
                    }
                }
                Err(e) => {
                    v.problem = Some(format!("The worker's answer could not be read: {e}"));
                    self.focus.viewer = true;
                }
            }
        }
    }
}
