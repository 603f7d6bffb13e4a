//! A run over many machines: planned first (which machines the inputs hold), then spread over a
//! pool of workers, each diagnosing its share; their reports make the fleet table. Opening a
//! machine shows its own report below the table.

use std::rc::Rc;

use wsus_doctor_core::Report;

use super::run::{now, Running, Shown};
use super::{InputItem, Port, Request, SendError, State};
use crate::components::{Notice, Progress};
use crate::context::WebResult;
use crate::fleet::{machine_report, SortBy, Table, FLEET_MIN};
use crate::protocol::FromWorker;

#[derive(Clone, Debug, Default)]
pub struct FleetState {
    /// The machines planned, and the workers diagnosing them.
    pub machines: usize,
    pub workers: usize,
    /// Per worker: its progress and, once done, its report.
    pub progress: Vec<Progress>,
    pub reports: Vec<Option<Rc<Report>>>,
    pub table: Rc<Table>,
    pub sort: SortBy,
    pub descending: bool,
    pub filter: String,
    /// The machine whose report is open below the table.
    pub open: Option<String>,
    pub elapsed_ms: f64,
}

impl FleetState {
    pub fn done(&self) -> bool {
        self.workers > 0 && self.reports.iter().all(Option::is_some)
    }
}

impl State {
    /// Plan before diagnosing: many machines open the fleet view. Returns whether a plan or a
    /// fleet was started (else the caller diagnoses as one report).
    pub(super) fn plan_first(&mut self, items: &[InputItem], port: &mut dyn Port) -> bool {
        self.fleet = None;
        if self.planning.is_some() {
            return false; // the plan has come back: diagnose as planned
        }
        let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
        if names.iter().any(|n| wsus_doctor_core::machines::is_zip_name(n)) {
            let req = Request::Plan(items.iter().map(|i| (i.name.clone(), i.kind, i.source.clone())).collect());
            if port.send(req).is_err() {
                return false;
            }
            let total = items.iter().map(|i| i.size).sum();
            self.run.running = Some(Running { progress: Progress { done: 0.0, total }, started: now(), basis: self.inputs.basis() });
            self.planning = Some(items.to_vec());
            return true;
        }
        let machines = wsus_doctor_core::machines::plan(&names, &Default::default()).len();
        machines >= FLEET_MIN && self.start_fleet(items.to_vec(), machines, port)
    }

    /// The worker named the machines: a fleet, or one report.
    pub(super) fn planned(&mut self, json: &str, port: &mut dyn Port) {
        let Some(items) = self.planning.take() else { return };
        let machines = serde_json::from_str::<Vec<String>>(json).map(|m| m.len()).unwrap_or(0);
        if machines >= FLEET_MIN && self.start_fleet(items.clone(), machines, port) {
            return;
        }
        self.diagnose_items(items, port);
    }

    fn start_fleet(&mut self, items: Vec<InputItem>, machines: usize, port: &mut dyn Port) -> bool {
        let workers = crate::pool::workers_for(machines);
        let req = Request::Fleet { inputs: items.iter().map(|i| (i.name.clone(), i.kind, i.source.clone())).collect(), workers };
        if let Err(e) = port.send(req) {
            self.notice = Some(Notice::Error(match e {
                SendError::Spawn(m) | SendError::Post(m) => format!("Could not start the fleet's workers: {m}"),
            }));
            return false;
        }
        let total: f64 = items.iter().map(|i| i.size).sum();
        self.run.shown = None;
        self.run.running =
            Some(Running { progress: Progress { done: 0.0, total: total * workers as f64 }, started: now(), basis: self.inputs.basis() });
        self.fleet = Some(FleetState {
            machines,
            workers,
            progress: vec![Progress { done: 0.0, total }; workers],
            reports: vec![None; workers],
            ..FleetState::default()
        });
        true
    }

    /// A message of fleet worker `k`.
    pub(super) fn on_fleet(&mut self, k: usize, m: FromWorker, port: &mut dyn Port) {
        let Some(f) = self.fleet.as_mut() else { return };
        match m {
            FromWorker::Progress { done, total } => {
                if let Some(p) = f.progress.get_mut(k) {
                    *p = Progress { done, total };
                }
            }
            FromWorker::Result { json } => match serde_json::from_str::<WebResult>(&json) {
                Ok(WebResult { report: Some(r), .. }) => {
                    if let Some(slot) = f.reports.get_mut(k) {
                        *slot = Some(Rc::new(r));
                    }
                    if let Some(p) = f.progress.get_mut(k) {
                        p.done = p.total;
                    }
                    f.table = Rc::new(Table::of(&f.reports));
                }
                _ => return self.failed("a fleet worker's answer could not be read", port),
            },
            FromWorker::Error { message } => return self.failed(&message, port),
            _ => {}
        }
        let (done, total) = f.progress.iter().fold((0.0, 0.0), |(d, t), p| (d + p.done, t + p.total));
        if f.done() {
            f.elapsed_ms = self.run.running.as_ref().map_or(0.0, |r| now() - r.started);
            self.run.running = None;
            self.run.announce = format!("Fleet diagnosed: {} machines, {} causes.", f.table.rows.len(), f.table.columns.len());
            port.stop(); // the pool's workers hold the inputs: free them
        } else if let Some(r) = self.run.running.as_mut() {
            r.progress = Progress { done, total };
        }
    }

    /// Open a machine's own report below the table (`None`: close it).
    pub(super) fn open_machine(&mut self, machine: Option<String>) {
        let Some(f) = self.fleet.as_mut() else { return };
        f.open = machine.clone();
        let Some(m) = machine else {
            self.run.shown = None;
            return;
        };
        let Some(report) = f.table.rows.iter().find(|r| r.machine == m).and_then(|r| f.reports.get(r.share).cloned().flatten()) else {
            return;
        };
        let report = Rc::new(machine_report(&report, &m));
        let context = Rc::new(Default::default());
        self.run.shown = Some(Shown {
            report: report.clone(),
            context: Rc::clone(&context),
            raw: report,
            raw_context: context,
            basis: self.inputs.basis(),
        });
        self.apply_redaction();
        self.focus.report = true;
    }
}
