//! The evidence explorer of one finding: every matching line of the inputs it cites (a finding
//! quotes its first few), filtered by a term, with counts per error code and, for IIS rows, per
//! status, path and client (top ten with totals). Each line opens in the input viewer. It is
//! drawn after the finding that opened it; Escape or Close gives focus back to that button.

use wsus_doctor_core::explore::{Tally, MAX_LINES};
use yew::prelude::*;

use super::viewer::panel::{close_to_opener, escape_closes, use_opener};
use super::viewer_href;
use crate::state::ExplorerState;

#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// What is explored and what the worker found (the page state's own).
    pub state: ExplorerState,
    pub on_search: Callback<String>,
    pub on_close: Callback<()>,
}

fn table(caption: &str, t: &Tally) -> Html {
    if t.top.is_empty() {
        return html! {};
    }
    html! {
        <table class="tally">
            <caption>{ format!("{caption} ({} distinct)", t.distinct) }</caption>
            <tbody>
            { for t.top.iter().map(|(k, n)| html! { <tr><td>{ super::shown(k) }</td><td class="num">{ n.to_string() }</td></tr> }) }
            if t.rest > 0 { <tr class="rest"><td>{ "all others" }</td><td class="num">{ t.rest.to_string() }</td></tr> }
            </tbody>
        </table>
    }
}

#[function_component(Explorer)]
pub fn explorer(props: &ExplorerProps) -> Html {
    let p = &props.state;
    let opener = use_opener("explorer");
    let input = use_node_ref();
    let submit = {
        let (input, on_search) = (input.clone(), props.on_search.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                on_search.emit(i.value());
            }
        })
    };
    let close = {
        let (opener, on_close) = (opener.clone(), props.on_close.clone());
        Callback::from(move |_: MouseEvent| close_to_opener(&opener, &on_close))
    };
    let on = p.machine.as_deref().map(|m| format!(" on {}", super::shown(m))).unwrap_or_default();
    html! {
        <section id="explorer" class="explorer" tabindex="-1" aria-labelledby="explorer-h" onkeydown={escape_closes(&opener, &props.on_close)}>
            <div class="viewer-head">
                <h2 id="explorer-h">{ format!("All lines for {}{on}", p.rule) }</h2>
                <button id="explorer-close" onclick={close}>{ "Close" }</button>
            </div>
            <p class="hint">{ format!("In {}.", super::shown(&p.inputs.join(", "))) }</p>
            <form class="explore-form" onsubmit={submit}>
                <label for="explore-term">{ "Lines containing (any case; empty: every line)" }</label>
                <input id="explore-term" type="search" ref={input} value={p.term.clone()} />
                <button type="submit">{ "Filter" }</button>
            </form>
            { match (&p.problem, &p.result) {
                (Some(why), _) => html! { <p class="message error">{ why.clone() }</p> },
                (None, None) => html! { <p class="hint">{ "Reading…" }</p> },
                (None, Some(x)) => html! {
                    <>
                    <p class="counts" id="explore-count">{ format!("{} matching line(s){}", x.total, if x.total as usize > x.lines.len() { format!("; the first {} are listed", MAX_LINES) } else { String::new() }) }</p>
                    <div class="tallies">
                        { table("Error codes", &x.codes) }
                        { table("HTTP status", &x.statuses) }
                        { table("Path", &x.paths) }
                        { table("Client", &x.clients) }
                    </div>
                    <ol class="explore-lines">{ for x.lines.iter().map(|e| html! {
                        <li><a class="loc" href={viewer_href(e)}>{ super::shown(&e.location()) }</a><pre class="line" tabindex="0">{ super::shown(&e.text) }</pre></li>
                    }) }</ol>
                    </>
                },
            } }
        </section>
    }
}
