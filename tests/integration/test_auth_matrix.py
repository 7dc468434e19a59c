"""Auth matrix: every endpoint against no token, a malformed header, an
unknown token, a token from another batond, and each tenant's own token.
Also 404 for unknown routes and 405 with Allow for wrong methods."""

import batond_harness as h

PUBLIC = [("GET", "/healthz"), ("GET", "/metrics")]


def creds(b, foreign):
    return {
        "none": None,
        "malformed": "Basic bm9ydGh3aW5kOnB3",
        "unknown": "Bearer bt_" + "A" * 43,
        "foreign": "Bearer " + foreign,
        "northwind": "Bearer " + b.tokens["northwind"],
        "southbank": "Bearer " + b.tokens["southbank"],
        "harbor-law": "Bearer " + b.tokens["harbor-law"],
    }


def call(b, method, path, auth):
    headers = {"Authorization": auth} if auth else {}
    body = None
    if method == "POST":
        headers["Content-Type"] = "application/json"
        body = h.case_text()
    return b.request(method, path, body=body, headers=headers)


def expect_401(r, auth_name):
    h.check(r.status == 401, "%s: expected 401, got %r" % (auth_name, r))
    h.check(r.error_code() == "unauthorized", "%s: error code %r" % (auth_name, r.error_code()))
    www = r.headers.get("www-authenticate", "")
    h.check(www.startswith("Bearer"), "%s: WWW-Authenticate %r" % (auth_name, www))
    if auth_name in ("unknown", "foreign"):
        h.check('error="invalid_token"' in www, "%s: WWW-Authenticate %r" % (auth_name, www))


def test_matrix():
    other = h.Batond("auth-other", tenants=[h.tenant("northwind", "agency", ["gb-ew"])])
    with h.Batond("auth").start() as b:
        c = creds(b, other.tokens["northwind"])
        for method, path in PUBLIC:
            for name, auth in c.items():
                r = call(b, method, path, auth)
                h.check(r.status == 200, "%s %s with %s: %r" % (method, path, name, r))

        for name, auth in c.items():
            r = call(b, "GET", "/v1/plugins", auth)
            if name in ("none", "malformed", "unknown", "foreign"):
                expect_401(r, name)
                continue
            h.check(r.status == 200, "plugins with %s: %r" % (name, r))
            h.check(r.json()["tenant"] == name, "token of %s answered as %r" % (name, r.json()))

        for name, auth in c.items():
            r = call(b, "POST", "/v1/cases/evaluate", auth)
            if name in ("none", "malformed", "unknown", "foreign"):
                expect_401(r, name)
            elif name == "harbor-law":
                h.check(r.status == 403 and r.error_code() == "forbidden",
                        "law firm on an agency endpoint: %r" % r)
            else:
                h.check(r.status == 200, "evaluate with %s: %r" % (name, r))
                names = [p["name"] for p in r.json()["plugins"]]
                h.check("gb-ew" in names, "evaluate with %s used %r" % (name, names))

        # The law-firm endpoints, the other way round: agencies get 403.
        for name, auth in c.items():
            r = call(b, "GET", "/v1/inbox", auth)
            if name in ("none", "malformed", "unknown", "foreign"):
                expect_401(r, name)
            elif name == "harbor-law":
                h.check(r.status == 200, "inbox with %s: %r" % (name, r))
            else:
                h.check(r.status == 403 and r.error_code() == "forbidden",
                        "agency %s on a law-firm endpoint: %r" % (name, r))
        h.check(b.stop() == 0, "batond did not exit 0")


def test_metrics_auth_tenant():
    with h.Batond("auth-metrics", config={"metrics_auth": "tenant"}).start() as b:
        expect_401(b.get("/metrics"), "none")
        r = b.get("/metrics", token=b.tokens["southbank"])
        h.check(r.status == 200 and b"baton_http_requests_total" in r.body, repr(r))
        h.check(b.get("/healthz").status == 200, "healthz must stay public")
        b.stop()


def test_unknown_route_and_wrong_method():
    with h.Batond("auth-routes").start() as b:
        tok = b.tokens["northwind"]
        for path in ("/", "/v1", "/v1/plugins/extra", "/v2/plugins", "/healthz/"):
            r = b.get(path, token=tok)
            h.check(r.status == 404 and r.error_code() == "not_found", "%s: %r" % (path, r))
        r = b.request("DELETE", "/v1/plugins", token=tok)
        h.check(r.status == 405 and r.error_code() == "method_not_allowed", repr(r))
        h.check(r.headers.get("allow") == "GET, HEAD, POST", "Allow: %r" % r.headers.get("allow"))
        r = b.get("/v1/cases/evaluate", token=tok)
        h.check(r.status == 405 and r.headers.get("allow") == "POST", repr(r))
        r = b.request("POST", "/healthz", body=b"{}")
        h.check(r.status == 405 and r.headers.get("allow") == "GET, HEAD", repr(r))
        b.stop()


def test_token_create_rejects_unknown_tenant():
    b = h.Batond("auth-issue", issue_tokens=False)
    r = b.run("token", "create", "nobody")
    h.check(r.returncode != 0 and "nobody" in r.stderr, "exit %d: %s" % (r.returncode, r.stderr))
    r = b.run("--issue-token", "southbank")
    h.check(r.returncode == 0 and r.stdout.startswith("bt_"), r.stderr)
    tok = r.stdout.strip()
    hashes = open(b.data_dir + "/tokens/southbank.hashes").read()
    h.check(tok not in hashes and hashes.startswith("blake2b256:"), "hash file: %r" % hashes)
    import os
    import stat
    mode = stat.S_IMODE(os.stat(b.data_dir + "/tokens/southbank.hashes").st_mode)
    h.check(mode == 0o600, "hash file mode %o" % mode)


if __name__ == "__main__":
    h.run([test_matrix, test_metrics_auth_tenant, test_unknown_route_and_wrong_method,
           test_token_create_rejects_unknown_tenant])
