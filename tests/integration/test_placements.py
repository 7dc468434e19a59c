"""Reconciliation and oversight over HTTP: northwind (the demo tenant file,
with its agreement with harbor-law) hands the four cases of the worked
example in docs/placements.md to harbor-law on 2026-01-05; harbor-law
posts its events, northwind its credit note; GET /v1/placements,
GET /v1/placements/{id} and GET /v1/oversight (JSON and CSV) answer the
numbers the document states, read from the document itself."""

import json
import os
import re

import batond_harness as h

PLACED = "2026-01-05T09:00:00Z"
AS_OF = "2026-03-31"


def doc_text():
    with open(os.path.join(h.args().source_dir, "docs", "placements.md"), encoding="utf-8") as f:
        return f.read()


def source_json(rel):
    with open(os.path.join(h.args().source_dir, rel), encoding="utf-8") as f:
        return json.load(f)


def tenants():
    # The demo's own tenant files, so the agreement is the one the README
    # tour and the document use.
    return [source_json("config/tenants/northwind.json"),
            source_json("config/tenants/harbor-law.json"),
            h.tenant("southbank", "agency", ["gb-ew"], counterparts=[{"tenant": "harbor-law"}]),
            h.tenant("eastgate", "agency", [], counterparts=[{"tenant": "harbor-law"}]),
            h.tenant("westmoor", "agency",
                     ["gb-ew", {"path": "northwind.so", "config": {}, "isolated": True}],
                     counterparts=[{"tenant": "harbor-law"}])]


def case(case_id, principal):
    c = json.loads(h.case_text().decode())
    c["case_id"] = case_id
    c["claim"]["principal"]["amount"] = principal
    return c


def post(b, path, tenant, body):
    return b.request("POST", path, body=json.dumps(body).encode(), token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"})


def gbp(amount):
    return {"amount": amount, "currency": "GBP"}


# The worked example: case id, principal, events (date, sender, event id,
# kind, body).
EXAMPLE = [
    ("NW-PL-1", "1200.00", [
        ("2026-01-08", "firm", "a-1", "acknowledged", {}),
        ("2026-01-20", "firm", "a-2", "suit_filed",
         {"court": "County Court Business Centre", "court_case_number": "K1QZ1001"}),
        ("2026-02-10", "firm", "pay-1", "payment_received",
         {"amount": gbp("500.00"), "paid_to": "firm"}),
        ("2026-02-12", "firm", "a-4", "cost_incurred",
         {"amount": gbp("50.00"), "category": "court_fee", "recoverable": True}),
        ("2026-02-20", "firm", "a-5", "remittance",
         {"amount": gbp("400.00"), "covers": ["pay-1"], "fees_deducted": gbp("75.00")}),
    ]),
    ("NW-PL-2", "2400.00", [
        ("2026-01-07", "firm", "b-1", "acknowledged", {}),
        ("2026-01-15", "firm", "b-2", "payment_plan_agreed",
         {"instalments": [{"due": "2026-02-01", "amount": gbp("300.00")},
                          {"due": "2026-03-01", "amount": gbp("300.00")},
                          {"due": "2026-04-01", "amount": gbp("300.00")}]}),
        ("2026-02-01", "firm", "b-3", "payment_received",
         {"amount": gbp("300.00"), "paid_to": "creditor"}),
        ("2026-02-05", "agency", "nw-b-1", "balance_adjusted",
         {"amount": gbp("100.00"), "reason": "credit_note"}),
    ]),
    ("NW-PL-3", "600.00", [
        ("2026-01-09", "firm", "c-1", "acknowledged", {}),
        ("2026-01-12", "firm", "c-2", "suit_filed",
         {"court": "County Court Business Centre", "court_case_number": "K1QZ1003"}),
        ("2026-01-12", "firm", "c-3", "cost_incurred",
         {"amount": gbp("115.00"), "category": "court_fee", "recoverable": True}),
        ("2026-01-26", "firm", "c-4", "judgment", {"amount": gbp("500.00"), "outcome": "default"}),
        ("2026-02-02", "firm", "pay-3a", "payment_received",
         {"amount": gbp("200.00"), "paid_to": "firm"}),
        ("2026-02-09", "firm", "c-6", "enforcement_started",
         {"method": "attachment of earnings order"}),
        ("2026-02-09", "firm", "c-7", "cost_incurred",
         {"amount": gbp("400.00"), "category": "lawyer_fee", "recoverable": False}),
        ("2026-02-16", "firm", "c-8", "remittance",
         {"amount": gbp("170.00"), "covers": ["pay-3a"], "fees_deducted": gbp("30.00")}),
        ("2026-02-25", "firm", "pay-3b", "payment_received",
         {"amount": gbp("100.00"), "paid_to": "firm"}),
        ("2026-03-03", "firm", "c-10", "closed", {"outcome": "settled"}),
    ]),
    ("NW-PL-4", "900.00", [
        ("2026-01-06", "firm", "d-1", "acknowledged", {}),
        ("2026-01-10", "firm", "d-2", "suit_filed",
         {"court": "County Court Business Centre", "court_case_number": "K1QZ1004"}),
        ("2026-01-20", "firm", "d-3", "judgment", {"amount": gbp("900.00"), "outcome": "default"}),
    ]),
]


def minus(text):
    return text.replace("\u2212", "-")


def doc_placement_rows(doc):
    """The table "The other three as of 2026-03-31": case -> its figures."""
    section = doc.split("### The other three as of 2026-03-31", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in section.splitlines():
        cells = [minus(c.strip()) for c in line.strip().strip("|").split("|")]
        if not cells[0].startswith("NW-PL-"):
            continue
        flags = re.findall(r"`([a-z_]+)`", cells[10])
        rows[cells[0]] = {
            "status": cells[1].strip("`"), "collected": cells[2], "costs": cells[3],
            "remitted": cells[4], "firm_fee": cells[5], "owed_by_firm": cells[6],
            "outstanding": cells[7], "credits": cells[8], "days_since_last_event": int(cells[9]),
            "flags": flags,
        }
    h.check(sorted(rows) == ["NW-PL-2", "NW-PL-3", "NW-PL-4"], repr(rows))
    return rows


def doc_csv(doc):
    block = doc.split("### Oversight from 2026-01-01 to 2026-01-31 as of 2026-03-31", 1)[1]
    return block.split("```\n", 2)[1].split("```", 1)[0]


def place_all(b):
    """Hands the four cases over on 2026-01-05 and has harbor-law accept
    them: {case id: (handoff id, inbox id)}."""
    placed = {}
    for case_id, principal, _ in EXAMPLE:
        r = post(b, "/v1/handoffs", "northwind", {"to": "harbor-law", "case": case(case_id, principal)})
        h.check(r.status == 201, repr(r))
        placed[case_id] = r.json()["id"]
    items = {i["handoff_id"]: i["id"] for i in b.get("/v1/inbox", token=b.tokens["harbor-law"]).json()}
    for case_id, handoff in placed.items():
        r = post(b, "/v1/inbox/%s/accept" % items[handoff], "harbor-law", {})
        h.check(r.status == 200, repr(r))
        placed[case_id] = (handoff, items[handoff])
    return placed


def post_events(b, placed):
    for case_id, _, events in EXAMPLE:
        handoff, item = placed[case_id]
        for date, side, event_id, kind, body in events:
            draft = {"event_id": event_id, "kind": kind, "date": date, "body": body}
            if side == "firm":
                r = post(b, "/v1/inbox/%s/events" % item, "harbor-law", draft)
            else:
                r = post(b, "/v1/placements/%s/events" % handoff, "northwind", draft)
            h.check(r.status in (200, 201), "%s %s: %r" % (case_id, event_id, r))


def test_worked_example():
    doc = doc_text()
    os.environ["BATON_NOW"] = PLACED
    b = h.Batond("placements", tenants=tenants())
    try:
        b.start()
        placed = place_all(b)
        nw = b.tokens["northwind"]

        # Placed, nothing reported yet: the forecast is 80 % of the principal.
        r = b.get("/v1/placements", token=nw)
        h.check(r.status == 200, repr(r))
        got = r.json()
        h.check(got["as_of"] == "2026-01-05" and got["total"] == 4, repr(got))
        for p in got["placements"]:
            h.check(p["status"] == "placed" and p["placed"] == "2026-01-05", repr(p))
            h.check(p["firm"] == "harbor-law" and p["flags"] == [], repr(p))
        forecasts = {}
        for case_id, (handoff, _) in placed.items():
            d = b.get("/v1/placements/" + handoff, token=nw).json()
            forecasts[case_id] = d["forecast"]
        h.check(forecasts == {"NW-PL-1": "960.00", "NW-PL-2": "1920.00", "NW-PL-3": "480.00",
                              "NW-PL-4": "720.00"}, repr(forecasts))

        # The firm reports through the quarter; batond runs on 2026-03-31.
        b.stop()
        os.environ["BATON_NOW"] = AS_OF + "T09:00:00Z"
        b.start()
        post_events(b, placed)

        # How it is shown: NW-PL-1.
        handoff1 = placed["NW-PL-1"][0]
        r = b.get("/v1/placements/%s?as_of=%s" % (handoff1, AS_OF), token=nw)
        h.check(r.status == 200, repr(r))
        d = r.json()
        bal = d["balance"]
        h.check(d["status"] == "in_suit" and d["as_of"] == AS_OF, repr(d))
        h.check((bal["collected"], bal["costs"], bal["remitted"]) == ("500.00", "50.00", "400.00"),
                repr(bal))
        h.check((bal["firm_fee"], bal["costs_reimbursable"], bal["owed_by_firm"]) ==
                ("75.00", "50.00", "-25.00"), repr(bal))
        h.check((bal["fees_deducted"], bal["outstanding"]) == ("75.00", "700.00"), repr(bal))
        h.check(d["days_since_last_event"] == 39 and d["flags"] == [], repr(d))
        h.check([e["kind"] for e in d["timeline"]] ==
                ["acknowledged", "suit_filed", "payment_received", "cost_incurred", "remittance"],
                repr(d["timeline"]))
        h.check(d["agreement"]["contingency_fee_bp"] == 1500, repr(d["agreement"]))
        for text in ("| collected | 500.00 |", "| costs | 50.00 |", "| remitted | 400.00 |",
                     "| firm_fee | 75.00 |", "| owed_by_firm | **\u221225.00** |",
                     "| outstanding | 700.00 |", "| days_since_last_event | 39 |"):
            h.check(text in doc, "docs/placements.md no longer says " + text)

        # The other three, as the document's table says; with as_of
        # defaulting to BATON_NOW's day.
        r = b.get("/v1/placements", token=nw)
        got = r.json()
        h.check(got["as_of"] == AS_OF, repr(got))
        by_case = {p["case_id"]: p for p in got["placements"]}
        for case_id, want in doc_placement_rows(doc).items():
            p = by_case[case_id]
            d = b.get("/v1/placements/" + p["handoff_id"], token=nw).json()
            seen = {"status": p["status"], "collected": p["collected"], "costs": p["costs"],
                    "remitted": p["remitted"], "firm_fee": d["balance"]["firm_fee"],
                    "owed_by_firm": p["owed_by_firm"], "outstanding": p["outstanding"],
                    "credits": d["balance"]["credits"],
                    "days_since_last_event": p["days_since_last_event"], "flags": p["flags"]}
            h.check(seen == want, "%s: API %r, document %r" % (case_id, seen, want))

        # Filters: by status, by flag, by firm; paged among the matches.
        for query, want in (("status=closed", ["NW-PL-3"]), ("flag=stalled", ["NW-PL-4"]),
                            ("flag=missed_instalment&firm=harbor-law", ["NW-PL-2"]),
                            ("status=in_suit&flag=stalled", []), ("firm=baker-legal", []),
                            ("status=closed&offset=1", [])):
            got = b.get("/v1/placements?as_of=%s&%s" % (AS_OF, query), token=nw).json()
            h.check([p["case_id"] for p in got["placements"]] == want, "%s: %r" % (query, got))
        pages = [b.get("/v1/placements?firm=harbor-law&limit=2&offset=%d" % o, token=nw).json()
                 for o in (0, 2)]
        h.check(pages[0]["next_offset"] == 2 and pages[1]["next_offset"] is None, repr(pages))
        h.check(sorted(p["case_id"] for g in pages for p in g["placements"]) ==
                ["NW-PL-1", "NW-PL-2", "NW-PL-3", "NW-PL-4"], repr(pages))
        got = b.get("/v1/placements?as_of=%s&flag=cost_over_budget&limit=1" % AS_OF, token=nw).json()
        h.check(got["total"] == 1 and got["next_offset"] is None, repr(got))

        # An earlier date counts only what had happened by then.
        r = b.get("/v1/placements/%s?as_of=2026-02-15" % handoff1, token=nw)
        d = r.json()
        h.check(d["balance"]["remitted"] == "0.00" and d["events_after_as_of"] == 1, repr(d))
        h.check(d["balance"]["owed_by_firm"] == "375.00", repr(d["balance"]))

        # Oversight: JSON and CSV against the document.
        q = "/v1/oversight?from=2026-01-01&to=2026-01-31&as_of=" + AS_OF
        r = b.get(q, token=nw)
        h.check(r.status == 200, repr(r))
        o = r.json()
        h.check(o["placements"] == 4 and len(o["firms"]) == 1, repr(o))
        want_csv = doc_csv(doc)
        header, row = want_csv.strip("\n").split("\n")
        want_row = dict(zip(header.split(","), row.split(",")))
        for k, v in o["firms"][0].items():
            shown = "" if v is None else str(v)
            h.check(shown == want_row[k], "oversight %s: API %r, document %r" % (k, v, want_row[k]))
        r = b.get(q, token=nw, headers={"Accept": "text/csv"})
        h.check(r.status == 200 and r.headers.get("content-type", "").startswith("text/csv"),
                repr(r))
        h.check(r.body.decode() == want_csv.replace("\n", "\r\n"), repr(r.body))

        # The window: placements made in February are none of these.
        o = b.get("/v1/oversight?from=2026-02-01&as_of=" + AS_OF, token=nw).json()
        h.check(o["placements"] == 0 and o["firms"] == [], repr(o))
    finally:
        b.stop()
        os.environ.pop("BATON_NOW", None)


def test_parameters_access_and_paging():
    h.use_build_worker()
    b = h.Batond("placements-params", tenants=tenants())
    try:
        b.start()
        nw = b.tokens["northwind"]
        r = post(b, "/v1/handoffs", "northwind", {"to": "harbor-law", "case": case("NW-PG-1", "100.00")})
        h.check(r.status == 201, repr(r))
        r = post(b, "/v1/handoffs", "northwind", {"to": "harbor-law", "case": case("NW-PG-2", "200.00")})
        h.check(r.status == 201, repr(r))
        handoff = r.json()["id"]
        r = b.get("/v1/placements?limit=1", token=nw)
        got = r.json()
        h.check(got["total"] == 2 and got["next_offset"] == 1 and len(got["placements"]) == 1,
                repr(got))
        got = b.get("/v1/placements?limit=1&offset=1", token=nw).json()
        h.check(got["next_offset"] is None and len(got["placements"]) == 1, repr(got))
        for path, message in (
                ("/v1/placements?as_of=2026-02-30", "as_of: expected a date YYYY-MM-DD"),
                ("/v1/placements?as_of=", "as_of: expected a date YYYY-MM-DD"),
                ("/v1/placements?limit=0", "limit: expected a whole number from 1 to 1000"),
                ("/v1/placements?limit=1001", "limit: expected a whole number from 1 to 1000"),
                ("/v1/placements?offset=-1", "offset: expected a whole number"),
                ("/v1/oversight?from=2026-03-01&to=2026-02-01", "from: after to"),
                ("/v1/oversight?to=31.01.2026", "to: expected a date YYYY-MM-DD"),
                ("/v1/placements?status=lost", "status: expected one of placed, acknowledged"),
                ("/v1/placements?flag=late", "flag: expected one of remittance_overdue,")):
            r = b.get(path, token=nw)
            h.check(r.status == 400 and r.error_code() == "invalid_request", "%s: %r" % (path, r))
            h.check(message in r.json()["error"]["message"], "%s: %r" % (path, r.json()))
        r = b.get("/v1/placements/ho_00000000000000000000000000000000", token=nw)
        h.check(r.status == 404 and r.error_code() == "unknown_placement", repr(r))
        r = b.get("/v1/placements/..%2Fx", token=nw)
        h.check(r.status == 404, repr(r))
        # Agency only, and only its own.
        for path in ("/v1/placements", "/v1/placements/" + handoff, "/v1/oversight"):
            r = b.get(path, token=b.tokens["harbor-law"])
            h.check(r.status == 403, "%s: %r" % (path, r))
        r = b.get("/v1/placements", token=b.tokens["southbank"])
        h.check(r.status == 200 and r.json()["total"] == 0, repr(r))
        r = b.get("/v1/placements/" + handoff, token=b.tokens["southbank"])
        h.check(r.status == 404, repr(r))
        r = b.get("/v1/oversight", token=b.tokens["southbank"])
        h.check(r.status == 200 and r.json()["firms"] == [], repr(r))

        # No plugin states an expected recovery (southbank runs gb-ew
        # only), or the evaluation fails (eastgate has no plugin for the
        # case's jurisdiction): the handoff goes ahead, the forecast is
        # unknown and counted as such; no agreement: the defaults.
        for agency in ("southbank", "eastgate"):
            r = post(b, "/v1/handoffs", agency,
                     {"to": "harbor-law", "case": case("NW-FC-" + agency, "300.00")})
            h.check(r.status == 201, "%s: %r" % (agency, r))
            d = b.get("/v1/placements/" + r.json()["id"], token=b.tokens[agency]).json()
            h.check(d["forecast"] is None and d["placed_amount"] == "300.00", repr(d))
            h.check(d["agreement"]["contingency_fee_bp"] == 0 and
                    d["agreement"]["remittance_due_days"] == 30, repr(d["agreement"]))
            row = b.get("/v1/oversight", token=b.tokens[agency]).json()["firms"][0]
            h.check(row["forecast_unknown"] == 1 and row["forecast_expected"] == "0.00", repr(row))

        # The evaluation at placement through an isolated plugin (answered
        # later, from a worker) gives the same forecast.
        r = post(b, "/v1/handoffs", "westmoor",
                 {"to": "harbor-law", "case": case("NW-FC-isolated", "1200.00")})
        h.check(r.status == 201, repr(r))
        d = b.get("/v1/placements/" + r.json()["id"], token=b.tokens["westmoor"]).json()
        h.check(d["forecast"] == "960.00", repr(d))
    finally:
        b.stop()


if __name__ == "__main__":
    h.run([test_worked_example, test_parameters_access_and_paging])
