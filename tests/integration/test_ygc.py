"""The YGC interchange through a real batond (docs/ygc.md): northwind hands
a case to harbor-law and exports the placement as YGC records 01 and 02;
the bytes are checked at the positions the published layouts give, read
here independently of batond's own tables."""

import json

import batond_harness as h

CASE = {
    "case_id": "NW-2026-0107",
    "jurisdiction": "gb-ew",
    "creditor": {"name": "Acme Tools Ltd", "kind": "business",
                 "address": {"lines": ["1 Forge Lane"], "city": "Leeds", "postcode": "LS1 4AP",
                             "country": "GB"}},
    "debtor": {"name": "Jane Smith", "kind": "individual", "identity_verified": True,
               "address": {"lines": ["4 Mill Road"], "city": "York", "postcode": "YO1 7HH",
                           "country": "GB"}},
    "claim": {"principal": {"amount": "2450.00", "currency": "GBP"},
              "charges": [{"label": "late fee", "date": "2025-07-01",
                           "amount": {"amount": "40.00", "currency": "GBP"}}],
              "due_date": "2025-06-30", "contract_type": "written",
              "contract_date": "2025-01-15"},
    "documents": [{"kind": "invoice", "ref": "INV-17"}],
}


def tenants():
    return [
        h.tenant("northwind", "agency", ["gb-ew", "northwind"],
                 counterparts=[{"tenant": "harbor-law"}]),
        h.tenant("harbor-law", "lawfirm", [], counterparts=[{"tenant": "northwind"}]),
    ]


def post_json(b, path, tenant, body):
    return b.request("POST", path, body=json.dumps(body).encode(), token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"})


def hand_off(b, case):
    r = post_json(b, "/v1/handoffs", "northwind", {"to": "harbor-law", "case": case})
    h.check(r.status == 201, repr(r))
    return r.json()


def field(line, start, length):
    """The bytes of a field at its 1-based start, as the layouts count."""
    return line[start - 1:start - 1 + length]


def test_placement_export_as_records_01_and_02():
    with h.Batond("ygc-export", tenants=tenants()).start() as b:
        handoff = hand_off(b, CASE)
        r = b.get("/v1/handoffs/%s/ygc" % handoff["id"], token=b.tokens["northwind"])
        h.check(r.status == 200, repr(r))
        h.check(r.headers["content-type"].startswith("text/plain"), repr(r.headers))
        lines = r.body.split(b"\r\n")
        h.check(len(lines) == 3 and lines[2] == b"", repr(lines))
        rec01, rec02 = lines[0], lines[1]
        h.check(len(rec01) == 472 and len(rec02) == 578, (len(rec01), len(rec02)))
        seq = str(handoff["sequence"]).encode()
        day = handoff["created"][:10].replace("-", "").encode()
        want01 = [
            (1, 2, b"01"), (3, 10, seq.ljust(10)), (13, 20, b"NW-2026-0107".ljust(20)),
            (33, 15, b" " * 15), (48, 10, b"northwind "), (58, 10, b"harbor-law"),
            (68, 8, day), (88, 14, b"2450.00".rjust(14)), (102, 14, b" " * 14),
            (134, 25, b"Acme Tools Ltd".ljust(25)), (184, 25, b"1 Forge Lane".ljust(25)),
            (209, 15, b"Leeds".ljust(15)), (224, 9, b"LS1 4AP".ljust(9)),
            (233, 14, b"2490.00".rjust(14)), (273, 8, b"20250115"), (391, 3, b"GB "),
            (416, 1, b"Y"), (417, 8, b"20250701"),
        ]
        for start, length, want in want01:
            got = field(rec01, start, length)
            h.check(got == want, "record 01 bytes %d-%d: %r, want %r"
                    % (start, start + length - 1, got, want))
        want02 = [
            (1, 2, b"02"), (13, 20, b"NW-2026-0107".ljust(20)), (48, 10, b"northwind "),
            (58, 10, b"harbor-law"), (68, 30, b"Jane Smith".ljust(30)),
            (124, 25, b"4 Mill Road".ljust(25)), (172, 9, b"YO1 7HH".ljust(9)),
            (350, 30, b"York".ljust(30)), (401, 3, b"GB "),
            (404, 50, b"4 Mill Road".ljust(50)),
        ]
        for start, length, want in want02:
            got = field(rec02, start, length)
            h.check(got == want, "record 02 bytes %d-%d: %r, want %r"
                    % (start, start + length - 1, got, want))

        # Only the agency that placed it reads it; unknown ids are 404.
        r = b.get("/v1/handoffs/%s/ygc" % handoff["id"], token=b.tokens["harbor-law"])
        h.check(r.status == 403, repr(r))
        r = b.get("/v1/handoffs/ho_00000000000000000000000000000000/ygc",
                  token=b.tokens["northwind"])
        h.check(r.status == 404 and r.error_code() == "unknown_handoff", repr(r))

        # A value that does not fit its field is refused with the field named,
        # never cut: FORW_FILE holds 20 bytes.
        long_id = dict(CASE, case_id="NW-2026-0107-REMAINDER-A")
        other = hand_off(b, long_id)
        r = b.get("/v1/handoffs/%s/ygc" % other["id"], token=b.tokens["northwind"])
        h.check(r.status == 422 and r.error_code() == "ygc_field_too_long", repr(r))
        h.check(b"FORW_FILE holds 20 bytes" in r.body, repr(r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


if __name__ == "__main__":
    h.run([
        test_placement_export_as_records_01_and_02,
    ])
