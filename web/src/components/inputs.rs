//! The evidence section: the text box, Diagnose, "Add files…" and "Add folder…", the examples,
//! where to find evidence, one chip per input, and the run's status.

use web_sys::{File, HtmlInputElement, HtmlTextAreaElement};
use wsus_doctor_core::InputKind;
use yew::prelude::*;

use super::{human_size, Chip, EvidenceSources, InputChips, Notice, Progress, StatusBar};
use crate::examples::EXAMPLES;
use crate::files::files_of;

#[derive(Properties, PartialEq)]
pub struct InputsProps {
    /// The text box (not bound to the pasted text: the page writes it only when it changes it).
    pub textarea: NodeRef,
    /// The pasted text's size when it is big enough to suggest "Add files…".
    pub big_paste: Option<usize>,
    pub running: bool,
    /// "Try an example" set the admin's evidence aside.
    pub saved: bool,
    pub chips: Vec<Chip>,
    pub progress: Option<Progress>,
    pub notice: Option<Notice>,
    pub on_paste: Callback<String>,
    pub on_files: Callback<Vec<(File, String)>>,
    pub on_diagnose: Callback<()>,
    pub on_restore: Callback<()>,
    pub on_example: Callback<usize>,
    pub on_kind: Callback<(usize, Option<InputKind>)>,
    pub on_remove: Callback<usize>,
    pub on_cancel: Callback<()>,
}

#[function_component(InputsSection)]
pub fn inputs_section(p: &InputsProps) -> Html {
    let on_paste = p.on_paste.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let on_pick = p.on_files.reform(|e: Event| {
        let input = e.target_unchecked_into::<HtmlInputElement>();
        let files = files_of(input.files());
        input.set_value("");
        files
    });
    html! {
        <section class="inputs" aria-label="Evidence">
            <label for="evidence" class="label">{ "Paste evidence (log lines, reg query / .reg text, IIS log lines; several kinds at once are fine)" }</label>
            <textarea id="evidence" ref={p.textarea.clone()} spellcheck="false" oninput={on_paste}
                placeholder="2009-12-14\t10:19:48:296\t1032\td18\tSetup\tFATAL: IsUpdateRequired failed with error 0x80244019" />
            if let Some(n) = p.big_paste {
                <p class="hint big-paste" id="big-paste">{ format!("That is {} of pasted text. For logs this big, \"Add files…\" (or dropping the file) is much faster: the page then reads the file in slices instead of holding it in the text box.", human_size(n as f64)) }</p>
            }
            <div class="actions">
                <button id="diagnose" class="primary" onclick={p.on_diagnose.reform(|_| ())} disabled={p.running}>{ "Diagnose" }</button>
                <label class="button" for="files">{ "Add files…" }
                    <input id="files" type="file" multiple=true class="visually-hidden" onchange={on_pick.clone()} aria-label="Add evidence files" />
                </label>
                <label class="button" for="folder">{ "Add folder…" }
                    <input id="folder" type="file" webkitdirectory=true multiple=true class="visually-hidden" onchange={on_pick} aria-label="Add an evidence folder" />
                </label>
                <span class="hint">{ "or drop files or folders anywhere on the page" }</span>
                if p.saved {
                    <button id="restore" onclick={p.on_restore.reform(|_| ())}>{ "Restore my evidence" }</button>
                }
            </div>
            <div class="examples">
                <span>{ "Try an example: " }</span>
                { for EXAMPLES.iter().enumerate().map(|(n, ex)| html! {
                    <button class="link example" title={ex.summary} data-example={n.to_string()} onclick={p.on_example.reform(move |_| n)}>{ ex.title }</button>
                }) }
            </div>
            <EvidenceSources />
            <InputChips chips={p.chips.clone()} on_kind={p.on_kind.clone()} on_remove={p.on_remove.clone()} />
            <StatusBar progress={p.progress} notice={p.notice.clone()} on_cancel={p.on_cancel.clone()} />
        </section>
    }
}
