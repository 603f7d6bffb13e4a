//! The timeline: what happened when, one row per lane (detections, downloads, installs, error
//! codes on the client; error statuses on the server). Lane names and the time axis are HTML
//! text (legible on a phone, never clipped); each lane's marks are a small inline SVG. The axis
//! spans the evidence's dense range, so one stray line dated 9999 does not squash the rest; what
//! lies outside is said and linked under the chart. The chart is one tab stop: arrow keys move
//! between marks (roving tabindex), Enter opens a mark's first line in the input viewer.

use std::rc::Rc;

use wsus_doctor_core::timeline::{Side, Tone};
use wsus_doctor_core::{Evidence, Report};
use yew::prelude::*;

use super::viewer_href;

/// Most columns drawn, whatever the span.
const COLUMNS: i64 = 96;
/// Steps a column can take, seconds: minute to week.
const STEPS: &[i64] = &[60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];
/// Axis labels drawn.
const TICKS: i64 = 4;
/// Outlying events linked by name under the chart.
const OUTSIDE_LINKED: usize = 3;

const PLOT_W: f64 = 780.0;
const ROW_H: f64 = 16.0;

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

/// The column width for a span: the first step that fits, else whole weeks (never "50001 minutes").
fn step_for(span: i64, bucket: i64) -> i64 {
    STEPS.iter().copied().find(|s| *s >= bucket && span / s < COLUMNS).unwrap_or_else(|| {
        let week = 7 * 86_400;
        ((span / COLUMNS) / week + 1) * week
    })
}

/// The mark an arrow key moves to from mark `i` (marks sorted by row, then column).
fn moved(marks: &[Mark], i: usize, key: &str) -> Option<usize> {
    let m = marks.get(i)?;
    let same_row = |j: &usize| marks[*j].row == m.row;
    match key {
        "ArrowRight" => (i + 1 < marks.len()).then_some(i + 1).filter(same_row),
        "ArrowLeft" => i.checked_sub(1).filter(same_row),
        "Home" => (0..marks.len()).find(same_row),
        "End" => (0..marks.len()).rev().find(same_row),
        "ArrowDown" | "ArrowUp" => {
            let down = key == "ArrowDown";
            let row = marks.iter().map(|x| x.row).filter(|&r| if down { r > m.row } else { r < m.row });
            let row = if down { row.min() } else { row.max() }?;
            (0..marks.len()).filter(|&j| marks[j].row == row).min_by_key(|&j| (marks[j].col - m.col).abs())
        }
        _ => None,
    }
}

/// Focus a mark by id.
fn focus_mark(i: usize) {
    if let Some(el) = gloo::utils::document().get_element_by_id(&format!("tl-m{i}")) {
        super::viewer::panel::focus(&el);
    }
}

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let t = &props.report.timeline;
    let Some(range) = t.dense_range() else { return html! {} };
    let (start, end) = (range.first, range.last + t.bucket_seconds);
    let step = step_for((end - start).max(1), t.bucket_seconds);
    let origin = start.div_euclid(step) * step;
    let cols = ((end - origin) + step - 1) / step;
    // rows: client lanes, then server lanes, in the order first seen
    let mut order: Vec<usize> = (0..t.lanes.len()).collect();
    order.sort_by_key(|&i| (t.lanes[i].side, i));
    let row_of = |lane: usize| order.iter().position(|&l| l == lane).unwrap_or(0);
    let mut marks: Vec<Mark> = Vec::new();
    let mut outside = Vec::new();
    for c in &t.cells {
        if c.start < range.first || c.start > range.last {
            outside.push(c);
            continue;
        }
        let (row, col) = (row_of(c.lane), (c.start - origin).div_euclid(step));
        match marks.iter_mut().rev().find(|m| m.row == row && m.col == col) {
            Some(m) => m.count += c.count,
            None => marks.push(Mark { row, col, count: c.count, first: c.first.clone(), first_start: c.start }),
        }
    }
    marks.sort_by_key(|m| (m.row, m.col));
    outside.sort_by_key(|c| c.start);
    let max = marks.iter().map(|m| m.count).max().unwrap_or(1).max(1) as f64;
    let col_w = PLOT_W / cols.max(1) as f64;
    let active = (*selected).filter(|&i| i < marks.len()).unwrap_or(0);
    let sel = (*selected).and_then(|i| marks.get(i).cloned());
    let lane_name = |row: usize| t.lanes[order[row]].name.clone();
    let onkeydown = {
        let (selected, marks) = (selected.clone(), marks.clone());
        Callback::from(move |e: KeyboardEvent| {
            if let Some(j) = moved(&marks, active, &e.key()) {
                e.prevent_default();
                selected.set(Some(j));
                focus_mark(j);
            }
        })
    };
    let ticks = (0..=TICKS).map(|k| {
        let secs = start + (end - start) * k / TICKS;
        let (day, time) = when(secs).split_once(' ').map(|(d, t)| (d.to_string(), t.to_string())).unwrap_or_default();
        // evenly spread by the stylesheet (the page's CSP allows no inline style)
        html! { <span class="tl-tick">{ day }<br />{ time }</span> }
    });
    let note = if t.client_utc {
        "Times in UTC: IIS logs and decoded .etl traces are UTC; WindowsUpdate.log lines and ReportingEvents.log rows were moved to UTC with the zone they state (the log's Logging initialized tz, each row's -0700); log lines before a zone is stated stay in the client's local time."
    } else {
        "Times as each log wrote them: IIS logs and decoded .etl traces in UTC, WindowsUpdate.log and ReportingEvents.log in the client's local time."
    };
    html! {
        <section class="timeline" id="timeline" aria-labelledby="timeline-h">
            <h2 id="timeline-h">{ "Timeline" }</h2>
            <p class="hint" id="tl-range">{ format!("{} to {}, one column per {}. {note}", when(start), when(end), step_name(step)) }</p>
            <div class="tl-chart" role="group" aria-label="Events over time by kind (arrow keys move between marks)" {onkeydown}>
                { for order.iter().enumerate().map(|(row, &lane)| {
                    let l = &t.lanes[lane];
                    let side = match l.side { Side::Client => "client", Side::Server => "server" };
                    let tone = match l.tone { Tone::Ok => "ok", Tone::Activity => "activity", Tone::Failure => "failure" };
                    html! {
                        <div class={format!("tl-row side-{side}")}>
                            <span class="tl-label">{ format!("{side}: {} ({})", l.name, l.count) }</span>
                            <svg class="tl" viewBox={format!("0 0 {PLOT_W} {ROW_H}")} preserveAspectRatio="none" role="presentation">
                                <line x1="0" x2={PLOT_W.to_string()} y1={(ROW_H / 2.0).to_string()} y2={(ROW_H / 2.0).to_string()} class="tl-rule" />
                                { for marks.iter().enumerate().filter(|(_, m)| m.row == row).map(|(i, m)| {
                                    let strength = 0.35 + 0.65 * ((m.count as f64).ln_1p() / max.ln_1p());
                                    let label = format!("{} ×{} from {}; first: {}", l.name, m.count, when(origin + m.col * step), m.first.location());
                                    let pick = { let selected = selected.clone(); Callback::from(move |_| selected.set(Some(i))) };
                                    let pick_focus = { let selected = selected.clone(); Callback::from(move |_: FocusEvent| selected.set(Some(i))) };
                                    html! {
                                        <a id={format!("tl-m{i}")} href={viewer_href(&m.first)} class={format!("tl-mark tone-{tone}")} tabindex={if i == active { "0" } else { "-1" }}
                                            aria-label={label.clone()} onmouseenter={pick} onfocus={pick_focus} data-lane={l.name.clone()} data-count={m.count.to_string()}>
                                            <title>{ label }</title>
                                            <rect x={(col_w * m.col as f64).to_string()} y="1" width={col_w.max(2.0).to_string()} height={(ROW_H - 2.0).to_string()} rx="1" fill-opacity={format!("{strength:.2}")} />
                                        </a>
                                    }
                                }) }
                            </svg>
                        </div>
                    }
                }) }
                <div class="tl-row tl-axis-row" aria-hidden="true"><span class="tl-label"></span><div class="tl-axis">{ for ticks }</div></div>
            </div>
            <p class="tl-focus" aria-live="polite">{
                match &sel {
                    Some(m) => html! { <>
                        <strong>{ format!("{} ×{}", lane_name(m.row), m.count) }</strong>
                        { format!(" from {} (first at {}): ", when(origin + m.col * step), when(m.first_start)) }
                        <a href={viewer_href(&m.first)}>{ m.first.location() }</a>
                        <code class="tl-line">{ super::shown(&m.first.text) }</code>
                    </> },
                    None => html! { { "Point at a mark, or tab to the chart and use the arrow keys, to see its first line; open it to read the input around it." } },
                }
            }</p>
            if !outside.is_empty() {
                <p class="hint" id="tl-outside">
                    { format!("{} event(s) outside the range shown ({} before, {} after), too far from the rest to draw with it: ", range.before + range.after, range.before, range.after) }
                    { for outside.iter().take(OUTSIDE_LINKED).enumerate().map(|(n, c)| html! { <>
                        { if n > 0 { "; " } else { "" } }
                        { format!("{} ×{} at {} ", lane_name(row_of(c.lane)), c.count, when(c.start)) }
                        <a href={viewer_href(&c.first)}>{ super::shown(&c.first.location()) }</a>
                    </> }) }
                    { if outside.len() > OUTSIDE_LINKED { format!("; and {} more.", outside.len() - OUTSIDE_LINKED) } else { ".".to_string() } }
                </p>
            }
            { if t.untimed > 0 || t.lanes_cut > 0 { html! {
                <p class="hint">{ format!("Not drawn: {} event(s) without a usable time. {} event(s) with rarer codes or statuses share the \"other\" lanes.", t.untimed, t.lanes_cut) }</p>
            } } else { html! {} } }
        </section>
    }
}
