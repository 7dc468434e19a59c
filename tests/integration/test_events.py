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


# ---- an external firm: events written offline with baton event, imported ----


def keygen(d, who):
    subprocess.run([h.baton_cli(), "keygen", "-o", os.path.join(d, who)], check=True,
                   capture_output=True)
    with open(os.path.join(d, who + ".pub")) as f:
        pub = f.read().splitlines()[1]
    with open(os.path.join(d, who + ".agepub")) as f:
        age = f.read().strip()
    return pub, age


def baton_event(d, out, key, handoff, placed, event_id, kind, body, prev=None,
                sender="baker-legal", date="2026-03-02"):
    """Runs baton event; returns (line, minisig) of the file it wrote."""
    cmd = [h.baton_cli(), "event", "-k", os.path.join(d, key + ".key"), "--handoff", handoff,
           "--case", placed["case_id"], "--tagmanifest", placed["tagmanifest_sha256"],
           "--sender", sender, "--event-id", event_id, "--kind", kind, "--date", date,
           "--body", json.dumps(body), "-o", os.path.join(d, out)]
    if prev is not None:
        cmd += ["--prev", os.path.join(d, prev)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    h.check(p.returncode == 0, p.stderr)
    return read_event(d, out)


def read_event(d, name):
    with open(os.path.join(d, name), newline="") as f:
        line = f.read()
    with open(os.path.join(d, name + ".minisig"), newline="") as f:
        return line, f.read()


def import_event(b, handoff, ev):
    return post(b, "/v1/placements/%s/events/import" % handoff, "northwind",
                {"event": ev[0], "minisig": ev[1]})


def test_external_firm_events_imported_and_refused_with_their_codes():
    d = tempfile.mkdtemp()
    try:
        pub, age = keygen(d, "baker")
        keygen(d, "stranger")
        baker = {"name": "baker-legal", "sign_pub": pub, "age_recipient": age}
        with h.Batond("events-import", tenants=tenants(external=[baker])).start() as b:
            placed = []
            for cid in ("NW-2026-0401", "NW-2026-0402"):
                r = post(b, "/v1/handoffs", "northwind", {"to": "baker-legal", "case": case(cid)})
                h.check(r.status == 201, repr(r))
                placed.append(r.json())
            a, other = placed[0]["id"], placed[1]["id"]

            ev1 = baton_event(d, "ev1", "baker", a, placed[0], "bk-1", "acknowledged", {})
            ev2 = baton_event(d, "ev2", "baker", a, placed[0], "bk-2", "payment_received",
                              {"amount": gbp("120.00"), "paid_to": "firm"}, prev="ev1")
            ev3 = baton_event(d, "ev3", "baker", a, placed[0], "bk-3", "suit_filed",
                              {"court": "County Court at York", "court_case_number": "Y1"},
                              prev="ev2")
            p = subprocess.run([h.baton_cli(), "event", "verify", "-p",
                                os.path.join(d, "baker.pub"), "--prev", os.path.join(d, "ev1"),
                                os.path.join(d, "ev2")], capture_output=True, text=True)
            h.check(p.returncode == 0 and "seq=2" in p.stdout, p.stdout + p.stderr)

            r = import_event(b, a, ev1)
            h.check(r.status == 201 and r.json()["event"]["seq"] == 1, repr(r))
            r = import_event(b, a, ev1)
            h.check(r.status == 200 and r.json()["repeat"] is True, repr(r))

            # Unchained: the third before the second.
            r = import_event(b, a, ev3)
            h.check(r.status == 409 and r.error_code() == "event_not_chained", repr(r))

            # Tampered: 120.00 -> 920.00 with the signature kept.
            r = import_event(b, a, (ev2[0].replace("120.00", "920.00"), ev2[1]))
            h.check(r.status == 422 and r.error_code() == "event_signature_invalid", repr(r))

            # Foreign-signed: a fresh key, and southbank's own key.
            ev_x = baton_event(d, "evx", "stranger", a, placed[0], "bk-2", "payment_received",
                               {"amount": gbp("120.00"), "paid_to": "firm"}, prev="ev1")
            r = import_event(b, a, ev_x)
            h.check(r.status == 403 and r.error_code() == "event_foreign_signer", repr(r))
            # southbank's keys are made when its state is first used.
            h.check(b.get("/v1/handoffs", token=b.tokens["southbank"]).status == 200, "handoffs")
            shutil.copy(os.path.join(b.data_dir, "tenants", "southbank", "keys", "sign.key"),
                        os.path.join(d, "southbank.key"))
            ev_s = baton_event(d, "evs", "southbank", a, placed[0], "bk-2", "payment_received",
                               {"amount": gbp("120.00"), "paid_to": "firm"}, prev="ev1")
            r = import_event(b, a, ev_s)
            h.check(r.status == 403 and r.error_code() == "event_foreign_signer", repr(r))

            # Signed by the firm but naming someone else as sender.
            ev_n = baton_event(d, "evn", "baker", a, placed[0], "bk-1", "acknowledged", {},
                               sender="other-law")
            r = import_event(b, a, ev_n)
            h.check(r.status == 422 and r.error_code() == "event_signature_invalid", repr(r))

            # Replayed: a valid event of the firm for the other handoff.
            ev_o = baton_event(d, "evo", "baker", other, placed[1], "bk-1", "acknowledged", {})
            r = import_event(b, a, ev_o)
            h.check(r.status == 409 and r.error_code() == "event_replayed", repr(r))
            r = import_event(b, other, ev_o)
            h.check(r.status == 201, repr(r))

            # Not the format.
            r = import_event(b, a, ("{}\n", ev1[1]))
            h.check(r.status == 422 and r.error_code() == "event_invalid", repr(r))
            r = post(b, "/v1/placements/%s/events/import" % a, "northwind", {"event": ev1[0]})
            h.check(r.status == 422 and r.error_code() == "event_invalid", repr(r))
            r = b.request("POST", "/v1/placements/%s/events/import" % a, body=b"{",
                          token=b.tokens["northwind"], headers={"Content-Type": "application/json"})
            h.check(r.status == 400 and r.error_code() == "invalid_json", repr(r))

            # In order, they are taken; an old event_id on a new link conflicts.
            for ev in (ev2, ev3):
                r = import_event(b, a, ev)
                h.check(r.status == 201, repr(r))
            ev4 = baton_event(d, "ev4", "baker", a, placed[0], "bk-2", "letter_sent", {},
                              prev="ev3")
            r = import_event(b, a, ev4)
            h.check(r.status == 409 and r.error_code() == "event_id_conflict", repr(r))

            # Closed: only money moves afterwards.
            ev4 = baton_event(d, "ev4b", "baker", a, placed[0], "bk-4", "closed",
                              {"outcome": "settled"}, prev="ev3")
            h.check(import_event(b, a, ev4).status == 201, "closed")
            ev5 = baton_event(d, "ev5", "baker", a, placed[0], "bk-5", "letter_sent", {},
                              prev="ev4b")
            r = import_event(b, a, ev5)
            h.check(r.status == 409 and r.error_code() == "placement_closed", repr(r))
            ev5 = baton_event(d, "ev5b", "baker", a, placed[0], "bk-5", "remittance",
                              {"amount": gbp("120.00"), "covers": ["bk-2"],
                               "fees_deducted": gbp("0.00")}, prev="ev4b")
            h.check(import_event(b, a, ev5).status == 201, "remittance after closure")
            r = post(b, "/v1/placements/%s/events" % a, "northwind",
                     {"event_id": "nw-1", "kind": "hold", "date": "2026-03-09",
                      "body": {"reason": "review"}})
            h.check(r.status == 409 and r.error_code() == "placement_closed", repr(r))

            # The export has the firm's exact files; stock minisign checks them.
            r = b.get("/v1/placements/%s/events" % a, token=b.tokens["northwind"])
            got = [(e["line"], e["minisig"]) for e in r.json()["events"]]
            h.check(got == [ev1, ev2, ev3, ev4, ev5], repr(got))
            for line, sig in got:
                ok, out = minisign_verifies(line, sig, os.path.join(d, "baker.pub"))
                h.check(ok, out)
            # The agency's own draft kinds only; a firm's kind is refused.
            r = post(b, "/v1/placements/%s/events" % other, "northwind",
                     {"event_id": "nw-1", "kind": "acknowledged", "date": "2026-03-09",
                      "body": {}})
            h.check(r.status == 422 and r.error_code() == "event_invalid", repr(r))
            acts = [x["action"] for x in b.audit_records("northwind")]
            h.check(acts.count("event.imported") == 6, repr(acts))
    finally:
        shutil.rmtree(d)


def test_refusals_on_the_tenant_path():
    with h.Batond("events-tenants", tenants=tenants()).start() as b:
        handoff, item = place(b, "NW-2026-0501")
        r = firm_event(b, item, "hl-1", "acknowledged", {})
        h.check(r.status == 201, repr(r))
        ev = (r.json()["line"], r.json()["minisig"])
        # harbor-law is on this host: its events are delivered, not imported.
        r = import_event(b, handoff, ev)
        h.check(r.status == 409 and r.error_code() == "import_not_external", repr(r))
        # A firm may not send agency kinds, nor the agency firm kinds.
        r = firm_event(b, item, "hl-2", "recall", {"reason": "x"})
        h.check(r.status == 422 and r.error_code() == "event_invalid", repr(r))
        # Members batond fills in are not the client's.
        r = post(b, "/v1/inbox/%s/events" % item, "harbor-law",
                 {"event_id": "hl-2", "kind": "acknowledged", "date": "2026-03-02", "body": {},
                  "seq": 7})
        h.check(r.status == 422 and r.error_code() == "event_invalid", repr(r))
        for bad in ({"event_id": "", "kind": "acknowledged", "date": "2026-03-02", "body": {}},
                    {"event_id": "x y", "kind": "acknowledged", "date": "2026-03-02", "body": {}},
                    {"event_id": "a", "kind": "acknowledged", "date": "2026-02-30", "body": {}},
                    {"event_id": "a", "kind": "acknowledged", "date": "2026-03-02"}):
            r = post(b, "/v1/inbox/%s/events" % item, "harbor-law", bad)
            h.check(r.status == 422 and r.error_code() == "event_invalid", repr((bad, r)))
        # Another tenant's placement or inbox item is not found.
        southbank_handoff, southbank_item = place(b, "SB-2026-0001", agency="southbank")
        r = post(b, "/v1/placements/%s/events" % southbank_handoff, "northwind",
                 {"event_id": "nw-1", "kind": "resume", "date": "2026-03-02", "body": {}})
        h.check(r.status == 404 and r.error_code() == "unknown_handoff", repr(r))
        # Each side's endpoints are its own: the other kind of tenant gets 403,
        # no token 401.
        r = b.get("/v1/inbox/%s/events" % item, token=b.tokens["northwind"])
        h.check(r.status == 403, repr(r))
        for path in ("/v1/placements/%s/events" % handoff,
                     "/v1/placements/%s/events/import" % handoff):
            r = post(b, path, "harbor-law", {"event": "x", "minisig": "y"})
            h.check(r.status == 403 and r.error_code() == "forbidden", repr(r))
        r = b.get("/v1/placements/%s/events" % handoff, token=b.tokens["harbor-law"])
        h.check(r.status == 403, repr(r))
        r = b.get("/v1/placements/%s/events" % handoff)
        h.check(r.status == 401, repr(r))
        # A recall the firm acknowledged closes the placement to news.
        r = post(b, "/v1/placements/%s/events" % handoff, "northwind",
                 {"event_id": "nw-1", "kind": "recall", "date": "2026-03-03",
                  "body": {"reason": "paid us directly"}})
        h.check(r.status == 201, repr(r))
        r = firm_event(b, item, "hl-2", "letter_sent", {})
        h.check(r.status == 201, "a recall not yet acknowledged leaves the placement open")
        r = firm_event(b, item, "hl-3", "acknowledged", {})
        h.check(r.status == 201, repr(r))
        r = firm_event(b, item, "hl-4", "letter_sent", {})
        h.check(r.status == 409 and r.error_code() == "placement_closed", repr(r))
        r = firm_event(b, item, "hl-4", "payment_received",
                       {"amount": gbp("20.00"), "paid_to": "creditor"})
        h.check(r.status == 201, repr(r))
        r = b.get("/v1/placements/%s/events" % handoff, token=b.tokens["northwind"])
        h.check([e["event_id"] for e in r.json()["events"]] ==
                ["hl-1", "nw-1", "hl-2", "hl-3", "hl-4"], repr(r))


if __name__ == "__main__":
    h.run([
        test_firm_reports_and_agency_sees_both_chains,
        test_external_firm_events_imported_and_refused_with_their_codes,
        test_refusals_on_the_tenant_path,
    ])
