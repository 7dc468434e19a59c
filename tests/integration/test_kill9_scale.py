"""Two tenants stay consistent across kill -9 (issue 8 item 11).

Rounds of: two agencies hand cases to one law firm while the firm accepts
and declines them, all at once; batond is killed with SIGKILL at a random
moment; it is started again on the same data. After every restart:

- every handoff a client got 201 for is at the agency and in the firm's
  inbox (delivered at start if the crash came before);
- every inbox item names a handoff its agency has (no orphans);
- the firm's decision and the agency's handoff status agree (pending and
  sent, accepted and accepted, rejected and rejected: receipts lost with a
  crash are delivered again at start);
- every accept or decline a client got an answer for is kept on both sides;
- each side's audit log has exactly one record per committed action.

At the end every item still pending can be decided (none is stuck), and
`batond audit verify` passes for every tenant. Label "scale" (ctest runs it
in the normal build, not under ASan); ~1 minute.
"""

import json
import os
import random
import threading
import time

import batond_harness as h

ROUNDS = int(os.environ.get("BATON_KILL9_ROUNDS", "24"))
AGENCIES = ("northwind", "southbank")
FIRM = "harbor-law"


def tenants():
    return [
        h.tenant("northwind", "agency", ["gb-ew"], counterparts=[{"tenant": FIRM}]),
        h.tenant("southbank", "agency", ["gb-ew"], counterparts=[{"tenant": FIRM}]),
        h.tenant(FIRM, "lawfirm", [], counterparts=[{"tenant": a} for a in AGENCIES]),
    ]


def case(case_id):
    return {
        "case_id": case_id,
        "jurisdiction": "gb-ew",
        "creditor": {"name": "Acme Tools Ltd", "kind": "business",
                     "address": {"lines": ["1 Forge Lane"], "city": "Leeds", "country": "GB"}},
        "debtor": {"name": "Jane Smith", "kind": "individual",
                   "address": {"lines": ["4 Mill Road"], "city": "York", "country": "GB"}},
        "claim": {"principal": {"amount": "2450.00", "currency": "GBP"},
                  "contract_type": "written", "due_date": "2025-06-30"},
    }


class Acked:
    """What clients were told: only these must survive."""

    def __init__(self):
        self.lock = threading.Lock()
        self.handoffs = {}   # handoff id -> agency
        self.decisions = {}  # inbox id -> "accepted" / "rejected"


def post(b, conn, tenant, path, body):
    return b.request("POST", path, body=json.dumps(body).encode(), token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"}, conn=conn)


def creator(b, agency, stop, acked, serial):
    conn = b.connect(timeout=10)
    n = 0
    while not stop.is_set():
        n += 1
        case_id = "%s-%d-%d" % (agency[:2].upper(), serial, n)
        try:
            r = post(b, conn, agency, "/v1/handoffs", {"to": FIRM, "case": case(case_id)})
        except Exception:
            return  # killed
        if r.status != 201:
            raise AssertionError("handoff %s: %r" % (case_id, r))
        with acked.lock:
            acked.handoffs[r.json()["id"]] = agency
        time.sleep(0.04)  # about the pace the firm decides at


def decider(b, stop, acked, rng):
    conn = b.connect(timeout=10)
    while not stop.is_set():
        try:
            r = b.get("/v1/inbox", token=b.tokens[FIRM], conn=conn)
            items = [i for i in r.json() if i["status"] == "pending"]
            if not items:
                time.sleep(0.005)
                continue
            item = rng.choice(items)
            if rng.random() < 0.2:
                r = post(b, conn, FIRM, "/v1/inbox/%s/reject" % item["id"],
                         {"reason": "conflict of interest"})
                want = {200: "rejected"}
            else:
                r = post(b, conn, FIRM, "/v1/inbox/%s/accept" % item["id"], {})
                want = {200: "accepted", 422: "rejected"}
        except Exception:
            return  # killed
        if r.status in want:
            with acked.lock:
                acked.decisions[item["id"]] = want[r.status]
        else:  # one decider: nothing else decides its items
            raise AssertionError("deciding %s: %r" % (item["id"], r))


def snapshot(b):
    """Both sides as batond answers after a restart."""
    handoffs = {}
    for a in AGENCIES:
        r = b.get("/v1/handoffs", token=b.tokens[a])
        h.check(r.status == 200, repr(r))
        for x in r.json():
            handoffs[x["id"]] = (a, x["status"])
    r = b.get("/v1/inbox", token=b.tokens[FIRM])
    h.check(r.status == 200, repr(r))
    inbox = {i["id"]: i for i in r.json()}
    return handoffs, inbox


def count(records, action):
    return sum(1 for r in records if r["action"] == action)


def check_consistent(b, acked, where):
    handoffs, inbox = snapshot(b)
    by_handoff = {}
    for item in inbox.values():
        # No orphan: the agency committed every handoff the firm holds.
        h.check(item["handoff_id"] in handoffs,
                "%s: inbox item %s names handoff %s, unknown to %s"
                % (where, item["id"], item["handoff_id"], item["sender"]))
        agency, status = handoffs[item["handoff_id"]]
        h.check(agency == item["sender"], "%s: %r sent by %s" % (where, item, agency))
        h.check(item["handoff_id"] not in by_handoff,
                "%s: handoff %s delivered twice" % (where, item["handoff_id"]))
        by_handoff[item["handoff_id"]] = item
        want = {"pending": "sent", "accepted": "accepted", "rejected": "rejected"}
        h.check(status == want[item["status"]],
                "%s: the firm has %s %s, the agency's handoff %s is %s"
                % (where, item["id"], item["status"], item["handoff_id"], status))
    for hid in handoffs:
        # Delivered: at start at the latest.
        h.check(hid in by_handoff, "%s: handoff %s never reached the firm" % (where, hid))
    with acked.lock:
        for hid, agency in acked.handoffs.items():
            h.check(hid in handoffs and handoffs[hid][0] == agency,
                    "%s: acknowledged handoff %s lost" % (where, hid))
        for iid, decision in acked.decisions.items():
            h.check(iid in inbox and inbox[iid]["status"] == decision,
                    "%s: acknowledged %s of %s lost: %r" % (where, decision, iid, inbox.get(iid)))
    # One audit record per committed action, on each side.
    decided = [i for i in inbox.values() if i["status"] != "pending"]
    firm_log = b.audit_records(FIRM)
    h.check(count(firm_log, "handoff.received") == len(inbox),
            "%s: %d inbox items, %d handoff.received records"
            % (where, len(inbox), count(firm_log, "handoff.received")))
    firm_decisions = sum(count(firm_log, a) for a in
                         ("handoff.accepted", "handoff.rejected", "handoff.declined"))
    h.check(firm_decisions == len(decided),
            "%s: %d decisions, %d decision records" % (where, len(decided), firm_decisions))
    for a in AGENCIES:
        log = b.audit_records(a)
        mine = [x for x, (ag, _) in handoffs.items() if ag == a]
        receipts = [x for x in mine if handoffs[x][1] != "sent"]
        h.check(count(log, "handoff.sent") == len(mine),
                "%s: %s has %d handoffs, %d handoff.sent records"
                % (where, a, len(mine), count(log, "handoff.sent")))
        h.check(count(log, "receipt.received") == len(receipts),
                "%s: %s has %d receipts, %d receipt.received records"
                % (where, a, len(receipts), count(log, "receipt.received")))
    return handoffs, inbox


def kill(b):
    b.proc.kill()
    b.proc.wait()
    b.log_file.close()
    b.proc = None


def test_kill9_loop_keeps_both_tenants_consistent():
    rng = random.Random(int(os.environ.get("BATON_KILL9_SEED", str(int(time.time())))))
    acked = Acked()
    kills_busy = 0
    with h.Batond("kill9", tenants=tenants()) as b:
        b.start()
        for rnd in range(ROUNDS):
            stop = threading.Event()
            errors = []

            def guard(fn, *a):
                try:
                    fn(*a)
                except Exception as e:  # a wrong answer, not a killed connection
                    errors.append(e)

            threads = [threading.Thread(target=guard, args=(creator, b, a, stop, acked, rnd))
                       for a in AGENCIES]
            threads.append(threading.Thread(target=guard, args=(decider, b, stop, acked,
                                                                random.Random(rng.random()))))
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.15, 0.9))
            before = len(acked.handoffs) + len(acked.decisions)
            kill(b)
            stop.set()
            for t in threads:
                t.join(30)
            h.check(not errors, "round %d: %r" % (rnd, errors))
            kills_busy += before > 0
            b.start()
            check_consistent(b, acked, "after kill %d" % (rnd + 1))
        h.check(len(acked.handoffs) >= ROUNDS and len(acked.decisions) >= ROUNDS // 2,
                "too little happened: %d handoffs, %d decisions acknowledged"
                % (len(acked.handoffs), len(acked.decisions)))
        # Nothing is stuck: every pending item can still be decided.
        _, inbox = snapshot(b)
        for item in [i for i in inbox.values() if i["status"] == "pending"]:
            r = post(b, None, FIRM, "/v1/inbox/%s/accept" % item["id"], {})
            h.check(r.status == 200 and r.json()["status"] == "accepted",
                    "pending %s after the crashes: %r" % (item["id"], r))
            acked.decisions[item["id"]] = "accepted"
        handoffs, inbox = check_consistent(b, acked, "at the end")
        h.check(all(i["status"] != "pending" for i in inbox.values()), "items left pending")
        h.check(b.stop() == 0, "batond did not exit cleanly")
        for t in list(AGENCIES) + [FIRM]:
            v = b.run("audit", "verify", t)
            h.check(v.returncode == 0, "audit verify %s: %s" % (t, v.stderr))
        print("  %d kills (%d after acknowledged work), %d handoffs and %d decisions "
              "acknowledged, %d handoffs in the stores"
              % (ROUNDS, kills_busy, len(acked.handoffs), len(acked.decisions), len(handoffs)))


if __name__ == "__main__":
    h.run([test_kill9_loop_keeps_both_tenants_consistent])
