//! A fleet's workers: as many as the machine has cores (`navigator.hardwareConcurrency`, at
//! most [`MAX_WORKERS`]), each given every input and diagnosing its share of the machines (the
//! core splits them by a hash of their names). Their messages come back tagged with the worker.

use yew::Callback;

use crate::protocol::{FromWorker, Job, JobInput};
use crate::state::{SendError, Source, MAX_INPUT_BYTES};
use crate::worker::{source, spawn, Handle};

/// Workers at most, whatever the machine says (each holds a zip it reads in memory).
pub const MAX_WORKERS: usize = 8;

/// How many workers a fleet of `machines` gets on this machine.
pub fn workers_for(machines: usize) -> usize {
    let cores = gloo::utils::window().navigator().hardware_concurrency() as usize;
    cores.clamp(1, MAX_WORKERS).min(machines.max(1))
}

#[derive(Default)]
pub struct Pool {
    handles: Vec<Handle>,
    on_message: Callback<(usize, Result<FromWorker, String>)>,
}

impl Pool {
    pub fn connect(&mut self, on_message: Callback<(usize, Result<FromWorker, String>)>) {
        self.on_message = on_message;
    }

    /// Start `n` workers, each with the whole input list and its share `[k, n]`.
    pub fn start(&mut self, inputs: Vec<(String, Option<wsus_doctor_core::InputKind>, Source)>, n: usize) -> Result<(), SendError> {
        self.stop();
        let n = n.max(1);
        for k in 0..n {
            let on = self.on_message.reform(move |m| (k, m));
            let h = spawn(&on).map_err(SendError::Spawn)?;
            let job = Job {
                inputs: inputs
                    .iter()
                    .map(|(name, kind, s)| JobInput { name: name.clone(), kind: *kind, source: source(s.clone()) })
                    .collect(),
                max_bytes: MAX_INPUT_BYTES,
                share: [k as u32, n as u32],
            };
            job.to_js().and_then(|m| h.worker.post_message(&m).map_err(|e| format!("{e:?}"))).map_err(SendError::Post)?;
            self.handles.push(h);
        }
        Ok(())
    }

    /// End every worker (a fleet finished, cancelled or replaced).
    pub fn stop(&mut self) {
        for h in self.handles.drain(..) {
            h.worker.terminate();
        }
    }
}
