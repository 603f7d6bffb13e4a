//! What an input (or a section of a paste) is.

use serde::{Deserialize, Serialize};

/// The evidence kinds WSUS Doctor reads. The JSON names are part of the public report contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum InputKind {
    /// The client's WindowsUpdate.log, classic or decoded by `Get-WindowsUpdateLog`.
    WindowsupdateLog,
    /// The WSUS server's IIS logs: W3C extended, IIS native CSV or HTTP.sys HTTPERR.
    IisLog,
    /// Registry evidence: `.reg` export, `reg query` output or `Get-ItemProperty` output.
    Registry,
    /// The WSUS server's own SoftwareDistribution.log (synchronisation, content, web services).
    SoftwaredistributionLog,
    /// Windows events as text (Event Viewer exports, wevtutil, Get-WinEvent) and server events
    /// decoded from .evtx.
    EventLog,
    /// Configuration Manager's logs (CMTrace format): the client's WUAHandler, ScanAgent...;
    /// the site server's wsyncmgr, WCM, WSUSCtrl, PatchDownloader, RuleEngine.
    ConfigmgrLog,
    /// IIS's configuration (`applicationHost.config`): the WsusPool application pool's limits
    /// and the WSUS site's bindings.
    IisConfig,
}

impl InputKind {
    pub const ALL: [InputKind; 7] = [
        InputKind::WindowsupdateLog,
        InputKind::IisLog,
        InputKind::Registry,
        InputKind::SoftwaredistributionLog,
        InputKind::EventLog,
        InputKind::ConfigmgrLog,
        InputKind::IisConfig,
    ];

    /// Position in [`InputKind::ALL`], for per-kind counters kept in arrays.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The stable name used in JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::WindowsupdateLog => "windowsupdate-log",
            InputKind::IisLog => "iis-log",
            InputKind::Registry => "registry",
            InputKind::SoftwaredistributionLog => "softwaredistribution-log",
            InputKind::EventLog => "event-log",
            InputKind::ConfigmgrLog => "configmgr-log",
            InputKind::IisConfig => "iis-config",
        }
    }

    /// What to ask the admin for when this kind is missing.
    pub fn how_to_get(self) -> &'static str {
        match self {
            InputKind::WindowsupdateLog => {
                "the client's WindowsUpdate.log (%windir%\\WindowsUpdate.log; on Windows 10/11 the .etl traces in C:\\Windows\\Logs\\WindowsUpdate, its System.evtx or ReportingEvents.log)"
            }
            InputKind::IisLog => {
                "the WSUS server's IIS log (C:\\inetpub\\logs\\LogFiles\\W3SVC<site id>\\u_ex*.log, or %windir%\\system32\\LogFiles\\W3SVC1 on IIS 6)"
            }
            InputKind::Registry => {
                "the client's registry export of HKLM\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate and ...\\CurrentVersion\\WindowsUpdate\\Auto Update (reg query /s or regedit Export)"
            }
            InputKind::SoftwaredistributionLog => {
                "the WSUS server's SoftwareDistribution.log (%ProgramFiles%\\Update Services\\LogFiles\\SoftwareDistribution.log)"
            }
            InputKind::EventLog => {
                "the event log: the WSUS server's Application log (source Windows Server Update Services) or the client's System log, as .evtx (wevtutil epl Application app.evtx) or as text (Event Viewer > Save All Events As, or wevtutil qe Application /f:text)"
            }
            InputKind::ConfigmgrLog => {
                "Configuration Manager's logs: on the client C:\\Windows\\CCM\\Logs (WUAHandler.log, ScanAgent.log, UpdatesDeployment.log, LocationServices.log); on the site server and software update point <ConfigMgr install folder>\\Logs (wsyncmgr.log, WCM.log, WSUSCtrl.log, PatchDownloader.log, RuleEngine.log)"
            }
            InputKind::IisConfig => {
                "the WSUS server's IIS configuration: %windir%\\System32\\inetsrv\\config\\applicationHost.config (or its WsusPool part: appcmd list apppool WsusPool /config)"
            }
        }
    }

    pub fn parse(name: &str) -> Option<InputKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "windowsupdate-log" | "windowsupdate" | "wulog" | "log" => Some(InputKind::WindowsupdateLog),
            "iis-log" | "iis" | "httperr" => Some(InputKind::IisLog),
            "registry" | "reg" => Some(InputKind::Registry),
            "softwaredistribution-log" | "softwaredistribution" | "server-log" => Some(InputKind::SoftwaredistributionLog),
            "event-log" | "events" | "evtx" => Some(InputKind::EventLog),
            "configmgr-log" | "configmgr" | "cmtrace" | "ccm" | "sccm" => Some(InputKind::ConfigmgrLog),
            "iis-config" | "applicationhost" | "apphost" => Some(InputKind::IisConfig),
            _ => None,
        }
    }
}

impl std::fmt::Display for InputKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
