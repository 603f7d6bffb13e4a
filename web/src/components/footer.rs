//! Where the rules come from, how many there are, and (on the hosted page) the single file.

use wsus_doctor_core::rules;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FooterProps {
    /// This is the single-file page: no link to itself.
    pub single_file: bool,
}

#[function_component(PageFooter)]
pub fn page_footer(p: &FooterProps) -> Html {
    html! {
        <footer>
            { "Rules from Microsoft KB978335 and the WSUS 2.0 guide \"Automatic Updates Must Be Updated\"; error names from the Windows SDK. " }
            <span>{ format!("{} rules.", rules::CATALOGUE.len()) }</span>
            if !p.single_file {
                { " " }<a id="single-file" href="./wsus-doctor.html" download="wsus-doctor.html">{ "Download the single-file page" }</a>
                { " (one HTML file that works from disk, offline: mail it or keep it on a USB stick)." }
            }
        </footer>
    }
}
