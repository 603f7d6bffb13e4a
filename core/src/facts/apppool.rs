//! Facts from IIS's configuration: how the `WsusPool` application pool is set up (its private
//! memory limit, request queue, idle time-out, pinging and rapid-fail protection) and the ports
//! the WSUS site listens on. Values are kept with the line that set them; a setting the
//! configuration leaves out keeps IIS's default, said as such.

use super::Seen;

/// IIS's default request queue length of an application pool.
pub const IIS_DEFAULT_QUEUE_LENGTH: u64 = 1000;

/// Where a setting's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// Set on the `WsusPool` element (or one of its children), on this line.
    Pool(Seen<u64>),
    /// Set for every pool (`<applicationPoolDefaults>`), on this line.
    Defaults(Seen<u64>),
}

impl Setting {
    pub fn value(&self) -> u64 {
        match self {
            Setting::Pool(s) | Setting::Defaults(s) => s.value,
        }
    }

    pub fn seen(&self) -> &Seen<u64> {
        match self {
            Setting::Pool(s) | Setting::Defaults(s) => s,
        }
    }
}

/// The `WsusPool` application pool and the WSUS site, as `applicationHost.config` sets them.
#[derive(Debug, Default, Clone)]
pub struct WsusPoolSettings {
    /// The pool's `<add name="WsusPool">` line.
    pub pool: Option<crate::evidence::Evidence>,
    /// The pool's element was read to its end (`</add>` or `<add ... />`), as the file and
    /// `appcmd list apppool WsusPool /config` show it: a setting it leaves out is IIS's default.
    /// A fragment (the opening tag and one child, as articles quote it) shows only what it shows.
    pub pool_whole: bool,
    /// `recycling/periodicRestart/@privateMemory` (KB; 0 is no limit).
    pub private_memory_kb: Option<Seen<u64>>,
    /// `recycling/periodicRestart/@memory` (virtual memory, KB; 0 is no limit).
    pub virtual_memory_kb: Option<Seen<u64>>,
    /// `@queueLength`.
    pub queue_length: Option<Seen<u64>>,
    /// `processModel/@idleTimeout`, as written (`00:20:00`).
    pub idle_timeout: Option<Seen<String>>,
    /// `failure/@rapidFailProtection`.
    pub rapid_fail_protection: Option<Seen<bool>>,
    /// The same settings for every pool (`<applicationPoolDefaults>`).
    pub default_private_memory_kb: Option<Seen<u64>>,
    pub default_queue_length: Option<Seen<u64>>,
    /// The WSUS site's bindings (`http *:8530:`), when its `<site>` was read.
    pub site_bindings: Vec<Seen<String>>,
}

impl WsusPoolSettings {
    /// The pool's effective private memory limit, when the configuration says it.
    pub fn private_memory(&self) -> Option<Setting> {
        self.private_memory_kb.clone().map(Setting::Pool).or_else(|| self.default_private_memory_kb.clone().map(Setting::Defaults))
    }

    /// The pool's effective queue length, when the configuration says it.
    pub fn queue(&self) -> Option<Setting> {
        self.queue_length.clone().map(Setting::Pool).or_else(|| self.default_queue_length.clone().map(Setting::Defaults))
    }

    /// Bindings kept (a site has a handful).
    pub(crate) fn add_binding(&mut self, b: Seen<String>) {
        if self.site_bindings.len() < crate::caps::MAX_SITE_BINDINGS {
            self.site_bindings.push(b);
        }
    }
}
