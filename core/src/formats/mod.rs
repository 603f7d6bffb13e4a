//! One folder per evidence format: its parser (bytes or lines to records) and its reader
//! (records to facts). New formats land here; the older ones still live at the crate root and
//! move here one at a time.

pub mod cmtrace;
pub mod etl;
pub mod event_text;
pub mod evtx;
pub mod iis;
pub mod netsh_winhttp;
pub mod registry;
pub mod reporting_events;
pub mod server_log;
pub mod wulog;
