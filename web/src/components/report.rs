//! The report: out-of-date note, inputs for paper, what to fix first, the viewer and the
//! explorer when open, the timeline, the counts with the export buttons, findings, checklist.

use std::collections::BTreeMap;
use std::rc::Rc;

use wsus_doctor_core::{Report, Severity};
use yew::prelude::*;

use super::{human_size, Checklist, Explorer, ExportBar, FindingCard, FixFirstBox, Timeline, Viewer};
use crate::state::{ExplorerState, ViewerState};

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub report: Rc<Report>,
    /// input name → line → text, for the lines around each evidence line.
    pub context: Rc<BTreeMap<String, BTreeMap<u64, String>>>,
    /// The evidence changed after this report was made.
    pub stale: bool,
    /// How long the run took (0: not known) and how many bytes it read.
    pub elapsed_ms: f64,
    pub bytes_done: f64,
    pub viewer: Option<ViewerState>,
    pub explorer: Option<ExplorerState>,
    pub on_diagnose: Callback<()>,
    pub on_close_viewer: Callback<()>,
    /// The viewer asks the worker for the next match past its window.
    #[prop_or_default]
    pub on_find_in_viewer: Callback<(wsus_doctor_core::find::Target, bool)>,
    /// Explore a finding: its rule and machine.
    pub on_explore: Callback<(String, Option<String>)>,
    pub on_explore_term: Callback<String>,
    pub on_close_explorer: Callback<()>,
    pub on_copy: Callback<()>,
    pub on_json: Callback<()>,
    pub on_md: Callback<()>,
    pub on_print: Callback<()>,
    pub redact: bool,
    pub on_redact: Callback<bool>,
}

#[function_component(ReportSection)]
pub fn report_section(p: &ReportProps) -> Html {
    let report = &p.report;
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let speed = if p.elapsed_ms > 0.0 { format!(" Read {} in {:.0} ms.", human_size(p.bytes_done), p.elapsed_ms) } else { String::new() };
    let stale = p.stale;
    // the viewer opens after the finding (or the timeline) whose link opened it, the explorer
    // after its finding: next to what the admin was reading, not at the top of the report
    let anchors: Vec<String> = report.findings.iter().map(|f| super::finding_anchor(&f.rule, f.machine.as_deref())).collect();
    let near_id = p.viewer.as_ref().and_then(|v| v.near.clone()).filter(|n| n == "timeline" || anchors.contains(n));
    let near = |id: &str| near_id.as_deref() == Some(id);
    let placed = near_id.is_some();
    let viewer_panel = match &p.viewer {
        Some(v) => {
            let binary = report.inputs.iter().any(|i| i.name == v.name && matches!(i.format.as_deref(), Some("etl" | "evtx")));
            let inputs: Vec<String> = report
                .inputs
                .iter()
                .filter(|i| i.kind.is_some() && !i.name.to_ascii_lowercase().ends_with(".zip"))
                .map(|i| i.name.clone())
                .collect();
            html! { <Viewer key={near_id.clone().unwrap_or_default()} name={v.name.clone()} line={v.line} window={v.window.clone()} problem={v.problem.clone()}
            unit={if binary { "record" } else { "line" }} on_close={p.on_close_viewer.clone()} others={v.others.clone()} inputs={inputs}
            seek={v.seek.clone()} span={v.span} on_find={p.on_find_in_viewer.clone()} /> }
        }
        None => html! {},
    };
    let explorer_panel = match &p.explorer {
        Some(x) => html! { <Explorer state={x.clone()} on_search={p.on_explore_term.clone()} on_close={p.on_close_explorer.clone()} /> },
        None => html! {},
    };
    html! {
        <section id="report" aria-label="Report" class={classes!(stale.then_some("stale"))}>
            if stale {
                <p class="stale-note" id="stale" role="status">
                    { "Out of date: the evidence changed after this report was made. " }
                    <button class="primary" onclick={p.on_diagnose.reform(|_| ())}>{ "Diagnose again" }</button>
                </p>
            }
            <section class="print-only" aria-hidden="true">
                <h2>{ "Inputs" }</h2>
                <ul>{ for report.inputs.iter().map(|i| html! {
                    <li>{ format!("{}: {}, {} {}", i.name, i.kind.map(|k| k.name()).unwrap_or("not recognised"), i.lines, if i.format.is_some() { "records" } else { "lines" }) }</li>
                }) }</ul>
            </section>
            <FixFirstBox report={report.clone()} />
            { if !placed { viewer_panel.clone() } else { html! {} } }
            <Timeline report={report.clone()} />
            { if near("timeline") { viewer_panel.clone() } else { html! {} } }
            <div class="report-head">
                <h2 id="report-h" tabindex="-1">{ "Findings" }</h2>
                <p class="counts">
                    { format!("{}{} error(s), {} warning(s), {} info.{speed}", match count(Severity::Critical) { 0 => String::new(), n => format!("{n} critical, ") }, count(Severity::Error), count(Severity::Warning), count(Severity::Info)) }
                </p>
                <ExportBar on_copy={p.on_copy.clone()} on_json={p.on_json.clone()} on_md={p.on_md.clone()} on_print={p.on_print.clone()}
                    redact={p.redact} on_redact={p.on_redact.clone()} />
            </div>
            { if report.nothing_read() {
                html! { <p class="none nothing-read" role="status">{ report.nothing_read_message() }</p> }
            } else if report.findings.is_empty() {
                html! { <p class="none">{ "No problems found by the rules that could run. See the checklist for what was checked." }</p> }
            } else { html! {} } }
            if !report.machines.is_empty() {
                <p class="machines" id="machines">{ format!("Machines: {}. The inputs came from {} machines' folders; each was diagnosed apart, and the shared files (the server's logs, typically) count for all.", report.machines.join(", "), report.machines.len()) }</p>
            }
            if !report.modes.is_empty() {
                <ul class="modes" id="modes" aria-label="How each machine gets its updates">
                    { for report.modes.iter().map(|m| html! { <li class={classes!("mode", format!("mode-{}", m.mode.id()))}>{ super::shown(&format!("How it gets updates: {}", m.summary())) }</li> }) }
                </ul>
            }
            { for report.findings.iter().map(|f| {
                let (rule, machine) = (f.rule.clone(), f.machine.clone());
                let anchor = super::finding_anchor(&f.rule, f.machine.as_deref());
                let explored = p.explorer.as_ref().is_some_and(|x| x.rule == f.rule && x.machine == f.machine);
                html! { <>
                    <FindingCard finding={f.clone()} context={p.context.clone()}
                        on_explore={p.on_explore.reform(move |_| (rule.clone(), machine.clone()))} />
                    if explored { { explorer_panel.clone() } }
                    if near(&anchor) { { viewer_panel.clone() } }
                </> }
            }) }
            <Checklist report={report.clone()} />
        </section>
    }
}
