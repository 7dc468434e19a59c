/*
 * json_text.c - compact JSON text of a cJSON tree (see json_text.h).
 */
#include "json_text.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *b;
    size_t n, cap;
    int failed;
};

static int grow(struct out *o, size_t more)
{
    size_t ncap;
    char *nb;
    if (o->n + more + 1 <= o->cap)
        return 0;
    ncap = o->cap * 2;
    while (ncap < o->n + more + 1)
        ncap *= 2;
    nb = realloc(o->b, ncap);
    if (nb == NULL) {
        o->failed = 1;
        return -1;
    }
    o->b = nb;
    o->cap = ncap;
    return 0;
}

static void put(struct out *o, const char *s, size_t len)
{
    if (o->failed || grow(o, len) != 0)
        return;
    memcpy(o->b + o->n, s, len);
    o->n += len;
}

static void put_string(struct out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t len = strlen((const char *)p);

    /* Worst case every byte becomes \u00XX. */
    if (o->failed || grow(o, len * 6 + 2) != 0)
        return;
    o->b[o->n++] = '"';
    for (; *p != '\0'; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') {
            o->b[o->n++] = (char)c;
            continue;
        }
        o->b[o->n++] = '\\';
        switch (c) {
        case '"':
        case '\\':
            o->b[o->n++] = (char)c;
            break;
        case '\b':
            o->b[o->n++] = 'b';
            break;
        case '\f':
            o->b[o->n++] = 'f';
            break;
        case '\n':
            o->b[o->n++] = 'n';
            break;
        case '\r':
            o->b[o->n++] = 'r';
            break;
        case '\t':
            o->b[o->n++] = 't';
            break;
        default:
            memcpy(o->b + o->n, "u00", 3);
            o->b[o->n + 3] = hex[c >> 4];
            o->b[o->n + 4] = hex[c & 15];
            o->n += 5;
        }
    }
    o->b[o->n++] = '"';
}

/* cJSON's test of whether 15 digits read back as the same number: equal
 * within one DBL_EPSILON relative to the larger magnitude. */
static int close_enough(double a, double b)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= m * DBL_EPSILON;
}

static void put_number(struct out *o, double d)
{
    char buf[32];
    int k;

    if (isnan(d) || isinf(d)) {
        put(o, "null", 4);
        return;
    }
    /* Integers below 2^53 print exactly as %1.15g would for up to 15
     * digits; cJSON's %1.15g/%1.17g choice gives the same digits. */
    if (d == floor(d) && fabs(d) < 1e15) {
        int64_t v = (int64_t)d;
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        char *p = buf + sizeof(buf);
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u != 0);
        if (v < 0 || (v == 0 && signbit(d)))
            *--p = '-';
        put(o, p, (size_t)(buf + sizeof(buf) - p));
        return;
    }
    k = snprintf(buf, sizeof(buf), "%1.15g", d);
    if (k > 0 && !close_enough(strtod(buf, NULL), d))
        k = snprintf(buf, sizeof(buf), "%1.17g", d);
    if (k > 0)
        put(o, buf, (size_t)k);
}

static void put_value(struct out *o, const cJSON *j)
{
    const cJSON *c;
    int first = 1;

    if (o->failed)
        return;
    switch (j->type & 0xFF) {
    case cJSON_NULL:
        put(o, "null", 4);
        break;
    case cJSON_False:
        put(o, "false", 5);
        break;
    case cJSON_True:
        put(o, "true", 4);
        break;
    case cJSON_Number:
        put_number(o, j->valuedouble);
        break;
    case cJSON_String:
        put_string(o, j->valuestring);
        break;
    case cJSON_Raw:
        if (j->valuestring != NULL)
            put(o, j->valuestring, strlen(j->valuestring));
        else
            o->failed = 1;
        break;
    case cJSON_Array:
        put(o, "[", 1);
        for (c = j->child; c != NULL; c = c->next) {
            if (!first)
                put(o, ",", 1);
            first = 0;
            put_value(o, c);
        }
        put(o, "]", 1);
        break;
    case cJSON_Object:
        put(o, "{", 1);
        for (c = j->child; c != NULL; c = c->next) {
            if (!first)
                put(o, ",", 1);
            first = 0;
            put_string(o, c->string);
            put(o, ":", 1);
            put_value(o, c);
        }
        put(o, "}", 1);
        break;
    default:
        o->failed = 1;
    }
}

char *bh_json_text(const cJSON *json, size_t *len)
{
    struct out o = {malloc(8192), 0, 8192, 0};

    if (o.b == NULL)
        return NULL;
    put_value(&o, json);
    if (o.failed) {
        free(o.b);
        return NULL;
    }
    o.b[o.n] = '\0';
    *len = o.n;
    return o.b;
}
