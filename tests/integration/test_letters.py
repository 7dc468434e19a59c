"""POST /v1/letters and GET /v1/letters end to end: a real batond with the
in-tree gb-ew and northwind plugins (configured as shipped in
docs/plugins/), letters rendered as PDF, HTML and text, read back (the PDF
with poppler's pdftotext), each one in the audit log with its hash, every
error code of the letters API, access by tenant kind, and the event loop
staying responsive while PDFs render in the thread pool."""

import hashlib
import json
import os
import subprocess
import tempfile
import threading
import time

import batond_harness as h


def src(*parts):
    return os.path.join(h.args().source_dir, *parts)


def load(*parts):
    with open(src(*parts)) as f:
        return json.load(f)


def tenants():
    return [
        h.tenant("northwind", "agency", [
            {"path": "gb-ew.so", "config": load("docs", "plugins", "gb-ew.config.json")},
            {"path": "northwind.so", "config": load("docs", "plugins", "northwind.config.json")},
        ]),
        h.tenant("southbank", "agency", ["gb-ew"]),
        h.tenant("harbor-law", "lawfirm", []),
    ]


CASE = None


def case():
    global CASE
    if CASE is None:
        CASE = load("tests", "cases", "gb-ew-consumer-pap-waiting.json")
    return CASE


def post(b, body, tenant="northwind", **kw):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return b.request("POST", "/v1/letters", body=data, token=b.tokens.get(tenant, tenant),
                     headers={"Content-Type": "application/json"}, **kw)


def pdftotext(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], check=True,
                              capture_output=True, text=True).stdout


def test_letter_of_claim_as_pdf_html_and_text():
    with h.Batond("letters", tenants=tenants()).start() as b:
        r = post(b, {"kind": "letter_of_claim", "format": "pdf", "case": case()})
        h.check(r.status == 200, repr(r))
        h.check(r.headers["content-type"] == "application/pdf", repr(r.headers))
        h.check(r.body.startswith(b"%PDF-"), "not a PDF")
        h.check('filename="NW-2025-00502-letter_of_claim.pdf"' in
                r.headers.get("content-disposition", "") or
                "letter_of_claim.pdf" in r.headers.get("content-disposition", ""),
                repr(r.headers))
        text = " ".join(pdftotext(r.body).split())
        for want in ("Northwind Credit Management Ltd", "Letter of Claim", "£2,860.00",
                     "Information Sheet", "Reply Form", "Financial Statement"):
            h.check(want in text, "PDF lacks %r" % want)
        # The letterhead comes first.
        h.check(text.index("Northwind Credit Management Ltd") < text.index("Letter of Claim"),
                "letterhead is not on top")

        r = post(b, {"kind": "letter_of_claim", "format": "html", "case": case()})
        h.check(r.status == 200 and r.headers["content-type"] == "text/html; charset=utf-8",
                repr(r))
        html = r.body.decode("utf-8")
        h.check("<!DOCTYPE html>" in html and "£2,860.00" in html and "<script" not in html,
                html[:300])

        r = post(b, {"kind": "reminder", "format": "text", "case": case()})
        h.check(r.status == 200 and r.headers["content-type"] == "text/plain; charset=utf-8",
                repr(r))
        h.check(r.body.decode("utf-8").startswith("Northwind Credit Management Ltd\n"),
                r.body[:200])
        reminder_sha = hashlib.sha256(r.body).hexdigest()

        # Every letter handed out is in the tenant's audit log, with the hash
        # of exactly the document sent.
        letters = [e for e in reversed(b.audit_records("northwind"))
                   if e["action"] == "letter.rendered"]
        h.check(len(letters) == 3, "expected 3 letter.rendered events: %r" % letters)
        newest = letters[0]
        detail = newest["detail"] if isinstance(newest["detail"], dict) else \
            json.loads(newest["detail"])
        h.check(newest["subject"] == case()["case_id"] and detail["kind"] == "reminder" and
                detail["format"] == "text" and detail["sha256"] == reminder_sha, repr(newest))
        b.stop()


def test_kinds_list():
    with h.Batond("letters-list", tenants=tenants()).start() as b:
        r = b.get("/v1/letters", token=b.tokens["northwind"])
        h.check(r.status == 200, repr(r))
        kinds = sorted(k["kind"] for k in r.json()["letters"])
        h.check(kinds == ["final_demand", "letter_of_claim", "reminder"], repr(kinds))
        r = b.get("/v1/letters?jurisdiction=us-ca", token=b.tokens["southbank"])
        h.check(r.status == 200 and r.json()["letters"] == [], repr(r))
        b.stop()


def test_errors():
    with h.Batond("letters-errors", tenants=tenants()).start() as b:
        good = {"kind": "letter_of_claim", "format": "text", "case": case()}
        cases = [
            (b"{not json", 400, "invalid_json"),
            (b"[1,2]", 400, "invalid_request"),
            (dict(good, kind=7), 400, "invalid_request"),
            ({"kind": "reminder", "format": "text"}, 400, "invalid_request"),
            (dict(good, format="docx"), 400, "invalid_format"),
            (dict(good, kind="letterhead"), 400, "invalid_letter_kind"),
            (dict(good, kind="Bad Kind"), 400, "invalid_letter_kind"),
            (dict(good, kind="first_demand"), 404, "unknown_letter_kind"),
        ]
        bad_case = dict(case())
        del bad_case["claim"]
        cases.append((dict(good, case=bad_case), 400, "invalid_case"))
        for body, status, code in cases:
            r = post(b, body)
            h.check(r.status == status and r.error_code() == code,
                    "%r -> %r (wanted %d %s)" % (body if isinstance(body, bytes) else
                                                 {k: v for k, v in body.items() if k != "case"},
                                                 r, status, code))
        # southbank has gb-ew but no agency: no reminder, and no letterhead.
        r = post(b, dict(good, kind="reminder"), tenant="southbank")
        h.check(r.status == 404 and r.error_code() == "unknown_letter_kind", repr(r))
        r = post(b, good, tenant="southbank")
        h.check(r.status == 200 and b"Northwind" not in r.body, repr(r))
        # The body must be declared as JSON.
        r = b.request("POST", "/v1/letters", body=json.dumps(good).encode(),
                      token=b.tokens["northwind"], headers={"Content-Type": "text/plain"})
        h.check(r.status == 415 and r.error_code() == "unsupported_media_type", repr(r))
        # A law firm may not render letters; nobody without a token.
        r = post(b, good, tenant="harbor-law")
        h.check(r.status == 403, repr(r))
        r = b.request("POST", "/v1/letters", body=json.dumps(good).encode())
        h.check(r.status == 401, repr(r))
        b.stop()


def test_loop_answers_while_pdfs_render():
    with h.Batond("letters-loop", tenants=tenants()).start() as b:
        body = {"kind": "letter_of_claim", "format": "pdf", "case": case()}
        # Warm the thread pool's font setup once.
        h.check(post(b, body).status == 200, "warm-up")
        results = []

        def render():
            t = time.time()
            r = post(b, body)
            results.append((r.status, time.time() - t, r.body[:200] if r.status != 200 else b""))

        threads = [threading.Thread(target=render) for _ in range(12)]
        t0 = time.time()
        for t in threads:
            t.start()
        time.sleep(0.005)
        health = []
        for _ in range(5):
            t = time.time()
            r = b.get("/healthz")
            health.append(time.time() - t)
            h.check(r.status == 200, repr(r))
        for t in threads:
            t.join()
        batch = time.time() - t0
        h.check(all(s == 200 for s, _, _ in results), repr(results))
        # The loop is never blocked by rendering: each health check takes far
        # less than the batch of renders it overlapped.
        h.check(max(health) < batch / 2,
                "healthz took %.3fs while 12 PDFs took %.3fs" % (max(health), batch))
        print("  12 PDFs in %.3fs; healthz meanwhile max %.1f ms" % (batch, max(health) * 1e3))
        b.stop()


if __name__ == "__main__":
    h.run([test_letter_of_claim_as_pdf_html_and_text, test_kinds_list, test_errors,
           test_loop_answers_while_pdfs_render])
