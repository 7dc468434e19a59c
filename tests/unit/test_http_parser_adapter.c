/*
 * test_http_parser_adapter.c - the bh_hpa interface over libhttp-parser:
 * callback order, phases, pausing and feeding the rest again, error kinds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_parser_adapter.h"

struct rec {
    char log[4096]; /* "B" begin, "U<url>", "F<name>", "V<value>", "H", "D<body>", "C" */
    size_t n;
    bh_hpa_head head;
    int pause_on_body;     /* pause after every body callback */
    int pause_on_complete; /* pause after message complete */
    int stop_on_field;
    int messages;
};

static void put(struct rec *r, char tag, const char *at, size_t len)
{
    assert_true(r->n + 1 + len < sizeof(r->log));
    r->log[r->n++] = tag;
    memcpy(r->log + r->n, at, len);
    r->n += len;
    r->log[r->n] = '\0';
}

static int on_begin(void *ctx)
{
    put(ctx, 'B', "", 0);
    return 0;
}

static int on_url(void *ctx, const char *at, size_t len)
{
    put(ctx, 'U', at, len);
    return 0;
}

static int on_field(void *ctx, const char *at, size_t len)
{
    struct rec *r = ctx;
    put(r, 'F', at, len);
    return r->stop_on_field ? BH_HPA_STOP : 0;
}

static int on_value(void *ctx, const char *at, size_t len)
{
    put(ctx, 'V', at, len);
    return 0;
}

static int on_headers(void *ctx, const bh_hpa_head *h)
{
    struct rec *r = ctx;
    r->head = *h;
    put(r, 'H', "", 0);
    return 0;
}

static int on_body(void *ctx, const char *at, size_t len)
{
    struct rec *r = ctx;
    put(r, 'D', at, len);
    return r->pause_on_body ? BH_HPA_PAUSE : 0;
}

static int on_complete(void *ctx)
{
    struct rec *r = ctx;
    put(r, 'C', "", 0);
    r->messages++;
    return r->pause_on_complete ? BH_HPA_PAUSE : 0;
}

static const bh_hpa_callbacks cbs = {on_begin,   on_url,  on_field,   on_value,
                                     on_headers, on_body, on_complete};

static size_t exec_str(bh_hpa *p, const char *s)
{
    return bh_hpa_execute(p, s, strlen(s));
}

/* Feeds everything, resuming after each pause; returns the execute calls. */
static int feed_all(bh_hpa *p, const char *data, size_t len)
{
    size_t off = 0;
    int calls = 0;

    while (off < len) {
        size_t n = bh_hpa_execute(p, data + off, len - off);
        calls++;
        off += n;
        if (bh_hpa_status(p) == BH_HPA_PAUSED) {
            bh_hpa_resume(p);
            continue;
        }
        assert_int_equal(bh_hpa_status(p), BH_HPA_OK);
        assert_true(calls < 1000);
    }
    return calls;
}

static void test_get_head_fields_and_phases(void **state)
{
    struct rec r;
    bh_hpa *p;
    const char *req = "GET /x?y=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

    (void)state;
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    assert_int_equal(bh_hpa_phase(p), BH_HPA_IDLE);
    assert_int_equal(bh_hpa_execute(p, req, 9), 9);
    assert_int_equal(bh_hpa_phase(p), BH_HPA_HEAD);
    assert_int_equal(bh_hpa_execute(p, req + 9, strlen(req) - 9), strlen(req) - 9);
    assert_int_equal(bh_hpa_phase(p), BH_HPA_IDLE);
    /* the url arrives in two pieces because the input was split */
    assert_string_equal(r.log, "BU/x?y=U1FHostVhFConnectionVcloseHC");
    assert_string_equal(r.head.method, "GET");
    assert_int_equal(r.head.http_major, 1);
    assert_int_equal(r.head.http_minor, 1);
    assert_int_equal(r.head.keep_alive, 0);
    assert_int_equal(r.head.has_content_length, 0);
    assert_int_equal(r.head.is_head, 0);
    assert_int_equal(bh_hpa_finish(p), 0);
    bh_hpa_free(p);
}

static void test_pause_on_final_body_byte_is_fed_again(void **state)
{
    struct rec r;
    bh_hpa *p;
    const char *req = "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /2 HTTP/1.1\r\n\r\n";
    size_t len = strlen(req), n, body_end = strlen(req) - strlen("GET /2 HTTP/1.1\r\n\r\n");

    (void)state;
    memset(&r, 0, sizeof(r));
    r.pause_on_body = 1;
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    n = bh_hpa_execute(p, req, len);
    assert_int_equal(bh_hpa_status(p), BH_HPA_PAUSED);
    /* the library reports the last body byte as not consumed ... */
    assert_int_equal(n, body_end - 1);
    assert_int_equal(r.messages, 0);
    bh_hpa_resume(p);
    /* ... and consumes it silently when it is fed again */
    assert_int_equal(bh_hpa_execute(p, req + n, len - n), len - n);
    assert_int_equal(r.messages, 2);
    assert_string_equal(r.log, "BU/FContent-LengthV3HDabcCBU/2HC");
    bh_hpa_free(p);
}

static void test_pause_at_message_complete_consumes_the_message(void **state)
{
    struct rec r;
    bh_hpa *p;
    const char *one = "GET /a HTTP/1.1\r\n\r\n";
    char req[128];
    size_t n;

    (void)state;
    snprintf(req, sizeof(req), "%s%s", one, "GET /b HTTP/1.1\r\n\r\n");
    memset(&r, 0, sizeof(r));
    r.pause_on_complete = 1;
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    n = bh_hpa_execute(p, req, strlen(req));
    assert_int_equal(bh_hpa_status(p), BH_HPA_PAUSED);
    assert_int_equal(n, strlen(one));
    assert_int_equal(bh_hpa_phase(p), BH_HPA_IDLE);
    bh_hpa_resume(p);
    n += bh_hpa_execute(p, req + n, strlen(req) - n);
    assert_int_equal(n, strlen(req));
    assert_int_equal(r.messages, 2);
    bh_hpa_free(p);
}

static void test_chunked_body_with_pauses_reassembles(void **state)
{
    struct rec r;
    bh_hpa *p;
    const char *req = "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";

    (void)state;
    memset(&r, 0, sizeof(r));
    r.pause_on_body = 1;
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    assert_true(feed_all(p, req, strlen(req)) >= 3);
    assert_string_equal(r.log, "BU/cFTransfer-EncodingVchunkedHDabcDdefgC");
    assert_int_equal(r.head.chunked, 1);
    bh_hpa_free(p);
}

static void test_error_kinds(void **state)
{
    struct rec r;
    bh_hpa *p;
    char *big;
    size_t n = 90 * 1024;

    (void)state;
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    exec_str(p, "G@T / HTTP/1.1\r\n\r\n");
    assert_int_equal(bh_hpa_status(p), BH_HPA_ERROR);
    assert_int_equal(bh_hpa_error(p), BH_HPA_E_SYNTAX);
    assert_non_null(bh_hpa_error_text(p));
    bh_hpa_free(p);

    /* whitespace before the colon (RFC 9112 section 5.1) */
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    exec_str(p, "GET / HTTP/1.1\r\nHost : h\r\n\r\n");
    assert_int_equal(bh_hpa_error(p), BH_HPA_E_SYNTAX);
    assert_string_equal(bh_hpa_error_text(p), "invalid character in header name");
    bh_hpa_free(p);

    /* both framings at once is refused */
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    {
        const char *req = "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n";
        bh_hpa_execute(p, req, strlen(req));
        assert_int_equal(bh_hpa_error(p), BH_HPA_E_SYNTAX);
    }
    bh_hpa_free(p);

    /* the library's own head cap */
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    big = malloc(n);
    assert_non_null(big);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    memset(big + 19, 'x', n - 19);
    bh_hpa_execute(p, big, n);
    assert_int_equal(bh_hpa_error(p), BH_HPA_E_HEADER_OVERFLOW);
    free(big);
    bh_hpa_free(p);

    /* a callback that stops */
    memset(&r, 0, sizeof(r));
    r.stop_on_field = 1;
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    exec_str(p, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_int_equal(bh_hpa_error(p), BH_HPA_E_CALLBACK);
    bh_hpa_free(p);
}

static void test_finish_inside_a_message_is_an_error(void **state)
{
    struct rec r;
    bh_hpa *p;

    (void)state;
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    exec_str(p, "POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc");
    assert_int_equal(bh_hpa_phase(p), BH_HPA_BODY);
    assert_int_equal(bh_hpa_finish(p), -1);
    assert_int_equal(bh_hpa_error(p), BH_HPA_E_EOF);
    assert_int_equal(exec_str(p, "abcdef"), 0);
    bh_hpa_free(p);
}

static void test_upgrade_without_body_goes_on_with_next_request(void **state)
{
    struct rec r;
    bh_hpa *p;
    const char *req = "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: "
                      "websocket\r\n\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n";

    (void)state;
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    assert_int_equal(bh_hpa_execute(p, req, strlen(req)), strlen(req));
    assert_int_equal(r.messages, 2);
    assert_non_null(strstr(r.log, "U/after"));
    bh_hpa_free(p);
}

static void test_http10_keep_alive_and_version_fields(void **state)
{
    struct rec r;
    bh_hpa *p;
    const char *req = "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";

    (void)state;
    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    bh_hpa_execute(p, req, strlen(req));
    assert_int_equal(r.head.http_minor, 0);
    assert_int_equal(r.head.keep_alive, 1);
    assert_int_equal(r.head.is_head, 1);
    bh_hpa_free(p);

    memset(&r, 0, sizeof(r));
    p = bh_hpa_new(&cbs, &r);
    assert_non_null(p);
    exec_str(p, "GET / HTTP/2.0\r\n\r\n");
    assert_int_equal(bh_hpa_status(p), BH_HPA_OK);
    assert_int_equal(r.head.http_major, 2);
    bh_hpa_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_head_fields_and_phases),
        cmocka_unit_test(test_pause_on_final_body_byte_is_fed_again),
        cmocka_unit_test(test_pause_at_message_complete_consumes_the_message),
        cmocka_unit_test(test_chunked_body_with_pauses_reassembles),
        cmocka_unit_test(test_error_kinds),
        cmocka_unit_test(test_finish_inside_a_message_is_an_error),
        cmocka_unit_test(test_upgrade_without_body_goes_on_with_next_request),
        cmocka_unit_test(test_http10_keep_alive_and_version_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
