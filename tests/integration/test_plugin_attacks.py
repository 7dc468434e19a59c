"""Attacks an isolated plugin can make on its sandbox and on the worker
protocol that batond defends against today (tests/attacks/, the security
review of the isolation layer): tenant "mallory" runs attack.so isolated.

Every trapped system call (threads, vfork, io_uring, userfaultfd, bpf,
keyctl, memfd, executable memory, /proc/self/mem, signals to the process
group or to batond) costs the request 502 plugin_crashed; calls that are
neither allowed nor trapped (ioctl on fd 3, personality, setrlimit,
prlimit, dup, timers, setpriority, a SIGSYS handler, making the case view
writable) fail with EPERM/EACCES; a REPLY the plugin forges with an
operation the host's builder refuses, a frame over the size limit, half a
frame, closing fd 3 or blocking SIGSYS never get an answer accepted; a
forged REPLY of 100,000 log lines logs at most 64. batond keeps serving
the other tenants, leaves no zombie and drains on SIGTERM.

The holes the review found are not tested here (they would fail): see
tests/attacks/README.md."""

import time

import batond_harness as h

ISOLATION = {
    "call_timeout_ms": 1000,
    "memory_mb": 256,
    "cpu_seconds": 60,
    "workers_per_plugin": 2,
    "tenant_concurrency": 8,
    "tenant_queue": 64,
}

CRASHED = (502, "plugin_crashed")
TIMEOUT = (504, "plugin_timeout")

TRAPPED = {
    "thread": None,  # glibc blocks signals around clone: killed by SIGSYS
    "vfork": "vfork",
    "io_uring": "io_uring_setup",
    "userfaultfd": "userfaultfd",
    "bpf": "bpf",
    "keyctl": "keyctl",
    "memfd": "memfd_create",
    "mprotect_exec": "mprotect",
    "proc_self_mem": "openat",
    "kill_group": "kill",
    "kill_parent": "kill",
}

# Probes that must fail, and how (attack_plugin.c: attack_probe).
PROBES_REFUSED = ["ioctl_fionread_fd3", "personality", "setrlimit_as", "prlimit_cpu", "dup_fd3",
                  "fcntl_dupfd", "setitimer", "alarm_via_timer_create", "setpriority",
                  "rt_sigaction_sigsys", "mprotect_view_rw"]


def attack_case(attack, **fields):
    return h.small_case("attack", "ATK-" + attack, attack=attack, **fields)


B = None


def batond():
    global B
    if B is None:
        h.use_build_worker()
        tenants = h.demo_tenants() + [h.tenant("mallory", "agency", [
            {"path": "attack.so", "isolated": True, "config": {}}])]
        B = h.Batond("attacks", tenants=tenants,
                     config={"isolation": dict(ISOLATION)}).start()
    return B


def attack(name, **fields):
    return batond().evaluate("mallory", body=attack_case(name, **fields))


def forged(name, r):
    """False when the plugin could not find its call id to forge a REPLY
    (it reads the worker's frame buffer off the brk heap, which an
    AddressSanitizer worker does not use): that check is skipped."""
    if r.status == 502 and r.error_code() == "plugin_failed":
        print("skip %s: no call id found in this build's worker" % name, flush=True)
        return False
    return True


def others_fine():
    b = batond()
    h.check(b.get("/healthz").status == 200, "healthz")
    r = b.evaluate("southbank")
    h.check(r.status == 200, "southbank: %r" % r)


def test_baseline():
    r = attack("none")
    h.check(r.status == 200, repr(r))
    h.check(r.json()["facts"]["attack"]["outcome"] == "none", repr(r))


def test_trapped_calls():
    for name, call in TRAPPED.items():
        r = attack(name)
        h.check((r.status, r.error_code()) == CRASHED, "%s: %r" % (name, r))
        msg = r.json()["error"]["message"]
        h.check("plugin attack" in msg and "isolated" in msg, "%s: %s" % (name, msg))
        if call is not None:
            h.check("forbidden system call " + call in msg, "%s: %s" % (name, msg))
        h.check(b"attack_" not in r.body.replace(b"plugin attack", b""), "%s: %r" % (name, r))
    others_fine()


def test_refused_calls():
    r = attack("probe")
    h.check(r.status == 200, repr(r))
    texts = [f["text"] for f in r.json()["findings"] if f["code"] == "attack_probe"]
    for probe in PROBES_REFUSED:
        line = [t for t in texts if t.startswith(probe + ":")]
        h.check(len(line) == 1, "%s missing from %r" % (probe, texts))
        h.check(line[0].startswith(probe + ": -1 ("), "%s was allowed: %s" % (probe, line[0]))


def test_descriptor_and_signal_tricks():
    for name in ("close3", "block_sigsys", "segv_loop"):
        r = attack(name)
        # segv_loop's handler spins until the deadline; under
        # AddressSanitizer, whose runtime owns SIGSEGV, the worker dies first.
        expect = {TIMEOUT, CRASHED} if name == "segv_loop" else {CRASHED}
        if name == "block_sigsys":
            # Its read-only open is refused by Landlock (EACCES), not trapped.
            expect.add((502, "plugin_failed"))
        h.check((r.status, r.error_code()) in expect, "%s: %r" % (name, r))
        h.check(b"root:" not in r.body, "%s read a file: %r" % (name, r))
    others_fine()


def test_forged_frames():
    r = attack("forge_bad_op")
    if forged("forge_bad_op", r):
        h.check((r.status, r.error_code()) == CRASHED, repr(r))
        h.check("refused by the host's builder" in r.json()["error"]["message"], repr(r))
    r = attack("oversize")
    h.check((r.status, r.error_code()) == CRASHED, repr(r))
    h.check("bad size" in r.json()["error"]["message"], repr(r))
    r = attack("half_frame")
    h.check((r.status, r.error_code()) == TIMEOUT, repr(r))
    # A forged reply, then the worker's own one while idle: the worker is
    # replaced and the next call answers normally.
    r = attack("forge_twice")
    h.check(r.status == 200 or not forged("forge_twice", r), repr(r))
    time.sleep(0.5)  # the second reply, while idle, ends that worker first
    r = attack("none")
    h.check(r.status == 200, repr(r))
    others_fine()


def test_forged_log_flood():
    b = batond()
    before = len([l for l in b.log_lines() if l.get("event") == "plugin_log"])
    r = attack("forge_logs", ops=100000)
    if not forged("forge_logs", r):
        return
    # The worker sleeps after its forged reply; the call itself succeeded.
    h.check(r.status == 200, repr(r))
    time.sleep(0.3)
    logged = [l for l in b.log_lines() if l.get("event") == "plugin_log"][before:]
    h.check(len(logged) <= 64, "%d plugin log lines" % len(logged))
    h.check(all(l.get("tenant") == "mallory" for l in logged), repr(logged[:2]))
    others_fine()


def test_forged_facts_cannot_stall_the_loop():
    """A forged reply with 100,000 distinct facts: refused (at most 1,024
    facts, 4,096 operations per reply), in well under a second, while other
    tenants keep their answers."""
    # Earlier forgeries leave workers asleep in the plugin: their next
    # call times out and replaces them. Get a healthy worker first.
    for _ in range(4):
        if attack("none").status == 200:
            break
    started = time.time()
    r = attack("forge_facts", ops=100000)
    took = time.time() - started
    if not forged("forge_facts", r):
        return
    h.check((r.status, r.error_code()) == CRASHED, repr(r))
    h.check(took < 2, "the forged facts took %.1f s" % took)
    others_fine()


def test_worker_burning_cpu_while_idle_is_stopped():
    """forge_burn answers its call itself, then spins: within a few sweeps
    its worker is gone (batond logs why) and the next call works."""
    b = batond()
    r = attack("forge_burn")
    if not forged("forge_burn", r):
        return
    h.check(r.status == 200, repr(r))
    deadline = time.time() + 6
    stopped = []
    while time.time() < deadline and not stopped:
        time.sleep(0.5)
        stopped = [l for l in b.log_lines() if l.get("event") == "plugin_log" and
                   "used CPU while it had no call" in l.get("msg", "")]
    h.check(stopped, "a worker burning CPU while idle is still alive after 6 s")
    h.check(stopped[0].get("tenant") == "mallory", repr(stopped[0]))
    r = attack("none")
    h.check(r.status == 200, repr(r))
    others_fine()


def test_long_plugin_log_keeps_its_attribution():
    b = batond()
    r = attack("log_spoof")
    h.check(r.status in (200, 502), repr(r))
    time.sleep(0.3)
    for line in b.log_lines():
        if "re-keyed" in line.get("msg", ""):
            h.check(line.get("tenant") == "mallory" and line.get("plugin") == "attack",
                    "a plugin's log line lost its attribution: %r" % sorted(line))
            h.check(len(line["msg"]) <= 1100, "%d bytes of plugin message" % len(line["msg"]))


def test_no_zombies_and_drain():
    b = batond()
    pid = b.proc.pid
    h.check(h.wait_for(lambda: not h.zombies(pid), 5), "zombies left: %r" % h.children(pid))
    h.check(b.stop() == 0, "batond did not drain cleanly")
    h.check(not h.children(pid), "workers outlived batond: %r" % h.children(pid))


if __name__ == "__main__":
    h.run([test_baseline, test_trapped_calls, test_refused_calls,
           test_descriptor_and_signal_tricks, test_forged_frames, test_forged_log_flood,
           test_forged_facts_cannot_stall_the_loop, test_worker_burning_cpu_while_idle_is_stopped,
           test_long_plugin_log_keeps_its_attribution, test_no_zombies_and_drain])
