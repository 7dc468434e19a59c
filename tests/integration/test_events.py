"""Case events after a handoff (docs/placements.md): northwind hands a case
to harbor-law, harbor-law reports back in signed, chained events that reach
northwind; northwind's own events reach harbor-law; both tenants hold both
chains; the exported lines verify with stock minisign. An external firm's
events are imported, and a tampered, unchained, replayed, foreign-signed or
malformed one is refused with its code."""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile

import batond_harness as h

CASE = {
    "case_id": "NW-2026-0301",
    "jurisdiction": "gb-ew",
    "creditor": {"name": "Acme Tools Ltd", "kind": "business",
                 "address": {"lines": ["1 Forge Lane"], "city": "Leeds", "country": "GB"}},
    "debtor": {"name": "Jane Smith", "kind": "individual", "identity_verified": True,
               "address": {"lines": ["4 Mill Road"], "city": "York", "country": "GB"}},
    "claim": {"principal": {"amount": "2450.00", "currency": "GBP"},
              "due_date": "2025-06-30", "contract_type": "written"},
}


def case(case_id):
    c = json.loads(json.dumps(CASE))
    c["case_id"] = case_id
    return c


def tenants(external=()):
    return [
        h.tenant("northwind", "agency", ["gb-ew", "northwind"],
                 counterparts=[{"tenant": "harbor-law"}] + list(external)),
        h.tenant("southbank", "agency", ["gb-ew"], counterparts=[{"tenant": "harbor-law"}]),
        h.tenant("harbor-law", "lawfirm", [],
                 counterparts=[{"tenant": "northwind"}, {"tenant": "southbank"}]),
    ]


def post(b, path, tenant, body):
    return b.request("POST", path, body=json.dumps(body).encode(), token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"})


def place(b, case_id, agency="northwind"):
    """Hands a case to harbor-law, which accepts it: (handoff id, inbox id)."""
    r = post(b, "/v1/handoffs", agency, {"to": "harbor-law", "case": case(case_id)})
    h.check(r.status == 201, repr(r))
    handoff = r.json()["id"]
    r = b.get("/v1/inbox", token=b.tokens["harbor-law"])
    item = [i for i in r.json() if i["handoff_id"] == handoff][0]["id"]
    r = post(b, "/v1/inbox/%s/accept" % item, "harbor-law", {})
    h.check(r.status == 200, repr(r))
    return handoff, item


def firm_event(b, item, event_id, kind, body, date="2026-03-02"):
    return post(b, "/v1/inbox/%s/events" % item, "harbor-law",
                {"event_id": event_id, "kind": kind, "date": date, "body": body})


def gbp(amount):
    return {"amount": amount, "currency": "GBP"}


def sign_pub_path(b, tenant):
    return os.path.join(b.data_dir, "tenants", tenant, "keys", "sign.pub")


def minisign_verifies(line, sig, pub_path):
    """Stock minisign -V on the exact bytes; returns (ok, trusted comment)."""
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "EVENT"), "w", newline="") as f:
            f.write(line)
        with open(os.path.join(d, "EVENT.minisig"), "w", newline="") as f:
            f.write(sig)
        p = subprocess.run(["minisign", "-V", "-m", os.path.join(d, "EVENT"), "-p", pub_path],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stdout
    finally:
        shutil.rmtree(d)


def test_firm_reports_and_agency_sees_both_chains():
    with h.Batond("events-shown", tenants=tenants()).start() as b:
        handoff, item = place(b, "NW-2026-0301")
        steps = [
            ("hl-1", "acknowledged", {}),
            ("hl-2", "suit_filed", {"court": "County Court at Leeds",
                                    "court_case_number": "K00LS123"}),
            ("hl-3", "payment_received", {"amount": gbp("500.00"), "paid_to": "firm"}),
            ("hl-4", "cost_incurred", {"amount": gbp("50"), "category": "court_fee",
                                       "recoverable": True}),
            ("hl-5", "remittance", {"amount": gbp("400.00"), "covers": ["hl-3"],
                                    "fees_deducted": gbp("50.00")}),
        ]
        lines = []
        prev = None
        for seq, (eid, kind, body) in enumerate(steps, 1):
            r = firm_event(b, item, eid, kind, body)
            h.check(r.status == 201, repr(r))
            a = r.json()
            ev = a["event"]
            h.check(a["repeat"] is False, repr(a))
            h.check(ev["seq"] == seq and ev["role"] == "firm" and ev["sender"] == "harbor-law",
                    repr(ev))
            h.check(ev["handoff_id"] == handoff and ev["case_id"] == "NW-2026-0301", repr(ev))
            h.check(ev["kind"] == kind, repr(ev))
            # Chained: the first names the package, each next the bytes before it.
            want_prev = ev["tagmanifest_sha256"] if prev is None else \
                hashlib.sha256(prev.encode()).hexdigest()
            h.check(ev["prev_sha256"] == want_prev, repr(ev))
            h.check(a["sha256"] == hashlib.sha256(a["line"].encode()).hexdigest(), repr(a))
            h.check(a["line"].endswith("\n") and " " not in a["line"].replace(
                "County Court at Leeds", ""), repr(a["line"]))
            prev = a["line"]
            lines.append((a["line"], a["minisig"]))
        # Money is written with the currency's digits.
        h.check(json.loads(lines[3][0])["body"]["amount"] == gbp("50.00"), lines[3][0])

        # northwind has the firm's chain, byte for byte.
        r = b.get("/v1/placements/%s/events" % handoff, token=b.tokens["northwind"])
        h.check(r.status == 200, repr(r))
        got = r.json()
        h.check([(e["line"], e["minisig"]) for e in got["events"]] == lines, repr(got))
        h.check([e["kind"] for e in got["events"]] == [s[1] for s in steps], repr(got))
        h.check(got["firm"] == "harbor-law" and got["agency"] == "northwind", repr(got))

        # A repeat is answered with the stored event, not stored twice.
        r = firm_event(b, item, "hl-3", "payment_received",
                       {"paid_to": "firm", "amount": gbp("500")})
        h.check(r.status == 200 and r.json()["repeat"] is True, repr(r))
        h.check(r.json()["line"] == lines[2][0], repr(r))
        r = firm_event(b, item, "hl-3", "payment_received",
                       {"amount": gbp("501.00"), "paid_to": "firm"})
        h.check(r.status == 409 and r.error_code() == "event_id_conflict", repr(r))

        # Money in another currency than the placed case's, or with too many
        # decimals, is refused naming the field.
        r = firm_event(b, item, "hl-6", "payment_received",
                       {"amount": {"amount": "10.00", "currency": "EUR"}, "paid_to": "firm"})
        h.check(r.status == 422 and r.error_code() == "event_invalid", repr(r))
        h.check("body.amount.currency" in r.json()["error"]["message"], repr(r))
        r = firm_event(b, item, "hl-6", "payment_received",
                       {"amount": gbp("10.001"), "paid_to": "firm"})
        h.check(r.status == 422 and "body.amount.amount" in r.json()["error"]["message"],
                repr(r))

        # northwind instructs; harbor-law sees it next to its own chain.
        r = post(b, "/v1/placements/%s/events" % handoff, "northwind",
                 {"event_id": "nw-1", "kind": "instruction", "date": "2026-03-03",
                  "body": {"text": "Please call the debtor before \"enforcement\"."}})
        h.check(r.status == 201, repr(r))
        nw = r.json()
        h.check(nw["event"]["seq"] == 1 and nw["event"]["role"] == "agency", repr(nw))
        h.check(nw["event"]["prev_sha256"] == nw["event"]["tagmanifest_sha256"], repr(nw))
        r = b.get("/v1/inbox/%s/events" % item, token=b.tokens["harbor-law"])
        h.check(r.status == 200, repr(r))
        firm_view = [(e["line"], e["minisig"]) for e in r.json()["events"]]
        h.check(firm_view == lines + [(nw["line"], nw["minisig"])], repr(firm_view))

        # Paging by arrival position.
        r = b.get("/v1/placements/%s/events?since=%d&limit=2" % (handoff, got["events"][1]["pos"]),
                  token=b.tokens["northwind"])
        h.check([e["event_id"] for e in r.json()["events"]] == ["hl-3", "hl-4"], repr(r))

        # Stock minisign verifies every exported line with the sender's key.
        for line, sig in lines:
            ok, out = minisign_verifies(line, sig, sign_pub_path(b, "harbor-law"))
            h.check(ok, out)
            want = "baton-event/1 handoff=%s seq=%d sha256=%s" % (
                handoff, json.loads(line)["seq"], hashlib.sha256(line.encode()).hexdigest())
            h.check(want in out, out)
        ok, out = minisign_verifies(nw["line"], nw["minisig"], sign_pub_path(b, "northwind"))
        h.check(ok, out)
        ok, _ = minisign_verifies(lines[0][0], lines[0][1], sign_pub_path(b, "northwind"))
        h.check(not ok, "a firm event must not verify with the agency's key")

        # Audit records on both sides, in the same transactions.
        acts = [a["action"] for a in b.audit_records("harbor-law")]
        h.check(acts.count("event.sent") == 5 and acts.count("event.received") == 1, repr(acts))
        acts = [a["action"] for a in b.audit_records("northwind")]
        h.check(acts.count("event.sent") == 1 and acts.count("event.received") == 5, repr(acts))


if __name__ == "__main__":
    h.run([
        test_firm_reports_and_agency_sees_both_chains,
    ])
