"""POST /v1/cases/evaluate/batch against a real batond (docs/batch.md):
answers in input order, each line the single endpoint's answer or error for
the same case plus its line number, a summary line; over-long lines; a
connection kept after the batch; a client that stops reading (the server
stops reading too, its memory stays bounded, nothing is lost when the
client reads again); bodies cut short; a tenant whose plugins run
isolated."""

import json
import os
import socket
import time

import batch_client as bc
import batond_harness as h


def one_line(case_bytes):
    """A case as one NDJSON line."""
    return json.dumps(json.loads(case_bytes)).encode() + b"\n"


def case_with(principal=None, case_id=None, drop=None, **fields):
    c = json.loads(h.case_text())
    if principal is not None:
        c["claim"]["principal"]["amount"] = principal
    if case_id is not None:
        c["case_id"] = case_id
    if drop is not None:
        del c[drop]
    c.update(fields)
    return json.dumps(c).encode()


def mixed_lines():
    """(line bytes, expected kind) in input order; None marks a blank line."""
    fraction = json.loads(h.case_text())
    fraction["claim"]["principal"] = {"amount": "12.345", "currency": "GBP"}
    return [
        (case_with("12345.67", "A-1") + b"\n", "ok"),
        (b'{"case_id": \n', "invalid_json"),
        (b"\n", None),
        (case_with(drop="jurisdiction") + b"\n", "invalid_case"),
        (case_with(jurisdiction="de") + b"\n", "no_jurisdiction_plugin"),
        (json.dumps(fraction).encode() + b"\n", "invalid_case"),
        (b"[1, 2]\n", "invalid_case"),
        (b'{"a": "\\u0000"}\n', "invalid_json"),
        (b"   \t \r\n", None),
        (case_with("300.00", "B-2") + b"\r\n", "ok"),
        (case_with("1500.00", "C-3"), "ok"),  # the last line, without a newline
    ]


def test_order_and_each_line_as_the_single_endpoint():
    with h.Batond("batch-mixed").start() as b:
        lines = mixed_lines()
        status, headers, out = bc.run_batch(b.port, b.tokens["northwind"],
                                            [l for l, _ in lines])
        h.check(status == 200 and headers["content-type"] == "application/x-ndjson",
                "%r %r" % (status, headers))
        answers, summary = out[:-1], out[-1]
        expected = [(n + 1, l, kind) for n, (l, kind) in enumerate(lines) if kind is not None]
        h.check(len(answers) == len(expected), "%d answers for %d cases: %r"
                % (len(answers), len(expected), answers))
        for (line_no, body, kind), got in zip(expected, answers):
            h.check(got["line"] == line_no, "answer for line %d says line %r" % (line_no,
                                                                                 got["line"]))
            single = b.evaluate("northwind", body=body.rstrip(b"\r\n"))
            if kind == "ok":
                h.check(single.status == 200, repr(single))
                del got["line"]
                h.check(got == single.json(), "line %d differs from the single endpoint"
                        % line_no)
            else:
                h.check(single.error_code() == kind, "single endpoint: %r" % single)
                h.check(got["status"] == single.status and
                        got["error"] == single.json()["error"],
                        "line %d: %r, the single endpoint: %d %r"
                        % (line_no, got, single.status, single.json()))
        h.check([a["case_id"] for a in answers if "case_id" in a] == ["A-1", "B-2", "C-3"],
                "answers out of order: %r" % answers)
        h.check(summary == {"summary": {"lines": 11, "cases": 9, "ok": 3, "errors": 6}},
                repr(summary))
        b.stop()


def test_each_slot_answers_case_after_case_alike():
    """A batch of more cases than are evaluated at once: each slot's arena
    and answer text serve case after case (valid, invalid, one larger than
    a slot's arena, again valid), and every round answers as the first."""
    big = json.loads(case_with("77.00", "BIG"))
    big["ext"] = {"note": "n" * 50000}
    rounds = 4
    with h.Batond("batch-slots").start() as b:
        lines = [l for l, kind in mixed_lines() if kind is not None]
        lines.insert(3, json.dumps(big).encode() + b"\n")
        lines = [l if l.endswith(b"\n") else l + b"\n" for l in lines]
        status, _, out = bc.run_batch(b.port, b.tokens["northwind"], lines * rounds)
        h.check(status == 200, repr(status))
        answers, summary = out[:-1], out[-1]
        n = len(lines)
        h.check(len(answers) == n * rounds and
                [a["line"] for a in answers] == list(range(1, n * rounds + 1)),
                "lines: %r" % [a.get("line") for a in answers])
        for k, a in enumerate(answers):
            del a["line"]
            h.check(a == answers[k % n], "line %d differs from line %d" % (k + 1, k % n + 1))
        single = b.evaluate("northwind", body=lines[3].rstrip(b"\n"))
        h.check(single.status == 200 and answers[3] == single.json(),
                "the large case: %r" % (single.status,))
        h.check(summary["summary"]["ok"] == 4 * rounds, repr(summary))
        b.stop()


def test_refusals_before_any_case():
    with h.Batond("batch-refusals").start() as b:
        body = one_line(h.case_text())
        status, _, out = bc.run_batch(b.port, b.tokens["northwind"], [body],
                                      content_type="application/json")
        h.check(status == 415 and out[0]["error"]["code"] == "unsupported_media_type",
                "%r %r" % (status, out))
        status, _, out = bc.run_batch(b.port, b.tokens["harbor-law"], [body])
        h.check(status == 403 and out[0]["error"]["code"] == "forbidden", "%r %r" % (status, out))
        status, _, out = bc.run_batch(b.port, "bt_nope", [body])
        h.check(status == 401, "%r %r" % (status, out))
        # no case at all: a summary of nothing
        status, _, out = bc.run_batch(b.port, b.tokens["northwind"], [b"\n\n"])
        h.check(status == 200 and out == [{"summary": {"lines": 2, "cases": 0, "ok": 0,
                                                       "errors": 0}}], repr(out))
        b.stop()


def test_line_too_long_is_that_line_only():
    # the harness's max_body_bytes is 65536: a line as long as the single
    # endpoint's largest body is taken, a longer one refused alone
    with h.Batond("batch-long-line").start() as b:
        big = b'{"x":"' + b"a" * 70000 + b'"}\n'
        good = one_line(h.case_text())
        status, _, out = bc.run_batch(b.port, b.tokens["northwind"], [good, big, good])
        h.check(status == 200, repr(status))
        h.check([o.get("line") for o in out[:3]] == [1, 2, 3], repr(out)[:300])
        h.check(out[1]["status"] == 413 and out[1]["error"]["code"] == "body_too_large" and
                "65536" in out[1]["error"]["message"], repr(out[1]))
        h.check("case_id" in out[0] and "case_id" in out[2], repr(out)[:300])
        h.check(out[3]["summary"]["errors"] == 1 and out[3]["summary"]["ok"] == 2, repr(out[3]))
        b.stop()


def test_connection_serves_on_after_a_batch():
    with h.Batond("batch-keepalive").start() as b:
        c = bc.BatchCall(b.port, b.tokens["northwind"])
        try:
            c.send_lines([one_line(h.case_text())] * 3)
            h.check(c.read_head() == 200, repr(c.status))
            out = list(c.lines())
            h.check(out[-1]["summary"]["ok"] == 3, repr(out[-1]))
            c.thread.join(5)
            c.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            c.headers = {}
            h.check(c.read_head() == 200, "healthz after the batch: %r" % c.status)
        finally:
            c.close()
        b.stop()


def test_http10_client_gets_the_body_until_close():
    with h.Batond("batch-http10").start() as b:
        body = one_line(h.case_text()) * 2
        out = b.raw(("POST %s HTTP/1.0\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/x-ndjson\r\nContent-Length: %d\r\n\r\n"
                     % (bc.PATH, b.tokens["northwind"], len(body))).encode() + body)
        head, _, data = out.partition(b"\r\n\r\n")
        h.check(head.startswith(b"HTTP/1.1 200") and b"Transfer-Encoding" not in head and
                b"Connection: close" in head, repr(head))
        got = [json.loads(l) for l in data.splitlines()]
        h.check([g.get("line") for g in got[:2]] == [1, 2] and got[2]["summary"]["ok"] == 2,
                repr(data[-200:]))
        b.stop()


def test_client_that_stops_reading():
    """The answer is ~3x the input: a client that sends and does not read
    fills the socket buffers, the server stops reading its body (its
    memory stays bounded) and the sender blocks; once the client reads,
    every case is answered, in order."""
    n = 12000
    with h.Batond("batch-stall").start() as b:
        base = h.rss_bytes(b.proc.pid)
        c = bc.BatchCall(b.port, b.tokens["northwind"])
        try:
            c.send_lines([one_line(h.case_text())] * n)
            last, still = -1, 0
            deadline = time.time() + 60
            while still < 3 and time.time() < deadline:
                time.sleep(0.5)
                still = still + 1 if c.sent_bytes == last else 0
                last = c.sent_bytes
            h.check(still >= 3, "the sender never blocked")
            total = n * len(one_line(h.case_text()))
            h.check(c.sent_bytes < total / 2,
                    "sent %d of %d bytes without the answer being read" % (c.sent_bytes, total))
            held = h.rss_bytes(b.proc.pid) - base
            # ASan's quarantine keeps freed memory resident: its build gives
            # a larger margin (tests/integration/CMakeLists.txt)
            margin = int(os.environ.get("BATON_BATCH_RSS_MARGIN_MB", "40"))
            h.check(held < margin << 20, "batond grew by %d MB while the client did not read"
                    % (held >> 20))
            h.check(c.read_head() == 200, repr(c.status))
            seen = 0
            for raw in c.raw_lines():
                o = json.loads(raw)
                if "summary" in o:
                    h.check(o["summary"]["ok"] == n, repr(o))
                    break
                seen += 1
                h.check(o["line"] == seen, "line %r after %d" % (o["line"], seen - 1))
            h.check(seen == n, "%d answers for %d cases" % (seen, n))
        finally:
            c.close()
        b.stop()


def test_bodies_cut_short():
    with h.Batond("batch-cut").start() as b:
        good = one_line(h.case_text())
        # Content-Length promises more than comes, then the client goes
        s = socket.create_connection(("127.0.0.1", b.port), timeout=10)
        s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n"
                   % (bc.PATH, b.tokens["northwind"])).encode() + good * 3 + good[:500])
        time.sleep(0.3)
        s.close()
        # chunked, half a line, then the client closes its sending side: the
        # answers so far arrive, and no summary nor last chunk
        c = bc.BatchCall(b.port, b.tokens["northwind"])
        try:
            c.send_lines([good * 2 + good[:700]], finish=False)
            c.thread.join(5)
            c.sock.shutdown(socket.SHUT_WR)
            h.check(c.read_head() == 200, repr(c.status))
            got = []
            try:
                for o in c.lines():
                    got.append(o)
                h.check(False, "the cut batch ended as if complete: %r" % got[-1:])
            except EOFError:
                pass
            h.check([o.get("line") for o in got] == [1, 2] and
                    all("summary" not in o for o in got), repr(got)[:300])
        finally:
            c.close()
        # the server goes on
        status, _, out = bc.run_batch(b.port, b.tokens["northwind"], [good] * 2)
        h.check(status == 200 and out[-1]["summary"]["ok"] == 2, repr(out[-1:]))
        h.check(b.get("/healthz").status == 200, "healthz")
        h.check(b.proc.poll() is None, "batond died")
        h.check(b.stop() == 0, "batond exit status")


def test_isolated_plugins():
    h.use_build_worker()
    iso = h.tenant("iso-agency", "agency", [
        {"path": "gb-ew.so", "config": {}, "isolated": True},
        {"path": "northwind.so", "config": {}, "isolated": True},
    ])
    with h.Batond("batch-isolated", tenants=[iso]).start() as b:
        lines = []
        for i in range(60):
            if i % 7 == 3:
                lines.append(b"{not json\n")
            elif i % 11 == 5:
                lines.append(case_with(jurisdiction="de") + b"\n")
            else:
                lines.append(case_with("%d.00" % (300 + i), "ISO-%d" % i) + b"\n")
        status, _, out = bc.run_batch(b.port, b.tokens["iso-agency"], lines)
        h.check(status == 200, repr(status))
        h.check([o.get("line") for o in out[:-1]] == list(range(1, 61)), "order: %r"
                % [o.get("line") for o in out[:-1]])
        for i, (body, got) in enumerate(zip(lines, out)):
            single = b.evaluate("iso-agency", body=body.rstrip(b"\n"))
            if single.status == 200:
                del got["line"]
                h.check(got == single.json(), "line %d differs from the single endpoint" % (i + 1))
                h.check(all(p["mode"] == "isolated" for p in got["plugins"]), repr(got["plugins"]))
            else:
                h.check(got["status"] == single.status and got["error"] == single.json()["error"],
                        "line %d: %r vs %r" % (i + 1, got, single.json()))
        h.check(out[-1]["summary"]["cases"] == 60, repr(out[-1]))
        b.stop()


if __name__ == "__main__":
    h.run([
        test_order_and_each_line_as_the_single_endpoint,
        test_refusals_before_any_case,
        test_line_too_long_is_that_line_only,
        test_connection_serves_on_after_a_batch,
        test_http10_client_gets_the_body_until_close,
        test_client_that_stops_reading,
        test_bodies_cut_short,
        test_isolated_plugins,
    ])
