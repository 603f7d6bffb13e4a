//! The rows: each a diagnosis from one published source, with its example evidence. Client-code
//! rows come from Microsoft's Windows Update error tables; server rows from the WSUS and SQL
//! Server articles. Examples are built in the shape of the published log lines.

#![allow(clippy::needless_raw_string_hashes)]

use super::{data_rule, Signal, Signature};
use crate::report::Severity;
use crate::rules::Article;

const ERRORS: Article = Article::Page { short: "Windows Update common errors and mitigation", reference: "Microsoft Learn: Windows Update common errors and mitigation, https://learn.microsoft.com/windows/deployment/update/windows-update-errors" };
const DISM: Article = Article::Page { short: "Fix Windows Update corruptions and installation failures (DISM)", reference: "Microsoft Learn: Fix Windows Update corruptions and installation failures, https://learn.microsoft.com/troubleshoot/windows-server/installing-updates-features-roles/fix-windows-update-errors" };
const HEALTH24H2: Article = Article::Page { short: "Windows 11 version 24H2 known issues (release health)", reference: "Microsoft Learn: Windows 11, version 24H2 known issues and notifications (release health), https://learn.microsoft.com/windows/release-health/status-windows-11-24h2" };
const MSGS: Article = Article::Page { short: "WSUS messages and troubleshooting tips", reference: "Microsoft Learn: WSUS messages and troubleshooting tips, https://learn.microsoft.com/windows-server/administration/windows-server-update-services/manage/wsus-messages-and-troubleshooting-tips" };
const MAINT: Article = Article::Page { short: "The complete guide to WSUS and Configuration Manager SUP maintenance", reference: "Microsoft Learn: The complete guide to WSUS and Configuration Manager SUP maintenance, https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/wsus-maintenance-guide" };
const CPU: Article = Article::Page { short: "Troubleshoot WSUS server high CPU usage", reference: "Microsoft Learn: Troubleshoot WSUS server high CPU usage, https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/troubleshoot-wsus-server-high-cpu-usage" };
const SQL9002: Article = Article::Page { short: "SQL Server error 9002 (transaction log full)", reference: "Microsoft Learn: Troubleshoot a full transaction log (SQL Server error 9002), https://learn.microsoft.com/sql/relational-databases/logs/troubleshoot-a-full-transaction-log-sql-server-error-9002" };
const SQL1105: Article = Article::Page { short: "SQL Server error 1105 (filegroup full)", reference: "Microsoft Learn: MSSQLSERVER_1105, https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-1105-database-engine-error" };
const SQL1205: Article = Article::Page { short: "SQL Server error 1205 (deadlock victim)", reference: "Microsoft Learn: MSSQLSERVER_1205, https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-1205-database-engine-error" };
const SQL18456: Article = Article::Page { short: "SQL Server error 18456 (login failed)", reference: "Microsoft Learn: MSSQLSERVER_18456, https://learn.microsoft.com/sql/relational-databases/errors-events/mssqlserver-18456-database-engine-error" };
const SQLCONN: Article = Article::Page { short: "Troubleshoot connectivity issues in SQL Server", reference: "Microsoft Learn: A network-related or instance-specific error occurred while establishing a connection to SQL Server, https://learn.microsoft.com/troubleshoot/sql/database-engine/connect/network-related-or-instance-specific-error-occurred-while-establishing-connection" };
const THIRDPARTY: Article = Article::Page { short: "Enable third-party updates (the WSUS signing certificate)", reference: "Microsoft Learn: Enable third-party updates, the WSUS signing certificate on clients, https://learn.microsoft.com/mem/configmgr/sum/deploy-use/third-party-software-updates" };

const UNMANAGED_SERVER_BLOCKED_ROW: Signature = Signature {
    id: "unmanaged-server-blocked",
    severity: Severity::Warning,
    title: r#"A policy forbids this WSUS client to reach Windows Update (0x8024002E)"#,
    signal: Signal::ClientCodes(&[0x8024002E]),
    wsus_client: true,
    cause: r#"WU_E_WU_DISABLED: the agent was asked to use an unmanaged server (Windows Update or Microsoft Update) while the policy "Remove access to use all Windows Update features" (DisableWindowsUpdateAccess) or "Do not connect to any Windows Update Internet locations" forbids it. On a client that should get everything from WSUS this is expected for online checks; it is a problem when features on demand, language packs or Store content need Microsoft's service."#,
    remedy: &[
        r#"If the client should only use WSUS, nothing is broken: online checks are refused by design; make sure the update was approved on {host} instead."#,
        r#"If it needs optional features or language packs from Microsoft, enable "Specify settings for optional component installation and component repair" with "Download repair content and optional features directly from Windows Update instead of WSUS", or clear DisableWindowsUpdateAccess / DoNotConnectToWindowsUpdateInternetLocations in the GPO."#,
        r#"{restart}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 8024002e.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x8024002E
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(UNMANAGED_SERVER_BLOCKED, UNMANAGED_SERVER_BLOCKED_ROW);

const REDIRECTOR_BLOCKED_BY_POLICY_ROW: Signature = Signature {
    id: "redirector-blocked-by-policy",
    severity: Severity::Warning,
    title: r#"Policy forbids the client to contact the Windows Update redirector (0x8024500C)"#,
    signal: Signal::ClientCodes(&[0x8024500C]),
    wsus_client: true,
    cause: r#"WU_E_REDIRECTOR_CONNECT_POLICY: the agent wanted the Windows Update redirector (its list of Microsoft endpoints) but a managed policy forbids connections to it. Seen on WSUS clients with DoNotConnectToWindowsUpdateInternetLocations when something on the machine still asks Microsoft's service directly."#,
    remedy: &[
        r#"Find what asked for Windows Update: the log lines before the code name the caller (Store, Settings' "Check online", a script)."#,
        r#"If all updates should come from WSUS, keep the policy and approve what the caller needs on {host}; otherwise remove DoNotConnectToWindowsUpdateInternetLocations from the GPO and run `gpupdate /force`."#,
        r#"{restart}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 8024500c.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x8024500C
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(REDIRECTOR_BLOCKED_BY_POLICY, REDIRECTOR_BLOCKED_BY_POLICY_ROW);

const WSUS_SOAP_RESPONSE_UNREADABLE_ROW: Signature = Signature {
    id: "wsus-soap-response-unreadable",
    severity: Severity::Error,
    title: r#"The client could not read the server's answer as a WSUS reply (0x8024400A)"#,
    signal: Signal::ClientCodes(&[0x8024400A]),
    wsus_client: true,
    cause: r#"WU_E_PT_SOAPCLIENT_PARSE: the answer to the client's SOAP call was not a web-service reply it could parse. Something other than the WSUS web service answered: a proxy's or firewall's block page, a captive portal, another web site on the same port, or an IIS error page from a broken ClientWebService."#,
    remedy: &[
        r#"From the client, open {server}/ClientWebService/client.asmx in a browser: a WSUS server shows the service's description page; anything else (a login page, a proxy notice, another site) is what the client got."#,
        r#"If a proxy or web filter answers, exempt {host} from it (see proxy-in-path); if IIS answers with an error, check the ClientWebService application on {host} (ASP.NET enabled, WsusPool started)."#,
        r#"{detect}"#,
    ],
    source: Article::WsusConnectionTroubleshooting,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 8024400a.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x8024400A
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(WSUS_SOAP_RESPONSE_UNREADABLE, WSUS_SOAP_RESPONSE_UNREADABLE_ROW);

const WSUS_CLIENT_CACHE_REFRESH_ROW: Signature = Signature {
    id: "wsus-client-cache-refresh",
    severity: Severity::Info,
    title: r#"The WSUS server told the client to rebuild its cache (0x80244015)"#,
    signal: Signal::ClientCodes(&[0x80244015]),
    wsus_client: true,
    cause: r#"WU_E_PT_REFRESH_CACHE_REQUIRED: the server's reply said the client's cached server state or cookie is no longer valid, usually after the WSUS server was rebuilt, its database reset or the client moved to another server. The agent refreshes and retries on its own; only a repeating code needs action."#,
    remedy: &[
        r#"Usually nothing: the next scan rebuilds the cache. If the code repeats on every scan, reset the client's datastore: `net stop wuauserv`, rename %windir%\SoftwareDistribution, `net start wuauserv`."#,
        r#"{detect}"#,
    ],
    source: Article::ErrorReference,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 80244015.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80244015
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(WSUS_CLIENT_CACHE_REFRESH, WSUS_CLIENT_CACHE_REFRESH_ROW);

const WIN11_24H2_SERVICE_CRASH_ROW: Signature = Signature {
    id: "win11-24h2-service-crash",
    severity: Severity::Error,
    title: r#"The update service crashed while getting Windows 11 24H2 content from WSUS (0x80240069)"#,
    signal: Signal::ClientCodes(&[0x80240069]),
    wsus_client: true,
    cause: r#"WU_E_SERVICE_UNEXPECTED_EXIT: the update service process ended in the middle of the job. In 2025 Microsoft confirmed that Windows 11 devices getting the 24H2 feature update or its cumulative updates through WSUS failed this way (the April 2025 update, again in August 2025), with the Windows Update service stopping unexpectedly; the fix is on the client (a Known Issue Rollback, then a later cumulative update), not on the WSUS server."#,
    remedy: &[
        r#"Check Windows release health for Windows 11 24H2: apply the Known Issue Rollback Group Policy Microsoft published for the issue (or let the client reboot so it picks up the rollback), then install the next cumulative update."#,
        r#"Nothing needs changing on {host}: keep the update approved; the client retries after the fix."#,
        r#"{detect}"#,
    ],
    source: HEALTH24H2,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  DownloadManager *FAILED* [80240069] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x80240069
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(WIN11_24H2_SERVICE_CRASH, WIN11_24H2_SERVICE_CRASH_ROW);

const CONTENT_HASH_MISMATCH_ROW: Signature = Signature {
    id: "content-hash-mismatch",
    severity: Severity::Error,
    title: r#"A downloaded update file does not match its hash (0x80246002)"#,
    signal: Signal::ClientCodes(&[0x80246002]),
    wsus_client: true,
    cause: r#"WU_E_DM_INCORRECTFILEHASH: the file the client downloaded is not the file the update's metadata describes. Either the copy in the WSUS server's content folder is damaged (a disk or copy error, a content folder restored from elsewhere) or something between client and server changed the bytes (a proxy's or antivirus's HTTP inspection)."#,
    remedy: &[
        r#"On {host}, let WSUS check its files against their hashes and download the bad ones again: `"%ProgramFiles%\Update Services\Tools\wsusutil.exe" reset` (it runs for hours on a large server)."#,
        r#"If the client downloads through a proxy or web filter, exempt {host} from content inspection."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  DownloadManager *FAILED* [80246002] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x80246002
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(CONTENT_HASH_MISMATCH, CONTENT_HASH_MISMATCH_ROW);

const UPGRADES_CLASSIFICATION_UNEXPECTED_ROW: Signature = Signature {
    id: "upgrades-classification-unexpected",
    severity: Severity::Warning,
    title: r#"Windows Update failed with an unexpected error (0x80240FFF), which WSUS's Upgrades classification can cause"#,
    signal: Signal::ClientCodes(&[0x80240FFF]),
    wsus_client: true,
    cause: r#"WU_E_UNEXPECTED is the agent's catch-all. Microsoft's mitigation table ties it on WSUS clients to the Upgrades classification: a server that synchronises feature updates without the support WSUS needs for them (KB3095113 on Windows Server 2012/2012 R2), or custom update types it cannot describe, gives clients metadata they cannot process."#,
    remedy: &[
        r#"On {host}, if it runs Windows Server 2012 or 2012 R2, install KB3095113 and the servicing update that follows it before synchronising the Upgrades classification; otherwise untick Upgrades under Options > Products and Classifications."#,
        r#"If you do not deploy feature updates through WSUS, decline the Upgrades updates already synchronised."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 80240fff.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80240FFF
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(UPGRADES_CLASSIFICATION_UNEXPECTED, UPGRADES_CLASSIFICATION_UNEXPECTED_ROW);

const WSUS_RESPONSE_INVALID_ROW: Signature = Signature {
    id: "wsus-response-invalid",
    severity: Severity::Error,
    title: r#"The client got an HTTP answer it could not parse (0x80072F78, 0x80072F76)"#,
    signal: Signal::ClientCodes(&[0x80072F78, 0x80072F76]),
    wsus_client: true,
    cause: r#"WinHTTP could not parse the server's HTTP response (ERROR_WINHTTP_INVALID_SERVER_RESPONSE) or an expected header was missing (ERROR_WINHTTP_HEADER_NOT_FOUND). A device between the client and the WSUS server rewrote or cut the response (a proxy, a load balancer, TLS inspection), or the port answers with something that is not IIS."#,
    remedy: &[
        r#"Test the path from the client: `Invoke-WebRequest {server}/ClientWebService/client.asmx -UseBasicParsing` and compare the headers with the same request made on {host} itself."#,
        r#"Exempt {host} from proxies and inspection between client and server (see proxy-in-path); if a load balancer fronts several WSUS servers, check its HTTP profile passes responses unchanged."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 80072f78.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80072F78
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(WSUS_RESPONSE_INVALID, WSUS_RESPONSE_INVALID_ROW);

const SERVER_URL_REJECTED_ROW: Signature = Signature {
    id: "server-url-rejected",
    severity: Severity::Error,
    title: r#"WinHTTP rejected the update server's URL as invalid (0x80072EE5)"#,
    signal: Signal::ClientCodes(&[0x80072EE5]),
    wsus_client: true,
    cause: r#"ERROR_WINHTTP_INVALID_URL: the URL the agent built from its policy is not a valid URL: WUServer with a typo, spaces, a missing scheme, a backslash or a port out of range. The agent fails every call to the server before sending anything."#,
    remedy: &[
        r#"Read the value the client has: `reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate /v WUServer` (it must look like http://server:8530 or https://server.fqdn:8531, nothing after the port)."#,
        r#"Correct "Specify intranet Microsoft update service location" in the GPO (both the update and statistics server), run `gpupdate /force`, then {restart}"#,
        r#"{detect}"#,
    ],
    source: Article::WsusConnectionTroubleshooting,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 80072ee5.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80072EE5
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(SERVER_URL_REJECTED, SERVER_URL_REJECTED_ROW);

const WUSERVER_NOT_SET_ROW: Signature = Signature {
    id: "wuserver-not-set",
    severity: Severity::Error,
    title: r#"The agent was told to use WSUS but has no server address (0x80244011)"#,
    signal: Signal::ClientCodes(&[0x80244011]),
    wsus_client: true,
    cause: r#"WU_E_PT_SUS_SERVER_NOT_SET: UseWUServer says to use an intranet server but the agent found no WUServer to use, for example after a GPO that set only "Use WSUS" or a cleanup tool that deleted the URL but left UseWUServer=1."#,
    remedy: &[
        r#"Check both values on the client: `reg query HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate /s` must show WUServer and, under AU, UseWUServer = 1."#,
        r#"Set "Specify intranet Microsoft update service location" to {server} in the GPO (or remove UseWUServer if the machine should use Windows Update), run `gpupdate /force`, then {restart}"#,
        r#"{detect}"#,
    ],
    source: Article::ErrorReference,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 80244011.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80244011
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(WUSERVER_NOT_SET, WUSERVER_NOT_SET_ROW);

const CONNECTION_RESET_ROW: Signature = Signature {
    id: "connection-reset",
    severity: Severity::Warning,
    title: r#"The connection to the update server was reset (0x80072EFF)"#,
    signal: Signal::ClientCodes(&[0x80072EFF]),
    wsus_client: true,
    cause: r#"ERROR_INTERNET_CONNECTION_RESET: the TCP connection to the WSUS server was cut while the client was talking to it. A firewall or proxy that drops long-running requests, an IIS connection limit, or a WsusPool recycle during the scan do this; scans of a large catalogue take long enough to hit idle time-outs."#,
    remedy: &[
        r#"Check the server side for the same minute: IIS log and HTTPERR on {host} (Connection_Dropped, Timer_ConnectionIdle), and whether WsusPool recycled then."#,
        r#"Raise idle time-outs on firewalls and proxies between the clients and {host}, or exempt it from them."#,
        r#"{detect}"#,
    ],
    source: Article::WsusConnectionTroubleshooting,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  WebServices     Web service call failed with hr = 80072eff.
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80072EFF
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:42.1276567 1120  4528  Agent           Found 3 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(CONNECTION_RESET, CONNECTION_RESET_ROW);

const UPDATE_SERVICE_DISABLED_ROW: Signature = Signature {
    id: "update-service-disabled",
    severity: Severity::Error,
    title: r#"A service Windows Update needs is disabled (0x80070422)"#,
    signal: Signal::ClientCodes(&[0x80070422]),
    wsus_client: false,
    cause: r#"ERROR_SERVICE_DISABLED: the Windows Update service, or one it depends on (BITS, Cryptographic Services, the Update Orchestrator), has its startup type set to Disabled, by a tweak tool, a hardening script or a Group Policy service setting. Nothing can scan or install until it is allowed to start."#,
    remedy: &[
        r#"Find which one: `sc qc wuauserv`, `sc qc bits`, `sc qc cryptsvc`, `sc qc usosvc` (START_TYPE 4 is Disabled)."#,
        r#"Set it back: `sc config wuauserv start= demand` (and `sc config bits start= delayed-auto` for BITS); if a GPO under System Services sets it, change the GPO, or it returns at the next refresh."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           *FAILED* [80070422] Method failed [CAgentServiceManager::StartService:1021]
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80070422
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           Found 0 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(UPDATE_SERVICE_DISABLED, UPDATE_SERVICE_DISABLED_ROW);

const AUTOMATIC_UPDATES_NOT_SERVICING_ROW: Signature = Signature {
    id: "automatic-updates-not-servicing",
    severity: Severity::Info,
    title: r#"Automatic Updates refused a request (0x8024A000)"#,
    signal: Signal::ClientCodes(&[0x8024A000]),
    wsus_client: false,
    cause: r#"WU_E_AU_NOSERVICE: the Automatic Updates part of the agent did not take a request, such as a "detect now" from the control panel, a console or a script. Most often Automatic Updates is set so that it does not scan on its own (the log then says it cannot perform a non-interactive scan because AU is interactive-only, i.e. automatic updating is off or set to notify), otherwise the service was stopping or not started."#,
    remedy: &[
        r#"If the log says AU is interactive-only, this is the configuration, not a fault: start the scan from the Windows Update control panel, or set "Configure Automatic Updates" to download and install automatically if the machine should update by itself."#,
        r#"Otherwise {restart} If it recurs, check the System log for Service Control Manager errors about wuauserv."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  AU              *FAILED* [8024A000] AU failed to service the call
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x8024A000
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           Found 0 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(AUTOMATIC_UPDATES_NOT_SERVICING, AUTOMATIC_UPDATES_NOT_SERVICING_ROW);

const NO_INTERACTIVE_USER_ROW: Signature = Signature {
    id: "no-interactive-user",
    severity: Severity::Info,
    title: r#"An install waited for a signed-in user (0x80240020)"#,
    signal: Signal::InstallCodes(&[0x80240020]),
    wsus_client: false,
    cause: r#"WU_E_NO_INTERACTIVE_USER: the operation needs a user signed in (an update that asks for acceptance or shows UI) and nobody was. It is not a fault: the update installs at the next sign-in or when the deadline forces it."#,
    remedy: &[
        r#"Sign in to the machine (or let the deadline in the WSUS approval or the "Configure Automatic Updates" policy install it unattended)."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80240020	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80240020: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80240020	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80240020: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(NO_INTERACTIVE_USER, NO_INTERACTIVE_USER_ROW);

const RESTART_STILL_PENDING_ROW: Signature = Signature {
    id: "restart-still-pending",
    severity: Severity::Info,
    title: r#"An update waits for a restart to finish (0x80242014)"#,
    signal: Signal::InstallCodes(&[0x80242014]),
    wsus_client: false,
    cause: r#"The update's post-restart work has not run yet (WU_E_UH_POSTREBOOTSTILLPENDING): the install is done up to the restart. Until the machine restarts, later updates of the same component wait, and the WSUS console shows the machine as needing them."#,
    remedy: &[
        r#"Restart the machine, then scan again: {detect}"#,
        r#"If it never restarts by itself, set a restart deadline ("Specify deadlines for automatic updates and restarts", or a deadline on the approval in WSUS)."#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80242014	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80242014: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80242014	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80242014: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(RESTART_STILL_PENDING, RESTART_STILL_PENDING_ROW);

const INSTALL_BLOCKED_BY_ANOTHER_ROW: Signature = Signature {
    id: "install-blocked-by-another",
    severity: Severity::Info,
    title: r#"An install was refused because another one was running (0x80240016, 0x80070652)"#,
    signal: Signal::InstallCodes(&[0x80240016, 0x80070652]),
    wsus_client: false,
    cause: r#"WU_E_INSTALL_NOT_ALLOWED or ERROR_INSTALL_ALREADY_RUNNING: another installation (Windows Installer, another update, a software-deployment job) held the installer, or a restart was pending. The agent tries again later; only a code that repeats for days needs a look."#,
    remedy: &[
        r#"Let the other install finish and restart the machine; if it repeats, look for a stuck msiexec.exe or a deployment agent that keeps installing."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80240016	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80240016: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80240016	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80240016: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(INSTALL_BLOCKED_BY_ANOTHER, INSTALL_BLOCKED_BY_ANOTHER_ROW);

const DOWNLOAD_DENIED_LOCAL_USER_ROW: Signature = Signature {
    id: "download-denied-local-user",
    severity: Severity::Warning,
    title: r#"The download was refused for the local user (0x80246017)"#,
    signal: Signal::ClientCodes(&[0x80246017]),
    wsus_client: false,
    cause: r#"WU_E_DM_UNAUTHORIZED_LOCAL_USER: a download started on behalf of the signed-in user was refused because that user lacks the right to download updates on this machine (non-administrators, with policies that let only administrators install)."#,
    remedy: &[
        r#"Start the download as an administrator or from the system (automatic updates), or allow non-administrators to receive update notifications where that is wanted."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager *FAILED* [80246017] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x80246017
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(DOWNLOAD_DENIED_LOCAL_USER, DOWNLOAD_DENIED_LOCAL_USER_ROW);

const TRUSTEDINSTALLER_RESTART_REQUIRED_ROW: Signature = Signature {
    id: "trustedinstaller-restart-required",
    severity: Severity::Warning,
    title: r#"An install failed and needs a restart to roll back (0x80070BC9)"#,
    signal: Signal::InstallCodes(&[0x80070BC9]),
    wsus_client: false,
    cause: r#"ERROR_FAIL_REBOOT_REQUIRED: the servicing stack failed and has to restart to undo its changes. It repeats when the Windows Modules Installer (TrustedInstaller) service cannot start the way servicing needs, e.g. a policy sets its startup type, or a previous restart never happened."#,
    remedy: &[
        r#"Restart the machine, then retry the install."#,
        r#"If it comes back, check the startup type of the Windows Modules Installer service: it must be Manual (`sc config trustedinstaller start= demand`); remove any GPO that sets it."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070bc9	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070BC9: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070bc9	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070BC9: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(TRUSTEDINSTALLER_RESTART_REQUIRED, TRUSTEDINSTALLER_RESTART_REQUIRED_ROW);

const DISK_FULL_ROW: Signature = Signature {
    id: "disk-full",
    severity: Severity::Error,
    title: r#"Not enough disk space to download or install updates (0x80070070)"#,
    signal: Signal::InstallCodes(&[0x80070070]),
    wsus_client: false,
    cause: r#"ERROR_DISK_FULL: the system drive has no room for the update's files, its staging copy or the component store's growth. Cumulative and feature updates need several gigabytes free."#,
    remedy: &[
        r#"Free space on the system drive: Disk Cleanup with "Clean up system files", or `DISM /Online /Cleanup-Image /StartComponentCleanup`; empty %windir%\SoftwareDistribution\Download with the update service stopped."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070070	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070070: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070070	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070070: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(DISK_FULL, DISK_FULL_ROW);

const UPDATE_METADATA_INVALID_ROW: Signature = Signature {
    id: "update-metadata-invalid",
    severity: Severity::Warning,
    title: r#"The client found the update's metadata invalid (0x80242006)"#,
    signal: Signal::InstallCodes(&[0x80242006]),
    wsus_client: false,
    cause: r#"WU_E_UH_INVALIDMETADATA: the installer handler could not use the metadata the client holds for the update: the local datastore is damaged, or the metadata came from a server whose catalogue is damaged."#,
    remedy: &[
        r#"Reset the client's datastore: `net stop wuauserv`, `net stop bits`, rename %windir%\SoftwareDistribution, start both services, and scan again."#,
        r#"If several clients of the same server show it for the same update, decline and re-approve that update on the server (or run the Server Cleanup Wizard there)."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80242006	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80242006: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80242006	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80242006: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(UPDATE_METADATA_INVALID, UPDATE_METADATA_INVALID_ROW);

const COMPONENT_STORE_ELEMENT_MISSING_ROW: Signature = Signature {
    id: "component-store-element-missing",
    severity: Severity::Error,
    title: r#"Servicing could not find a package or component it needs (0x80070490)"#,
    signal: Signal::InstallCodes(&[0x80070490]),
    wsus_client: false,
    cause: r#"ERROR_NOT_FOUND during an install: the component store (WinSxS) lacks a manifest or package the update builds on, or its registration is damaged. CBS.log names the missing part. The update will fail the same way on every retry until the store is repaired."#,
    remedy: &[
        r#"Repair the store: `DISM /Online /Cleanup-Image /RestoreHealth` (a WSUS-only client needs `/Source:wim:D:\sources\install.wim:1 /LimitAccess` from matching media, or a one-off permission to reach Windows Update), then `sfc /scannow`."#,
        r#"Read %windir%\Logs\CBS\CBS.log around the failure for the missing package; then retry the update: {detect}"#,
    ],
    source: DISM,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070490	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070490: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070490	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070490: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(COMPONENT_STORE_ELEMENT_MISSING, COMPONENT_STORE_ELEMENT_MISSING_ROW);

const SXS_ASSEMBLY_MISSING_ROW: Signature = Signature {
    id: "sxs-assembly-missing",
    severity: Severity::Error,
    title: r#"A side-by-side assembly the update needs is missing (0x80073701)"#,
    signal: Signal::InstallCodes(&[0x80073701]),
    wsus_client: false,
    cause: r#"ERROR_SXS_ASSEMBLY_MISSING: the component store references an assembly that is not there, usually after a failed or interrupted earlier update or a manual cleanup of WinSxS. Cumulative updates fail on it until the store is repaired."#,
    remedy: &[
        r#"Run `DISM /Online /Cleanup-Image /RestoreHealth` (with `/Source:` pointing at matching install media on a client that only reaches WSUS), then `sfc /scannow`, restart, and retry."#,
        r#"If DISM cannot repair it, an in-place upgrade (repair install) from matching media keeps apps and data and rebuilds the store."#,
        r#"{detect}"#,
    ],
    source: DISM,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80073701	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80073701: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80073701	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80073701: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(SXS_ASSEMBLY_MISSING, SXS_ASSEMBLY_MISSING_ROW);

const EXPRESS_COMPONENT_MISSING_ROW: Signature = Signature {
    id: "express-component-missing",
    severity: Severity::Warning,
    title: r#"An express update found no matching installed component (0x800F0982)"#,
    signal: Signal::InstallCodes(&[0x800F0982]),
    wsus_client: false,
    cause: r#"PSFX_E_MATCHING_COMPONENT_NOT_FOUND: the update's deltas apply to components that are not installed as expected, typically after language packs or features on demand were added or removed. Microsoft's advice is to reinstall the language pack or feature and retry."#,
    remedy: &[
        r#"Remove and add again any language pack or feature on demand installed since the last cumulative update (Settings > Time & language, Optional features), restart, and retry."#,
        r#"Then `DISM /Online /Cleanup-Image /RestoreHealth` if it still fails; {detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	800f0982	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x800F0982: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	800f0982	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x800F0982: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(EXPRESS_COMPONENT_MISSING, EXPRESS_COMPONENT_MISSING_ROW);

const EXPRESS_DELTA_FAILED_ROW: Signature = Signature {
    id: "express-delta-failed",
    severity: Severity::Warning,
    title: r#"An express (delta) update could not be applied (0x800F0988, 0x800F0986)"#,
    signal: Signal::InstallCodes(&[0x800F0988, 0x800F0986]),
    wsus_client: false,
    cause: r#"The servicing stack could not apply the update's deltas to the installed files (PSFX_E_INVALID_DELTA_COMBINATION, PSFX_E_APPLY_FORWARD_DELTA_FAILED): superseded components still in the store, or a store damaged by an earlier failure. Cleaning up superseded components usually lets the next attempt succeed."#,
    remedy: &[
        r#"Run `DISM /Online /Cleanup-Image /StartComponentCleanup`, then `DISM /Online /Cleanup-Image /RestoreHealth`, restart, and retry."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	800f0988	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x800F0988: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	800f0988	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x800F0988: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(EXPRESS_DELTA_FAILED, EXPRESS_DELTA_FAILED_ROW);

const INVALID_DATA_DOWNLOADED_ROW: Signature = Signature {
    id: "invalid-data-downloaded",
    severity: Severity::Warning,
    title: r#"The update's data is invalid (0x8007000D)"#,
    signal: Signal::InstallCodes(&[0x8007000D]),
    wsus_client: false,
    cause: r#"ERROR_INVALID_DATA while installing: the downloaded payload or a file in the update datastore is damaged, so the installer rejects it. Downloading it again normally fixes it."#,
    remedy: &[
        r#"Delete the downloaded copy and fetch it again: `net stop wuauserv`, empty %windir%\SoftwareDistribution\Download, `net start wuauserv`."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	8007000d	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x8007000D: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	8007000d	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x8007000D: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(INVALID_DATA_DOWNLOADED, INVALID_DATA_DOWNLOADED_ROW);

const NEEDS_ANOTHER_DOWNLOAD_ROW: Signature = Signature {
    id: "needs-another-download",
    severity: Severity::Info,
    title: r#"The installer asked for more files (0x8024200D)"#,
    signal: Signal::InstallCodes(&[0x8024200D]),
    wsus_client: false,
    cause: r#"WU_E_UH_NEEDANOTHERDOWNLOAD: the installer handler found it needs files that were not downloaded yet (an express update that falls back to more content). The agent downloads them and installs again; a code that repeats points at the download failing."#,
    remedy: &[
        r#"Nothing to do if a later install succeeded; if it repeats, look at the download failures of the same update in this report."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	8024200d	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x8024200D: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	8024200d	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x8024200D: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(NEEDS_ANOTHER_DOWNLOAD, NEEDS_ANOTHER_DOWNLOAD_ROW);

const POST_RESTART_UNEXPECTED_ROW: Signature = Signature {
    id: "post-restart-unexpected",
    severity: Severity::Warning,
    title: r#"After the restart the update was in an unexpected state (0x80242016)"#,
    signal: Signal::InstallCodes(&[0x80242016]),
    wsus_client: false,
    cause: r#"WU_E_UH_POSTREBOOTUNEXPECTEDSTATE: the state the install left for the restart was not what the agent found afterwards, typically when the machine was turned off or restored during the restart phase, or another tool changed the same component."#,
    remedy: &[
        r#"Restart once more and retry the update; if it fails again, repair the store: `DISM /Online /Cleanup-Image /RestoreHealth`."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80242016	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80242016: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80242016	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80242016: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(POST_RESTART_UNEXPECTED, POST_RESTART_UNEXPECTED_ROW);

const WINDOWS_INSTALLER_UNAVAILABLE_ROW: Signature = Signature {
    id: "windows-installer-unavailable",
    severity: Severity::Error,
    title: r#"The Windows Installer service could not be reached (0x80070641)"#,
    signal: Signal::InstallCodes(&[0x80070641]),
    wsus_client: false,
    cause: r#"ERROR_INSTALL_SERVICE_FAILURE: updates packaged as MSI (Office, .NET, SQL Server and other products from Microsoft Update) need the Windows Installer service, and it could not be started or reached."#,
    remedy: &[
        r#"Check the service: `sc qc msiserver` (startup type Manual, not Disabled) and `msiexec /unregister` then `msiexec /regserver` to register it again; restart the machine."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070641	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070641: Security Update for Microsoft Office 2016 (KB5002700) 64-Bit Edition.	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070641	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070641: Security Update for Microsoft Office 2016 (KB5002700) 64-Bit Edition.	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: Security Update for Microsoft Office 2016 (KB5002700) 64-Bit Edition	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(WINDOWS_INSTALLER_UNAVAILABLE, WINDOWS_INSTALLER_UNAVAILABLE_ROW);

const DOWNLOAD_NO_NETWORK_ROW: Signature = Signature {
    id: "download-no-network",
    severity: Severity::Warning,
    title: r#"A download stopped because the network was unavailable (0x80246005)"#,
    signal: Signal::ClientCodes(&[0x80246005]),
    wsus_client: false,
    cause: r#"WU_E_DM_NONETWORK: the download manager found no usable network connection (disconnected, metered with downloads disallowed, or a VPN that dropped). It resumes when the network returns."#,
    remedy: &[
        r#"Check the machine was online and not on a metered connection that forbids downloads (Settings > Network > Metered connection; "Download updates over metered connections")."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager *FAILED* [80246005] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x80246005
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(DOWNLOAD_NO_NETWORK, DOWNLOAD_NO_NETWORK_ROW);

const PROXY_LIST_INVALID_ROW: Signature = Signature {
    id: "proxy-list-invalid",
    severity: Severity::Error,
    title: r#"The proxy settings the agent read are malformed (0x80240030)"#,
    signal: Signal::ClientCodes(&[0x80240030]),
    wsus_client: false,
    cause: r#"WU_E_INVALID_PROXY_SERVER: the proxy list the agent read (WinHTTP's setting, or the user's, which it copies in some cases) is not in a format it accepts, so it cannot build connections at all."#,
    remedy: &[
        r#"Look at it: `netsh winhttp show proxy`. Set it right with `netsh winhttp set proxy proxy-server="proxy.corp.local:8080" bypass-list="<local>;*.corp.local"` or clear it with `netsh winhttp reset proxy`."#,
        r#"{restart}"#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Misc            *FAILED* [80240030] WinHttp: ProxyList is not valid
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80240030
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           Found 0 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(PROXY_LIST_INVALID, PROXY_LIST_INVALID_ROW);

const EXTERNAL_CAB_ERRORS_ROW: Signature = Signature {
    id: "external-cab-errors",
    severity: Severity::Warning,
    title: r#"Processing an external cab file ended with errors (0x8024402F)"#,
    signal: Signal::ClientCodes(&[0x8024402F]),
    wsus_client: true,
    cause: r#"WU_E_PT_ECP_SUCCEEDED_WITH_ERRORS: the agent downloads cab files of metadata and the cab it got was incomplete or altered. Microsoft's mitigation names web filters between the machine and its update server (it cites one product that blocked the files) and proxies that change content."#,
    remedy: &[
        r#"Check the web filter or proxy between this machine and its update source: allow the WSUS server {host} unfiltered."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager *FAILED* [8024402F] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x8024402F
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(EXTERNAL_CAB_ERRORS, EXTERNAL_CAB_ERRORS_ROW);

const SELFUPDATE_IN_PROGRESS_ROW: Signature = Signature {
    id: "selfupdate-in-progress",
    severity: Severity::Info,
    title: r#"A call waited because the agent was updating itself (0x8024001B)"#,
    signal: Signal::ClientCodes(&[0x8024001B]),
    wsus_client: false,
    cause: r#"WU_E_SELFUPDATE_IN_PROGRESS: the operation was refused because the Windows Update Agent was installing a new version of itself. Transient by nature; the next attempt after the self-update works."#,
    remedy: &[r#"Nothing to do unless it repeats for hours; then see the self-update findings in this report and {restart}"#],
    source: Article::ErrorReference,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           *FAILED* [8024001B] Method failed [CAgentServiceManager::StartService:1021]
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x8024001B
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           Found 0 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(SELFUPDATE_IN_PROGRESS, SELFUPDATE_IN_PROGRESS_ROW);

const INVALID_FILE_FORMAT_ROW: Signature = Signature {
    id: "invalid-file-format",
    severity: Severity::Warning,
    title: r#"A file of the update is in the wrong format (0x80240031)"#,
    signal: Signal::ClientCodes(&[0x80240031]),
    wsus_client: false,
    cause: r#"WU_E_INVALID_FILE: a file the agent opened (a downloaded package or a cab of metadata) is not in the format it expects: truncated, replaced by a proxy's error page, or damaged on disk."#,
    remedy: &[
        r#"Delete the downloads and fetch them again: `net stop wuauserv`, empty %windir%\SoftwareDistribution\Download, `net start wuauserv`; if it repeats, check for a proxy altering downloads."#,
        r#"{detect}"#,
    ],
    source: Article::ErrorReference,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager *FAILED* [80240031] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x80240031
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(INVALID_FILE_FORMAT, INVALID_FILE_FORMAT_ROW);

const BITS_VALIDATION_FAILED_ROW: Signature = Signature {
    id: "bits-validation-failed",
    severity: Severity::Warning,
    title: r#"BITS rejected the web server's answer for a download (0x80200053)"#,
    signal: Signal::ClientCodes(&[0x80200053]),
    wsus_client: true,
    cause: r#"BG_E_VALIDATION_FAILED: BITS checks what the web server answers (sizes, ranges, headers) and the answer failed those checks. Microsoft's mitigation points at firewall or proxy filtering of the download's traffic between the client and the WSUS server it downloads from."#,
    remedy: &[
        r#"Check for a firewall, proxy or web filter that inspects or rewrites the download path, and exempt {host} from it."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager *FAILED* [80200053] Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} failed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x80200053
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(BITS_VALIDATION_FAILED, BITS_VALIDATION_FAILED_ROW);

const SUSDB_QUERY_TIMEOUT_ROW: Signature = Signature {
    id: "susdb-query-timeout",
    severity: Severity::Error,
    title: r#"SUSDB queries time out (Execution Timeout Expired)"#,
    signal: Signal::ServerText(&[
        &[r#"Execution Timeout Expired"#],
        &[r#"Timeout expired.  The timeout period elapsed prior to completion"#],
    ]),
    wsus_client: false,
    cause: r#"WSUS gives its database calls a fixed time-out; a SUSDB that was never cleaned or reindexed, holding tens of thousands of superseded updates, makes cleanup, synchronisation and console queries run past it. The Server Cleanup Wizard then fails part-way, which makes the next run even longer. Microsoft's maintenance order: back up, reindex, decline superseded updates, clean up, in that order and repeatedly."#,
    remedy: &[
        r#"On {host}, reindex SUSDB first (Microsoft's WsusDBMaintenance script, run with sqlcmd against the instance: `\\.\pipe\MICROSOFT##WID\tsql\query` for the Windows Internal Database)."#,
        r#"Decline superseded and expired updates, then run the Server Cleanup Wizard (or `Invoke-WsusServerCleanup`) one option at a time, repeating the obsolete-updates step until it completes."#,
        r#"Schedule the reindex and cleanup monthly so the time-out is not reached again."#,
    ],
    source: MAINT,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	DBConnection.OnReceivedSqlException	System.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.
   at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean breakConnection, Action`1 wrapCloseInAction)
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_QUERY_TIMEOUT, SUSDB_QUERY_TIMEOUT_ROW);

const SUSDB_CONNECTION_POOL_EXHAUSTED_ROW: Signature = Signature {
    id: "susdb-connection-pool-exhausted",
    severity: Severity::Error,
    title: r#"WSUS ran out of SUSDB connections (connection pool time-out)"#,
    signal: Signal::ServerText(&[&[r#"prior to obtaining a connection from the pool"#]]),
    wsus_client: false,
    cause: r#"ADO.NET gives each process a pool of database connections; when every one is busy with a slow SUSDB query, new requests wait and then fail. On WSUS this follows an overloaded database (scans of an unmaintained catalogue) and shows up as clients failing and the console disconnecting."#,
    remedy: &[
        r#"Treat the cause: reindex SUSDB and decline superseded updates on {host} so each scan's queries finish quickly."#,
        r#"While it recovers, limit the WSUS site's concurrent connections in IIS (Advanced Settings > Limits, e.g. 50-100) so the database is not flooded."#,
    ],
    source: CPU,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	DBConnection.Connect	System.InvalidOperationException: Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.  This may have occurred because all pooled connections were in use and max pool size was reached.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_CONNECTION_POOL_EXHAUSTED, SUSDB_CONNECTION_POOL_EXHAUSTED_ROW);

const SUSDB_DEADLOCK_ROW: Signature = Signature {
    id: "susdb-deadlock",
    severity: Severity::Warning,
    title: r#"SUSDB transactions are chosen as deadlock victims"#,
    signal: Signal::ServerText(&[&[r#"chosen as the deadlock victim"#]]),
    wsus_client: false,
    cause: r#"SQL Server ended a WSUS transaction to break a deadlock with another one (error 1205). A few during cleanup or a large synchronisation are harmless retries; many mean two heavy jobs (cleanup and sync, or a reindex) run at the same time on an overloaded database."#,
    remedy: &[
        r#"Do not run the cleanup, reindex and synchronisation at the same time on {host}: schedule them apart."#,
        r#"If it persists, reindex SUSDB and decline superseded updates to shorten every transaction."#,
    ],
    source: SQL1205,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Warning	WsusService.21	DataAccess.GetNextQueuedSubscription	Message: Transaction (Process ID 56) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_DEADLOCK, SUSDB_DEADLOCK_ROW);

const SUSDB_LOGIN_FAILED_ROW: Signature = Signature {
    id: "susdb-login-failed",
    severity: Severity::Error,
    title: r#"WSUS cannot log in to its database (SUSDB login failed)"#,
    signal: Signal::ServerText(&[&[r#"Cannot open database "SUSDB""#], &[r#"Login failed for user"#]]),
    wsus_client: false,
    cause: r#"The WSUS service or web services could not open SUSDB with their account: the database is offline, detached or being restored, the instance was renamed, or the login for NT AUTHORITY\NETWORK SERVICE (or the server's computer account on a remote SQL Server) lost its rights, often after a move of the database or a failed postinstall."#,
    remedy: &[
        r#"On the SQL instance WSUS uses, check SUSDB is online and that NT AUTHORITY\NETWORK SERVICE (local instance or WID) or DOMAIN\{host}$ (remote SQL Server) is a login mapped to SUSDB with the webService role."#,
        r#"Then run postinstall again to verify: `"%ProgramFiles%\Update Services\Tools\wsusutil.exe" postinstall SQL_INSTANCE_NAME="SQLSERVER\INSTANCE" CONTENT_DIR=D:\WSUS` (for WID, `postinstall CONTENT_DIR=D:\WSUS`), and restart the WSUS service."#,
    ],
    source: SQL18456,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	DBConnection.Connect	System.Data.SqlClient.SqlException (0x80131904): Cannot open database "SUSDB" requested by the login. The login failed.
   Login failed for user 'NT AUTHORITY\NETWORK SERVICE'.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_LOGIN_FAILED, SUSDB_LOGIN_FAILED_ROW);

const SUSDB_TRANSACTION_LOG_FULL_ROW: Signature = Signature {
    id: "susdb-transaction-log-full",
    severity: Severity::Error,
    title: r#"SUSDB's transaction log is full"#,
    signal: Signal::ServerText(&[&[r#"The transaction log for database 'SUSDB' is full"#]]),
    wsus_client: false,
    cause: r#"SQL Server error 9002: the log file of SUSDB cannot grow (disk full or a maximum size) and, in the full recovery model without log backups, is never truncated. Every write WSUS makes then fails: synchronisation, approvals, client reports."#,
    remedy: &[
        r#"See why the log cannot be reused: `SELECT log_reuse_wait_desc FROM sys.databases WHERE name = 'SUSDB'` on the instance {host} uses."#,
        r#"WSUS needs no point-in-time restore: set SUSDB to the simple recovery model (or back up its log regularly), shrink the log file once, and free disk space on the log's drive."#,
    ],
    source: SQL9002,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	DBConnection.OnReceivedSqlException	System.Data.SqlClient.SqlException (0x80131904): The transaction log for database 'SUSDB' is full due to 'LOG_BACKUP'.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_TRANSACTION_LOG_FULL, SUSDB_TRANSACTION_LOG_FULL_ROW);

const SUSDB_FILEGROUP_FULL_ROW: Signature = Signature {
    id: "susdb-filegroup-full",
    severity: Severity::Error,
    title: r#"SUSDB is full (its PRIMARY filegroup cannot grow)"#,
    signal: Signal::ServerText(&[&[r#"in database 'SUSDB' because the 'PRIMARY' filegroup is full"#]]),
    wsus_client: false,
    cause: r#"SQL Server error 1105: SUSDB's data file cannot grow. On SQL Server Express this is the 10 GB database size limit, which a WSUS catalogue that synchronises many products, languages or drivers reaches; elsewhere the disk or the file's maximum size is the limit."#,
    remedy: &[
        r#"Shrink what WSUS keeps: decline superseded and unneeded updates, untick products, classifications and languages you do not deploy (drivers above all), run the Server Cleanup Wizard, then reindex."#,
        r#"If SUSDB is on SQL Server Express, move it to the Windows Internal Database or a full SQL Server edition, which have no 10 GB limit; otherwise give the data file room to grow."#,
    ],
    source: SQL1105,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	DBConnection.OnReceivedSqlException	System.Data.SqlClient.SqlException (0x80131904): Could not allocate space for object 'dbo.tbXml'.'PK__tbXml__0E9A0D1B' in database 'SUSDB' because the 'PRIMARY' filegroup is full. Create disk space by deleting unneeded files, dropping objects in the filegroup, adding additional files to the filegroup, or setting autogrowth on for existing files in the filegroup.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_FILEGROUP_FULL, SUSDB_FILEGROUP_FULL_ROW);

const SUSDB_UNREACHABLE_ROW: Signature = Signature {
    id: "susdb-unreachable",
    severity: Severity::Error,
    title: r#"WSUS cannot connect to the SQL Server that holds SUSDB"#,
    signal: Signal::ServerText(&[&[r#"error occurred while establishing a connection to SQL Server"#]]),
    wsus_client: false,
    cause: r#"The WSUS service found no SQL instance at the name it was configured with: the SQL Server (or the Windows Internal Database service, MSSQL$MICROSOFT##WID) is stopped, the instance name changed, or a firewall blocks a remote SQL Server. Nothing in WSUS works without it."#,
    remedy: &[
        r#"On {host}, start the database service: `net start MSSQL$MICROSOFT##WID` for the Windows Internal Database, or the SQL Server service of the configured instance."#,
        r#"Check the instance WSUS expects: `reg query "HKLM\SOFTWARE\Microsoft\Update Services\Server\Setup" /v SqlServerName`; for a remote SQL Server, allow its port through the firewall."#,
    ],
    source: SQLCONN,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	DBConnection.Connect	System.Data.SqlClient.SqlException (0x80131904): A network-related or instance-specific error occurred while establishing a connection to SQL Server. The server was not found or was not accessible. Verify that the instance name is correct and that SQL Server is configured to allow remote connections.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SUSDB_UNREACHABLE, SUSDB_UNREACHABLE_ROW);

const SYNC_ENDPOINT_RETIRED_ROW: Signature = Signature {
    id: "sync-endpoint-retired",
    severity: Severity::Error,
    title: r#"WSUS synchronises with a retired Microsoft Update endpoint (fe2.update.microsoft.com)"#,
    signal: Signal::ServerText(&[&[r#"fe2.update.microsoft.com"#, r#"ServerSyncWebService"#]]),
    wsus_client: false,
    cause: r#"Microsoft decommissioned fe2.update.microsoft.com as a WSUS synchronisation endpoint: connections to it fail. Windows Server 2012 and later must synchronise with https://sws.update.microsoft.com; a server still configured with the old URL (an old setup, or a value copied by a script) never synchronises again."#,
    remedy: &[
        r#"On {host}, read the endpoint in PowerShell: `(Get-WsusServer).GetConfiguration().MUUrl`."#,
        r#"Set it to the current one: `$c = (Get-WsusServer).GetConfiguration(); $c.MUUrl = 'https://sws.update.microsoft.com'; $c.RedirectorChangeNumber = 4002; $c.Save()`, then `iisreset` and `net stop wsusservice && net start wsusservice`, and synchronise."#,
    ],
    source: Article::WsusSyncTroubleshooting,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	WebServiceCommunicationHelper.ProcessWebServiceProxyException	System.Net.WebException: Unable to connect to the remote server, url: https://fe2.update.microsoft.com/v6/ServerSyncWebService/ServerSyncWebService.asmx
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SYNC_ENDPOINT_RETIRED, SYNC_ENDPOINT_RETIRED_ROW);

const CONTENT_SYNC_CERT_VERIFICATION_ROW: Signature = Signature {
    id: "content-sync-cert-verification",
    severity: Severity::Error,
    title: r#"Update files downloaded by the WSUS server fail their signature check (File cert verification failure)"#,
    signal: Signal::ServerText(&[&[r#"File cert verification failure"#]]),
    wsus_client: false,
    cause: r#"The WSUS server checks the signature of every file it downloads before clients may have it; "File cert verification failure" means the check failed: the server lacks current root or intermediate certificates to build the chain, or a proxy altered the file. Clients never get those updates."#,
    remedy: &[
        r#"On {host}, update its trusted roots: `certutil -generateSSTFromWU roots.sst` on a machine with internet access, then import roots.sst into the Local Computer's Trusted Root store on the server."#,
        r#"If a proxy inspects downloads from Microsoft, exempt *.windowsupdate.com and *.update.microsoft.com; then in the console, retry the failed downloads (or `wsusutil reset`)."#,
    ],
    source: MSGS,
    fires: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 364
  Task: 1
  Level: Error
  Computer: WSUS01.corp.local
  Description: 
Content file download failed. Reason: File cert verification failure. Source File: /msdownload/update/software/secu/2025/05/windows10.0-kb5058379-x64_e1b1a6a8c7f1f2d3.cab Destination File: D:\WSUS\WsusContent\D3\E1B1A6A8C7F1F2D3A4B5C6D7E8F9A0B1C2D3E4D3.cab
"#,
    passes: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 10021
  Task: 1
  Level: Information
  Computer: WSUS01.corp.local
  Description: 
The catalog was last synchronized successfully 1 or more days ago.
"#,
};
data_rule!(CONTENT_SYNC_CERT_VERIFICATION, CONTENT_SYNC_CERT_VERIFICATION_ROW);

const CONTENT_SYNC_RANGE_UNSUPPORTED_ROW: Signature = Signature {
    id: "content-sync-range-unsupported",
    severity: Severity::Error,
    title: r#"Update file downloads fail: a proxy between the WSUS server and Microsoft strips Range requests"#,
    signal: Signal::ServerText(&[&[r#"support the Range protocol header"#]]),
    wsus_client: false,
    cause: r#"BITS downloads update files in pieces with HTTP Range requests; WSUS event 364 with this reason means the answer came without range support, which is what a proxy or web filter that rewrites or caches the download does. No file reaches the content folder."#,
    remedy: &[
        r#"Exempt Microsoft's download hosts (*.windowsupdate.com, *.update.microsoft.com, *.delivery.mp.microsoft.com) from the proxy's caching and content inspection for {host}."#,
        r#"Then retry the failed downloads in the console (or run `wsusutil reset` on {host}) and check the next event 364s are gone."#,
    ],
    source: MSGS,
    fires: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 364
  Task: 1
  Level: Error
  Computer: WSUS01.corp.local
  Description: 
Content file download failed. Reason: The server does not support the necessary HTTP protocol. Background Intelligent Transfer Service (BITS) requires that the server support the Range protocol header. Source File: /msdownload/update/software/secu/2025/05/windows10.0-kb5058379-x64_e1b1a6a8c7f1f2d3.cab Destination File: D:\WSUS\WsusContent\D3\E1B1A6A8C7F1F2D3A4B5C6D7E8F9A0B1C2D3E4D3.cab
"#,
    passes: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 10021
  Task: 1
  Level: Information
  Computer: WSUS01.corp.local
  Description: 
The catalog was last synchronized successfully 1 or more days ago.
"#,
};
data_rule!(CONTENT_SYNC_RANGE_UNSUPPORTED, CONTENT_SYNC_RANGE_UNSUPPORTED_ROW);

const CONTENT_SYNC_DISK_FULL_ROW: Signature = Signature {
    id: "content-sync-disk-full",
    severity: Severity::Error,
    title: r#"The WSUS content drive is full"#,
    signal: Signal::ServerText(&[&[r#"There is not enough space on the disk"#]]),
    wsus_client: false,
    cause: r#"The WSUS server could not store downloaded update files: the drive of its content folder (WsusContent) is full. Approvals keep waiting for files and clients fail to download them."#,
    remedy: &[
        r#"On {host}, free or add space on the content drive; run the Server Cleanup Wizard with "Unneeded update files" to remove content of declined and superseded updates."#,
        r#"If the drive cannot grow, move the content: `wsusutil movecontent E:\WSUS E:\move.log`, then retry the failed downloads."#,
    ],
    source: MSGS,
    fires: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 364
  Task: 1
  Level: Error
  Computer: WSUS01.corp.local
  Description: 
Content file download failed. Reason: There is not enough space on the disk. Source File: /msdownload/update/software/secu/2025/05/windows10.0-kb5058379-x64_e1b1a6a8c7f1f2d3.cab Destination File: D:\WSUS\WsusContent\D3\E1B1A6A8C7F1F2D3A4B5C6D7E8F9A0B1C2D3E4D3.cab
"#,
    passes: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 10021
  Task: 1
  Level: Information
  Computer: WSUS01.corp.local
  Description: 
The catalog was last synchronized successfully 1 or more days ago.
"#,
};
data_rule!(CONTENT_SYNC_DISK_FULL, CONTENT_SYNC_DISK_FULL_ROW);

const CONTENT_SYNC_ACCESS_DENIED_ROW: Signature = Signature {
    id: "content-sync-access-denied",
    severity: Severity::Error,
    title: r#"The WSUS server may not write to its content folder"#,
    signal: Signal::ServerText(&[&[r#"Content file download failed"#, r#"Access is denied"#]]),
    wsus_client: false,
    cause: r#"Event 364 with "Access is denied": the WSUS service (NETWORK SERVICE) cannot write into the content folder, usually after the folder was moved, restored or put on a share without the rights WSUS set at setup."#,
    remedy: &[
        r#"On {host}, give NT AUTHORITY\NETWORK SERVICE full control of the WsusContent folder (and, on a share, the computer account DOMAIN\{host}$ on both the share and NTFS)."#,
        r#"Then retry the downloads in the console, or run `wsusutil reset`."#,
    ],
    source: MSGS,
    fires: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 364
  Task: 1
  Level: Error
  Computer: WSUS01.corp.local
  Description: 
Content file download failed. Reason: Access is denied. Source File: /msdownload/update/software/secu/2025/05/windows10.0-kb5058379-x64_e1b1a6a8c7f1f2d3.cab Destination File: D:\WSUS\WsusContent\D3\E1B1A6A8C7F1F2D3A4B5C6D7E8F9A0B1C2D3E4D3.cab
"#,
    passes: r#"Event[0]:
  Log Name: Application
  Source: Windows Server Update Services
  Date: 2025-06-03T02:40:11.000
  Event ID: 10021
  Task: 1
  Level: Information
  Computer: WSUS01.corp.local
  Description: 
The catalog was last synchronized successfully 1 or more days ago.
"#,
};
data_rule!(CONTENT_SYNC_ACCESS_DENIED, CONTENT_SYNC_ACCESS_DENIED_ROW);

const WSUS_OUT_OF_MEMORY_ROW: Signature = Signature {
    id: "wsus-out-of-memory",
    severity: Severity::Warning,
    title: r#"The WSUS service or web services ran out of memory"#,
    signal: Signal::ServerText(&[&[r#"System.OutOfMemoryException"#]]),
    wsus_client: false,
    cause: r#"A WSUS process threw OutOfMemoryException: the WsusPool worker hit its private memory limit, or the WSUS service worked on a catalogue too large for the memory it has. Unmaintained catalogues with many superseded updates and driver metadata are the usual reason."#,
    remedy: &[
        r#"On {host}, raise WsusPool's private memory limit (IIS Manager > Application Pools > WsusPool > Advanced Settings: 4,000,000 KB or more, or 0 for no limit) and give the server more memory if it has under 8 GB."#,
        r#"Shrink the catalogue: decline superseded updates, untick unused products and drivers, run the cleanup and a reindex."#,
    ],
    source: CPU,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	WebService.GetUpdateData	System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(WSUS_OUT_OF_MEMORY, WSUS_OUT_OF_MEMORY_ROW);

const SYNC_UPSTREAM_NAME_UNRESOLVED_ROW: Signature = Signature {
    id: "sync-upstream-name-unresolved",
    severity: Severity::Error,
    title: r#"The WSUS server cannot resolve its upstream server's name"#,
    signal: Signal::ServerText(&[&[r#"The remote name could not be resolved"#]]),
    wsus_client: false,
    cause: r#"WebException NameResolutionFailure: the WSUS server's DNS does not resolve the name of Microsoft Update (sws.update.microsoft.com) or of its upstream WSUS server, or a proxy is required and not configured, so no connection is even tried."#,
    remedy: &[
        r#"On {host}, run `Resolve-DnsName sws.update.microsoft.com` (or the upstream server's name) and fix the DNS servers or forwarders it uses."#,
        r#"If the network allows the internet only through a proxy, set it in the WSUS console (Options > Update Source and Proxy Server > Proxy Server), then synchronise."#,
    ],
    source: Article::WsusSyncTroubleshooting,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	WebServiceCommunicationHelper.ProcessWebServiceProxyException	System.Net.WebException: The remote name could not be resolved: 'sws.update.microsoft.com'
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SYNC_UPSTREAM_NAME_UNRESOLVED, SYNC_UPSTREAM_NAME_UNRESOLVED_ROW);

const SYNC_UPSTREAM_REFUSED_ROW: Signature = Signature {
    id: "sync-upstream-refused",
    severity: Severity::Error,
    title: r#"The WSUS server cannot connect to its upstream server"#,
    signal: Signal::ServerText(&[&[r#"Unable to connect to the remote server"#]]),
    wsus_client: false,
    cause: r#"WebException ConnectFailure: the connection to Microsoft Update or the upstream WSUS server was refused or timed out, because an outbound firewall blocks port 443 (or the upstream's 8530/8531), a proxy is needed, or the upstream server is down."#,
    remedy: &[
        r#"From {host}, `Test-NetConnection sws.update.microsoft.com -Port 443` (or the upstream server and its port); allow the connection in the firewall, or configure the proxy in the WSUS console."#,
        r#"For a downstream server, check the upstream's WSUS site is started and answers on its port."#,
    ],
    source: Article::WsusSyncTroubleshooting,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	WebServiceCommunicationHelper.ProcessWebServiceProxyException	System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: A connection attempt failed because the connected party did not properly respond after a period of time 20.72.235.82:443
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SYNC_UPSTREAM_REFUSED, SYNC_UPSTREAM_REFUSED_ROW);

const SYNC_UPSTREAM_UNAVAILABLE_ROW: Signature = Signature {
    id: "sync-upstream-unavailable",
    severity: Severity::Error,
    title: r#"The upstream server answered 503 Service Unavailable to the synchronisation"#,
    signal: Signal::ServerText(&[&[r#"The request failed with HTTP status 503"#]]),
    wsus_client: false,
    cause: r#"WSUS message 6703 "WSUS Synchronization Failed" with HTTP status 503: the upstream WSUS server's WsusPool application pool was stopped or overloaded when this server synchronised from it (on an upstream, the same text comes from its own console). Microsoft's tips point at the pool's private memory limit, 1,843,200 KB by default."#,
    remedy: &[
        r#"On the upstream server, start WsusPool (IIS Manager > Application Pools) and raise its private memory limit (4,000,000 KB or more); then synchronise {host} again."#,
        r#"If the upstream is Microsoft Update itself, wait and retry: a 503 from Microsoft is a service-side outage."#,
    ],
    source: MSGS,
    fires: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:14:08.391 UTC	Error	WsusService.21	WebServiceCommunicationHelper.ProcessWebServiceProxyException	System.Net.WebException: The request failed with HTTP status 503: Service Unavailable.
"#,
    passes: r#"2025-06-03 02:00:01.102 UTC	Info	WsusService.13	SyncManager.StartSync	Starting synchronization of type Subscription
2025-06-03 02:31:44.917 UTC	Info	WsusService.13	SyncManager.SyncThreadProc	Synchronization completed: 412 updates processed, 0 failed.
"#,
};
data_rule!(SYNC_UPSTREAM_UNAVAILABLE, SYNC_UPSTREAM_UNAVAILABLE_ROW);

const FILE_IN_USE_ROW: Signature = Signature {
    id: "file-in-use",
    severity: Severity::Warning,
    title: r#"A file the update needs was held by another process (0x80070020)"#,
    signal: Signal::InstallCodes(&[0x80070020]),
    wsus_client: false,
    cause: r#"ERROR_SHARING_VIOLATION: another program had the file open when the update wanted it, most often antivirus scanning the download or the component store, a backup agent, or an indexing tool. Microsoft's mitigation is to find the program with a clean boot."#,
    remedy: &[
        r#"Retry after a restart; if it repeats, exclude %windir%\SoftwareDistribution and %windir%\WinSxS from real-time scanning of third-party antivirus, or perform a clean boot (msconfig: hide Microsoft services, disable the rest) and install then."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070020	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070020: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	80070020	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x80070020: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(FILE_IN_USE, FILE_IN_USE_ROW);

const UPDATE_SERVICE_NOT_REGISTERED_ROW: Signature = Signature {
    id: "update-service-not-registered",
    severity: Severity::Warning,
    title: r#"The agent was asked for an update service that is not registered (0x80240042)"#,
    signal: Signal::ClientCodes(&[0x80240042]),
    wsus_client: false,
    cause: r#"WU_E_UNKNOWN_SERVICE: a caller asked for an update service by its id (Microsoft Update, the Store, a management tool's service) that is not registered on this machine, for example Microsoft Update after its opt-in was removed, or a script written for another setup."#,
    remedy: &[
        r#"List the registered services: in PowerShell, `(New-Object -ComObject Microsoft.Update.ServiceManager).Services | Select Name, ServiceID, IsDefaultAUService`."#,
        r#"Register Microsoft Update again if products other than Windows should update from it (Settings > Windows Update > Advanced options > Receive updates for other Microsoft products), or fix the caller's service id."#,
        r#"{detect}"#,
    ],
    source: Article::ErrorReference,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           *FAILED* [80240042] Method failed [CAgentServiceManager::StartService:1021]
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80240042
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           Found 0 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(UPDATE_SERVICE_NOT_REGISTERED, UPDATE_SERVICE_NOT_REGISTERED_ROW);

const USER_ACCESS_DISABLED_ROW: Signature = Signature {
    id: "user-access-disabled",
    severity: Severity::Info,
    title: r#"Policy blocks the user's access to Windows Update (0x80240025)"#,
    signal: Signal::ClientCodes(&[0x80240025]),
    wsus_client: false,
    cause: r#"WU_E_USER_ACCESS_DISABLED: the user asked for Windows Update (Settings, a script under the user's account) and a Group Policy removes user access to it. Updates still install under the machine's own schedule; only the user's action is refused."#,
    remedy: &[
        r#"Expected where "Remove access to use all Windows Update features" is enabled on purpose; otherwise disable it in the GPO and run `gpupdate /force`."#,
        r#"{detect}"#,
    ],
    source: Article::ErrorReference,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           *FAILED* [80240025] Method failed [CAgentServiceManager::StartService:1021]
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x80240025
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 7
2025/04/16 09:12:41.1275567 1120  4528  Agent           Found 0 updates and 74 categories in search; evaluated appl. rules of 1822 out of 3412 deployed entities
2025/04/16 09:12:42.1276567 1120  4528  Agent           * END * Finding updates CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(USER_ACCESS_DISABLED, USER_ACCESS_DISABLED_ROW);

const SERVICING_STACK_REQUIRED_ROW: Signature = Signature {
    id: "servicing-stack-required",
    severity: Severity::Warning,
    title: r#"The update needs a newer servicing stack first (0x800F0823)"#,
    signal: Signal::InstallCodes(&[0x800F0823]),
    wsus_client: false,
    cause: r#"CBS_E_NEW_SERVICING_STACK_REQUIRED: the package can only be installed by a newer servicing stack than the machine has. On WSUS this happens when the servicing stack update was not approved (or is declined) while the cumulative update that needs it is."#,
    remedy: &[
        r#"Approve and install the latest servicing stack update for this Windows version first (approve it on the WSUS server of a WSUS client, or take it from the Microsoft Update Catalog), restart, then install the cumulative update."#,
        r#"{detect}"#,
    ],
    source: ERRORS,
    fires: r#"{A9447537-8B81-4256-8A9D-679314240BA2}	2025-04-16 03:02:30:616-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	800f0823	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x800F0823: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.1.0.0.0
{A9447537-8B81-4256-8A9D-679314241BA2}	2025-04-17 03:04:12:102-0700	1	182 [AGENT_INSTALLING_FAILED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	800f0823	UpdateOrchestrator	Failure	Content Install	Installation Failure: Windows failed to install the following update with error 0x800F0823: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523).	nHkjhlDm4k0KxQ.2.0.0.0
"#,
    passes: r#"{C1447537-8B81-4256-8A9D-679314240BA4}	2025-04-16 03:02:30:616-0700	1	183 [AGENT_INSTALLING_SUCCEEDED]	101	{FCDEE98A-52DD-4FC9-8AFA-8CA401333216}	200	0	UpdateOrchestrator	Success	Content Install	Installation Successful: Windows successfully installed the following update: 2025-04 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5055523)	nHkjhlDm4k0KxQ.1.0.0.0
"#,
};
data_rule!(SERVICING_STACK_REQUIRED, SERVICING_STACK_REQUIRED_ROW);

const LOCAL_PUBLISHING_CERT_UNTRUSTED_ROW: Signature = Signature {
    id: "local-publishing-cert-untrusted",
    severity: Severity::Error,
    title: r#"An update file's signature is not trusted on the client (0x800B0004): the WSUS signing certificate is missing"#,
    signal: Signal::ClientCodes(&[0x800B0004]),
    wsus_client: true,
    cause: r#"TRUST_E_SUBJECT_NOT_TRUSTED on a downloaded update file: the client does not trust the file's signer. Locally published (third-party) updates are signed by the WSUS server's own signing certificate, which every client needs in its Trusted Publishers store (and in Trusted Root when it is self-signed), with the policy that allows signed updates from the intranet server; a new or renewed signing certificate that was not redistributed gives this on every client."#,
    remedy: &[
        r#"Export the WSUS signing certificate from {host} (it is in the server's local-machine `WSUS` certificate store; third-party publishing tools also show it on their certificate page) and deploy it by Group Policy to Computer Configuration > Windows Settings > Security Settings > Public Key Policies > Trusted Publishers, and to Trusted Root Certification Authorities if it is self-signed."#,
        r#"Enable "Allow signed updates from an intranet Microsoft update service location" (AcceptTrustedPublisherCerts = 1) in the same GPO, run `gpupdate /force`."#,
        r#"If the file is a Microsoft update rather than a locally published one, the client's root certificates are out of date: update them (`certutil -generateSSTFromWU roots.sst` on a connected machine, then import)."#,
        r#"{detect}"#,
    ],
    source: THIRDPARTY,
    fires: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager New download job {5C2B7A10-3E4F-4A6B-9C8D-1E2F3A4B5C6D} for UpdateId 0E1F2A3B-4C5D-4E6F-8A9B-0C1D2E3F4A5B.1
2025/04/16 09:12:42.1276567 1120  4528  Misc            WARNING: Digital Signatures on file C:\Windows\SoftwareDistribution\Download\8a1c6f2e0b9d\AcroRdrDCUpd2400420220.msp are not trusted: Error 0x800b0004
2025/04/16 09:12:43.1277567 1120  4528  DownloadManager *FAILED* [800B0004] Download job {5C2B7A10-3E4F-4A6B-9C8D-1E2F3A4B5C6D} failed, updateId = 0E1F2A3B-4C5D-4E6F-8A9B-0C1D2E3F4A5B.1
"#,
    passes: r#"2025/04/16 09:12:40.1274567 1120  4528  Agent           WSUS server: http://wsus01.corp.local:8530 (Unchanged)
2025/04/16 09:12:41.1275567 1120  4528  DownloadManager New download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} for UpdateId 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:42.1276567 1120  4528  DownloadManager Download job {3F4A9C21-6B1D-4E8F-9A2B-7C5D1E0F3A48} completed, updateId = 7D6E5F4A-3B2C-1D0E-9F8A-7B6C5D4E3F2A.1
2025/04/16 09:12:43.1277567 1120  4528  Agent           * END * Download CallerId = UpdateOrchestrator  Exit code = 0x00000000
"#,
};
data_rule!(LOCAL_PUBLISHING_CERT_UNTRUSTED, LOCAL_PUBLISHING_CERT_UNTRUSTED_ROW);

/// Every row, in catalogue order.
pub static ROWS: &[&Signature] = &[
    &UNMANAGED_SERVER_BLOCKED_ROW,
    &REDIRECTOR_BLOCKED_BY_POLICY_ROW,
    &WSUS_SOAP_RESPONSE_UNREADABLE_ROW,
    &WSUS_CLIENT_CACHE_REFRESH_ROW,
    &WIN11_24H2_SERVICE_CRASH_ROW,
    &CONTENT_HASH_MISMATCH_ROW,
    &UPGRADES_CLASSIFICATION_UNEXPECTED_ROW,
    &WSUS_RESPONSE_INVALID_ROW,
    &SERVER_URL_REJECTED_ROW,
    &WUSERVER_NOT_SET_ROW,
    &CONNECTION_RESET_ROW,
    &UPDATE_SERVICE_DISABLED_ROW,
    &AUTOMATIC_UPDATES_NOT_SERVICING_ROW,
    &NO_INTERACTIVE_USER_ROW,
    &RESTART_STILL_PENDING_ROW,
    &INSTALL_BLOCKED_BY_ANOTHER_ROW,
    &DOWNLOAD_DENIED_LOCAL_USER_ROW,
    &TRUSTEDINSTALLER_RESTART_REQUIRED_ROW,
    &DISK_FULL_ROW,
    &UPDATE_METADATA_INVALID_ROW,
    &COMPONENT_STORE_ELEMENT_MISSING_ROW,
    &SXS_ASSEMBLY_MISSING_ROW,
    &EXPRESS_COMPONENT_MISSING_ROW,
    &EXPRESS_DELTA_FAILED_ROW,
    &INVALID_DATA_DOWNLOADED_ROW,
    &NEEDS_ANOTHER_DOWNLOAD_ROW,
    &POST_RESTART_UNEXPECTED_ROW,
    &WINDOWS_INSTALLER_UNAVAILABLE_ROW,
    &DOWNLOAD_NO_NETWORK_ROW,
    &PROXY_LIST_INVALID_ROW,
    &EXTERNAL_CAB_ERRORS_ROW,
    &SELFUPDATE_IN_PROGRESS_ROW,
    &INVALID_FILE_FORMAT_ROW,
    &BITS_VALIDATION_FAILED_ROW,
    &SUSDB_QUERY_TIMEOUT_ROW,
    &SUSDB_CONNECTION_POOL_EXHAUSTED_ROW,
    &SUSDB_DEADLOCK_ROW,
    &SUSDB_LOGIN_FAILED_ROW,
    &SUSDB_TRANSACTION_LOG_FULL_ROW,
    &SUSDB_FILEGROUP_FULL_ROW,
    &SUSDB_UNREACHABLE_ROW,
    &SYNC_ENDPOINT_RETIRED_ROW,
    &CONTENT_SYNC_CERT_VERIFICATION_ROW,
    &CONTENT_SYNC_RANGE_UNSUPPORTED_ROW,
    &CONTENT_SYNC_DISK_FULL_ROW,
    &CONTENT_SYNC_ACCESS_DENIED_ROW,
    &WSUS_OUT_OF_MEMORY_ROW,
    &SYNC_UPSTREAM_NAME_UNRESOLVED_ROW,
    &SYNC_UPSTREAM_REFUSED_ROW,
    &SYNC_UPSTREAM_UNAVAILABLE_ROW,
    &FILE_IN_USE_ROW,
    &UPDATE_SERVICE_NOT_REGISTERED_ROW,
    &USER_ACCESS_DISABLED_ROW,
    &SERVICING_STACK_REQUIRED_ROW,
    &LOCAL_PUBLISHING_CERT_UNTRUSTED_ROW,
];
