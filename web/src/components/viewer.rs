//! The input viewer, as admins know CMTrace and OneTrace: any input with line numbers, opened at
//! `#view/<line>/<input>` from a finding, the timeline or a shared address; error and warning
//! lines highlighted, search with next/previous (Enter, Shift+Enter), next/previous error, and
//! other inputs merged in time order (`#view/<line>/<input>/<other>/...`, their lines of the
//! window's time range). Only a window of lines is read (by the worker, which stops once it has
//! them), and only the rows in view are in the page, so a 100 MB log opens as fast as a small
//! one. A search or "next error" with nothing more in the window goes on in the worker through
//! the whole input, and the viewer opens again at the line found.

pub(super) mod panel;
pub mod rows;

use std::rc::Rc;

use web_sys::{Element, HtmlInputElement};
use wsus_doctor_core::find::Target;
use wsus_doctor_core::lines::{clock_text, Level};
use yew::prelude::*;

use self::panel::{close_to_opener, escape_closes, use_opener};
use self::rows::{matches, pieces, rows, step, Row};
use crate::context::LineWindow;
use crate::state::{MergeSpan, Seek};

/// Lines read before and after the target.
pub const VIEW_RADIUS: u64 = 1000;
/// A row's height, px (the CSS says the same): rows are placed, not flowed.
const ROW_PX: f64 = 20.0;
/// Rows drawn around those in view.
const OVERSCAN: usize = 20;
/// Rows in view at most (a tall screen).
const IN_VIEW: usize = 60;

/// The rows as a memo's dependency, compared by identity, not text (a scroll redraw must not
/// compare 2,000 rows). It holds the rows: an address kept as a number could be reused by the next
/// rows and leave a memo of the old ones in place (a search or "next error" over no rows).
#[derive(Clone)]
struct Same(Rc<Vec<Row>>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

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
    /// A search past the window, in the worker.
    #[prop_or_default]
    pub seek: Seek,
    /// The time range the inputs merged in were read for.
    #[prop_or_default]
    pub span: Option<MergeSpan>,
    /// Ask the worker for the next match (forward or back) past the window.
    #[prop_or_default]
    pub on_find: Callback<(Target, bool)>,
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

/// Scroll the rows to `row`, and say where they are: a list already at that place fires no
/// scroll event, and the rows drawn must not stay those of the window before (one opened deep
/// in its input, then one opened at its first lines).
fn scroll_to(list: &NodeRef, top: &UseStateHandle<f64>, row: usize) {
    if let Some(el) = list.cast::<Element>() {
        el.set_scroll_top(((row as f64 - 4.0).max(0.0) * ROW_PX) as i32);
        top.set(el.scroll_top() as f64);
    }
}

/// What the view says of the inputs merged in: the time range they were read for, and those of
/// which more lines were in it than were read.
fn merge_note(merged: &[String], span: Option<MergeSpan>, others: &[(String, Option<LineWindow>)]) -> String {
    if merged.is_empty() {
        return String::new();
    }
    let names = super::shown(&merged.join(", "));
    let range = match span {
        None => return format!("; merging {names}…"),
        Some(MergeSpan::Untimed) => return format!("; {names} not merged: these lines have no times"),
        Some(MergeSpan::Times { start: None, end: None }) => String::new(),
        Some(MergeSpan::Times { start, end }) => {
            let (s, e) = (start.map(|t| format!(" from {}", clock_text(t))), end.map(|t| format!(" to {}", clock_text(t))));
            format!(" written{}{}", s.unwrap_or_default(), e.unwrap_or_default())
        }
    };
    let cut: Vec<String> = others
        .iter()
        .filter(|(_, w)| w.as_ref().is_some_and(|w| w.more))
        .map(|(n, _)| format!("{}: the first {} of them, more not read", super::shown(n), crate::state::MERGE_LINES))
        .collect();
    let cut = if cut.is_empty() { String::new() } else { format!(" ({})", cut.join("; ")) };
    format!("; merged by time with the lines of {names}{range}{cut}")
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
    let found: Rc<Vec<usize>> = use_memo(((*query).clone(), Same(all.clone())), |(q, all)| matches(&all.0, q));
    let errors: Rc<Vec<usize>> = use_memo(Same(all.clone()), |all| {
        all.0.iter().enumerate().filter(|(_, r)| r.level == Some(Level::Error)).map(|(i, _)| i).collect()
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
        let (list, top) = (list.clone(), top.clone());
        use_effect_with((hit, all.len()), move |(hit, _)| {
            if let Some(h) = hit {
                scroll_to(&list, &top, *h);
            }
        });
    }
    let go = {
        let (current, list, top) = (current.clone(), list.clone(), top.clone());
        move |to: Option<usize>| {
            if let Some(i) = to {
                current.set(Some(i));
                scroll_to(&list, &top, i);
            }
        }
    };
    // a new window (the viewer opened elsewhere): steps start again from its line
    {
        let current = current.clone();
        use_effect_with((p.name.clone(), p.line, shape(&p.window)), move |_| current.set(None));
    }
    // the worker found the next match past the window: open the viewer there
    {
        let (name, merged) = (p.name.clone(), merged.clone());
        use_effect_with(p.seek.clone(), move |seek| {
            if let Seek::Found(n) = seek {
                let _ = gloo::utils::window().location().set_hash(&merged_href(*n, &name, &merged));
            }
        });
    }
    // a status of the worker's search is shown once asked for, until the next step or edit
    let asked = use_state(|| false);
    let from = (*current).or(hit);
    // a step within the window, or, with none left there, the worker's search of the input
    let seek = {
        let (go, asked, on_find) = (go.clone(), asked.clone(), p.on_find.clone());
        move |list: &[usize], forward: bool, target: Option<Target>| match step(list, from, forward) {
            Some(i) => {
                asked.set(false);
                go(Some(i));
            }
            None => {
                if let Some(t) = target {
                    asked.set(true);
                    on_find.emit((t, forward));
                }
            }
        }
    };
    let search_step = {
        let (found, seek, query) = (found.clone(), seek.clone(), query.clone());
        move |forward: bool| seek(&found, forward, Some(Target::Text((*query).clone())).filter(|_| !query.is_empty()))
    };
    let error_step = {
        let (errors, seek) = (errors.clone(), seek.clone());
        move |forward: bool| seek(&errors, forward, Some(Target::Level(Level::Error)))
    };
    let oninput = {
        let (query, current, asked) = (query.clone(), current.clone(), asked.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            current.set(None);
            asked.set(false);
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
    // the line the admin is at, for "no more matches after line N"
    let at_line = from.and_then(|i| all.get(i)).filter(|r| r.src == 0).map(|r| r.n);
    let count = match (&p.seek, *asked) {
        (Seek::Searching { .. }, _) => "searching…".to_string(),
        (Seek::Nothing { forward, errors, from, last }, true) => {
            let what = if *errors { "errors" } else { "matches" };
            match (forward, at_line.unwrap_or(*from)) {
                (true, n) => format!(
                    "no more {what} after {} {n}{}",
                    p.unit,
                    last.filter(|l| *l > n).map(|l| format!(" (the input ends at {l})")).unwrap_or_default()
                ),
                (false, n) => format!("no {what} before {} {n}", p.unit),
            }
        }
        (Seek::Failed(why), true) => format!("not searched: {why}"),
        _ => match (query.is_empty(), found.len(), (*current).and_then(|c| found.iter().position(|&i| i == c))) {
            (true, _, _) => String::new(),
            (false, 0, _) => "none here".to_string(),
            (false, n, Some(k)) => format!("{} of {n}", k + 1),
            (false, n, None) => format!("{n} match(es)"),
        },
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
                        merge_note(&merged, p.span, &p.others)) }</span>
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
                <button id="viewer-next-error" onclick={let s = error_step.clone(); move |_| s(true)}>{ format!("Next error ({} here)", errors.len()) }</button>
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
