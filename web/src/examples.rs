//! The bundled scenarios behind "Try an example" (the same files the CLI's README uses).

pub struct Example {
    pub title: &'static str,
    pub summary: &'static str,
    pub files: &'static [(&'static str, &'static [u8])],
}

macro_rules! ex {
    ($dir:literal, $file:literal) => {
        ($file, include_bytes!(concat!("../../examples/", $dir, "/", $file)) as &[u8])
    };
}

pub static EXAMPLES: &[Example] = &[
    Example {
        title: "XP client cannot self-update",
        summary: "WSUS on port 8530, no self-update tree on port 80: client log, regedit export (UTF-16) and the port-80 IIS log.",
        files: &[
            ex!("xp-selfupdate-port80", "WindowsUpdate.log"),
            ex!("xp-selfupdate-port80", "client-policy.reg"),
            ex!("xp-selfupdate-port80", "u_ex091214-port80.log"),
        ],
    },
    Example {
        title: "Root certificates reinstalled (KB978335)",
        summary: "An XP client installing three revisions of KB931125 one after another.",
        files: &[ex!("xp-root-certificates", "WindowsUpdate.log")],
    },
    Example {
        title: "Windows 10 misconfigured policy",
        summary: "WUServer without http://, UseWUServer 0, Automatic Updates off: decoded log and reg query output.",
        files: &[ex!("win10-misconfigured", "WindowsUpdate.log"), ex!("win10-misconfigured", "reg-query.txt")],
    },
    Example {
        title: "Server: SharePoint and a stopped WsusPool",
        summary: "The WSUS server's IIS and HTTPERR logs.",
        files: &[ex!("server-sharepoint", "u_ex170508.log"), ex!("server-sharepoint", "httperr1.log")],
    },
    Example {
        title: "A damaged forum paste",
        summary: "PowerShell output, reg query lines and a markdown-quoted log excerpt in one paste.",
        files: &[ex!("pasted-mixed", "forum-paste.txt")],
    },
];
