//! The state as the page's `use_reducer` holds it: a [`State`] with the worker it reduces
//! against, the text box it writes back to, and where focus goes once the page is drawn.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::{Callback, NodeRef, Reducible};

use super::{Action, Focus, State};
use crate::protocol::FromWorker;
use crate::worker::WorkerLink;

#[derive(Clone)]
pub struct Page {
    pub state: State,
    /// Shared by every version of the page: there is one worker.
    worker: Rc<RefCell<WorkerLink>>,
    /// The text box is not bound to the pasted text: re-setting a multi-megabyte value on each
    /// redraw costs seconds of layout. The page writes it only when it changes the paste itself.
    textarea: NodeRef,
    /// Focus asked for by transitions, taken once the page is drawn.
    focus: Rc<RefCell<Focus>>,
}

impl Page {
    pub fn new(textarea: NodeRef) -> Page {
        Page { state: State::default(), worker: Rc::new(RefCell::new(WorkerLink::idle())), textarea, focus: Rc::default() }
    }

    /// Send the worker's messages to the reducer (and start the worker).
    pub fn connect(&self, dispatch: Callback<Action>) {
        let on_pool = dispatch.reform(|(k, m): (usize, Result<FromWorker, String>)| match m {
            Ok(m) => Action::Fleet(k, m),
            Err(e) => Action::FleetBroken(e),
        });
        self.worker.borrow_mut().connect(
            dispatch.reform(|m: Result<FromWorker, String>| match m {
                Ok(m) => Action::Worker(m),
                Err(e) => Action::WorkerBroken(e),
            }),
            on_pool,
        );
    }

    /// Once drawn: the explorer when it got its lines; else the viewer when it got its lines
    /// (scrolled to its line); else a new report's summary (or its heading): keyboard and screen
    /// reader users land on the result, not back at the Diagnose button. One per drawing.
    pub fn move_focus(&self) {
        let doc = gloo::utils::document();
        let focus = |id: &str| {
            if let Some(e) = doc.get_element_by_id(id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = e.focus();
            }
        };
        let mut f = self.focus.borrow_mut();
        if std::mem::take(&mut f.explorer) {
            focus("explorer");
        } else if std::mem::take(&mut f.viewer) {
            focus("viewer");
            if let Some(line) = self.state.viewer.as_ref().and_then(|v| doc.get_element_by_id(&format!("L{}", v.line))) {
                line.scroll_into_view_with_bool(false);
            }
        } else if std::mem::take(&mut f.report) {
            let target = doc.get_element_by_id("fix-first").or_else(|| doc.get_element_by_id("report-h"));
            if let Some(el) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = el.focus();
            }
        }
    }
}

impl Reducible for Page {
    type Action = Action;

    /// [`State::reduce`], then what it asks of the page besides a redraw.
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let typing = matches!(action, Action::Paste(_));
        let mut next = (*self).clone();
        let out = next.state.reduce(action, &mut *self.worker.borrow_mut());
        if !out.render && !typing {
            return self; // nothing changed (a drag still over the page)
        }
        let asked = std::mem::take(&mut next.state.focus);
        {
            let mut f = self.focus.borrow_mut();
            f.report |= asked.report;
            f.viewer |= asked.viewer;
            f.explorer |= asked.explorer;
        }
        if out.show_paste {
            if let Some(t) = self.textarea.cast::<HtmlTextAreaElement>() {
                t.set_value(&next.state.inputs.paste);
            }
        }
        if out.to_report {
            let _ = gloo::utils::window().location().set_hash("report");
        }
        Rc::new(next)
    }
}
