//! The fleet view: one row per machine, one column per cause (most machines first), sortable by
//! any column, filtered by a term; a machine's name opens its own report below.

use std::rc::Rc;

use yew::prelude::*;

use crate::fleet::{SortBy, Table};

/// Cause columns drawn; the rest are counted in the row's total.
const COLUMNS: usize = 12;

#[derive(Properties, PartialEq)]
pub struct FleetProps {
    pub table: Rc<Table>,
    pub machines: usize,
    pub workers: usize,
    pub done: bool,
    pub elapsed_ms: f64,
    pub sort: SortBy,
    pub descending: bool,
    pub filter: String,
    pub open: Option<String>,
    pub redact: bool,
    pub on_sort: Callback<SortBy>,
    pub on_filter: Callback<String>,
    pub on_open: Callback<Option<String>>,
    pub on_md: Callback<()>,
    pub on_csv: Callback<()>,
    pub on_ndjson: Callback<()>,
    pub on_redact: Callback<bool>,
}

#[function_component(FleetView)]
pub fn fleet_view(p: &FleetProps) -> Html {
    // redacted: machine names as the core's aliases (opening one still finds it: by its row)
    let redacted = p.redact.then(|| p.table.redacted());
    let t = redacted.as_ref().unwrap_or(&p.table);
    let rows = t.view(&p.sort, p.descending, &p.filter);
    let cols = &t.columns[..t.columns.len().min(COLUMNS)];
    let head = |label: String, by: SortBy, title: String| {
        let sorted = p.sort == by;
        let aria = if sorted {
            if p.descending {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        let on = p.on_sort.reform(move |_: MouseEvent| by.clone());
        html! { <th scope="col" aria-sort={aria}><button class="sort" {title} onclick={on}>{ label }</button></th> }
    };
    let status = if p.done {
        format!(
            "{} machines diagnosed by {} workers in {:.1} s; {} causes.",
            t.rows.len(),
            p.workers,
            p.elapsed_ms / 1000.0,
            t.columns.len()
        )
    } else {
        format!("Diagnosing {} machines over {} workers: {} so far.", p.machines, p.workers, t.rows.len())
    };
    let filter = p.on_filter.reform(|e: InputEvent| e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
    let fire = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    html! {
        <section id="fleet" aria-labelledby="fleet-h">
            <h2 id="fleet-h">{ "Fleet" }</h2>
            <p id="fleet-status" role="status">{ status }</p>
            if !t.server.is_empty() {
                <div class="fleet-server"><h3>{ "The server's own findings" }</h3>
                    <ul>{ for t.server.iter().map(|c| html! { <li class={c.severity.name()}>{ format!("{}: {}", c.severity.name(), c.title) }</li> }) }</ul>
                </div>
            }
            <div class="export">
                <label>{ "Filter " }<input id="fleet-filter" type="search" value={p.filter.clone()} oninput={filter} placeholder="machine, mode or cause" /></label>
                <button id="fleet-md" onclick={fire(&p.on_md)}>{ "Download Markdown" }</button>
                <button id="fleet-csv" onclick={fire(&p.on_csv)}>{ "Download CSV" }</button>
                <button id="fleet-ndjson" onclick={fire(&p.on_ndjson)}>{ "Download NDJSON" }</button>
                <label class="redact"><input id="fleet-redact" type="checkbox" checked={p.redact}
                    onchange={p.on_redact.reform(|e: Event| e.target_unchecked_into::<web_sys::HtmlInputElement>().checked())} />{ " Redact names and addresses" }</label>
            </div>
            <div class="fleet-scroll">
            <table id="fleet-table">
                <thead><tr>
                    { head("Machine".into(), SortBy::Machine, "Sort by machine".into()) }
                    { head("Mode".into(), SortBy::Mode, "Sort by management mode".into()) }
                    { head("Causes".into(), SortBy::Count, "Sort by the number of causes".into()) }
                    { for cols.iter().map(|c| head(format!("{} ({})", c.rule, c.machines), SortBy::Cause(c.rule.clone()), format!("{}: {} machine(s)", c.title, c.machines))) }
                </tr></thead>
                <tbody>{ for rows.iter().map(|&i| {
                    let (r, m) = (&t.rows[i], p.table.rows[i].machine.clone());
                    let is_open = p.open.as_deref() == Some(m.as_str());
                    let open = p.on_open.reform(move |_: MouseEvent| Some(m.clone()));
                    html! {
                        <tr class={classes!("fleet-row", is_open.then_some("open"))}>
                            <th scope="row"><button class="link" onclick={open} aria-expanded={is_open.to_string()}>{ r.machine.clone() }</button></th>
                            <td>{ r.mode.clone() }</td>
                            <td class="count">{ r.causes.len() }</td>
                            { for cols.iter().map(|c| match r.causes.iter().find(|x| x.rule == c.rule) {
                                Some(x) => html! { <td class={classes!("hit", x.severity.name())} title={x.title.clone()}>{ "●" }</td> },
                                None => html! { <td></td> },
                            }) }
                        </tr>
                    }
                }) }</tbody>
            </table>
            </div>
            if p.open.is_some() {
                <button id="fleet-close" onclick={p.on_open.reform(|_: MouseEvent| None)}>{ "Close the machine's report" }</button>
            }
        </section>
    }
}
