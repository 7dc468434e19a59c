"""The YGC interchange through a real batond (docs/ygc.md): northwind hands
a case to harbor-law and exports the placement as YGC records 01 and 02;
the bytes are checked at the positions the published layouts give, read
here independently of batond's own tables. harbor-law reports back with a
YGC file (records 39, 41, 30, 43) that becomes its signed events, which
northwind receives and stock minisign verifies; a file with a line that
cannot be mapped posts nothing and names the line and field."""

import json
import os
import shutil
import subprocess
import tempfile

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


def record(code, length, fields, file_number, case_id):
    """A receiver's record (30-59): FIRM_ID at 48, FORW_ID at 58; fields are
    (start, length, text, right-aligned) at the published positions."""
    b = bytearray(b" " * length)
    b[0:2] = code.encode()
    head = [(3, 10, file_number, False), (13, 20, case_id, False),
            (48, 10, "harbor-law", False), (58, 10, "northwind", False)]
    for start, size, text, right in head + fields:
        v = text.encode()
        assert len(v) <= size
        b[start - 1:start - 1 + size] = v.rjust(size) if right else v.ljust(size)
    return bytes(b)


def firm_report(file_number, case_id):
    suit = [(68, 14, "2490.00", True), (82, 8, "20260315", False),
            (118, 15, "K00LV123", False), (332, 50, "County Court Money Claims Centre", False)]
    lines = [
        record("39", 1141, [(68, 8, "20260310", False), (76, 8, "*CC:S101", False),
                            (84, 1024, "Called the debtor; promised to pay", False),
                            (1123, 15, "0113 496 0000", False)], file_number, case_id),
        record("41", 430, suit, file_number, case_id),
        record("30", 489, [(68, 2, "01", False), (70, 8, "20260401", False),
                           (78, 14, "500.00", True), (106, 14, "400.00", True),
                           (134, 14, "100.00", True), (367, 8, "20260405", False)],
               file_number, case_id),
        record("30", 489, [(68, 2, "33", False), (70, 8, "20260315", False),
                           (273, 14, "50.00", True), (433, 14, "50.00", True)],
               file_number, case_id),
        record("41", 430, suit + [(148, 8, "20260420", False), (156, 14, "2600.00", True)],
               file_number, case_id),
        record("43", 153, [(68, 8, "20260425", False), (76, 14, "300.00", True),
                           (90, 8, "20260501", False), (98, 14, "100.00", True),
                           (112, 14, "100.00", True), (148, 5, "3", True), (153, 1, "M", False)],
               file_number, case_id),
    ]
    return b"\r\n".join(lines) + b"\r\n"


def minisign_verifies(line, sig, pub_path):
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "EVENT"), "w", newline="") as f:
            f.write(line)
        with open(os.path.join(d, "EVENT.minisig"), "w", newline="") as f:
            f.write(sig)
        p = subprocess.run(["minisign", "-V", "-m", os.path.join(d, "EVENT"), "-p", pub_path],
                           capture_output=True, text=True)
        return p.returncode == 0, p.stdout + p.stderr
    finally:
        shutil.rmtree(d)


def post_ygc(b, item, data, query="", tenant="harbor-law"):
    return b.request("POST", "/v1/inbox/%s/events/ygc%s" % (item, query), body=data,
                     token=b.tokens[tenant], headers={"Content-Type": "text/plain"})


def test_firm_reports_in_ygc_as_signed_events():
    with h.Batond("ygc-import", tenants=tenants()).start() as b:
        handoff = hand_off(b, CASE)
        r = b.get("/v1/inbox", token=b.tokens["harbor-law"])
        item = [i for i in r.json() if i["handoff_id"] == handoff["id"]][0]["id"]
        r = post_json(b, "/v1/inbox/%s/accept" % item, "harbor-law", {})
        h.check(r.status == 200, repr(r))
        report = firm_report(str(handoff["sequence"]), CASE["case_id"])

        # The judgment's outcome is not in record 41: without ?judgment the
        # file is refused whole, naming the line and field; nothing posted.
        r = post_ygc(b, item, report)
        h.check(r.status == 422 and r.error_code() == "ygc_invalid", repr(r))
        bad = [l for l in r.json()["lines"] if "errors" in l]
        h.check(len(bad) == 1 and bad[0]["line"] == 5, repr(bad))
        h.check(bad[0]["errors"][0]["field"] == "JDGMNT_AMT", repr(bad))
        r = b.get("/v1/inbox/%s/events" % item, token=b.tokens["harbor-law"])
        h.check(r.status == 200 and r.json()["events"] == [], repr(r))

        # With it, every line becomes the firm's signed events, in order.
        r = post_ygc(b, item, report, "?judgment=default")
        h.check(r.status == 201, repr(r))
        got = r.json()
        h.check(got["events_created"] == 7 and got["events_repeated"] == 1, repr(got))
        kinds = [[e["kind"] for e in l["events"]] for l in got["lines"]]
        h.check(kinds == [["contact"], ["suit_filed"], ["payment_received", "remittance"],
                          ["cost_incurred"], ["suit_filed", "judgment"],
                          ["payment_plan_agreed"]], repr(kinds))
        h.check([e["seq"] for l in got["lines"] for e in l["events"]] ==
                [1, 2, 3, 4, 5, 2, 6, 7], repr(got))

        # Posting the same file again creates nothing.
        r = post_ygc(b, item, report, "?judgment=default")
        h.check(r.status == 200, repr(r))
        h.check(r.json()["events_created"] == 0 and r.json()["events_repeated"] == 8, repr(r))

        # northwind holds the firm's chain; stock minisign verifies it with
        # harbor-law's key, and the amounts are the file's.
        r = b.get("/v1/placements/%s/events" % handoff["id"], token=b.tokens["northwind"])
        h.check(r.status == 200, repr(r))
        events = r.json()["events"]
        h.check(len(events) == 7, repr(events))
        pub = os.path.join(b.data_dir, "tenants", "harbor-law", "keys", "sign.pub")
        for e in events:
            ok, out = minisign_verifies(e["line"], e["minisig"], pub)
            h.check(ok, out)
        by_kind = {e["kind"]: e["event"]["body"] for e in events}
        h.check(by_kind["payment_received"] == {"amount": {"amount": "500.00", "currency": "GBP"},
                                                "paid_to": "firm"}, repr(by_kind))
        h.check(by_kind["remittance"]["fees_deducted"]["amount"] == "100.00", repr(by_kind))
        h.check(by_kind["cost_incurred"]["recoverable"] is True, repr(by_kind))
        h.check(by_kind["judgment"] == {"amount": {"amount": "2600.00", "currency": "GBP"},
                                        "outcome": "default"}, repr(by_kind))
        h.check([i["due"] for i in by_kind["payment_plan_agreed"]["instalments"]] ==
                ["2026-05-01", "2026-06-01", "2026-07-01"], repr(by_kind))

        # Malformed and foreign lines are named by line and field.
        other = firm_report("999", "NW-2026-0999").split(b"\r\n")[0]
        broken = bytearray(report.split(b"\r\n")[2])
        broken[69:77] = b"20261341"
        r = post_ygc(b, item, b"\r\n".join([b"12" + b" " * 65, bytes(broken), other]) + b"\r\n")
        h.check(r.status == 422 and r.error_code() == "ygc_invalid", repr(r))
        errs = {l["line"]: [e["field"] for e in l["errors"]] for l in r.json()["lines"]}
        h.check(errs == {1: ["RECORD_CODE"], 2: ["PAY_DATE"], 3: ["FILENO", "FORW_FILE"]},
                repr(errs))
        r = post_ygc(b, item, report, "?judgment=sometimes")
        h.check(r.status == 400, repr(r))
        # Only the firm imports into its inbox.
        r = post_ygc(b, item, report, tenant="northwind")
        h.check(r.status == 403, repr(r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


def test_offline_export_and_import_with_the_cli():
    d = tempfile.mkdtemp()
    try:
        subprocess.run([h.baton_cli(), "keygen", "-o", os.path.join(d, "baker")], check=True,
                       capture_output=True)
        with open(os.path.join(d, "baker.pub")) as f:
            pub = f.read().splitlines()[1]
        with open(os.path.join(d, "baker.agepub")) as f:
            age = f.read().strip()
        baker = {"name": "baker-law", "sign_pub": pub, "age_recipient": age}
        ts = [h.tenant("northwind", "agency", ["gb-ew", "northwind"],
                       counterparts=[{"tenant": "harbor-law"}, baker]),
              h.tenant("harbor-law", "lawfirm", [], counterparts=[{"tenant": "northwind"}])]
        with h.Batond("ygc-cli", tenants=ts).start() as b:
            r = post_json(b, "/v1/handoffs", "northwind", {"to": "baker-law", "case": CASE})
            h.check(r.status == 201, repr(r))
            placed = r.json()
            seq = str(placed["sequence"])

            # baton ygc export writes what batond answers for the handoff.
            with open(os.path.join(d, "case.json"), "w") as f:
                json.dump(CASE, f)
            p = subprocess.run([h.baton_cli(), "ygc", "export", "--case",
                                os.path.join(d, "case.json"), "--file-number", seq, "--agency",
                                "northwind", "--firm", "baker-law", "--date",
                                placed["created"][:10]], capture_output=True)
            h.check(p.returncode == 0, p.stderr)
            r = b.get("/v1/handoffs/%s/ygc" % placed["id"], token=b.tokens["northwind"])
            h.check(r.status == 200 and r.body == p.stdout, (r, p.stdout[:80]))

            # baton ygc import: the firm's file as its signed, chained event files.
            report = firm_report(seq, CASE["case_id"]).replace(b"harbor-law", b"other-law ")
            with open(os.path.join(d, "report.ygc"), "wb") as f:
                f.write(report)
            out = os.path.join(d, "events")
            os.mkdir(out)
            cmd = [h.baton_cli(), "ygc", "import", "-k", os.path.join(d, "baker.key"),
                   "--case", CASE["case_id"], "--tagmanifest", placed["tagmanifest_sha256"],
                   "--sender", "baker-law", "--agency", "northwind", "--file-number", seq,
                   "--handoff", placed["id"], "--currency", "GBP", "-o", out,
                   os.path.join(d, "report.ygc")]
            # FIRM_ID "other-law" is not the firm: every line is named, nothing written.
            p = subprocess.run(cmd + ["--judgment", "default"], capture_output=True, text=True)
            h.check(p.returncode == 13 and "line 1, FIRM_ID:" in p.stderr, p.stderr)
            h.check(os.listdir(out) == [], os.listdir(out))
            with open(os.path.join(d, "report.ygc"), "wb") as f:
                f.write(report.replace(b"other-law ", b"baker-law "))
            p = subprocess.run(cmd + ["--judgment", "default"], capture_output=True, text=True)
            h.check(p.returncode == 0, p.stderr)
            written = [dict(kv.split("=", 1) for kv in l.split()) for l in p.stdout.splitlines()]
            h.check([w["kind"] for w in written] ==
                    ["contact", "suit_filed", "payment_received", "remittance", "cost_incurred",
                     "suit_filed", "judgment", "payment_plan_agreed"], repr(written))
            h.check(written[5].get("repeat") == "true", repr(written))
            chain = [w["event"] for w in written if "seq" in w]
            h.check([int(w["seq"]) for w in written if "seq" in w] == list(range(1, 8)),
                    repr(written))
            for path in chain:
                with open(path, newline="") as f:
                    line = f.read()
                with open(path + ".minisig", newline="") as f:
                    sig = f.read()
                ok, msg = minisign_verifies(line, sig, os.path.join(d, "baker.pub"))
                h.check(ok, msg)
                r = post_json(b, "/v1/placements/%s/events/import" % placed["id"], "northwind",
                              {"event": line, "minisig": sig})
                h.check(r.status == 201, repr(r))
            # Run again: every event is already there, nothing is written twice.
            p = subprocess.run(cmd + ["--judgment", "default"], capture_output=True, text=True)
            h.check(p.returncode == 0 and p.stdout.count("repeat=true") == 8, p.stdout)
            def import_last(out):
                last = dict(kv.split("=", 1) for kv in out.splitlines()[-1].split())
                with open(last["event"], newline="") as f:
                    line = f.read()
                with open(last["event"] + ".minisig", newline="") as f:
                    sig = f.read()
                r = post_json(b, "/v1/placements/%s/events/import" % placed["id"], "northwind",
                              {"event": line, "minisig": sig})
                h.check(r.status == 201, repr(r))
                return last

            def add_note(date, text):
                note = record("39", 1141, [(68, 8, date, False), (76, 8, "*CC:S101", False),
                                           (84, 1024, text, False)],
                              seq, CASE["case_id"]).replace(b"harbor-law", b"baker-law ")
                with open(os.path.join(d, "report.ygc"), "ab") as f:
                    f.write(note + b"\r\n")

            # A later file repeating those lines and adding one: the new event
            # goes on after the last one written (seq 8), and the agency takes it.
            add_note("20260520", "Debtor asked for a statement")
            p = subprocess.run(cmd + ["--judgment", "default"], capture_output=True, text=True)
            h.check(p.returncode == 0 and p.stdout.count("repeat=true") == 8, p.stdout)
            last = import_last(p.stdout)
            h.check(last.get("kind") == "contact" and last.get("seq") == "8", p.stdout)
            # A run stopped between a new event and its signature (never sent):
            # the next run writes that event again, as the same link (seq 9).
            add_note("20260601", "Statement sent")
            p = subprocess.run(cmd + ["--judgment", "default"], capture_output=True, text=True)
            h.check(p.returncode == 0, p.stdout)
            ninth = p.stdout.splitlines()[-1].split()[1].split("=", 1)[1]
            os.remove(ninth + ".minisig")
            p = subprocess.run(cmd + ["--judgment", "default"], capture_output=True, text=True)
            h.check(p.returncode == 0 and p.stdout.count("repeat=true") == 9 and
                    ("event=%s kind=contact seq=9" % ninth) in p.stdout, p.stdout)
            import_last(p.stdout)
            h.check(not [f for f in os.listdir(out) if ".partial-" in f], os.listdir(out))
            h.check(b.stop() == 0, "batond did not exit cleanly")
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    h.run([
        test_placement_export_as_records_01_and_02,
        test_firm_reports_in_ygc_as_signed_events,
        test_offline_export_and_import_with_the_cli,
    ])
