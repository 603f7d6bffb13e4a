//! The service list as client configuration: each service lands in the registry facts (the
//! list is read inside a registry section by the registry reader, which offers it each line
//! first, as it does `netsh winhttp show proxy`).

use super::{parse_line, Property, ServiceLine};
use crate::evidence::Evidence;
use crate::facts::{Facts, RegisteredService};

/// Reads the table (stateless) and the list form (one service's block at a time).
#[derive(Default)]
pub struct UpdateServicesReader {
    /// The list form's service so far: id, IsManaged, IsDefaultAUService and the line to cite.
    block: Block,
    /// Services of this input past [`crate::facts::MAX_UPDATE_SERVICES`], not kept.
    pub cut: u64,
}

#[derive(Default)]
struct Block {
    id: Option<String>,
    managed: Option<bool>,
    default_au: Option<bool>,
    evidence: Option<Evidence>,
}

impl UpdateServicesReader {
    /// One line: whether it was the service list's.
    pub fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let Some(l) = parse_line(raw) else { return false };
        let ev = || Evidence::new(input, n, raw);
        match l {
            ServiceLine::Header => {}
            ServiceLine::Row { id, managed, default_au, .. } => {
                if !facts.registry.observe_service(RegisteredService { id: id.to_ascii_lowercase(), managed, default_au, evidence: ev() }) {
                    self.cut += 1;
                }
            }
            ServiceLine::Property(p) => {
                let b = &mut self.block;
                match p {
                    Property::Name(_) => *b = Block::default(),
                    Property::ServiceId(id) => {
                        b.id = Some(id.to_ascii_lowercase());
                        b.evidence.get_or_insert_with(ev);
                    }
                    Property::IsManaged(v) => b.managed = Some(v),
                    Property::IsDefaultAuService(v) => {
                        b.default_au = Some(v);
                        if v {
                            // the line that says it is the default is the one to cite
                            b.evidence = Some(ev());
                        }
                    }
                    Property::Other => {}
                }
                if let (Some(id), Some(managed), Some(default_au), Some(evidence)) = (&b.id, b.managed, b.default_au, &b.evidence) {
                    if !facts.registry.observe_service(RegisteredService {
                        id: id.clone(),
                        managed,
                        default_au,
                        evidence: evidence.clone(),
                    }) {
                        self.cut += 1;
                    }
                    *b = Block::default();
                }
            }
        }
        true
    }
}
