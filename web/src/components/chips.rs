//! One chip per input: its unique name, detected kind, line count, notes, a kind override and
//! a remove button. Chips are keyed by position, matching the report's inputs one to one.

use web_sys::HtmlSelectElement;
use wsus_doctor_core::{InputKind, InputSummary};
use yew::prelude::*;

use super::human_size;

/// What one chip shows.
#[derive(Clone, PartialEq)]
pub struct Chip {
    /// The unique display name (the core's, so evidence, context and chips agree).
    pub name: String,
    pub size: f64,
    pub kind: Option<InputKind>,
    /// The input's summary from the last report, if it was part of it.
    pub summary: Option<InputSummary>,
}

#[derive(Properties, PartialEq)]
pub struct ChipsProps {
    pub chips: Vec<Chip>,
    pub on_kind: Callback<(usize, Option<InputKind>)>,
    pub on_remove: Callback<usize>,
}

#[function_component(InputChips)]
pub fn input_chips(p: &ChipsProps) -> Html {
    if p.chips.is_empty() {
        return html! {};
    }
    html! {
        <ul class="chips" aria-label="Inputs">
        { for p.chips.iter().enumerate().map(|(i, c)| {
            let s = c.summary.as_ref();
            let detected = s.and_then(|s| s.kind.map(|k| k.name()).or(s.format.as_deref().filter(|f| *f == "zip").map(|_| "zip bundle"))).unwrap_or("…");
            let on_kind = p.on_kind.reform(move |e: Event| (i, InputKind::parse(&e.target_unchecked_into::<HtmlSelectElement>().value())));
            let on_remove = p.on_remove.reform(move |_: MouseEvent| i);
            let sel = c.kind.map(|k| k.name()).unwrap_or("");
            let name = &c.name;
            html! {
                <li class={classes!("chip", s.and_then(|s| s.error.as_ref()).map(|_| "chip-error"))} data-input={name.clone()}>
                    <span class="chip-name">{ super::shown(name) }</span>
                    <span class="chip-kind" data-kind={detected}>{ detected }</span>
                    { match s { Some(s) => html! { <span class="chip-lines">{ format!("{} {}", s.lines, match s.format.as_deref() { Some("zip") => "members", Some(_) => "events", None => "lines" }) }</span> }, None => html! { <span class="chip-lines">{ human_size(c.size) }</span> } } }
                    { match s { Some(s) if s.unrecognised > 0 => html! { <span class="chip-unrec" title={s.notes.iter().map(|n| super::shown(n)).collect::<Vec<_>>().join("\n")}>{ format!("{} not recognised", s.unrecognised) }</span> }, _ => html! {} } }
                    <label class="visually-hidden" for={format!("kind-{i}")}>{ format!("Kind of {name}") }</label>
                    <select id={format!("kind-{i}")} onchange={on_kind}>
                        <option value="" selected={sel.is_empty()}>{ "detect kind" }</option>
                        { for InputKind::ALL.iter().map(|k| html! { <option value={k.name()} selected={sel == k.name()}>{ k.name() }</option> }) }
                    </select>
                    <button class="chip-remove" aria-label={format!("Remove {name}")} onclick={on_remove}>{ "×" }</button>
                    { match s.and_then(|s| s.error.clone()) { Some(e) => html! { <div class="chip-msg">{ e }</div> }, None => html! {} } }
                    { for s.into_iter().flat_map(|s| s.notes.iter()).map(|n| html! { <div class="chip-note">{ super::shown(n) }</div> }) }
                </li>
            }
        }) }
        </ul>
    }
}
