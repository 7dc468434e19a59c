/*
 * log.c - JSON-lines log on stderr (see log.h).
 */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
#define BATCH_BYTES    32768

struct thread_log {
    char buf[BATCH_BYTES];
    size_t len;
    uv_prepare_t *prepare; /* non-NULL while lines are batched per loop turn */
    time_t ts_sec;         /* cached "YYYY-MM-DDTHH:MM:SS" for ts_sec */
    char ts_text[24];
};

static _Thread_local struct thread_log tl;
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int min_level = BH_LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void bh_log_set_level(enum bh_log_level min)
{
    atomic_store_explicit(&min_level, (int)min, memory_order_relaxed);
}

static void write_all(const char *p, size_t n)
{
    pthread_mutex_lock(&write_mu);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break; /* nowhere left to report it */
        }
        p += w;
        n -= (size_t)w;
    }
    pthread_mutex_unlock(&write_mu);
}

void bh_log_flush(void)
{
    if (tl.len > 0) {
        write_all(tl.buf, tl.len);
        tl.len = 0;
    }
}

/* A line under construction; always leaves room for the closing "}\n". */
struct line {
    char b[LINE_MAX_BYTES];
    size_t n;
};

static void put(struct line *l, const char *s, size_t len)
{
    size_t room = sizeof(l->b) - 3 - l->n;
    if (len > room)
        len = room;
    memcpy(l->b + l->n, s, len);
    l->n += len;
}

static void puts_raw(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

/* Appends s as a JSON string body (without quotes), escaping as RFC 8259
 * requires; bytes >= 0x80 pass through (callers log UTF-8). */
static void put_escaped(struct line *l, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        char esc[7];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(l, esc, 2);
        } else if (*p == '\n') {
            put(l, "\\n", 2);
        } else if (*p == '\t') {
            put(l, "\\t", 2);
        } else if (*p == '\r') {
            put(l, "\\r", 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            put(l, esc, 6);
        } else {
            put(l, (const char *)p, 1);
        }
    }
}

static void put_field(struct line *l, const char *name, const char *value)
{
    puts_raw(l, ",\"");
    puts_raw(l, name);
    puts_raw(l, "\":\"");
    put_escaped(l, value);
    puts_raw(l, "\"");
}

static void put_number(struct line *l, const char *name, unsigned long long v)
{
    char num[32];
    int k = snprintf(num, sizeof(num), "%llu", v);
    puts_raw(l, ",\"");
    puts_raw(l, name);
    puts_raw(l, "\":");
    put(l, num, (size_t)k);
}

static void begin(struct line *l, enum bh_log_level level, const char *msg)
{
    struct timespec now;
    char ms[8];

    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec != tl.ts_sec || tl.ts_text[0] == '\0') {
        struct tm tm;
        gmtime_r(&now.tv_sec, &tm);
        strftime(tl.ts_text, sizeof(tl.ts_text), "%Y-%m-%dT%H:%M:%S", &tm);
        tl.ts_sec = now.tv_sec;
    }
    snprintf(ms, sizeof(ms), ".%03ldZ", (long)(now.tv_nsec / 1000000));
    l->n = 0;
    puts_raw(l, "{\"ts\":\"");
    puts_raw(l, tl.ts_text);
    puts_raw(l, ms);
    puts_raw(l, "\",\"level\":\"");
    puts_raw(l, level_names[level]);
    puts_raw(l, "\",\"msg\":\"");
    put_escaped(l, msg != NULL ? msg : "");
    puts_raw(l, "\"");
}

static void finish(struct line *l)
{
    l->b[l->n++] = '}';
    l->b[l->n++] = '\n';
    if (tl.prepare == NULL) {
        write_all(l->b, l->n);
        return;
    }
    if (tl.len + l->n > sizeof(tl.buf))
        bh_log_flush();
    memcpy(tl.buf + tl.len, l->b, l->n);
    tl.len += l->n;
}

void bh_log(enum bh_log_level level, const char *msg, ...)
{
    struct line l;
    va_list ap;

    if ((int)level < atomic_load_explicit(&min_level, memory_order_relaxed) || level > BH_LOG_ERROR)
        return;
    begin(&l, level, msg);
    va_start(ap, msg);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        const char *value;
        if (name == NULL)
            break;
        value = va_arg(ap, const char *);
        if (value != NULL)
            put_field(&l, name, value);
    }
    va_end(ap);
    finish(&l);
}

void bh_log_request(const bh_log_request_fields *f)
{
    struct line l;
    enum bh_log_level level = f->status >= 500 || f->status == 0 ? BH_LOG_WARN : BH_LOG_INFO;

    if ((int)level < atomic_load_explicit(&min_level, memory_order_relaxed))
        return;
    begin(&l, level, "request");
    if (f->request_id != NULL)
        put_field(&l, "request_id", f->request_id);
    if (f->method != NULL)
        put_field(&l, "method", f->method);
    if (f->path != NULL)
        put_field(&l, "path", f->path);
    if (f->route != NULL)
        put_field(&l, "route", f->route);
    if (f->tenant != NULL)
        put_field(&l, "tenant", f->tenant);
    put_number(&l, "status", (unsigned long long)f->status);
    if (f->error != NULL)
        put_field(&l, "error", f->error);
    put_number(&l, "duration_us", (unsigned long long)(f->duration_ns / 1000));
    put_number(&l, "bytes_out", (unsigned long long)f->bytes_out);
    if (f->peer != NULL)
        put_field(&l, "peer", f->peer);
    finish(&l);
}

static void on_prepare(uv_prepare_t *h)
{
    (void)h;
    bh_log_flush();
}

static void on_prepare_closed(uv_handle_t *h)
{
    free(h);
}

int bh_log_attach_loop(uv_loop_t *loop)
{
    int rc;
    uv_prepare_t *p = malloc(sizeof(*p));

    if (p == NULL)
        return -ENOMEM;
    rc = uv_prepare_init(loop, p);
    if (rc == 0)
        rc = uv_prepare_start(p, on_prepare);
    if (rc != 0) {
        free(p);
        return rc;
    }
    /* The hook must not keep the loop alive on its own. */
    uv_unref((uv_handle_t *)p);
    tl.prepare = p;
    return 0;
}

void bh_log_detach_loop(void)
{
    bh_log_flush();
    if (tl.prepare != NULL) {
        uv_close((uv_handle_t *)tl.prepare, on_prepare_closed);
        tl.prepare = NULL;
    }
}
