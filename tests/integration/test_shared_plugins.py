"""Tenants configured alike share one in-process plugin instance, and it
shows nowhere but in the start and reload lines:

- "alpha" and "beta" use the probe plugin (good-probe.so) with the same
  config, "gamma" with another fee: batond opens two instances
  ("plugin_instances" 2, "plugin_inits" 2 on the listening line); each
  tenant's answers carry its own fee; /metrics counts each tenant's calls
  on its own; the probe's "probe evaluated a case" line names the tenant
  whose evaluation ran it;
- a SIGHUP with gamma's fee changed opens only gamma's instance again
  ("plugin_inits" 1), one with nothing changed opens none, and the answers
  follow;
- isolated plugins are never shared: "delta" and "epsilon" use the same
  file and config isolated, and each has its own worker process.
"""

import json
import signal
import time

import batond_harness as h

PROBE_ALIKE = {"path": "good-probe.so", "config": {"fee_minor": 100}}


def zz_case():
    """The demo case for jurisdiction zz, which the probe plugin serves."""
    c = json.loads(h.case_text())
    c["jurisdiction"] = "zz"
    return json.dumps(c).encode()


def wait_log(b, pred, since=0, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in b.log_lines(since=since):
            if pred(line):
                return line
        h.check(b.proc.poll() is None, "batond exited; log:\n" + b.log_text()[-3000:])
        time.sleep(0.05)
    raise AssertionError("log line not seen; log:\n" + b.log_text()[-3000:])


def probe_fee(b, tid):
    """The probe's court fee in tid's answer, in minor units of the case."""
    r = b.evaluate(tid, body=zz_case())
    h.check(r.status == 200, "%s: evaluate: %r" % (tid, r))
    fees = [c for c in r.json()["costs"] if c.get("plugin") == "probe"]
    h.check(len(fees) == 1, "%s: no single probe cost in %r" % (tid, r.json()["costs"]))
    return fees[0]["amount"]["minor"]


def calls(b, tid):
    """tid's probe calls as /metrics shows them to tid."""
    r = b.get("/metrics", token=b.tokens[tid])
    h.check(r.status == 200, "/metrics: %r" % r)
    found = {}
    for line in r.body.decode().splitlines():
        if line.startswith("baton_plugin_calls_total{tenant="):
            labels, value = line.rsplit(" ", 1)
            found[labels] = int(value)
    return found


def reload(b, generation):
    at = len(b.log_text().encode())
    b.signal(signal.SIGHUP)
    return wait_log(b, lambda l: l.get("msg") == "config reloaded"
                    and int(l.get("generation", 0)) == generation, since=at)


def test_alike_tenants_share_an_instance_and_keep_their_own_counters_and_logs():
    tenants = [
        h.tenant("alpha", "agency", [PROBE_ALIKE]),
        h.tenant("beta", "agency", [PROBE_ALIKE]),
        h.tenant("gamma", "agency", [{"path": "good-probe.so", "config": {"fee_minor": 250}}]),
    ]
    with h.Batond("shared-probe", tenants=tenants).start() as b:
        up = [l for l in b.log_lines() if l.get("msg") == "listening"][-1]
        h.check(up.get("plugin_instances") == "2" and up.get("plugin_inits") == "2",
                "listening line: %r" % up)
        before = len(b.log_text().encode())
        fees = {tid: probe_fee(b, tid) for tid in ("alpha", "alpha", "beta", "gamma")}
        h.check(fees == {"alpha": 100, "beta": 100, "gamma": 250}, "fees: %r" % fees)
        # Every evaluation calls filing_rules and fee_schedule: two calls.
        want = {"alpha": 4, "beta": 2, "gamma": 2}
        for tid, n in want.items():
            got = calls(b, tid)
            key = 'baton_plugin_calls_total{tenant="%s",plugin="probe",mode="in_process"}' % tid
            h.check(got == {key: n}, "%s: calls %r, expected %d" % (tid, got, n))
        logged = [l.get("tenant") for l in b.log_lines(since=before)
                  if l.get("msg") == "probe evaluated a case"]
        h.check(sorted(logged) == ["alpha", "alpha", "beta", "gamma"],
                "probe log lines name %r" % logged)

        # gamma's fee changes: only its instance is opened again.
        b.tenants[2] = h.tenant("gamma", "agency",
                                [{"path": "good-probe.so", "config": {"fee_minor": 300}}])
        b.write_config()
        done = reload(b, 2)
        h.check(done.get("plugin_inits") == "1" and done.get("plugin_instances") == "2",
                "reload with gamma changed: %r" % done)
        h.check(probe_fee(b, "gamma") == 300, "gamma's fee after the reload")
        h.check(probe_fee(b, "alpha") == 100, "alpha's fee after the reload")
        # Counters count since the config in use was loaded, as before.
        key = 'baton_plugin_calls_total{tenant="alpha",plugin="probe",mode="in_process"}'
        h.check(calls(b, "alpha") == {key: 2}, "alpha after the reload: %r" % calls(b, "alpha"))

        done = reload(b, 3)
        h.check(done.get("plugin_inits") == "0" and done.get("plugin_instances") == "2",
                "reload with nothing changed: %r" % done)
        h.check(probe_fee(b, "beta") == 100, "beta's fee after the second reload")
        h.check(b.stop() == 0, "exit status")


def test_isolated_plugins_are_never_shared_between_tenants():
    h.use_build_worker()
    iso = {"path": "good-probe.so", "config": {"fee_minor": 100}, "isolated": True}
    tenants = [h.tenant("delta", "agency", [iso]), h.tenant("epsilon", "agency", [iso])]
    config = {"isolation": {"workers_per_plugin": 1}}
    with h.Batond("shared-isolated", tenants=tenants, config=config).start() as b:
        up = [l for l in b.log_lines() if l.get("msg") == "listening"][-1]
        h.check(up.get("plugin_instances") == "0", "listening line: %r" % up)
        h.wait_for(lambda: not h.live_children(b.proc.pid), 10)
        h.check(probe_fee(b, "delta") == 100, "delta's fee")
        first = set(h.live_children(b.proc.pid))
        h.check(len(first) == 1, "workers after delta's call: %r" % first)
        h.check(probe_fee(b, "epsilon") == 100, "epsilon's fee")
        both = set(h.live_children(b.proc.pid))
        h.check(len(both) == 2 and first < both,
                "epsilon's call did not get a worker of its own: %r then %r" % (first, both))
        h.check(probe_fee(b, "delta") == 100, "delta again")
        h.check(set(h.live_children(b.proc.pid)) == both, "delta's worker was not reused")
        h.check(b.stop() == 0, "exit status")


if __name__ == "__main__":
    h.run([test_alike_tenants_share_an_instance_and_keep_their_own_counters_and_logs,
           test_isolated_plugins_are_never_shared_between_tenants])
