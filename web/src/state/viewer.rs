//! The input viewer: which line of which input, what the worker read around it, the other
//! inputs merged with it in time order (`#view/<line>/<input>/<other>/...`: the address says
//! it all, so a merged view can be shared like any line), and a search (or "next error") the
//! worker carries on through the whole input once the window has no more matches.

use wsus_doctor_core::find::Target;
use wsus_doctor_core::lines::times_from;

use super::{Port, Request, State};
use crate::components::VIEW_RADIUS;
use crate::context::{FindAnswer, LineWindow};

/// Lines read from each input merged in (those of the window's time range): bounded, whatever
/// the input's size; the view says when more were in the range.
pub const MERGE_LINES: u64 = wsus_doctor_core::find::MAX_SLICE_LINES as u64;
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
    /// A search past the window, in the worker.
    pub seek: Seek,
    /// The time range the inputs merged in are read for, once the window is read.
    pub span: Option<MergeSpan>,
}

/// A search (or "next error") carried on by the worker through the whole input.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Seek {
    #[default]
    Idle,
    /// The worker is reading the input; `errors`: for the next error, not the search term.
    Searching { forward: bool, errors: bool },
    /// The next match is this line: the viewer opens there (its address changes).
    Found(u64),
    /// No match after (or before) line `from`; `last`: the input's last line, when read to it.
    Nothing { forward: bool, errors: bool, from: u64, last: Option<u64> },
    /// The input could not be read, or the worker not reached.
    Failed(String),
}

/// The times the inputs merged in are read for: those of the window's lines (UTC seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MergeSpan {
    /// Lines written from `start` to `end`; a window at its input's first (or last) line has
    /// no bound on that side, as nothing of its input comes before (or after) it.
    Times { start: Option<i64>, end: Option<i64> },
    /// The window's lines have no times: nothing to merge them by.
    Untimed,
}

/// The time range of a window's lines, read as the viewer reads them (its zone applied).
pub fn span_of(w: &LineWindow) -> MergeSpan {
    let times: Vec<i64> = times_from(w.zone, w.lines.iter().map(|l| l.1.as_str())).into_iter().flatten().collect();
    let at_start = w.lines.first().is_none_or(|l| l.0 <= 1);
    match (times.iter().min(), times.iter().max()) {
        (Some(&lo), Some(&hi)) => MergeSpan::Times { start: (!at_start).then_some(lo), end: (!w.ended).then_some(hi) },
        _ if at_start && w.ended => MergeSpan::Times { start: None, end: None },
        _ => MergeSpan::Untimed,
    }
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
    /// Ask the worker for the lines around `line` of the input called `name`; those of each
    /// input merged in are asked for once these are read (their time range is theirs).
    pub(super) fn open_viewer(&mut self, port: &mut dyn Port, name: String, line: u64, others: Vec<String>) {
        let others: Vec<String> = others.into_iter().filter(|o| *o != name).collect();
        let near = opener_near().or_else(|| self.viewer.as_ref().and_then(|v| v.near.clone()));
        let mut state =
            ViewerState { name: name.clone(), line, window: None, problem: None, others: Vec::new(), near, seek: Seek::Idle, span: None };
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
        state.others = others.into_iter().filter(|o| self.inputs.source_of(o).is_some()).map(|o| (o, None)).collect();
        self.viewer = Some(state);
    }

    /// Ask the worker for the lines of each input merged in written in the window's time range.
    fn slice_others(&mut self, port: &mut dyn Port) {
        let Some(v) = self.viewer.as_mut() else { return };
        let Some(w) = v.window.as_ref() else { return };
        let span = span_of(w);
        v.span = Some(span);
        for (other, got) in v.others.iter_mut() {
            let unread = |error: String| Some(LineWindow { name: other.clone(), ended: true, error: Some(error), ..LineWindow::default() });
            let (MergeSpan::Times { start, end }, Some((source, member))) = (span, self.inputs.source_of(other)) else {
                *got = unread("nothing to merge by: these lines have no times".into());
                continue;
            };
            if let Err(e) = port.send(Request::Slice { name: other.clone(), member, start, end, source }) {
                *got = unread(e.message());
            }
        }
    }

    /// The viewer's search (or next error) has no more matches in its window: ask the worker for
    /// the next in the whole input, after the window's last line (or before its first).
    pub(super) fn find(&mut self, port: &mut dyn Port, target: Target, forward: bool) {
        let Some(v) = self.viewer.as_mut() else { return };
        let Some(w) = v.window.as_ref() else { return };
        if matches!(v.seek, Seek::Searching { .. }) || v.problem.is_some() {
            return;
        }
        let errors = matches!(target, Target::Level(_));
        let from = if forward { w.lines.last() } else { w.lines.first() }.map_or(v.line, |l| l.0);
        if (forward && w.ended) || (!forward && from <= 1) {
            v.seek = Seek::Nothing { forward, errors, from, last: w.ended.then_some(from) };
            return;
        }
        let Some((source, member)) = self.inputs.source_of(&v.name) else { return };
        v.seek = match port.send(Request::Find { name: v.name.clone(), member, from, forward, target, source }) {
            Ok(()) => Seek::Searching { forward, errors },
            Err(e) => Seek::Failed(e.message()),
        };
    }

    /// The worker's answer to [`State::find`].
    pub(super) fn found(&mut self, json: &str) {
        let Some(v) = self.viewer.as_mut() else { return };
        let Seek::Searching { errors, .. } = v.seek else { return };
        v.seek = match serde_json::from_str::<FindAnswer>(json) {
            Ok(a) if a.name != v.name => return,
            Ok(FindAnswer { error: Some(e), .. }) => Seek::Failed(e),
            Ok(FindAnswer { found: f, .. }) => match f.line {
                Some(n) => Seek::Found(n),
                None => Seek::Nothing { forward: f.forward, errors, from: f.from, last: f.forward.then_some(f.last) },
            },
            Err(e) => Seek::Failed(format!("The worker's answer could not be read: {e}")),
        };
    }

    /// The worker's lines for the open viewer: the input opened, or one merged in.
    pub(super) fn lines(&mut self, json: &str, port: &mut dyn Port) {
        if let Some(v) = self.viewer.as_mut() {
            match serde_json::from_str::<LineWindow>(json) {
                // the window asked for last (a late answer for the window before is not it)
                Ok(w)
                    if v.window.is_none()
                        && w.name == v.name
                        && w.range.is_none()
                        && w.from == v.line.saturating_sub(VIEW_RADIUS).max(1) =>
                {
                    v.problem = w.error.clone();
                    v.window = Some(w);
                    self.focus.viewer = true;
                    self.slice_others(port);
                }
                Ok(w) => {
                    let asked = match v.span {
                        Some(MergeSpan::Times { start, end }) => Some((start, end)),
                        _ => None,
                    };
                    if w.range.is_some() && w.range == asked {
                        if let Some(slot) = v.others.iter_mut().find(|(n, got)| *n == w.name && got.is_none()) {
                            slot.1 = Some(w);
                        }
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
