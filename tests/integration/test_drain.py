"""SIGTERM drains: a request in flight when the signal arrives completes
with 200, new connections are refused, and batond exits 0. The drain is
bounded (limits.drain_timeout_ms): a trickling client cannot keep it going.
Busy keep-alive clients see no reset: the last answer says Connection:
close, and a request sent after the drain began meets a clean end of the
connection."""

import errno
import signal
import socket
import threading
import time

import batond_harness as h


def test_sigterm_drains_in_flight_request():
    with h.Batond("drain").start() as b:
        body = h.case_text()
        head = ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (b.tokens["northwind"], len(body))).encode()
        idle = socket.create_connection(("127.0.0.1", b.port), timeout=10)
        idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        h.check(b"200 OK" in idle.recv(65536), "idle keep-alive connection")

        slow = socket.create_connection(("127.0.0.1", b.port), timeout=10)
        slow.sendall(head + body[:500])  # the request is now in flight
        time.sleep(0.2)
        b.signal(signal.SIGTERM)
        time.sleep(0.5)
        h.check(b.proc.poll() is None, "batond exited with a request in flight")
        refused = False
        try:
            c = socket.create_connection(("127.0.0.1", b.port), timeout=2)
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            refused = c.recv(100) == b""
            c.close()
        except OSError:
            refused = True
        h.check(refused, "a new connection was served while draining")
        h.check(idle.recv(100) == b"", "the idle keep-alive connection was not closed")

        slow.sendall(body[500:])
        got = b""
        while True:
            chunk = slow.recv(65536)
            if not chunk:
                break
            got += chunk
        h.check(got.startswith(b"HTTP/1.1 200"), "in-flight request answered %r" % got[:100])
        h.check(b'"court_fee"' in got, "the in-flight evaluation is incomplete")
        rc = b.proc.wait(timeout=20)
        h.check(rc == 0, "exit status %r after drain" % rc)
        msgs = [l.get("msg") for l in b.log_lines()]
        h.check("stopped" in msgs, "no 'stopped' line: %r" % msgs[-5:])
        b.log_file.close()
        b.proc = None


def test_trickling_client_cannot_hold_the_drain():
    # the rate rules would let this trickle go on for minutes: only the
    # drain deadline ends it
    cfg = {"limits": {"drain_timeout_ms": 2000, "body_timeout_ms": 30000, "body_min_rate": 1,
                      "body_deadline_ms": 600000}}
    with h.Batond("drain-trickle", config=cfg).start() as b:
        body = h.case_text()
        head = ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                % (b.tokens["northwind"], len(body))).encode()
        s = socket.create_connection(("127.0.0.1", b.port), timeout=10)
        s.sendall(head + body[:10])
        stop = threading.Event()

        def trickle():
            i = 10
            while not stop.is_set() and i < len(body):
                try:
                    s.sendall(body[i:i + 1])
                except OSError:
                    return
                i += 1
                time.sleep(0.5)

        t = threading.Thread(target=trickle)
        t.start()
        time.sleep(1)
        t0 = time.time()
        b.signal(signal.SIGTERM)
        try:
            rc = b.proc.wait(timeout=15)
        finally:
            stop.set()
            t.join()
            s.close()
        took = time.time() - t0
        h.check(rc == 0, "exit status %r" % rc)
        h.check(took < 4.5, "the drain took %.1f s with drain_timeout_ms 2000" % took)
        b.log_file.close()
        b.proc = None


def read_response(s, buf):
    """One answer from s: (status, headers text, rest of buf), or None at a
    clean end of the connection. A reset raises."""
    while b"\r\n\r\n" not in buf:
        part = s.recv(65536)
        if not part:
            return None, buf
        buf += part
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        part = s.recv(65536)
        if not part:
            raise AssertionError("the connection ended inside an answer")
        rest += part
    return (int(head.split(b" ", 2)[1]), head.decode("latin-1")), rest[length:]


def test_busy_keepalive_clients_see_no_reset():
    n = 16
    with h.Batond("drain-busy").start() as b:
        tok = b.tokens["northwind"]
        body = h.case_text()
        reqs = [b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
                ("POST /v1/cases/evaluate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                 % (tok, len(body))).encode() + body]
        results = [None] * n
        go = threading.Event()

        def client(k):
            r = {"answers": 0, "resets": 0, "closes": 0, "last_close": False, "errors": []}
            results[k] = r
            s = socket.create_connection(("127.0.0.1", b.port), timeout=20)
            buf = b""
            i = k
            go.wait()
            try:
                while True:
                    s.sendall(reqs[i % 2])
                    i += 1
                    got, buf = read_response(s, buf)
                    if got is None:
                        break  # a clean end after a request the drain did not read
                    status, head = got
                    if status != 200:
                        r["errors"].append(status)
                    r["answers"] += 1
                    if "Connection: close" in head:
                        r["last_close"] = True
                        got, buf = read_response(s, buf)
                        h.check(got is None, "an answer after Connection: close")
                        break
            except (ConnectionResetError, BrokenPipeError) as e:
                r["resets"] += 1
                r["errors"].append(repr(e))
            except OSError as e:
                if e.errno == errno.ECONNRESET:
                    r["resets"] += 1
                r["errors"].append(repr(e))
            finally:
                s.close()

        threads = [threading.Thread(target=client, args=(k,)) for k in range(n)]
        for t in threads:
            t.start()
        go.set()
        time.sleep(1.0)
        b.signal(signal.SIGTERM)
        for t in threads:
            t.join(30)
        rc = b.proc.wait(timeout=30)
        b.log_file.close()
        b.proc = None
        resets = sum(r["resets"] for r in results)
        h.check(resets == 0, "%d of %d busy connections were reset: %r"
                % (resets, n, [r["errors"] for r in results if r["errors"]]))
        h.check(all(r["answers"] > 0 for r in results), "a client got no answer: %r" % results)
        h.check(not any(r["errors"] for r in results), "errors: %r" % results)
        h.check(rc == 0, "exit status %r" % rc)


if __name__ == "__main__":
    h.run([test_sigterm_drains_in_flight_request, test_trickling_client_cannot_hold_the_drain,
           test_busy_keepalive_clients_see_no_reset])
