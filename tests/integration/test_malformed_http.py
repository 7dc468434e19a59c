"""Malformed HTTP at the daemon level: each bad request gets the right
status and error code, and the server keeps serving afterwards."""

import json
import socket
import time

import batond_harness as h


def still_serving(b, what):
    r = b.get("/healthz")
    h.check(r.status == 200, "after %s, /healthz answered %r" % (what, r))
    r = b.evaluate("northwind")
    h.check(r.status == 200, "after %s, evaluate answered %r" % (what, r))


def body_json(raw):
    return json.loads(raw.split(b"\r\n\r\n", 1)[1])


def test_bad_request_line():
    with h.Batond("mal-line").start() as b:
        for req in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/1.1 extra\r\n\r\n",
                    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"):
            out = b.raw(req, timeout=3)
            h.check(h.status_line(out) == 400, "%r answered %r" % (req, out[:80]))
            h.check(body_json(out)["error"]["code"] == "bad_request", repr(out))
            still_serving(b, repr(req))
        b.stop()


def test_oversized_headers_431():
    with h.Batond("mal-431").start() as b:
        req = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n"
        out = b.raw(req, timeout=5)
        h.check(h.status_line(out) == 431, "oversized headers answered %r" % out[:80])
        h.check(body_json(out)["error"]["code"] == "headers_too_large", repr(out))
        still_serving(b, "oversized headers")
        b.stop()


def test_truncated_body():
    with h.Batond("mal-trunc").start() as b:
        tok = b.tokens["northwind"]
        head = ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: 2000\r\n\r\n" % tok).encode()
        s = socket.create_connection(("127.0.0.1", b.port), timeout=5)
        s.sendall(head + h.case_text()[:300])
        s.shutdown(socket.SHUT_WR)  # the client stops sending mid-body
        got = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        except socket.timeout:
            pass
        s.close()
        h.check(h.status_line(got) in (None, 400, 408),
                "a truncated body must not be evaluated; got %r" % got[:80])
        still_serving(b, "a truncated body")
        b.stop()


def test_invalid_json_400():
    with h.Batond("mal-json").start() as b:
        r = b.evaluate("northwind", body=b'{\n  "case_id": "X",\n  "claim": {,}\n}')
        h.check(r.status == 400 and r.error_code() == "invalid_json", repr(r))
        msg = r.json()["error"]["message"]
        h.check("line 3" in msg and "column" in msg and "offset" in msg, msg)
        r = b.evaluate("northwind", body=b"")
        h.check(r.status == 400 and r.error_code() == "invalid_json", repr(r))
        r = b.evaluate("northwind", body=b'{"a":1} trailing')
        h.check(r.status == 400 and r.error_code() == "invalid_json", repr(r))
        r = b.evaluate("northwind", body=b'{"a":1}\x00{"b":2}')
        h.check(r.status == 400 and r.error_code() == "invalid_json", repr(r))
        r = b.evaluate("northwind", body=b'[1, 2, 3]')
        h.check(r.status == 400 and r.error_code() == "invalid_case", repr(r))
        still_serving(b, "invalid JSON")
        b.stop()


def test_wrong_content_type_415():
    with h.Batond("mal-415").start() as b:
        for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx", None):
            hdrs = {"Content-Type": ct} if ct else {}
            r = b.request("POST", "/v1/cases/evaluate", body=h.case_text(),
                          token=b.tokens["northwind"], headers=hdrs)
            h.check(r.status == 415 and r.error_code() == "unsupported_media_type",
                    "%r: %r" % (ct, r))
        r = b.evaluate("northwind", headers={"Content-Type": "application/json; charset=utf-8"})
        h.check(r.status == 200, "json with charset: %r" % r)
        still_serving(b, "a wrong content type")
        b.stop()


def test_body_too_large_413():
    with h.Batond("mal-413").start() as b:
        big = b'{"pad":"' + b"x" * 70000 + b'"}'
        try:
            r = b.evaluate("northwind", body=big)
            h.check(r.status == 413 and r.error_code() == "body_too_large", repr(r))
        except (ConnectionResetError, BrokenPipeError):
            # The server may answer and close before the client finished
            # sending; check with a raw request that only declares the size.
            pass
        head = ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Authorization: Bearer %s\r\nContent-Length: 70000\r\n\r\n"
                % b.tokens["northwind"]).encode()
        out = b.raw(head, timeout=5)
        h.check(h.status_line(out) == 413, "declared oversize body answered %r" % out[:80])
        still_serving(b, "a body too large")
        b.stop()


def test_bad_chunked_and_version():
    with h.Batond("mal-misc").start() as b:
        # authenticated: a request without a token is refused at its headers
        out = b.raw(b"POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    b"Authorization: Bearer " + b.tokens["northwind"].encode() +
                    b"\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", timeout=3)
        h.check(h.status_line(out) == 400, "bad chunk size answered %r" % out[:80])
        out = b.raw(b"GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", timeout=3)
        h.check(h.status_line(out) in (400, 505), "HTTP/2.0 request line answered %r" % out[:80])
        still_serving(b, "bad chunking and version")
        b.stop()


def test_pipelined_requests_in_order():
    with h.Batond("mal-pipe").start() as b:
        tok = b.tokens["southbank"]
        req = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
               b"GET /v1/plugins HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok.encode() +
               b"\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        out = b.raw(req, timeout=5)
        codes = [int(part[:3]) for part in out.split(b"HTTP/1.1 ")[1:] if part[:3].isdigit()]
        h.check(codes == [200, 200, 404], "pipelined answers %r" % codes)
        still_serving(b, "pipelining")
        b.stop()


if __name__ == "__main__":
    h.run([test_bad_request_line, test_oversized_headers_431, test_truncated_body,
           test_invalid_json_400, test_wrong_content_type_415, test_body_too_large_413,
           test_bad_chunked_and_version, test_pipelined_requests_in_order])
