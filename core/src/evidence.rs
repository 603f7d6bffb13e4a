//! Evidence: one line of one input that a finding rests on, and the update service its call
//! went to. The lowest module of the report: facts, the timeline and the report all use it, and
//! it uses none of them.

use serde::{Deserialize, Serialize};

pub use crate::caps::MAX_EVIDENCE_TEXT;

/// One line of one input that a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub input: String,
    /// 1-based physical line number in the input as given; for a binary input (see
    /// [`crate::report::InputSummary::format`]), the 1-based number of the record or event instead.
    pub line: u64,
    pub text: String,
    /// `line` counts records of a binary input (an ETL event, an event-log record), not lines.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub record: bool,
    /// The update service the line's call belongs to, when the evidence shows it (a client
    /// log line of a scan or download): `wsus`, `windows-update`, `store`, `microsoft-endpoint`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<UpdateService>,
}

impl Evidence {
    pub fn new(input: &str, line: u64, text: &str) -> Self {
        let mut t = String::new();
        Self::set_text(&mut t, text);
        Evidence { input: input.to_string(), line, text: t, record: false, service: None }
    }

    /// Where the evidence is, as the admin reads it: `WindowsUpdate.log:12` for a line,
    /// `WindowsUpdate.20251008.etl#12` for the twelfth event of a binary input.
    pub fn location(&self) -> String {
        format!("{}{}{}", self.input, if self.record { '#' } else { ':' }, self.line)
    }

    /// Write a line's evidence text into `buf` (trimmed, cut at [`MAX_EVIDENCE_TEXT`]), reusing it.
    pub fn set_text(buf: &mut String, text: &str) {
        let text = text.trim_end();
        buf.clear();
        if text.len() > MAX_EVIDENCE_TEXT {
            let mut cut = MAX_EVIDENCE_TEXT;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            buf.push_str(&text[..cut]);
            buf.push('…');
        } else {
            buf.push_str(text);
        }
    }
}

/// An update service or endpoint a client call went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateService {
    /// The managed service: the WSUS server or software update point the policy names.
    Wsus,
    /// Windows Update `{9482F4B4-E343-43B6-B170-9A65BC822C77}`.
    WindowsUpdate,
    /// Microsoft Update `{7971F918-A847-4430-9279-4A52D1EFE18D}`.
    MicrosoftUpdate,
    /// The Microsoft Store `{855E8A7C-ECB4-4CA3-B045-1DFA50104289}` and its siblings.
    Store,
    /// Another service registered with the agent (flighting, Defender, Office...).
    OtherService,
    /// A Microsoft endpoint: SLS discovery, the fe2/fe3 front ends, the delivery CDN.
    MicrosoftEndpoint,
}

impl UpdateService {
    /// The admin's name for it.
    pub fn label(self) -> &'static str {
        match self {
            UpdateService::Wsus => "the WSUS server",
            UpdateService::WindowsUpdate => "Windows Update (Microsoft's service)",
            UpdateService::MicrosoftUpdate => "Microsoft Update (Microsoft's service)",
            UpdateService::Store => "the Microsoft Store",
            UpdateService::OtherService => "another registered update service",
            UpdateService::MicrosoftEndpoint => "Microsoft's endpoints (SLS discovery, delivery CDN)",
        }
    }

    /// Stable id for JSON and NDJSON.
    pub fn id(self) -> &'static str {
        match self {
            UpdateService::Wsus => "wsus",
            UpdateService::WindowsUpdate => "windows-update",
            UpdateService::MicrosoftUpdate => "microsoft-update",
            UpdateService::Store => "store",
            UpdateService::OtherService => "other-service",
            UpdateService::MicrosoftEndpoint => "microsoft-endpoint",
        }
    }

    pub fn is_wsus(self) -> bool {
        self == UpdateService::Wsus
    }
}
