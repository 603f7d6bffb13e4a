//! `applicationHost.config` as a [`Reader`]: follows which element a line is in (the pools,
//! their defaults, the `WsusPool` element, the sites, the WSUS site) and records the pool's
//! settings and the site's bindings in the facts.

use super::{attr, tags};
use crate::caps::MAX_SITE_BINDINGS;
use crate::evidence::Evidence;
use crate::facts::{Facts, Seen};
use crate::formats::Reader;

/// Where in the configuration the lines are.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Place {
    #[default]
    Outside,
    /// `<applicationPoolDefaults>`.
    Defaults,
    /// The `WsusPool` element.
    WsusPool,
    /// Another pool's element (its settings are not WsusPool's).
    OtherPool,
    /// The WSUS site's element.
    WsusSite,
}

#[derive(Default)]
pub struct AppHostReader {
    place: Place,
    /// Lines read as configuration.
    lines: u64,
    /// Values that were not numbers where a number belongs.
    unreadable: u64,
    /// The WSUS site's bindings past [`MAX_SITE_BINDINGS`], not kept.
    bindings_cut: u64,
}

fn number(v: &str) -> Option<u64> {
    v.trim().parse().ok()
}

impl AppHostReader {
    fn set(&mut self, slot: &mut Option<Seen<u64>>, value: Option<&str>, input: &str, n: u64, raw: &str) {
        let Some(v) = value else { return };
        match number(v) {
            Some(value) => *slot = Some(Seen { value, evidence: Evidence::new(input, n, raw) }),
            None => self.unreadable += 1,
        }
    }
}

impl Reader for AppHostReader {
    fn line(&mut self, input: &str, n: u64, raw: &str, facts: &mut Facts) -> bool {
        let mut any = false;
        for t in tags(raw) {
            any = true;
            let f = &mut facts.apppool;
            if t.end {
                if t.name == "add" && self.place == Place::WsusPool {
                    f.pool_whole = true;
                }
                match (t.name, self.place) {
                    ("add", Place::WsusPool | Place::OtherPool)
                    | ("applicationPoolDefaults", Place::Defaults)
                    | ("site", Place::WsusSite) => self.place = Place::Outside,
                    _ => {}
                }
                continue;
            }
            let mut opened = false;
            match t.name {
                "applicationPoolDefaults" => {
                    self.place = Place::Defaults;
                    opened = true;
                    let mut q = f.default_queue_length.take();
                    self.set(&mut q, attr(t.attrs, "queueLength"), input, n, raw);
                    f.default_queue_length = q;
                }
                "add" if attr(t.attrs, "name").is_some_and(|p| p.eq_ignore_ascii_case("WsusPool")) => {
                    self.place = Place::WsusPool;
                    opened = true;
                    f.pool = Some(Evidence::new(input, n, raw));
                    let mut q = f.queue_length.take();
                    self.set(&mut q, attr(t.attrs, "queueLength"), input, n, raw);
                    f.queue_length = q;
                }
                "add"
                    if self.place == Place::Outside
                        && (attr(t.attrs, "queueLength").is_some() || attr(t.attrs, "managedRuntimeVersion").is_some()) =>
                {
                    self.place = Place::OtherPool;
                    opened = true;
                }
                "periodicRestart" if matches!(self.place, Place::WsusPool | Place::Defaults) => {
                    let pool = self.place == Place::WsusPool;
                    let (mut private, mut virt) = if pool {
                        (f.private_memory_kb.take(), f.virtual_memory_kb.take())
                    } else {
                        (f.default_private_memory_kb.take(), None)
                    };
                    self.set(&mut private, attr(t.attrs, "privateMemory"), input, n, raw);
                    self.set(&mut virt, attr(t.attrs, "memory"), input, n, raw);
                    let f = &mut facts.apppool;
                    if pool {
                        f.private_memory_kb = private;
                        f.virtual_memory_kb = virt;
                    } else {
                        f.default_private_memory_kb = private;
                    }
                }
                "processModel" if self.place == Place::WsusPool => {
                    if let Some(v) = attr(t.attrs, "idleTimeout") {
                        f.idle_timeout = Some(Seen { value: v.to_string(), evidence: Evidence::new(input, n, raw) });
                    }
                }
                "failure" if self.place == Place::WsusPool => {
                    if let Some(v) = attr(t.attrs, "rapidFailProtection") {
                        f.rapid_fail_protection =
                            Some(Seen { value: v.eq_ignore_ascii_case("true"), evidence: Evidence::new(input, n, raw) });
                    }
                }
                "site" if attr(t.attrs, "name").is_some_and(|s| s.to_ascii_lowercase().contains("wsus")) => self.place = Place::WsusSite,
                "binding" if self.place == Place::WsusSite => {
                    if f.site_bindings.len() >= MAX_SITE_BINDINGS {
                        self.bindings_cut += 1;
                        continue;
                    }
                    let protocol = attr(t.attrs, "protocol").unwrap_or("?");
                    let info = attr(t.attrs, "bindingInformation").unwrap_or("");
                    f.add_binding(Seen { value: format!("{protocol} {info}"), evidence: Evidence::new(input, n, raw) });
                }
                _ => {}
            }
            // an element written `<add ... />` closes at once
            if t.empty && opened {
                facts.apppool.pool_whole |= self.place == Place::WsusPool;
                self.place = Place::Outside;
            }
        }
        self.lines += u64::from(any);
        any
    }

    fn notes(&self, notes: &mut Vec<String>) {
        if self.unreadable > 0 {
            notes.push(format!("{} pool setting(s) were not numbers and were not read", self.unreadable));
        }
        if self.bindings_cut > 0 {
            notes.push(format!(
                "{} binding(s) of the WSUS site were not read: only the first {MAX_SITE_BINDINGS} are kept",
                self.bindings_cut
            ));
        }
    }
}
