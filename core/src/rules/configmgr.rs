//! Configuration Manager's software update point, from its own logs: the client's WUAHandler
//! and ScanAgent, and the site server's WCM, WSUSCtrl, wsyncmgr, PatchDownloader and RuleEngine.
//! From Microsoft Learn's Configuration Manager software update troubleshooting articles.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::codes::{self, Blame};
use crate::kind::InputKind::ConfigmgrLog;
use crate::report::{Evidence, Severity};

/// The software update point as the client knows it, or a placeholder.
fn sup(ctx: &Context) -> String {
    ctx.facts
        .configmgr
        .sup_url
        .as_ref()
        .map(|s| s.value.clone())
        .or_else(|| ctx.server.as_ref().map(|s| s.url.clone()))
        .unwrap_or_else(|| "https://<your software update point>:8531".into())
}

/// `0x80244022 WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL (wsus-server)`.
fn code_name(c: u32) -> String {
    match codes::lookup(c) {
        Some(e) => format!("0x{c:08X} {} ({})", e.name, e.blame.name()),
        None => format!("0x{c:08X}"),
    }
}

/// Where Configuration Manager's scan is started by hand (its control panel).
pub(super) const SCAN_CONFIG: &str = "Configuration Manager control panel > Actions > Software Updates Scan Cycle > Run Now";

pub static SUP_POLICY_OVERRIDDEN: Rule = Rule {
    id: "sup-policy-overridden",
    example: super::example!("sup-policy-overridden"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "Group Policy overrides the software update point Configuration Manager set (0x87D00692)",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrScanFailures,
    explain: "A Configuration Manager client writes its software update point into the local Windows Update policy itself. When a domain GPO also sets \"Specify intranet Microsoft update service location\", the GPO wins: WUAHandler.log says the settings were overwritten by a higher authority and the scan fails with 0x87D00692 whenever the two servers differ.",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.policy_overridden.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add the client's WUAHandler.log".into()) };
        }
        let gpo = f.gpo_server.clone().unwrap_or_else(|| "another server".into());
        let sup = sup(ctx);
        let detail = format!(
            "WUAHandler.log reports {} time(s) that Group Policy from the domain overwrote the update server Configuration Manager wants ({sup}) with {gpo}. While a GPO sets WUServer, the client scans what the GPO names, and Configuration Manager reports the conflict as 0x87D00692.",
            f.policy_overridden.count
        );
        let remedy = vec![
            "On the client, `gpresult /h gpresult.html` and find the GPO that sets \"Specify intranet Microsoft update service location\" (Computer Configuration > Administrative Templates > Windows Components > Windows Update).".to_string(),
            format!("Remove that setting from GPOs that apply to Configuration Manager clients (Configuration Manager writes it itself), or, if it must stay, make it name the software update point exactly: {sup}."),
            "Run `gpupdate /force` on the client.".to_string(),
            format!("Then start a scan: {SCAN_CONFIG}. WUAHandler.log should now say \"Enabling WUA Managed server policy to use server\" or \"Existing WUA Managed server was already set\" with the software update point, and \"Successfully completed scan\"."),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(f.policy_overridden.kept.iter().cloned()), remedy })
    },
};

pub static WUA_GROUP_POLICY_UNREADABLE: Rule = Rule {
    id: "wua-group-policy-unreadable",
    example: super::example!("wua-group-policy-unreadable"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The client cannot read its local Group Policy file, so the software update point is never set",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrScanFailures,
    explain: "Configuration Manager sets the software update point through the machine's local policy file (registry.pol). When that file is damaged WUAHandler.log says it cannot read the existing WUA Group Policy object (0x80004005, 0x800703EE), adding the update source fails, and every scan and deployment fails after it.",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.gpo_unreadable.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add the client's WUAHandler.log".into()) };
        }
        let detail = format!("WUAHandler.log cannot read the local Group Policy object {} time(s): the machine's registry.pol is damaged, so the software update point cannot be written into the Windows Update policy.", f.gpo_unreadable.count);
        let remedy = vec![
            r"On the client, in an elevated prompt: `ren %windir%\System32\GroupPolicy\Machine\Registry.pol Registry.pol.old` (keep it for comparison).".to_string(),
            "Run `gpupdate /force` to write a fresh policy file (domain GPOs are applied again).".to_string(),
            format!("Start a scan: {SCAN_CONFIG}; WUAHandler.log should now add the update source and complete the scan."),
            "If it comes back, look for what rewrites the file (a tool editing local policy, a disk or antivirus problem).".to_string(),
        ];
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(f.gpo_unreadable.kept.iter().cloned()), remedy })
    },
};

pub static SUP_SCAN_FAILED: Rule = Rule {
    id: "sup-scan-failed",
    example: super::example!("sup-scan-failed"),
    caused_by: &[&SUP_POLICY_OVERRIDDEN, &WUA_GROUP_POLICY_UNREADABLE, &super::server::WSUSPOOL_OVERLOADED, &super::connectivity::WSUS_UNREACHABLE, &super::connectivity::SCAN_TIMEOUT, &super::connectivity::PROXY_IN_PATH, &super::connectivity::TLS_CERTIFICATE_FAILURE],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "Scans against the software update point fail (WUAHandler, ScanAgent)",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrScanFailures,
    explain: "WUAHandler.log and ScanAgent.log report each scan against the software update point with the Windows Update agent's code. The code says where to look: 0x80244022 is the SUP's WsusPool answering 503, 0x80072EE2 a time-out on the network, 0x800B0101 the SUP's certificate. The client's WindowsUpdate.log holds the same call in detail.",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.scan_codes.is_empty() && f.scan_failures.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add the client's WUAHandler.log or ScanAgent.log".into()) };
        }
        let sup = sup(ctx);
        let mut detail = Vec::new();
        let mut blames = Vec::new();
        for (c, o) in &f.scan_codes {
            detail.push(format!("{} ×{}", code_name(*c), o.count));
            if let Some(e) = codes::lookup(*c) {
                blames.push((e.blame, *c));
            }
        }
        if !f.scan_failures.is_empty() {
            detail.push(format!("{} failure line(s) without a code", f.scan_failures.count));
        }
        let mut text = format!("Scans against the software update point ({sup}) failed: {}.", detail.join(", "));
        if !f.scans_ok.is_empty() {
            text.push_str(&format!(" {} scan(s) completed successfully in the same logs: the failure comes and goes.", f.scans_ok.count));
        }
        let host = ctx.server.as_ref().map(|s| s.host.clone()).unwrap_or_else(|| "<SUP>".into());
        let port = ctx.server.as_ref().map(|s| s.effective_port()).unwrap_or(8531);
        let mut remedy = Vec::new();
        let has = |b: Blame| blames.iter().any(|(x, _)| *x == b);
        if has(Blame::WsusServer) {
            remedy.push(format!("On the software update point {host}: IIS Manager > Application Pools > WsusPool must be Started; if it stops under load, raise its private memory limit and queue length, and read its IIS log (u_ex*.log, HTTPERR) for the scan's time (add them here to have them read)."));
        }
        if has(Blame::Network) || has(Blame::Proxy) {
            remedy.push(format!("From the client: `Test-NetConnection {host} -Port {port}` and `netsh winhttp show proxy`: the SUP must be reachable on its WSUS port without a proxy in between (add it to the proxy bypass list)."));
        }
        if has(Blame::Content) || blames.iter().any(|(_, c)| c & 0xFFFF_0000 == 0x800B_0000) {
            remedy.push(format!("The SUP's certificate or signing: on {host} check the WSUS site's TLS certificate (expiry, name, chain trusted by the client) on port {port}."));
        }
        if has(Blame::Client) {
            remedy.push("On the client, the agent itself failed: add its WindowsUpdate.log (Get-WindowsUpdateLog on Windows 10/11) to see the failing call.".to_string());
        }
        remedy.push(format!("After the fix: {SCAN_CONFIG}, and check WUAHandler.log for \"Successfully completed scan\"."));
        let evidence: Vec<Evidence> = f.scan_codes.values().flat_map(|o| [o.first.clone(), o.last.clone()]).chain(f.scan_failures.kept.iter().cloned()).collect();
        Outcome::Fired(Diagnosis { severity: None, detail: text, evidence: take_evidence(evidence), remedy })
    },
};

pub static SUP_WSUS_CONFIG_FAILED: Rule = Rule {
    id: "sup-wsus-config-failed",
    example: super::example!("sup-wsus-config-failed"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "The site server cannot connect to or configure the software update point's WSUS (WCM, WSUSCtrl)",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrSyncFailures,
    explain: "WCM.log and WSUSCtrl.log record the site server connecting to the WSUS API on the software update point and writing its configuration (products, classifications, languages, upstream source). HTTP errors (401/403 permissions, 407/502 a proxy, 503 a stopped WsusPool), refused connections, TLS failures or categories unknown to WSUS stop it, and synchronisation fails after it.",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.wsus_config_failures.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add WCM.log or WSUSCtrl.log from the site server".into()) };
        }
        let text: String = f.wsus_config_failures.kept.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let mut detail = format!("The site server failed {} time(s) to reach or configure WSUS on the software update point.", f.wsus_config_failures.count);
        let mut remedy = Vec::new();
        if text.contains("407") || text.contains("502") {
            detail.push_str(" The WSUS API calls went through a proxy that refused them (407/502).");
            remedy.push("In the site system's properties, the software update point's proxy must not be used for its own WSUS (the site server talks to the SUP directly); check `netsh winhttp show proxy` on the site server.".to_string());
        }
        if text.contains("401") || text.contains("403") || text.contains("access") {
            detail.push_str(" Access was denied.");
            remedy.push("The site server's computer account (or the WSUS server connection account) must be in the WSUS Administrators group on the SUP and have access to the WSUS site in IIS.".to_string());
        }
        if text.contains("503") || text.contains("refused") || text.contains("unable to connect") || text.contains("closed") {
            remedy.push("On the SUP, IIS Manager > Application Pools > WsusPool must be Started, and the WSUS site must answer on the ports the SUP is configured with (8530/8531 or 80/443); with SSL, its certificate must be trusted by the site server.".to_string());
            if text.contains("503") {
                // a WsusPool that stops again and again has hit its memory limit (rapid-fail protection)
                remedy.push("If WsusPool keeps stopping (503 again after a start), raise its limits: WsusPool > Advanced Settings > Private Memory Limit (KB) from the 1843200 default to 0 (no limit) or several GB, and Queue Length to 2000; then recycle the pool. The WSUS maintenance guide explains why a large catalogue needs it.".to_string());
            }
        }
        if text.contains("unknown to wsus") || text.contains("not found on wsus") {
            remedy.push("Categories unknown to WSUS: run a synchronisation from WSUS itself once (or a full sync from the console) so WSUS learns the new products, then let WCM configure it again.".to_string());
        }
        remedy.push("Read the whole WCM.log around these lines; after the fix WCM logs the configuration state WSUS_CONFIG_SUCCESS, and wsyncmgr.log can synchronise.".to_string());
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(f.wsus_config_failures.kept.iter().cloned()), remedy })
    },
};

pub static SUP_SYNC_FAILED: Rule = Rule {
    id: "sup-sync-failed",
    example: super::example!("sup-sync-failed"),
    caused_by: &[&SUP_WSUS_CONFIG_FAILED],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "Configuration Manager cannot synchronise software updates (wsyncmgr)",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrSyncFailures,
    explain: "wsyncmgr.log records the site synchronising its catalogue with WSUS on the top software update point. `Sync failed:` names the reason: WSUS not configured (see WCM.log), the upstream source unreachable or its TLS untrusted (UssCommunicationError), time-outs, permissions; `Failed to sync update` names one update that could not be stored (a licence not downloaded, a revised update clashing in the database).",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.sync_failures.is_empty() && f.sync_update_failures.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add wsyncmgr.log from the site server".into()) };
        }
        let text: String = f.sync_failures.kept.iter().chain(&f.sync_update_failures.kept).map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let mut detail = Vec::new();
        if !f.sync_failures.is_empty() {
            detail.push(format!("{} synchronisation failure line(s)", f.sync_failures.count));
        }
        if !f.sync_update_failures.is_empty() {
            detail.push(format!("{} update(s) that could not be synchronised", f.sync_update_failures.count));
        }
        let mut d = format!("wsyncmgr.log: {}.", detail.join(", "));
        if !f.syncs_ok.is_empty() {
            d.push_str(&format!(" {} synchronisation(s) succeeded in the same logs.", f.syncs_ok.count));
        }
        let mut remedy = Vec::new();
        if text.contains("not configured") || text.contains("update source not found") {
            remedy.push("WSUS on the software update point is not configured by the site: read WCM.log (see sup-wsus-config-failed) and fix what it reports; synchronisation starts once WCM logs WSUS_CONFIG_SUCCESS.".to_string());
        }
        if text.contains("usscommunicationerror") || text.contains("trust relationship") || text.contains("underlying connection") || text.contains("webexception") {
            remedy.push("The SUP's WSUS cannot reach its upstream (Microsoft Update or the upstream SUP): check its internet or upstream access, the proxy set on the software update point, and TLS 1.2 for .NET on the SUP (SchUseStrongCrypto = 1 under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 and its WOW6432Node twin, then restart WSUS and IIS).".to_string());
        }
        if text.contains("timed out") || text.contains("timeout") {
            remedy.push("Time-outs: WSUS on the SUP is too slow to answer (WsusPool memory, SUSDB without maintenance): reindex SUSDB, decline superseded updates, raise WsusPool's private memory limit, then synchronise again.".to_string());
        }
        if text.contains("license terms") {
            remedy.push("A licence (EULA) was not downloaded: on the SUP check the WSUS content folder is reachable and has space, then synchronise again; the update is retried on the next sync.".to_string());
        }
        if text.contains("principal permission") || text.contains("access") {
            remedy.push("Permissions: the site server's account must be a member of WSUS Administrators on the SUP.".to_string());
        }
        if text.contains("failed to save update") || text.contains("unique key") || text.contains("sqlexception") {
            remedy.push("An update could not be stored in the site database (a known clash when Microsoft revises an update): install the current Configuration Manager hotfix rollup, then run a full synchronisation.".to_string());
        }
        remedy.push("Start a synchronisation from the console (Software Library > Software Updates > All Software Updates > Synchronize Software Updates) and follow wsyncmgr.log to \"Sync succeeded\".".to_string());
        let evidence = f.sync_failures.kept.iter().chain(&f.sync_update_failures.kept).cloned();
        Outcome::Fired(Diagnosis { severity: None, detail: d, evidence: take_evidence(evidence), remedy })
    },
};

pub static SUP_CONTENT_DOWNLOAD_FAILED: Rule = Rule {
    id: "sup-content-download-failed",
    example: super::example!("sup-content-download-failed"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "Update content does not download (into the deployment package, or to the client)",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrDeployments,
    explain: "PatchDownloader.log (on the site server for automatic deployment rules, under the console's AdminUILog for manual downloads) records each update file downloaded from Microsoft or WSUS into the package source share. A 404 means the file is gone from its source; 403/407/502 a proxy or filter; access denied (0x80070005, error 5) the package source share's permissions, not WSUS; a failed signature check an intercepted or damaged file. On the client, DataTransferService.log, CAS.log and WUAHandler.log record the download from its distribution point (or Microsoft's cloud), which a proxy, a boundary without a distribution point or Delivery Optimization can fail.",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.content_failures.is_empty() && f.client_content_failures.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add PatchDownloader.log".into()) };
        }
        let text: String = f.content_failures.kept.iter().chain(&f.client_content_failures.kept).map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let codes: Vec<u32> = f.content_codes.keys().copied().collect();
        let has = |cs: &[u32]| codes.iter().any(|c| cs.contains(c));
        // named without the code table's "who is to blame": a download's source is Microsoft, a
        // vendor or a distribution point here, not the WSUS server
        let names: Vec<String> =
            codes.iter().take(4).map(|c| codes::lookup(*c).map_or_else(|| format!("0x{c:08X}"), |e| format!("0x{c:08X} {}", e.name))).collect();
        let mut parts = Vec::new();
        if !f.content_failures.is_empty() {
            parts.push(format!("{} download failure(s) into deployment packages on the site server", f.content_failures.count));
        }
        if !f.client_content_failures.is_empty() {
            parts.push(format!("{} download failure(s) on the client (from its distribution point or Microsoft's cloud, not from WSUS)", f.client_content_failures.count));
        }
        let detail = format!("{}{}.", parts.join("; "), if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) });
        let mut remedy = Vec::new();
        if !f.client_content_failures.is_empty() {
            remedy.push("On the client: DataTransferService.log and CAS.log name the URL it tried; a client in a boundary group without a distribution point that holds the update, a proxy it cannot pass (0x80072EE7 name not resolved, 0x80D02002 no progress through Delivery Optimization), or a third-party update without content on the distribution point are the usual causes. Check the deployment package is distributed to the client's boundary group.".to_string());
        }
        if has(&[0x80070005]) || text.contains("access is denied") || text.contains("error 5") || text.contains("error = 5") {
            remedy.push("Access denied writing the package: the site server's computer account (and the admin who downloads) needs Modify on the package source share and its folder (share and NTFS permissions). WSUS is not involved.".to_string());
        }
        if has(&[0x80070194, 0x80190194, 0x80244019]) || text.contains("not_found") || text.contains("404") {
            remedy.push("404: the file is gone from its source (an expired or replaced update, or a third-party catalogue that moved it): decline or expire the update, synchronise, and download again.".to_string());
        }
        if has(&[0x80070193, 0x800701F6, 0x800701F7, 0x80190197]) || text.contains("forbidden") || text.contains(" 502") || text.contains(" 407") {
            remedy.push("403/407/502: a proxy or web filter refuses the download: set the proxy for the software update point and site server in the console, and allow Microsoft's download hosts (download.windowsupdate.com, *.delivery.mp.microsoft.com) there.".to_string());
        }
        if has(&[0x800B0004, 0x80073633, 0x80091007]) || text.contains("authentication of file") || text.contains("certificate") {
            remedy.push("The downloaded file failed its signature check: something altered it in transit (TLS inspection, a caching proxy) or, for third-party updates, the signing certificate is not trusted on the site server: exempt the download hosts from inspection, or trust the publisher's certificate.".to_string());
        }
        if has(&[0x80072F0D, 0x80072F8F, 0x80072F06, 0x80072F05, 0x80072F0C]) || text.contains("12045") || text.contains("12175") {
            remedy.push("The machine that downloads (the site server for a rule, the console's machine for a manual download) does not trust the download host's certificate (0x80072F0D / WinINet 12045: the root is not trusted; 12175 / 0x80072F8F: the TLS handshake failed). Import the host's root and intermediate certificates into the computer's Trusted Root and Intermediate stores (for a third-party catalogue, the vendor's host), or exempt the host from TLS inspection; downloading again will not help until then.".to_string());
        }
        if has(&[0x80246002]) || text.contains("hash values did not match") || text.contains("hash mismatch") {
            remedy.push("0x80246002 (the file's hash does not match the update's): the copy in the deployment package or on the distribution point is not the file the update describes. Delete the update's files from the package source, download them again and redistribute the package (Update Distribution Points); for a third-party update whose vendor replaced the file, republish it first.".to_string());
        }
        if text.contains("gettempfilename") || has(&[0x80070050]) {
            remedy.push("GetTempFileName failed (error 80): the temporary folder of the account running the download is full of leftover files: clean %TEMP% of that account (and of SYSTEM on the site server).".to_string());
        }
        remedy.push("Download again (the deployment package's Download, or run the rule again) and follow PatchDownloader.log to \"Download succeeded\".".to_string());
        Outcome::Fired(Diagnosis { severity: None, detail, evidence: take_evidence(f.content_failures.kept.iter().chain(&f.client_content_failures.kept).cloned()), remedy })
    },
};

pub static SUP_ADR_FAILED: Rule = Rule {
    id: "sup-adr-failed",
    example: super::example!("sup-adr-failed"),
    caused_by: &[&SUP_CONTENT_DOWNLOAD_FAILED],
    data: false,
    wsus_client: false,
    severity: Severity::Error,
    title: "An automatic deployment rule fails (RuleEngine)",
    needs: &[ConfigmgrLog],
    article: Article::ConfigMgrDeployments,
    explain: "RuleEngine.log records each automatic deployment rule: evaluating which updates match, downloading their content into the package, creating the deployment. A download failure there carries the same causes as PatchDownloader.log (its error is a Windows error number: 5 access denied, 80 temporary files, 404 gone); the rule then creates no deployment.",
    check: |ctx| {
        let f = &ctx.facts.configmgr;
        if f.adr_failures.is_empty() {
            return if f.records > 0 { Outcome::Passed } else { Outcome::NotRun("add RuleEngine.log from the site server".into()) };
        }
        let text: String = f.adr_failures.kept.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let mut remedy = Vec::new();
        if text.contains("download") {
            remedy.push("The rule failed while downloading content: read PatchDownloader.log for the same time (see sup-content-download-failed when it is given) and fix the download.".to_string());
        }
        if text.contains("error = 5") || text.contains("access") {
            remedy.push("Error 5 is access denied: the site server's computer account needs Modify on the deployment package's source share.".to_string());
        }
        if text.contains("error = 404") || text.contains("404") {
            remedy.push("Error 404: an update's file is gone from its source: expire or decline it and synchronise again.".to_string());
        }
        remedy.push("Run the rule again (Software Library > Automatic Deployment Rules > Run Now) and follow RuleEngine.log until it creates the deployment.".to_string());
        Outcome::Fired(Diagnosis {
            severity: None,
            detail: format!("RuleEngine.log reports {} failure line(s) of automatic deployment rules.", f.adr_failures.count),
            evidence: take_evidence(f.adr_failures.kept.iter().cloned()),
            remedy,
        })
    },
};
