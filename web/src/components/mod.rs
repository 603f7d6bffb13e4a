//! The page's parts, each a function component with `PartialEq` props: a progress tick
//! re-renders the status bar, not the report (the report's props have not changed).

mod checklist;
mod chips;
mod export;
mod finding;
mod sources;
mod status;

pub use checklist::Checklist;
pub use chips::{Chip, InputChips};
pub use export::ExportBar;
pub use finding::FindingCard;
pub use sources::EvidenceSources;
pub use status::{Notice, Progress, StatusBar};

/// `12.3 MB`, `4.0 KB`, `17 bytes`.
pub fn human_size(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.1} MB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.1} KB", n / 1024.0)
    } else {
        format!("{n} bytes")
    }
}
