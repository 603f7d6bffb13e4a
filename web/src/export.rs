//! The report leaving the page: Markdown to the clipboard or as a download, JSON as a download, paper.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wsus_doctor_core::Report;
use yew::Callback;

/// Copy the report as Markdown (stamped with the time); `done` hears whether the browser let it.
/// A page on plain http (an intranet IIS) has no clipboard at all: the Markdown is then offered
/// as a download instead, and `done` says so.
pub fn copy_markdown(r: &Report, done: Callback<Result<(), String>>) {
    let md = markdown_of(r);
    let navigator = gloo::utils::window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).unwrap_or(JsValue::UNDEFINED);
    if clipboard.is_undefined() || clipboard.is_null() {
        let why = match download(MARKDOWN_FILE, &md, "text/markdown") {
            Ok(()) => format!("this page has no clipboard (browsers give it only to https pages and to localhost), so the report was downloaded as {MARKDOWN_FILE} instead"),
            Err(e) => format!("this page has no clipboard, and the download could not start either ({e:?})"),
        };
        done.emit(Err(why));
        return;
    }
    let promise = navigator.clipboard().write_text(&md);
    wasm_bindgen_futures::spawn_local(async move {
        let res = wasm_bindgen_futures::JsFuture::from(promise).await;
        done.emit(res.map(|_| ()).map_err(|e| format!("the browser refused the clipboard ({e:?}); use Download Markdown instead")));
    });
}

const MARKDOWN_FILE: &str = "wsus-doctor-report.md";

/// The report as Markdown, stamped with the time it was exported.
fn markdown_of(r: &Report) -> String {
    let stamp = format!("Generated {}", wsus_doctor_core::time::utc_minute((js_sys::Date::now() / 1000.0) as i64));
    wsus_doctor_core::render::markdown(r, Some(&stamp))
}

/// Offer the report as `wsus-doctor-report.md` (works where no clipboard does).
pub fn download_markdown(r: &Report) -> Result<(), String> {
    download(MARKDOWN_FILE, &markdown_of(r), "text/markdown").map_err(|e| format!("{e:?}"))
}

/// Offer the report as `wsus-doctor-report.json`; the error says why the download did not start.
pub fn download_json(r: &Report) -> Result<(), String> {
    let json = serde_json::to_string_pretty(r).unwrap_or_default();
    download("wsus-doctor-report.json", &json, "application/json").map_err(|e| format!("{e:?}"))
}

/// Offer the fleet table as `wsus-doctor-fleet.csv` (`csv`) or `.md`, redacted as shown.
pub fn download_fleet(t: &crate::fleet::Table, csv: bool, redact: bool) -> Result<(), String> {
    let redacted = redact.then(|| t.redacted());
    let t = redacted.as_ref().unwrap_or(t);
    let res = if csv {
        download("wsus-doctor-fleet.csv", &crate::fleet::csv(t), "text/csv")
    } else {
        let stamp = format!("Generated {}", wsus_doctor_core::time::utc_minute((js_sys::Date::now() / 1000.0) as i64));
        download("wsus-doctor-fleet.md", &crate::fleet::markdown(t, &stamp), "text/markdown")
    };
    res.map_err(|e| format!("{e:?}"))
}

/// Offer the fleet's records as `wsus-doctor-fleet.ndjson` (the CLI's `fleet --format ndjson`
/// lines: per machine its findings and state, the server's findings once), redacted as shown.
pub fn download_fleet_ndjson(reports: &[Option<std::rc::Rc<Report>>], redact: bool) -> Result<(), String> {
    let stamp = wsus_doctor_core::ecs::rfc3339((js_sys::Date::now() / 1000.0) as i64);
    let mut aliases = wsus_doctor_core::redact::Aliases::default();
    if redact {
        let mut machines: Vec<&String> = reports.iter().flatten().flat_map(|r| &r.machines).collect();
        machines.sort();
        machines.iter().for_each(|m| aliases.learn_machine(m));
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for r in reports.iter().flatten() {
        let mut r = (**r).clone();
        if redact {
            wsus_doctor_core::redact::redact_report(&mut r, &mut aliases);
        }
        use wsus_doctor_core::ecs::{finding_record, shared_findings, state_record, Role};
        let mut lines = Vec::new();
        for m in &r.machines {
            let mode = r.modes.iter().find(|x| x.machine.as_deref() == Some(m.as_str()));
            let mine: Vec<_> = r.findings.iter().filter(|f| f.machine.as_deref() == Some(m.as_str())).collect();
            lines.extend(mine.iter().map(|f| finding_record(f, m, Role::Client, mode, &stamp)));
            lines.push(state_record(&r, m, Role::Client, mode, mine.len(), &[], &stamp));
        }
        lines.extend(shared_findings(&r).into_iter().map(|f| finding_record(f, "server", Role::Server, None, &stamp)));
        // every share holds the server's findings: each line once
        for line in lines.iter().map(|v| v.to_string()) {
            if seen.insert(line.clone()) {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    download("wsus-doctor-fleet.ndjson", &out, "application/x-ndjson").map_err(|e| format!("{e:?}"))
}

/// Print everything a reader of paper needs: "why this matters" and the checklist groups open
/// (a closed `<details>` prints closed, whatever the style sheet says).
pub fn print() {
    if let Ok(all) = gloo::utils::document().query_selector_all("#report details") {
        for i in 0..all.length() {
            if let Some(d) = all.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                d.set_open(true);
            }
        }
    }
    let _ = gloo::utils::window().print();
}

/// Offer `text` as a download, without any network request (a blob URL).
pub(crate) fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = gloo::utils::document().create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}
