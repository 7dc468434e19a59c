"""POST /v1/cases/evaluate end to end: a realistic ~2 KB case through the
tenant's jurisdiction and agency plugins. Expected court fees are the
county court money-claim issue fee bands of the Civil Proceedings Fees
Order 2008, Sch. 1, fee 1.1 as substituted by S.I. 2015/576: up to £300
£35; £500 £50; £1,000 £70; £1,500 £80; £3,000 £115; £5,000 £205; £10,000
£455; up to £200,000 5% of the claim rounded down to the penny; above
£200,000 £10,000. The cases carry no interest claim, so the claim value is
the principal."""

import json

import batond_harness as h

# (principal, fee) pairs from the published bands above.
BANDS = [
    ("12345.67", "617.28"),   # 5% = 617.2835, rounded down to the penny
    ("300.00", "35.00"),
    ("300.01", "50.00"),
    ("1500.00", "80.00"),
    ("4999.99", "205.00"),
    ("7420.00", "455.00"),
    ("10000.01", "500.00"),   # 5% of 10,000.01 = 500.0005
    ("200000.00", "10000.00"),
    ("250000.00", "10000.00"),
]


def case_with(principal):
    c = json.loads(h.case_text())
    c["claim"]["principal"]["amount"] = principal
    return json.dumps(c).encode()


def court_fee(answer):
    fees = [c for c in answer["costs"] if c["kind"] == "court_fee"]
    h.check(len(fees) == 1, "expected one court fee, got %r" % fees)
    return fees[0]


def test_realistic_case_gets_gb_ew_fee():
    body = h.case_text()
    h.check(1800 <= len(body) <= 2600, "the case should be ~2 KB, is %d bytes" % len(body))
    with h.Batond("evaluate").start() as b:
        r = b.evaluate("northwind", body=body)
        h.check(r.status == 200 and r.headers["content-type"].startswith("application/json"),
                repr(r))
        a = r.json()
        h.check(a["case_id"] == "NW-2026-01187" and a["jurisdiction"] == "gb-ew", repr(a)[:200])
        fee = court_fee(a)
        h.check(fee["amount"]["amount"] == "617.28" and fee["amount"]["currency"] == "GBP",
                repr(fee))
        h.check(fee["plugin"] == "gb-ew" and "Civil Proceedings Fees Order 2008" in fee["basis"],
                repr(fee))
        h.check(any(c["kind"] == "commission" for c in a["costs"]), "no agency commission")
        h.check(a["findings"], "no findings")
        b.stop()


def test_fee_bands():
    with h.Batond("evaluate-bands").start() as b:
        for principal, fee in BANDS:
            r = b.evaluate("southbank", body=case_with(principal))
            h.check(r.status == 200, "%s: %r" % (principal, r))
            got = court_fee(r.json())["amount"]["amount"]
            h.check(got == fee, "claim £%s: fee £%s, expected £%s" % (principal, got, fee))
        b.stop()


def test_evaluation_errors():
    with h.Batond("evaluate-errors").start() as b:
        c = json.loads(h.case_text())
        del c["jurisdiction"]
        r = b.evaluate("northwind", body=json.dumps(c).encode())
        h.check(r.status == 400 and r.error_code() == "invalid_case", repr(r))
        c = json.loads(h.case_text())
        c["jurisdiction"] = "de"
        r = b.evaluate("northwind", body=json.dumps(c).encode())
        h.check(r.status == 422 and r.error_code() == "no_jurisdiction_plugin", repr(r))
        c = json.loads(h.case_text())
        c["claim"]["principal"] = {"amount": "12.345", "currency": "GBP"}
        r = b.evaluate("northwind", body=json.dumps(c).encode())
        h.check(r.status == 400 and r.error_code() == "invalid_case", repr(r))
        h.check(b.evaluate("northwind").status == 200, "still evaluating")
        b.stop()


def test_both_parsing_routes_answer_alike():
    """A valid case's body is parsed straight into the case index; a body
    that parser does not take (a byte order mark, a form feed, an integer of
    17 digits: all JSON batond accepts) goes through cJSON. Both routes give
    the same answer, with plugins in process and isolated, on the single
    endpoint and in a batch (docs/performance.md, "Evaluate at wire
    speed")."""
    import batch_client as bc

    h.use_build_worker()
    iso = h.tenant("iso-agency", "agency", [
        {"path": "gb-ew.so", "config": {}, "isolated": True},
        {"path": "northwind.so", "config": {}, "isolated": True},
    ])
    compact = json.dumps(json.loads(h.case_text()), separators=(",", ":")).encode()

    def with_ext(n):
        c = json.loads(compact)
        c["ext"] = {"n": n}
        return json.dumps(c).encode()

    same = [compact, b"\xef\xbb\xbf" + compact, b"{\f" + compact[1:]]
    big = [with_ext(1), b"{\"ext\":{\"n\":12345678901234567}," + compact[1:]]
    with h.Batond("evaluate-routes", tenants=h.demo_tenants() + [iso]).start() as b:
        for tenant in ("northwind", "iso-agency"):
            for group in (same, big):
                answers = []
                for body in group:
                    r = b.evaluate(tenant, body=body)
                    h.check(r.status == 200, "%s %r: %r" % (tenant, body[:12], r))
                    answers.append(r.json())
                for a in answers[1:]:
                    h.check(a == answers[0], "%s: the two routes answer differently" % tenant)
                status, _, out = bc.run_batch(b.port, b.tokens[tenant],
                                              [body + b"\n" for body in group])
                h.check(status == 200 and out[-1]["summary"]["ok"] == len(group), repr(out[-1:]))
                for got in out[:-1]:
                    del got["line"]
                    h.check(got == answers[0], "%s: a batch line answers differently" % tenant)
            mode = "isolated" if tenant == "iso-agency" else "in_process"
            h.check(all(p["mode"] == mode for p in answers[0]["plugins"]), repr(answers[0]))
        b.stop()


if __name__ == "__main__":
    h.run([test_realistic_case_gets_gb_ew_fee, test_fee_bands, test_evaluation_errors,
           test_both_parsing_routes_answer_alike])
