"""batond_harness - start a real batond for a test and talk HTTP to it.

Every integration test is a script run by ctest with
    --batond PATH --plugin-dir DIR --scratch DIR --source-dir DIR
It builds a Batond (a temp config with its tenants, tokens issued through
`batond token create`, a free port), calls it over real sockets, and stops
it. Python standard library only.
"""

import argparse
import glob
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback

ARGS = None


def args():
    global ARGS
    if ARGS is None:
        p = argparse.ArgumentParser()
        p.add_argument("--batond", required=True)
        p.add_argument("--plugin-dir", required=True)
        p.add_argument("--scratch", required=True)
        p.add_argument("--source-dir", required=True)
        ARGS = p.parse_args()
    return ARGS


def case_text(name="gb-ew-2k.json"):
    """A case file from tests/integration/cases, as bytes."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases", name)
    with open(path, "rb") as f:
        return f.read()


def tenant(tid, kind, plugins=(), **extra):
    """A tenant file's content; plugins are names ("gb-ew") or dicts."""
    items = []
    for p in plugins:
        items.append(p if isinstance(p, dict) else {"path": p + ".so", "config": {}})
    t = {"id": tid, "kind": kind, "plugins": items}
    t.update(extra)
    return t


def demo_tenants():
    """The three tenants of the demo config, shaped the same way."""
    return [
        tenant("northwind", "agency", ["gb-ew", "northwind"]),
        tenant("southbank", "agency", ["gb-ew"]),
        tenant("harbor-law", "lawfirm", []),
    ]


def small_case(jurisdiction, case_id, **fields):
    """A minimal baton-case/1 body (bytes) for a test plugin's jurisdiction:
    a GBP 100.00 claim, plus fields (e.g. the misbehaviour it asks for)."""
    address = {"lines": ["1 High Street"], "city": "London", "country": "GB"}
    c = {
        "format": "baton-case/1",
        "case_id": case_id,
        "jurisdiction": jurisdiction,
        "as_of": "2026-03-02",
        "creditor": {"name": "Test Creditor Ltd", "kind": "business", "address": address},
        "debtor": {"name": "Test Debtor Ltd", "kind": "business", "address": address},
        "claim": {"principal": {"amount": "100.00", "currency": "GBP"},
                  "contract_type": "written", "due_date": "2026-01-02"},
    }
    c.update(fields)
    return json.dumps(c).encode()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    def json(self):
        return json.loads(self.body)

    def error_code(self):
        try:
            return self.json()["error"]["code"]
        except Exception:
            return None

    def __repr__(self):
        return "<%d %r>" % (self.status, self.body[:200])


class Batond:
    """One batond process with its own config, data dir, tokens and port."""

    def __init__(self, name, tenants=None, config=None, issue_tokens=True):
        a = args()
        self.name = name
        self.dir = os.path.join(a.scratch, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(os.path.join(self.dir, "config", "tenants"))
        self.config_path = os.path.join(self.dir, "config", "batond.json")
        self.data_dir = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "batond.log")
        self.tenants = tenants if tenants is not None else demo_tenants()
        self.config = {
            "listen": "127.0.0.1:0",
            "plugin_dir": os.path.abspath(a.plugin_dir),
            "data_dir": "../data",
            "tenants": ["tenants/"],
            "limits": {"max_body_bytes": 65536, "max_header_bytes": 8192,
                       "header_timeout_ms": 5000, "body_timeout_ms": 5000},
        }
        if config:
            self.config.update(config)
        self.write_config()
        self.tokens = {}
        if issue_tokens:
            for t in self.tenants:
                self.tokens[t["id"]] = self.issue_token(t["id"])
        self.proc = None
        self.port = None

    def write_config(self):
        tdir = os.path.join(self.dir, "config", "tenants")
        for f in os.listdir(tdir):
            os.unlink(os.path.join(tdir, f))
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, indent=2)
        for t in self.tenants:
            with open(os.path.join(tdir, t["id"] + ".json"), "w") as f:
                json.dump(t, f, indent=2)

    def run(self, *argv, timeout=60):
        """Runs batond with the test's config and extra arguments."""
        return subprocess.run([args().batond, "-c", self.config_path] + list(argv),
                              capture_output=True, text=True, timeout=timeout)

    def issue_token(self, tid):
        r = self.run("token", "create", tid)
        if r.returncode != 0:
            raise AssertionError("token create %s failed: %s" % (tid, r.stderr))
        return r.stdout.strip()

    def start(self, wait=True, preexec_fn=None):
        """Starts batond; preexec_fn runs in the child before exec (e.g. to
        lower a resource limit)."""
        self.log_file = open(self.log_path, "ab")
        self.log_offset = os.path.getsize(self.log_path)
        self.proc = subprocess.Popen([args().batond, "-c", self.config_path],
                                     stdout=subprocess.DEVNULL, stderr=self.log_file,
                                     preexec_fn=preexec_fn)
        if wait:
            self.wait_listening()
        return self

    def wait_listening(self, timeout=30):
        deadline = time.time() + timeout
        self.port = None  # a restarted batond listens on a new port
        while time.time() < deadline:
            for line in self.log_lines(since=self.log_offset):
                if line.get("msg") == "listening":
                    self.port = int(line["address"].rsplit(":", 1)[1])
            if self.port:
                break
            if self.proc.poll() is not None:
                raise AssertionError("batond exited with %d:\n%s" % (self.proc.returncode,
                                                                     self.log_text()))
            time.sleep(0.02)
        if not self.port:
            raise AssertionError("batond did not start listening:\n" + self.log_text())
        while time.time() < deadline:
            try:
                if self.get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise AssertionError("batond did not answer /healthz")

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_lines(self, since=0):
        """Every JSON log line written so far (all runs of this instance),
        or those after byte offset since."""
        out = []
        with open(self.log_path, "rb") as f:
            f.seek(since)
            text = f.read().decode("utf-8", "replace")
        for raw in text.splitlines():
            raw = raw.strip()
            if not raw:
                continue
            try:
                out.append(json.loads(raw))
            except ValueError:
                out.append({"msg": raw, "unparsed": True})
        return out

    def connect(self, timeout=20):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, token=None, headers=None, conn=None):
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        own = conn is None
        c = conn or self.connect()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            if own:
                c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def evaluate(self, tenant_id=None, body=None, token=None, **kw):
        if token is None and tenant_id is not None:
            token = self.tokens[tenant_id]
        hdrs = {"Content-Type": "application/json"}
        hdrs.update(kw.pop("headers", {}))
        return self.request("POST", "/v1/cases/evaluate",
                            body=case_text() if body is None else body,
                            token=token, headers=hdrs, **kw)

    def audit_records(self, tenant_id, limit=1000):
        """Every audit record of a tenant, oldest first, read page by page
        from GET /v1/audit (following next_after until it is null)."""
        out, after = [], 0
        while True:
            r = self.get("/v1/audit?after=%d&limit=%d" % (after, limit),
                         token=self.tokens[tenant_id])
            if r.status != 200:
                raise AssertionError("GET /v1/audit: %r" % r)
            page = r.json()
            out.extend(page["records"])
            if page["next_after"] is None:
                return out
            after = page["next_after"]

    def raw(self, data, timeout=10, read_all=True):
        """Sends raw bytes on a new connection; returns what came back
        until the server closed or the timeout passed."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            chunks = []
            s.settimeout(timeout)
            while True:
                try:
                    b = s.recv(65536)
                except socket.timeout:
                    break
                if not b:
                    break
                chunks.append(b)
                if not read_all:
                    break
            return b"".join(chunks)
        finally:
            s.close()

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        """SIGTERM and wait; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise AssertionError("batond did not stop within %ds after SIGTERM" % timeout)
        finally:
            self.log_file.close()
        self.proc = None
        return rc

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        return False


# ---- the build's other programs ----


def baton_cli():
    """The baton CLI of this build: <build>/host/batond -> <build>/tools/baton."""
    return os.path.join(os.path.dirname(os.path.abspath(args().batond)), "..", "tools", "baton")


def use_build_worker():
    """batond finds baton-worker through $BATON_WORKER, next to itself, or
    installed; in a build tree it may sit in another folder: sets
    $BATON_WORKER (inherited by the batond a test starts) when it does."""
    if os.environ.get("BATON_WORKER"):
        return
    if os.path.exists(os.path.join(os.path.dirname(os.path.abspath(args().batond)),
                                   "baton-worker")):
        return
    build = os.path.dirname(os.path.abspath(args().plugin_dir))
    for rel in ("host/worker", "host", "tools", "bin", "worker"):
        path = os.path.join(build, rel, "baton-worker")
        if os.access(path, os.X_OK):
            os.environ["BATON_WORKER"] = path
            return


def sha256_of(path):
    """The hex SHA-256 of a file's bytes."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---- a process as seen from /proc ----


def proc_stats():
    """{pid: (ppid, state)} of every process we can see."""
    out = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                text = f.read()
        except OSError:
            continue
        rest = text.rsplit(")", 1)[1].split()  # comm may hold spaces
        out[int(stat.split("/")[2])] = (int(rest[1]), rest[0])
    return out


def children(pid):
    """{child pid: state} of pid's children (zombies included)."""
    return {p: st for p, (pp, st) in proc_stats().items() if pp == pid}


def live_children(pid):
    """pid's children that are not zombies."""
    return [p for p, st in children(pid).items() if st != "Z"]


def zombies(pid):
    return sorted(p for p, st in children(pid).items() if st == "Z")


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS for %d" % pid)


def fds(pid):
    """{fd: what it points to} of pid's open file descriptors."""
    d = "/proc/%d/fd" % pid
    out = {}
    for n in os.listdir(d):
        try:
            out[int(n)] = os.readlink(os.path.join(d, n))
        except OSError:
            pass
    return out


def wait_for(pred, timeout, interval=0.1):
    """Polls pred until it is true (True) or timeout seconds passed (False)."""
    deadline = time.time() + timeout
    while True:
        if pred():
            return True
        if time.time() > deadline:
            return False
        time.sleep(interval)


def status_line(resp_bytes):
    """The status code of a raw HTTP response, or None."""
    if not resp_bytes.startswith(b"HTTP/1."):
        return None
    return int(resp_bytes.split(b" ", 2)[1])


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def run(tests):
    """Runs test functions in order; prints each result; exits non-zero on
    any failure."""
    args()
    failed = 0
    for t in tests:
        start = time.time()
        try:
            t()
            print("ok   %s (%.2fs)" % (t.__name__, time.time() - start), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s" % t.__name__, flush=True)
            traceback.print_exc()
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    sys.exit(1 if failed else 0)
