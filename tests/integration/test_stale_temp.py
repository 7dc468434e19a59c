"""What an abrupt end of batond leaves in its data directory is removed at
the next start (host/state/stale_temp.h): a document upload cut off by a
real kill -9, plus the other temporary names batond creates (plugin
uploads, packages being packed, inbox imports being extracted). Entries
that are not temporary stay, and a second batond on the same data
directory leaves the first one's live uploads alone."""

import os
import signal
import socket
import time

import batond_harness as h


def slow_upload(b, tenant, total=1000000, sent=1000):
    """A PUT /v1/documents that sends its headers and `sent` bytes of a
    `total`-byte body, then stalls; returns the open socket."""
    s = socket.create_connection(("127.0.0.1", b.port), timeout=10)
    s.sendall(("PUT /v1/documents?name=scan.pdf HTTP/1.1\r\nHost: x\r\n"
               "Authorization: Bearer %s\r\nContent-Type: application/octet-stream\r\n"
               "Content-Length: %d\r\n\r\n" % (b.tokens[tenant], total)).encode())
    s.sendall(b"x" * sent)
    return s


def tmp_entries(b, tenant):
    # The folder is made when the tenant's state is first used.
    folder = os.path.join(b.data_dir, "tenants", tenant, "tmp")
    return os.listdir(folder) if os.path.isdir(folder) else []


def plant(path, folder=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if folder:
        os.makedirs(os.path.join(path, "bag", "data"))
        with open(os.path.join(path, "bag", "data", "case.json"), "w") as f:
            f.write("{}")
    else:
        with open(path, "w") as f:
            f.write("partial")


def dead_pid():
    """A pid that is no running process."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_kill_9_leftovers_are_removed_at_the_next_start():
    b = h.Batond("stale")
    with b:
        b.start()
        s = slow_upload(b, "northwind")
        h.check(h.wait_for(lambda: len(tmp_entries(b, "northwind")) == 1, 10),
                "the upload's temporary file never appeared")
        b.proc.send_signal(signal.SIGKILL)
        b.proc.wait()
        b.log_file.close()
        b.proc = None
        s.close()
        h.check(len(tmp_entries(b, "northwind")) == 1, "kill -9 removed the upload's file")
        firm = os.path.join(b.data_dir, "tenants", "harbor-law")
        agency = os.path.join(b.data_dir, "tenants", "northwind")
        stale = [
            os.path.join(b.data_dir, "plugins", ".incoming-a1B2c3"),
            os.path.join(agency, "outbox", ".h-17.baton.tmp-Xy12Zq"),
            os.path.join(firm, "inbox", ".i-3.baton.tmp-Qw9Er7"),
        ]
        for p in stale:
            plant(p)
        opening = os.path.join(firm, "cases", ".i-3.baton-open.%d.AbCdEf" % dead_pid())
        plant(opening, folder=True)
        keep = [
            os.path.join(b.data_dir, "plugins", "keep.txt"),
            os.path.join(agency, "outbox", "h-17.baton"),
            os.path.join(firm, "cases", "i-2", "bag", "data", "case.json"),
        ]
        for p in keep:
            plant(p)
        # The harness reads the port from the log: start the next run on a new one.
        os.rename(b.log_path, b.log_path + ".killed")
        b.port = None
        b.start()
        h.check(tmp_entries(b, "northwind") == [], "stale upload left: %r" % tmp_entries(b, "northwind"))
        for p in stale + [opening]:
            h.check(not os.path.exists(p), "stale %s left" % p)
        for p in keep:
            h.check(os.path.exists(p), "%s was removed" % p)
        h.check(any(l.get("msg") == "removed stale temporary files of an earlier run" and
                    l.get("count") == "5" for l in b.log_lines()),
                "no log line counting 5 removals")
        h.check(b.stop() == 0, "batond did not stop cleanly")


def test_a_second_batond_leaves_live_uploads_alone():
    a = h.Batond("stale-live")
    with a:
        a.start()
        s = slow_upload(a, "northwind")
        h.check(h.wait_for(lambda: len(tmp_entries(a, "northwind")) == 1, 10),
                "the upload's temporary file never appeared")
        second = h.Batond.__new__(h.Batond)
        second.__dict__.update(a.__dict__)
        second.proc = None
        second.port = None
        second.log_path = a.log_path + ".second"
        second.start()
        time.sleep(0.2)
        h.check(len(tmp_entries(a, "northwind")) == 1,
                "the second batond removed the first one's live upload")
        h.check(any("holds the data directory's lock" in (l.get("msg") or "")
                    for l in second.log_lines()), "no warning from the locked-out batond")
        second.stop()
        s.close()
        h.check(a.stop() == 0, "batond did not stop cleanly")


if __name__ == "__main__":
    h.run([
        test_kill_9_leftovers_are_removed_at_the_next_start,
        test_a_second_batond_leaves_live_uploads_alone,
    ])
