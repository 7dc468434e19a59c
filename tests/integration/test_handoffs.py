"""Handoffs over HTTP: agency northwind uploads documents and hands a case
to law firm harbor-law on the same batond; the firm accepts; the agency
sees the verified receipt. The package downloaded over HTTP opens with the
stock age and minisign tools. Cross-tenant attempts are refused."""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import urllib.parse

import batond_harness as h

CASE = {
    "case_id": "NW-2026-0107",
    "jurisdiction": "gb-ew",
    "creditor": {"name": "Acme Tools Ltd", "kind": "business",
                 "address": {"lines": ["1 Forge Lane"], "city": "Leeds", "country": "GB"}},
    "debtor": {"name": "Jane Smith", "kind": "individual", "identity_verified": True,
               "address": {"lines": ["4 Mill Road"], "city": "York", "country": "GB"}},
    "claim": {"principal": {"amount": "2450.00", "currency": "GBP"},
              "due_date": "2025-06-30", "contract_type": "written"},
}


def tenants(southbank_counterparts=()):
    return [
        h.tenant("northwind", "agency", ["gb-ew", "northwind"],
                 counterparts=[{"tenant": "harbor-law"}]),
        h.tenant("southbank", "agency", ["gb-ew"],
                 counterparts=[{"tenant": c} for c in southbank_counterparts]),
        h.tenant("harbor-law", "lawfirm", [], counterparts=[{"tenant": "northwind"}]),
    ]


def post_json(b, path, tenant, body):
    return b.request("POST", path, body=json.dumps(body).encode(), token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"})


def upload(b, tenant, name, data):
    path = "/v1/documents?name=" + urllib.parse.quote(name)
    return b.request("PUT", path, body=data, token=b.tokens[tenant],
                     headers={"Content-Type": "application/octet-stream"})


def hand_off(b, tenant="northwind", docs=(), to="harbor-law"):
    return post_json(b, "/v1/handoffs", tenant,
                     {"to": to, "case": CASE, "documents": list(docs)})


def pending(b):
    r = b.get("/v1/inbox", token=b.tokens["harbor-law"])
    h.check(r.status == 200, repr(r))
    return [i for i in r.json() if i["status"] == "pending"]


def test_round_trip_with_verified_receipt_and_stock_tools():
    with h.Batond("handoff-round-trip", tenants=tenants()).start() as b:
        invoice = os.urandom(300000)
        r = upload(b, "northwind", "invoice 2025-017.pdf", invoice)
        h.check(r.status == 201, repr(r))
        doc = r.json()
        h.check(doc["sha256"] == hashlib.sha256(invoice).hexdigest(), repr(doc))
        h.check(doc["size"] == len(invoice), repr(doc))

        # Names as people give them: '%', umlauts, Cyrillic, Chinese, and a
        # case twin (kept in the index, not restored to disk twice).
        given = ["5% Zinsen.pdf", "\u00dcberweisung M\u00e4rz.pdf",
                 "\u0434\u043e\u0433\u043e\u0432\u043e\u0440.pdf", "\u5408\u540c.pdf",
                 "INVOICE 2025-017.PDF"]
        ids = [doc["id"]]
        for name in given:
            r = upload(b, "northwind", name, name.encode())
            h.check(r.status == 201 and r.json()["name"] == name, repr(r))
            ids.append(r.json()["id"])

        r = hand_off(b, docs=ids)
        h.check(r.status == 201, repr(r))
        handoff = r.json()
        h.check(handoff["status"] == "sent" and handoff["sequence"] == 1, repr(handoff))

        items = pending(b)
        h.check(len(items) == 1 and items[0]["sender"] == "northwind", repr(items))
        r = post_json(b, "/v1/inbox/%s/accept" % items[0]["id"], "harbor-law", {})
        h.check(r.status == 200, repr(r))
        accepted = r.json()
        h.check(accepted["status"] == "accepted", repr(accepted))
        h.check(accepted["case"]["case_id"] == CASE["case_id"], repr(accepted))
        h.check(accepted["payload_files"] == 2 + len(given), repr(accepted))
        docs = accepted["documents"]
        h.check([d["name"] for d in docs] == ["invoice 2025-017.pdf"] + given, repr(docs))
        h.check(docs[0]["file"] == "data/documents/0001.pdf", repr(docs))
        h.check(docs[0]["media_type"] == "application/pdf", repr(docs))
        h.check(docs[0]["sha256"] == hashlib.sha256(invoice).hexdigest(), repr(docs))
        for d in docs[:-1]:
            h.check(d["restored_as"] == "documents/" + d["name"], repr(d))
        h.check(docs[-1]["restored_as"] is None, repr(docs))  # case twin of the invoice
        case_dir = os.path.join(b.data_dir, "tenants", "harbor-law", "cases", items[0]["id"])
        for d in docs[:-1]:
            with open(os.path.join(case_dir, d["restored_as"]), "rb") as f:
                body = f.read()
            h.check(body == (invoice if d is docs[0] else d["name"].encode()), d["name"])

        r = post_json(b, "/v1/inbox/%s/accept" % items[0]["id"], "harbor-law", {})
        h.check(r.status == 409 and r.error_code() == "already_decided", repr(r))

        # The accepted item later: the imported case and the given names.
        r = b.get("/v1/inbox/" + items[0]["id"], token=b.tokens["harbor-law"])
        h.check(r.status == 200, repr(r))
        item = r.json()
        h.check(item["status"] == "accepted" and item["sender"] == "northwind", repr(item))
        h.check(item["case"] == accepted["case"], repr(item))
        h.check(item["documents"] == docs, repr(item["documents"]))
        r = b.get("/v1/inbox/" + items[0]["id"], token=b.tokens["northwind"])
        h.check(r.status in (403, 404), repr(r))
        r = b.get("/v1/inbox/in_" + "0" * 32, token=b.tokens["harbor-law"])
        h.check(r.status == 404 and r.error_code() == "unknown_inbox_item", repr(r))

        r = b.get("/v1/handoffs/" + handoff["id"], token=b.tokens["northwind"])
        h.check(r.status == 200, repr(r))
        seen = r.json()
        h.check(seen["status"] == "accepted", repr(seen))
        h.check(seen["receipt"]["verified"] is True, repr(seen))
        h.check(seen["receipt"]["verdict"] == "accepted", repr(seen))

        # The package bytes open with age, tar, minisign and sha256sum alone.
        r = b.get("/v1/handoffs/%s/package" % handoff["id"], token=b.tokens["northwind"])
        h.check(r.status == 200 and len(r.body) > len(invoice), repr(r.status))
        keys_firm = os.path.join(b.data_dir, "tenants", "harbor-law", "keys")
        keys_agency = os.path.join(b.data_dir, "tenants", "northwind", "keys")
        work = tempfile.mkdtemp(dir=b.dir)
        pkg = os.path.join(work, "case.baton")
        with open(pkg, "wb") as f:
            f.write(r.body)
        plain = subprocess.run(["age", "-d", "-i", os.path.join(keys_firm, "age.key"), pkg],
                               capture_output=True, check=True).stdout
        with open(os.path.join(work, "case.tar"), "wb") as f:
            f.write(plain)
        with tarfile.open(os.path.join(work, "case.tar")) as t:
            t.extractall(work, filter="data") if hasattr(tarfile, "data_filter") \
                else t.extractall(work)
        bag = os.path.join(work, "bag")
        subprocess.run(["minisign", "-V", "-H", "-p", os.path.join(keys_agency, "sign.pub"),
                        "-m", os.path.join(bag, "tagmanifest-sha256.txt")],
                       capture_output=True, check=True)
        for m in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
            subprocess.run(["sha256sum", "-c", "--strict", m], cwd=bag, capture_output=True,
                           check=True)
        with open(os.path.join(bag, "data", "documents", "0001.pdf"), "rb") as f:
            h.check(f.read() == invoice, "document differs after the round trip")
        with open(os.path.join(bag, "documents.json"), encoding="utf-8") as f:
            names = [d["name"] for d in json.load(f)["documents"]]
        h.check(names == ["invoice 2025-017.pdf"] + given, repr(names))
        shutil.rmtree(work)

        actions = [e["action"] for e in b.audit_records("northwind")]
        for a in ("document.uploaded", "handoff.sent", "receipt.received"):
            h.check(a in actions, "audit lacks %s: %r" % (a, actions))
        actions = [e["action"] for e in b.audit_records("harbor-law")]
        h.check("handoff.accepted" in actions, repr(actions))
        h.check(b.stop() == 0, "batond did not exit cleanly")


def test_cross_tenant_access_is_refused():
    with h.Batond("handoff-isolation", tenants=tenants(["harbor-law"])).start() as b:
        doc = upload(b, "northwind", "statement.pdf", b"northwind only").json()
        handoff = hand_off(b, docs=[doc["id"]]).json()
        # Another agency cannot see northwind's handoff, package or document.
        for path in ("/v1/handoffs/" + handoff["id"],
                     "/v1/handoffs/%s/package" % handoff["id"]):
            r = b.get(path, token=b.tokens["southbank"])
            h.check(r.status == 404 and r.error_code() == "unknown_handoff", repr(r))
        r = hand_off(b, tenant="southbank", docs=[doc["id"]])
        h.check(r.status == 404 and r.error_code() == "unknown_document", repr(r))
        r = b.get("/v1/handoffs", token=b.tokens["southbank"])
        h.check(r.status == 200 and r.json() == [], repr(r))
        # Kinds: a law firm has no outbox, an agency no inbox.
        r = b.get("/v1/handoffs", token=b.tokens["harbor-law"])
        h.check(r.status == 403, repr(r))
        r = b.get("/v1/inbox", token=b.tokens["northwind"])
        h.check(r.status == 403, repr(r))
        r = upload(b, "harbor-law", "x.pdf", b"x")
        h.check(r.status == 403, repr(r))
        # Only counterparts: northwind may not hand to southbank (an agency,
        # and not listed), and nobody without a token may upload.
        r = hand_off(b, to="southbank")
        h.check(r.status == 403 and r.error_code() == "not_a_counterpart", repr(r))
        r = b.request("PUT", "/v1/documents?name=a.pdf", body=b"x" * 100000)
        h.check(r.status == 401, repr(r))
        r = post_json(b, "/v1/inbox/in_00000000000000000000000000000000/accept",
                      "harbor-law", {})
        h.check(r.status == 404 and r.error_code() == "unknown_inbox_item", repr(r))
        # Names no file may have never reach the disk (given names otherwise
        # travel as given; docs/handoff-packages.md "Document index").
        for name in ("../escape.pdf", "/etc/passwd", "a/../../b", "a\nb", "a\x1bb", ""):
            r = upload(b, "northwind", name, b"x")
            h.check(r.status == 400 and r.error_code() == "invalid_document_name",
                    "%r: %r" % (name, r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


def test_untrusted_sender_gets_a_signed_rejection():
    with h.Batond("handoff-untrusted", tenants=tenants(["harbor-law"])).start() as b:
        r = hand_off(b, tenant="southbank")
        h.check(r.status == 201, repr(r))
        handoff = r.json()
        item = pending(b)[0]
        r = post_json(b, "/v1/inbox/%s/accept" % item["id"], "harbor-law", {})
        h.check(r.status == 422 and r.error_code() == "package_rejected", repr(r))
        h.check(r.json()["result"]["verdict"] == "untrusted-sender", repr(r))
        r = b.get("/v1/handoffs/" + handoff["id"], token=b.tokens["southbank"])
        seen = r.json()
        h.check(seen["status"] == "rejected" and seen["receipt"]["verified"] is True, repr(seen))
        # Declining: northwind's next package is declined with a reason.
        hand_off(b)
        item = pending(b)[0]
        r = post_json(b, "/v1/inbox/%s/reject" % item["id"], "harbor-law",
                      {"reason": "conflict of interest"})
        h.check(r.status == 200 and r.json()["status"] == "rejected", repr(r))
        h.check(b.stop() == 0, "batond did not exit cleanly")


if __name__ == "__main__":
    h.run([
        test_round_trip_with_verified_receipt_and_stock_tools,
        test_cross_tenant_access_is_refused,
        test_untrusted_sender_gets_a_signed_rejection,
    ])
