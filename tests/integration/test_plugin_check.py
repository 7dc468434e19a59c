"""baton plugin check with --cases: the corpus folders given on the command
line and the default ones (tests/cases, docs/examples) together. The
default folders once overflowed their two-entry store when --cases was
given (a crash, with or without --isolated)."""

import os
import subprocess

import batond_harness as h


def check(*extra, cwd=None):
    src = h.args().source_dir
    plugin = os.path.join(h.args().plugin_dir, "gb-ew.so")
    cmd = [h.baton_cli(), "plugin", "check", plugin, "--cases",
           os.path.join(src, "tests", "cases")]
    r = subprocess.run(cmd + list(extra), capture_output=True, text=True, timeout=170,
                       cwd=cwd or src)
    h.check(r.returncode == 0, "%s: exit %d\n%s%s" % (" ".join(cmd + list(extra)), r.returncode,
                                                      r.stdout[-2000:], r.stderr[-2000:]))
    h.check("PASS" in r.stdout, r.stdout[-2000:])


def test_check_with_cases_passes():
    check()


def test_check_isolated_with_two_cases_folders_from_elsewhere_passes():
    # From outside the source tree the defaults are found next to the
    # executable: both of them, after two folders given; in a worker, so
    # both modes run the whole corpus once (each run takes tens of seconds).
    src = h.args().source_dir
    os.makedirs(h.args().scratch, exist_ok=True)
    check("--isolated", "--cases", os.path.join(src, "docs", "examples"), cwd=h.args().scratch)


if __name__ == "__main__":
    h.run([test_check_with_cases_passes,
           test_check_isolated_with_two_cases_folders_from_elsewhere_passes])
