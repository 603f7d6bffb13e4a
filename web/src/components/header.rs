//! The page's title, what it reads, and that nothing leaves the machine.

use yew::prelude::*;

#[function_component(PageHeader)]
pub fn page_header() -> Html {
    html! {
        <header class="top">
            <h1>{ "WSUS Doctor" }</h1>
            <p class="tagline">{ "Paste or drop what the client and the WSUS server left behind: Windows Update .etl traces, event logs (.evtx), ReportingEvents.log, WindowsUpdate.log, registry exports, IIS logs, or a folder or .zip of them; get findings with evidence, cause, remedy and the Microsoft article behind them." }</p>
            <p class="privacy" id="privacy">{ "Runs entirely in this page: nothing you paste or drop leaves your machine (the page's Content Security Policy forbids any request after it loads)." }</p>
        </header>
    }
}
