//! Every rule of the catalogue and what became of it, grouped: fired, could not run (what to
//! add, said once per missing input), passed. Each group folds.

use std::rc::Rc;

use wsus_doctor_core::{rules, Check, CheckStatus, Report};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ChecklistProps {
    pub report: Rc<Report>,
}

fn title(rule: &str) -> &'static str {
    rules::find(rule).map(|r| r.title).unwrap_or("")
}

fn rows(checks: &[&Check], label: &'static str) -> Html {
    html! {
        <table class="checks">
            <thead><tr><th scope="col">{ "Rule" }</th><th scope="col">{ "Checks" }</th><th scope="col">{ "Reads" }</th></tr></thead>
            <tbody>
            { for checks.iter().map(|c| {
                let needs: Vec<&str> = c.needs.iter().map(|k| k.name()).collect();
                html! {
                    <tr data-check={c.rule.clone()} data-status={label}>
                        <td><code>{ c.rule.clone() }</code></td>
                        <td>{ title(&c.rule) }</td>
                        <td>{ needs.join(" or ") }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

#[function_component(Checklist)]
pub fn checklist(props: &ChecklistProps) -> Html {
    let of = |st: CheckStatus| props.report.checks.iter().filter(|c| c.status == st).collect::<Vec<_>>();
    let (fired, passed) = (of(CheckStatus::Fired), of(CheckStatus::Passed));
    let missing = props.report.not_run_by_hint();
    let not_run: usize = missing.iter().map(|(_, r)| r.len()).sum();
    html! {
        <section class="checklist" aria-labelledby="checklist-h">
        <h2 id="checklist-h">{ "Checklist" }</h2>
        <p class="counts">{ format!("{} rules: {} fired, {} could not run, {} passed.", props.report.checks.len(), fired.len(), not_run, passed.len()) }</p>
        if !fired.is_empty() {
            <details class="group" data-group="fired" open=true>
                <summary>{ format!("Fired ({})", fired.len()) }</summary>
                { rows(&fired, "fired") }
            </details>
        }
        if !missing.is_empty() {
            <details class="group" data-group="not-run" open=true>
                <summary>{ format!("Could not run ({}): evidence to add", not_run) }</summary>
                <ul class="missing">
                { for missing.iter().map(|(hint, rules)| html! {
                    <li data-hint-rules={rules.join(" ")}>
                        <span class="need">{ hint.to_string() }</span>
                        <span class="lets">{ format!(" Lets {} run: ", if rules.len() == 1 { "this rule".to_string() } else { format!("{} rules", rules.len()) }) }</span>
                        { for rules.iter().enumerate().map(|(n, r)| html! {
                            <>{ if n > 0 { ", " } else { "" } }<span data-check={r.to_string()} data-status="could not run" title={title(r)}><code>{ r.to_string() }</code></span></>
                        }) }
                    </li>
                }) }
                </ul>
            </details>
        }
        if !passed.is_empty() {
            <details class="group" data-group="passed">
                <summary>{ format!("Passed ({})", passed.len()) }</summary>
                { rows(&passed, "passed") }
            </details>
        }
        </section>
    }
}
