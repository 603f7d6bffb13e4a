//! The Windows side of `--this-machine` and `collect`: the registry, the event log API, WinHTTP's
//! proxy, the computer's name and whether the process is elevated. Built for Windows only; the
//! knowledge of what to read and where is platform-neutral, in `crate::live`.

mod eventlog;
mod registry;
mod system;

pub use eventlog::WevtExporter;

use wsus_doctor_core::registry::RegData;

/// This machine, through the Windows API.
pub struct ThisMachine;

impl crate::live::Machine for ThisMachine {
    fn name(&self) -> String {
        system::computer_name()
    }

    fn env(&self, var: &str) -> Option<String> {
        std::env::var(var).ok().filter(|v| !v.is_empty())
    }

    fn read_key(&self, path: &str) -> std::io::Result<Option<Vec<(String, RegData)>>> {
        registry::read_hklm(path)
    }

    fn winhttp_proxy(&self) -> Result<crate::live::Proxy, String> {
        system::winhttp_proxy()
    }

    fn elevated(&self) -> Option<bool> {
        system::elevated()
    }
}
