//! Progress of a run (with Cancel) and the page's one message line.

use yew::prelude::*;

use super::human_size;

/// A message to the admin.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// Bytes read so far of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub done: f64,
    pub total: f64,
}

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub progress: Option<Progress>,
    pub notice: Option<Notice>,
    pub on_cancel: Callback<()>,
}

#[function_component(StatusBar)]
pub fn status_bar(p: &StatusProps) -> Html {
    let msg = match &p.notice {
        Some(Notice::Error(m)) => html! { <p class="message error" role="status">{ m.clone() }</p> },
        Some(Notice::Info(m)) => html! { <p class="message" role="status">{ m.clone() }</p> },
        None => html! {},
    };
    let Some(r) = p.progress else { return msg };
    let pct = if r.total > 0.0 { (r.done / r.total * 100.0).min(100.0) } else { 0.0 };
    let cancel = p.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="progress" role="status" aria-live="polite">
            <progress id="progress" max="100" value={format!("{pct:.0}")} aria-label="Diagnosis progress"></progress>
            <span>{ format!("Reading {} of {}", human_size(r.done), human_size(r.total)) }</span>
            <button id="cancel" onclick={cancel}>{ "Cancel" }</button>
            { msg }
        </div>
    }
}
