// Loads the wasm module (relative URL: works under any path prefix) and mounts the page.
import init, { run_app } from './pkg/wsus_doctor_web.js';
import './drop.js';

init().then(() => run_app()).catch((err) => {
  const app = document.getElementById('app');
  app.textContent = 'WSUS Doctor could not start: ' + err + '. Serve this folder over http(s), or open wsus-doctor.html, the single-file page that works from disk.';
});
