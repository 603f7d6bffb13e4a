// A classic script (browsers run those from file://, unlike the module main.js): when this
// folder's index.html was opened from disk, say why nothing loads and where the working file is.
document.addEventListener('DOMContentLoaded', () => {
  if (location.protocol !== 'file:') return;
  const app = document.getElementById('app');
  if (!app) return;
  const box = document.createElement('div');
  box.className = 'page';
  box.id = 'offline-hint';
  const h = document.createElement('h1');
  h.textContent = 'WSUS Doctor';
  const p = document.createElement('p');
  p.textContent = 'This page was opened from disk (file://). Browsers load its WebAssembly only over http(s). ' +
    'Open wsus-doctor.html from the same folder instead: the single-file WSUS Doctor works from disk, offline. ' +
    'Or serve this folder over http, e.g. python3 -m http.server --bind 127.0.0.1.';
  const a = document.createElement('a');
  a.href = './wsus-doctor.html';
  a.textContent = 'Open wsus-doctor.html';
  box.append(h, p, a);
  app.replaceChildren(box);
});
