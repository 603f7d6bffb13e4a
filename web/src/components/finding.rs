//! One finding: title, cause link, detail, why it matters, evidence (with context on demand),
//! remedy and source. Which evidence lines are expanded is this card's own state.

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use wsus_doctor_core::{rules, Finding};
use yew::prelude::*;

use super::{finding_anchor, inline_code, source_links, viewer_href};
use crate::context::RADIUS;

#[derive(Properties, PartialEq)]
pub struct FindingProps {
    pub finding: Finding,
    /// input name → line → text, for the lines around each evidence line.
    pub context: Rc<BTreeMap<String, BTreeMap<u64, String>>>,
    /// Open the evidence explorer on this finding.
    pub on_explore: Callback<()>,
}

#[function_component(FindingCard)]
pub fn finding_card(props: &FindingProps) -> Html {
    let f = &props.finding;
    let expanded = use_state(HashSet::<usize>::new);
    let rule = rules::find(&f.rule);
    let article = rule.map(|r| r.article.short()).unwrap_or("");
    html! {
        <article id={finding_anchor(&f.rule, f.machine.as_deref())} class={classes!("finding", format!("sev-{}", f.severity.name()))} data-rule={f.rule.clone()} data-severity={f.severity.name()}>
            <header>
                <span class="badge">{ f.severity.name() }</span>
                <h3>{ f.title.clone() }</h3>
                if let Some(m) = &f.machine { <span class="machine" title="The machine whose evidence this is">{ format!("on {m}") }</span> }
                <code class="rule-id">{ f.rule.clone() }</code>
                <span class="article">{ article }</span>
            </header>
            { match &f.caused_by { Some(c) => html! { <p class="caused">{ "Probably a consequence of " }<a href={format!("#{}", finding_anchor(c, f.machine.as_deref()))}>{ c.clone() }</a>{ " (shown above)." }</p> }, None => html! {} } }
            { for f.detail.lines().map(|l| html! { <p class="detail">{ super::shown(l) }</p> }) }
            { match rule { Some(r) => html! { <details class="why"><summary>{ "Why this matters" }</summary><p>{ r.explain }</p></details> }, None => html! {} } }
            <h4>{ "Evidence" }</h4>
            <ol class="evidence">
            { for f.evidence.iter().enumerate().map(|(e, ev)| {
                let open = expanded.contains(&e);
                let lines = props.context.get(&ev.input);
                let toggle = {
                    let expanded = expanded.clone();
                    Callback::from(move |_| {
                        let mut set = (*expanded).clone();
                        if !set.remove(&e) {
                            set.insert(e);
                        }
                        expanded.set(set);
                    })
                };
                html! {
                    <li>
                        <div class="ev-head">
                            <a class="loc" href={viewer_href(ev)} title="Open the input at this line">{ super::shown(&ev.location()) }</a>
                            { if lines.is_some() { html! {
                                <button class="link ctx-toggle" aria-expanded={open.to_string()} onclick={toggle}>{ if open { "hide context" } else { "show context" } }</button>
                            } } else { html! {} } }
                        </div>
                        { if open { html! {
                            <pre class="context" tabindex="0">{ for lines.into_iter().flat_map(|m| m.range(ev.line.saturating_sub(RADIUS)..=ev.line + RADIUS)).map(|(l, t)| html! {
                                <span class={classes!("ctx-line", (*l == ev.line).then_some("hit"))}><span class="ln">{ format!("{l:>6} ") }</span>{ super::shown(t) }{ "\n" }</span>
                            }) }</pre>
                        } } else { html! { <pre class="line hit" tabindex="0"><span class="ln">{ format!("{:>6} ", ev.line) }</span>{ super::shown(&ev.text) }</pre> } } }
                    </li>
                }
            }) }
            </ol>
            <button class="link explore" onclick={props.on_explore.reform(|_: MouseEvent| ())}>{ "Explore all matching lines" }</button>
            <h4>{ "Remedy" }</h4>
            <ol class="remedy">{ for f.remedy.iter().map(|s| html! { <li>{ inline_code(s) }</li> }) }</ol>
            <p class="refs">{ for f.references.iter().map(|r| html! { <span>{ "Source: " }{ source_links(r) }</span> }) }</p>
        </article>
    }
}
