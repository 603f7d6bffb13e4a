//! WSUS Doctor in the browser.
//!
//! Two faces over one wasm module: [`session::Session`], a small exported type the Web Worker
//! (`www/worker.js`) drives with file chunks, and the yew page ([`app`]), started by
//! [`run_app`] from `index.html`. The page holds UI only; all diagnosis is the core's.

pub mod app;
pub mod components;
pub mod context;
pub mod examples;
pub mod export;
pub mod files;
pub mod fleet;
pub mod plan;
pub mod pool;
pub mod protocol;
pub mod session;
pub mod state;
pub mod worker;

use wasm_bindgen::prelude::*;

/// Mount the page on `#app`. Called explicitly by index.html (not `start`), so the worker can
/// load the same module without starting a UI.
#[wasm_bindgen]
pub fn run_app() -> Result<(), JsError> {
    let root = gloo::utils::document().get_element_by_id("app").ok_or_else(|| JsError::new("the page has no #app element to mount on"))?;
    yew::Renderer::<app::App>::with_root(root).render();
    Ok(())
}
