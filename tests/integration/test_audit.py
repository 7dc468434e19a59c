"""The audit log as an operator uses it: GET /v1/audit pages through every
record with its chain fields, and the hash of each is what docs/audit.md
says; signed checkpoints (every 100 records and at shutdown) are exported
by GET /v1/audit/checkpoints and check with stock minisign; `batond audit
verify TENANT` passes an intact log and names the first bad row of a
changed or cut one."""

import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
import urllib.parse

import batond_harness as h

ZERO = "0" * 64


def upload(b, tenant, name, data=b"x"):
    r = b.request("PUT", "/v1/documents?name=" + urllib.parse.quote(name), body=data,
                  token=b.tokens[tenant], headers={"Content-Type": "application/octet-stream"})
    h.check(r.status == 201, repr(r))
    return r.json()


def record_hash(r):
    """docs/audit.md: SHA-256 over prev_hash, seq, ts, actor, action,
    subject and detail, joined by newlines."""
    text = "\n".join([r["prev_hash"], str(r["seq"]), r["ts"], r["actor"], r["action"],
                      r["subject"], r["detail"]])
    return hashlib.sha256(text.encode()).hexdigest()


def store_path(b, tenant):
    return os.path.join(b.data_dir, "tenants", tenant, "store.db")


def tamper(b, tenant, sql):
    """What someone holding the store file could do: drop the append-only
    guards and change rows."""
    db = sqlite3.connect(store_path(b, tenant))
    for t in ("audit_no_update", "audit_no_delete", "audit_checkpoints_no_update",
              "audit_checkpoints_no_delete"):
        db.execute("DROP TRIGGER IF EXISTS " + t)
    db.executescript(sql)
    db.commit()
    db.close()


def test_pages_carry_the_whole_chain_and_the_documented_hash():
    with h.Batond("audit-pages").start() as b:
        for i in range(23):
            upload(b, "northwind", "statement-%02d.pdf" % i)
        upload(b, "southbank", "other.pdf")
        seen, after, pages = [], 0, 0
        while True:
            r = b.get("/v1/audit?after=%d&limit=10" % after, token=b.tokens["northwind"])
            h.check(r.status == 200, repr(r))
            page = r.json()
            h.check(len(page["records"]) <= 10, repr(page))
            seen.extend(page["records"])
            pages += 1
            if page["next_after"] is None:
                break
            h.check(page["next_after"] == page["records"][-1]["seq"], repr(page))
            after = page["next_after"]
        h.check(pages == 3 and len(seen) == 23, "pages %d, records %d" % (pages, len(seen)))
        h.check([r["seq"] for r in seen] == list(range(1, 24)), repr([r["seq"] for r in seen]))
        h.check(all(r["actor"] == "northwind" for r in seen), "another tenant's record listed")
        prev = ZERO
        for r in seen:
            h.check(r["prev_hash"] == prev, "row %d: prev_hash breaks the chain" % r["seq"])
            h.check(r["hash"] == record_hash(r), "row %d: hash is not the documented one"
                    % r["seq"])
            prev = r["hash"]
        h.check(page["head"] == {"seq": 23, "hash": prev}, repr(page["head"]))
        # The default page starts at the beginning.
        r = b.get("/v1/audit", token=b.tokens["northwind"])
        h.check(r.status == 200 and r.json()["records"][0]["seq"] == 1, repr(r))
        for q in ("after=-1", "after=x", "limit=0", "limit=1001", "limit=", "after=1e3"):
            r = b.get("/v1/audit?" + q, token=b.tokens["northwind"])
            h.check(r.status == 400 and r.error_code() == "invalid_request", q + ": " + repr(r))
        r = b.get("/v1/audit")
        h.check(r.status == 401, repr(r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


def test_checkpoints_are_signed_exported_and_verified():
    with h.Batond("audit-checkpoints").start() as b:
        for i in range(102):
            upload(b, "northwind", "doc-%03d.pdf" % i)
        r = b.get("/v1/audit/checkpoints", token=b.tokens["northwind"])
        h.check(r.status == 200, repr(r))
        cps = r.json()["checkpoints"]
        h.check([c["seq"] for c in cps] == [100], "a checkpoint every 100 rows: %r" % cps)
        h.check(b.stop() == 0, "batond did not exit cleanly")
        b.start()
        r = b.get("/v1/audit/checkpoints", token=b.tokens["northwind"])
        answer = r.json()
        cps = answer["checkpoints"]
        h.check([c["seq"] for c in cps] == [100, 102], "and one at shutdown: %r" % cps)
        records = b.audit_records("northwind")
        h.check(cps[1]["hash"] == records[-1]["hash"], repr(cps[1]))
        with open(os.path.join(b.data_dir, "tenants", "northwind", "keys", "sign.pub")) as f:
            h.check(answer["sign_pub"] in f.read(), "sign_pub is not the tenant's key")
        # Stock minisign checks each one with the tenant's public key.
        work = tempfile.mkdtemp(dir=b.dir)
        for c in cps:
            stmt = os.path.join(work, "checkpoint-%d" % c["seq"])
            with open(stmt, "w") as f:
                f.write(c["statement"])
            with open(stmt + ".minisig", "w") as f:
                f.write(c["minisig"])
            v = subprocess.run(["minisign", "-V", "-P", answer["sign_pub"], "-m", stmt],
                               capture_output=True, text=True)
            h.check(v.returncode == 0, "minisign: %s %s" % (v.stdout, v.stderr))
            h.check("seq=%d hash=%s" % (c["seq"], c["hash"]) in v.stdout, v.stdout)
        r = b.get("/v1/audit/checkpoints", token=b.tokens["southbank"])
        h.check(r.status == 200 and r.json()["checkpoints"] == [], repr(r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


def test_audit_verify_command():
    with h.Batond("audit-verify").start() as b:
        for i in range(6):
            upload(b, "northwind", "doc-%d.pdf" % i)
        # It may run next to a running batond.
        v = b.run("audit", "verify", "northwind")
        h.check(v.returncode == 0, v.stderr)
        h.check("intact: 6 rows, 0 signed checkpoints; rows 1..6 are not covered" in v.stdout,
                v.stdout)
        h.check(b.stop() == 0, "batond did not exit cleanly")
        v = b.run("audit", "verify", "northwind")
        h.check(v.returncode == 0 and "6 rows, 1 signed checkpoint (the last at row 6)" in
                v.stdout, v.stdout + v.stderr)

        v = b.run("audit", "verify", "nobody")
        h.check(v.returncode == 1 and "no tenant 'nobody'" in v.stderr, v.stderr)
        # A tenant that never used its state has no store (tenant_state.h:
        # opened on first use); verifying says so, never "intact".
        v = b.run("audit", "verify", "harbor-law")
        h.check(v.returncode == 1 and "has no audit log yet" in v.stderr, v.stdout + v.stderr)
        # Once opened, its log is empty and intact.
        b.start()
        h.check(b.get("/v1/inbox", token=b.tokens["harbor-law"]).json() == [], "inbox")
        h.check(b.stop() == 0, "batond did not exit cleanly")
        v = b.run("audit", "verify", "harbor-law")
        h.check(v.returncode == 0 and "0 rows" in v.stdout, v.stdout + v.stderr)

        # Rows cut off after the checkpoint: the chain left is intact, the
        # checkpoint tells.
        tamper(b, "northwind", "DELETE FROM audit WHERE seq >= 5")
        v = b.run("audit", "verify", "northwind")
        h.check(v.returncode == 1, v.stdout)
        h.check("audit log ends at row 4, but the checkpoint signed" in v.stderr and
                "rows 5..6 were cut off" in v.stderr, v.stderr)

        # A changed row, and a changed link.
        tamper(b, "northwind", "DELETE FROM audit_checkpoints;"
               "UPDATE audit SET subject = 'doc_forged' WHERE seq = 2")
        v = b.run("audit", "verify", "northwind")
        h.check(v.returncode == 1 and "audit row 2: its content does not match its hash" in
                v.stderr, v.stderr)
        tamper(b, "northwind", "DELETE FROM audit WHERE seq >= 2")
        b.start()
        upload(b, "northwind", "again.pdf")
        h.check(b.stop() == 0, "batond did not exit cleanly")
        h.check(b.run("audit", "verify", "northwind").returncode == 0, "rebuilt chain")
        tamper(b, "northwind", "UPDATE audit SET prev_hash = '%s' WHERE seq = 2" % ("f" * 64))
        v = b.run("audit", "verify", "northwind")
        h.check(v.returncode == 1 and "audit row 2: prev_hash ffffffffffffffff... is not the hash"
                " of row 1" in v.stderr, v.stderr)


def test_a_rewritten_chain_is_found_by_its_checkpoint():
    """Someone holding the store changes a row and recomputes every hash
    after it: the chain is intact again, the signed checkpoint is not."""
    with h.Batond("audit-rewrite").start() as b:
        for i in range(5):
            upload(b, "northwind", "doc-%d.pdf" % i)
        h.check(b.stop() == 0, "batond did not exit cleanly")  # checkpoint at row 5
        db = sqlite3.connect(store_path(b, "northwind"))
        db.row_factory = sqlite3.Row
        db.execute("DROP TRIGGER audit_no_update")
        prev = ZERO
        for row in db.execute("SELECT * FROM audit ORDER BY seq").fetchall():
            r = dict(row)
            if r["seq"] == 2:
                r["subject"] = "doc_forged"
            r["prev_hash"] = prev
            r["hash"] = record_hash(r)
            db.execute("UPDATE audit SET subject = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                       (r["subject"], r["prev_hash"], r["hash"], r["seq"]))
            prev = r["hash"]
        db.commit()
        db.close()
        v = b.run("audit", "verify", "northwind")
        h.check(v.returncode == 1, v.stdout)
        h.check("audit row 5 has hash" in v.stderr and "but the checkpoint signed" in v.stderr,
                v.stderr)


def test_no_action_is_kept_without_its_audit_record():
    """docs/audit.md: when the record cannot be written the action is
    rolled back and the request fails with 500 audit_failed."""
    tenants = [
        h.tenant("northwind", "agency", ["gb-ew"], counterparts=[{"tenant": "harbor-law"}]),
        h.tenant("harbor-law", "lawfirm", [], counterparts=[{"tenant": "northwind"}]),
    ]
    address = {"lines": ["1 High Street"], "city": "Leeds", "country": "GB"}
    case = {"case_id": "NW-1", "jurisdiction": "gb-ew",
            "creditor": {"name": "Acme", "kind": "business", "address": address},
            "debtor": {"name": "Jane Smith", "kind": "individual", "address": address},
            "claim": {"principal": {"amount": "10.00", "currency": "GBP"},
                      "contract_type": "written", "due_date": "2025-06-30"}}
    fails = ("CREATE TRIGGER audit_fails BEFORE INSERT ON audit "
             "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with h.Batond("audit-policy", tenants=tenants).start() as b:
        # Stores open on first use (tenant_state.h): this one's, now.
        h.check(b.get("/v1/handoffs", token=b.tokens["northwind"]).json() == [], "handoffs")
        tamper(b, "northwind", fails)
        r = b.request("PUT", "/v1/documents?name=a.pdf", body=b"x", token=b.tokens["northwind"],
                      headers={"Content-Type": "application/octet-stream"})
        h.check(r.status == 500 and r.error_code() == "audit_failed", repr(r))
        docs = os.listdir(os.path.join(b.data_dir, "tenants", "northwind", "documents"))
        h.check(docs == [], "a document was kept without its record: %r" % docs)
        r = b.request("POST", "/v1/handoffs", body=json_body({"to": "harbor-law", "case": case}),
                      token=b.tokens["northwind"], headers={"Content-Type": "application/json"})
        h.check(r.status == 500 and r.error_code() == "audit_failed", repr(r))
        h.check(b.get("/v1/handoffs", token=b.tokens["northwind"]).json() == [],
                "a handoff was kept without its record")
        h.check(b.get("/v1/inbox", token=b.tokens["harbor-law"]).json() == [],
                "the firm received a handoff the agency did not record")
        tamper(b, "northwind", "DROP TRIGGER audit_fails")
        r = b.request("POST", "/v1/handoffs", body=json_body({"to": "harbor-law", "case": case}),
                      token=b.tokens["northwind"], headers={"Content-Type": "application/json"})
        h.check(r.status == 201, repr(r))
        items = b.get("/v1/inbox", token=b.tokens["harbor-law"]).json()
        h.check(len(items) == 1, repr(items))
        # The firm's accept: not done, the item stays pending and can be
        # accepted once the log can be written again.
        tamper(b, "harbor-law", fails)
        path = "/v1/inbox/%s/accept" % items[0]["id"]
        r = b.request("POST", path, body=b"{}", token=b.tokens["harbor-law"],
                      headers={"Content-Type": "application/json"})
        h.check(r.status == 500 and r.error_code() == "audit_failed", repr(r))
        h.check(b.get("/v1/inbox", token=b.tokens["harbor-law"]).json()[0]["status"] == "pending",
                "accepted without its record")
        tamper(b, "harbor-law", "DROP TRIGGER audit_fails")
        r = b.request("POST", path, body=b"{}", token=b.tokens["harbor-law"],
                      headers={"Content-Type": "application/json"})
        h.check(r.status == 200 and r.json()["status"] == "accepted", repr(r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


def json_body(o):
    return json.dumps(o).encode()


if __name__ == "__main__":
    h.run([
        test_pages_carry_the_whole_chain_and_the_documented_hash,
        test_checkpoints_are_signed_exported_and_verified,
        test_audit_verify_command,
        test_a_rewritten_chain_is_found_by_its_checkpoint,
        test_no_action_is_kept_without_its_audit_record,
    ])
