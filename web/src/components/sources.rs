//! "Where is the evidence?": per kind, the machine, the path and a command that collects it
//! (the same list as `wsus-doctor --help`, from the core), so an admin knows what to bring.

use wsus_doctor_core::collect::SOURCES;
use yew::prelude::*;

#[function_component(EvidenceSources)]
pub fn evidence_sources() -> Html {
    html! {
        <details class="sources">
            <summary>{ "Where is the evidence? (a whole folder or a .zip of it can be dropped at once)" }</summary>
            <dl>
                { for SOURCES.iter().map(|s| html! {
                    <>
                        <dt>{ s.what }<span class="machine">{ format!(" — on the {}", s.machine) }</span></dt>
                        <dd>
                            <code class="path">{ s.path }</code>
                            <pre class="cmd" tabindex="0">{ s.command }</pre>
                        </dd>
                    </>
                }) }
            </dl>
        </details>
    }
}
