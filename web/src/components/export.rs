//! Copy as Markdown, download Markdown or JSON, print; and whether all of it is redacted.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub on_copy: Callback<()>,
    pub on_json: Callback<()>,
    pub on_md: Callback<()>,
    pub on_print: Callback<()>,
    /// Names, addresses and ids are shown and exported as aliases.
    pub redact: bool,
    pub on_redact: Callback<bool>,
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
            <label class="redact" title="Host names, domains, IP addresses, user names and client ids become aliases (host-0001, ip-0002...), the same everywhere in the report, on screen and in every export">
                <input id="redact" type="checkbox" checked={p.redact} onchange={p.on_redact.reform(|e: Event| {
                    e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()
                })} />
                { " Redact names and addresses" }
            </label>
        </div>
    }
}
