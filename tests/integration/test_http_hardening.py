"""batond's HTTP hardening (issue 8 items 9 and 13), against a real batond
over real sockets:

- every route authenticates at the headers: a missing or bad token gets 401
  before any body byte is read, and the connection closes;
- two Authorization headers are 400, whichever tokens they carry;
- a Transfer-Encoding other than exactly "chunked", and a TE offering
  anything but "trailers", are refused;
- a body must keep a minimum average rate (one byte now and then does not
  hold a connection) and a buffered body has a total deadline;
- HEAD answers where GET does, with the GET answer's headers and no body;
- running out of file descriptors is logged (at most once a second), does
  not spin, and accepting resumes once descriptors are free.
"""

import os
import resource
import socket
import time

import batond_harness as h


def head_of(b, tok=None, extra="", length=900000):
    auth = "Authorization: Bearer %s\r\n" % tok if tok else ""
    return ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n%s%s\r\n" % (length, auth, extra)).encode()


def read_until_eof(s, timeout):
    """What the server sends until it closes (b"" parts), or the timeout."""
    s.settimeout(timeout)
    got = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            b = s.recv(65536)
        except socket.timeout:
            return got, False
        if not b:
            return got, True
        got += b
    return got, False


def test_unauthenticated_is_refused_at_the_headers():
    with h.Batond("hard-auth").start() as b:
        for name, tok in (("none", None), ("unknown", "bt_" + "A" * 43)):
            # announces 900 kB and sends none of it: the answer cannot wait
            # for the body
            for head in (head_of(b, tok),
                         ("PUT /v1/documents?case_id=C-1&name=a.pdf HTTP/1.1\r\nHost: x\r\n"
                          "Content-Length: 900000\r\n%s\r\n"
                          % ("Authorization: Bearer %s\r\n" % tok if tok else "")).encode()):
                s = socket.create_connection(("127.0.0.1", b.port), timeout=5)
                t0 = time.time()
                s.sendall(head)
                got, closed = read_until_eof(s, 5)
                s.close()
                h.check(h.status_line(got) == 401, "%s: answered %r" % (name, got[:120]))
                h.check(closed, "%s: the connection stayed open after the 401" % name)
                h.check(b"Connection: close" in got, "%s: no Connection: close" % name)
                h.check(time.time() - t0 < 2, "%s: the 401 took %.1f s" % (name, time.time() - t0))
        # an authenticated request still works, on a kept-alive connection
        h.check(b.evaluate("northwind").status == 200, "evaluate with a token")
        b.stop()


def test_two_authorization_headers_are_400():
    with h.Batond("hard-dup").start() as b:
        nw, sb = b.tokens["northwind"], b.tokens["southbank"]
        for first, second in ((nw, sb), (nw, nw), (sb, "bt_" + "A" * 43)):
            req = ("GET /v1/plugins HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Authorization: Bearer %s\r\n\r\n" % (first, second)).encode()
            out = b.raw(req, timeout=5)
            h.check(h.status_line(out) == 400, "two Authorization headers answered %r" % out[:120])
            h.check(b"more than one Authorization header" in out, repr(out[:300]))
        # one header is fine
        r = b.get("/v1/plugins", token=sb)
        h.check(r.status == 200 and r.json()["tenant"] == "southbank", repr(r))
        b.stop()


def test_transfer_codings_other_than_chunked_are_refused():
    with h.Batond("hard-te").start() as b:
        tok = b.tokens["northwind"]
        body = h.case_text()
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)

        def send(extra, payload):
            req = ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\n%s\r\n" % (tok, extra)).encode() + payload
            return b.raw(req, timeout=5)

        refused = [
            ("Transfer-Encoding: identity, chunked\r\n", chunked),
            ("Transfer-Encoding: chunked, chunked\r\n", chunked),
            ("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunked),
            ("Transfer-Encoding: gzip\r\n", chunked),
            ("Transfer-Encoding: identity\r\nContent-Length: %d\r\n" % len(body), body),
            ("TE: identity, chunked\r\nTransfer-Encoding: chunked\r\n", chunked),
            ("TE: gzip\r\nContent-Length: %d\r\n" % len(body), body),
        ]
        for extra, payload in refused:
            out = send(extra, payload)
            h.check(h.status_line(out) == 400, "%r answered %r" % (extra, out[:120]))
            h.check(b"Connection: close" in out, "%r: no Connection: close" % extra)
        accepted = [
            ("Transfer-Encoding: chunked\r\n", chunked),
            ("Transfer-Encoding:  Chunked \r\n", chunked),
            ("TE: trailers\r\nContent-Length: %d\r\n" % len(body), body),
        ]
        for extra, payload in accepted:
            out = send(extra + "Connection: close\r\n", payload)
            h.check(h.status_line(out) == 200, "%r answered %r" % (extra, out[:200]))
        b.stop()


def trickle(s, piece, gap, limit):
    """Sends piece every gap seconds until the server answers and closes, or
    limit seconds passed: (what came back, closed, seconds taken)."""
    t0 = time.time()
    got, closed = b"", False
    s.settimeout(gap)
    while time.time() - t0 < limit:
        try:
            s.sendall(piece)
        except OSError:
            break
        try:
            part = s.recv(65536)
            if not part:
                closed = True
                break
            got += part
        except socket.timeout:
            pass
    took = time.time() - t0
    if not closed:
        rest, closed = read_until_eof(s, 3)
        got += rest
    return got, closed, took


def test_slow_body_is_cut_by_the_minimum_rate():
    cfg = {"limits": {"body_timeout_ms": 2000, "body_min_rate": 100,
                      "body_deadline_ms": 60000, "header_timeout_ms": 5000}}
    with h.Batond("hard-rate", config=cfg).start() as b:
        s = socket.create_connection(("127.0.0.1", b.port), timeout=10)
        s.sendall(head_of(b, b.tokens["northwind"], length=5000))
        # one byte every 0.5 s: never a 2 s gap, far below 100 bytes/s
        got, closed, took = trickle(s, b" ", 0.5, 8)
        s.close()
        h.check(h.status_line(got) == 408, "a trickled body answered %r" % got[:120])
        h.check(b"too slowly" in got, repr(got[:300]))
        h.check(closed, "the connection stayed open after the 408")
        h.check(took < 4.5, "the trickle was cut after %.1f s (grace 2 s)" % took)
        h.check(b.evaluate("northwind").status == 200, "still serving")
        b.stop()


def test_buffered_body_has_a_total_deadline():
    cfg = {"limits": {"body_timeout_ms": 1000, "body_min_rate": 100,
                      "body_deadline_ms": 3000, "header_timeout_ms": 5000}}
    with h.Batond("hard-deadline", config=cfg).start() as b:
        s = socket.create_connection(("127.0.0.1", b.port), timeout=10)
        s.sendall(head_of(b, b.tokens["northwind"], length=60000))
        # 50 bytes every 0.2 s = 250 bytes/s: above the rate, never a gap
        got, closed, took = trickle(s, b" " * 50, 0.2, 8)
        s.close()
        h.check(h.status_line(got) == 408, "a body past its deadline answered %r" % got[:120])
        h.check(b"took too long in total" in got, repr(got[:300]))
        h.check(closed, "the connection stayed open after the 408")
        h.check(2.5 < took < 5, "the deadline (3 s) came after %.1f s" % took)
        b.stop()


def test_head_answers_where_get_does():
    with h.Batond("hard-head").start() as b:
        tok = b.tokens["northwind"]
        for path, token in (("/healthz", None), ("/metrics", None), ("/v1/plugins", tok),
                            ("/v1/handoffs", tok)):
            g = b.get(path, token=token)
            c = b.connect()
            hd = {"Authorization": "Bearer " + token} if token else {}
            c.request("HEAD", path, headers=hd)
            r = c.getresponse()
            body = r.read()
            h.check(r.status == g.status == 200, "HEAD %s: %d, GET %d" % (path, r.status, g.status))
            h.check(body == b"", "HEAD %s carried a body" % path)
            h.check(r.getheader("Content-Type") == g.headers["content-type"],
                    "HEAD %s: Content-Type %r" % (path, r.getheader("Content-Type")))
            if path != "/metrics":  # the metrics text changes between calls
                h.check(int(r.getheader("Content-Length")) == len(g.body),
                        "HEAD %s: Content-Length %r, GET body %d bytes"
                        % (path, r.getheader("Content-Length"), len(g.body)))
            # the connection goes on: HEAD framing did not confuse it
            c.request("GET", "/healthz")
            h.check(c.getresponse().read() != b"", "GET after HEAD on one connection")
            c.close()
        # HEAD needs a token where GET does
        c = b.connect()
        c.request("HEAD", "/v1/plugins")
        h.check(c.getresponse().status == 401, "HEAD /v1/plugins without a token")
        c.close()
        b.stop()


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def test_out_of_descriptors_is_logged_and_does_not_spin():
    limit = 96

    def low_nofile():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    with h.Batond("hard-emfile", config={"log_requests": False}).start(preexec_fn=low_nofile) as b:
        held = []
        for _ in range(limit + 40):
            try:
                held.append(socket.create_connection(("127.0.0.1", b.port), timeout=2))
            except OSError:
                break
        time.sleep(1.0)
        cpu0 = cpu_seconds(b.proc.pid)
        time.sleep(2.0)
        spent = cpu_seconds(b.proc.pid) - cpu0
        h.check(spent < 0.5, "batond used %.2f s of CPU in 2 s while out of descriptors" % spent)
        lines = [l for l in b.log_lines() if l.get("event") == "accept_failed"]
        h.check(lines, "no accept_failed line in the log:\n" + b.log_text()[-2000:])
        h.check("too many open files" in lines[0].get("reason", "").lower(), repr(lines[0]))
        h.check(len(lines) <= 6, "%d accept_failed lines in ~3 s: not rate-limited" % len(lines))
        for s in held:
            s.close()
        # descriptors are free again: accepting resumes within the backoff
        ok = h.wait_for(lambda: b.get("/healthz").status == 200, 5)
        h.check(ok, "batond does not accept again once descriptors are free")
        h.check(b.stop() == 0, "exit status after running out of descriptors")


if __name__ == "__main__":
    h.run([test_unauthenticated_is_refused_at_the_headers, test_two_authorization_headers_are_400,
           test_transfer_codings_other_than_chunked_are_refused,
           test_slow_body_is_cut_by_the_minimum_rate, test_buffered_body_has_a_total_deadline,
           test_head_answers_where_get_does, test_out_of_descriptors_is_logged_and_does_not_spin])
