//! Files the admin picks or drops: their names (the path inside a folder), and the walk of a
//! dropped folder (`main.js`, as the browser hands over only a drop's top entries).

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DragEvent, File, FileList};
use yew::Callback;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `main.js`: walks dropped folders (the browser hands over only their top entries) and
    /// resolves to `[{file, path}]`. Must be called during the drop event.
    #[wasm_bindgen(catch, js_name = wsusDoctorDropped)]
    fn dropped_files(dt: &web_sys::DataTransfer) -> Result<js_sys::Promise, JsValue>;
}

/// A picked list's files, with their names.
pub fn files_of(list: Option<FileList>) -> Vec<(File, String)> {
    let mut v = Vec::new();
    if let Some(l) = list {
        for i in 0..l.length() {
            if let Some(f) = l.get(i) {
                let name = file_display_name(&f);
                v.push((f, name));
            }
        }
    }
    v
}

/// `[{file, path}]` from `wsusDoctorDropped` as (file, name) pairs.
fn named_files(v: &JsValue) -> Vec<(File, String)> {
    js_sys::Array::from(v)
        .iter()
        .filter_map(|item| {
            let file = Reflect::get(&item, &JsValue::from_str("file")).ok()?.dyn_into::<File>().ok()?;
            let path =
                Reflect::get(&item, &JsValue::from_str("path")).ok()?.as_string().filter(|p| !p.is_empty()).unwrap_or_else(|| file.name());
            Some((file, path))
        })
        .collect()
}

/// The path inside a dropped or picked folder (`pc1/WindowsUpdate.log`), else the file name.
fn file_display_name(f: &File) -> String {
    Reflect::get(f, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| f.name())
}

/// Where a drop's outcome goes.
#[derive(Clone)]
pub struct DropSinks {
    pub add: Callback<Vec<(File, String)>>,
    pub drag: Callback<bool>,
    pub failed: Callback<String>,
}

/// A drop on the page: folders are walked asynchronously, their files keep their paths as
/// names; without the walker, the drop's own files are added.
pub fn on_drop(e: DragEvent, to: &DropSinks) {
    e.prevent_default();
    let Some(dt) = e.data_transfer() else { return };
    match dropped_files(&dt) {
        Ok(walk) => {
            to.drag.emit(false);
            let to = to.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(walk).await {
                    Ok(v) => to.add.emit(named_files(&v)),
                    Err(e) => to.failed.emit(e.as_string().unwrap_or_else(|| "the browser refused to list it".into())),
                }
            });
        }
        Err(_) => to.add.emit(files_of(dt.files())),
    }
}
