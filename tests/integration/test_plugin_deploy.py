"""Tenants deploy their own plugins (docs/deploying-plugins.md): a signed
upload is checked, stored by content and listed; every refusal has its
precise code; activation makes evaluations run the uploaded version
isolated (answers name its sha256 and mode); another tenant never sees
it; rollback and delete keep the history straight; everything is in the
tenant's audit log; a hot swap under load fails no request.

Test plugins: plugins/testbad (good-probe, bad-major), the shipped
northwind agency plugin (another agency's scope), testbad's needs-config
(whose init needs its config), and tests/deploy's swap-v1/-v2/-crash/-error
(agency:eastgate)."""

import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import stat
import subprocess
import threading
import time

import batond_harness as h


def plugin_path(name):
    return os.path.join(h.args().plugin_dir, name + ".so")


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Keys:
    """minisign key pairs made with baton keygen (unencrypted)."""

    def __init__(self, name):
        self.dir = os.path.join(h.args().scratch, "keys")
        os.makedirs(self.dir, exist_ok=True)
        self.prefix = os.path.join(self.dir, name)
        for ext in (".key", ".pub", ".agekey", ".agepub"):
            if os.path.exists(self.prefix + ext):
                os.unlink(self.prefix + ext)
        r = subprocess.run([h.baton_cli(), "keygen", "-o", self.prefix], capture_output=True,
                           text=True, timeout=60)
        h.check(r.returncode == 0, "baton keygen: %s" % r.stderr)
        self.key = self.prefix + ".key"
        self.pub_file = self.prefix + ".pub"
        self.pub = read(self.pub_file).decode().splitlines()[1].strip()

    def sign(self, plugin, out=None):
        """baton plugin sign; returns the .minisig text."""
        out = out or os.path.join(self.dir, os.path.basename(plugin) + "." +
                                  os.path.basename(self.prefix) + ".minisig")
        r = subprocess.run([h.baton_cli(), "plugin", "sign", "-W", "-k", self.key, "-x", out,
                            plugin], capture_output=True, text=True, timeout=60)
        h.check(r.returncode == 0, "baton plugin sign: %s" % r.stderr)
        return read(out)


AGENCY = Keys("eastgate")
STRANGER = Keys("stranger")
WEST = Keys("westmoor")
OPERATOR = Keys("operator")


def tenants():
    return [
        h.tenant("eastgate", "agency", ["gb-ew"], plugin_signing_keys=[AGENCY.pub]),
        h.tenant("westmoor", "agency", ["gb-ew"], plugin_signing_keys=[WEST.pub]),
        h.tenant("harbor-law", "lawfirm", [], plugin_signing_keys=[WEST.pub]),
    ]


def sig_header(sig_text):
    return base64.b64encode(sig_text).decode()


def upload(b, tenant, data, sig=None, extra=None, conn=None):
    hdrs = {"Content-Type": "application/octet-stream"}
    if sig is not None:
        hdrs["Baton-Plugin-Signature"] = sig if isinstance(sig, str) else sig_header(sig)
    hdrs.update(extra or {})
    return b.request("POST", "/v1/plugins", body=data, token=b.tokens[tenant], headers=hdrs,
                     conn=conn)


def upload_file(b, tenant, name, keys=AGENCY, extra=None):
    path = plugin_path(name)
    return upload(b, tenant, read(path), keys.sign(path), extra)


def post_json(b, tenant, path, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    return b.request("POST", path, body=data, token=b.tokens[tenant],
                     headers={"Content-Type": "application/json"})


def activate(b, tenant, name, sha, config=None):
    body = {"sha256": sha}
    if config is not None:
        body["config"] = config
    return post_json(b, tenant, "/v1/plugins/%s/activate" % name, body)


def rollback(b, tenant, name):
    return post_json(b, tenant, "/v1/plugins/%s/rollback" % name)


def delete(b, tenant, name, sha):
    return b.request("DELETE", "/v1/plugins/%s/%s" % (name, sha), token=b.tokens[tenant])


def plugins(b, tenant):
    r = b.get("/v1/plugins", token=b.tokens[tenant])
    h.check(r.status == 200, repr(r))
    return r.json()


def uploads_named(b, tenant, name):
    return [u for u in plugins(b, tenant)["uploads"] if u["name"] == name]


def audit(b, tenant, action=None, wait=0.0):
    """The tenant's audit events (newest first); refusals answered at
    headers time are written just after the answer, so wait a little."""
    deadline = time.time() + wait
    while True:
        events = [e for e in reversed(b.audit_records(tenant))
                  if action is None or e["action"] == action]
        if events or time.time() >= deadline:
            return events
        time.sleep(0.05)


def evaluate(b, tenant):
    return b.evaluate(tenant)


def fees_plugin(answer):
    """The eastgate-fees entry of an evaluation's plugins, or None."""
    found = [p for p in answer["plugins"] if p["name"] == "eastgate-fees"]
    h.check(len(found) <= 1, "eastgate-fees named twice: %r" % answer["plugins"])
    return found[0] if found else None


def expect_error(r, status, code, what):
    h.check(r.status == status and r.error_code() == code,
            "%s: expected %d %s, got %r" % (what, status, code, r))


def push_command(b, tenant):
    """`baton plugin push` to b as tenant (its token in a file), without
    the plugin and options."""
    token = os.path.join(b.dir, tenant + ".token")
    with open(token, "w") as f:
        f.write(b.tokens[tenant] + "\n")
    url = "http://127.0.0.1:%d" % b.port
    return [h.baton_cli(), "plugin", "push", "--url", url, "--token-file", token]


def sign_beside(keys, plugin):
    """baton plugin sign with keys' secret key, to the default PLUGIN.minisig."""
    subprocess.run([h.baton_cli(), "plugin", "sign", "-W", "-k", keys.key, plugin], check=True,
                   capture_output=True, timeout=60)


def wait_reloaded(b, count):
    deadline = time.time() + 15
    while time.time() < deadline:
        if sum(1 for l in b.log_lines() if l.get("msg") == "config reloaded") >= count:
            return
        time.sleep(0.05)
    raise AssertionError("batond did not reload:\n" + b.log_text()[-2000:])


# ---------------------------------------------------------------------------


def test_signed_upload_is_stored_by_content_and_listed():
    probe = plugin_path("good-probe")
    sig = AGENCY.sign(probe)
    if shutil.which("minisign"):
        r = subprocess.run(["minisign", "-V", "-p", AGENCY.pub_file, "-m", probe, "-x",
                            os.path.join(AGENCY.dir, "good-probe.so.eastgate.minisig")],
                           capture_output=True, text=True, timeout=60)
        h.check(r.returncode == 0, "minisign -V refuses baton plugin sign's output: %s%s" %
                (r.stdout, r.stderr))
    with h.Batond("deploy-upload", tenants=tenants()).start() as b:
        r = upload(b, "eastgate", read(probe), sig)
        h.check(r.status == 201, repr(r))
        v = r.json()
        sha = h.sha256_of(probe)
        h.check(v["name"] == "probe" and v["version"] == "1.0.0" and
                v["scope"] == "jurisdiction:zz" and v["sdk"] == "1.1", repr(v))
        h.check(v["sha256"] == sha and v["status"] == "available", repr(v))
        stored = os.path.join(b.data_dir, "tenants", "eastgate", "plugins", sha + ".so")
        h.check(read(stored) == read(probe), "not stored by content at %s" % stored)
        h.check(stat.S_IMODE(os.stat(stored).st_mode) == 0o444, "stored file is writable")
        tmp = os.path.join(b.data_dir, "tenants", "eastgate", "tmp")
        h.check(os.listdir(tmp) == [], "upload leftovers in tmp: %r" % os.listdir(tmp))

        # The same bytes again: the same version, nothing new.
        r = upload(b, "eastgate", read(probe), sig)
        h.check(r.status == 200 and r.json()["sha256"] == sha, repr(r))

        ups = uploads_named(b, "eastgate", "probe")
        h.check(len(ups) == 1 and ups[0]["active"] is None and ups[0]["mode"] == "isolated",
                repr(ups))
        h.check([x["sha256"] for x in ups[0]["versions"]] == [sha], repr(ups))
        h.check(ups[0]["versions"][0]["status"] == "available", repr(ups))
        # Uploaded, not active: the live set does not have it.
        h.check(all(p["name"] != "probe" for p in plugins(b, "eastgate")["plugins"]),
                "an upload is live before activation")
        for p in plugins(b, "eastgate")["plugins"]:
            h.check(p["mode"] in ("in_process", "isolated") and len(p["sha256"]) == 64 and
                    p["source"] == "config", repr(p))
        # Nobody else sees it.
        h.check(plugins(b, "westmoor")["uploads"] == [], "westmoor sees eastgate's upload")

        # A signature made by the stock minisign tool with a key it made.
        if shutil.which("minisign"):
            mk = os.path.join(b.dir, "mk")
            subprocess.run(["minisign", "-G", "-W", "-p", mk + ".pub", "-s", mk + ".key"],
                           check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
            b.tenants[0]["plugin_signing_keys"].append(read(mk + ".pub").decode().splitlines()[1])
            b.write_config()
            b.signal(signal.SIGHUP)
            wait_reloaded(b, 1)
            swap = plugin_path("swap-v1")
            subprocess.run(["minisign", "-S", "-s", mk + ".key", "-m", swap, "-x",
                            mk + ".minisig"], check=True, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=60)
            r = upload(b, "eastgate", read(swap), read(mk + ".minisig"))
            h.check(r.status == 201, "upload signed by minisign -S: %r" % r)

        # A law firm may upload a jurisdiction plugin for its own use.
        r = upload_file(b, "harbor-law", "good-probe", keys=WEST)
        h.check(r.status == 201, "law firm upload: %r" % r)
        h.check(uploads_named(b, "eastgate", "probe")[0]["versions"][0]["sha256"] == sha, "")

        events = [e for e in audit(b, "eastgate", "plugin.uploaded") if e["subject"] == "probe"]
        h.check(len(events) == 2, repr(events))
        h.check(json.loads(events[-1]["detail"])["sha256"] == sha, repr(events))
        b.stop()


def test_every_refusal_has_its_code_and_is_audited():
    probe = plugin_path("good-probe")
    data = read(probe)
    cfg = {"plugin_policy": {"max_plugin_bytes": 4096}}
    with h.Batond("deploy-refusals", tenants=tenants()).start() as b:
        expect_error(upload(b, "eastgate", data), 400, "signature_required", "no signature")
        expect_error(upload(b, "eastgate", data, "bm90IGEgc2lnbmF0dXJl"), 400,
                     "invalid_signature", "not a minisig")
        expect_error(upload(b, "eastgate", data, "%%%"), 400, "invalid_signature", "not base64")
        expect_error(upload(b, "eastgate", data, STRANGER.sign(probe)), 403, "untrusted_key",
                     "stranger's key")
        r = upload(b, "eastgate", data, WEST.sign(probe))
        expect_error(r, 403, "untrusted_key", "another tenant's key")
        # A valid signature of other bytes.
        other = AGENCY.sign(plugin_path("bad-major"))
        r = upload(b, "eastgate", data, other)
        expect_error(r, 400, "invalid_signature", "signature of another file")
        h.check(hashlib.sha256(data).hexdigest() in r.json()["error"]["message"], repr(r))
        # ABI mismatch: both versions named.
        r = upload_file(b, "eastgate", "bad-major")
        expect_error(r, 422, "plugin_refused", "SDK major mismatch")
        msg = r.json()["error"]["message"]
        h.check("SDK 2." in msg and "SDK 1." in msg, "both SDK versions named: %s" % msg)
        h.check(b.data_dir not in msg, "message shows the data dir: %s" % msg)
        expect_error(upload_file(b, "eastgate", "bad-init"), 422, "plugin_refused", "bad init")
        # Another agency's plugin.
        r = upload_file(b, "eastgate", "northwind")
        expect_error(r, 403, "scope_not_allowed", "agency:northwind by eastgate")
        h.check("agency:northwind" in r.json()["error"]["message"], repr(r))
        # Smoke run: a crash refuses, a plugin error does not.
        r = upload_file(b, "eastgate", "swap-crash")
        expect_error(r, 422, "smoke_run_failed", "crashing fee schedule")
        r = upload_file(b, "eastgate", "swap-error")
        h.check(r.status == 201 and r.json()["name"] == "eastgate-error",
                "an error code on the smoke case is not a refusal: %r" % r)
        # Activation, rollback, delete refusals.
        sha = "0" * 64
        expect_error(activate(b, "eastgate", "nothing", sha), 404, "unknown_plugin", "activate")
        expect_error(activate(b, "eastgate", "eastgate-error", sha), 404, "unknown_version",
                     "activate unknown version")
        expect_error(rollback(b, "eastgate", "eastgate-error"), 409, "nothing_to_roll_back",
                     "rollback of a never activated plugin")
        expect_error(delete(b, "eastgate", "eastgate-error", sha), 404, "unknown_version",
                     "delete")
        expect_error(delete(b, "eastgate", "eastgate-error", "XYZ"), 404, "unknown_version",
                     "delete bad sha")
        expect_error(post_json(b, "eastgate", "/v1/plugins/eastgate-error/activate",
                               {"sha": "x"}), 400, "invalid_request", "activate body")
        # Everything above is in the audit log.
        codes = [json.loads(e["detail"])["code"]
                 for e in audit(b, "eastgate", "plugin.refused", wait=2.0)]
        deadline = time.time() + 5
        want = {"signature_required", "invalid_signature", "untrusted_key", "plugin_refused",
                "scope_not_allowed", "smoke_run_failed", "unknown_plugin", "unknown_version",
                "nothing_to_roll_back", "invalid_request"}
        while not want <= set(codes) and time.time() < deadline:
            time.sleep(0.1)
            codes = [json.loads(e["detail"])["code"] for e in audit(b, "eastgate",
                                                                     "plugin.refused")]
        h.check(want <= set(codes), "audited refusals %r lack %r" % (codes, want - set(codes)))
        h.check(b.proc.poll() is None, "batond died")
        b.stop()

    # Too large, by Content-Length and by a chunked body.
    with h.Batond("deploy-too-large", tenants=tenants(), config=cfg).start() as b:
        sig = AGENCY.sign(probe)
        r = upload(b, "eastgate", data, sig)
        expect_error(r, 413, "plugin_too_large", "Content-Length above the limit")
        c = b.connect()
        c.putrequest("POST", "/v1/plugins")
        c.putheader("Authorization", "Bearer " + b.tokens["eastgate"])
        c.putheader("Baton-Plugin-Signature", sig_header(sig))
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        try:
            for i in range(0, len(data), 1024):
                piece = data[i:i + 1024]
                c.send(b"%x\r\n%s\r\n" % (len(piece), piece))
            c.send(b"0\r\n\r\n")
        except OSError:
            pass
        resp = c.getresponse()
        body = json.loads(resp.read())
        c.close()
        h.check(resp.status == 413 and body["error"]["code"] == "plugin_too_large",
                "chunked: %d %r" % (resp.status, body))
        deadline = time.time() + 5
        while time.time() < deadline:
            codes = [json.loads(e["detail"])["code"] for e in audit(b, "eastgate",
                                                                     "plugin.refused")]
            if codes.count("plugin_too_large") == 2:
                break
            time.sleep(0.05)
        h.check(codes.count("plugin_too_large") == 2, "both too-large refusals audited: %r" % codes)
        b.stop()


def test_activate_evaluate_rollback_delete_and_tenant_isolation():
    v1, v2 = plugin_path("swap-v1"), plugin_path("swap-v2")
    sha1, sha2 = h.sha256_of(v1), h.sha256_of(v2)
    with h.Batond("deploy-lifecycle", tenants=tenants()).start() as b:
        base = evaluate(b, "eastgate")
        h.check(base.status == 200 and fees_plugin(base.json()) is None, repr(base))
        r = upload_file(b, "eastgate", "swap-v1")
        h.check(r.status == 201 and r.json()["sha256"] == sha1, repr(r))
        r = activate(b, "eastgate", "eastgate-fees", sha1)
        h.check(r.status == 200, repr(r))
        a = r.json()
        h.check(a["status"] == "active" and a["mode"] == "isolated" and a["previous"] is None,
                repr(a))

        r = evaluate(b, "eastgate")
        h.check(r.status == 200, repr(r))
        p = fees_plugin(r.json())
        h.check(p is not None and p["version"] == "1.0.0" and p["sha256"] == sha1 and
                p["mode"] == "isolated", "evaluation names %r" % p)
        h.check(any(c["label"] == "Eastgate commission v1.0.0" for c in r.json()["costs"]),
                "the uploaded plugin's line is missing: %r" % r.json()["costs"])
        live = [x for x in plugins(b, "eastgate")["plugins"] if x["name"] == "eastgate-fees"]
        h.check(len(live) == 1 and live[0]["mode"] == "isolated" and live[0]["sha256"] == sha1
                and live[0]["source"] == "upload", repr(live))

        # Another tenant never sees or runs it, and cannot touch it.
        w = evaluate(b, "westmoor")
        h.check(w.status == 200 and fees_plugin(w.json()) is None, repr(w))
        h.check(b"eastgate" not in b.get("/v1/plugins", token=b.tokens["westmoor"]).body,
                "westmoor's plugin list mentions eastgate")
        expect_error(activate(b, "westmoor", "eastgate-fees", sha1), 404, "unknown_plugin",
                     "westmoor activates eastgate's upload")
        expect_error(delete(b, "westmoor", "eastgate-fees", sha1), 404, "unknown_plugin",
                     "westmoor deletes eastgate's upload")
        expect_error(rollback(b, "westmoor", "eastgate-fees"), 404, "unknown_plugin",
                     "westmoor rolls back eastgate's plugin")
        h.check(os.listdir(os.path.join(b.data_dir, "tenants", "westmoor")) is not None, "")
        h.check(not os.path.exists(os.path.join(b.data_dir, "tenants", "westmoor", "plugins",
                                                sha1 + ".so")), "file shared with westmoor")

        # v2, activated; v1 stays available.
        h.check(upload_file(b, "eastgate", "swap-v2").status == 201, "v2 upload")
        r = activate(b, "eastgate", "eastgate-fees", sha2)
        h.check(r.status == 200 and r.json()["previous"] == sha1, repr(r))
        p = fees_plugin(evaluate(b, "eastgate").json())
        h.check(p["version"] == "2.0.0" and p["sha256"] == sha2, repr(p))
        ups = uploads_named(b, "eastgate", "eastgate-fees")[0]
        h.check(ups["active"] == sha2, repr(ups))
        h.check({x["sha256"]: x["status"] for x in ups["versions"]} ==
                {sha1: "available", sha2: "active"}, repr(ups))
        expect_error(delete(b, "eastgate", "eastgate-fees", sha2), 409, "version_active",
                     "delete of the active version")

        # Rollback to v1; v2 can then go.
        r = rollback(b, "eastgate", "eastgate-fees")
        h.check(r.status == 200 and r.json()["sha256"] == sha1 and
                r.json()["rolled_back_from"] == sha2, repr(r))
        p = fees_plugin(evaluate(b, "eastgate").json())
        h.check(p["version"] == "1.0.0" and p["sha256"] == sha1, repr(p))
        r = delete(b, "eastgate", "eastgate-fees", sha2)
        h.check(r.status == 200 and r.json()["status"] == "deleted", repr(r))
        h.check(not os.path.exists(os.path.join(b.data_dir, "tenants", "eastgate", "plugins",
                                                sha2 + ".so")), "deleted file still there")
        ups = uploads_named(b, "eastgate", "eastgate-fees")[0]
        h.check([x["sha256"] for x in ups["versions"]] == [sha1], repr(ups))

        # The first activation undone: not active any more.
        r = rollback(b, "eastgate", "eastgate-fees")
        h.check(r.status == 200 and r.json()["sha256"] is None and
                r.json()["status"] == "inactive", repr(r))
        h.check(fees_plugin(evaluate(b, "eastgate").json()) is None, "still runs after rollback")
        expect_error(rollback(b, "eastgate", "eastgate-fees"), 409, "nothing_to_roll_back",
                     "second rollback")

        # Audit: each step, in order.
        actions = [(e["action"], e["subject"]) for e in reversed(audit(b, "eastgate"))
                   if e["action"].startswith("plugin.") and e["action"] != "plugin.refused"]
        h.check(actions == [("plugin.uploaded", "eastgate-fees"),
                            ("plugin.activated", "eastgate-fees"),
                            ("plugin.uploaded", "eastgate-fees"),
                            ("plugin.activated", "eastgate-fees"),
                            ("plugin.rolled_back", "eastgate-fees"),
                            ("plugin.deleted", "eastgate-fees"),
                            ("plugin.rolled_back", "eastgate-fees")], repr(actions))
        h.check(audit(b, "westmoor", "plugin.activated") == [], "westmoor's log has eastgate's")
        b.stop()


def test_activation_survives_reload_and_restart():
    """The catalog is the durable truth: the registry built at start and on
    SIGHUP runs the tenant's active uploads (bh_plugin_catalog_active)."""
    v1 = plugin_path("swap-v1")
    sha1 = h.sha256_of(v1)
    with h.Batond("deploy-restart", tenants=tenants()).start() as b:
        h.check(upload_file(b, "eastgate", "swap-v1").status == 201, "upload")
        h.check(activate(b, "eastgate", "eastgate-fees", sha1, {"note": "kept"}).status == 200,
                "activate")
        b.signal(signal.SIGHUP)
        wait_reloaded(b, 1)
        p = fees_plugin(evaluate(b, "eastgate").json())
        h.check(p is not None and p["sha256"] == sha1 and p["mode"] == "isolated",
                "after SIGHUP the active upload is %r" % p)
        h.check(b.stop() == 0, "stop")
        os.truncate(b.log_path, 0)  # so the harness reads the new port
        b.port = None
        b.start()
        p = fees_plugin(evaluate(b, "eastgate").json())
        h.check(p is not None and p["sha256"] == sha1 and p["mode"] == "isolated",
                "after a restart the active upload is %r" % p)
        ups = uploads_named(b, "eastgate", "eastgate-fees")
        h.check(ups and ups[0]["active"] == sha1, repr(ups))
        b.stop()


def test_operator_signature_policy():
    probe = plugin_path("good-probe")
    data = read(probe)
    cfg = {"plugin_policy": {"operator_keys": [OPERATOR.pub],
                             "require_operator_signature": True}}
    with h.Batond("deploy-operator", tenants=tenants(), config=cfg).start() as b:
        sig = AGENCY.sign(probe)
        expect_error(upload(b, "eastgate", data, sig), 400, "operator_signature_required",
                     "tenant signature only")
        r = upload(b, "eastgate", data, sig,
                   {"Baton-Operator-Signature": sig_header(STRANGER.sign(probe))})
        expect_error(r, 403, "untrusted_key", "operator signature by a stranger")
        r = upload(b, "eastgate", data, sig,
                   {"Baton-Operator-Signature": sig_header(OPERATOR.sign(
                       plugin_path("bad-major")))})
        expect_error(r, 400, "invalid_signature", "operator signature of other bytes")
        r = upload(b, "eastgate", data, sig,
                   {"Baton-Operator-Signature": sig_header(OPERATOR.sign(probe))})
        h.check(r.status == 201, "both signatures: %r" % r)
        b.stop()


def test_cli_push_and_activate():
    v1 = plugin_path("swap-v1")
    with h.Batond("deploy-cli", tenants=tenants()).start() as b:
        push = push_command(b, "eastgate")
        copy = os.path.join(b.dir, "swap-v1.so")
        shutil.copyfile(v1, copy)
        sign_beside(AGENCY, copy)
        h.check(os.path.exists(copy + ".minisig"), "sign did not write PLUGIN.so.minisig")
        r = subprocess.run(push + [copy, "--activate"], capture_output=True, text=True,
                           timeout=120)
        h.check(r.returncode == 0, "push: %s %s" % (r.stdout, r.stderr))
        h.check(h.sha256_of(v1) in r.stdout and '"active"' in r.stdout, r.stdout)
        p = fees_plugin(evaluate(b, "eastgate").json())
        h.check(p is not None and p["sha256"] == h.sha256_of(v1), repr(p))
        # A refusal exits 1 with batond's code.
        sign_beside(STRANGER, copy)
        r = subprocess.run(push + [copy], capture_output=True, text=True, timeout=120)
        h.check(r.returncode == 1 and "untrusted_key" in r.stderr, "%d %s" % (r.returncode,
                                                                            r.stderr))
        b.stop()


def test_hot_swap_under_load_fails_no_request():
    v1, v2 = plugin_path("swap-v1"), plugin_path("swap-v2")
    sha1, sha2 = h.sha256_of(v1), h.sha256_of(v2)
    with h.Batond("deploy-hot-swap", tenants=tenants()).start() as b:
        h.check(upload_file(b, "eastgate", "swap-v1").status == 201, "v1 upload")
        h.check(upload_file(b, "eastgate", "swap-v2").status == 201, "v2 upload")
        h.check(activate(b, "eastgate", "eastgate-fees", sha1).status == 200, "v1 activation")

        stop = threading.Event()
        results = []  # (start, end, status, sha or None)
        lock = threading.Lock()
        body = h.case_text()

        def hammer():
            conn = b.connect()
            mine = []
            while not stop.is_set():
                t0 = time.monotonic()
                try:
                    r = b.evaluate("eastgate", body=body, conn=conn)
                except (OSError, http.client.HTTPException) as e:
                    mine.append((t0, time.monotonic(), 0, repr(e)))
                    conn.close()
                    conn = b.connect()
                    continue
                t1 = time.monotonic()
                sha = None
                if r.status == 200:
                    p = fees_plugin(r.json())
                    sha = p["sha256"] if p else None
                mine.append((t0, t1, r.status, sha))
            conn.close()
            with lock:
                results.extend(mine)

        threads = [threading.Thread(target=hammer) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(0.7)
        a0 = time.monotonic()
        r = activate(b, "eastgate", "eastgate-fees", sha2)
        a1 = time.monotonic()
        h.check(r.status == 200, "activation under load: %r" % r)
        time.sleep(0.7)
        r0 = time.monotonic()
        r = rollback(b, "eastgate", "eastgate-fees")
        r1 = time.monotonic()
        h.check(r.status == 200 and r.json()["sha256"] == sha1, "rollback under load: %r" % r)
        time.sleep(0.7)
        stop.set()
        for t in threads:
            t.join(60)

        failed = [x for x in results if x[2] != 200]
        h.check(not failed, "%d of %d requests failed, e.g. %r" % (len(failed), len(results),
                                                                  failed[:3]))
        h.check(len(results) > 50, "too few requests under load: %d" % len(results))
        seen = {x[3] for x in results}
        h.check(seen <= {sha1, sha2}, "answers name %r" % (seen - {sha1, sha2}))
        for t0, t1, _, sha in results:
            if t1 < a0 or t0 > r1:
                h.check(sha == sha1, "a request outside the v2 window ran %s" % sha)
            elif t0 > a1 and t1 < r0:
                h.check(sha == sha2, "a request inside the v2 window ran %s" % sha)
        in_window = [x for x in results if x[0] > a1 and x[1] < r0]
        h.check(in_window and all(x[3] == sha2 for x in in_window), "no request ran v2")
        b.stop()


def test_config_goes_with_the_upload_for_a_plugin_that_needs_one():
    """testbad's needs-config refuses init without config.fee_minor: its
    upload's load check and smoke run need its config (Baton-Plugin-Config);
    baton plugin push --config sends it on the upload and on the
    activation."""
    probe_so = plugin_path("needs-config")
    config = {"fee_minor": 4200}
    case = json.loads(h.case_text())
    case["jurisdiction"] = "zz"
    case = json.dumps(case).encode()
    with h.Batond("deploy-config", tenants=tenants()).start() as b:
        config_file = os.path.join(b.dir, "needs-config.json")
        with open(config_file, "w") as f:
            json.dump(config, f)
        # Without a config: init fails, and the message says where one goes.
        r = upload_file(b, "eastgate", "needs-config")
        expect_error(r, 422, "plugin_refused", "needs-config.so without its config")
        msg = r.json()["error"]["message"]
        h.check("init" in msg and "failed" in msg and "Baton-Plugin-Config" in msg,
                "the refusal should say init failed and name the header: %s" % msg)
        # A header that is not the base64 of a JSON object.
        sig = AGENCY.sign(probe_so)
        for bad in ("%%%", base64.b64encode(b"not json").decode(),
                    base64.b64encode(b"[1, 2]").decode()):
            expect_error(upload(b, "eastgate", read(probe_so), sig, {"Baton-Plugin-Config": bad}),
                         400, "invalid_config", "Baton-Plugin-Config %.20s..." % bad)
        # With it: stored (available until activated).
        good = base64.b64encode(json.dumps(config).encode()).decode()
        r = upload(b, "eastgate", read(probe_so), sig, {"Baton-Plugin-Config": good})
        h.check(r.status == 201 and r.json()["name"] == "probe" and
                r.json()["scope"] == "jurisdiction:zz" and r.json()["status"] == "available",
                "upload of needs-config.so with its config: %r" % r)
        events = [e for e in audit(b, "eastgate", "plugin.uploaded") if e["subject"] == "probe"]
        h.check(events and json.loads(events[0]["detail"])["config"] is True, repr(events))
        # The CLI: --config without --activate is an upload with the header
        # (the same bytes: 200); with --activate it goes on the activation too.
        push = push_command(b, "eastgate")
        copy = os.path.join(b.dir, "needs-config.so")
        shutil.copyfile(probe_so, copy)
        sign_beside(AGENCY, copy)
        r = subprocess.run(push + [copy], capture_output=True, text=True, timeout=120)
        h.check(r.returncode == 1 and "plugin_refused" in r.stderr and
                "Baton-Plugin-Config" in r.stderr, "push without --config: %d %s" %
                (r.returncode, r.stderr))
        r = subprocess.run(push + ["--config", config_file, copy], capture_output=True,
                           text=True, timeout=120)
        h.check(r.returncode == 0 and '"available"' in r.stdout,
                "push --config: %d %s %s" % (r.returncode, r.stdout, r.stderr))
        r = subprocess.run(push + ["--activate", "--config", config_file, copy],
                           capture_output=True, text=True, timeout=120)
        h.check(r.returncode == 0 and '"active"' in r.stdout,
                "push --activate --config: %d %s %s" % (r.returncode, r.stdout, r.stderr))
        # A "zz" case evaluates with the uploaded probe, isolated, with the
        # config of the activation (its fee).
        r = b.evaluate("eastgate", body=case)
        h.check(r.status == 200, "zz case: %r" % r)
        used = [p for p in r.json()["plugins"] if p["name"] == "probe"]
        h.check(len(used) == 1 and used[0]["mode"] == "isolated" and
                used[0]["sha256"] == h.sha256_of(probe_so), "the evaluation ran %r" % r.json()["plugins"])
        fees = [c for c in r.json()["costs"] if c["label"] == "Probe fee"]
        h.check(len(fees) == 1 and fees[0]["amount"]["minor"] == 4200,
                "the activation's config did not reach the probe: %r" % r.json()["costs"])
        # westmoor has no probe plugin: the same case is not its to evaluate.
        w = b.evaluate("westmoor", body=case)
        h.check(w.status != 200 or all(p["name"] != "probe" for p in w.json()["plugins"]),
                "westmoor ran eastgate's probe upload: %r" % w)
        b.stop()


def test_uploads_being_checked_are_few_at_a_time():
    """A slow plugin (attack-slow3: init 4.5 s, each call 1.8 s) holds its
    upload's check; a second upload of the same tenant meanwhile gets 429
    upload_busy once its body is in, and the slow one ends within the smoke
    run's budget."""
    with h.Batond("deploy-busy", tenants=tenants()).start() as b:
        first = {}

        def slow():
            first["r"] = upload_file(b, "eastgate", "attack-slow3")

        t = threading.Thread(target=slow)
        started = time.time()
        t.start()
        time.sleep(1.0)
        r = upload_file(b, "eastgate", "swap-v1")
        expect_error(r, 429, "upload_busy", "a second upload while one is checked")
        t.join(60)
        h.check("r" in first, "the slow upload did not answer")
        h.check(time.time() - started < 30, "the slow upload took %.1f s" % (time.time() - started))
        r = upload_file(b, "eastgate", "swap-v1")
        h.check(r.status in (200, 201), "after the slow one: %r" % r)
        b.stop()


if __name__ == "__main__":
    h.run([test_signed_upload_is_stored_by_content_and_listed,
           test_every_refusal_has_its_code_and_is_audited,
           test_activate_evaluate_rollback_delete_and_tenant_isolation,
           test_activation_survives_reload_and_restart,
           test_operator_signature_policy,
           test_cli_push_and_activate,
           test_config_goes_with_the_upload_for_a_plugin_that_needs_one,
           test_hot_swap_under_load_fails_no_request,
           test_uploads_being_checked_are_few_at_a_time])
