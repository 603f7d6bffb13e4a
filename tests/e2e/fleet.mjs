// End-to-end test of the page's fleet view: a zip of 200 machines (each its own folder, the
// server's IIS log at the top) opens the machines x causes table, diagnosed by a pool of
// workers while the page stays responsive; a machine opens its own report; exports and the
// Redact toggle. Run alone: `node fleet.mjs` (after `bash scripts/build-web.sh`).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const www = path.join(root, 'www');
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
const MACHINES = 200;

// The fleet: every 4th machine's policy turns WSUS off (UseWUServer=0), the others are XP
// clients whose self-update fails on port 80; one server log shared by all.
function fleetZip(dir) {
  const py = `
import sys, zipfile
root, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = lambda p: open(root + '/' + p, 'rb').read()
off = (r('examples/win10-misconfigured/WindowsUpdate.log'), r('examples/win10-misconfigured/reg-query.txt'))
xp = (r('examples/xp-selfupdate-port80/WindowsUpdate.log'), r('examples/xp-selfupdate-port80/client-policy.reg'))
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('share/u_ex091214.log', r('examples/xp-selfupdate-port80/u_ex091214-port80.log'))
    for i in range(n):
        log, reg = off if i % 4 == 0 else xp
        z.writestr(f'share/PC-{i:04d}/WindowsUpdate.log', log)
        z.writestr(f'share/PC-{i:04d}/' + ('reg-query.txt' if i % 4 == 0 else 'client-policy.reg'), reg)
`;
  const out = path.join(dir, 'fleet-200.zip');
  const run = spawnSync('python3', ['-c', py, root, out, String(MACHINES)], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return out;
}

function serve() {
  const server = http.createServer((req, res) => {
    let p = new URL(req.url, 'http://x').pathname;
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(www, path.normalize(p));
    if (!file.startsWith(www) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, port: server.address().port })));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wsus-doctor-e2e-fleet-'));
const { server, port } = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
});
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForSelector('textarea#evidence');
  const zip = fleetZip(dir);
  const t0 = Date.now();
  await page.setInputFiles('#files', [zip]);
  await page.waitForSelector('#fleet-table');
  // the main thread answers while the workers diagnose: a timer keeps firing on time
  const lag = await page.evaluate(() => new Promise((ok) => {
    let worst = 0; let last = performance.now(); let n = 0;
    const tick = () => { const t = performance.now(); worst = Math.max(worst, t - last); last = t; if (++n < 20) setTimeout(tick, 25); else ok(worst); };
    setTimeout(tick, 25);
  }));
  await page.waitForFunction(() => /machines diagnosed by \d+ workers/.test(document.querySelector('#fleet-status')?.textContent || ''), null, { timeout: 120000 });
  const status = await page.textContent('#fleet-status');
  console.log(`fleet of ${MACHINES} in ${Date.now() - t0} ms: ${status.trim()} (worst timer gap while running: ${lag.toFixed(0)} ms)`);
  assert.ok(lag < 500, `the page froze for ${lag} ms`);
  assert.equal(await page.locator('#fleet-table tbody tr').count(), MACHINES);
  // a cause count: UseWUServer=0 on every 4th machine, self-update on port 80 on the others
  const heads = await page.$$eval('#fleet-table thead th', (els) => els.map((e) => e.textContent));
  assert.ok(heads.includes(`usewuserver-off (${MACHINES / 4})`), heads.join(' | '));
  assert.ok(heads.includes(`selfupdate-needs-port-80 (${(MACHINES * 3) / 4})`), heads.join(' | '));
  // filter and sort
  await page.fill('#fleet-filter', 'usewuserver-off');
  await page.waitForFunction((n) => document.querySelectorAll('#fleet-table tbody tr').length === n, MACHINES / 4);
  await page.fill('#fleet-filter', '');
  await page.click('#fleet-table thead th:first-child button');
  await page.click('#fleet-table thead th:first-child button');
  assert.equal((await page.textContent('#fleet-table tbody tr:first-child th')).trim(), `PC-${String(MACHINES - 1).padStart(4, '0')}`);
  // a machine opens its own report: its cause, labelled with it
  await page.fill('#fleet-filter', 'PC-0004');
  await page.click('#fleet-table tbody tr:first-child th button');
  await page.waitForSelector('#report [data-rule="usewuserver-off"]');
  assert.equal(await page.textContent('[data-rule="usewuserver-off"] .machine'), 'on PC-0004');
  assert.equal(await page.locator('#report [data-rule="usewuserver-off"]').count(), 1, 'only this machine\'s findings');
  // exports: CSV has a row per machine and cause
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#fleet-csv')]);
  const text = fs.readFileSync(await csv.path(), 'utf8');
  assert.equal(text.split('\r\n').filter((l) => l.includes(',usewuserver-off,')).length, MACHINES / 4);
  // NDJSON: a state line per machine, an alert per machine and cause, the server's once
  const [nd] = await Promise.all([page.waitForEvent('download'), page.click('#fleet-ndjson')]);
  const records = fs.readFileSync(await nd.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(records.filter((r) => r.event.kind === 'state').length, MACHINES);
  assert.equal(records.filter((r) => r.rule?.id === 'usewuserver-off').length, MACHINES / 4);
  const [md] = await Promise.all([page.waitForEvent('download'), page.click('#fleet-md')]);
  assert.match(fs.readFileSync(await md.path(), 'utf8'), new RegExp(`# WSUS Doctor: fleet of ${MACHINES} machines`));
  // redacted: no machine name left in the table
  await page.fill('#fleet-filter', '');
  await page.check('#fleet-redact');
  await page.waitForFunction(() => !document.querySelector('#fleet-table tbody')?.textContent.includes('PC-0'));
  assert.match(await page.textContent('#fleet-table tbody tr:first-child th'), /^host-\d{4}$/);
  assert.deepEqual(problems, []);
  console.log('ok   fleet view of a 200-machine zip');
} catch (e) {
  failed = true;
  console.log(`FAIL fleet view of a 200-machine zip\n${e.stack}`);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
