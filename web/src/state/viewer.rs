//! The input viewer: which line of which input, and what the worker read around it.

use super::{Port, Request, State};
use crate::components::VIEW_RADIUS;
use crate::context::LineWindow;

#[derive(Clone, Debug, PartialEq)]
pub struct ViewerState {
    pub name: String,
    pub line: u64,
    pub window: Option<LineWindow>,
    pub problem: Option<String>,
}

/// `#view/<line>/<percent-encoded input>` → (input, line).
pub fn parse_view_hash(hash: &str) -> Option<(String, u64)> {
    let rest = hash.strip_prefix("#view/")?;
    let (line, name) = rest.split_once('/')?;
    let name = js_sys::decode_uri_component(name).ok()?.as_string()?;
    Some((name, line.parse().ok()?))
}

impl State {
    /// Ask the worker for the lines around `line` of the input called `name`.
    pub(super) fn open_viewer(&mut self, port: &mut dyn Port, name: String, line: u64) {
        let mut state = ViewerState { name: name.clone(), line, window: None, problem: None };
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
        self.viewer = Some(state);
    }

    /// The worker's lines for the open viewer.
    pub(super) fn lines(&mut self, json: &str) {
        if let Some(v) = self.viewer.as_mut() {
            match serde_json::from_str::<LineWindow>(json) {
                Ok(w) => {
                    v.problem = w.error.clone();
                    v.window = Some(w);
                }
                Err(e) => v.problem = Some(format!("The worker's answer could not be read: {e}")),
            }
            self.focus.viewer = true;
        }
    }
}
