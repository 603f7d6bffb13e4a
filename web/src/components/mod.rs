//! The page's parts, each a function component with `PartialEq` props: a progress tick
//! re-renders the status bar, not the report (the report's props have not changed).

mod checklist;
mod chips;
mod explorer;
mod export;
mod finding;
mod fixfirst;
mod fleet;
mod footer;
mod header;
mod inputs;
mod report;
mod sources;
mod status;
mod timeline;
mod viewer;

pub use checklist::Checklist;
pub use chips::{Chip, InputChips};
pub use explorer::Explorer;
pub use export::ExportBar;
pub use finding::FindingCard;
pub use fixfirst::FixFirstBox;
pub use fleet::FleetView;
pub use footer::PageFooter;
pub use header::PageHeader;
pub use inputs::InputsSection;
pub use report::ReportSection;
pub use sources::EvidenceSources;
pub use status::{Notice, Progress, StatusBar};
pub use timeline::Timeline;
pub use viewer::{Viewer, VIEW_RADIUS};

use yew::prelude::*;

/// The tool's own text (remedy steps), where `` `...` `` marks a command: those become `<code>`,
/// the rest stays text. Unbalanced backticks: all of it is text.
pub fn inline_code(s: &str) -> Html {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return html! { { shown(s) } };
    }
    html! { <>{ for parts.iter().enumerate().map(|(i, p)| if i % 2 == 1 { html! { <code>{ shown(p) }</code> } } else { html! { { shown(p) } } }) }</> }
}

/// A rule's source ("label, https://..."; several joined by "; ") as links. The URLs are the
/// catalogue's own, never evidence.
pub fn source_links(reference: &str) -> Html {
    html! {
        <>{ for reference.split("; ").enumerate().map(|(n, part)| {
            let sep = if n > 0 { "; " } else { "" };
            match part.rfind(", https://") {
                Some(at) => {
                    let (label, url) = (&part[..at], &part[at + 2..]);
                    html! { <>{ sep }<a href={url.to_string()} rel="noreferrer noopener" target="_blank">{ label.to_string() }</a></> }
                }
                None => html! { <>{ sep }{ part.to_string() }</> },
            }
        }) }</>
    }
}

/// A finding's element id: its rule, and its machine when the report covers several.
pub fn finding_anchor(rule: &str, machine: Option<&str>) -> String {
    match machine {
        Some(m) => format!("finding-{rule}--{m}"),
        None => format!("finding-{rule}"),
    }
}

/// The input viewer's address of an evidence line: `#view/<line>/<input>` (the input name
/// last and percent-encoded, as names may hold `/`, `#` or spaces).
pub fn viewer_href(e: &wsus_doctor_core::Evidence) -> String {
    format!("#view/{}/{}", e.line, String::from(js_sys::encode_uri_component(&e.input)))
}

/// `12.3 MB`, `4.0 KB`, `17 bytes`.
pub fn human_size(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.1} MB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.1} KB", n / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Evidence text as the page shows it: control characters, bidirectional overrides and invisible
/// characters as visible escapes (text nodes are already inert to markup; these are not to the eye).
pub fn shown(s: &str) -> String {
    wsus_doctor_core::inert::visible(s, "    ").into_owned()
}
