//! The page: wires the [`State`]'s actions to the sections' callbacks, runs the reducer with the
//! worker as its [`crate::state::Port`], and moves focus once a new report, the viewer's lines
//! or the explorer's are drawn. Everything shown comes from the core's report; pasted text is
//! only ever rendered as text. The state is in [`crate::state`], the parts in [`crate::components`].

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlTextAreaElement};
use wsus_doctor_core::InputKind;
use yew::prelude::*;

use crate::components::{InputsSection, PageFooter, PageHeader, ReportSection};
use crate::files::{on_drop, DropSinks};
use crate::state::{Action, State, BIG_PASTE};
use crate::worker::{is_single_file, WorkerLink};

use crate::state::InputRef;

pub enum Msg {
    Act(Action),
    CopyMarkdown,
    DownloadJson,
    Print,
}

impl From<Action> for Msg {
    fn from(a: Action) -> Msg {
        Msg::Act(a)
    }
}

/// The page's callbacks, made once: a section whose own props did not change (the report,
/// while a run ticks) is not drawn again.
struct Wiring {
    paste: Callback<String>,
    files: Callback<Vec<(File, String)>>,
    diagnose: Callback<()>,
    restore: Callback<()>,
    example: Callback<usize>,
    cancel: Callback<()>,
    drop: DropSinks,
    close_viewer: Callback<()>,
    explore: Callback<(String, Option<String>)>,
    explore_term: Callback<String>,
    close_explorer: Callback<()>,
    copy: Callback<()>,
    json: Callback<()>,
    print: Callback<()>,
}

impl Wiring {
    fn new(link: &yew::html::Scope<App>) -> Wiring {
        let act = |f: fn() -> Action| link.callback(move |_: ()| f());
        Wiring {
            paste: link.callback(Action::Paste),
            files: link.callback(Action::AddFiles),
            diagnose: act(|| Action::Diagnose),
            restore: act(|| Action::Restore),
            example: link.callback(Action::Example),
            cancel: act(|| Action::Cancel),
            drop: DropSinks {
                add: link.callback(Action::AddFiles),
                drag: link.callback(Action::Drag),
                failed: link.callback(Action::DropFailed),
            },
            close_viewer: act(|| Action::CloseViewer),
            explore: link.callback(|(rule, machine): (String, Option<String>)| Action::Explore(rule, machine)),
            explore_term: link.callback(Action::ExploreTerm),
            close_explorer: act(|| Action::CloseExplorer),
            copy: link.callback(|_: ()| Msg::CopyMarkdown),
            json: link.callback(|_: ()| Msg::DownloadJson),
            print: link.callback(|_: ()| Msg::Print),
        }
    }
}

pub struct App {
    state: State,
    worker: WorkerLink,
    wiring: Wiring,
    /// The text box is not bound to the pasted text: re-setting a multi-megabyte value on each
    /// redraw costs seconds of layout. The page writes it only when it changes the paste itself.
    textarea: NodeRef,
    _hash_listener: EventListener,
}

impl App {
    /// Run the reducer, then what it asks of the page besides a redraw.
    fn act(&mut self, action: Action) -> bool {
        let out = self.state.reduce(action, &mut self.worker);
        if out.show_paste {
            if let Some(t) = self.textarea.cast::<HtmlTextAreaElement>() {
                t.set_value(&self.state.inputs.paste);
            }
        }
        if out.to_report {
            let _ = gloo::utils::window().location().set_hash("report");
        }
        out.render
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let on_message = ctx.link().callback(|m: Result<_, String>| match m {
            Ok(m) => Action::Worker(m),
            Err(e) => Action::WorkerBroken(e),
        });
        App {
            state: State::default(),
            worker: WorkerLink::new(on_message),
            wiring: Wiring::new(ctx.link()),
            textarea: NodeRef::default(),
            _hash_listener: EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                link.send_message(Action::Hash(gloo::utils::window().location().hash().unwrap_or_default()))
            }),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let report = || self.state.run.shown.as_ref().map(|s| s.report.clone());
        match msg {
            Msg::Act(action) => self.act(action),
            Msg::CopyMarkdown => {
                if let Some(r) = report() {
                    crate::export::copy_markdown(&r, ctx.link().callback(Action::Copied));
                }
                false
            }
            Msg::DownloadJson => match report().map(|r| crate::export::download_json(&r)) {
                Some(Err(e)) => self.act(Action::DownloadFailed(e)),
                _ => false,
            },
            Msg::Print => {
                crate::export::print();
                false
            }
        }
    }

    /// After a new report is drawn, focus its summary (or its heading): keyboard and screen
    /// reader users land on the result, not back at the Diagnose button.
    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        let doc = gloo::utils::document();
        let focus = |id: &str| {
            if let Some(e) = doc.get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = e.focus();
            }
        };
        let f = &mut self.state.focus;
        if std::mem::take(&mut f.explorer) {
            focus("explorer");
        } else if std::mem::take(&mut f.viewer) {
            focus("viewer");
            if let Some(line) = self.state.viewer.as_ref().and_then(|v| doc.get_element_by_id(&format!("L{}", v.line))) {
                line.scroll_into_view_with_bool(false);
            }
        } else if std::mem::take(&mut f.report) {
            let target = doc.get_element_by_id("fix-first").or_else(|| doc.get_element_by_id("report-h"));
            if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let (s, w) = (&self.state, &self.wiring);
        let drop = w.drop.clone();
        let link = ctx.link();
        let refs: Vec<InputRef> = (0..=s.inputs.items.len()).map(|i| s.inputs.input_ref(i)).collect();
        let on_kind = {
            let refs = refs.clone();
            link.callback(move |(i, k): (usize, Option<InputKind>)| Action::SetKind(refs.get(i).copied().unwrap_or(InputRef::Paste), k))
        };
        let on_remove = link.callback(move |i: usize| Action::Remove(refs.get(i).copied().unwrap_or(InputRef::Paste)));
        let big_paste = (s.inputs.paste.len() > BIG_PASTE).then_some(s.inputs.paste.len());
        html! {
            <div class={classes!("page", s.dragging.then_some("dragging"))}
                 ondrop={Callback::from(move |e: DragEvent| on_drop(e, &drop))}
                 ondragover={link.callback(|e: DragEvent| { e.prevent_default(); Action::Drag(true) })}
                 ondragleave={link.callback(|_: DragEvent| Action::Drag(false))}>
                <PageHeader />
                <main id="main">
                <InputsSection textarea={self.textarea.clone()} big_paste={big_paste} running={s.run.running.is_some()}
                    saved={s.inputs.saved.is_some()} chips={s.chips()} progress={s.run.running.as_ref().map(|r| r.progress)}
                    notice={s.notice.clone()} on_paste={w.paste.clone()} on_files={w.files.clone()} on_diagnose={w.diagnose.clone()}
                    on_restore={w.restore.clone()} on_example={w.example.clone()} on_kind={on_kind} on_remove={on_remove}
                    on_cancel={w.cancel.clone()} />
                <p id="announce" class="visually-hidden" aria-live="polite" aria-atomic="true">{ s.run.announce.clone() }</p>
                if let Some(shown) = &s.run.shown {
                    <ReportSection report={shown.report.clone()} context={shown.context.clone()} stale={s.stale()}
                        elapsed_ms={s.run.elapsed_ms} bytes_done={s.run.bytes_done} viewer={s.viewer.clone()} explorer={s.explorer.clone()}
                        on_diagnose={w.diagnose.clone()} on_close_viewer={w.close_viewer.clone()} on_explore={w.explore.clone()}
                        on_explore_term={w.explore_term.clone()} on_close_explorer={w.close_explorer.clone()}
                        on_copy={w.copy.clone()} on_json={w.json.clone()} on_print={w.print.clone()} />
                }
                </main>
                <PageFooter single_file={is_single_file()} />
            </div>
        }
    }
}
