//! Every rule of the catalogue and what became of it: fired, passed, or could not run (and why).

use std::rc::Rc;

use wsus_doctor_core::{CheckStatus, Report};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub report: Rc<Report>,
}

#[function_component(Checklist)]
pub fn checklist(props: &ChecklistProps) -> Html {
    html! {
        <>
        <h2>{ "Checklist" }</h2>
        <table class="checks">
            <thead><tr><th scope="col">{ "Rule" }</th><th scope="col">{ "Result" }</th><th scope="col">{ "Reads" }</th><th scope="col">{ "Note" }</th></tr></thead>
            <tbody>
            { for props.report.checks.iter().map(|c| {
                let (label, class) = match c.status {
                    CheckStatus::Fired => ("fired", "st-fired"),
                    CheckStatus::Passed => ("passed", "st-passed"),
                    CheckStatus::NotRun => ("could not run", "st-notrun"),
                };
                let needs: Vec<&str> = c.needs.iter().map(|k| k.name()).collect();
                html! {
                    <tr data-check={c.rule.clone()} data-status={label}>
                        <td><code>{ c.rule.clone() }</code></td>
                        <td class={class}>{ label }</td>
                        <td>{ needs.join(" or ") }</td>
                        <td>{ c.hint.clone().unwrap_or_default() }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </>
    }
}
