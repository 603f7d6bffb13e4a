//! The input viewer: any input with line numbers, opened at `#view/<line>/<input>` from a
//! finding, the timeline or a shared address. Only a window of lines around the target is
//! read (by the worker, which stops reading once it has them), so a 1 GB log opens as fast as
//! a small one near its start.

use yew::prelude::*;

use crate::context::LineWindow;

/// Lines shown before and after the target.
pub const VIEW_RADIUS: u64 = 150;

#[derive(Properties, PartialEq)]
pub struct ViewerProps {
    pub name: String,
    pub line: u64,
    pub window: Option<LineWindow>,
    /// Why the input cannot be shown (not on the page, an archive, ...).
    pub problem: Option<String>,
    /// "record" for ETL/EVTX inputs, else "line".
    pub unit: &'static str,
    pub on_close: Callback<()>,
}

fn href(line: u64, name: &str) -> String {
    format!("#view/{line}/{}", String::from(js_sys::encode_uri_component(name)))
}

#[function_component(Viewer)]
pub fn viewer(p: &ViewerProps) -> Html {
    let close = p.on_close.reform(|_: MouseEvent| ());
    let body = match (&p.problem, &p.window) {
        (Some(why), _) => html! { <p class="message error">{ why.clone() }</p> },
        (None, None) => html! { <p class="hint">{ "Reading…" }</p> },
        (None, Some(w)) if w.lines.is_empty() => {
            html! { <p class="message error">{ format!("{} has no {} {} (it ended before).", super::shown(&p.name), p.unit, p.line) }</p> }
        }
        (None, Some(w)) => {
            let first = w.lines.first().map(|l| l.0).unwrap_or(1);
            let last = w.lines.last().map(|l| l.0).unwrap_or(1);
            html! {
                <>
                <p class="viewer-nav">
                    if first > 1 { <a href={href(first.saturating_sub(VIEW_RADIUS + 1).max(1), &p.name)}>{ "Earlier" }</a> }
                    <span class="hint">{ format!(" {}s {first}–{last}{} ", p.unit, if w.ended { " (end of input)" } else { "" }) }</span>
                    if !w.ended { <a href={href(last + VIEW_RADIUS + 1, &p.name)}>{ "Later" }</a> }
                </p>
                <pre class="viewer-lines" tabindex="0">{ for w.lines.iter().map(|(n, text)| html! {
                    <span id={format!("L{n}")} class={classes!("vline", (*n == p.line).then_some("hit"))}><a class="ln" href={href(*n, &p.name)} aria-label={format!("{} {n}", p.unit)}>{ format!("{n:>7} ") }</a>{ super::shown(text) }{ "\n" }</span>
                }) }</pre>
                </>
            }
        }
    };
    html! {
        <section id="viewer" class="viewer" tabindex="-1" aria-labelledby="viewer-h">
            <div class="viewer-head">
                <h2 id="viewer-h">{ format!("{} at {} {}", super::shown(&p.name), p.unit, p.line) }</h2>
                <button id="viewer-close" onclick={close}>{ "Close" }</button>
            </div>
            { body }
        </section>
    }
}
