"""Tenant isolation: each tenant sees and calls only its own plugins."""

import batond_harness as h


def names(r):
    return sorted(p["name"] for p in r.json()["plugins"])


def test_plugins_lists_only_own():
    with h.Batond("iso-list").start() as b:
        r = b.get("/v1/plugins", token=b.tokens["northwind"])
        h.check(names(r) == ["gb-ew", "northwind"], "northwind sees %r" % names(r))
        r = b.get("/v1/plugins", token=b.tokens["southbank"])
        h.check(names(r) == ["gb-ew"], "southbank sees %r" % names(r))
        h.check(b"northwind" not in r.body, "southbank's answer mentions northwind: %r" % r.body)
        r = b.get("/v1/plugins", token=b.tokens["harbor-law"])
        h.check(names(r) == [] and r.json()["kind"] == "lawfirm", repr(r))
        p = b.get("/v1/plugins", token=b.tokens["northwind"]).json()["plugins"]
        for item in p:
            h.check(item["sdk"] == "1.1", "sdk %r" % item)
            h.check(item["scope"] in ("jurisdiction:gb-ew", "agency:northwind"), repr(item))
            h.check("fee_schedule" in item["capabilities"], repr(item))
        b.stop()


def test_evaluate_uses_only_own_plugins():
    with h.Batond("iso-eval").start() as b:
        nw = b.evaluate("northwind").json()
        sb = b.evaluate("southbank").json()
        h.check({p["name"] for p in nw["plugins"]} == {"gb-ew", "northwind"}, repr(nw["plugins"]))
        h.check([p["name"] for p in sb["plugins"]] == ["gb-ew"], repr(sb["plugins"]))
        h.check(any(c["kind"] == "commission" and c["plugin"] == "northwind" for c in nw["costs"]),
                "northwind's own plugin added no commission")
        h.check(all(c["plugin"] != "northwind" for c in sb["costs"]),
                "southbank's evaluation ran northwind's plugin")
        h.check(all(f["plugin"] != "northwind" for f in sb["findings"]),
                "southbank's evaluation has northwind findings")
        b.stop()


def test_tenant_without_jurisdiction_plugin_cannot_borrow_one():
    tenants = h.demo_tenants() + [h.tenant("eastgate", "agency", ["northwind"])]
    with h.Batond("iso-borrow", tenants=tenants).start() as b:
        r = b.evaluate("eastgate")
        h.check(r.status == 422 and r.error_code() == "no_jurisdiction_plugin",
                "eastgate has no gb-ew plugin of its own, yet: %r" % r)
        h.check(b.evaluate("northwind").status == 200, "northwind must still evaluate")
        b.stop()


if __name__ == "__main__":
    h.run([test_plugins_lists_only_own, test_evaluate_uses_only_own_plugins,
           test_tenant_without_jurisdiction_plugin_cannot_borrow_one])
