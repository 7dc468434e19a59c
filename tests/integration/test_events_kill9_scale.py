"""Case events survive kill -9 (issue 9 item 6).

Four placements of northwind with harbor-law. Rounds of: the firm posts
events on every placement at once (one client per placement) while the
agency posts instructions; batond is killed with SIGKILL at a random
moment and started again on the same data. A client whose answer was lost
sends the same draft again after the restart (same event_id), which must be
answered (201, or 200 "repeat") and never stored twice. After every
restart, on both tenants:

- every event a client got 201/200 for is there, byte for byte;
- each chain (per sender per handoff) has seq 1..n without a gap, the first
  naming the package's tagmanifest and each next the SHA-256 of the line
  before; no event_id twice;
- both tenants hold the same lines (the outbox delivers at start what a
  crash interrupted);
- each side's audit log has one record per stored event.

At the end stock minisign verifies every line with its sender's key, and
`batond audit verify` passes. Label "scale" (not run under ASan); about a
minute.
"""

import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time

import batond_harness as h

ROUNDS = int(os.environ.get("BATON_KILL9_ROUNDS", "16"))
PLACEMENTS = 4
CASE = {
    "jurisdiction": "gb-ew",
    "creditor": {"name": "Acme Tools Ltd", "kind": "business",
                 "address": {"lines": ["1 Forge Lane"], "city": "Leeds", "country": "GB"}},
    "debtor": {"name": "Jane Smith", "kind": "individual",
               "address": {"lines": ["4 Mill Road"], "city": "York", "country": "GB"}},
    "claim": {"principal": {"amount": "2450.00", "currency": "GBP"},
              "contract_type": "written", "due_date": "2025-06-30"},
}


def tenants():
    return [
        h.tenant("northwind", "agency", ["gb-ew"], counterparts=[{"tenant": "harbor-law"}]),
        h.tenant("harbor-law", "lawfirm", [], counterparts=[{"tenant": "northwind"}]),
    ]


def post(b, conn, tenant, path, body):
    return b.request("POST", path, body=json.dumps(body).encode(), token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"}, conn=conn)


def place(b, n):
    c = dict(CASE, case_id="NW-K9-%d" % n)
    r = post(b, None, "northwind", "/v1/handoffs", {"to": "harbor-law", "case": c})
    h.check(r.status == 201, repr(r))
    handoff = r.json()
    r = b.get("/v1/inbox", token=b.tokens["harbor-law"])
    item = [i for i in r.json() if i["handoff_id"] == handoff["id"]][0]["id"]
    r = post(b, None, "harbor-law", "/v1/inbox/%s/accept" % item, {})
    h.check(r.status == 200, repr(r))
    return handoff["id"], item, handoff["tagmanifest_sha256"]


class Poster:
    """One client posting drafts on one placement; what it was told."""

    def __init__(self, tenant, path, prefix, kind, body):
        self.tenant, self.path, self.prefix = tenant, path, prefix
        self.kind, self.body = kind, body
        self.n = 0
        self.pending = None  # a draft whose answer a crash took
        self.acked = {}      # event_id -> line

    def draft(self):
        if self.pending is None:
            self.n += 1
            self.pending = {"event_id": "%s-%d" % (self.prefix, self.n), "kind": self.kind,
                            "date": "2026-03-02", "body": self.body(self.n)}
        return self.pending

    def run(self, b, stop, errors):
        try:
            conn = b.connect(timeout=10)
        except Exception:
            return
        while not stop.is_set():
            d = self.draft()
            try:
                r = post(b, conn, self.tenant, self.path, d)
            except Exception:
                return  # killed: d stays pending and is sent again
            if r.status not in (200, 201):
                errors.append("%s %s: %r" % (self.path, d["event_id"], r))
                return
            a = r.json()
            if a["event"]["event_id"] != d["event_id"]:
                errors.append("answered another event: %r" % a)
                return
            self.acked[d["event_id"]] = a["line"]
            self.pending = None
            time.sleep(0.01)


def events_of(b, tenant, path):
    out, since = [], 0
    while True:
        r = b.get("%s?since=%d&limit=1000" % (path, since), token=b.tokens[tenant])
        h.check(r.status == 200, repr(r))
        page = r.json()["events"]
        if not page:
            return out
        out += page
        since = page[-1]["pos"]


def check_chains(events, tagmanifest, where):
    chains = {}
    for e in events:
        chains.setdefault(e["role"], []).append(e)
    for role, chain in chains.items():
        ids = [e["event_id"] for e in chain]
        h.check(len(ids) == len(set(ids)), "%s: an event_id twice in %s's chain" % (where, role))
        prev = None
        for i, e in enumerate(sorted(chain, key=lambda e: e["seq"]), 1):
            ev = json.loads(e["line"])
            h.check(ev["seq"] == i, "%s: %s's chain has seq %d at %d" % (where, role, ev["seq"], i))
            want = tagmanifest if prev is None else hashlib.sha256(prev.encode()).hexdigest()
            h.check(ev["prev_sha256"] == want and ev["tagmanifest_sha256"] == tagmanifest,
                    "%s: %s seq %d does not chain" % (where, role, i))
            prev = e["line"]
    return chains


def check(b, placements, posters, where):
    totals = {"firm": 0, "agency": 0}
    for handoff, item, tagmanifest in placements:
        agency = events_of(b, "northwind", "/v1/placements/%s/events" % handoff)
        firm = events_of(b, "harbor-law", "/v1/inbox/%s/events" % item)
        check_chains(agency, tagmanifest, where + " (northwind)")
        check_chains(firm, tagmanifest, where + " (harbor-law)")
        lines_a = sorted(e["line"] for e in agency)
        lines_f = sorted(e["line"] for e in firm)
        h.check(lines_a == lines_f, "%s: handoff %s differs: northwind %d events, harbor-law %d"
                % (where, handoff, len(lines_a), len(lines_f)))
        stored = set(lines_a)
        for p in posters:
            if handoff in p.path or item in p.path:
                for eid, line in p.acked.items():
                    h.check(line in stored, "%s: acknowledged %s lost" % (where, eid))
        for e in agency:
            totals[e["role"]] += 1
    logs = {t: b.audit_records(t) for t in ("northwind", "harbor-law")}
    count = lambda t, a: sum(1 for r in logs[t] if r["action"] == a)  # noqa: E731
    h.check(count("harbor-law", "event.sent") == totals["firm"] and
            count("northwind", "event.received") == totals["firm"] and
            count("northwind", "event.sent") == totals["agency"] and
            count("harbor-law", "event.received") == totals["agency"],
            "%s: audit records do not match the events (%r)" % (where, totals))
    return totals


def kill(b):
    b.proc.kill()
    b.proc.wait()
    b.log_file.close()
    b.proc = None


def minisign_ok(d, line, sig, pub):
    with open(os.path.join(d, "E"), "w", newline="") as f:
        f.write(line)
    with open(os.path.join(d, "E.minisig"), "w", newline="") as f:
        f.write(sig)
    return subprocess.run(["minisign", "-Vq", "-m", os.path.join(d, "E"), "-p", pub],
                          capture_output=True).returncode == 0


def test_kill9_loop_keeps_both_chains_on_both_tenants():
    rng = random.Random(int(os.environ.get("BATON_KILL9_SEED", str(int(time.time())))))
    with h.Batond("events-kill9", tenants=tenants()) as b:
        b.start()
        placements = [place(b, n) for n in range(PLACEMENTS)]
        posters = []
        for i, (handoff, item, _) in enumerate(placements):
            posters.append(Poster("harbor-law", "/v1/inbox/%s/events" % item, "hl%d" % i,
                                  "contact", lambda n: {"channel": "phone",
                                                        "note": "call %d, \"noted\"" % n}))
        for i, (handoff, item, _) in enumerate(placements[:2]):
            posters.append(Poster("northwind", "/v1/placements/%s/events" % handoff,
                                  "nw%d" % i, "instruction", lambda n: {"text": "step %d" % n}))
        for rnd in range(ROUNDS):
            stop, errors = threading.Event(), []
            threads = [threading.Thread(target=p.run, args=(b, stop, errors)) for p in posters]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 0.8))
            kill(b)
            stop.set()
            for t in threads:
                t.join(30)
            h.check(not errors, "round %d: %r" % (rnd, errors))
            b.start()
            totals = check(b, placements, posters, "after kill %d" % (rnd + 1))
        # The drafts a last crash left unanswered are answered now, once.
        stop, errors = threading.Event(), []
        stop.set()
        for p in posters:
            if p.pending is not None:
                r = post(b, None, p.tenant, p.path, p.pending)
                h.check(r.status in (200, 201), repr(r))
                p.acked[p.pending["event_id"]] = r.json()["line"]
                p.pending = None
        totals = check(b, placements, posters, "at the end")
        acked = sum(len(p.acked) for p in posters)
        h.check(acked >= ROUNDS * 4, "too little happened: %d events acknowledged" % acked)
        # Stock minisign verifies every line, on the side that did not sign it.
        d = tempfile.mkdtemp()
        try:
            keys = {r: os.path.join(b.data_dir, "tenants", t, "keys", "sign.pub")
                    for r, t in (("firm", "harbor-law"), ("agency", "northwind"))}
            for handoff, _, _ in placements:
                for e in events_of(b, "northwind", "/v1/placements/%s/events" % handoff):
                    h.check(minisign_ok(d, e["line"], e["minisig"], keys[e["role"]]),
                            "minisign refuses %s" % e["event_id"])
        finally:
            shutil.rmtree(d)
        h.check(b.stop() == 0, "batond did not exit cleanly")
        for t in ("northwind", "harbor-law"):
            v = b.run("audit", "verify", t)
            h.check(v.returncode == 0, "audit verify %s: %s" % (t, v.stderr))
        print("  %d kills, %d events acknowledged, %d firm and %d agency events stored"
              % (ROUNDS, acked, totals["firm"], totals["agency"]))


if __name__ == "__main__":
    h.run([test_kill9_loop_keeps_both_chains_on_both_tenants])
