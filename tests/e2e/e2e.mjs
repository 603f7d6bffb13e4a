// End-to-end tests of the built page (www/) in Debian's Chromium via playwright-core.
// A local static server on 127.0.0.1 logs every request, so the test can assert that
// nothing but the page's own files is ever fetched. Everything started here is stopped here.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const www = path.join(root, 'www');
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

function serve() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    // serve under a path prefix too, as an intranet site would (/tools/wsus-doctor/...)
    let p = url.pathname.replace(/^\/tools\/wsus-doctor/, '');
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(www, path.normalize(p));
    if (!file.startsWith(www) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end(); return;
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, requests, port: server.address().port })));
}

const results = [];
// E2E_ONLY=<regex>: run only the tests whose names match (while working on one part)
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
async function test(name, fn) {
  if (only && !only.test(name)) return;
  const t0 = Date.now();
  try { await fn(); results.push([name, 'ok', Date.now() - t0]); console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { results.push([name, 'FAILED']); console.log(`FAIL ${name}\n${e.stack}`); }
}

const { server, requests, port } = await serve();
const origin = `http://127.0.0.1:${port}`;
const base = `${origin}/tools/wsus-doctor/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const seen = [];
const problems = [];
page.on('request', (r) => seen.push(r.url()));
context.on('request', (r) => seen.push(r.url()));
page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
page.on('dialog', (d) => { problems.push('dialog opened: ' + d.message()); d.dismiss(); });

const fixture = (p) => path.join(root, p);
fs.mkdirSync(path.join(root, 'tests/artifacts'), { recursive: true });
const rulesShown = async () => page.$$eval('#report [data-rule]', (els) => els.map((e) => e.dataset.rule));

try {
  await test('page loads under a path prefix and says it is offline-only', async () => {
    await page.goto(base);
    await page.waitForSelector('textarea#evidence');
    assert.match(await page.textContent('#privacy'), /nothing you paste or drop leaves your machine/);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /default-src 'none'/);
  });

  await test('pasted mixed evidence is diagnosed, and <script> in a log line stays text', async () => {
    const paste = fs.readFileSync(fixture('examples/pasted-mixed/forum-paste.txt'), 'utf8') +
      '\n2009-12-14\t09:08:00:000\t 996\te18\tMisc\tWARNING: <script>window.__xss=1</script> <img src=x onerror="window.__xss=2">\n';
    await page.fill('textarea#evidence', paste);
    await page.click('button#diagnose');
    await page.waitForSelector('#report [data-rule="wsus-unreachable"]');
    const shown = await rulesShown();
    for (const r of ['wsus-unreachable', 'server-unreachable-24h', 'wustatusserver-mismatch', 'wu-error-codes']) assert.ok(shown.includes(r), `${r} in ${shown}`);
    assert.equal(await page.getAttribute('#report [data-rule="wsus-unreachable"]', 'data-severity'), 'error');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.$$eval('#report script, #report img', (e) => e.length), 0);
    // evidence cites input and line; context expands around it
    const finding = page.locator('[data-rule="wsus-unreachable"]');
    assert.match(await finding.locator('.loc').first().textContent(), /^pasted text:\d+$/);
    await finding.locator('.ctx-toggle').first().click();
    assert.ok(await finding.locator('.ctx-line.hit').count() === 1);
    assert.ok(await finding.locator('.ctx-line').count() >= 4);
    // checklist covers every rule
    assert.ok(await page.locator('#report tr[data-check]').count() >= 20);
  });

  await test('a UTF-16 .reg dropped through the file input is decoded and diagnosed', async () => {
    await page.fill('textarea#evidence', '');
    await page.setInputFiles('#files', [fixture('tests/cases/legacy-sus-server/policy.reg'), fixture('tests/cases/legacy-sus-server/WindowsUpdate.log')]);
    await page.waitForSelector('#report [data-rule="wustatusserver-missing"]');
    const chip = page.locator('li.chip[data-input="policy.reg"]');
    assert.equal(await chip.locator('.chip-kind').textContent(), 'registry');
    assert.match(await chip.locator('.chip-lines').textContent(), /^14 lines$/);
    const shown = await rulesShown();
    assert.ok(shown.includes('legacy-sus-mode'), shown.join());
  });

  await test('kind override and removal re-run the diagnosis', async () => {
    await page.selectOption('#kind-1', 'iis-log');
    await page.waitForFunction(() => document.querySelector('li.chip[data-input="WindowsUpdate.log"] .chip-kind')?.textContent === 'iis-log');
    await page.click('button[aria-label="Remove WindowsUpdate.log"]');
    await page.waitForFunction(() => !document.querySelector('li.chip[data-input="WindowsUpdate.log"]'));
    await page.waitForFunction(() => !document.querySelector('#report [data-rule="legacy-sus-mode"]'));
    await page.click('button[aria-label="Remove policy.reg"]');
  });

  await test('two files with the same name stay apart: chips, evidence and context', async () => {
    await page.setInputFiles('#files', [fixture('examples/win10-misconfigured/WindowsUpdate.log'), fixture('tests/cases/legacy-sus-server/WindowsUpdate.log')]);
    await page.waitForFunction(() => document.querySelector('li.chip[data-input="WindowsUpdate.log (2)"] .chip-lines')?.textContent === '13 lines');
    assert.equal(await page.locator('li.chip[data-input="WindowsUpdate.log"] .chip-lines').textContent(), '27 lines');
    await page.waitForSelector('#report [data-rule="legacy-sus-mode"]');
    // the SUS-legacy errors are the second file's: evidence and its context come from that file
    const finding = page.locator('[data-rule="legacy-sus-mode"]');
    assert.match(await finding.locator('.loc').first().textContent(), /^WindowsUpdate\.log \(2\):\d+$/);
    await finding.locator('.ctx-toggle').first().click();
    assert.match(await finding.locator('.ctx-line.hit').textContent(), /0x8024002b/i);
    assert.doesNotMatch(await finding.locator('.context').textContent(), /2024\/04\/11/, 'no line of the first file in the context');
    await page.click('button[aria-label="Remove WindowsUpdate.log (2)"]');
    await page.click('button[aria-label="Remove WindowsUpdate.log"]');
    await page.waitForFunction(() => !document.querySelector('li.chip'));
  });

  await test('prose is not an all-clear: the page says nothing was recognised', async () => {
    await page.fill('textarea#evidence', 'Hi all,\nour clients stopped reporting to WSUS since Tuesday.\nAny idea?');
    await page.click('#diagnose');
    await page.waitForSelector('#report .nothing-read');
    assert.match(await page.locator('#report .nothing-read').textContent(), /Nothing in the evidence was recognised/);
    assert.equal(await page.locator('#report p.none:not(.nothing-read)').count(), 0, 'no "No problems found"');
    await page.fill('textarea#evidence', '');
  });

  await test('the page says where each kind of evidence is and how to collect it', async () => {
    const d = page.locator('details.sources');
    await d.locator('summary').click();
    const text = await d.textContent();
    assert.match(text, /C:\\Windows\\Logs\\WindowsUpdate/);
    assert.match(text, /wevtutil epl System/);
    assert.match(text, /ReportingEvents\.log/);
    await d.locator('summary').click();
  });

  await test('a dropped Windows Update .etl and System .evtx are decoded in the page', async () => {
    await page.fill('textarea#evidence', '');
    await page.setInputFiles('#files', [fixture('tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl'), fixture('tests/fixtures/evtx/system.evtx')]);
    await page.waitForFunction(() => document.querySelector('li.chip[data-input="system.evtx"] .chip-lines')?.textContent === '377 events', null, { timeout: 30000 });
    assert.equal(await page.locator('li.chip[data-input="WindowsUpdate.20251008.140245.443.8.etl"] .chip-lines').textContent(), '80 events');
    assert.equal(await page.locator('li.chip[data-input="system.evtx"] .chip-kind').textContent(), 'windowsupdate-log');
    const finding = page.locator('[data-rule="wu-error-codes"]');
    await finding.waitFor();
    assert.equal(await finding.locator('.loc').first().textContent(), 'system.evtx#561');
    assert.match(await finding.locator('.line.hit').first().textContent(), /Installation Failure.*0x80248007.*KB4025342/);
    // context around an event is its neighbouring events, decoded again in the worker
    await finding.locator('.ctx-toggle').first().click();
    assert.match(await finding.locator('.ctx-line.hit').textContent(), /0x80248007/);
    assert.ok((await finding.locator('.ctx-line').count()) > 1);
    await page.click('button[aria-label="Remove system.evtx"]');
    await page.click('button[aria-label="Remove WindowsUpdate.20251008.140245.443.8.etl"]');
    await page.waitForFunction(() => !document.querySelector('li.chip'));
  });

  await test('a dropped zip gives the findings of its loose files, as the CLI does; "Add folder…" keeps paths', async () => {
    const ruleSet = async () => (await rulesShown()).slice().sort().join(',');
    await page.fill('textarea#evidence', '');
    await page.setInputFiles('#files', [fixture('tests/fixtures/bundles/pc1-collect.zip')]);
    await page.waitForFunction(() => document.querySelector('li.chip[data-input="pc1-collect.zip"] .chip-lines')?.textContent === '3 members', null, { timeout: 30000 });
    assert.equal(await page.locator('li.chip[data-input="pc1-collect.zip"] .chip-kind').textContent(), 'zip bundle');
    await page.waitForSelector('#report [data-rule="usewuserver-off"]');
    const zipped = await ruleSet();
    assert.match(await page.locator('[data-rule="usewuserver-off"] .loc').first().textContent(), /^pc1-collect\.zip\/pc1\/reg-query\.txt:\d+$/);
    // a zip member's evidence has its context, opens in the viewer and can be explored
    const zf = page.locator('[data-rule="usewuserver-off"]');
    await zf.locator('.ctx-toggle').first().click();
    assert.match(await zf.locator('.ctx-line.hit').textContent(), /UseWUServer/);
    assert.ok((await zf.locator('.ctx-line').count()) > 1);
    await zf.locator('a.loc').first().click();
    await page.waitForSelector('#viewer .vline.hit');
    assert.match(await page.textContent('#viewer .vline.hit'), /UseWUServer\s+REG_DWORD\s+0x0/);
    await page.click('#viewer-close');
    await zf.locator('button.explore').click();
    await page.waitForSelector('#explore-count');
    assert.match(await page.textContent('#explore-count'), /^[1-9]\d* matching line/);
    await page.click('#explorer-close');
    await page.click('button[aria-label="Remove pc1-collect.zip"]');
    await page.waitForFunction(() => !document.querySelector('li.chip'));
    // the same files loose, from a folder picked with "Add folder…"
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsus-doctor-e2e-'));
    fs.mkdirSync(path.join(dir, 'pc1/Logs/WindowsUpdate'), { recursive: true });
    fs.copyFileSync(fixture('examples/win10-misconfigured/WindowsUpdate.log'), path.join(dir, 'pc1/WindowsUpdate.log'));
    fs.copyFileSync(fixture('examples/win10-misconfigured/reg-query.txt'), path.join(dir, 'pc1/reg-query.txt'));
    fs.copyFileSync(fixture('tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl'), path.join(dir, 'pc1/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl'));
    try {
      await page.setInputFiles('#folder', path.join(dir, 'pc1'));
      await page.waitForSelector('li.chip[data-input="pc1/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl"]');
      await page.waitForSelector('#report [data-rule="usewuserver-off"]');
      await page.waitForFunction(() => document.querySelectorAll('li.chip').length === 3);
      await page.waitForFunction(() => !document.querySelector('div.progress'));
      assert.equal(await ruleSet(), zipped, 'loose and zipped give the same findings');
      // and the CLI, on the same loose files (exit 1: error findings)
      const run = spawnSync('cargo', ['run', '-q', '-p', 'wsus-doctor', '--', 'diagnose', '--format', 'json', path.join(dir, 'pc1')], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      assert.equal(JSON.parse(run.stdout).findings.map((f) => f.rule).sort().join(','), zipped, 'the CLI agrees with the page');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const name of ['pc1/WindowsUpdate.log', 'pc1/reg-query.txt', 'pc1/Logs/WindowsUpdate/WindowsUpdate.20251008.140245.443.8.etl']) {
      await page.click(`button[aria-label="Remove ${name}"]`);
    }
    await page.waitForFunction(() => !document.querySelector('li.chip'));
  });

  await test('files dropped on the page go through the folder walker and are diagnosed', async () => {
    const log = fs.readFileSync(fixture('examples/win10-misconfigured/WindowsUpdate.log'), 'utf8');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'WindowsUpdate.log'));
      document.querySelector('.page').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, log);
    await page.waitForFunction(() => document.querySelector('li.chip[data-input="WindowsUpdate.log"] .chip-lines')?.textContent === '27 lines');
    await page.click('button[aria-label="Remove WindowsUpdate.log"]');
    await page.waitForFunction(() => !document.querySelector('li.chip'));
  });

  await test('"Try an example" shows a real diagnosis in one click; screenshot', async () => {
    await page.click('button[data-example="0"]');
    await page.waitForSelector('#report [data-rule="selfupdate-needs-port-80"]');
    const shown = await rulesShown();
    assert.deepEqual(shown.slice(0, 2), ['selfupdate-needs-port-80', 'selfupdate-not-found']);
    const remedy = await page.locator('[data-rule="selfupdate-not-found"] .remedy').textContent();
    assert.match(remedy, /http:\/\/wsus01\/selfupdate\/AU\/x86\/XP\/EN\/wuaucomp\.cab/);
    // the machine is read before its codes: the page says how it gets its updates and why
    assert.match(await page.textContent('#modes'), /How it gets updates: WSUS client \(the policy names WUServer http:\/\/wsus01/);
    await page.locator('[data-rule="selfupdate-not-found"] .ctx-toggle').first().click();
    await page.evaluate(() => document.querySelector('#report').scrollIntoView());
    fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
    await page.screenshot({ path: path.join(root, 'docs/screenshot.png'), fullPage: false });
  });

  await test('Markdown copy and JSON download export the report', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.click('#copy-md');
    await page.waitForSelector('.message');
    const md = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(md, /^# WSUS Doctor report/);
    assert.match(md, /`selfupdate-not-found`/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const json = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.equal(json.version, 1);
    assert.equal(json.findings[0].rule, 'selfupdate-needs-port-80');
    assert.equal(json.inputs.length, 3);
  });

  await test('the summary leads: root causes with their first step, focused and announced', async () => {
    await page.click('button[data-example="0"]');
    await page.waitForSelector('#report [data-rule="selfupdate-needs-port-80"]');
    // focus moved to "Fix first" when the report arrived
    await page.waitForFunction(() => document.activeElement?.id === 'fix-first');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'fix-first');
    const roots = await page.$$eval('#fix-first li[data-root]', (els) => els.map((e) => e.dataset.root));
    assert.deepEqual(roots, ['selfupdate-needs-port-80']);
    assert.match(await page.textContent('#fix-first .first-step'), /^First: On wsus01, make sure a web site is bound to port 80/);
    assert.match(await page.textContent('#fix-first'), /probably explains 3 more findings/);
    assert.equal(await page.getAttribute('#fix-first a', 'href'), '#finding-selfupdate-needs-port-80');
    assert.equal(await page.locator('#finding-selfupdate-needs-port-80').count(), 1);
    assert.match(await page.textContent('#announce'), /Diagnosis done: 2 error\(s\), 2 warning\(s\)\. Fix first: WSUS uses a custom port/);
    // the symptom links to its cause
    assert.equal(await page.getAttribute('[data-rule="selfupdate-not-found"] .caused a', 'href'), '#finding-selfupdate-needs-port-80');
  });

  await test('remedies show commands as code and sources as links; the checklist groups and names', async () => {
    const remedy = page.locator('[data-rule="detection-schedule-stale"] .remedy');
    assert.equal(await remedy.locator('code').first().textContent(), 'net stop wuauserv');
    assert.doesNotMatch(await page.locator('#report .remedy').allTextContents().then((t) => t.join('\n')), /`/, 'no raw backticks');
    const source = page.locator('[data-rule="selfupdate-needs-port-80"] .refs a');
    assert.match(await source.getAttribute('href'), /^https:\/\/learn\.microsoft\.com\/previous-versions\/.*cc708554/);
    assert.equal(await source.getAttribute('rel'), 'noreferrer noopener');
    const groups = await page.$$eval('.checklist details.group', (els) => els.map((e) => `${e.dataset.group}:${e.open}`));
    assert.deepEqual(groups, ['fired:true', 'not-run:true', 'passed:false']);
    const hints = await page.$$eval('.checklist .missing .need', (els) => els.map((e) => e.textContent));
    assert.equal(new Set(hints).size, hints.length, 'each missing input is said once');
    assert.match(await page.textContent('.checklist tr[data-check="selfupdate-needs-port-80"]'), /self-update tree is not served on port 80/);
  });

  await test('the timeline shows what happened when; a mark opens its line in the input viewer', async () => {
    const lanes = await page.$$eval('.timeline .tl-label', (els) => els.map((e) => e.textContent));
    assert.ok(lanes.includes('server: HTTP 404 (6)'), lanes.join(' | '));
    assert.ok(lanes.includes('client: self-update failed (3)'), lanes.join(' | '));
    assert.ok(lanes.indexOf('client: self-update failed (3)') < lanes.indexOf('server: HTTP 404 (6)'), 'client rows first');
    const mark = page.locator('svg.tl a.tl-mark[data-lane="HTTP 404"]').first();
    await mark.focus();
    assert.match(await page.textContent('.tl-focus'), /HTTP 404 ×\d+ from 2009-12-14 15:\d\d.*u_ex091214-port80\.log:7/s);
    await mark.click();
    await page.waitForSelector('#viewer .vline.hit');
    assert.equal(await page.evaluate(() => location.hash), '#view/7/u_ex091214-port80.log');
    assert.match(await page.textContent('#viewer .vline.hit'), /^\s+7 2009-12-14 15:11:40 .*GET \/iuident\.cab .* 404 0 2\s*$/);
    assert.equal(await page.locator('#viewer .vline').count(), 16, 'the whole small input, numbered');
    assert.match(await page.textContent('#viewer-h'), /u_ex091214-port80\.log at line 7/);
    // evidence locations are links to the same view, and a shared address opens it too
    await page.click('[data-rule="detection-schedule-stale"] a.loc >> nth=0');
    await page.waitForFunction(() => /client-policy\.reg at line 19/.test(document.querySelector('#viewer-h')?.textContent || ''));
    assert.match(await page.textContent('#viewer .vline.hit'), /"LastWaitTimeout"="2009\.12\.14 15:19:47"/);
    await page.evaluate(() => { location.hash = '#view/3/WindowsUpdate.log'; });
    await page.waitForFunction(() => /WindowsUpdate\.log at line 3/.test(document.querySelector('#viewer-h')?.textContent || ''));
    await page.waitForSelector('#viewer .vline.hit#L3');
    await page.click('#viewer-close');
    await page.waitForFunction(() => !document.querySelector('#viewer'));
  });

  await test('the evidence explorer lists every matching line with counts per status, path and client', async () => {
    await page.click('[data-rule="selfupdate-not-found"] button.explore');
    await page.waitForSelector('#explore-count');
    assert.equal(await page.inputValue('#explore-term'), '/selfupdate/AU/x86/XP/EN/wuaucomp.cab', 'the first evidence row\'s path');
    assert.match(await page.textContent('#explore-count'), /^1 matching line\(s\)$/);
    await page.fill('#explore-term', '/SELFUPDATE/');
    await page.press('#explore-term', 'Enter');
    // the finding cites the server's IIS log and the client's log: both are searched
    await page.waitForFunction(() => /^5 matching/.test(document.querySelector('#explore-count')?.textContent || ''));
    assert.match(await page.textContent('#explorer .hint'), /In u_ex091214-port80\.log, WindowsUpdate\.log\./);
    const table = async (caption) => page.$$eval('.tally', (ts, c) => {
      const t = ts.find((x) => x.querySelector('caption').textContent.startsWith(c));
      return t ? [...t.querySelectorAll('tr')].map((r) => [...r.querySelectorAll('td')].map((d) => d.textContent).join('=')) : [];
    }, caption);
    assert.deepEqual(await table('HTTP status'), ['404=3']);
    assert.deepEqual(await table('Error codes'), ['0x80190194=2']);
    assert.deepEqual(await table('Path'), ['/selfupdate/wuident.cab=2', '/selfupdate/AU/x86/XP/EN/wuaucomp.cab=1']);
    assert.deepEqual(await table('Client'), ['10.0.1.77=2', '10.0.1.34=1']);
    assert.equal(await page.getAttribute('#explorer .explore-lines a.loc >> nth=0', 'href'), '#view/8/u_ex091214-port80.log');
    await page.click('#explorer-close');
    await page.waitForFunction(() => !document.querySelector('#explorer'));
  });

  await test('editing the evidence marks the report out of date until Diagnose runs again', async () => {
    await page.fill('textarea#evidence', '2009-12-14\t09:08:00:000\t 996\te18\tAgent\tWARNING: Failed to find updates with error code 8024000e\n');
    await page.waitForSelector('#stale');
    assert.match(await page.textContent('#stale'), /Out of date/);
    await page.click('#stale button');
    await page.waitForFunction(() => !document.querySelector('#stale') && !document.querySelector('div.progress'));
    assert.ok((await rulesShown()).includes('wu-error-codes'));
  });

  await test('"Try an example" keeps the admin\'s evidence restorable; a file added twice is flagged', async () => {
    for (const b of await page.locator('button.chip-remove').all()) await page.locator('button.chip-remove').first().click();
    await page.waitForFunction(() => !document.querySelector('li.chip'));
    await page.fill('textarea#evidence', '2009-12-14\t09:08:00:000\t 996\te18\tAgent\tWARNING: my own paste, error 0x8024000e');
    await page.setInputFiles('#files', [fixture('tests/cases/legacy-sus-server/policy.reg')]);
    await page.waitForSelector('li.chip[data-input="policy.reg"]');
    await page.setInputFiles('#files', [fixture('tests/cases/legacy-sus-server/policy.reg')]);
    await page.waitForFunction(() => /Already added, not added twice: policy\.reg/.test(document.querySelector('.message')?.textContent || ''));
    assert.equal(await page.locator('li.chip').count(), 2, 'policy.reg and the paste, once each');
    const mine = await page.inputValue('textarea#evidence');
    await page.click('button[data-example="0"]');
    await page.waitForSelector('#restore');
    assert.equal(await page.inputValue('textarea#evidence'), '');
    await page.waitForSelector('#report [data-rule="selfupdate-needs-port-80"]');
    await page.click('#restore');
    await page.waitForFunction(() => !document.querySelector('#restore'));
    assert.equal(await page.inputValue('textarea#evidence'), mine);
    await page.waitForSelector('li.chip[data-input="policy.reg"]');
    await page.click('button[aria-label="Remove policy.reg"]');
    await page.fill('textarea#evidence', '');
  });

  await test('a 3 MB paste suggests "Add files"', async () => {
    await page.evaluate(() => {
      const t = document.querySelector('textarea#evidence');
      t.value = `2009-12-14\t09:08:00:000\t 996\te18\tAgent\t${'noise '.repeat(40)}\n`.repeat(9000);
      t.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForSelector('#big-paste');
    assert.match(await page.textContent('#big-paste'), /Add files/);
    await page.fill('textarea#evidence', '');
    await page.waitForFunction(() => !document.querySelector('#big-paste'));
  });

  await test('a month of IIS log fits the timeline in buckets; the viewer opens a line deep in it', async () => {
    const rows = ['#Software: Microsoft Internet Information Services 10.0', '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken'];
    for (let day = 1; day <= 30; day++) {
      for (let m = 0; m < 24 * 60; m += 10) {
        const t = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:07`;
        const status = m % 60 === 0 ? 503 : 200;
        rows.push(`2026-10-${String(day).padStart(2, '0')} ${t} 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.${day}.${m % 250} Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50 ${status} 0 0 ${status === 503 ? 15 : 120}`);
      }
    }
    await page.fill('textarea#evidence', '');
    await page.setInputFiles('#files', [{ name: 'u_ex2610.log', mimeType: 'text/plain', buffer: Buffer.from(rows.join('\r\n') + '\r\n') }]);
    await page.waitForSelector('svg.tl a.tl-mark[data-lane="HTTP 503"]');
    const cols = await page.locator('svg.tl a.tl-mark').count();
    assert.ok(cols <= 96 && cols >= 25, `${cols} marks`);
    assert.match(await page.textContent('.timeline .hint'), /^2026-10-01 00:00 to 2026-10-30 23:01, one column per 12 hour\(s\)/);
    const total = await page.$$eval('svg.tl a.tl-mark', (els) => els.reduce((a, e) => a + Number(e.dataset.count), 0));
    assert.equal(total, 30 * 24, 'every 503 counted once');
    await page.evaluate(() => { location.hash = '#view/4000/u_ex2610.log'; });
    await page.waitForSelector('#viewer .vline.hit#L4000');
    assert.equal(await page.getAttribute('#viewer .viewer-lines', 'data-rows'), '1323', 'lines 3000 to the end (4322)');
    await page.click('#viewer-close');
    await page.click('button[aria-label="Remove u_ex2610.log"]');
    await page.waitForFunction(() => !document.querySelector('li.chip'));
  });

  await test('two machines in one folder are diagnosed apart, the server log shared (as the CLI does)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsus-doctor-e2e-machines-'));
    const put = (to, from) => { fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true }); fs.copyFileSync(fixture(from), path.join(dir, to)); };
    put('collect/pc1/WindowsUpdate.log', 'examples/xp-selfupdate-port80/WindowsUpdate.log');
    put('collect/pc1/client-policy.reg', 'examples/xp-selfupdate-port80/client-policy.reg');
    put('collect/pc2/WindowsUpdate.log', 'examples/win10-misconfigured/WindowsUpdate.log');
    put('collect/pc2/reg-query.txt', 'examples/win10-misconfigured/reg-query.txt');
    put('collect/u_ex091214.log', 'examples/xp-selfupdate-port80/u_ex091214-port80.log');
    try {
      await page.fill('textarea#evidence', '');
      await page.setInputFiles('#folder', path.join(dir, 'collect'));
      await page.waitForSelector('#machines');
      await page.waitForFunction(() => !document.querySelector('div.progress'));
      assert.match(await page.textContent('#machines'), /^Machines: pc1, pc2\./);
      assert.equal(await page.textContent('[data-rule="usewuserver-off"] .machine'), 'on pc2');
      assert.equal(await page.textContent('[data-rule="selfupdate-needs-port-80"] .machine'), 'on pc1');
      assert.equal(await page.locator('#finding-selfupdate-needs-port-80--pc1').count(), 1);
      // and the CLI on the same folder agrees, finding by finding and machine by machine
      const run = spawnSync('cargo', ['run', '-q', '-p', 'wsus-doctor', '--', 'diagnose', '--format', 'json', path.join(dir, 'collect')], { cwd: root, encoding: 'utf8' });
      const cli = JSON.parse(run.stdout).findings.map((f) => `${f.rule}@${f.machine || '-'}`).sort().join(',');
      const shown = await page.$$eval('#report article.finding', (els) => els.map((e) => `${e.dataset.rule}@${(e.querySelector('.machine')?.textContent || '- ').replace(/^on /, '')}`.trim()).sort().join(','));
      assert.equal(shown.replace(/@- /g, '@-'), cli);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const b of await page.locator('button.chip-remove').all()) await page.locator('button.chip-remove').first().click();
    await page.waitForFunction(() => !document.querySelector('li.chip'));
  });

  await test('a file over the size limit gets a message, not a frozen tab', async () => {
    // a sparse 1.1 GB file: the page must refuse it by size without reading it
    const big = path.join(root, 'target', 'e2e-too-big.log');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    const fd = fs.openSync(big, 'w'); fs.ftruncateSync(fd, Math.floor(1.1 * 1024 ** 3)); fs.closeSync(fd);
    await page.setInputFiles('#files', big);
    await page.waitForSelector('.message.error');
    assert.match(await page.textContent('.message.error'), /e2e-too-big\.log is 1126\.4 MB; the page reads at most 1024\.0 MB per file/);
    assert.equal(await page.$('li.chip[data-input="e2e-too-big.log"]'), null, 'a refused file is not kept');
    fs.rmSync(big);
  });

  await test('a big file shows progress and can be cancelled; the page keeps working', async () => {
    const big = path.join(root, 'target', 'e2e-big-WindowsUpdate.log');
    const line = '2024-03-01\t10:00:00:000\t1124\ta3c\tPT\tWARNING: SyncServerUpdatesInternal failed: 0x80072ee2\r\n';
    fs.writeFileSync(big, line.repeat(Math.ceil((160 << 20) / line.length)));
    await page.setInputFiles('#files', big);
    await page.waitForSelector('progress#progress');
    await page.click('button#cancel');
    await page.waitForFunction(() => document.querySelector('.message')?.textContent === 'Cancelled.');
    assert.equal(await page.$('progress#progress'), null);
    await page.click('button[aria-label="Remove e2e-big-WindowsUpdate.log"]');
    fs.rmSync(big);
    await page.click('button[data-example="1"]');
    await page.waitForSelector('#report [data-rule="root-cert-update-repeats"]');
  });

  await test('the hosted page offers the single file; its index.html opened from disk says why and where', async () => {
    const link = page.locator('footer a#single-file');
    assert.equal(await link.getAttribute('href'), './wsus-doctor.html');
    const elsewhere = await browser.newContext();
    const disk = await elsewhere.newPage();
    try {
      await disk.goto(pathToFileURL(path.join(www, 'index.html')).href);
      await disk.waitForSelector('#offline-hint');
      assert.match(await disk.textContent('#offline-hint'), /opened from disk.*Open wsus-doctor\.html/s);
    } finally {
      await elsewhere.close();
    }
  });

  await test('the single file works from file://: paste, dropped .etl, strict CSP, no request', async () => {
    const single = path.join(www, 'wsus-doctor.html');
    const url = pathToFileURL(single).href;
    const elsewhere = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const own = await elsewhere.newPage();
    const asked = [];
    const errors = [];
    own.on('request', (r) => asked.push(r.url()));
    own.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
    own.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    try {
      await own.goto(url);
      await own.waitForSelector('textarea#evidence');
      const csp = await own.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      assert.match(csp, /connect-src 'none'/);
      assert.match(csp, /script-src 'sha256-[^']+' 'sha256-[^']+' 'wasm-unsafe-eval';/);
      assert.doesNotMatch(csp, /unsafe-inline|'self'/);
      assert.equal(await own.locator('footer a#single-file').count(), 0, 'no link to itself');
      await own.fill('textarea#evidence', fs.readFileSync(fixture('examples/pasted-mixed/forum-paste.txt'), 'utf8'));
      await own.click('button#diagnose');
      await own.waitForSelector('#report [data-rule="wsus-unreachable"]');
      // a dropped binary trace, through the same folder walker the hosted page uses; the paste stays
      const etl = fs.readFileSync(fixture('tests/fixtures/etl/WindowsUpdate.20251008.140245.443.8.etl')).toString('base64');
      await own.evaluate((b64) => {
        const dt = new DataTransfer();
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'WindowsUpdate.20251008.140245.443.8.etl'));
        document.querySelector('.page').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, etl);
      await own.waitForFunction(() => document.querySelector('li.chip[data-input="WindowsUpdate.20251008.140245.443.8.etl"] .chip-lines')?.textContent === '80 events', null, { timeout: 30000 });
      // a real drop from the operating system (DevTools' drag events with a file path), where
      // Chromium's entries API fails on file:// pages: the dropped file is still read
      const cdp = await elsewhere.newCDPSession(own);
      await own.evaluate(() => window.scrollTo(0, 0)); // the drop point is in the viewport, on the page
      const drag = { x: 200, y: 200, data: { items: [], files: [fixture('examples/xp-selfupdate-port80/client-policy.reg')], dragOperationsMask: 1 } };
      for (const type of ['dragEnter', 'dragOver', 'drop']) await cdp.send('Input.dispatchDragEvent', { type, ...drag });
      await own.waitForSelector('li.chip[data-input="client-policy.reg"]', { timeout: 30000 });
      await own.click('button#diagnose');
      await own.waitForFunction(() => document.querySelector('li.chip[data-input="client-policy.reg"] .chip-kind')?.textContent === 'registry', null, { timeout: 30000 });
      await cdp.detach();
      await own.waitForSelector('#report [data-rule="wsus-unreachable"]');
      assert.equal(await own.locator('li.chip').count(), 3);
      for (const u of asked) assert.ok(u === url || u.startsWith('blob:null/') || u.startsWith('data:'), `request from the single file: ${u}`);
      assert.deepEqual(errors, []);
    } finally {
      await elsewhere.close();
    }
  });

  await test('axe-core (WCAG 2.1 AA) finds nothing: empty page, a report, dark mode, a phone', async () => {
    const axe = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
    const audit = async (p, what) => {
      await p.evaluate(axe); // through the debugger protocol: the page's CSP stays as strict as it is
      const found = await p.evaluate(async () => {
        const r = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      assert.deepEqual(found, [], `${what}: ${found.join('\n')}`);
    };
    for (const [scheme, viewport] of [['light', { width: 1280, height: 900 }], ['dark', { width: 1280, height: 900 }], ['light', { width: 390, height: 844 }]]) {
      const ctx = await browser.newContext({ colorScheme: scheme, viewport });
      try {
        const p = await ctx.newPage();
        await p.goto(base);
        await p.waitForSelector('textarea#evidence');
        await audit(p, `empty page, ${scheme}, ${viewport.width} px`);
        await p.click('button[data-example="0"]');
        await p.waitForSelector('#report [data-rule="selfupdate-needs-port-80"]');
        await p.locator('[data-rule="selfupdate-not-found"] .ctx-toggle').first().click();
        await p.click('.checklist details[data-group="passed"] summary');
        await audit(p, `report, ${scheme}, ${viewport.width} px`);
        if (viewport.width < 500) {
          const wide = await p.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(wide <= viewport.width, `the page scrolls sideways at ${viewport.width} px: ${wide} px wide`);
          await p.screenshot({ path: path.join(root, 'tests/artifacts/phone-390.png'), fullPage: true });
        }
      } finally {
        await ctx.close();
      }
    }
  });

  await test('print: inputs listed, explanations open, light even when the system is dark', async () => {
    const ctx = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1000, height: 900 } });
    try {
      const p = await ctx.newPage();
      await p.goto(base);
      await p.click('button[data-example="0"]');
      await p.waitForSelector('#report [data-rule="selfupdate-needs-port-80"]');
      await p.evaluate(() => { window.print = () => { window.__printed = true; }; }); // no dialog in a test
      await p.click('#print');
      assert.equal(await p.evaluate(() => window.__printed), true);
      assert.equal(await p.locator('#report details.why:not([open])').count(), 0, 'every "why this matters" open');
      await p.emulateMedia({ media: 'print', colorScheme: 'dark' });
      assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
      assert.equal(await p.evaluate(() => getComputedStyle(document.body).color), 'rgb(0, 0, 0)');
      assert.ok(await p.locator('#report .print-only').isVisible(), 'the inputs are listed on paper');
      assert.match(await p.textContent('#report .print-only'), /client-policy\.reg: registry, 19 lines/);
      assert.equal(await p.locator('.inputs').isVisible(), false);
      await p.pdf({ path: path.join(root, 'tests/artifacts/print.pdf') }).catch(() => {}); // for a look; headless only
    } finally {
      await ctx.close();
    }
  });

  await test('evidence with a right-to-left override and zero-width characters is shown as escapes', async () => {
    await page.goto(base);
    await page.waitForSelector('textarea#evidence');
    await page.fill('textarea#evidence', '2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: Exit code = 0x8024402C \u202Egol.exe\u200B\u2066x\u2069\r\n');
    await page.click('button#diagnose');
    await page.waitForSelector('#report [data-rule="wsus-unreachable"] .line.hit');
    const text = await page.textContent('#report [data-rule="wsus-unreachable"] .line.hit');
    assert.match(text, /\\u\{202E\}gol\.exe\\u\{200B\}\\u\{2066\}x\\u\{2069\}/);
    for (const c of ['\u202E', '\u200B', '\u2066', '\u2069']) assert.ok(!(await page.textContent('#report')).includes(c), `raw ${escape(c)} on the page`);
  });

  await test('a plain-http intranet name (no secure context, no clipboard): Markdown is downloaded, the page stays alive', async () => {
    // another Chromium that resolves an intranet name to this server: http on a name that is not
    // localhost is not a secure context, so navigator.clipboard does not exist there
    const intranet = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync',
             '--host-resolver-rules=MAP wsus-doctor.corp.example 127.0.0.1'],
    });
    try {
      const ctx = await intranet.newContext({ acceptDownloads: true });
      const p = await ctx.newPage();
      const errors = [];
      p.on('pageerror', (e) => errors.push(e.message));
      await p.goto(`http://wsus-doctor.corp.example:${port}/tools/wsus-doctor/`);
      assert.equal(await p.evaluate(() => window.isSecureContext), false);
      assert.equal(await p.evaluate(() => typeof navigator.clipboard), 'undefined');
      await p.click('button[data-example="0"]');
      await p.waitForSelector('#report [data-rule="selfupdate-needs-port-80"]');
      const [md] = await Promise.all([p.waitForEvent('download'), p.click('#copy-md')]);
      assert.equal(md.suggestedFilename(), 'wsus-doctor-report.md');
      assert.match(fs.readFileSync(await md.path(), 'utf8'), /^# WSUS Doctor report/);
      assert.match(await p.textContent('.message'), /no clipboard/);
      const [md2] = await Promise.all([p.waitForEvent('download'), p.click('#download-md')]);
      assert.match(fs.readFileSync(await md2.path(), 'utf8'), /selfupdate-not-found/);
      // still alive: another example runs and reports
      await p.click('button[data-example="1"]');
      await p.waitForSelector('#report [data-rule]');
      assert.deepEqual(errors, []);
      await ctx.close();
    } finally {
      await intranet.close();
    }
  });

  // the timeline, the panels and the input viewer (issue 21)
  const xpExample = async () => {
    await page.goto(base);
    await page.click('button[data-example="0"]');
    await page.waitForSelector('#report [data-rule="selfupdate-not-found"]');
  };

  await test('the timeline spans the dense range: a stray 9999 line is said, not drawn; legible on a phone; one tab stop', async () => {
    await page.goto(base);
    const log = fs.readFileSync(fixture('examples/xp-selfupdate-port80/WindowsUpdate.log'), 'utf8');
    // a line dated 9999 (no usable time) and one in 2199 (a time, far from every other)
    const stray = '9999-12-31\t23:59:00:000\t1032\td18\tAgent\t  * WARNING: Exit code = 0x80244019\r\n' +
      '2199-12-31\t23:59:00:000\t1032\td18\tAgent\t  * WARNING: Exit code = 0x80244019\r\n';
    await page.setInputFiles('#files', [{ name: 'WindowsUpdate.log', mimeType: 'text/plain', buffer: Buffer.from(log + stray) }]);
    await page.waitForSelector('#tl-range');
    const range = await page.textContent('#tl-range');
    assert.match(range, /^2009-12-14 \d\d:\d\d to 2009-12-14 \d\d:\d\d, one column per minute/, range);
    assert.doesNotMatch(range, /9999|2199|2200|per \d{4,} minutes/);
    const outside = await page.textContent('#tl-outside');
    // the 2199 line is an error code and a failed detection: two events, both said and linked
    assert.match(outside, /^2 event\(s\) outside the range shown \(0 before, 2 after\).* at 2200-01-01 04:59 WindowsUpdate\.log:56/, outside);
    assert.match(await page.textContent('.timeline'), /Not drawn: 2 event\(s\) without a usable time/, 'the 9999 line');
    assert.equal(await page.getAttribute('#tl-outside a', 'href'), '#view/56/WindowsUpdate.log');
    // one tab stop for the whole chart; arrow keys move inside it
    const stops = await page.$$eval('.timeline a.tl-mark', (els) => els.filter((e) => e.getAttribute('tabindex') !== '-1').length);
    assert.equal(stops, 1);
    const marks = await page.locator('.timeline a.tl-mark').count();
    assert.ok(marks > 3, `${marks} marks`);
    await page.focus('.timeline a.tl-mark[tabindex="0"]');
    const before = await page.evaluate(() => document.activeElement.id);
    await page.keyboard.press('ArrowDown');
    const after = await page.evaluate(() => document.activeElement.id);
    assert.ok(after.startsWith('tl-m') && after !== before, `${before} -> ${after}`);
    assert.match(await page.textContent('.tl-focus'), /×\d+ from 2009-12-14/);
    await page.keyboard.press('Tab');
    assert.ok(!(await page.evaluate(() => document.activeElement.classList.contains('tl-mark'))), 'Tab leaves the chart');
    // a phone: labels 12 px or more, none clipped or off screen
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      const sizes = await page.$$eval('.tl-label, .tl-tick', (els) => els.filter((e) => e.offsetParent).map((e) => {
        const r = e.getBoundingClientRect();
        return { px: parseFloat(getComputedStyle(e).fontSize), clipped: e.scrollWidth > e.clientWidth + 1, left: r.left, right: r.right, text: e.textContent };
      }));
      assert.ok(sizes.length > 4);
      for (const s of sizes) {
        assert.ok(s.px >= 12, `${s.text}: ${s.px}px`);
        assert.ok(!s.clipped && s.left >= 0 && s.right <= 390, `${s.text} clipped: ${JSON.stringify(s)}`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  await test('panels open next to their finding; Escape or Close shuts them and focus returns to the opener', async () => {
    await xpExample();
    await page.click('[data-rule="detection-schedule-stale"] a.loc >> nth=0');
    await page.waitForSelector('#viewer .vline.hit');
    assert.equal(await page.evaluate(() => document.querySelector('#viewer').previousElementSibling?.dataset.rule), 'detection-schedule-stale');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#viewer'));
    await page.waitForFunction(() => document.activeElement?.matches('[data-rule="detection-schedule-stale"] a.loc'));
    // the explorer: after its finding, Escape closes it, focus back on its button
    await page.click('[data-rule="selfupdate-not-found"] button.explore');
    await page.waitForSelector('#explore-count');
    assert.equal(await page.evaluate(() => document.querySelector('#explorer').previousElementSibling?.dataset.rule), 'selfupdate-not-found');
    await page.waitForFunction(() => document.activeElement?.closest('#explorer'));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#explorer'));
    await page.waitForFunction(() => document.activeElement?.matches('[data-rule="selfupdate-not-found"] button.explore'));
    // from the timeline: the viewer opens under it; Close gives focus back to the mark
    await page.focus('.timeline a.tl-mark[tabindex="0"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#viewer .vline.hit');
    assert.equal(await page.evaluate(() => document.querySelector('#viewer').previousElementSibling?.id), 'timeline');
    await page.click('#viewer-close');
    await page.waitForFunction(() => !document.querySelector('#viewer'));
    await page.waitForFunction(() => document.activeElement?.classList.contains('tl-mark'));
  });

  await test('the input viewer: search next/previous, next error, errors highlighted, inputs merged by time', async () => {
    await xpExample();
    await page.evaluate(() => { location.hash = '#view/1/WindowsUpdate.log'; });
    await page.waitForSelector('#viewer .vline.hit#L1');
    const current = () => page.evaluate(() => { const r = document.querySelector('#viewer .vline.current'); return r && [Number(r.dataset.row), r.textContent]; });
    await page.fill('#viewer-search', 'WSUS server');
    assert.equal(await page.textContent('#viewer-count'), '2 match(es)');
    await page.press('#viewer-search', 'Enter');
    const [a, ta] = await current();
    assert.match(ta, /WSUS server: http:\/\/wsus01:8530/);
    assert.equal(await page.textContent('#viewer-count'), '1 of 2');
    await page.press('#viewer-search', 'Enter');
    const [b] = await current();
    assert.ok(b > a, `${a} -> ${b}`);
    assert.equal(await page.textContent('#viewer-count'), '2 of 2');
    assert.match((await current())[1], /^\s+18 .*# WSUS server/);
    await page.press('#viewer-search', 'Shift+Enter');
    assert.equal((await current())[0], a);
    assert.equal(await page.textContent('#viewer #L12 mark'), 'WSUS server');
    // errors and warnings are highlighted; "Next error" jumps to the first error line
    assert.equal(await page.locator('#viewer .vline.lvl-error').count(), 11, 'FATAL and 0x8... lines');
    assert.equal(await page.locator('#viewer .vline.lvl-warning').count(), 1, 'a WARNING without a code');
    assert.match(await page.getAttribute('#viewer #L49', 'class'), /lvl-warning/);
    await page.fill('#viewer-search', '');
    await page.click('#viewer-next-error');
    const [e, te] = await current();
    assert.match(te, /SendRequestUsingProxy failed .* error 0x80190194/);
    assert.equal(await page.getAttribute(`#viewer .vline[data-row="${e}"]`, 'class').then((c) => /lvl-error/.test(c)), true);
    await page.click('#viewer-next-error');
    assert.ok((await current())[0] > e);
    // merged with the server's IIS log: rows interleave by time (the client's log moved to UTC with its tz)
    await page.check('#viewer-merge input[value="u_ex091214-port80.log"]');
    await page.waitForFunction(() => document.querySelectorAll('#viewer .vline .src').length > 60);
    assert.equal(await page.evaluate(() => location.hash), '#view/1/WindowsUpdate.log/u_ex091214-port80.log');
    const rows = await page.$$eval('#viewer .vline', (els) => els.sort((x, y) => x.dataset.row - y.dataset.row).map((e) => [e.querySelector('.src').textContent, e.textContent]));
    const runs = rows.map((r) => r[0]).filter((s, i, all) => i === 0 || s !== all[i - 1]);
    assert.deepEqual(runs.slice(0, 4), ['u_ex091214-port80.log', 'WindowsUpdate.log', 'u_ex091214-port80.log', 'WindowsUpdate.log'], runs.join(' | '));
    const firstClient = rows.findIndex((r) => r[0] === 'WindowsUpdate.log');
    assert.ok(rows.findIndex((r) => /iuident\.cab/.test(r[1])) < firstClient, 'the 15:11 UTC request comes before the client log starts (10:14 at -0500)');
    assert.ok(rows.findIndex((r) => /HEAD \/selfupdate\/wuident\.cab/.test(r[1])) > rows.findIndex((r) => /FATAL: IsUpdateRequired/.test(r[1])));
    assert.match(rows[rows.length - 1][1], /15:30:05 .*favicon\.ico/);
    await page.keyboard.press('Escape');
  });

  await test('a big input in the viewer: only the rows in view are in the page, and scrolling draws the next', async () => {
    const lines = [];
    for (let i = 1; i <= 40000; i++) lines.push(`2026-10-01\t10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:000\t1032\td18\tAgent\t  * line ${i}${i % 997 === 0 ? ' FATAL: failed with 0x8024402C' : ''}`);
    await page.goto(base);
    await page.setInputFiles('#files', [{ name: 'big.log', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\r\n') + '\r\n') }]);
    await page.waitForSelector('#report');
    await page.evaluate(() => { location.hash = '#view/20000/big.log'; });
    await page.waitForSelector('#viewer .vline.hit#L20000');
    assert.equal(await page.getAttribute('#viewer .viewer-lines', 'data-rows'), '2001');
    const drawn = await page.locator('#viewer .vline').count();
    assert.ok(drawn < 120, `${drawn} rows in the page`);
    await page.click('#viewer-next-error');
    await page.waitForFunction(() => /FATAL/.test(document.querySelector('#viewer .vline.current')?.textContent || ''));
    assert.match(await page.textContent('#viewer .vline.current'), /line 20937 FATAL/);
    await page.$eval('#viewer .viewer-lines', (el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForSelector('#viewer #L21000');
    assert.ok(await page.locator('#viewer .vline').count() < 120);
    await page.keyboard.press('Escape');
  });

  await test('the input viewer searches the whole input: next error 48,000 lines past its window, search on and back, merged rows of its time range (issue 21)', async () => {
    const hms = (t) => [Math.floor(t / 3600), Math.floor(t / 60) % 60, t % 60].map((v) => String(v).padStart(2, '0')).join(':');
    // a client log of 60,000 lines, one a second, with one error (line 50,000)
    const wu = [];
    for (let i = 1; i <= 60000; i++) {
      const what = i === 50000 ? 'FATAL: IsUpdateRequired failed with error 0x80244019'
        : i === 3 ? '* marker-early' : i === 59990 ? '* WSUS server: http://wsus01:8530' : `* line ${i}`;
      wu.push(`2026-10-01\t${hms(i)}:000\t1032\td18\tAgent\t${what}`);
    }
    // the server's IIS log of the same day, a request every 3 seconds
    const iis = ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: 2026-10-01 00:00:00',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken'];
    for (let k = 0; k < 20000; k++) iis.push(`2026-10-01 ${hms(k * 3)} 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.0.1.77 Windows-Update-Agent 200 0 0 ${k % 90}`);
    await page.goto(base);
    await page.setInputFiles('#files', [
      { name: 'wu60k.log', mimeType: 'text/plain', buffer: Buffer.from(wu.join('\r\n') + '\r\n') },
      { name: 'u_ex261001.log', mimeType: 'text/plain', buffer: Buffer.from(iis.join('\r\n') + '\r\n') },
    ]);
    await page.waitForSelector('#report');
    const count = () => page.textContent('#viewer-count');
    const said = (re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#viewer-count')?.textContent || ''), re.source);
    // near the top: "Next error" finds nothing in lines 1-1,001, the worker finds line 50,000
    await page.evaluate(() => { location.hash = '#view/1/wu60k.log'; });
    await page.waitForSelector('#viewer .vline.hit#L1');
    await page.click('#viewer-next-error');
    await page.waitForSelector('#viewer .vline.hit#L50000');
    assert.equal(await page.evaluate(() => location.hash), '#view/50000/wu60k.log');
    assert.match(await page.textContent('#viewer .vline.hit'), /50000 .*FATAL: IsUpdateRequired failed/);
    assert.equal(await page.getAttribute('#viewer .viewer-lines', 'data-rows'), '2001', 'lines 49,000 to 51,000');
    await page.click('#viewer-next-error');
    await said(/^no more errors/);
    assert.equal(await count(), 'no more errors after line 50000 (the input ends at 60000)');
    // a search goes on past the window, then back before it
    await page.fill('#viewer-search', 'WSUS SERVER');
    assert.equal(await count(), 'none here');
    await page.press('#viewer-search', 'Enter');
    await page.waitForSelector('#viewer .vline.hit#L59990');
    assert.equal(await page.inputValue('#viewer-search'), 'WSUS SERVER', 'the search box keeps its term');
    assert.equal(await page.textContent('#viewer #L59990 mark'), 'WSUS server');
    await page.fill('#viewer-search', 'marker-early');
    await page.press('#viewer-search', 'Shift+Enter');
    // line 3: the rows drawn are the new window's first, not those where the last one was scrolled to
    await page.waitForSelector('#viewer .vline.hit#L3');
    await page.press('#viewer-search', 'Shift+Enter');
    await said(/^no matches/);
    assert.equal(await count(), 'no matches before line 3');
    // merged with the IIS log: its rows of the window's time range (13:36:40 to 14:10:00), not its first lines
    await page.evaluate(() => { location.hash = '#view/50000/wu60k.log/u_ex261001.log'; });
    await page.waitForFunction(() => /merged by time/.test(document.querySelector('#viewer .viewer-nav')?.textContent || '')
      && document.querySelector('#viewer .viewer-lines')?.dataset.rows !== '2001');
    assert.match(await page.textContent('#viewer .viewer-nav'), /merged by time with the lines of u_ex261001\.log written from 2026-10-01 13:36:40 to 2026-10-01 14:10:00/);
    assert.equal(await page.getAttribute('#viewer .viewer-lines', 'data-rows'), String(2001 + 667), 'requests 16,334 to 17,000 (every 3 s)');
    await page.waitForSelector('#viewer .vline.hit#L50000');
    const near = await page.$$eval('#viewer .vline', (els) => els.filter((e) => e.querySelector('.src')?.textContent === 'u_ex261001.log').map((e) => e.textContent));
    assert.ok(near.some((t) => / 13:53:21 .*client\.asmx/.test(t)), near.slice(0, 3).join('\n'));
    // the other way round: 6,000 client lines in the IIS window's time, the first 2,000 read, the cut said
    await page.evaluate(() => { location.hash = '#view/10000/u_ex261001.log/wu60k.log'; });
    await page.waitForFunction(() => /more not read/.test(document.querySelector('#viewer .viewer-nav')?.textContent || ''));
    assert.match(await page.textContent('#viewer .viewer-nav'), /wu60k\.log: the first 2000 of them, more not read/);
    assert.equal(await page.getAttribute('#viewer .viewer-lines', 'data-rows'), String(2001 + 2000));
    await page.keyboard.press('Escape');
  });

  await test('no request left the page: only its own files were fetched', async () => {
    const allowed = new Set(['', 'index.html', 'style.css', 'offline-hint.js', 'main.js', 'drop.js', 'worker.js', 'serve-worker.js', 'pkg/wsus_doctor_web.js', 'pkg/wsus_doctor_web_bg.wasm']);
    for (const u of seen) {
      if (u.startsWith('blob:') || u.startsWith('data:')) continue;
      assert.ok(u.startsWith(base), `request outside the page: ${u}`);
      assert.ok(allowed.has(u.slice(base.length)), `unexpected request: ${u}`);
    }
    for (const p of requests) assert.ok(p.startsWith('/tools/wsus-doctor/'), `server saw ${p}`);
    assert.deepEqual(problems, []);
  });
} finally {
  await browser.close();
  server.close();
}
const failed = results.filter((r) => r[1] !== 'ok');
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
