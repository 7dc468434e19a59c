"""The offline CLI gives the API's answers: `baton evaluate --tenant-config`
prints the same JSON as POST /v1/cases/evaluate for that tenant, and
`baton letter` the same bytes as POST /v1/letters, for every England &
Wales case file in tests/cases/ (evaluated under the northwind tenant with
gb-ew and northwind configured as shipped)."""

import glob
import json
import os
import subprocess

import batond_harness as h


def baton():
    # <build>/host/batond -> <build>/tools/baton
    return os.path.join(os.path.dirname(os.path.abspath(h.args().batond)), "..", "tools",
                        "baton")


def load(*parts):
    with open(os.path.join(h.args().source_dir, *parts)) as f:
        return json.load(f)


def northwind():
    return h.tenant("northwind", "agency", [
        {"path": "gb-ew.so", "config": load("docs", "plugins", "gb-ew.config.json")},
        {"path": "northwind.so", "config": load("docs", "plugins", "northwind.config.json")},
    ])


def cli(*argv):
    r = subprocess.run([baton(), *argv], capture_output=True, timeout=60)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def test_evaluate_and_letter_match_the_api():
    cases = sorted(glob.glob(os.path.join(h.args().source_dir, "tests", "cases", "gb-ew-*.json")))
    h.check(len(cases) >= 3, "expected gb-ew case files, found %r" % cases)
    with h.Batond("offline", tenants=[northwind()]).start() as b:
        tenant_file = os.path.join(b.dir, "config", "tenants", "northwind.json")
        common = ["--tenant-config", tenant_file, "--plugin-dir", h.args().plugin_dir]
        for path in cases:
            with open(path, "rb") as f:
                body = f.read()
            r = b.evaluate("northwind", body=body)
            h.check(r.status == 200, "%s: %r" % (path, r))
            rc, out, err = cli("evaluate", "-c", path, *common)
            h.check(rc == 0, "%s: baton evaluate exited %d: %s" % (path, rc, err))
            h.check(json.loads(out) == r.json(),
                    "%s: baton evaluate and the API differ" % os.path.basename(path))

            req = {"kind": "letter_of_claim", "format": "text", "case": json.loads(body)}
            r = b.request("POST", "/v1/letters", body=json.dumps(req).encode(),
                          token=b.tokens["northwind"],
                          headers={"Content-Type": "application/json"})
            rc, out, err = cli("letter", "-c", path, "-k", "letter_of_claim", "-f", "text",
                               *common)
            if r.status == 200:
                h.check(rc == 0 and out == r.body,
                        "%s: baton letter and the API differ (%d): %s" % (path, rc, err))
            else:
                h.check(rc == 1 and r.error_code() in err,
                        "%s: API said %r, CLI %d %s" % (path, r, rc, err))
        b.stop()


def test_evaluate_options_and_errors():
    path = os.path.join(h.args().source_dir, "tests", "cases", "gb-ew-b2b-ready.json")
    pd = ["--plugin-dir", h.args().plugin_dir]
    # --as-of overrides the case's date.
    rc, out, err = cli("evaluate", "-c", path, "--as-of", "2030-01-02", "--plugin", "gb-ew", *pd)
    h.check(rc == 0 and json.loads(out)["as_of"] == "2030-01-02", err)
    # A malformed case: exit 1, the API's error shape on stdout.
    with open(path) as f:
        c = json.load(f)
    del c["claim"]
    p = subprocess.run([baton(), "evaluate", "-c", "-", "--plugin", "gb-ew", *pd],
                       input=json.dumps(c).encode(), capture_output=True, timeout=60)
    h.check(p.returncode == 1, "exit %d" % p.returncode)
    e = json.loads(p.stdout)["error"]
    h.check(e["status"] == 400 and e["code"] == "invalid_case", repr(e))
    # A plugin that cannot be loaded is an error offline, named on stderr and,
    # as --help promises, as the API's error JSON on stdout.
    rc, out, err = cli("evaluate", "-c", path, "--plugin", "no-such-plugin", *pd)
    h.check(rc == 1 and "no-such-plugin" in err, "%d %s" % (rc, err))
    e = json.loads(out)["error"]
    h.check(e["status"] == 422 and e["code"] == "plugin_refused" and
            "no-such-plugin" in e["message"], repr(e))
    # A plugin whose init refuses its config: the refusal itself on stdout.
    de_case = os.path.join(h.args().source_dir, "tests", "cases", "de-consumer-mahnverfahren.json")
    bad = os.path.join(h.args().scratch, "de-bad.json")
    os.makedirs(h.args().scratch, exist_ok=True)
    with open(bad, "w") as f:
        json.dump({"collection_fee_tenths": 99}, f)
    rc, out, err = cli("evaluate", "-c", de_case, "--plugin", "de:" + bad, *pd)
    e = json.loads(out)["error"] if out else {}
    h.check(rc == 1 and e.get("code") == "plugin_refused" and
            "collection_fee_tenths" in e.get("message", ""), "%d %r %s" % (rc, out, err))
    # A config file that cannot be read, a case file that cannot be read.
    rc, out, err = cli("evaluate", "-c", de_case, "--plugin", "de:/no/such/config.json", *pd)
    e = json.loads(out)["error"] if out else {}
    h.check(rc == 1 and e.get("status") == 400 and e.get("code") == "invalid_config",
            "%d %r %s" % (rc, out, err))
    rc, out, err = cli("evaluate", "-c", "/no/such/case.json", "--plugin", "gb-ew", *pd)
    e = json.loads(out)["error"] if out else {}
    h.check(rc == 1 and e.get("code") == "invalid_json", "%d %r %s" % (rc, out, err))
    # de needs no config any more (its Basiszinssatz ships with it): it answers.
    rc, out, err = cli("evaluate", "-c", de_case, *pd)
    h.check(rc == 0 and json.loads(out)["facts"]["params"]["basiszinssatz"]["version"],
            "de without config: %d %s" % (rc, err))
    # Usage errors exit 2.
    rc, out, err = cli("evaluate")
    h.check(rc == 2, "usage exit %d" % rc)
    rc, out, err = cli("evaluate", "-c", path, "--as-of", "2025-02-30")
    h.check(rc == 2, "bad date exit %d" % rc)


if __name__ == "__main__":
    h.run([test_evaluate_and_letter_match_the_api, test_evaluate_options_and_errors])
