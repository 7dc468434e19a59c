"""A 1 GiB document upload streams to disk: batond's peak memory stays
bounded (well under 64 MiB above what it used before) and the stored
SHA-256 matches what was sent. Label "scale": not run under ASan."""

import hashlib
import os
import urllib.parse

import batond_harness as h

SIZE = 1 << 30
BLOCK = 1 << 20


class Pattern:
    """A 1 GiB body produced block by block, hashed as it is sent."""

    def __init__(self, size):
        self.left = size
        self.hash = hashlib.sha256()
        self.block = bytes(range(256)) * (BLOCK // 256)
        self.n = 0

    def read(self, want=-1):
        if self.left == 0:
            return b""
        n = min(self.left, BLOCK if want is None or want < 0 else min(want, BLOCK))
        # vary each block so a stuck or repeated chunk changes the digest
        self.n += 1
        data = self.n.to_bytes(8, "big") + self.block[8:n] if n >= 8 else self.block[:n]
        self.left -= len(data)
        self.hash.update(data)
        return data


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM for %d" % pid)


def test_one_gib_upload_with_bounded_memory():
    tenants = [h.tenant("northwind", "agency", ["gb-ew"])]
    with h.Batond("upload-1gib", tenants=tenants).start() as b:
        before = peak_rss_kib(b.proc.pid)
        body = Pattern(SIZE)
        conn = b.connect(timeout=300)
        conn.blocksize = BLOCK
        path = "/v1/documents?name=" + urllib.parse.quote("ledger export 2025.csv")
        r = b.request("PUT", path, body=body, token=b.tokens["northwind"], conn=conn,
                      headers={"Content-Length": str(SIZE),
                               "Content-Type": "application/octet-stream"})
        conn.close()
        h.check(r.status == 201, repr(r))
        doc = r.json()
        h.check(doc["size"] == SIZE, repr(doc))
        h.check(doc["sha256"] == body.hash.hexdigest(), "digest differs: %r" % doc)
        stored = os.path.join(b.data_dir, "tenants", "northwind", "documents", doc["id"])
        h.check(os.path.getsize(stored) == SIZE, "stored size differs")
        after = peak_rss_kib(b.proc.pid)
        grown = (after - before) / 1024.0
        print("batond peak RSS: %.1f MiB before, %.1f MiB after a 1 GiB upload (+%.1f MiB)"
              % (before / 1024.0, after / 1024.0, grown))
        h.check(after < 64 * 1024, "peak RSS %.1f MiB is not under 64 MiB" % (after / 1024.0))
        os.unlink(stored)
        h.check(b.stop() == 0, "batond did not exit cleanly")


if __name__ == "__main__":
    h.run([test_one_gib_upload_with_bounded_memory])
