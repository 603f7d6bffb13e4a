//! The evidence explorer: which finding, which inputs, what the worker found.

use wsus_doctor_core::explore::{Exploration, Explorer};

use super::{Port, Request, State};

#[derive(Clone, Debug, PartialEq)]
pub struct ExplorerState {
    pub rule: String,
    pub machine: Option<String>,
    pub inputs: Vec<String>,
    pub term: String,
    pub result: Option<Exploration>,
    pub problem: Option<String>,
}

impl State {
    /// Explore every matching line of a finding (its rule and machine) of the report shown.
    pub(super) fn explore(&mut self, port: &mut dyn Port, rule: String, machine: Option<String>) {
        let finding = self.report().and_then(|r| r.findings.iter().find(|f| f.rule == rule && f.machine == machine)).cloned();
        let Some(f) = finding else { return };
        let mut inputs: Vec<String> = Vec::new();
        for e in &f.evidence {
            if !inputs.contains(&e.input) {
                inputs.push(e.input.clone());
            }
        }
        let term = Explorer::term_for(&f.evidence);
        self.explorer = Some(ExplorerState { rule, machine, inputs, term, result: None, problem: None });
        self.run_explorer(port);
    }

    /// A new filter term for the open explorer.
    pub(super) fn explore_term(&mut self, port: &mut dyn Port, term: String) {
        if let Some(x) = self.explorer.as_mut() {
            x.term = term;
            x.result = None;
            x.problem = None;
        }
        self.run_explorer(port);
    }

    /// Ask the worker for every line of the explorer's inputs matching its term.
    fn run_explorer(&mut self, port: &mut dyn Port) {
        let Some(x) = self.explorer.as_mut() else { return };
        let mut inputs = Vec::new();
        for name in x.inputs.clone() {
            match self.inputs.source_of(&name) {
                Some((source, member)) => inputs.push((name, member, source)),
                None => {
                    x.problem = Some(format!("{name} is no longer one of the page's inputs: add it again to explore it."));
                    return;
                }
            }
        }
        if self.run.running.is_some() {
            x.problem = Some("A diagnosis is running; explore again when it is done.".into());
            return;
        }
        if let Err(e) = port.send(Request::Explore { term: x.term.clone(), inputs }) {
            x.problem = Some(e.message());
        }
    }

    /// The worker's matches for the open explorer.
    pub(super) fn explored(&mut self, json: &str) {
        if let Some(x) = self.explorer.as_mut() {
            match serde_json::from_str(json) {
                Ok(e) => x.result = Some(e),
                Err(e) => x.problem = Some(format!("The worker's answer could not be read: {e}")),
            }
            self.focus.explorer = true;
        }
    }
}
