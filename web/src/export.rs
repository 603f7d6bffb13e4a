//! The report leaving the page: Markdown to the clipboard, JSON as a download, paper.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wsus_doctor_core::Report;
use yew::Callback;

/// Copy the report as Markdown (stamped with the time); `done` hears whether the browser let it.
pub fn copy_markdown(r: &Report, done: Callback<Result<(), String>>) {
    let stamp = format!("Generated {}", wsus_doctor_core::time::utc_minute((js_sys::Date::now() / 1000.0) as i64));
    let md = wsus_doctor_core::render::markdown(r, Some(&stamp));
    let clip = gloo::utils::window().navigator().clipboard();
    let promise = clip.write_text(&md);
    wasm_bindgen_futures::spawn_local(async move {
        let res = wasm_bindgen_futures::JsFuture::from(promise).await;
        done.emit(res.map(|_| ()).map_err(|e| format!("{e:?}")));
    });
}

/// Offer the report as `wsus-doctor-report.json`; the error says why the download did not start.
pub fn download_json(r: &Report) -> Result<(), String> {
    let json = serde_json::to_string_pretty(r).unwrap_or_default();
    download("wsus-doctor-report.json", &json, "application/json").map_err(|e| format!("{e:?}"))
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
fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
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
