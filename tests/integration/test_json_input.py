"""One rule for JSON entering batond and the baton CLI (host/runtime/json_input.h):
a NUL (raw or \\u0000), raw invalid UTF-8 (overlongs, encoded surrogates,
code points above U+10FFFF, truncated sequences) and lone surrogate escapes
are refused with 400 invalid_json naming the byte offset, on every JSON
endpoint; case files the CLI reads and tenant files get the same rule, with
the file's name. Before this rule a debtor named "Evil\\u0000Hidden" was
"Evil" in letters and in the firm's imported case, and invalid UTF-8 passed
evaluate and handoffs."""

import json
import os
import subprocess

import batond_harness as h

ADDRESS = {"lines": ["1 High Street"], "city": "Leeds", "country": "GB"}


def base_case():
    return json.loads(h.case_text())


def with_name(raw_name):
    """The demo case as bytes, its debtor's name replaced by raw_name
    (bytes put into the JSON text as they are); returns (body, offset of
    raw_name in body)."""
    c = base_case()
    c["debtor"]["name"] = "@@NAME@@"
    text = json.dumps(c).encode()
    return text.replace(b"@@NAME@@", raw_name), text.index(b"@@NAME@@")


# (what, raw bytes inside the debtor's name, offset of the refusal from the
# start of the name, what the message says)
BAD = [
    ("escaped NUL", b"Evil\\u0000Hidden", 4, "NUL"),
    ("raw NUL", b"Evil\x00Hidden", 4, "NUL"),
    ("overlong slash", b"a\xc0\xafb", 1, "UTF-8"),
    ("overlong 3 bytes", b"a\xe0\x80\xafb", 1, "UTF-8"),
    ("encoded surrogate", b"a\xed\xa0\x80b", 1, "UTF-8"),
    ("above U+10FFFF", b"a\xf4\x90\x80\x80b", 1, "UTF-8"),
    ("truncated", b"ab\xe2\x82", 2, "UTF-8"),
    ("stray continuation", b"a\x80", 1, "UTF-8"),
    ("lone high surrogate", b"a\\ud800b", 1, "surrogate"),
    ("lone low surrogate", b"a\\udc00", 1, "surrogate"),
    ("high then not low", b"\\ud83d\\u0041", 0, "surrogate"),
]


def check_refused(r, what, offset, says):
    h.check(r.status == 400 and r.error_code() == "invalid_json", "%s: %r" % (what, r))
    msg = r.json()["error"]["message"]
    h.check("(byte offset %d)" % offset in msg and says in msg,
            "%s: expected byte offset %d and %r in %r" % (what, offset, says, msg))


def test_every_json_endpoint_refuses_nul_and_invalid_utf8():
    with h.Batond("json-input").start() as b:
        nw, law = b.tokens["northwind"], b.tokens["harbor-law"]
        jh = {"Content-Type": "application/json"}
        for what, raw, at, says in BAD:
            body, start = with_name(raw)
            # evaluate: the body is the case
            check_refused(b.evaluate("northwind", body=body), "evaluate " + what, start + at,
                          says)
            # letters and handoffs: the case is a member of the body
            prefix = b'{"kind":"reminder","format":"text","case":'
            r = b.request("POST", "/v1/letters", body=prefix + body + b"}", token=nw, headers=jh)
            check_refused(r, "letters " + what, len(prefix) + start + at, says)
            prefix = b'{"to":"harbor-law","case":'
            r = b.request("POST", "/v1/handoffs", body=prefix + body + b"}", token=nw, headers=jh)
            check_refused(r, "handoffs " + what, len(prefix) + start + at, says)
        # the other JSON bodies pass the same rule
        r = b.request("POST", "/v1/inbox/ib_0/reject", token=law, headers=jh,
                      body=b'{"reason":"conflict\\u0000 of interest"}')
        check_refused(r, "reject", 19, "NUL")
        r = b.request("POST", "/v1/handoffs/ho_0/receipt", token=nw, headers=jh,
                      body=b'{"receipt":"\xff","minisig":"x"}')
        check_refused(r, "receipt", 12, "UTF-8")
        # Nothing reached a store: no handoff, no letter in the audit log.
        r = b.get("/v1/handoffs", token=nw)
        h.check(r.status == 200 and r.json() == [], "a handoff was stored: %r" % r)
        # Valid non-ASCII text and escaped pairs still pass.
        body, _ = with_name("Zo\u00eb \u20ac \U0001F600".encode() + b" \\ud83d\\ude00")
        r = b.evaluate("northwind", body=body)
        h.check(r.status == 200, "valid UTF-8 refused: %r" % r)
        b.stop()


def baton():
    return os.path.join(os.path.dirname(os.path.abspath(h.args().batond)), "..", "tools",
                        "baton")


def test_cli_refuses_the_same_case_files():
    d = os.path.join(os.path.abspath(h.args().scratch), "json-input-cli")
    os.makedirs(d, exist_ok=True)
    body, start = with_name(b"Evil\\u0000Hidden")
    path = os.path.join(d, "nul.json")
    with open(path, "wb") as f:
        f.write(body)
    pd = ["--plugin-dir", h.args().plugin_dir, "--plugin", "gb-ew"]
    r = subprocess.run([baton(), "evaluate", "-c", path, *pd], capture_output=True, timeout=60)
    err = (r.stdout + r.stderr).decode("utf-8", "replace")
    h.check(r.returncode == 1, "evaluate exit %d: %s" % (r.returncode, err))
    h.check(path in err and "(byte offset %d)" % (start + 4) in err and "NUL" in err, err)
    # baton pack reads the case the same way
    for who in ("agency", "firm"):
        subprocess.run([baton(), "keygen", "-o", os.path.join(d, who), "--force"], check=True,
                       capture_output=True, timeout=60)
    r = subprocess.run([baton(), "pack", "-k", os.path.join(d, "agency.key"), "-r",
                        os.path.join(d, "firm.agepub"), "-c", path, "-o",
                        os.path.join(d, "out.baton")], capture_output=True, timeout=60)
    err = r.stderr.decode("utf-8", "replace")
    h.check(r.returncode != 0 and "(byte offset %d)" % (start + 4) in err, err)
    h.check(not os.path.exists(os.path.join(d, "out.baton")), "a package was written")


def test_tenant_files_follow_the_rule_with_their_name():
    for what, raw, says in (("nul", b'"Evil\\u0000 Ltd"', "NUL"),
                            ("utf8", b'"Caf\xc3"', "UTF-8"),
                            ("surrogate", b'"\\udc00"', "surrogate")):
        b = h.Batond("json-input-tenant-" + what, issue_tokens=False)
        tfile = os.path.join(b.dir, "config", "tenants", "southbank.json")
        with open(tfile, "rb") as f:
            text = f.read()
        with open(tfile, "wb") as f:
            f.write(text.replace(b'"id": "southbank"', b'"name": ' + raw + b', "id": "southbank"'))
        r = b.run("--check-config")
        h.check(r.returncode != 0, "%s: accepted" % what)
        h.check("tenants/southbank.json: invalid JSON at line" in r.stderr and says in r.stderr
                and "byte offset" in r.stderr, "%s: %s" % (what, r.stderr))


if __name__ == "__main__":
    h.run([test_every_json_endpoint_refuses_nul_and_invalid_utf8,
           test_cli_refuses_the_same_case_files,
           test_tenant_files_follow_the_rule_with_their_name])
