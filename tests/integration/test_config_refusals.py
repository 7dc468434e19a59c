"""Config refusals name the file and the field (host/config.c), and none of
them hangs: a FIFO (or any non-regular file) as a tenant file; a plugin path
that is absolute or leaves plugin_dir by ".." or by a symbolic link; a
counterpart naming a tenant that does not exist; integers written with a
fraction or an exponent ("3e1", "14.0") in batond.json or in a plugin's
config, which baton/plugin.h says are not integers. A plugin that is
refused at load is named by tenant file and field too."""

import os
import shutil
import time

import batond_harness as h


def check_config(b, timeout=20):
    t0 = time.time()
    r = b.run("--check-config", timeout=timeout)
    return r, time.time() - t0


def expect_problems(b, lines, name):
    r, took = check_config(b)
    h.check(r.returncode != 0, "%s: --check-config accepted it:\n%s" % (name, r.stdout))
    for line in lines:
        h.check(line in r.stderr, "%s: missing %r in:\n%s" % (name, line, r.stderr))
    # batond itself refuses to start on it, with the same line
    b.start(wait=False)
    rc = b.proc.wait(timeout=30)
    b.log_file.close()
    b.proc = None
    h.check(rc == 1, "%s: batond started (exit %r)" % (name, rc))
    logged = "\n".join(l.get("msg", "") for l in b.log_lines())
    h.check(lines[0] in logged, "%s: not in the log: %s" % (name, logged))


def test_fifo_tenant_file_is_refused_without_hanging():
    b = h.Batond("config-fifo", issue_tokens=False)
    tdir = os.path.join(b.dir, "config", "tenants")
    os.mkfifo(os.path.join(tdir, "eve.json"))
    expect_problems(b, ["tenants/eve.json: a FIFO; expected a regular file"], "fifo in folder")
    # named directly, and a directory named as a file
    b = h.Batond("config-fifo-named", issue_tokens=False,
                 config={"tenants": ["tenants/northwind.json", "pipe.json", "tenants"]})
    os.mkfifo(os.path.join(b.dir, "config", "pipe.json"))
    r, took = check_config(b)
    h.check(r.returncode != 0 and took < 15, "exit %d after %.1f s" % (r.returncode, took))
    h.check("config/pipe.json: a FIFO; expected a regular file" in r.stderr, r.stderr)
    h.check("config/tenants: a directory; expected a regular file" in r.stderr, r.stderr)


def test_plugin_paths_stay_inside_plugin_dir():
    name = "config-plugin-paths"
    pdir = os.path.join(os.path.abspath(h.args().scratch), name + "-plugins")
    shutil.rmtree(pdir, ignore_errors=True)
    os.makedirs(pdir)
    shutil.copyfile(os.path.join(h.args().plugin_dir, "gb-ew.so"), os.path.join(pdir, "gb-ew.so"))
    outside = os.path.join(os.path.abspath(h.args().plugin_dir), "northwind.so")
    os.symlink(outside, os.path.join(pdir, "linked.so"))
    os.makedirs(os.path.join(pdir, "sub"))
    tenants = [h.tenant("northwind", "agency", [
        "gb-ew",
        {"path": outside},
        {"path": "../" + name + "-plugins/gb-ew.so"},
        {"path": "sub/../gb-ew.so"},
        {"path": "linked.so"},
    ]), h.tenant("harbor-law", "lawfirm", [])]
    b = h.Batond(name, tenants=tenants, issue_tokens=False, config={"plugin_dir": pdir})
    expect_problems(b, [
        "tenants/northwind.json: plugins[1].path: \"%s\" is absolute; plugin paths are relative "
        "to plugin_dir" % outside,
        "tenants/northwind.json: plugins[2].path: \"../%s-plugins/gb-ew.so\" leaves plugin_dir "
        "(a \"..\" component)" % name,
        "tenants/northwind.json: plugins[3].path: \"sub/../gb-ew.so\" leaves plugin_dir",
        "tenants/northwind.json: plugins[4].path: \"linked.so\" resolves to %s, outside "
        "plugin_dir" % os.path.realpath(outside),
    ], "plugin paths")
    # Inside plugin_dir, a link is fine.
    os.symlink("../gb-ew.so", os.path.join(pdir, "sub", "inside.so"))
    b.tenants = [h.tenant("northwind", "agency", [{"path": "sub/inside.so"}])]
    b.write_config()
    r, _ = check_config(b)
    h.check(r.returncode == 0, "a link inside plugin_dir was refused:\n" + r.stderr)


def test_counterpart_must_name_a_tenant_of_the_config():
    tenants = [
        h.tenant("northwind", "agency", ["gb-ew"],
                 counterparts=[{"tenant": "harbor-law"}, {"tenant": "harbour-law"}]),
        h.tenant("harbor-law", "lawfirm", [], counterparts=[{"tenant": "harbor-law"}]),
    ]
    b = h.Batond("config-counterparts", tenants=tenants, issue_tokens=False)
    expect_problems(b, [
        "tenants/northwind.json: counterparts[1].tenant: no tenant \"harbour-law\" in this "
        "config",
        "tenants/harbor-law.json: counterparts[0].tenant: a tenant cannot be its own counterpart",
    ], "counterparts")


def test_integers_are_written_with_digits_only():
    tenants = [h.tenant("northwind", "agency", [
        "gb-ew",
        {"path": "northwind.so", "config": {"pre_legal_factor_bp": 6000.0}},
    ]), h.tenant("southbank", "agency", [{"path": "gb-ew.so", "config": {"x": {"y": [1, 3e1]}}}])]
    b = h.Batond("config-integers", tenants=tenants, issue_tokens=False)
    b.config["workers"] = "@WORKERS@"
    b.config["limits"]["max_pipelined"] = "@PIPELINED@"
    b.write_config()
    with open(b.config_path) as f:
        text = f.read()
    with open(b.config_path, "w") as f:
        f.write(text.replace('"@WORKERS@"', "1.0").replace('"@PIPELINED@"', "3e1"))
    # json.dump writes 3e1 as 30.0; write the spellings under test by hand
    for tid, old, new in (("northwind", "6000.0", "6000.0"), ("southbank", "30.0", "3e1")):
        p = os.path.join(b.dir, "config", "tenants", tid + ".json")
        with open(p) as f:
            text = f.read()
        with open(p, "w") as f:
            f.write(text.replace(old, new))
    expect_problems(b, [
        "batond.json: workers: expected an integer written with digits only, got 1 written with "
        "a fraction or exponent",
        "batond.json: limits.max_pipelined: expected an integer written with digits only, got 30",
        "tenants/northwind.json: plugins[1].config.pre_legal_factor_bp: a number written with a "
        "fraction or exponent",
        "tenants/southbank.json: plugins[0].config.x.y[1]: a number written with a fraction or "
        "exponent",
    ], "integers")


def test_plugin_refusal_names_tenant_file_and_field():
    tenants = [h.tenant("northwind", "agency", ["gb-ew", "bad-major"]),
               h.tenant("harbor-law", "lawfirm", [])]
    with h.Batond("config-refusal-field", tenants=tenants).start() as b:
        lines = [l for l in b.log_lines() if l.get("event") == "plugin_refused"]
        h.check(len(lines) == 1, repr(lines))
        msg = lines[0]["msg"]
        h.check("tenants/northwind.json: plugins[1].path: plugin " in msg and "bad-major.so" in msg,
                msg)
        b.stop()
    b = h.Batond("config-refusal-field-check", tenants=tenants, issue_tokens=False)
    r, _ = check_config(b)
    h.check(r.returncode != 0 and "tenants/northwind.json: plugins[1].path: plugin " in r.stderr,
            r.stderr)


if __name__ == "__main__":
    h.run([test_fifo_tenant_file_is_refused_without_hanging,
           test_plugin_paths_stay_inside_plugin_dir,
           test_counterpart_must_name_a_tenant_of_the_config,
           test_integers_are_written_with_digits_only,
           test_plugin_refusal_names_tenant_file_and_field])
