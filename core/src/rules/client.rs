//! Which Automatic Updates client is this? From "Automatic Updates Must Be Updated": SUS-era
//! clients must self-update before they can use WSUS; WSUS clients pointed at SUS fall into legacy mode.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::facts::WsusPath;
use crate::kind::InputKind::{IisLog, WindowsupdateLog};
use crate::report::Severity;

/// WUA builds below this are the SUS client (MSDN "Determining the Current Version of WUA").
const FIRST_WSUS_CLIENT: [u32; 4] = [5, 4, 3790, 1000];

fn version_parts(v: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = v.trim().split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| p.len() >= 2)
}

fn is_sus_era(v: &str) -> Option<bool> {
    let p = version_parts(v)?;
    let mut a = [0u32; 4];
    for (i, x) in p.iter().take(4).enumerate() {
        a[i] = *x;
    }
    Some(a < FIRST_WSUS_CLIENT)
}

pub static CLIENT_IS_SUS_ERA: Rule = Rule {
    id: "client-is-sus-era",
    example: super::example!("client-is-sus-era"),
    caused_by: &[&super::selfupdate::SELFUPDATE_NOT_FOUND, &LEGACY_SUS_MODE],
    data: false,
    wsus_client: true,
    severity: Severity::Warning,
    title: "A SUS-era Automatic Updates client must self-update before it can use WSUS",
    needs: &[WindowsupdateLog, IisLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "Clients older than WUA 5.4.3790.1000 are the SUS client. Pointed at WSUS they first download the WSUS client from the server's self-update tree (iuident.cab, then selfupdate/AU/x86/<OS>/<language>/wuaucomp.cab). Until that works they cannot scan against WSUS.",
    check: |ctx| {
        let f = ctx.facts;
        let version = f.client.agent_version.as_ref().or(f.client.agent_build.as_ref());
        let mut version_ok = false;
        if let Some(v) = version {
            if let Some(old) = is_sus_era(&v.value) {
                if old {
                    return fire(ctx, format!("The client's Automatic Updates is version {}, older than the first WSUS client (5.4.3790.1000).", v.value), vec![v.evidence.clone()]);
                }
                version_ok = true;
            }
        }
        // Server side: requests only the SUS-era client makes while trying to self-update.
        let sus_requests: Vec<_> = f
            .iis.wsus_requests
            .iter()
            .filter(|((p, _), _)| *p == WsusPath::IuIdent)
            .chain(f.iis.wsus_requests.iter().filter(|((p, _), g)| *p == WsusPath::SelfUpdate && g.evidence.iter().any(|e| e.text.to_ascii_lowercase().contains("wuaucomp.cab"))))
            .collect();
        if !sus_requests.is_empty() {
            let n: u64 = sus_requests.iter().map(|(_, g)| g.count).sum();
            let which = if version_ok { " (other clients than the one whose log was given: its agent is a WSUS client)" } else { "" };
            return fire(
                ctx,
                format!("The WSUS server's IIS log has {n} request(s) for iuident.cab or the AU self-update cab (wuaucomp.cab): SUS-era clients{which} are trying to self-update to the WSUS client."),
                sus_requests.iter().flat_map(|(_, g)| g.evidence.clone()).collect(),
            );
        }
        if version_ok {
            return Outcome::Passed;
        }
        if f.has(WindowsupdateLog) && version.is_none() {
            Outcome::NotRun("the client log excerpt has no agent version line (\"WU client version\" or the \"Logging initialized (build: ...)\" header)".into())
        } else {
            Outcome::Passed
        }
    },
};

fn fire(ctx: &Context, detail: String, evidence: Vec<crate::report::Evidence>) -> Outcome {
    let (iuident, wuaucomp) = ctx.selfupdate_test_urls();
    let mut remedy = vec![
        "Tell the clients apart by their Automatic Updates screen: the SUS client shows the old dialog; the WSUS client the newer one.".to_string(),
        format!("Make sure the client points at the WSUS server (WUServer and WUStatusServer = {}), not at a SUS server.", ctx.server_url()),
        "Make sure the self-update tree is published on port 80 of the WSUS server (see selfupdate-needs-port-80 / selfupdate-not-found).".to_string(),
        format!("From the client, open {iuident} and {wuaucomp}: both must offer a download."),
        "Then force detection: delete LastWaitTimeout and DetectionStartTime under ...\\WindowsUpdate\\Auto Update, set AUState to 2, `net stop wuauserv`, `net start wuauserv`, and wait 6 to 10 minutes for the self-update.".to_string(),
    ];
    if let Some(g) = ctx.guesses() {
        remedy.push(g);
    }
    Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(evidence), remedy })
}

pub static LEGACY_SUS_MODE: Rule = Rule {
    id: "legacy-sus-mode",
    example: super::example!("legacy-sus-mode"),
    caused_by: &[],
    data: false,
    wsus_client: true,
    severity: Severity::Error,
    title: "The client is pointed at a SUS server and runs in legacy mode",
    needs: &[WindowsupdateLog],
    article: Article::AutomaticUpdatesMustBeUpdated,
    explain: "A WSUS client whose WUServer names a SUS 1.0 server falls back to legacy mode and shows the SUS user interface. It leaves legacy mode by itself once pointed at the WSUS server. The agent reports WU_E_LEGACYSERVER (0x8024002B) against a SUS server.",
    check: |ctx| {
        let f = ctx.facts;
        if f.client.legacy_mode.is_empty() {
            return Outcome::Passed;
        }
        let url = ctx.server.as_ref().map(|s| s.url.clone());
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!(
                "The client log shows legacy (SUS) mode {} time(s){}.",
                f.client.legacy_mode.count,
                url.map(|u| format!("; the configured server is {u}")).unwrap_or_default()
            ),
            evidence: take_evidence(f.client.legacy_mode.kept.clone()),
            remedy: vec![
                "Point the client at the WSUS server instead of the SUS server: set WUServer and WUStatusServer (Group Policy \"Specify intranet Microsoft update service location\") to the WSUS server's URL, e.g. http://WSUSSERVER:8530.".to_string(),
                "Run `gpupdate /force`, then `net stop wuauserv` and `net start wuauserv`.".to_string(),
                ctx.detect_now(),
                "The client leaves legacy mode by itself; the newer Automatic Updates screen appears once it talks to WSUS.".to_string(),
            ],
        })
    },
};

#[cfg(test)]
mod tests {
    use super::is_sus_era;

    #[test]
    fn version_boundary() {
        assert_eq!(is_sus_era("5.4.3790.1000"), Some(false));
        assert_eq!(is_sus_era("5.4.3790.18"), Some(true));
        assert_eq!(is_sus_era("5.4.2600.1"), Some(true));
        assert_eq!(is_sus_era("7.4.7600.226"), Some(false));
        assert_eq!(is_sus_era("nonsense"), None);
    }
}
