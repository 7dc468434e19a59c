"""batch_client - talks to POST /v1/cases/evaluate/batch over a raw socket,
sending the body (chunked) from one thread while reading the streamed
answer in another, as a client of a long batch must (docs/batch.md).
Python standard library only."""

import json
import socket
import threading

PATH = "/v1/cases/evaluate/batch"


class BatchCall:
    """One batch request on its own connection. send_lines() runs in a
    thread; the answer is read with lines() (a generator of parsed NDJSON
    lines) or read_head() plus body_pieces()."""

    def __init__(self, port, token, content_type="application/x-ndjson", timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.token = token
        self.content_type = content_type
        self.sent_bytes = 0
        self.send_error = None
        self.buf = bytearray()
        self.status = None
        self.headers = {}
        self.thread = None

    def head(self, extra=""):
        return ("POST %s HTTP/1.1\r\nHost: batond\r\nAuthorization: Bearer %s\r\n"
                "Content-Type: %s\r\nTransfer-Encoding: chunked\r\n%s\r\n"
                % (PATH, self.token, self.content_type, extra)).encode()

    def _send(self, pieces, finish):
        try:
            self.sock.sendall(self.head())
            batch = []
            size = 0
            for p in pieces:
                batch.append(p)
                size += len(p)
                if size >= 65536:
                    self._send_chunk(b"".join(batch))
                    batch, size = [], 0
            if batch:
                self._send_chunk(b"".join(batch))
            if finish:
                self.sock.sendall(b"0\r\n\r\n")
        except OSError as e:
            self.send_error = e

    def _send_chunk(self, data):
        self.sock.sendall(b"%x\r\n" % len(data) + data + b"\r\n")
        self.sent_bytes += len(data)

    def send_lines(self, pieces, finish=True):
        """Sends pieces (bytes, each one or more whole lines) in a thread."""
        self.thread = threading.Thread(target=self._send, args=(pieces, finish), daemon=True)
        self.thread.start()
        return self

    def _recv(self):
        b = self.sock.recv(1 << 20)
        if not b:
            raise EOFError("the connection closed")
        self.buf += b

    def read_head(self):
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        head, rest = bytes(self.buf).split(b"\r\n\r\n", 1)
        self.buf = bytearray(rest)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split(" ")[1])
        for l in lines[1:]:
            k, v = l.split(":", 1)
            self.headers[k.strip().lower()] = v.strip()
        return self.status

    def body_pieces(self):
        """The answer body's data as it arrives (chunked decoded); raises
        EOFError when the connection ends before the last chunk."""
        if self.headers.get("transfer-encoding") != "chunked":
            n = int(self.headers.get("content-length", "0"))
            while len(self.buf) < n:
                self._recv()
            data = bytes(self.buf[:n])
            del self.buf[:n]
            yield data
            return
        while True:
            while b"\r\n" not in self.buf:
                self._recv()
            i = self.buf.index(b"\r\n")
            size = int(bytes(self.buf[:i]), 16)
            need = i + 2 + size + 2
            while len(self.buf) < need:
                self._recv()
            data = bytes(self.buf[i + 2:i + 2 + size])
            del self.buf[:need]
            if size == 0:
                return
            yield data

    def raw_lines(self):
        """The answer's lines (bytes, without newline), as they arrive."""
        pending = b""
        for data in self.body_pieces():
            pending += data
            *whole, pending = pending.split(b"\n")
            for l in whole:
                yield l
        if pending:
            yield pending

    def lines(self):
        for l in self.raw_lines():
            yield json.loads(l)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def run_batch(port, token, body_lines, **kw):
    """Sends lines (bytes each, newline included) and returns (status,
    headers, [parsed answer lines])."""
    c = BatchCall(port, token, **kw)
    try:
        c.send_lines(body_lines)
        status = c.read_head()
        out = list(c.lines()) if status == 200 else [json.loads(b"".join(c.body_pieces()))]
        return status, c.headers, out
    finally:
        c.close()
