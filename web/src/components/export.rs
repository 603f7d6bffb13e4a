//! Copy as Markdown, download Markdown or JSON, print.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub on_copy: Callback<()>,
    pub on_json: Callback<()>,
    pub on_md: Callback<()>,
    pub on_print: Callback<()>,
}

#[function_component(ExportBar)]
pub fn export_bar(p: &ExportProps) -> Html {
    let fire = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="export">
            <button id="copy-md" onclick={fire(&p.on_copy)}>{ "Copy as Markdown" }</button>
            <button id="download-md" onclick={fire(&p.on_md)}>{ "Download Markdown" }</button>
            <button id="download-json" onclick={fire(&p.on_json)}>{ "Download JSON" }</button>
            <button id="print" onclick={fire(&p.on_print)}>{ "Print" }</button>
        </div>
    }
}
