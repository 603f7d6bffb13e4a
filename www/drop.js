// Shared by the hosted page (imported by main.js) and the single-file page (inlined): plain
// script, no imports, so it runs as a module and as a classic script alike.

// Dropped folders: the browser hands over only the top entries of a drop; walk them (in name
// order, at most 8 levels, readEntries returns at most 100 entries per call) and name each file
// by its path inside the drop, as "Add folder…" does. Called by the page during the drop event.
globalThis.wsusDoctorDropped = (dataTransfer) => {
  const entries = [...(dataTransfer.items || [])]
    .map((item) => (item.kind === 'file' && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null))
    .filter(Boolean);
  const loose = [...dataTransfer.files].map((file) => ({ file, path: file.name }));
  const out = [];
  const walk = async (entry, depth) => {
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      out.push({ file, path: entry.fullPath.replace(/^\/+/, '') });
    } else if (entry.isDirectory && depth < 8) {
      const reader = entry.createReader();
      const children = [];
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (!batch.length) break;
        children.push(...batch);
      }
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) await walk(child, depth + 1);
    }
  };
  return (async () => {
    if (!entries.length) return loose;
    try {
      for (const entry of entries) await walk(entry, 0);
      return out;
    } catch (e) {
      // Chromium refuses the entries API on file:// pages (the single file opened from disk): the
      // drop's own files were taken during the event and still read; a dropped folder cannot be
      // walked there ("Add folder…" can), and its entry fails to read with a clear error
      if (loose.length) return loose;
      throw e;
    }
  })();
};
