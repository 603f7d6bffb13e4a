//! "Fix first": the report's one or two root causes, each with its first step, linking to its
//! finding. The page moves focus here after a diagnosis, so a screen reader reads it first.

use std::rc::Rc;

use wsus_doctor_core::{fix_first, Report};
use yew::prelude::*;

use super::{finding_anchor, inline_code};

#[derive(Properties, PartialEq)]
pub struct FixFirstProps {
    pub report: Rc<Report>,
}

#[function_component(FixFirstBox)]
pub fn fix_first_box(props: &FixFirstProps) -> Html {
    let first = fix_first(&props.report);
    if first.is_empty() {
        return html! {};
    }
    html! {
        <section id="fix-first" class="fix-first" tabindex="-1" aria-labelledby="fix-first-h">
            <h2 id="fix-first-h">{ "Fix first" }</h2>
            <ol>
            { for first.roots.iter().map(|c| html! {
                <li data-root={c.rule.clone()} class={format!("sev-{}", c.severity.name())}>
                    <a href={format!("#{}", finding_anchor(&c.rule, c.machine.as_deref()))}>{ c.title.clone() }</a>
                    if let Some(m) = &c.machine { <span class="machine">{ format!(" on {m}") }</span> }
                    { match c.explains.len() {
                        0 => html! {},
                        n => html! { <span class="explains">{ format!(" (probably explains {n} more finding{})", if n == 1 { "" } else { "s" }) }</span> },
                    } }
                    <p class="first-step"><strong>{ "First: " }</strong>{ inline_code(&c.first_step) }</p>
                </li>
            }) }
            </ol>
            { if first.more > 0 { html! { <p class="more">{ format!("And {} more root cause(s) in the findings below.", first.more) }</p> } } else { html! {} } }
        </section>
    }
}
