#!/usr/bin/env python3
"""Two thousand tenants on one batond (issue 10, tenants at scale).

Every tenant's token reaches exactly its tenant (the 403 a token gets on an
endpoint of the other kind names the tenant it resolved to), tokens from
the data directory and from tenant files alike; a reload that removes and
adds tenants swaps the token table whole (removed tokens get 401, new ones
reach their new tenants, kept ones still theirs); tenants that never used
their state have no folder and hold no file descriptor; no token is ever
written to the log; a token hash two tenants hold is refused by name.
"""
import hashlib
import os
import signal

import batond_harness as h

AGENCIES = 1600
FIRMS = 400


def agency_id(i):
    return "agency-%05d" % i


def firm_id(i):
    return "firm-%05d" % i


def token_hash(token):
    return "blake2b256:" + hashlib.blake2b(token.encode(), digest_size=32).hexdigest()


def create_tokens(b, ids):
    """batond token create with every id at once: "ID TOKEN" lines."""
    r = b.run("token", "create", *ids, timeout=600)
    h.check(r.returncode == 0, r.stderr)
    lines = [l.split(" ") for l in r.stdout.splitlines()]
    h.check([l[0] for l in lines] == list(ids), "one line per tenant, in order")
    h.check("%d tokens printed once" % len(ids) in r.stderr, r.stderr)
    return {tid: tok for tid, tok in lines}


def resolved_tenant(b, conn, token, kind):
    """The tenant a token resolves to: an agency's token on a law-firm
    endpoint (and the other way round) is refused with 403 naming it."""
    path = "/v1/inbox" if kind == "agency" else "/v1/handoffs"
    r = b.request("GET", path, token=token, conn=conn)
    h.check(r.status == 403 and r.error_code() == "forbidden", repr(r))
    msg = r.json()["error"]["message"]
    # "this endpoint is for law-firm tenants; tenant agency-00017 is a agency"
    return msg.split("; tenant ", 1)[1].split(" ", 1)[0]


def check_every_token(b, tokens, kinds):
    conn = b.connect()
    try:
        for tid, tok in tokens.items():
            got = resolved_tenant(b, conn, tok, kinds[tid])
            h.check(got == tid, "the token of %s reached %s" % (tid, got))
    finally:
        conn.close()


def check_unknown(b, tokens):
    for tid, tok in tokens.items():
        r = b.get("/v1/plugins", token=tok)
        h.check(r.status == 401 and r.error_code() == "unauthorized",
                "the removed tenant %s: %r" % (tid, r))


def fds(b):
    return len(os.listdir("/proc/%d/fd" % b.proc.pid))


def wait_reloaded(b, generation, tenants, since):
    def done():
        for line in b.log_lines(since=since):
            if line.get("msg") == "config reloaded" and line.get("generation") == str(generation):
                return line
        return None
    h.check(h.wait_for(lambda: done() is not None, 120), "no reload %d" % generation)
    line = done()
    h.check(line["tenants"] == str(tenants), repr(line))


def test_every_token_reaches_its_tenant_and_reload_swaps_them():
    tenants = [h.tenant(agency_id(i), "agency", ["gb-ew", "northwind"]) for i in range(AGENCIES)]
    tenants += [h.tenant(firm_id(i), "lawfirm", []) for i in range(FIRMS)]
    # A tenth of the agencies also carry a token in their tenant file.
    file_tokens = {}
    for t in tenants[:AGENCIES // 10]:
        tok = "bt_file_token_of_" + t["id"]
        file_tokens[t["id"]] = tok
        t["token_hashes"] = [token_hash(tok)]
    kinds = {t["id"]: t["kind"] for t in tenants}
    with h.Batond("tenants-scale", tenants=tenants, issue_tokens=False) as b:
        tokens = create_tokens(b, [t["id"] for t in tenants])
        b.start()
        up = [l for l in b.log_lines() if l.get("msg") == "listening"][-1]
        h.check(up["tenants"] == str(AGENCIES + FIRMS), repr(up))

        check_every_token(b, tokens, kinds)
        check_every_token(b, file_tokens, kinds)
        for tid in (agency_id(0), agency_id(AGENCIES - 1)):
            r = b.evaluate(token=tokens[tid])
            h.check(r.status == 200 and [p["name"] for p in r.json()["plugins"]] ==
                    ["gb-ew", "northwind"], repr(r))
        r = b.get("/v1/plugins", token="bt_" + "A" * 43)
        h.check(r.status == 401, repr(r))
        # States open on first use: none of these requests needed one, so
        # no tenant folder exists and no store holds a descriptor.
        tdir = os.path.join(b.data_dir, "tenants")
        made = os.listdir(tdir) if os.path.exists(tdir) else []
        h.check(made == [], "tenant folders made without use: %d" % len(made))
        h.check(fds(b) < 64, "batond holds %d file descriptors" % fds(b))

        # Reload: the last 300 agencies and 100 firms go, 300 agencies come.
        removed = [agency_id(i) for i in range(AGENCIES - 300, AGENCIES)]
        removed += [firm_id(i) for i in range(FIRMS - 100, FIRMS)]
        gone = set(removed)
        added = [h.tenant(agency_id(i), "agency", ["gb-ew"])
                 for i in range(AGENCIES, AGENCIES + 300)]
        b.tenants = [t for t in b.tenants if t["id"] not in gone] + added
        b.write_config()
        new_tokens = create_tokens(b, [t["id"] for t in added])
        for t in added:
            kinds[t["id"]] = "agency"
        since = os.path.getsize(b.log_path)
        b.signal(signal.SIGHUP)
        wait_reloaded(b, 2, AGENCIES + FIRMS - 400 + 300, since)

        check_unknown(b, {tid: tokens[tid] for tid in removed})
        check_every_token(b, new_tokens, kinds)
        check_every_token(b, {tid: tok for tid, tok in tokens.items() if tid not in gone}, kinds)
        check_every_token(b, file_tokens, kinds)
        h.check(b.stop() == 0, "batond did not exit cleanly")

        # Tokens are secrets: not one of them is in the log.
        with open(b.log_path, "rb") as f:
            log = f.read()
        for tok in list(tokens.values()) + list(new_tokens.values()) + \
                list(file_tokens.values()):
            h.check(tok.encode() not in log, "a token is in the log")


def test_a_token_hash_of_two_tenants_is_refused():
    tok = "bt_shared_by_mistake"
    tenants = [h.tenant("northwind", "agency", ["gb-ew"], token_hashes=[token_hash(tok)]),
               h.tenant("southbank", "agency", ["gb-ew"])]
    with h.Batond("tenants-shared-token", tenants=tenants, issue_tokens=False) as b:
        # The same hash again, now in southbank's token file.
        os.makedirs(os.path.join(b.data_dir, "tokens"))
        with open(os.path.join(b.data_dir, "tokens", "southbank.hashes"), "w") as f:
            f.write(token_hash(tok) + "\n")
        want = ("tenant southbank: token hash 1 of the data directory's token file is also a "
                "token hash of tenant northwind: one token names one tenant")
        r = b.run("--check-config")
        h.check(r.returncode == 1 and want in r.stderr, r.stderr)
        b.start(wait=False)
        h.check(b.proc.wait(timeout=60) == 1, "batond started with a shared token hash")
        b.log_file.close()
        b.proc = None
        reasons = [l.get("reason", "") for l in b.log_lines()
                   if l.get("msg", "").startswith("cannot build the tenant registry")]
        h.check(reasons and want in reasons[0], repr(b.log_lines()[-3:]))
        h.check(token_hash(tok)[11:] not in open(b.log_path).read(), "the hash is logged")


if __name__ == "__main__":
    h.run([test_every_token_reaches_its_tenant_and_reload_swaps_them,
           test_a_token_hash_of_two_tenants_is_refused])
