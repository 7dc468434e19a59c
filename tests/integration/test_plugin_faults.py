"""Isolated plugins that misbehave cost one request a clear error, never
batond: tenant "mallory" runs fault.so (tests/faults/) isolated, and every
fault it can be asked for gets its documented answer (502 plugin_crashed,
504 plugin_timeout, 502 plugin_failed, 429 tenant_busy) while nothing leaks
(no key bytes in an answer, no connection made, no file written) and
batond keeps serving /healthz and the other tenants. Under 1,000 mixed
faults batond's memory, file descriptors and children stay bounded."""

import base64
import binascii
import glob
import itertools
import os
import queue
import random
import re
import select
import socket
import threading
import time

import batond_harness as h

# 1,000 in a normal build; the sanitizer build starts each replacement worker
# under AddressSanitizer (about 0.25 s each) and sets fewer.
FAULT_CALLS = int(os.environ.get("BATON_FAULT_CALLS", "1000"))

WORKERS = 4
ISOLATION = {
    # The default deadline: under a loaded CI machine a stack overflow can take
    # longer than half a second to end in SIGSEGV.
    "call_timeout_ms": 2000,
    "memory_mb": 256,
    "cpu_seconds": 60,
    "workers_per_plugin": WORKERS,
    "tenant_concurrency": 8,
    "tenant_queue": 64,
}

OK = (200, None)
CRASHED = (502, "plugin_crashed")
TIMEOUT = (504, "plugin_timeout")
FAILED = (502, "plugin_failed")
BUSY = (429, "tenant_busy")

# The documented answer(s) for each fault (tests/faults/README.md).
EXPECT = {
    "none": {OK},
    "segfault": {CRASHED},
    "abort": {CRASHED},
    "stack_overflow": {CRASHED},
    "exit0": {CRASHED},
    "fork_bomb": {CRASHED},
    "exec_shell": {CRASHED},
    "garbage_frames": {CRASHED},
    "write_view": {CRASHED},
    # A read-only open passes seccomp (dlopen needs it) and Landlock refuses
    # it (EACCES): the plugin reports its own failure. Nothing is read.
    "read_file": {FAILED, CRASHED},
    "connect": {CRASHED},
    "write_tmp": {CRASHED},
    "infinite_loop": {TIMEOUT},
    "sleep": {TIMEOUT},
    "alloc_8g": {FAILED, CRASHED},
}

# Finding codes fault.so adds only when a forbidden operation got through.
EVIDENCE = [b"fault_read_file", b"fault_connected", b"fault_wrote_tmp", b"fault_forked",
            b"fault_view_written", b"fault_allocated", b"fault_slept", b"fault_recursed"]

MIB = 1024 * 1024
# AddressSanitizer keeps freed memory in its quarantine (256 MiB at most),
# so the sanitizer build allows that much more.
RSS_MARGIN = int(os.environ.get("BATON_FAULT_RSS_MARGIN_MB", "20")) * MIB
FD_SLACK = 2
TAGS = itertools.count(1)


def tenants():
    return h.demo_tenants() + [
        h.tenant("mallory", "agency", [{"path": "fault.so", "isolated": True, "config": {}}])]


def start(name, isolation=ISOLATION):
    h.use_build_worker()
    return h.Batond(name, tenants=tenants(), config={"isolation": dict(isolation)}).start()


def fault_case(fault, **fields):
    return h.small_case("fault", "MAL-" + fault, fault=fault, **fields)


# ---- what must not leak ----

class Leaks:
    """The secrets and side doors a fault could reach, and checks that none
    of them was reached."""

    def __init__(self, b):
        self.b = b
        # A tenant's keys are made when its state is first used
        # (tenant_state.h): use it, so the key a fault must not reach exists.
        h.check(b.get("/v1/handoffs", token=b.tokens["northwind"]).status == 200, "handoffs")
        path = os.path.join(b.data_dir, "tenants", "northwind", "keys", "sign.key")
        with open(path, "rb") as f:
            key = f.read()
        secret_line = key.splitlines()[1].strip()
        self.key_path = path
        self.secrets = [secret_line, binascii.hexlify(secret_line),
                        binascii.hexlify(base64.b64decode(secret_line))]
        try:
            with open("/proc/1/environ", "rb") as f:
                env = f.read()
            if len(env) >= 16:
                self.secrets.append(binascii.hexlify(env[:32]))
        except OSError:
            pass  # not readable by the test either; the status check covers it
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.port = self.listener.getsockname()[1]
        # What write_tmp and exec_shell would leave behind. Only this run's
        # tags: another build's run may share /tmp.
        self.leftovers = ["/tmp/baton-fault-exec", "/tmp/baton-fault-t%d-*" % os.getpid()]
        for pattern in self.leftovers:
            for stale in glob.glob(pattern):
                os.unlink(stale)

    def close(self):
        self.listener.close()

    def next_tag(self):
        return "t%d-%d" % (os.getpid(), next(TAGS))

    def body(self, fault, target=None):
        """The case for one fault, aimed at the secrets above."""
        if fault == "read_file":
            return fault_case(fault, target=target or self.key_path)
        if fault == "connect":
            return fault_case(fault, port=self.port)
        if fault == "write_tmp":
            return fault_case(fault, tag=self.next_tag())
        return fault_case(fault)

    def check_answer(self, what, r):
        low = r.body.lower()
        for s in self.secrets:
            h.check(s.lower() not in low, "%s: the answer carries secret bytes: %r" % (what, r))
        for e in EVIDENCE:
            h.check(e not in r.body, "%s: the plugin got through (%s): %r" % (what, e.decode(), r))

    def check_side_effects(self, what):
        ready, _, _ = select.select([self.listener], [], [], 0.05)
        h.check(not ready, "%s: a fault connected to the test's listening socket" % what)
        files = [f for pattern in self.leftovers for f in glob.glob(pattern)]
        h.check(not files, "%s: a fault wrote %r" % (what, files))


def answer_ok(fault, r):
    """Checks r is a documented answer for fault; returns (status, code)."""
    got = (r.status, r.error_code() if r.status != 200 else None)
    want = EXPECT[fault]
    h.check(got in want, "fault %s: expected %s, got %r" % (
        fault, " or ".join("%d %s" % w for w in sorted(want, key=str)), r))
    if got == CRASHED:
        msg = r.json()["error"].get("message", "")
        h.check(re.search(r"\bfault\b", msg), "fault %s: the message does not name the plugin: %r"
                % (fault, msg))
    if got == OK:
        codes = [f["code"] for f in r.json()["findings"]]
        h.check(codes == ["fault_none"], "fault none: findings %r" % codes)
    return got


def check_alive(b, what):
    r = b.get("/healthz")
    h.check(r.status == 200, "after %s: /healthz answered %r" % (what, r))
    r = b.evaluate("northwind")
    h.check(r.status == 200, "after %s: northwind's evaluation answered %r" % (what, r))


def call(b, body, timeout=15):
    """One mallory evaluation on its own connection; the documented answers
    all come within the call deadline, so 15 s means no answer."""
    conn = b.connect(timeout=timeout)
    try:
        return b.evaluate("mallory", body=body, conn=conn)
    finally:
        conn.close()


def require_isolated(b):
    """fault.so must never run inside batond: make sure a worker answered
    before asking for anything destructive."""
    r = call(b, fault_case("none"))
    h.check(r.status == 200, "fault none (isolated) answered %r; log tail:\n%s"
            % (r, b.log_text()[-2000:]))
    answer_ok("none", r)
    kids = h.live_children(b.proc.pid)
    h.check(kids, "mallory's fault.so answered but batond has no child process: it ran in "
            "process, not in a worker; refusing to run the destructive faults")


# ---- the tests ----

def test_each_fault_gets_its_answer():
    with start("faults-each") as b:
        leaks = Leaks(b)
        try:
            require_isolated(b)
            order = ["segfault", "abort", "stack_overflow", "exit0", "fork_bomb", "exec_shell",
                     "garbage_frames", "write_view", "read_file", "read_file:/proc/1/environ",
                     "connect", "write_tmp", "infinite_loop", "sleep", "alloc_8g"]
            for item in order:
                fault, _, target = item.partition(":")
                started = time.time()
                r = call(b, leaks.body(fault, target=target or None))
                took = time.time() - started
                answer_ok(fault, r)
                leaks.check_answer(item, r)
                leaks.check_side_effects(item)
                if EXPECT[fault] == {TIMEOUT}:
                    h.check(took < 5, "%s: the timeout took %.1f s to come" % (item, took))
                check_alive(b, item)

            r = call(b, fault_case("none"))
            answer_ok("none", r)
            h.check(r.json().get("case_id") == "MAL-none",
                    "the case id came back as %r" % r.json().get("case_id"))
            h.check(h.wait_for(lambda: not h.zombies(b.proc.pid), 5),
                    "zombie children of batond: %r" % h.zombies(b.proc.pid))
            # /metrics counts them per tenant and plugin (for that tenant).
            text = b.get("/metrics", token=b.tokens["mallory"]).body.decode()
            for name in ("baton_plugin_crashes_total", "baton_plugin_timeouts_total"):
                m = re.search(r'^%s\{tenant="mallory",plugin="fault",mode="isolated"\} (\d+)$'
                              % name, text, re.M)
                h.check(m is not None and int(m.group(1)) > 0, "%s: %r" % (name, m))
        finally:
            leaks.close()
        h.check(b.stop() == 0, "batond's exit status after the faults")


def mix(n, seed=20260302):
    """n faults: a few timeouts (each costs the call deadline), some
    successes, the rest spread over every other fault."""
    rnd = random.Random(seed)
    fixed = ["infinite_loop"] * 8 + ["sleep"] * 8 + ["none"] * 80 + ["alloc_8g"] * 40
    others = [f for f in EXPECT if f not in ("infinite_loop", "sleep", "none", "alloc_8g")]
    items = fixed + [others[i % len(others)] for i in range(n - len(fixed))]
    rnd.shuffle(items)
    return items


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.bad = []
        self.seen = {}
        self.ok = 0

    def fail(self, msg):
        with self.lock:
            self.bad.append(msg)

    def got(self, fault, answer):
        with self.lock:
            self.seen[(fault, answer)] = self.seen.get((fault, answer), 0) + 1


def fault_worker(b, leaks, work, stats):
    conn = b.connect(timeout=15)
    try:
        while True:
            try:
                fault = work.get_nowait()
            except queue.Empty:
                return
            try:
                r = b.evaluate("mallory", body=leaks.body(fault), conn=conn)
                stats.got(fault, answer_ok(fault, r))
                leaks.check_answer(fault, r)
            except Exception as e:  # a wrong answer or a dropped connection
                stats.fail("%s: %s" % (fault, e))
                conn.close()
                conn = b.connect(timeout=15)
    finally:
        conn.close()


def northwind_worker(b, stop, stats):
    conn = b.connect(timeout=15)
    try:
        while not stop.is_set():
            try:
                r = b.evaluate("northwind", conn=conn)
                if r.status == 200:
                    with stats.lock:
                        stats.ok += 1
                else:
                    stats.fail("northwind: %r" % r)
            except Exception as e:
                stats.fail("northwind: %r" % e)
                conn.close()
                conn = b.connect(timeout=15)
    finally:
        conn.close()


def run_mix(b, leaks, faults, threads=WORKERS):
    """Runs faults over `threads` connections while northwind evaluates
    alongside; returns the stats of both."""
    work = queue.Queue()
    for f in faults:
        work.put(f)
    fstats, nstats, stop = Stats(), Stats(), threading.Event()
    nw = threading.Thread(target=northwind_worker, args=(b, stop, nstats))
    ts = [threading.Thread(target=fault_worker, args=(b, leaks, work, fstats))
          for _ in range(threads)]
    nw.start()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    stop.set()
    nw.join()
    return fstats, nstats


def settled(pid, want_fds):
    """Waits until batond's fd count is back to want_fds (+ slack) and it
    has no zombies; returns the fds."""
    h.wait_for(lambda: len(h.fds(pid)) <= want_fds + FD_SLACK and not h.zombies(pid), 10)
    return h.fds(pid)


def test_thousand_faults_leave_batond_as_it_was():
    with start("faults-mix") as b:
        leaks = Leaks(b)
        pid = b.proc.pid
        try:
            require_isolated(b)
            # Warm-up: every kind of fault once per worker, so pools, buffers
            # and the tenant's state exist before the baseline.
            warm = [f for f in EXPECT if EXPECT[f] != {TIMEOUT}] * 3
            fstats, nstats = run_mix(b, leaks, warm)
            h.check(not fstats.bad and not nstats.bad, "warm-up: %r" % (fstats.bad +
                                                                        nstats.bad)[:5])
            time.sleep(1)
            h.wait_for(lambda: not h.zombies(pid), 5)
            base_fds = h.fds(pid)
            base_rss = h.rss_bytes(pid)

            faults = mix(FAULT_CALLS)
            started = time.time()
            fstats, nstats = run_mix(b, leaks, faults)
            took = time.time() - started
            print("  %d faults in %.1f s; %d northwind evaluations alongside; answers: %s"
                  % (len(faults), took, nstats.ok, sorted("%s=%d %s:%d" % (f, a[0], a[1], n)
                                             for (f, a), n in fstats.seen.items())), flush=True)
            h.check(not nstats.bad, "%d northwind evaluations failed, e.g. %s"
                    % (len(nstats.bad), nstats.bad[:3]))
            h.check(not fstats.bad, "%d of %d fault calls got a wrong answer, e.g. %s"
                    % (len(fstats.bad), len(faults), fstats.bad[:5]))
            h.check(sum(fstats.seen.values()) == len(faults), "answers missing: %d of %d"
                    % (sum(fstats.seen.values()), len(faults)))
            h.check(nstats.ok >= 20, "northwind only evaluated %d times alongside" % nstats.ok)
            leaks.check_side_effects("1000 faults")
            check_alive(b, "1000 faults")

            now = settled(pid, len(base_fds))
            h.check(len(now) <= len(base_fds) + FD_SLACK,
                    "batond holds %d fds, %d before the faults; new: %r" % (
                        len(now), len(base_fds),
                        sorted(set(now.values()) - set(base_fds.values()))[:10]))
            h.check(not h.zombies(pid), "zombie children of batond: %r" % h.zombies(pid))
            live = h.live_children(pid)
            h.check(len(live) <= WORKERS, "batond has %d live children, at most %d workers "
                    "expected: %r" % (len(live), WORKERS, live))
            rss = h.rss_bytes(pid)
            h.check(rss <= base_rss + RSS_MARGIN, "batond's RSS grew from %.1f to %.1f MiB"
                    % (base_rss / MIB, rss / MIB))
            answer_ok("none", call(b, fault_case("none")))
        finally:
            leaks.close()
        h.check(b.stop() == 0, "batond's exit status after the faults")


def test_too_many_calls_of_one_tenant_get_tenant_busy():
    lim = dict(ISOLATION, tenant_concurrency=1, tenant_queue=1, workers_per_plugin=1)
    with start("faults-busy", isolation=lim) as b:
        require_isolated(b)
        n = 6
        answers = [None] * n
        conns = [b.connect(timeout=15) for _ in range(n)]
        gate = threading.Barrier(n)

        def one(i):
            gate.wait()
            try:
                answers[i] = b.evaluate("mallory", body=fault_case("sleep"), conn=conns[i])
            except Exception as e:
                answers[i] = e

        ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        for c in conns:
            c.close()
        got = []
        for a in answers:
            h.check(isinstance(a, h.Response), "a call got no answer: %r" % a)
            got.append((a.status, a.error_code()))
        h.check(all(g in (TIMEOUT, BUSY) for g in got), "answers: %r" % answers)
        h.check(BUSY in got, "6 calls at once with concurrency 1 and queue 1, yet no 429 "
                "tenant_busy: %r" % got)
        h.check(TIMEOUT in got, "no call ran to its deadline: %r" % got)
        check_alive(b, "tenant_busy")
        answer_ok("none", call(b, fault_case("none")))
        h.check(b.stop() == 0, "batond's exit status")


if __name__ == "__main__":
    h.run([test_each_fault_gets_its_answer, test_thousand_faults_leave_batond_as_it_was,
           test_too_many_calls_of_one_tenant_get_tenant_busy])
