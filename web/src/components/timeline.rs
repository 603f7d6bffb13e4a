//! The timeline: what happened when, one row per lane (detections, downloads, installs, error
//! codes on the client; error statuses on the server), drawn as inline SVG by the page itself.
//! The core's cells are re-bucketed to at most [`COLUMNS`] columns, so a day of client events
//! and a month of IIS log both fit. Each mark is a link to its first line in the input viewer;
//! hovering or focusing one shows what it holds.

use std::rc::Rc;

use wsus_doctor_core::timeline::{Side, Tone};
use wsus_doctor_core::{Evidence, Report};
use yew::prelude::*;

use super::viewer_href;

/// Most columns drawn, whatever the span.
const COLUMNS: i64 = 96;
/// Steps a column can take, seconds: minute to week.
const STEPS: &[i64] = &[60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];

const LABEL_W: f64 = 190.0;
const PLOT_W: f64 = 780.0;
const ROW_H: f64 = 22.0;
const TOP: f64 = 8.0;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub report: Rc<Report>,
}

/// One drawn mark: a lane's events in one column.
#[derive(Clone, PartialEq)]
struct Mark {
    row: usize,
    col: i64,
    count: u64,
    first: Evidence,
    first_start: i64,
}

fn when(secs: i64) -> String {
    wsus_doctor_core::time::utc_minute(secs).trim_end_matches(" UTC").to_string()
}

fn step_name(s: i64) -> String {
    match s {
        60 => "minute".to_string(),
        3600 => "hour".to_string(),
        86_400 => "day".to_string(),
        s if s % 86_400 == 0 => format!("{} day(s)", s / 86_400),
        s if s % 3600 == 0 => format!("{} hour(s)", s / 3600),
        s => format!("{} minutes", s / 60),
    }
}

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let t = &props.report.timeline;
    if t.is_empty() {
        return html! {};
    }
    let start = t.cells.iter().map(|c| c.start).min().unwrap_or(0);
    let end = t.cells.iter().map(|c| c.start).max().unwrap_or(0) + t.bucket_seconds;
    let span = (end - start).max(1);
    let step = STEPS
        .iter()
        .copied()
        .find(|s| *s >= t.bucket_seconds && span / s < COLUMNS)
        .unwrap_or_else(|| (span / COLUMNS + 1).max(t.bucket_seconds));
    let origin = start.div_euclid(step) * step;
    let cols = ((end - origin) + step - 1) / step;
    // rows: client lanes, then server lanes, in the order first seen
    let mut order: Vec<usize> = (0..t.lanes.len()).collect();
    order.sort_by_key(|&i| (t.lanes[i].side, i));
    let row_of = |lane: usize| order.iter().position(|&l| l == lane).unwrap_or(0);
    let mut marks: Vec<Mark> = Vec::new();
    for c in &t.cells {
        let (row, col) = (row_of(c.lane), (c.start - origin).div_euclid(step));
        match marks.iter_mut().rev().find(|m| m.row == row && m.col == col) {
            Some(m) => m.count += c.count,
            None => marks.push(Mark { row, col, count: c.count, first: c.first.clone(), first_start: c.start }),
        }
    }
    let max = marks.iter().map(|m| m.count).max().unwrap_or(1).max(1) as f64;
    let col_w = PLOT_W / cols.max(1) as f64;
    let height = TOP + ROW_H * order.len() as f64 + 28.0;
    let tick_every = (cols / 6).max(1);
    let sel = (*selected).and_then(|i| marks.get(i).cloned());
    let lane_name = |row: usize| t.lanes[order[row]].name.clone();
    html! {
        <section class="timeline" aria-labelledby="timeline-h">
            <h2 id="timeline-h">{ "Timeline" }</h2>
            <p class="hint">{ format!("{} to {}, one column per {}. {}", when(start), when(end), step_name(step), if t.client_utc {
                "Times in UTC: IIS logs and decoded .etl traces are UTC; WindowsUpdate.log lines and ReportingEvents.log rows were moved to UTC with the zone they state (the log's Logging initialized tz, each row's -0700); log lines before a zone is stated stay in the client's local time."
            } else {
                "Times as each log wrote them: IIS logs and decoded .etl traces in UTC, WindowsUpdate.log and ReportingEvents.log in the client's local time."
            }) }</p>
            <div class="tl-scroll" tabindex="0" aria-label="Timeline chart">
            <svg class="tl" viewBox={format!("0 0 {} {height}", LABEL_W + PLOT_W + 10.0)} role="group" aria-label="Events over time by kind">
                { for order.iter().enumerate().map(|(row, &lane)| {
                    let l = &t.lanes[lane];
                    let y = TOP + ROW_H * row as f64;
                    let side = match l.side { Side::Client => "client", Side::Server => "server" };
                    html! {
                        <g class={format!("lane side-{side}")}>
                            <line x1={LABEL_W.to_string()} x2={(LABEL_W + PLOT_W).to_string()} y1={(y + ROW_H / 2.0).to_string()} y2={(y + ROW_H / 2.0).to_string()} class="tl-rule" />
                            <text x={(LABEL_W - 8.0).to_string()} y={(y + ROW_H / 2.0 + 4.0).to_string()} text-anchor="end" class="tl-label">{ format!("{side}: {} ({})", l.name, l.count) }</text>
                        </g>
                    }
                }) }
                { for (0..=cols).step_by(tick_every as usize).map(|c| {
                    let x = LABEL_W + col_w * c as f64;
                    html! {
                        <g class="tl-tick">
                            <line x1={x.to_string()} x2={x.to_string()} y1={TOP.to_string()} y2={(height - 22.0).to_string()} />
                            <text x={x.to_string()} y={(height - 8.0).to_string()} text-anchor="middle">{ when(origin + c * step) }</text>
                        </g>
                    }
                }) }
                { for marks.iter().enumerate().map(|(i, m)| {
                    let l = &t.lanes[order[m.row]];
                    let tone = match l.tone { Tone::Ok => "ok", Tone::Activity => "activity", Tone::Failure => "failure" };
                    let x = LABEL_W + col_w * m.col as f64;
                    let y = TOP + ROW_H * m.row as f64 + 3.0;
                    let strength = 0.35 + 0.65 * ((m.count as f64).ln_1p() / max.ln_1p());
                    let label = format!("{} ×{} from {}; first: {}", l.name, m.count, when(origin + m.col * step), m.first.location());
                    let pick = { let selected = selected.clone(); Callback::from(move |_| selected.set(Some(i))) };
                    let pick_focus = { let selected = selected.clone(); Callback::from(move |_: FocusEvent| selected.set(Some(i))) };
                    html! {
                        <a href={viewer_href(&m.first)} class={format!("tl-mark tone-{tone}")} aria-label={label.clone()} onmouseenter={pick} onfocus={pick_focus} data-lane={l.name.clone()} data-count={m.count.to_string()}>
                            <title>{ label }</title>
                            <rect x={x.to_string()} y={y.to_string()} width={col_w.max(2.0).to_string()} height={(ROW_H - 6.0).to_string()} rx="2" fill-opacity={format!("{strength:.2}")} />
                        </a>
                    }
                }) }
            </svg>
            </div>
            <p class="tl-focus" aria-live="polite">{
                match &sel {
                    Some(m) => html! { <>
                        <strong>{ format!("{} ×{}", lane_name(m.row), m.count) }</strong>
                        { format!(" from {} (first at {}): ", when(origin + m.col * step), when(m.first_start)) }
                        <a href={viewer_href(&m.first)}>{ m.first.location() }</a>
                        <code class="tl-line">{ super::shown(&m.first.text) }</code>
                    </> },
                    None => html! { { "Point at or tab to a mark to see its first line; open it to read the input around it." } },
                }
            }</p>
            { if t.untimed > 0 || t.lanes_cut > 0 { html! {
                <p class="hint">{ format!("Not drawn: {} event(s) without a usable time. {} event(s) with rarer codes or statuses share the \"other\" lanes.", t.untimed, t.lanes_cut) }</p>
            } } else { html! {} } }
        </section>
    }
}
