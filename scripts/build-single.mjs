// Build www/wsus-doctor.html: the whole page in one file that works when opened from disk.
// Browsers refuse module scripts and fetches from file://, so everything is inline: the style,
// the no-modules wasm-bindgen glue, the wasm (base64, in a data block that never runs) and the
// worker's code (a text block the page turns into a blob: worker). The CSP allows exactly these
// inline scripts by their SHA-256 and forbids every request (connect-src 'none').
// Usage: node scripts/build-single.mjs <no-modules pkg dir> <www dir>
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const [pkg, www] = process.argv.slice(2);
const read = (p) => fs.readFileSync(p, 'utf8');
const glue = read(path.join(pkg, 'wsus_doctor_web.js'));
const wasm = fs.readFileSync(path.join(pkg, 'wsus_doctor_web_bg.wasm')).toString('base64');
const css = read(path.join(www, 'style.css'));
const drop = read(path.join(www, 'drop.js'));
const serve = read(path.join(www, 'serve-worker.js'));

// The worker: glue + the shared job loop; its first message carries the compiled module.
const worker = `${serve}
self.onmessage = (event) => {
  wasm_bindgen.initSync({ module: event.data.wasmModule });
  self.wsusDoctorServe(Promise.resolve(), wasm_bindgen.Session, wasm_bindgen.LineView, wasm_bindgen.Explore, wasm_bindgen.Planner, wasm_bindgen.LineFind, wasm_bindgen.TimeSlice);
};
`;

// The page: decode and compile the wasm once, hand the module to every worker it starts.
const boot = `${drop}
(async () => {
  const text = document.getElementById('wsus-doctor-wasm').textContent.trim();
  const bytes = Uint8Array.fromBase64 ? Uint8Array.fromBase64(text) : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const module = await WebAssembly.compile(bytes);
  const source = document.getElementById('wsus-doctor-glue').textContent + '\\n' + document.getElementById('wsus-doctor-worker').textContent;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  globalThis.wsusDoctorSpawnWorker = () => {
    const w = new Worker(url);
    w.postMessage({ wasmModule: module });
    return w;
  };
  await wasm_bindgen({ module_or_path: module });
  wasm_bindgen.run_app();
})().catch((err) => {
  document.getElementById('app').textContent = 'WSUS Doctor could not start: ' + err;
});
`;

for (const [name, text] of [['glue', glue], ['worker', worker], ['boot', boot], ['style', css]]) {
  if (/<\/(script|style)/i.test(text)) throw new Error(`${name} contains a closing tag; it cannot be inlined`);
}
const sha = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const csp = [
  "default-src 'none'",
  `script-src ${sha(glue)} ${sha(boot)} 'wasm-unsafe-eval'`,
  'worker-src blob:',
  "connect-src 'none'",
  `style-src ${sha(css)}`,
  'img-src data: blob:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<!-- WSUS Doctor, single-file build: works from disk and offline. Nothing may leave the page:
     the only scripts are the inline ones below (by hash), and no request of any kind is allowed. -->
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>WSUS Doctor</title>
<link rel="icon" href="data:,">
<style>${css}</style>
</head>
<body>
<div id="app"><noscript>WSUS Doctor needs JavaScript and WebAssembly; it runs entirely in this page.</noscript></div>
<script type="application/octet-stream" id="wsus-doctor-wasm">${wasm}</script>
<script type="text/plain" id="wsus-doctor-worker">${worker}</script>
<script id="wsus-doctor-glue">${glue}</script>
<script>${boot}</script>
</body>
</html>
`;
const out = path.join(www, 'wsus-doctor.html');
fs.writeFileSync(out, html);
console.log(`== ${out}: ${(html.length / 1048576).toFixed(1)} MB (wasm ${(wasm.length * 3 / 4 / 1048576).toFixed(1)} MB)`);
