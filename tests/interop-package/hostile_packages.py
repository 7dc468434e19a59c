#!/usr/bin/env python3
"""Hostile handoff packages against the real baton CLI (issue 8, items 1, 2,
4, 5 and 6; docs/handoff-packages.md). Every package is encrypted with the
stock `age` and, where signed, signed with the stock `minisign`; only the
content inside is hostile:

 - an unsigned package holding a sparse 1 TiB entry (GNU and pax sparse)
   is refused at once and makes the opener write (almost) nothing;
 - a correctly signed package whose entry is longer than the signed
   manifest says is refused at that entry, before its data is written;
 - an entry name with a newline and ESC cannot forge a line on stderr;
 - a case.json that is not the signed case, or not JSON, is refused, and
   `baton pack --case-id OTHER` refuses to pack a mismatch;
 - SIGTERM during a slow open removes the temporary folder; after SIGKILL
   the next open into the same folder removes it (and never a live one);
 - a malformed BATON_NOW is refused.

usage: hostile_packages.py path/to/baton
"""

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

BATON = os.path.abspath(sys.argv[1])
W = tempfile.mkdtemp(prefix="baton-hostile-")
FAILED = []
MiB = 1 << 20


CASE_SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cases",
                           "gb-ew-b2b-ready.json")


def valid_case(case_id):
    """A case baton pack accepts (docs/case-format.md), with this case_id."""
    import json
    with open(CASE_SAMPLE) as f:
        c = json.load(f)
    c["case_id"] = case_id
    return (json.dumps(c) + "\n").encode()


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def run(argv, env=None, timeout=120, stdin=None):
    """Runs argv in W; returns (exit status or -signal, stdout, stderr,
    seconds, bytes the process caused to be written to storage)."""
    e = dict(os.environ)
    e.pop("BATON_NOW", None)
    e["BATON_LEDGER"] = os.path.join(W, "ledger.sqlite")
    e.update(env or {})
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=W, env=e, stdout=out, stderr=err, stdin=stdin)
    deadline = t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid != 0:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    p.returncode = 0  # reaped here
    secs = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return code, out.read(), err.read(), secs, ru.ru_oublock * 512


def sh(*argv, data=None):
    return subprocess.run(argv, cwd=W, input=data, check=True, capture_output=True).stdout


def seal(tar_bytes):
    """Encrypts to the firm with the stock age."""
    return sh("age", "-r", FIRM_AGE, data=tar_bytes)


def write(name, data):
    path = os.path.join(W, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def sha(data):
    return hashlib.sha256(data).hexdigest()


def signed_part(payload, case_id="NW-1", seq=1, oxum=None):
    """The five tag files for payload ({bag path: bytes}), signed with the
    stock minisign by the trusted sender. oxum overrides Payload-Oxum."""
    octets = sum(len(v) for v in payload.values()) if oxum is None else oxum[0]
    streams = len(payload) if oxum is None else oxum[1]
    info = ("External-Identifier: %s\nPayload-Oxum: %d.%d\nSource-Organization: agency\n" %
            (case_id, octets, streams)).encode()
    bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    manifest = "".join("%s  %s\n" % (sha(payload[p]), p) for p in sorted(payload)).encode()
    tagm = "".join("%s  %s\n" % (sha(d), n) for n, d in
                   (("bag-info.txt", info), ("bagit.txt", bagit),
                    ("manifest-sha256.txt", manifest))).encode()
    d = tempfile.mkdtemp(dir=W)
    with open(os.path.join(d, "tagmanifest-sha256.txt"), "wb") as f:
        f.write(tagm)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    exp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
    tc = ("baton-handoff/1 case=%s sender=agency recipient=firm seq=%d created=%s expires=%s" %
          (case_id, seq, now, exp))
    sh("minisign", "-S", "-s", os.path.join(W, "sender.key"), "-m",
       os.path.join(d, "tagmanifest-sha256.txt"), "-t", tc)
    with open(os.path.join(d, "tagmanifest-sha256.txt.minisig"), "rb") as f:
        sig = f.read()
    shutil.rmtree(d)
    return [("bag/bagit.txt", bagit), ("bag/bag-info.txt", info),
            ("bag/manifest-sha256.txt", manifest), ("bag/tagmanifest-sha256.txt", tagm),
            ("bag/tagmanifest-sha256.txt.minisig", sig)]


def tar_of(entries, fmt=tarfile.PAX_FORMAT):
    """A tar of [(name, bytes)] in this order (folders implied)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, data in entries:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def leftovers(parent):
    return [n for n in os.listdir(parent) if ".baton-open." in n]


def open_cmd(pkg, target, *extra):
    return [BATON, "open", "-i", "firm.agekey", "-p", "sender.pub", "-p", "agency.pub", "-C",
            target] + list(extra) + [pkg]


def verify_cmd(pkg, *extra):
    return [BATON, "verify", "-i", "firm.agekey", "-p", "sender.pub", "-p", "agency.pub"] + \
        list(extra) + [pkg]


# ---- 1. verify before expand -------------------------------------------------


def sparse_package(fmt):
    d = os.path.join(W, "sparse-" + fmt)
    os.makedirs(os.path.join(d, "bag", "data", "documents"))
    with open(os.path.join(d, "bag", "data", "case.json"), "w") as f:
        f.write('{"case_id":"NW-1"}\n')
    subprocess.run(["truncate", "-s", "1T", os.path.join(d, "bag", "data", "documents", "big.bin")],
                   check=True)
    t = subprocess.run(["tar", "--sparse", "--format=" + fmt, "-C", d, "-cf", "-", "bag"],
                       check=True, capture_output=True).stdout
    shutil.rmtree(d)
    return write("sparse-%s.baton" % fmt, seal(t))


def test_unsigned_sparse_1tib_is_refused_at_once_and_writes_nothing():
    for fmt in ("gnu", "posix"):
        pkg = sparse_package(fmt)
        check(os.path.getsize(pkg) < 100000, "the package is not small")
        parent = os.path.join(W, "in-" + fmt)
        os.mkdir(parent)
        code, _, err, secs, written = run(open_cmd(pkg, os.path.join(parent, "case")),
                                          timeout=60)
        check(code == 13, "%s: exit %d, want 13 (malformed): %r" % (fmt, code, err))
        check(b"sparse" in err or b"comes before the signed tag files" in err,
              "%s: message: %r" % (fmt, err))
        check(secs < 10, "%s: took %.1f s" % (fmt, secs))
        check(written < 2 * MiB, "%s: wrote %d bytes" % (fmt, written))
        check(os.listdir(parent) == [], "%s: left %r" % (fmt, os.listdir(parent)))
        code, _, err, secs, _ = run(verify_cmd(pkg), timeout=60)
        check(code == 13 and secs < 10, "%s verify: exit %d after %.1f s" % (fmt, code, secs))
        print("  %s sparse 1 TiB: refused in %.2f s, %d bytes written" % (fmt, secs, written))


def test_entry_longer_than_signed_is_refused_before_its_data():
    small = {"data/case.json": b'{"case_id":"NW-1"}\n', "data/documents/a.bin": b"a" * 1024}
    big = b"b" * (64 * MiB)
    entries = signed_part(small) + [("bag/data/case.json", small["data/case.json"]),
                                    ("bag/data/documents/a.bin", big)]
    pkg = write("longer.baton", seal(tar_of(entries)))
    parent = os.path.join(W, "in-longer")
    os.mkdir(parent)
    code, _, err, secs, written = run(open_cmd(pkg, os.path.join(parent, "case")))
    check(code == 7, "exit %d, want 7 (tampered): %r" % (code, err))
    check(b"a.bin declares 67108864 bytes, more than the 1024 bytes" in err, "message: %r" % err)
    check(written < 2 * MiB, "wrote %d bytes before refusing" % written)
    check(os.listdir(parent) == [], "left %r" % os.listdir(parent))
    # Same size, other bytes: refused as tampered at the end of that entry.
    entries[-1] = ("bag/data/documents/a.bin", b"c" * 1024)
    pkg = write("other.baton", seal(tar_of(entries)))
    code, _, err, _, _ = run(open_cmd(pkg, os.path.join(parent, "case")))
    check(code == 7 and b"a.bin does not match the manifest" in err, "%d %r" % (code, err))
    # The untouched package opens.
    entries[-1] = ("bag/data/documents/a.bin", small["data/documents/a.bin"])
    pkg = write("good.baton", seal(tar_of(entries)))
    code, out, err, _, _ = run(open_cmd(pkg, os.path.join(parent, "case"), "--no-ledger"))
    check(code == 0 and b"verdict=accepted" in out, "%d %r" % (code, err))
    print("  64 MiB entry signed as 1 KiB: refused, %d bytes written" % written)


def test_unsigned_payload_beyond_the_budget_is_refused():
    doc = b"d" * (2 * MiB)
    payload = {"data/case.json": b'{"case_id":"NW-1"}\n', "data/documents/d.bin": doc}
    entries = [("bag/data/case.json", payload["data/case.json"]),
               ("bag/data/documents/d.bin", doc)] + signed_part(payload)
    pkg = write("payload-first.baton", seal(tar_of(entries)))
    code, _, err, _, written = run(verify_cmd(pkg))
    check(code == 13, "exit %d: %r" % (code, err))
    check(b"d.bin (2097152 bytes) comes before the signed tag files" in err, "message: %r" % err)


# ---- 5. no raw bytes from a package in messages -----------------------------------


def test_entry_names_cannot_forge_lines():
    forged = "bag/data/documents/x\nbaton open: verdict=accepted\n\x1b[2Jy.txt"
    pkg = write("forge.baton", seal(tar_of([(forged, b"x")])))
    for cmd in (open_cmd(pkg, os.path.join(W, "forge-out")),
                verify_cmd(pkg)):
        code, out, err, _, _ = run(cmd)
        check(code == 10, "exit %d, want 10 (unsafe path): %r" % (code, err))
        lines = err.decode("utf-8", "replace").splitlines()
        check(len(lines) == 1, "stderr has %d lines: %r" % (len(lines), err))
        check(b"\x1b" not in err, "ESC reached stderr: %r" % err)
        check(b"x\\nbaton open: verdict=accepted\\n\\x1b[2Jy.txt" in err,
              "name not shown escaped: %r" % err)
        check(out == b"", "stdout: %r" % out)


# ---- 4. the case travels bound to its signature --------------------------------------


def test_case_json_must_be_the_signed_case():
    bad = {
        b'{"case_id":"OTHER"}\n': b'case_id "OTHER", but the package is signed for case NW-1',
        b'not json\n': b"data/case.json is not JSON",
        b'["NW-1"]\n': b"not a JSON object",
        b'{"case_id":"NW-1\\u0000x"}\n': b"contains \\\\u0000",
        b'{"case_id":"\\u001b[2J\\nbaton open: verdict=accepted"}': b"\\x1b[2J\\nbaton open",
    }
    for i, (case, want) in enumerate(bad.items()):
        payload = {"data/case.json": case}
        entries = signed_part(payload, seq=100 + i) + [("bag/data/case.json", case)]
        pkg = write("case%d.baton" % i, seal(tar_of(entries)))
        for cmd in (open_cmd(pkg, os.path.join(W, "case-out")),
                    verify_cmd(pkg)):
            code, _, err, _, _ = run(cmd)
            check(code == 13, "%r: exit %d, want 13: %r" % (case, code, err))
            check(want in err, "%r: message %r lacks %r" % (case, err, want))
            check(len(err.splitlines()) == 1 and b"\x1b" not in err, "raw bytes: %r" % err)
    check(not os.path.exists(os.path.join(W, "case-out")), "a refused case was extracted")
    write("case.json", valid_case("NW-1"))
    code, _, err, _, _ = run([BATON, "pack", "-k", "agency.key", "-r", "firm.agepub", "-c",
                              "case.json", "--case-id", "OTHER", "-o", "mismatch.baton"])
    check(code == 1 and b'case_id "NW-1"' in err, "pack --case-id OTHER: %d %r" % (code, err))
    check(not os.path.exists(os.path.join(W, "mismatch.baton")), "a mismatch was packed")


# ---- 2. interrupted opens leave nothing behind ----------------------------------------


def slow_open(pkg_bytes, target):
    """baton open reading from a FIFO that stalls after a part of the
    package; returns the process once its temporary folder exists."""
    fifo = os.path.join(W, "slow.fifo")
    if os.path.exists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    e = dict(os.environ, BATON_LEDGER=os.path.join(W, "ledger.sqlite"))
    p = subprocess.Popen(open_cmd(fifo, target), cwd=W, env=e, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    stall = threading.Event()

    def feed():
        with open(fifo, "wb") as f:
            f.write(pkg_bytes[:len(pkg_bytes) // 2])
            f.flush()
            stall.wait(60)

    threading.Thread(target=feed, daemon=True).start()
    parent = os.path.dirname(target)
    t0 = time.monotonic()
    while not leftovers(parent) and time.monotonic() - t0 < 20:
        time.sleep(0.02)
    check(leftovers(parent), "no temporary folder appeared")
    time.sleep(0.3)  # let it write into the folder
    return p, stall


def test_signals_and_sigkill_leave_nothing_behind():
    os.makedirs(os.path.join(W, "docs"))
    write("docs/scan.bin", os.urandom(8 * MiB))
    write("case.json", valid_case("NW-7"))
    sh(BATON, "pack", "-k", "agency.key", "-r", "firm.agepub", "-c", "case.json", "-d",
       "docs/scan.bin", "-o", "slow.baton")
    with open(os.path.join(W, "slow.baton"), "rb") as f:
        pkg = f.read()
    parent = os.path.join(W, "inbox")
    os.mkdir(parent)
    for sig in (signal.SIGTERM, signal.SIGINT):
        p, stall = slow_open(pkg, os.path.join(parent, "a"))
        p.send_signal(sig)
        _, err = p.communicate(timeout=20)
        stall.set()
        check(p.returncode == -sig, "%s: exit %r" % (sig.name, p.returncode))
        check(b"interrupted" in err, "%s: stderr %r" % (sig.name, err))
        check(os.listdir(parent) == [], "%s left %r" % (sig.name, os.listdir(parent)))
    p, stall = slow_open(pkg, os.path.join(parent, "a"))
    p.kill()
    p.communicate(timeout=20)
    stall.set()
    stale = leftovers(parent)
    check(len(stale) == 1 and os.listdir(os.path.join(parent, stale[0])),
          "after SIGKILL: %r" % os.listdir(parent))
    # A folder of a live run (this process) is not touched.
    live = os.path.join(parent, ".b.baton-open.%d.AbCdEf" % os.getpid())
    os.mkdir(live)
    code, out, err, _, _ = run(open_cmd("slow.baton", os.path.join(parent, "b")))
    check(code == 0, "the next open: %d %r" % (code, err))
    check(sorted(os.listdir(parent)) == sorted([".b.baton-open.%d.AbCdEf" % os.getpid(), "b"]),
          "after the next open: %r" % os.listdir(parent))
    os.rmdir(live)


# ---- 6. BATON_NOW ------------------------------------------------------------------


def test_malformed_baton_now_is_refused():
    for bad in ("2026-13-01T00:00:00Z", "yesterday", "2026-11-24 09:00:00", "1700000000"):
        for cmd in (verify_cmd("slow.baton"),
                    [BATON, "pack", "-k", "agency.key", "-r", "firm.agepub", "-c", "case.json",
                     "-o", "now.baton"]):
            code, _, err, _, _ = run(cmd, env={"BATON_NOW": bad})
            check(code == 2, "BATON_NOW=%s %s: exit %d" % (bad, cmd[1], code))
            check(b"BATON_NOW='" + bad.encode() + b"' is not a UTC time" in err, repr(err))
    code, _, err, _, _ = run(verify_cmd("slow.baton", "--no-ledger"),
                             env={"BATON_NOW": "2099-01-01T00:00:00Z"})
    check(code == 12, "a well-formed BATON_NOW in 2099: exit %d %r" % (code, err))


def main():
    global FIRM_AGE
    os.chdir(W)
    sh(BATON, "keygen", "-o", "firm")
    sh(BATON, "keygen", "-o", "agency")
    sh("minisign", "-G", "-W", "-p", "sender.pub", "-s", "sender.key")
    FIRM_AGE = open(os.path.join(W, "firm.agepub")).read().strip()
    tests = [test_unsigned_sparse_1tib_is_refused_at_once_and_writes_nothing,
             test_entry_longer_than_signed_is_refused_before_its_data,
             test_unsigned_payload_beyond_the_budget_is_refused,
             test_entry_names_cannot_forge_lines,
             test_case_json_must_be_the_signed_case,
             test_signals_and_sigkill_leave_nothing_behind,
             test_malformed_baton_now_is_refused]
    for t in tests:
        t0 = time.time()
        try:
            t()
            print("ok   %s (%.2fs)" % (t.__name__, time.time() - t0), flush=True)
        except Exception as e:  # report and go on
            FAILED.append(t.__name__)
            print("FAIL %s: %s" % (t.__name__, e), flush=True)
    shutil.rmtree(W, ignore_errors=True)
    print("%d passed, %d failed" % (len(tests) - len(FAILED), len(FAILED)))
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
