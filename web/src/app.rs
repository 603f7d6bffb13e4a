//! The page: a [`Page`] in `use_reducer`, its actions wired to the sections' callbacks. The
//! state and its transitions are in [`crate::state`], the worker in [`crate::worker`], the
//! parts in [`crate::components`]. Everything shown comes from the core's report; pasted text
//! is only ever rendered as text.

use std::rc::Rc;

use gloo::events::EventListener;
use web_sys::{DragEvent, File};
use wsus_doctor_core::{InputKind, Report};
use yew::prelude::*;

use crate::components::{FleetView, InputsSection, PageFooter, PageHeader, ReportSection};
use crate::export::{copy_markdown, download_json, download_markdown, print};
use crate::files::{on_drop, DropSinks};
use crate::state::{Action, InputRef, Page, BIG_PASTE};
use crate::worker::is_single_file;

/// The callbacks that only dispatch an action, made once: a section whose own props did not
/// change (the report, while a run ticks) is not drawn again.
struct Wiring {
    paste: Callback<String>,
    files: Callback<Vec<(File, String)>>,
    diagnose: Callback<()>,
    restore: Callback<()>,
    example: Callback<usize>,
    cancel: Callback<()>,
    drop: Callback<DragEvent>,
    drag_over: Callback<DragEvent>,
    drag_leave: Callback<DragEvent>,
    close_viewer: Callback<()>,
    find_in_viewer: Callback<(wsus_doctor_core::find::Target, bool)>,
    explore: Callback<(String, Option<String>)>,
    explore_term: Callback<String>,
    close_explorer: Callback<()>,
    print: Callback<()>,
    redact: Callback<bool>,
    fleet_sort: Callback<crate::fleet::SortBy>,
    fleet_filter: Callback<String>,
    fleet_open: Callback<Option<String>>,
    fleet_ndjson: Callback<()>,
}

impl Wiring {
    fn new(d: &Callback<Action>) -> Wiring {
        let act = |a: fn() -> Action| d.reform(move |()| a());
        let sinks = DropSinks { add: d.reform(Action::AddFiles), drag: d.reform(Action::Drag), failed: d.reform(Action::DropFailed) };
        Wiring {
            paste: d.reform(Action::Paste),
            files: d.reform(Action::AddFiles),
            diagnose: act(|| Action::Diagnose),
            restore: act(|| Action::Restore),
            example: d.reform(Action::Example),
            cancel: act(|| Action::Cancel),
            drop: Callback::from(move |e: DragEvent| on_drop(e, &sinks)),
            drag_over: d.reform(|e: DragEvent| {
                e.prevent_default();
                Action::Drag(true)
            }),
            drag_leave: d.reform(|_: DragEvent| Action::Drag(false)),
            close_viewer: act(|| Action::CloseViewer),
            find_in_viewer: d.reform(|(target, forward)| Action::Find(target, forward)),
            explore: d.reform(|(rule, machine): (String, Option<String>)| Action::Explore(rule, machine)),
            explore_term: d.reform(Action::ExploreTerm),
            close_explorer: act(|| Action::CloseExplorer),
            print: Callback::from(|()| print()),
            redact: d.reform(Action::Redact),
            fleet_sort: d.reform(Action::FleetSort),
            fleet_filter: d.reform(Action::FleetFilter),
            fleet_open: d.reform(Action::FleetOpen),
            fleet_ndjson: act(|| Action::FleetNdjson),
        }
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let textarea = use_node_ref();
    let page = {
        let textarea = textarea.clone();
        use_reducer(move || Page::new(textarea))
    };
    let dispatch = page.dispatcher().to_callback();
    // once: the worker's messages and the address (`#view/...` opens the input viewer) come in
    {
        let (page, d) = (page.clone(), dispatch.clone());
        use_effect_with((), move |_| {
            page.connect(d.clone());
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                d.emit(Action::Hash(gloo::utils::window().location().hash().unwrap_or_default()))
            });
            move || drop(listener)
        });
    }
    {
        let page = page.clone();
        use_effect(move || page.move_focus());
    }
    let w = {
        let d = dispatch.clone();
        use_memo((), move |_| Wiring::new(&d))
    };
    // chip position → input, as the chips are now
    let s = &page.state;
    let (on_kind, on_remove) = {
        let d = dispatch.clone();
        use_memo(s.inputs.items.len(), move |&files| {
            let at = move |i: usize| if i < files { InputRef::File(i) } else { InputRef::Paste };
            (d.reform(move |(i, k): (usize, Option<InputKind>)| Action::SetKind(at(i), k)), d.reform(move |i: usize| Action::Remove(at(i))))
        })
        .as_ref()
        .clone()
    };
    let report: Option<Rc<Report>> = s.run.shown.as_ref().map(|s| s.report.clone());
    let on_copy = {
        let d = dispatch.clone();
        use_callback(report.clone(), move |(), r| {
            if let Some(r) = r {
                copy_markdown(r, d.reform(Action::Copied));
            }
        })
    };
    let on_json = {
        let d = dispatch.clone();
        use_callback(report.clone(), move |(), r| {
            if let Some(Err(e)) = r.as_ref().map(|r| download_json(r)) {
                d.emit(Action::DownloadFailed(e));
            }
        })
    };
    let on_md = {
        let d = dispatch.clone();
        use_callback(report, move |(), r| {
            if let Some(Err(e)) = r.as_ref().map(|r| download_markdown(r)) {
                d.emit(Action::DownloadFailed(e));
            }
        })
    };
    let table = s.fleet.as_ref().map(|f| f.table.clone());
    let (on_fleet_md, on_fleet_csv) = {
        let d = dispatch.clone();
        let md = use_callback((table.clone(), s.redact), {
            let d = d.clone();
            move |(), (t, redact)| {
                if let Some(Err(e)) = t.as_ref().map(|t| crate::export::download_fleet(t, false, *redact)) {
                    d.emit(Action::DownloadFailed(e));
                }
            }
        });
        let csv = use_callback((table, s.redact), move |(), (t, redact)| {
            if let Some(Err(e)) = t.as_ref().map(|t| crate::export::download_fleet(t, true, *redact)) {
                d.emit(Action::DownloadFailed(e));
            }
        });
        (md, csv)
    };
    let big_paste = (s.inputs.paste.len() > BIG_PASTE).then_some(s.inputs.paste.len());
    html! {
        <div class={classes!("page", s.dragging.then_some("dragging"))}
             ondrop={w.drop.clone()} ondragover={w.drag_over.clone()} ondragleave={w.drag_leave.clone()}>
            <PageHeader />
            <main id="main">
            <InputsSection textarea={textarea} big_paste={big_paste} running={s.run.running.is_some()}
                saved={s.inputs.saved.is_some()} chips={s.chips()} progress={s.run.running.as_ref().map(|r| r.progress)}
                notice={s.notice.clone()} on_paste={w.paste.clone()} on_files={w.files.clone()} on_diagnose={w.diagnose.clone()}
                on_restore={w.restore.clone()} on_example={w.example.clone()} on_kind={on_kind} on_remove={on_remove}
                on_cancel={w.cancel.clone()} />
            <p id="announce" class="visually-hidden" aria-live="polite" aria-atomic="true">{ s.run.announce.clone() }</p>
            if let Some(f) = &s.fleet {
                <FleetView table={f.table.clone()} machines={f.machines} workers={f.workers} done={f.done()} elapsed_ms={f.elapsed_ms}
                    sort={f.sort.clone()} descending={f.descending} filter={f.filter.clone()} open={f.open.clone()} redact={s.redact}
                    on_sort={w.fleet_sort.clone()} on_filter={w.fleet_filter.clone()} on_open={w.fleet_open.clone()}
                    on_md={on_fleet_md} on_csv={on_fleet_csv} on_ndjson={w.fleet_ndjson.clone()} on_redact={w.redact.clone()} />
            }
            if let Some(shown) = &s.run.shown {
                <ReportSection report={shown.report.clone()} context={shown.context.clone()} stale={s.stale()}
                    elapsed_ms={s.run.elapsed_ms} bytes_done={s.run.bytes_done} viewer={s.viewer.clone()} explorer={s.explorer.clone()}
                    on_diagnose={w.diagnose.clone()} on_close_viewer={w.close_viewer.clone()} on_find_in_viewer={w.find_in_viewer.clone()} on_explore={w.explore.clone()}
                    on_explore_term={w.explore_term.clone()} on_close_explorer={w.close_explorer.clone()}
                    on_copy={on_copy} on_json={on_json} on_md={on_md} on_print={w.print.clone()}
                    redact={s.redact} on_redact={w.redact.clone()} />
            }
            </main>
            <PageFooter single_file={is_single_file()} />
        </div>
    }
}
