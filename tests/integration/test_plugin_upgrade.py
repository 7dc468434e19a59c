"""Plugins that crash while loading, refused plugins with ELF constructors,
and upgrading a plugin by replacing its .so and sending SIGHUP.

- crash-init.so (init dereferences NULL) configured in process: batond
  starts, logs one plugin_refused line naming the file and the signal, and
  keeps serving; --check-config exits 1 naming it instead of dying of the
  signal; adding it to a running batond's config and sending SIGHUP leaves
  batond up and every other plugin answering.
- bad-ctor.so (wrong magic, with a constructor that leaves a marker file
  DIR/ctor-ran-in-<pid> when BATON_TEST_CTOR_DIR is set): after start,
  reload and --check-config no marker exists, so its constructor never ran
  in batond. good-ctor.so, a sound plugin with the same constructor, is the
  control: loaded in process its marker names batond's pid.
- good-v1.so / good-v2.so (the probe plugin as 1.0.0 and 2.0.0): a .so
  overwritten in place keeps running as the stored copy until SIGHUP; after
  it the answer names the new version, its SHA-256 and its finding, in
  process and isolated alike.
- every "plugins" entry of an answer carries "sha256" (of the configured
  file) and "mode".
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time

import batond_harness as h

CRASH = "crash-init.so"


def plugin_file(name):
    return os.path.join(h.args().plugin_dir, name)


def zz_case():
    """The demo case for jurisdiction zz, which the probe plugins serve."""
    c = json.loads(h.case_text())
    c["jurisdiction"] = "zz"
    return json.dumps(c).encode()


def refusals(b, name):
    return [l for l in b.log_lines()
            if l.get("event") == "plugin_refused" and l.get("file", "").endswith("/" + name)]


def wait_log(b, pred, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for l in b.log_lines():
            if pred(l):
                return l
        h.check(b.proc.poll() is None, "batond exited with %r while waiting; log:\n%s"
                % (b.proc.returncode, b.log_text()[-3000:]))
        time.sleep(0.05)
    raise AssertionError("log line not seen; log:\n" + b.log_text()[-3000:])


def reload(b, generation):
    """SIGHUP, then waits until the config of that generation is live."""
    b.signal(signal.SIGHUP)
    return wait_log(b, lambda l: l.get("msg") == "config reloaded"
                    and int(l.get("generation", 0)) == generation)


def plugin_names(b, tid):
    r = b.get("/v1/plugins", token=b.tokens[tid])
    h.check(r.status == 200, "/v1/plugins for %s: %r" % (tid, r))
    return sorted(p["name"] for p in r.json()["plugins"])


def check_config(b):
    """Runs batond --check-config as its own process; returns (pid, rc, stderr)."""
    p = subprocess.Popen([h.args().batond, "-c", b.config_path, "--check-config"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=120)
    return p.pid, p.returncode, err


def check_crash_line(line):
    msg = line["msg"]
    h.check(CRASH in msg, "the refusal does not name the file: %r" % msg)
    h.check("killed by signal 11" in msg and "SIGSEGV" in msg,
            "the refusal does not say the plugin died of SIGSEGV: %r" % msg)
    h.check(line.get("level") == "error", repr(line))


# ---- a plugin whose init crashes ----


def crash_tenants():
    return [h.tenant("northwind", "agency",
                     ["gb-ew", {"path": CRASH, "config": {}, "isolated": False}, "northwind"]),
            h.tenant("southbank", "agency", ["gb-ew"]),
            h.tenant("harbor-law", "lawfirm", [])]


def test_init_crash_in_process_refused_at_start():
    with h.Batond("upgrade-crash-start", tenants=crash_tenants()).start() as b:
        mine = refusals(b, CRASH)
        h.check(len(mine) == 1, "expected one refusal of %s, got %r" % (CRASH, mine))
        check_crash_line(mine[0])
        h.check(mine[0].get("tenant") == "northwind", repr(mine[0]))
        listening = [l for l in b.log_lines() if l.get("msg") == "listening"][0]
        h.check(int(listening["plugins_refused"]) == 1, repr(listening))
        h.check(b.proc.poll() is None, "batond died")
        h.check(plugin_names(b, "northwind") == ["gb-ew", "northwind"],
                "northwind kept %r" % plugin_names(b, "northwind"))
        for tid in ("northwind", "southbank"):
            r = b.evaluate(tid)
            h.check(r.status == 200, "%s must still evaluate: %r" % (tid, r))
        h.check(b.stop() == 0, "exit status")


def test_check_config_names_init_crash_and_exits_1():
    b = h.Batond("upgrade-crash-check", tenants=crash_tenants(), issue_tokens=False)
    pid, rc, err = check_config(b)
    h.check(rc == 1, "--check-config exited %r (negative: killed by a signal), expected 1:\n%s"
            % (rc, err))
    lines = [l for l in err.splitlines() if CRASH in l]
    h.check(len(lines) == 1, "--check-config did not name %s once:\n%s" % (CRASH, err))
    h.check("killed by signal 11" in lines[0], "no crash in %r" % lines[0])
    h.check("1 problem" in err, "expected exactly one problem:\n" + err)


def test_reload_adding_init_crash_keeps_serving():
    with h.Batond("upgrade-crash-reload").start() as b:
        stop = threading.Event()
        failures = []
        served = [0]

        def traffic():
            while not stop.is_set():
                try:
                    r = b.evaluate("southbank")
                    if r.status == 200:
                        served[0] += 1
                    else:
                        failures.append(repr(r))
                except Exception as e:
                    failures.append(repr(e))
                    time.sleep(0.05)

        t = threading.Thread(target=traffic)
        t.start()
        try:
            for x in b.tenants:
                if x["id"] == "northwind":
                    x["plugins"].insert(1, {"path": CRASH, "config": {}})
                if x["id"] == "southbank":
                    x["plugins"].append({"path": CRASH, "config": {}, "isolated": True})
            b.write_config()
            line = reload(b, 2)
            h.check(int(line["plugins_refused"]) == 2, repr(line))
            time.sleep(0.2)
        finally:
            stop.set()
            t.join()
        h.check(b.proc.poll() is None, "batond died on SIGHUP:\n" + b.log_text()[-3000:])
        mine = refusals(b, CRASH)
        h.check(sorted(l.get("tenant") for l in mine) == ["northwind", "southbank"],
                "expected a refusal per tenant, got %r" % mine)
        for l in mine:
            check_crash_line(l)
        h.check(not failures, "requests failed during the reload: %r" % failures[:3])
        h.check(served[0] > 0, "no traffic was served during the reload")
        h.check(plugin_names(b, "northwind") == ["gb-ew", "northwind"],
                "northwind has %r" % plugin_names(b, "northwind"))
        h.check(plugin_names(b, "southbank") == ["gb-ew"], "southbank has %r"
                % plugin_names(b, "southbank"))
        for tid in ("northwind", "southbank"):
            r = b.evaluate(tid)
            h.check(r.status == 200, "%s after the reload: %r" % (tid, r))
        m = b.get("/metrics").body.decode()
        h.check('baton_config_reloads_total{outcome="ok"} 1' in m,
                "reload metrics:\n" + "\n".join(l for l in m.splitlines() if "reload" in l))
        h.check(b.stop() == 0, "exit status")


# ---- constructors of refused plugins ----


class CtorMarkers:
    """Sets BATON_TEST_CTOR_DIR (inherited by batond, not by its workers)
    to a fresh directory for the duration of a with block."""

    def __init__(self, name):
        self.dir = os.path.join(h.args().scratch, name + "-markers")

    def __enter__(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.saved = os.environ.get("BATON_TEST_CTOR_DIR")
        os.environ["BATON_TEST_CTOR_DIR"] = self.dir
        return self

    def __exit__(self, *exc):
        if self.saved is None:
            os.environ.pop("BATON_TEST_CTOR_DIR", None)
        else:
            os.environ["BATON_TEST_CTOR_DIR"] = self.saved
        return False

    def ran_in(self, pid):
        return os.path.exists(os.path.join(self.dir, "ctor-ran-in-%d" % pid))

    def all(self):
        return sorted(os.listdir(self.dir))


def test_marker_shows_a_constructor_that_ran_in_batond():
    # The control: good-ctor is sound and in process, so batond dlopens it
    # and its constructor leaves a marker naming batond's pid. Without this
    # the absence of bad-ctor's marker below would prove nothing.
    with CtorMarkers("ctor-control") as m:
        tenants = [h.tenant("northwind", "agency", ["gb-ew", "good-ctor"])]
        with h.Batond("upgrade-ctor-control", tenants=tenants).start() as b:
            h.check(plugin_names(b, "northwind") == ["gb-ew", "probe"],
                    "good-ctor was not loaded: %r" % plugin_names(b, "northwind"))
            h.check(m.ran_in(b.proc.pid), "good-ctor's constructor left no marker for batond "
                    "(pid %d): %r" % (b.proc.pid, m.all()))
            h.check(b.stop() == 0, "exit status")
        # --check-config loads every plugin in a worker only, so not even a
        # sound plugin's constructor runs in it.
        pid, rc, err = check_config(b)
        h.check(rc == 0, "--check-config failed:\n" + err)
        h.check(not m.ran_in(pid), "--check-config ran good-ctor's constructor in process")


def test_refused_plugin_constructor_never_runs_in_batond():
    with CtorMarkers("ctor-refused") as m:
        tenants = [h.tenant("northwind", "agency", ["gb-ew", "bad-ctor", "northwind"]),
                   h.tenant("southbank", "agency", ["gb-ew"])]
        with h.Batond("upgrade-ctor-refused", tenants=tenants).start() as b:
            mine = refusals(b, "bad-ctor.so")
            h.check(len(mine) == 1, "expected one refusal of bad-ctor.so, got %r" % mine)
            # Refused for its defect: had the worker inherited the
            # environment, the constructor's write would have been what
            # stopped it.
            h.check("descriptor magic" in mine[0]["msg"], repr(mine[0]))
            h.check(m.all() == [], "bad-ctor's constructor ran at start, in pid %r (batond is "
                    "%d)" % (m.all(), b.proc.pid))

            for x in b.tenants:
                if x["id"] == "southbank":
                    x["plugins"].append({"path": "bad-ctor.so", "config": {}})
                    x["plugins"].append({"path": "bad-ctor.so", "config": {}, "isolated": True})
            b.write_config()
            reload(b, 2)
            h.check(len(refusals(b, "bad-ctor.so")) == 4,
                    "expected four refusals: %r" % refusals(b, "bad-ctor.so"))
            h.check(m.all() == [], "bad-ctor's constructor ran on SIGHUP, in pid %r (batond is "
                    "%d)" % (m.all(), b.proc.pid))
            h.check(b.evaluate("northwind").status == 200, "northwind must still evaluate")
            h.check(b.stop() == 0, "exit status")

        pid, rc, err = check_config(b)
        h.check(rc == 1 and "bad-ctor.so" in err, "--check-config (exit %r):\n%s" % (rc, err))
        h.check(m.all() == [], "bad-ctor's constructor ran in --check-config (pid %d): %r"
                % (pid, m.all()))


# ---- upgrade by content ----


def probe_entry(answer):
    found = [p for p in answer["plugins"] if p["name"] == "probe"]
    h.check(len(found) == 1, "no single probe entry in %r" % answer["plugins"])
    return found[0]


def finding_ids(answer):
    return {f["code"] for f in answer["findings"]
            if f.get("plugin") == "probe"}


def evaluate_probe(b, tid):
    r = b.evaluate(tid, body=zz_case())
    h.check(r.status == 200, "%s: evaluate: %r" % (tid, r))
    return r.json()


def test_replaced_so_is_new_code_after_sighup():
    name = "upgrade-by-content"
    deploy = os.path.join(os.path.abspath(h.args().scratch), name, "deploy")
    target = os.path.join(deploy, "probe.so")
    modes = {"northwind": "in_process", "southbank": "isolated"}
    # Plugin paths stay inside plugin_dir: this instance's plugin_dir is the
    # deploy folder, with gb-ew.so copied next to the probe.
    tenants = [
        h.tenant("northwind", "agency", ["gb-ew", {"path": "probe.so", "config": {}}]),
        h.tenant("southbank", "agency",
                 ["gb-ew", {"path": "probe.so", "config": {}, "isolated": True}]),
    ]
    # (re)creates the instance's directory
    b = h.Batond(name, tenants=tenants, config={"plugin_dir": deploy})
    os.makedirs(deploy)
    shutil.copyfile(plugin_file("gb-ew.so"), os.path.join(deploy, "gb-ew.so"))
    shutil.copyfile(plugin_file("good-v1.so"), target)
    v1, v2 = h.sha256_of(plugin_file("good-v1.so")), h.sha256_of(plugin_file("good-v2.so"))
    h.check(v1 != v2, "good-v1.so and good-v2.so are the same bytes")
    inode = os.stat(target).st_ino

    with b.start():
        before = {}
        for tid, mode in modes.items():
            a = evaluate_probe(b, tid)
            p = probe_entry(a)
            h.check(p["version"] == "1.0.0" and p["sha256"] == v1 and p["mode"] == mode,
                    "%s before the upgrade: %r" % (tid, p))
            h.check(finding_ids(a) == {"probe_seen"}, "%s: %r" % (tid, a["findings"]))
            before[tid] = p["sha256"]
        h.check(os.path.exists(os.path.join(b.data_dir, "plugins", v1 + ".so")),
                "version 1 is not in the content store")

        # Overwrite in place (same inode), as `cp new.so probe.so` does.
        shutil.copyfile(plugin_file("good-v2.so"), target)
        h.check(os.stat(target).st_ino == inode, "the file was replaced, not overwritten")
        # Until the reload the stored copy keeps running, untouched.
        for tid in modes:
            p = probe_entry(evaluate_probe(b, tid))
            h.check(p["version"] == "1.0.0" and p["sha256"] == v1,
                    "%s changed before SIGHUP: %r" % (tid, p))

        reload(b, 2)
        h.check(not refusals(b, "probe.so"), "refused: %r" % refusals(b, "probe.so"))
        for tid, mode in modes.items():
            a = evaluate_probe(b, tid)
            p = probe_entry(a)
            h.check(p["version"] == "2.0.0",
                    "%s (%s) still runs the old code after SIGHUP: %r" % (tid, mode, p))
            h.check(p["sha256"] == v2 and p["sha256"] != before[tid] and p["mode"] == mode,
                    "%s after the upgrade: %r" % (tid, p))
            h.check(finding_ids(a) == {"probe_seen_v2"},
                    "%s: version 2's finding missing: %r" % (tid, a["findings"]))
        h.check(os.path.exists(os.path.join(b.data_dir, "plugins", v2 + ".so")),
                "version 2 is not in the content store")

        # And back: version 1's stored copy is loaded again.
        shutil.copyfile(plugin_file("good-v1.so"), target)
        reload(b, 3)
        for tid, mode in modes.items():
            p = probe_entry(evaluate_probe(b, tid))
            h.check(p["version"] == "1.0.0" and p["sha256"] == v1 and p["mode"] == mode,
                    "%s after going back to version 1: %r" % (tid, p))
        h.check(b.evaluate("northwind").status == 200, "gb-ew must still evaluate")
        h.check(b.stop() == 0, "exit status")


def test_answer_plugins_name_sha256_and_mode():
    tenants = [
        h.tenant("northwind", "agency",
                 ["gb-ew", {"path": "northwind.so", "config": {}, "isolated": True}]),
        h.tenant("southbank", "agency", [{"path": "gb-ew.so", "config": {}, "isolated": True}]),
    ]
    want = {
        "northwind": {"gb-ew": "in_process", "northwind": "isolated"},
        "southbank": {"gb-ew": "isolated"},
    }
    with h.Batond("upgrade-sha-mode", tenants=tenants).start() as b:
        for tid, expect in want.items():
            r = b.evaluate(tid)
            h.check(r.status == 200, "%s: %r" % (tid, r))
            got = {}
            for p in r.json()["plugins"]:
                h.check(p.get("sha256") == h.sha256_of(plugin_file(p["name"] + ".so")),
                        "%s: sha256 of %r is not that of %s.so" % (tid, p, p["name"]))
                got[p["name"]] = p.get("mode")
            h.check(got == expect, "%s: modes %r, expected %r" % (tid, got, expect))
        h.check(b.stop() == 0, "exit status")


if __name__ == "__main__":
    h.run([test_init_crash_in_process_refused_at_start,
           test_check_config_names_init_crash_and_exits_1,
           test_reload_adding_init_crash_keeps_serving,
           test_marker_shows_a_constructor_that_ran_in_batond,
           test_refused_plugin_constructor_never_runs_in_batond,
           test_replaced_so_is_new_code_after_sighup,
           test_answer_plugins_name_sha256_and_mode])
