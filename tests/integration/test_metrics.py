"""GET /metrics: Prometheus text with requests by route and status, a
latency histogram, and plugin calls: by mode for an anonymous scrape (which
names no tenant), by tenant and plugin for the tenant whose token scrapes."""

import re

import batond_harness as h


def value(text, name, labels):
    """The sample of name whose labels include all of labels, or None."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        got = dict(re.findall(r'(\w+)="([^"]*)"', line[len(name):line.rindex("}") + 1]))
        if all(got.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_content():
    with h.Batond("metrics").start() as b:
        # The harness polled /healthz while waiting for the start.
        base = value(b.get("/metrics").body.decode(), "baton_http_requests_total",
                     {"route": "/healthz", "status": "200"}) or 0
        for _ in range(3):
            b.get("/healthz")
        b.get("/v1/plugins")  # 401
        b.get("/no/such/thing")  # 404
        for _ in range(2):
            h.check(b.evaluate("northwind").status == 200, "evaluate")
        b.evaluate("southbank")
        b.raw(b"GARBAGE\r\n\r\n", timeout=2)
        r = b.get("/metrics")
        h.check(r.status == 200, repr(r))
        h.check(r.headers["content-type"].startswith("text/plain; version=0.0.4"),
                r.headers["content-type"])
        t = r.body.decode()
        for metric, kind in (("baton_http_requests_total", "counter"),
                             ("baton_http_request_duration_seconds", "histogram"),
                             ("baton_plugin_calls_total", "counter"),
                             ("baton_plugin_failures_total", "counter")):
            h.check("# TYPE %s %s" % (metric, kind) in t, "no TYPE line for " + metric)
        req = "baton_http_requests_total"
        h.check(value(t, req, {"route": "/healthz", "status": "200"}) == base + 3, t)
        h.check(value(t, req, {"route": "/v1/plugins", "status": "401"}) == 1, t)
        h.check(value(t, req, {"route": "unmatched", "status": "404"}) == 1, t)
        h.check(value(t, req, {"route": "unmatched", "status": "400"}) == 1, t)
        h.check(value(t, req, {"route": "/v1/cases/evaluate", "method": "POST",
                               "status": "200"}) == 3, t)
        hist = "baton_http_request_duration_seconds"
        h.check(value(t, hist + "_count", {"route": "/v1/cases/evaluate"}) == 3, t)
        h.check(value(t, hist + "_bucket", {"route": "/v1/cases/evaluate", "le": "+Inf"}) == 3, t)
        buckets = [value(t, hist + "_bucket", {"route": "/healthz", "le": le})
                   for le in ("0.0001", "0.001", "0.01", "0.1", "1", "+Inf")]
        h.check(all(x is not None for x in buckets) and buckets == sorted(buckets) and
                buckets[-1] == base + 3, "healthz buckets not cumulative: %r" % buckets)
        calls = "baton_plugin_calls_total"
        # anonymous: summed by mode, no tenant (nor an agency's plugin) named
        h.check(value(t, calls, {"mode": "in_process"}) >= 5, t)
        for name in [x["id"] for x in b.tenants] + ["gb-ew"]:
            h.check(name not in t, "the anonymous scrape names %r:\n%s" % (name, t))
        # a tenant's token: its own counters, no other tenant's
        t = b.get("/metrics", token=b.tokens["northwind"]).body.decode()
        h.check(value(t, calls, {"tenant": "northwind", "plugin": "gb-ew"}) >= 2, t)
        h.check(value(t, calls, {"tenant": "northwind", "plugin": "northwind"}) >= 2, t)
        h.check("southbank" not in t, "northwind's scrape names southbank:\n" + t)
        t = b.get("/metrics", token=b.tokens["southbank"]).body.decode()
        h.check(value(t, calls, {"tenant": "southbank", "plugin": "gb-ew"}) >= 1, t)
        h.check(value(t, calls, {"tenant": "southbank", "plugin": "northwind"}) is None,
                "southbank has no northwind plugin")
        h.check("northwind" not in t, "southbank's scrape names northwind:\n" + t)
        h.check(value(t, "baton_plugin_failures_total",
                      {"tenant": "southbank", "plugin": "gb-ew"}) == 0, t)
        for tok in b.tokens.values():
            h.check(tok not in t, "a token appears in /metrics")
        b.stop()


def loop_connections(b):
    """baton_http_connections by loop, from an anonymous scrape."""
    t = b.get("/metrics").body.decode()
    h.check("# TYPE baton_http_connections gauge" in t, t)
    got = {}
    for line in t.splitlines():
        m = re.match(r'baton_http_connections\{loop="(\d+)"\} (\d+)$', line)
        if m:
            got[int(m.group(1))] = int(m.group(2))
    return got


def test_connections_even_over_loops():
    """With several loops the kernel spreads connections by a hash of their
    addresses; batond hands a new connection to the loop with the fewest, so
    however the kernel chose, the loops stay within one connection of each
    other, and a handed-over connection serves like any other."""
    loops, n = 3, 40
    with h.Batond("metrics-loops", config={"workers": loops}).start() as b:
        conns = []
        for _ in range(n):
            c = b.connect()
            r = b.request("GET", "/healthz", conn=c)
            h.check(r.status == 200, repr(r))
            conns.append(c)
        # the scrape's own connection counts too; those of the start's
        # /healthz polls may take a moment to be seen closed
        h.wait_for(lambda: sum(loop_connections(b).values()) == n + 1, 10)
        got = loop_connections(b)
        h.check(sorted(got) == list(range(loops)), got)
        h.check(sum(got.values()) == n + 1 and max(got.values()) - min(got.values()) <= 1,
                "connections not even over the loops: %r" % got)
        for c in conns:  # every connection, wherever it went, still answers
            h.check(b.evaluate("northwind", conn=c).status == 200, "evaluate")
        for c in conns:
            c.close()
        h.check(h.wait_for(lambda: sum(loop_connections(b).values()) <= 1, 10),
                "closed connections still counted: %r" % loop_connections(b))
        b.stop()


if __name__ == "__main__":
    h.run([test_metrics_content, test_connections_even_over_loops])
