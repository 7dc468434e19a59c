"""Every deliberately mis-built plugin (bad-*.so) is refused at start with
one log line naming the file, what it was built against and what the host
offers; batond still serves the other tenants and the tenant's other
plugins; --check-config names each one and exits non-zero. Also: config
problems are reported with their exact field path."""

import glob
import os

import batond_harness as h


def bad_plugins():
    found = sorted(os.path.basename(p) for p in glob.glob(os.path.join(h.args().plugin_dir,
                                                                      "bad-*.so")))
    h.check(len(found) >= 6, "expected the mis-built test plugins, found %r" % found)
    return found


def refusal_tenants():
    plugins = [{"path": "gb-ew.so", "config": {}}]
    plugins += [{"path": p, "config": {}} for p in bad_plugins()]
    plugins += [{"path": "northwind.so", "config": {}}]
    return [h.tenant("northwind", "agency", plugins),
            h.tenant("southbank", "agency", ["gb-ew"]),
            h.tenant("harbor-law", "lawfirm", [])]


def test_each_bad_plugin_refused_rest_serving():
    with h.Batond("refusal-start", tenants=refusal_tenants()).start() as b:
        lines = [l for l in b.log_lines() if l.get("event") == "plugin_refused"]
        for bad in bad_plugins():
            mine = [l for l in lines if bad in l.get("file", "")]
            h.check(len(mine) == 1, "%s: expected one refusal line, got %r" % (bad, mine))
            msg = mine[0]["msg"]
            h.check(bad in msg, "%s: line does not name the file: %r" % (bad, msg))
            h.check("host offers SDK 1.1" in msg or "built against SDK 1.1" in msg,
                    "%s: line says neither what the host offers nor what the plugin was built "
                    "against: %r" % (bad, msg))
            h.check(mine[0]["tenant"] == "northwind" and mine[0]["level"] == "error", repr(mine))
        for bad, said in (("bad-major.so", "2."), ("bad-minor.so", "1.")):
            msg = [l for l in lines if bad in l.get("file", "")][0]["msg"]
            h.check(said in msg, "%s: built-against version missing: %r" % (bad, msg))
        listening = [l for l in b.log_lines() if l.get("msg") == "listening"][0]
        h.check(int(listening["plugins_refused"]) == len(bad_plugins()), repr(listening))

        r = b.get("/v1/plugins", token=b.tokens["northwind"])
        got = sorted(p["name"] for p in r.json()["plugins"])
        h.check(got == ["gb-ew", "northwind"], "northwind kept %r" % got)
        h.check(b.evaluate("northwind").status == 200, "northwind must still evaluate")
        h.check(b.evaluate("southbank").status == 200, "southbank must still evaluate")
        h.check(b.stop() == 0, "exit status")


def test_check_config_names_each_bad_plugin():
    b = h.Batond("refusal-check", tenants=refusal_tenants(), issue_tokens=False)
    r = b.run("--check-config")
    h.check(r.returncode != 0, "--check-config exited 0 with bad plugins")
    for bad in bad_plugins():
        h.check(bad in r.stderr, "--check-config did not name %s:\n%s" % (bad, r.stderr))
    good = h.Batond("refusal-check-good", issue_tokens=False)
    r = good.run("--check-config")
    h.check(r.returncode == 0, "a good config failed --check-config:\n" + r.stderr)


def test_config_problems_name_the_field():
    tenants = [
        h.tenant("northwind", "agency", [{"path": "gb-ew.so"}, {"path": 5, "config": {}}]),
        {"id": "southbank", "kind": "bank", "plugins": [], "colour": "blue"},
    ]
    b = h.Batond("config-problems", tenants=tenants, issue_tokens=False,
                 config={"workers": "two"})
    r = b.run("--check-config")
    h.check(r.returncode != 0, "--check-config accepted a bad config")
    expected = [
        "tenants/northwind.json: plugins[1].path: expected a string, got a number",
        "tenants/southbank.json: kind: expected \"agency\" or \"lawfirm\", got \"bank\"",
        "tenants/southbank.json: colour: unknown field",
        "batond.json: workers: expected an integer, got a string",
    ]
    for e in expected:
        h.check(e in r.stderr, "missing problem %r in:\n%s" % (e, r.stderr))
    # The daemon refuses to start on the same config, naming the field.
    b.start(wait=False)
    rc = b.proc.wait(timeout=30)
    b.log_file.close()
    b.proc = None
    h.check(rc == 1, "batond started on an invalid config (exit %r)" % rc)
    h.check("plugins[1].path: expected a string" in b.log_text(), b.log_text())

    b2 = h.Batond("config-badjson", issue_tokens=False)
    with open(b2.config_path, "w") as f:
        f.write('{\n  "listen": "127.0.0.1:0",\n  "tenants": ["tenants/"],,\n}\n')
    r = b2.run("--check-config")
    h.check(r.returncode != 0 and "invalid JSON at line 3" in r.stderr, r.stderr)


if __name__ == "__main__":
    h.run([test_each_bad_plugin_refused_rest_serving, test_check_config_names_each_bad_plugin,
           test_config_problems_name_the_field])
