"""`baton evaluate --batch` gives the endpoint's lines: the same NDJSON
input through the CLI (with the tenant's config) and through
POST /v1/cases/evaluate/batch answers byte for byte the same lines, errors
included; exit status 1 when a line failed, 0 when none did; the progress
line goes to stderr only when it is a terminal; input from a file or
stdin, output to stdout or a file; --help describes --batch."""

import json
import os
import pty
import subprocess

import batch_client as bc
import batond_harness as h
import test_evaluate_batch as tb
import test_offline_cli as oc


def cli(*argv, stdin=None):
    r = subprocess.run([oc.baton(), *argv], capture_output=True, timeout=120, input=stdin)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def test_same_lines_as_the_endpoint():
    lines = [l for l, _ in tb.mixed_lines()]
    body = b"".join(lines)
    with h.Batond("cli-batch", tenants=[oc.northwind()]).start() as b:
        c = bc.BatchCall(b.port, b.tokens["northwind"])
        try:
            c.send_lines(lines)
            h.check(c.read_head() == 200, repr(c.status))
            api = b"".join(c.body_pieces())
        finally:
            c.close()
        tenant_file = os.path.join(b.dir, "config", "tenants", "northwind.json")
        common = ["--tenant-config", tenant_file, "--plugin-dir", h.args().plugin_dir]
        path = os.path.join(b.dir, "cases.ndjson")
        with open(path, "wb") as f:
            f.write(body)
        rc, out, err = cli("evaluate", "--batch", path, *common)
        h.check(rc == 1, "a batch with failed lines exits 1, got %d: %s" % (rc, err))
        h.check(out == api, "CLI and API lines differ:\n%s\n---\n%s" % (out[-600:], api[-600:]))
        h.check(err == "", "stderr is not a terminal, yet: %r" % err)
        # stdin, and an output file
        outp = os.path.join(b.dir, "answers.ndjson")
        rc, out, err = cli("evaluate", "--batch", "-o", outp, *common, stdin=body)
        with open(outp, "rb") as f:
            h.check(rc == 1 and out == b"" and f.read() == api, "stdin to -o: rc %d %s" % (rc, err))
        b.stop()


def test_exit_status_and_jurisdiction_plugins():
    good = tb.one_line(h.case_text())
    # no plugin list: each case's jurisdiction names its plugin
    rc, out, err = cli("evaluate", "--batch", "--plugin-dir", h.args().plugin_dir,
                       stdin=good * 3)
    got = [json.loads(l) for l in out.splitlines()]
    h.check(rc == 0 and [g.get("line") for g in got[:3]] == [1, 2, 3] and
            got[3] == {"summary": {"lines": 3, "cases": 3, "ok": 3, "errors": 0}},
            "rc %d %r %s" % (rc, out[-300:], err))
    # a jurisdiction without a plugin fails that line alone
    bad = json.loads(good)
    bad["jurisdiction"] = "zz"
    rc, out, err = cli("evaluate", "--batch", "--plugin-dir", h.args().plugin_dir,
                       stdin=good + json.dumps(bad).encode() + b"\n" + good)
    got = [json.loads(l) for l in out.splitlines()]
    h.check(rc == 1 and got[1]["line"] == 2 and got[1]["error"]["code"] == "plugin_refused" and
            "case_id" in got[2] and got[3]["summary"]["errors"] == 1,
            "rc %d %r" % (rc, got))
    # --as-of replaces each case's date
    rc, out, err = cli("evaluate", "--batch", "--as-of", "2026-05-01", "--plugin-dir",
                       h.args().plugin_dir, stdin=good)
    h.check(rc == 0 and json.loads(out.splitlines()[0])["as_of"] == "2026-05-01", out[:200])
    # --isolated: every plugin in a sandboxed worker, one case after the other
    h.use_build_worker()
    rc, out, err = cli("evaluate", "--batch", "--isolated", "--plugin-dir", h.args().plugin_dir,
                       stdin=good + b"{bad\n" + good)
    got = [json.loads(l) for l in out.splitlines()]
    h.check(rc == 1 and [g.get("line") for g in got[:3]] == [1, 2, 3] and
            all(p["mode"] == "isolated" for p in got[0]["plugins"] + got[2]["plugins"]) and
            got[1]["error"]["code"] == "invalid_json" and
            got[3]["summary"] == {"lines": 3, "cases": 3, "ok": 2, "errors": 1},
            "rc %d %r %s" % (rc, out[-300:], err))
    rc, out, err = cli("evaluate", "--batch", "/nonexistent/cases.ndjson")
    h.check(rc == 1 and "/nonexistent/cases.ndjson" in err, "rc %d %s" % (rc, err))
    rc, out, err = cli("evaluate", "--batch", "--compact")
    h.check(rc == 2, "--batch with --compact is a usage error, got %d" % rc)
    rc, out, err = cli("evaluate", "--help")
    h.check(rc == 0 and b"--batch" in out and b"docs/batch.md" in out, out[-400:])


def test_progress_on_a_terminal_only():
    good = tb.one_line(h.case_text())
    path = os.path.join(h.args().scratch, "progress.ndjson")
    os.makedirs(h.args().scratch, exist_ok=True)
    with open(path, "wb") as f:
        f.write(good * 400)
    master, slave = pty.openpty()
    try:
        p = subprocess.run([oc.baton(), "evaluate", "--batch", path, "--plugin-dir",
                            h.args().plugin_dir], stdout=subprocess.PIPE, stderr=slave,
                           timeout=120)
        os.close(slave)
        slave = -1
        tty = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            tty += chunk
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    h.check(p.returncode == 0 and p.stdout.count(b"\n") == 401, "rc %d" % p.returncode)
    h.check(b"400 cases (0 errors)" in tty and b"cases/s" in tty, "progress: %r" % tty[-300:])
    h.check(not p.stdout.startswith(b"\r") and b"cases/s" not in p.stdout, "progress on stdout")


def test_answers_come_as_lines_come_from_a_pipe():
    """A consumer feeding cases through a pipe gets each case's answer
    before it sends the next one (the CLI holds answers back only while it
    reads a file it need not wait for)."""
    import select
    good = tb.one_line(h.case_text())
    p = subprocess.Popen([oc.baton(), "evaluate", "--batch", "-", "--plugin-dir",
                          h.args().plugin_dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        for n in (1, 2, 3):
            p.stdin.write(good)
            p.stdin.flush()
            ready, _, _ = select.select([p.stdout], [], [], 20)
            h.check(ready, "no answer to line %d while stdin stays open" % n)
            line = p.stdout.readline()
            h.check(json.loads(line).get("line") == n, "line %d: %r" % (n, line[:200]))
        p.stdin.close()
        rest = p.stdout.read()
        h.check(p.wait(timeout=60) == 0, "exit %r" % p.returncode)
        h.check(json.loads(rest) == {"summary": {"lines": 3, "cases": 3, "ok": 3, "errors": 0}},
                repr(rest))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


if __name__ == "__main__":
    h.run([test_same_lines_as_the_endpoint, test_exit_status_and_jurisdiction_plugins,
           test_progress_on_a_terminal_only, test_answers_come_as_lines_come_from_a_pipe])
