//! Event logs exported through the event log API (`EvtExportLog`): the live .evtx files are held
//! open by the Event Log service, and the API also applies the `--since` query.

use std::os::windows::ffi::OsStrExt;
use std::path::Path;

use windows_sys::Win32::System::EventLog::{EvtExportLog, EvtExportLogChannelPath};

/// The event log API's exporter.
pub struct WevtExporter;

fn wide(s: &std::ffi::OsStr) -> Vec<u16> {
    s.encode_wide().chain(std::iter::once(0)).collect()
}

impl crate::live::EventLogExporter for WevtExporter {
    fn export(&self, channel: &str, query: &str, dest: &Path) -> Result<(), String> {
        let (channel, query, dest) = (wide(channel.as_ref()), wide(query.as_ref()), wide(dest.as_os_str()));
        // SAFETY: three NUL-terminated UTF-16 strings that outlive the call; session 0 is the
        // local machine.
        let ok = unsafe { EvtExportLog(0, channel.as_ptr(), query.as_ptr(), dest.as_ptr(), EvtExportLogChannelPath) };
        if ok == 0 {
            return Err(std::io::Error::last_os_error().to_string());
        }
        Ok(())
    }
}
