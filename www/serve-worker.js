// The diagnosis runs in a worker, off the page's thread, so a 50 MB log never freezes the tab.
// Files are read in slices and fed to the core's streaming session; progress is posted back.
// Plain script (no imports): the hosted worker.js imports it, the single-file page inlines it
// into a blob: worker. `ready` resolves once the wasm is instantiated.

self.wsusDoctorServe = (ready, Session, LineView, Explore, Planner, LineFind, TimeSlice) => {
  const CHUNK = 4 << 20;
  const KEEP_BYTES = 256 << 20;

  async function* chunks(input) {
    if (input.file) {
      // read the next slice while the current one is being diagnosed: I/O and wasm overlap
      const f = input.file;
      const read = (off) => (off < f.size ? f.slice(off, off + CHUNK).arrayBuffer() : null);
      let next = read(0);
      for (let off = 0; off < f.size; off += CHUNK) {
        const current = await next;
        next = read(off + CHUNK);
        yield new Uint8Array(current);
      }
    } else {
      const b = input.bytes;
      for (let off = 0; off < b.byteLength; off += CHUNK) yield b.subarray(off, off + CHUNK);
    }
  }

  // The input viewer: lines from..to of one input, read until they are all there.
  async function view({ name, member, from, to, file, bytes }) {
    const v = new LineView(name, member || '', from, to);
    for await (const c of chunks({ file, bytes })) {
      v.feed(c);
      if (v.done()) break;
    }
    const json = v.finish_json();
    v.free();
    self.postMessage({ type: 'lines', json });
  }

  // The input viewer's search past its window: the next (or previous) matching line of the
  // whole input, read in slices until it is found (a previous one: until the line searched from).
  async function find({ name, member, from, forward, term, level, file, bytes }) {
    const f = new LineFind(name, member || '', from, forward, term, level);
    for await (const c of chunks({ file, bytes })) {
      f.feed(c);
      if (f.done()) break;
    }
    const json = f.finish_json();
    f.free();
    self.postMessage({ type: 'found', json });
  }

  // The merged view: an input's lines of a time range (capped; the cut is said), read in slices.
  async function slice({ name, member, start, end, file, bytes }) {
    const s = new TimeSlice(name, member || '', start, end);
    for await (const c of chunks({ file, bytes })) {
      s.feed(c);
      if (s.done()) break;
    }
    const json = s.finish_json();
    s.free();
    self.postMessage({ type: 'lines', json });
  }

  // The evidence explorer: every line of the cited inputs that matches a term.
  async function explore({ term, inputs }) {
    const x = new Explore(term);
    for (const input of inputs) {
      x.begin(input.name, input.member || '');
      for await (const c of chunks(input)) x.feed(c);
      x.end();
    }
    const json = x.finish_json();
    x.free();
    self.postMessage({ type: 'explored', json });
  }

  // Which machines the inputs hold: zips' directories read, nothing diagnosed.
  async function plan(inputs) {
    const p = new Planner(inputs.map((i) => i.name));
    for (let n = 0; n < inputs.length; n++) {
      const i = inputs[n];
      if (!/\.zip$/i.test(i.name)) continue;
      const bytes = i.file ? new Uint8Array(await i.file.arrayBuffer()) : i.bytes;
      p.add_zip(n, bytes);
    }
    const json = p.machines_json();
    p.free();
    self.postMessage({ type: 'planned', json });
  }

  self.onmessage = async (event) => {
    try {
      await ready;
      if (event.data.plan) return await plan(event.data.plan);
      if (event.data.view) return await view(event.data.view);
      if (event.data.explore) return await explore(event.data.explore);
      if (event.data.find) return await find(event.data.find);
      if (event.data.slice) return await slice(event.data.slice);
      const { maxBytes } = event.data;
      const [shareK, shareN] = event.data.share || [0, 1];
      const session = new Session(maxBytes || 0, event.data.inputs.map((i) => i.name), shareK, shareN);
      // the core's order: shared (server) logs first, read once, then zips, then machines' files
      const inputs = Array.from(session.reading_order(), (k) => event.data.inputs[k]);
      const size = (i) => (i.file ? i.file.size : i.bytes.byteLength);
      const total = inputs.reduce((a, i) => a + size(i), 0);
      let done = 0;
      let last = 0;
      const ids = [];
      // Inputs up to KEEP_BYTES are kept from the first pass, so the context pass reads memory,
      // not the file again; bigger ones are re-read in slices (memory stays bounded).
      const kept = [];
      const keep = total <= KEEP_BYTES;
      for (const input of inputs) {
        const id = session.add_input(input.name, input.kind || '');
        ids.push(id);
        const mine = [];
        kept.push(mine);
        for await (const c of chunks(input)) {
          if (keep) mine.push(c);
          session.feed(id, c);
          done += c.byteLength;
          const now = performance.now();
          if (now - last > 50) { self.postMessage({ type: 'progress', done, total }); last = now; }
        }
        session.finish_input(id);
      }
      self.postMessage({ type: 'progress', done: total, total });
      session.finish();
      // one more pass, only over inputs with evidence, for the lines around each evidence line
      for (let n = 0; n < inputs.length; n++) {
        if (!session.needs_context(ids[n])) continue;
        if (keep) for (const c of kept[n]) session.context_feed(ids[n], c);
        else for await (const c of chunks(inputs[n])) session.context_feed(ids[n], c);
        session.context_finish(ids[n]);
      }
      self.postMessage({ type: 'result', json: session.result_json() });
      session.free();
    } catch (err) {
      self.postMessage({ type: 'error', message: String(err && err.message || err) });
    }
  };
};
