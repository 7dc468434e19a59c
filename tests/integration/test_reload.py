"""SIGHUP under traffic: clients hammer evaluate while the config changes
and batond reloads; no request fails and the new config is visible after.
A reload that fails validation keeps the running config."""

import signal
import threading
import time

import batond_harness as h


def hammer(b, token, stop, stats):
    conn = b.connect()
    while not stop.is_set():
        try:
            r = b.evaluate(token=token, conn=conn)
            if r.status == 200:
                stats["ok"] += 1
            else:
                stats["bad"].append(repr(r))
        except Exception as e:  # a dropped connection is a failure too
            stats["bad"].append(repr(e))
            conn.close()
            conn = b.connect()
    conn.close()


def wait_log(b, pred, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for l in b.log_lines():
            if pred(l):
                return l
        time.sleep(0.05)
    raise AssertionError("log line not seen; log:\n" + b.log_text()[-3000:])


def test_reload_under_traffic():
    with h.Batond("reload").start() as b:
        stop = threading.Event()
        stats = [{"ok": 0, "bad": []} for _ in range(4)]
        threads = [threading.Thread(target=hammer, args=(b, b.tokens["northwind" if i % 2 else
                                                                      "southbank"], stop, stats[i]))
                   for i in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.3)

        # New tenant with its own token, and southbank gains the agency plugin.
        b.tenants.append(h.tenant("eastgate", "agency", ["gb-ew"]))
        for t in b.tenants:
            if t["id"] == "southbank":
                t["plugins"].append({"path": "northwind.so", "config": {}})
        b.write_config()
        b.tokens["eastgate"] = b.issue_token("eastgate")
        h.check(b.get("/v1/plugins", token=b.tokens["eastgate"]).status == 401,
                "a new tenant must not exist before the reload")
        for _ in range(5):
            b.signal(signal.SIGHUP)
            time.sleep(0.15)
        wait_log(b, lambda l: l.get("msg") == "config reloaded")
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join()

        bad = [x for s in stats for x in s["bad"]]
        ok = sum(s["ok"] for s in stats)
        h.check(not bad, "%d requests failed during reload, e.g. %s" % (len(bad), bad[:3]))
        h.check(ok > 50, "too little traffic during the reload: %d requests" % ok)

        r = b.get("/v1/plugins", token=b.tokens["eastgate"])
        h.check(r.status == 200 and r.json()["tenant"] == "eastgate", repr(r))
        names = sorted(p["name"] for p in b.get("/v1/plugins",
                                                token=b.tokens["southbank"]).json()["plugins"])
        h.check(names == ["gb-ew", "northwind"], "southbank after reload: %r" % names)
        m = b.get("/metrics").body.decode()
        gen = [l for l in m.splitlines() if l.startswith("baton_config_generation ")]
        h.check(gen and int(gen[0].split()[1]) >= 2, "generation: %r" % gen)
        h.check(b.stop() == 0, "exit status")


def test_failed_reload_keeps_running_config():
    with h.Batond("reload-bad").start() as b:
        good_tenants = [dict(t) for t in b.tenants]
        b.tenants[0] = h.tenant("northwind", "agency", [{"path": 42}])
        b.write_config()
        b.signal(signal.SIGHUP)
        line = wait_log(b, lambda l: l.get("msg", "").startswith("config reload failed"))
        h.check("plugins[0].path: expected a string" in line.get("reason", ""), repr(line))
        r = b.evaluate("northwind")
        h.check(r.status == 200, "the running config must keep serving: %r" % r)
        names = sorted(p["name"] for p in b.get("/v1/plugins",
                                                token=b.tokens["northwind"]).json()["plugins"])
        h.check(names == ["gb-ew", "northwind"], repr(names))
        m = b.get("/metrics").body.decode()
        h.check('baton_config_reloads_total{outcome="failed"} 1' in m, "reload metrics")
        # Fixing the file and reloading again works.
        b.tenants = good_tenants
        b.write_config()
        b.signal(signal.SIGHUP)
        wait_log(b, lambda l: l.get("msg") == "config reloaded")
        h.check(b.evaluate("northwind").status == 200, "after a good reload")
        h.check(b.stop() == 0, "exit status")


if __name__ == "__main__":
    h.run([test_reload_under_traffic, test_failed_reload_keeps_running_config])
