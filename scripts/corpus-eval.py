#!/usr/bin/env python3
"""Run every corpus case through the CLI's JSON report and check its `expect` (quick loop for
development; the Rust test tests/tests/corpus.rs is the gate)."""
import json, os, subprocess, sys
root = sys.argv[1] if len(sys.argv) > 1 else "tests/corpus"
binary = os.environ.get("BIN", "target/release/wsus-doctor")
only = sys.argv[2:]
fails = 0; total = 0
for case in sorted(os.listdir(root)):
    d = os.path.join(root, case)
    if not os.path.isdir(d) or (only and case not in only): continue
    files = [os.path.join(d, f) for f in sorted(os.listdir(d)) if f not in ("expect", "SOURCE.md", "NOTES.md")]
    p = subprocess.run([binary, "diagnose", "--format", "json", *files], capture_output=True)
    total += 1
    errs = []
    try:
        rep = json.loads(p.stdout)
    except Exception as e:
        errs.append(f"no report: {p.stderr[:200]}"); rep = {"findings": [], "inputs": []}
    fired = {f["rule"] for f in rep["findings"]}
    sev = {f["rule"]: f["severity"] for f in rep["findings"]}
    for line in open(os.path.join(d, "expect")):
        w = line.split()
        if not w or w[0].startswith("#"): continue
        k = w[0].rstrip(":")
        if k == "must":
            for r in w[1:]:
                if r not in fired: errs.append(f"must {r}")
        elif k == "must-any":
            if not fired & set(w[1:]): errs.append(f"must-any {w[1:]}")
        elif k == "must-not":
            for r in w[1:]:
                if r in fired: errs.append(f"must-not {r}")
        elif k == "no-errors":
            e = [r for r, s in sev.items() if s == "error"]
            if e: errs.append(f"no-errors {e}")
        elif k == "read":
            ok = any(i["name"].endswith(w[1]) and i.get("kind") and not i.get("error") and i.get("lines", 0) >= int(w[2]) for i in rep["inputs"])
            if not ok: errs.append(f"read {w[1]} {w[2]}: {[(i['name'], i.get('kind'), i.get('lines')) for i in rep['inputs']]}")
        elif k == "evidence-only":
            f = [f for f in rep["findings"] if f["rule"] == w[1]]
            if not f or any(w[2] not in e["input"] for x in f for e in x["evidence"]): errs.append(f"evidence-only {w[1]} {w[2]}")
        elif k == "mentions":
            t = " ".join(line.split(None, 1)[1:]).strip().lower()
            blob = json.dumps([[f["title"], f["detail"], f["evidence"]] for f in rep["findings"]]).lower()
            if t not in blob: errs.append(f"mentions {t}")
        elif k == "mode":
            modes = json.dumps([m["mode"] for m in rep.get("modes", [])])
            if w[1] not in modes: errs.append(f"mode {w[1]} (got {modes[:80]})")
    if errs:
        fails += 1
        print(f"FAIL {case}: {'; '.join(errs)}  [fired: {sorted(f'{r}:{sev[r][0]}' for r in fired)}]")
print(f"{total - fails}/{total} pass")
