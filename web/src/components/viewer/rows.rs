//! The viewer's rows: one input's window, or several merged in time order (each row tagged with
//! its input); their severity; search matches and "next"/"previous" over a sorted list of rows.

use wsus_doctor_core::find::contains_ignoring_case;
use wsus_doctor_core::lines::{level, merge_order, times_from, Level};

use crate::context::LineWindow;

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Which input: 0 the one opened, then those merged in, in the address's order.
    pub src: usize,
    pub n: u64,
    pub text: String,
    pub level: Option<Level>,
}

/// The rows of the windows given (the opened input's first), merged by time when several.
pub fn rows(windows: &[&LineWindow]) -> Vec<Row> {
    let row = |src: usize, (n, text): &(u64, String)| Row { src, n: *n, text: text.clone(), level: level(text) };
    if windows.len() == 1 {
        return windows[0].lines.iter().map(|l| row(0, l)).collect();
    }
    // a window that starts past a log's `Logging initialized` line has the zone it stated
    let when: Vec<Vec<Option<i64>>> = windows.iter().map(|w| times_from(w.zone, w.lines.iter().map(|(_, t)| t.as_str()))).collect();
    merge_order(&when).into_iter().map(|(k, i)| row(k, &windows[k].lines[i])).collect()
}

/// Rows holding `query` (ASCII case ignored, so byte positions stay those of the text): the
/// core's rule, which the worker's search of the whole input follows too.
pub fn matches(rows: &[Row], query: &str) -> Vec<usize> {
    let q = query.to_ascii_lowercase();
    rows.iter().enumerate().filter(|(_, r)| contains_ignoring_case(&r.text, &q)).map(|(i, _)| i).collect()
}

/// The next (or previous) row of `list` after row `from` (from the first or the last with no
/// `from`); `None` past the last (or before the first): the worker searches on from there.
pub fn step(list: &[usize], from: Option<usize>, forward: bool) -> Option<usize> {
    match (from, forward) {
        (None, true) => list.first().copied(),
        (None, false) => list.last().copied(),
        (Some(f), true) => list.iter().copied().find(|&i| i > f),
        (Some(f), false) => list.iter().rev().copied().find(|&i| i < f),
    }
}

/// `text` split into (piece, is a match of `query`) for highlighting.
pub fn pieces<'a>(text: &'a str, query: &str) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    if query.is_empty() {
        out.push((text, false));
        return out;
    }
    let (lower, q) = (text.to_ascii_lowercase(), query.to_ascii_lowercase());
    let mut at = 0;
    while let Some(p) = lower[at..].find(&q) {
        let (s, e) = (at + p, at + p + q.len());
        if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            break;
        }
        out.push((&text[at..s], false));
        out.push((&text[s..e], true));
        at = e;
    }
    out.push((&text[at..], false));
    out
}
