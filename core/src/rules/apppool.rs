//! The WsusPool application pool as IIS's configuration sets it (`applicationHost.config`):
//! limits that are too low for a WSUS catalogue of today, before they show as 503s.

use super::{take_evidence, Article, Context, Diagnosis, Outcome, Rule};
use crate::facts::apppool::{Setting, IIS_DEFAULT_QUEUE_LENGTH};
use crate::kind::InputKind::IisConfig;
use crate::report::Severity;

/// Microsoft's "Windows Server Update Services best practices" (KB 4490414), section "Disable
/// recycling and configure memory limits".
const BEST_PRACTICES: Article = Article::Page {
    short: "Windows Server Update Services best practices (KB 4490414)",
    reference: "Microsoft Learn: Windows Server Update Services best practices, \"Disable recycling and configure memory limits\" (KB 4490414), https://learn.microsoft.com/troubleshoot/mem/configmgr/update-management/windows-server-update-services-best-practices",
};

/// A private memory limit below this (KB) recycles WsusPool under a full scan load (4 GB).
const MEMORY_FLOOR_KB: u64 = 4 * 1024 * 1024;
/// The queue length Microsoft recommends for WsusPool.
const QUEUE_FLOOR: u64 = 2000;

/// The pool's element was read, else why the rule cannot judge.
fn pool_read(ctx: &Context) -> Result<(), Outcome> {
    if ctx.facts.apppool.pool.is_none() {
        return Err(Outcome::NotRun(
            "the IIS configuration read has no WsusPool application pool (<add name=\"WsusPool\"> under <applicationPools>): add the whole applicationHost.config, or `appcmd list apppool WsusPool /config`".into(),
        ));
    }
    Ok(())
}

/// A setting the pool's element does not show: IIS's default only when the element was read
/// whole, else not shown (a fragment quotes the opening tag and one child).
fn not_shown(ctx: &Context, what: &str) -> Option<Outcome> {
    (!ctx.facts.apppool.pool_whole).then(|| {
        Outcome::NotRun(format!(
            "the IIS configuration read is a fragment of WsusPool's element that does not show its {what}: add the whole applicationHost.config, or `appcmd list apppool WsusPool /config`"
        ))
    })
}

fn origin(s: &Setting) -> &'static str {
    match s {
        Setting::Pool(_) => "set on WsusPool",
        Setting::Defaults(_) => "inherited from applicationPoolDefaults",
    }
}

pub static WSUSPOOL_MEMORY_LIMIT_LOW: Rule = Rule {
    id: "wsuspool-memory-limit-low",
    example: super::example!("wsuspool-memory-limit-low"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "WsusPool's private memory limit is too low",
    needs: &[IisConfig],
    article: BEST_PRACTICES,
    explain: "WSUS setup gives the WsusPool application pool a private memory limit of 1,843,200 KB (1.8 GB). Scans of today's catalogue (and of an unmaintained SUSDB) need more: when the worker process reaches the limit IIS recycles the pool, in-flight scans fail with 503 or time out (0x80244022, 0x8024401C) and every client retries, which loads the pool again. Microsoft's WSUS best practices set the limit to 0 (no limit); at least 4 GB is the floor here.",
    check: |ctx: &Context| {
        if let Err(o) = pool_read(ctx) {
            return o;
        }
        let f = &ctx.facts.apppool;
        let Some(limit) = f.private_memory() else {
            // IIS's own default is 0: no limit
            return not_shown(ctx, "private memory limit").unwrap_or(Outcome::Passed);
        };
        let kb = limit.value();
        if kb == 0 || kb >= MEMORY_FLOOR_KB {
            return Outcome::Passed;
        }
        let detail = format!(
            "WsusPool's private memory limit is {kb} KB ({:.1} GB, {}){}: IIS recycles the pool when its worker reaches it, failing the scans in flight.",
            kb as f64 / 1_048_576.0,
            origin(&limit),
            if kb == 1_843_200 { ", the value WSUS setup writes" } else { "" }
        );
        let remedy = vec![
            "On the WSUS server: IIS Manager > Application Pools > WsusPool > Advanced Settings > Recycling > Private Memory Limit (KB) = 0 (no limit), or at least 4194304 (4 GB) if the server is short of memory. From a prompt: `%windir%\\system32\\inetsrv\\appcmd.exe set apppool WsusPool /recycling.periodicRestart.privateMemory:0`.".to_string(),
            "Recycle WsusPool (or `iisreset`) and keep the server maintained (decline superseded updates, run the cleanup wizard, reindex SUSDB) so scans stay light.".to_string(),
        ];
        let evidence = take_evidence([limit.seen().evidence.clone()].into_iter().chain(f.pool.clone()));
        Outcome::Fired(Diagnosis { severity: None, detail, evidence, remedy })
    },
};

pub static WSUSPOOL_QUEUE_LENGTH_LOW: Rule = Rule {
    id: "wsuspool-queue-length-low",
    example: super::example!("wsuspool-queue-length-low"),
    caused_by: &[],
    data: false,
    wsus_client: false,
    severity: Severity::Warning,
    title: "WsusPool's request queue is IIS's default of 1000",
    needs: &[IisConfig],
    article: BEST_PRACTICES,
    explain: "HTTP.sys queues at most `queueLength` requests for an application pool (IIS's default is 1000) and answers the next ones itself with 503 Service Unavailable (HTTPERR `QueueFull`). A WSUS server with many clients scanning at once fills a queue of 1000; the clients see 0x80244022 and retry. Microsoft's WSUS best practices raise it to 2000; larger sites use more.",
    check: |ctx: &Context| {
        if let Err(o) = pool_read(ctx) {
            return o;
        }
        let f = &ctx.facts.apppool;
        let (queue, from) = match f.queue() {
            Some(s) => (s.value(), Some(s)),
            None => match not_shown(ctx, "queue length") {
                Some(o) => return o,
                None => (IIS_DEFAULT_QUEUE_LENGTH, None),
            },
        };
        if queue >= QUEUE_FLOOR {
            return Outcome::Passed;
        }
        let how = match &from {
            Some(s) => origin(s).to_string(),
            None => "not set: IIS's default".to_string(),
        };
        let detail = format!("WsusPool's queue length is {queue} ({how}): past {queue} waiting requests HTTP.sys answers 503 for the pool.");
        let remedy = vec![
            format!("On the WSUS server: IIS Manager > Application Pools > WsusPool > Advanced Settings > General > Queue Length = {QUEUE_FLOOR} (or more for thousands of clients). From a prompt: `%windir%\\system32\\inetsrv\\appcmd.exe set apppool WsusPool /queueLength:{QUEUE_FLOOR}`."),
            "Recycle WsusPool for the new length to take effect.".to_string(),
        ];
        let evidence = take_evidence(from.map(|s| s.seen().evidence.clone()).into_iter().chain(f.pool.clone()));
        Outcome::Fired(Diagnosis { severity: None, detail, evidence, remedy })
    },
};
