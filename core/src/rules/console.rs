//! The WSUS console's own crash (event 7053 without an exploit's payload): a damaged MMC cache
//! or a database too slow for the console's queries.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::kind::InputKind::EventLog;
use crate::report::Severity;

pub static WSUS_CONSOLE_CRASH: Rule = Rule {
    id: "wsus-console-crash",
    example: super::example!("wsus-console-crash"),
    caused_by: &[&super::security::WSUS_EXPLOITATION_SUSPECTED, &super::signatures::table::SUSDB_QUERY_TIMEOUT],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "The WSUS console crashes (event 7053: reset server node)",
    needs: &[EventLog],
    article: Article::Page {
        short: "WSUS console crashes (event 7053)",
        reference: "Microsoft Learn: The WSUS administration console crashes with an unexpected error (event 7053), https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/wsus-console-crashes",
    },
    explain: "Event 7053 from Windows Server Update Services, \"The WSUS administration console has encountered an unexpected error\", is what admins see as \"Reset Server Node\". Without an exploit's payload in its text it is the console itself: its cached preferences under %AppData%\\Microsoft\\MMC are damaged, or SUSDB answers the console's queries too slowly (the event then carries an SQL time-out). Events whose text carries CVE-2025-59287's gadget are not counted here: wsus-exploitation-suspected reads them.",
    check: |ctx: &Context| {
        let x = &ctx.facts.exploit;
        if x.console_crash_7053.is_empty() && x.sql_7053.is_empty() {
            return Outcome::Passed;
        }
        let mut detail = Vec::new();
        if !x.console_crash_7053.is_empty() {
            detail.push(format!("{} event 7053(s) are the console's unexpected-error crash.", x.console_crash_7053.count));
        }
        if !x.sql_7053.is_empty() {
            detail.push(format!("{} event 7053(s) carry an SQL time-out: the console waited too long for SUSDB.", x.sql_7053.count));
        }
        if !x.payload_events.is_empty() {
            detail.push(format!("{} other WSUS event(s) carry an exploit's payload: read wsus-exploitation-suspected first; a crash next to them may be part of the attack.", x.payload_events.count));
        }
        let host = ctx.server.as_ref().map(|s| s.host.clone()).unwrap_or_else(|| "the WSUS server".to_string());
        let mut remedy = vec![
            "Close the console, delete the cached console file `%AppData%\\Microsoft\\MMC\\wsus` of the admin who opens it (the whole MMC folder if that is not enough), and open the console again.".to_string(),
        ];
        if !x.sql_7053.is_empty() {
            remedy.push(format!("The SQL time-outs come back until SUSDB is maintained: on {host}, reindex SUSDB, decline superseded updates and run the Server Cleanup Wizard (see susdb-query-timeout when it fires)."));
        }
        remedy.push("If the console still crashes, restart the WSUS service and IIS (`net stop wsusservice`, `iisreset`, `net start wsusservice`) and read the event's full text for the exception.".to_string());
        let evidence = take_evidence(x.console_crash_7053.kept.iter().chain(x.sql_7053.kept.iter()).cloned());
        Outcome::Fired(Diagnosis { severity: None, detail: detail.join("\n"), evidence, remedy })
    },
};
