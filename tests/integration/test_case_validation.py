"""The host validates a case against docs/case-format.md once, before any
plugin runs, with the same rules for evaluate, letters and handoffs: 400
invalid_case naming the JSON path of the first offending member and why
(host/runtime/case_validate.c). Before, a case without case_id, creditor,
creditor.kind, debtor.name or debtor.address was evaluated (200), and one
without debtor or claim.due_date, or due 9999-12-31, failed in the plugin
(502 plugin_failed); a zero principal was accepted."""

import json

import batond_harness as h


def base():
    return json.loads(h.case_text())


def without(path):
    c = base()
    parts = path.split(".")
    node = c
    for p in parts[:-1]:
        node = node[p]
    del node[parts[-1]]
    return c


def with_value(path, value):
    c = base()
    parts = path.split(".")
    node = c
    for p in parts[:-1]:
        node = node[p]
    node[parts[-1]] = value
    return c


# (case, the start of the error message: path and why)
REFUSED = [
    (without("case_id"), "case_id: required"),
    (without("creditor"), "creditor: required"),
    (without("creditor.kind"), "creditor.kind: required: one of \"business\""),
    (without("debtor.name"), "debtor.name: required"),
    (without("debtor.address"), "debtor.address: required"),
    (without("debtor"), "debtor: required"),
    (without("claim.due_date"), "claim.due_date: required: a date written YYYY-MM-DD"),
    (with_value("claim.due_date", "9999-12-31"),
     "claim.due_date: 9999-12-31 is outside the dates a case may carry (1900-01-01 to "
     "2199-12-31)"),
    (with_value("claim.principal", {"amount": "0.00", "currency": "GBP"}),
     "claim.principal.amount: must be greater than zero"),
    (with_value("debtor.kind", "person"), "debtor.kind: expected one of \"individual\""),
    (with_value("claim.contract_type", 3), "claim.contract_type: expected one of"),
    (with_value("documents", [{"kind": "agreement"}, {"kind": "selfie"}]),
     "documents[1].kind: expected one of \"agreement\""),
    (with_value("debtor_profile", {"promises_broken": 2.0}),
     "debtor_profile.promises_broken: expected an integer >= 0 written with digits only"),
    (with_value("claim.interest", {"contractual_rate_bp": 8e2}),
     "claim.interest.contractual_rate_bp: expected basis points"),
]


def test_evaluate_letters_and_handoffs_refuse_alike():
    tenants = [h.tenant("northwind", "agency", ["gb-ew", "northwind"],
                        counterparts=[{"tenant": "harbor-law"}]),
               h.tenant("harbor-law", "lawfirm", [])]
    with h.Batond("case-validation", tenants=tenants).start() as b:
        nw = b.tokens["northwind"]
        jh = {"Content-Type": "application/json"}
        for c, says in REFUSED:
            r = b.evaluate("northwind", body=json.dumps(c).encode())
            h.check(r.status == 400 and r.error_code() == "invalid_case", "%s: %r" % (says, r))
            msg = r.json()["error"]["message"]
            h.check(msg.startswith(says), "evaluate: expected %r..., got %r" % (says, msg))
            # In the letters and handoffs bodies the case is the member "case".
            r = b.request("POST", "/v1/letters", token=nw, headers=jh, body=json.dumps(
                {"kind": "reminder", "format": "text", "case": c}).encode())
            h.check(r.status == 400 and r.error_code() == "invalid_case", "%s: %r" % (says, r))
            h.check(r.json()["error"]["message"].startswith("case." + says), repr(r))
            r = b.request("POST", "/v1/handoffs", token=nw, headers=jh,
                          body=json.dumps({"to": "harbor-law", "case": c}).encode())
            h.check(r.status == 400 and r.error_code() == "invalid_case", "%s: %r" % (says, r))
            h.check(r.json()["error"]["message"].startswith("case." + says), repr(r))
        # Nothing was handed off, nothing reached the firm.
        h.check(b.get("/v1/handoffs", token=nw).json() == [], "a handoff was stored")
        h.check(b.get("/v1/inbox", token=b.tokens["harbor-law"]).json() == [],
                "the firm received a case the format refuses")
        # The documented case still goes through all three.
        c = base()
        h.check(b.evaluate("northwind", body=json.dumps(c).encode()).status == 200, "evaluate")
        r = b.request("POST", "/v1/letters", token=nw, headers=jh, body=json.dumps(
            {"kind": "reminder", "format": "text", "case": c}).encode())
        h.check(r.status == 200, "letters: %r" % r)
        r = b.request("POST", "/v1/handoffs", token=nw, headers=jh,
                      body=json.dumps({"to": "harbor-law", "case": c}).encode())
        h.check(r.status == 201, "handoffs: %r" % r)
        b.stop()


if __name__ == "__main__":
    h.run([test_evaluate_letters_and_handoffs_refuse_alike])
