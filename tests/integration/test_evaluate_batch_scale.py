"""A long batch with bounded memory: 200,000 cases (the 2 KB case, ~400 MB
of NDJSON, ~1.4 GB of answers) streamed from a generator through one
POST /v1/cases/evaluate/batch while the client reads the answers as they
come. batond's resident memory is sampled throughout and must stay under a
bound that does not depend on the batch's size; every case is answered, in
order. (Label "scale": about a minute on a shared 2-core machine.)"""

import json
import os
import threading
import time

import batch_client as bc
import batond_harness as h

CASES = int(os.environ.get("BATON_BATCH_SCALE_CASES", "200000"))
RSS_GROWTH_LIMIT = 48 << 20  # bytes above batond's resident size before the batch


def test_long_stream_bounded_rss():
    line = json.dumps(json.loads(h.case_text())).encode() + b"\n"
    with h.Batond("batch-scale").start() as b:
        pid = b.proc.pid
        base = h.rss_bytes(pid)
        peak = [base]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], h.rss_bytes(pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        c = bc.BatchCall(b.port, b.tokens["northwind"], timeout=120)
        start = time.time()
        try:
            c.send_lines(line for _ in range(CASES))
            h.check(c.read_head() == 200, repr(c.status))
            seen = 0
            summary = None
            for raw in c.raw_lines():
                if raw.startswith(b'{"summary"'):
                    summary = json.loads(raw)["summary"]
                    break
                seen += 1
                # the line number leads each answer: check order without
                # parsing 7 KB of JSON per line
                want = b'{"line":%d,' % seen
                h.check(raw.startswith(want), "answer %d starts %r" % (seen, raw[:40]))
                if seen % 10000 == 0:
                    h.check(b'"case_id":"NW-2026-01187"' in raw, "answer %d: %r" % (seen, raw[:200]))
        finally:
            done.set()
            c.close()
        took = time.time() - start
        h.check(seen == CASES and summary == {"lines": CASES, "cases": CASES, "ok": CASES,
                                              "errors": 0},
                "%d answers, summary %r" % (seen, summary))
        growth = peak[0] - base
        print("%d cases in %.1f s (%.0f cases/s over loopback, client included); batond RSS "
              "%.1f MB before, peak %.1f MB" % (CASES, took, CASES / took, base / 2**20,
                                                 peak[0] / 2**20))
        h.check(growth < RSS_GROWTH_LIMIT, "batond grew by %.1f MB during the batch"
                % (growth / 2**20))
        b.stop()


if __name__ == "__main__":
    h.run([test_long_stream_bounded_rss])
