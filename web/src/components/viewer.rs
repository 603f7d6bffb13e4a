//! The input viewer, as admins know CMTrace and OneTrace: any input with line numbers, opened at
//! `#view/<line>/<input>` from a finding, the timeline or a shared address; error and warning
//! lines highlighted, search with next/previous (Enter, Shift+Enter), next/previous error, and
//! other inputs merged in time order (`#view/<line>/<input>/<other>/...`). Only a window of
//! lines is read (by the worker, which stops once it has them), and only the rows in view are
//! in the page, so a 100 MB log opens as fast as a small one.

pub(super) mod panel;
pub mod rows;

use std::rc::Rc;

use web_sys::{Element, HtmlInputElement};
use wsus_doctor_core::lines::Level;
use yew::prelude::*;

use self::panel::{close_to_opener, escape_closes, use_opener};
use self::rows::{matches, pieces, rows, step, Row};
use crate::context::LineWindow;

/// Lines read before and after the target.
pub const VIEW_RADIUS: u64 = 1000;
/// A row's height, px (the CSS says the same): rows are placed, not flowed.
const ROW_PX: f64 = 20.0;
/// Rows drawn around those in view.
const OVERSCAN: usize = 20;
/// Rows in view at most (a tall screen).
const IN_VIEW: usize = 60;

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
    /// Inputs merged in, with their lines once read.
    #[prop_or_default]
    pub others: Vec<(String, Option<LineWindow>)>,
    /// The report's other text inputs, offered for merging.
    #[prop_or_default]
    pub inputs: Vec<String>,
}

fn enc(name: &str) -> String {
    String::from(js_sys::encode_uri_component(name))
}

fn href(line: u64, name: &str) -> String {
    format!("#view/{line}/{}", enc(name))
}

/// The address of this view with `others` merged in.
fn merged_href(line: u64, name: &str, others: &[String]) -> String {
    others.iter().fold(href(line, name), |h, o| format!("{h}/{}", enc(o)))
}

/// Set a pad's height through the CSSOM (the page's CSP refuses `style` attributes).
fn set_height(pad: &NodeRef, px: f64) {
    let Some(el) = pad.get() else { return };
    if let Ok(style) = js_sys::Reflect::get(&el, &"style".into()) {
        let _ = js_sys::Reflect::set(&style, &"height".into(), &format!("{px}px").into());
    }
}

fn scroll_to(list: &NodeRef, row: usize) {
    if let Some(el) = list.cast::<Element>() {
        el.set_scroll_top(((row as f64 - 4.0).max(0.0) * ROW_PX) as i32);
    }
}

#[function_component(Viewer)]
pub fn viewer(p: &ViewerProps) -> Html {
    let opener = use_opener("viewer");
    let list = use_node_ref();
    let query = use_state(String::new);
    let current = use_state(|| None::<usize>);
    let top = use_state(|| 0.0f64);
    let merged: Vec<String> = p.others.iter().map(|(n, _)| n.clone()).collect();
    // keyed by what the windows are, not their text: a scroll redraw must not compare or copy them
    let shape = |w: &Option<LineWindow>| w.as_ref().map(|w| (w.from, w.to, w.lines.len()));
    let key = (p.name.clone(), p.line, shape(&p.window), p.others.iter().map(|(n, w)| (n.clone(), shape(w))).collect::<Vec<_>>());
    let all: Rc<Vec<Row>> = use_memo(key, |_| {
        let mut ws: Vec<&LineWindow> = p.window.iter().collect();
        ws.extend(p.others.iter().filter_map(|(_, o)| o.as_ref()));
        if ws.is_empty() {
            Vec::new()
        } else {
            rows(&ws)
        }
    });
    let found: Rc<Vec<usize>> = use_memo(((*query).clone(), Rc::as_ptr(&all) as usize), {
        let all = all.clone();
        move |(q, _)| matches(&all, q)
    });
    let errors: Rc<Vec<usize>> = use_memo(Rc::as_ptr(&all) as usize, {
        let all = all.clone();
        move |_| all.iter().enumerate().filter(|(_, r)| r.level == Some(Level::Error)).map(|(i, _)| i).collect()
    });
    let hit = all.iter().position(|r| r.src == 0 && r.n == p.line);
    // the rows not drawn are two pads, above and below those in view
    let first = ((*top / ROW_PX) as usize).saturating_sub(OVERSCAN).min(all.len());
    let end = (first + IN_VIEW + 2 * OVERSCAN).min(all.len());
    let (pad_top, pad_end) = (use_node_ref(), use_node_ref());
    {
        let (pad_top, pad_end, after) = (pad_top.clone(), pad_end.clone(), all.len() - end);
        use_effect(move || {
            set_height(&pad_top, first as f64 * ROW_PX);
            set_height(&pad_end, after as f64 * ROW_PX);
        });
    }
    {
        let list = list.clone();
        use_effect_with((hit, all.len()), move |(hit, _)| {
            if let Some(h) = hit {
                scroll_to(&list, *h);
            }
        });
    }
    let go = {
        let (current, list) = (current.clone(), list.clone());
        move |to: Option<usize>| {
            if let Some(i) = to {
                current.set(Some(i));
                scroll_to(&list, i);
            }
        }
    };
    let from = (*current).or(hit);
    let search_step = {
        let (found, go) = (found.clone(), go.clone());
        move |forward: bool| go(step(&found, from, forward))
    };
    let error_step = {
        let (errors, go) = (errors.clone(), go.clone());
        move |forward: bool| go(step(&errors, from, forward))
    };
    let oninput = {
        let (query, current) = (query.clone(), current.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            current.set(None);
        })
    };
    let onkeydown = {
        let s = search_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                s(!e.shift_key());
            }
        })
    };
    let onscroll = {
        let (top, list) = (top.clone(), list.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = list.cast::<Element>() {
                top.set(el.scroll_top() as f64);
            }
        })
    };
    let close = {
        let (opener, on_close) = (opener.clone(), p.on_close.clone());
        Callback::from(move |_: MouseEvent| close_to_opener(&opener, &on_close))
    };
    let count = match (query.is_empty(), found.len(), (*current).and_then(|c| found.iter().position(|&i| i == c))) {
        (true, _, _) => String::new(),
        (false, 0, _) => "no match".to_string(),
        (false, n, Some(k)) => format!("{} of {n}", k + 1),
        (false, n, None) => format!("{n} match(es)"),
    };
    let names: Vec<&str> = std::iter::once(p.name.as_str()).chain(merged.iter().map(String::as_str)).collect();
    let shown_rows = all.iter().enumerate().skip(first).take(end - first);
    let body = match (&p.problem, &p.window) {
        (Some(why), _) => html! { <p class="message error">{ why.clone() }</p> },
        (None, None) => html! { <p class="hint">{ "Reading…" }</p> },
        (None, Some(w)) if w.lines.is_empty() => {
            html! { <p class="message error">{ format!("{} has no {} {} (it ended before).", super::shown(&p.name), p.unit, p.line) }</p> }
        }
        (None, Some(w)) => {
            let first_n = w.lines.first().map(|l| l.0).unwrap_or(1);
            let last_n = w.lines.last().map(|l| l.0).unwrap_or(1);
            html! {
                <>
                <p class="viewer-nav">
                    if first_n > 1 { <a href={merged_href(first_n.saturating_sub(VIEW_RADIUS + 1).max(1), &p.name, &merged)}>{ "Earlier" }</a> }
                    <span class="hint">{ format!(" {}s {first_n}–{last_n}{}{} ", p.unit, if w.ended { " (end of input)" } else { "" },
                        if merged.is_empty() { String::new() } else { format!("; merged by time with the first {} lines of {}", crate::state::MERGE_LINES, super::shown(&merged.join(", "))) }) }</span>
                    if !w.ended { <a href={merged_href(last_n + VIEW_RADIUS + 1, &p.name, &merged)}>{ "Later" }</a> }
                </p>
                <pre class="viewer-lines" tabindex="0" ref={list} {onscroll} data-rows={all.len().to_string()} aria-label={format!("{} {}s", all.len(), p.unit)}>
                    <span class="vpad" ref={pad_top}></span>
                    { for shown_rows.map(|(i, r)| {
                        let lvl = r.level.map(|l| if l == Level::Error { "lvl-error" } else { "lvl-warning" });
                        let name = names.get(r.src).copied().unwrap_or("");
                        let q = if found.binary_search(&i).is_ok() { (*query).clone() } else { String::new() };
                        let text = super::shown(&r.text);
                        html! {
                            <span id={(r.src == 0).then(|| format!("L{}", r.n))} data-row={i.to_string()}
                                class={classes!("vline", lvl, (r.src == 0 && r.n == p.line).then_some("hit"), (!q.is_empty()).then_some("match"), (*current == Some(i)).then_some("current"))}>
                                if names.len() > 1 { <span class="src">{ super::shown(name) }</span>{ " " } }
                                <a class="ln" href={href(r.n, name)} aria-label={format!("{} {}", p.unit, r.n)}>{ format!("{:>7} ", r.n) }</a>
                                { for pieces(&text, &q).into_iter().map(|(t, m)| if m { html! { <mark>{ t.to_string() }</mark> } } else { html! { { t.to_string() } } }) }
                            </span>
                        }
                    }) }
                    <span class="vpad" ref={pad_end}></span>
                </pre>
                </>
            }
        }
    };
    let candidates: Vec<String> = p.inputs.iter().filter(|i| **i != p.name).take(crate::state::MAX_MERGED * 4).cloned().collect();
    html! {
        <section id="viewer" class="viewer" tabindex="-1" aria-labelledby="viewer-h" onkeydown={escape_closes(&opener, &p.on_close)}>
            <div class="viewer-head">
                <h2 id="viewer-h">{ format!("{} at {} {}", super::shown(&p.name), p.unit, p.line) }</h2>
                <button id="viewer-close" onclick={close}>{ "Close" }</button>
            </div>
            <div class="viewer-tools" role="search">
                <input id="viewer-search" type="search" aria-label="Find in these lines (Enter: next, Shift+Enter: previous)" placeholder="Find" value={(*query).clone()} {oninput} {onkeydown} />
                <button id="viewer-prev" onclick={let s = search_step.clone(); move |_| s(false)}>{ "Previous" }</button>
                <button id="viewer-next" onclick={let s = search_step.clone(); move |_| s(true)}>{ "Next" }</button>
                <span id="viewer-count" class="count" aria-live="polite">{ count }</span>
                <button id="viewer-prev-error" onclick={let s = error_step.clone(); move |_| s(false)}>{ "Previous error" }</button>
                <button id="viewer-next-error" onclick={let s = error_step.clone(); move |_| s(true)}>{ format!("Next error ({})", errors.len()) }</button>
            </div>
            if !candidates.is_empty() {
                <fieldset class="viewer-merge" id="viewer-merge"><legend>{ "Merge with, in time order:" }</legend>
                { for candidates.iter().map(|c| {
                    let on = merged.contains(c);
                    let next: Vec<String> = if on { merged.iter().filter(|m| *m != c).cloned().collect() } else { merged.iter().cloned().chain([c.clone()]).collect() };
                    let target = merged_href(p.line, &p.name, &next);
                    let onchange = Callback::from(move |_: Event| { let _ = gloo::utils::window().location().set_hash(&target); });
                    html! { <label><input type="checkbox" value={c.clone()} checked={on} {onchange} />{ " " }{ super::shown(c) }</label> }
                }) }
                </fieldset>
            }
            { body }
        </section>
    }
}
