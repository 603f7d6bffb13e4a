// Speed of the page on a big WindowsUpdate.log: the wasm diagnosis in a Web Worker in headless
// Chromium, against the native CLI on the same file in the same run. Also measures how long the
// page's main thread was ever blocked while the worker ran (event-loop lag), i.e. "no frozen tab".
// Usage: node bench-web.mjs FILE   (scripts/bench.sh passes a generated 50 MB log)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const www = path.join(root, 'www');
const file = path.resolve(process.argv[2]);
const mb = fs.statSync(file).size / 1048576;
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

const server = http.createServer((req, res) => {
  let p = new URL(req.url, 'http://x').pathname;
  if (p.endsWith('/')) p += 'index.html';
  const f = path.join(www, path.normalize(p));
  if (!f.startsWith(www) || !fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'Content-Type': MIME[path.extname(f)] || 'application/octet-stream' });
  fs.createReadStream(f).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('textarea#evidence');
  const runs = [];
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => {
      window.__lag = 0;
      let last = performance.now();
      window.__probe = setInterval(() => { const n = performance.now(); window.__lag = Math.max(window.__lag, n - last - 10); last = n; }, 10);
      document.querySelectorAll('button[aria-label^="Remove"]').forEach((b) => b.click());
    });
    await page.setInputFiles('#files', file);
    await page.waitForFunction(() => /Read .* in \d+ ms/.test(document.querySelector('#report .counts')?.textContent || ''), null, { timeout: 600000 });
    const { text, lag } = await page.evaluate(() => { clearInterval(window.__probe); return { text: document.querySelector('#report .counts').textContent, lag: window.__lag }; });
    const ms = Number(/in (\d+) ms/.exec(text)[1]);
    runs.push({ ms, lag });
    await page.click(`button[aria-label="Remove ${path.basename(file)}"]`);
  }
  const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
  const maxLag = Math.max(...runs.map((r) => r.lag));
  // native, same file, same run
  const bin = path.join(root, 'target/release/wsus-doctor');
  let nativeMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    try { execFileSync(bin, ['diagnose', '--format', 'json', file], { stdio: 'ignore' }); } catch { /* exit 1 = error findings */ }
    nativeMs = Math.min(nativeMs, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const webRate = mb / (best.ms / 1000);
  const nativeRate = mb / (nativeMs / 1000);
  console.log(`== page (wasm in a Web Worker, headless Chromium) on ${path.basename(file)} (${mb.toFixed(0)} MB)`);
  console.log(`  page   ${best.ms.toFixed(0).padStart(6)} ms  ${webRate.toFixed(0).padStart(5)} MB/s  (includes the second pass for evidence context)`);
  console.log(`  native ${nativeMs.toFixed(0).padStart(6)} ms  ${nativeRate.toFixed(0).padStart(5)} MB/s`);
  console.log(`  page / native speed: ${(webRate / nativeRate).toFixed(2)}   (target >= 0.5)`);
  console.log(`  longest main-thread stall while diagnosing: ${maxLag.toFixed(0)} ms`);
} finally {
  await browser.close();
  server.close();
}
