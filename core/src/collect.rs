//! Where each kind of evidence lives and how to collect it: shown by `wsus-doctor --help` and on
//! the page, so an admin knows what to bring. Commands are copyable as written (PowerShell or
//! cmd on the machine named).

/// One kind of evidence: what it is, on which machine, where, and a command that collects it.
pub struct Source {
    pub what: &'static str,
    pub machine: &'static str,
    pub path: &'static str,
    pub command: &'static str,
}

pub const SOURCES: &[Source] = &[
    Source {
        what: "Windows Update ETL traces (Windows 10 1709 and later, Windows 11, Server 2019+)",
        machine: "client",
        path: r"C:\Windows\Logs\WindowsUpdate\*.etl (drop the whole folder; no Get-WindowsUpdateLog needed)",
        command: r"Compress-Archive C:\Windows\Logs\WindowsUpdate $env:TEMP\wu-etl.zip",
    },
    Source {
        what: "WindowsUpdate.log (Windows XP to 8.1, or decoded on Windows 10/11)",
        machine: "client",
        path: r"%windir%\WindowsUpdate.log",
        command: r"Get-WindowsUpdateLog -LogPath $env:TEMP\WindowsUpdate.log",
    },
    Source {
        what: "ReportingEvents.log (install, download and detection results with their HRESULT)",
        machine: "client",
        path: r"C:\Windows\SoftwareDistribution\ReportingEvents.log",
        command: r"Copy-Item C:\Windows\SoftwareDistribution\ReportingEvents.log $env:TEMP\",
    },
    Source {
        what: "Event logs (Windows Update client events 19, 20, 25, 31, 43, 44)",
        machine: "client",
        path: "System log, Microsoft-Windows-WindowsUpdateClient/Operational",
        command: r"wevtutil epl System $env:TEMP\System.evtx",
    },
    Source {
        what: "Windows Update policy and state (registry)",
        machine: "client",
        path: r"HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate, ...\CurrentVersion\WindowsUpdate",
        command: r"reg export HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate %TEMP%\wu-policy.reg",
    },
    Source {
        what: "IIS logs of the WSUS site",
        machine: "WSUS server",
        path: r"C:\inetpub\logs\LogFiles\W3SVC<site id>\u_ex*.log (the WSUS Administration site's id)",
        command: r"Get-ChildItem C:\inetpub\logs\LogFiles -Recurse -Filter u_ex*.log | Sort-Object LastWriteTime | Select-Object -Last 3",
    },
    Source {
        what: "HTTP.sys errors (requests IIS never logged: 503 AppOffline, QueueFull)",
        machine: "WSUS server",
        path: r"C:\Windows\System32\LogFiles\HTTPERR\httperr*.log",
        command: r"Copy-Item C:\Windows\System32\LogFiles\HTTPERR\httperr*.log $env:TEMP\",
    },
];

/// The sources as plain text, one paragraph each (for `--help`).
pub fn help_text() -> String {
    let mut s = String::from("Where the evidence is (a whole folder or a .zip of it can be given as one input):\n");
    for src in SOURCES {
        s.push_str(&format!("\n  {} [{}]\n    {}\n    {}\n", src.what, src.machine, src.path, src.command));
    }
    s
}
