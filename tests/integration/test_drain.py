"""SIGTERM drains: a request in flight when the signal arrives completes
with 200, new connections are refused, and batond exits 0."""

import signal
import socket
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


if __name__ == "__main__":
    h.run([test_sigterm_drains_in_flight_request])
