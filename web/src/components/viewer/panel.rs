//! What the viewer and the explorer share as panels: they remember the control that opened
//! them and give focus back to it on Close or Escape (not to the page body).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;
use yew::prelude::*;

/// An element, not an `HtmlElement`: a timeline mark is an SVG link.
pub type Opener = Rc<RefCell<Option<Element>>>;

/// The element focused when the panel `id` was drawn, if it lies outside the panel: the link or
/// button that opened it (kept across redraws; a newer opener outside the panel replaces it).
#[hook]
pub fn use_opener(id: &'static str) -> Opener {
    let opener: Opener = use_mut_ref(|| None);
    let doc = gloo::utils::document();
    if let Some(el) = doc.active_element() {
        let inside = el.closest(&format!("#{id}")).ok().flatten().is_some();
        if !inside && doc.body().is_none_or(|b| *b != el) {
            *opener.borrow_mut() = Some(el);
        }
    }
    opener
}

/// Close the panel, then focus its opener once the page has settled (closing the viewer
/// changes the address, which scrolls; focusing afterwards brings the opener back into view).
pub fn close_to_opener(opener: &Opener, on_close: &Callback<()>) {
    let target = opener.borrow().clone();
    on_close.emit(());
    if let Some(t) = target {
        Timeout::new(0, move || {
            if t.is_connected() {
                focus(&t);
            }
        })
        .forget();
    }
}

/// Escape closes the panel (from anywhere inside it, the search box too).
pub fn escape_closes(opener: &Opener, on_close: &Callback<()>) -> Callback<KeyboardEvent> {
    let (opener, on_close) = (opener.clone(), on_close.clone());
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close_to_opener(&opener, &on_close);
        }
    })
}

/// `focus()` of any element, HTML or SVG (called by name: web-sys has it on `HtmlElement` only).
pub fn focus(el: &Element) {
    if let Ok(f) = js_sys::Reflect::get(el, &JsValue::from_str("focus")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call0(el);
        }
    }
}
