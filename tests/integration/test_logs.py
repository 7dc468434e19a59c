"""Logs: JSON lines with request ids matching X-Request-Id, and never a
token or an Authorization header, whatever the request."""

import re

import batond_harness as h


def test_request_ids_and_no_secrets():
    with h.Batond("logs").start() as b:
        ids = []
        for tid in ("northwind", "southbank", "harbor-law"):
            r = b.get("/v1/plugins", token=b.tokens[tid])
            ids.append(r.headers["x-request-id"])
        r = b.evaluate("northwind")
        ids.append(r.headers["x-request-id"])
        r = b.evaluate("harbor-law")
        h.check(r.status == 403, repr(r))
        wrong = "bt_" + "Z" * 43
        b.get("/v1/plugins", token=wrong)
        b.get("/v1/plugins", headers={"Authorization": "Basic c2VjcmV0OnNlY3JldA=="})
        b.raw(b"GET /v1/plugins HTTP/1.1\r\nAuthorization: Bearer " + b.tokens["northwind"].encode()
              + b"\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", timeout=3)
        h.check(b.stop() == 0, "exit status")

        text = b.log_text()
        for tid, tok in b.tokens.items():
            h.check(tok not in text, "the token of %s appears in the log" % tid)
            h.check(tok[3:20] not in text, "part of the token of %s appears in the log" % tid)
        h.check(wrong not in text, "a presented (wrong) token appears in the log")
        h.check("c2VjcmV0" not in text, "a Basic credential appears in the log")
        low = text.lower()
        h.check("bearer" not in low and "authorization" not in low,
                "an Authorization header appears in the log")

        lines = b.log_lines()
        h.check(all(not l.get("unparsed") for l in lines), "a log line is not JSON")
        reqs = [l for l in lines if l.get("msg") == "request"]
        h.check(len(reqs) >= 8, "expected an access line per request, got %d" % len(reqs))
        for l in reqs:
            h.check(re.fullmatch(r"[0-9a-f]{16}", l.get("request_id", "")), repr(l))
            for k in ("ts", "level", "status", "duration_us"):
                h.check(k in l, "access line without %s: %r" % (k, l))
        logged = {l["request_id"]: l for l in reqs}
        for rid in ids:
            h.check(rid in logged, "X-Request-Id %s not in the log" % rid)
        h.check(logged[ids[0]]["tenant"] == "northwind" and logged[ids[0]]["route"] ==
                "/v1/plugins", repr(logged[ids[0]]))
        forbidden = [l for l in reqs if l.get("status") == 403]
        h.check(forbidden and forbidden[0]["tenant"] == "harbor-law" and
                forbidden[0]["error"] == "forbidden", repr(forbidden))


if __name__ == "__main__":
    h.run([test_request_ids_and_no_secrets])
