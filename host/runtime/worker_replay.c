/* worker_replay.c - a worker's builder operations, applied again (worker_replay.h). */
#include "worker_replay.h"

#include <stdio.h>
#include <string.h>

#include "host_api.h"
#include "letter.h"
#include "result.h"
#include "worker_proto.h"

static int bad(char *err, size_t errlen, uint32_t i, const char *what)
{
    snprintf(err, errlen, "operation %u: %s", (unsigned)i, what);
    return BATON_EINVAL;
}

static int read_money(bh_rbuf *r, baton_money *m)
{
    size_t n;
    m->minor = bh_rbuf_i64(r);
    const char *cur = bh_rbuf_str(r, &n);
    if (n != 3)
        return -1;
    memcpy(m->currency, cur, 4);
    return 0;
}

int bh_worker_replay(bh_rbuf *r, uint32_t count, baton_result *result, baton_letter *letter,
                     const char *tenant, const char *plugin, char *err, size_t errlen)
{
    uint32_t logs = 0;
    if (count > BH_REPLY_MAX_OPS)
        return bad(err, errlen, 0, "too many operations");
    for (uint32_t i = 0; i < count; i++) {
        uint8_t op = bh_rbuf_u8(r);
        int rc = 0;
        const char *key, *a, *b, *c;
        baton_money m;
        switch (op) {
        case BH_OP_FINDING: {
            a = bh_rbuf_str(r, NULL);
            b = bh_rbuf_str(r, NULL);
            uint8_t status = bh_rbuf_u8(r);
            c = bh_rbuf_str(r, NULL);
            uint8_t has_basis = bh_rbuf_u8(r);
            const char *basis = bh_rbuf_str(r, NULL);
            if (r->failed || result == NULL)
                return bad(err, errlen, i, "malformed finding");
            rc = bh_result_finding(result, a, b, (enum baton_finding_status)status, c,
                                   has_basis ? basis : NULL);
            break;
        }
        case BH_OP_LINE_ITEM: {
            a = bh_rbuf_str(r, NULL);
            b = bh_rbuf_str(r, NULL);
            int mrc = read_money(r, &m);
            uint8_t has_basis = bh_rbuf_u8(r);
            const char *basis = bh_rbuf_str(r, NULL);
            if (r->failed || mrc != 0 || result == NULL)
                return bad(err, errlen, i, "malformed line item");
            rc = bh_result_line_item(result, a, b, m, has_basis ? basis : NULL);
            break;
        }
        case BH_OP_FACT_STRING:
            key = bh_rbuf_str(r, NULL);
            a = bh_rbuf_str(r, NULL);
            if (r->failed || result == NULL)
                return bad(err, errlen, i, "malformed fact");
            rc = bh_result_string(result, key, a);
            break;
        case BH_OP_FACT_INT: {
            key = bh_rbuf_str(r, NULL);
            int64_t v = bh_rbuf_i64(r);
            if (r->failed || result == NULL)
                return bad(err, errlen, i, "malformed fact");
            rc = bh_result_int(result, key, v);
            break;
        }
        case BH_OP_FACT_DATE: {
            baton_date d;
            key = bh_rbuf_str(r, NULL);
            d.year = (int32_t)bh_rbuf_u32(r);
            d.month = bh_rbuf_u8(r);
            d.day = bh_rbuf_u8(r);
            if (r->failed || result == NULL)
                return bad(err, errlen, i, "malformed fact");
            rc = bh_result_date(result, key, d);
            break;
        }
        case BH_OP_FACT_MONEY: {
            key = bh_rbuf_str(r, NULL);
            int mrc = read_money(r, &m);
            if (r->failed || mrc != 0 || result == NULL)
                return bad(err, errlen, i, "malformed fact");
            rc = bh_result_money(result, key, m);
            break;
        }
        case BH_OP_LETTER_BLOCK: {
            uint8_t kind = bh_rbuf_u8(r);
            a = bh_rbuf_str(r, NULL);
            if (r->failed || letter == NULL)
                return bad(err, errlen, i, "malformed letter block");
            rc = bh_letter_block_add(letter, (enum baton_block_kind)kind, a);
            break;
        }
        case BH_OP_LETTER_SET:
            key = bh_rbuf_str(r, NULL);
            a = bh_rbuf_str(r, NULL);
            if (r->failed || letter == NULL)
                return bad(err, errlen, i, "malformed letter property");
            rc = bh_letter_set(letter, key, a);
            break;
        case BH_OP_LOG: {
            uint8_t level = bh_rbuf_u8(r);
            a = bh_rbuf_str(r, NULL);
            if (r->failed || level > BATON_LOG_ERROR)
                return bad(err, errlen, i, "malformed log line");
            if (++logs <= BH_REPLY_MAX_LOGS)
                bh_host_log(tenant, plugin, (enum baton_log_level)level, a);
            break;
        }
        default:
            return bad(err, errlen, i, "unknown operation");
        }
        if (rc == BATON_ENOMEM) {
            snprintf(err, errlen, "out of memory");
            return BATON_ENOMEM;
        }
        if (rc != 0)
            return bad(err, errlen, i, "refused by the host's builder (the worker accepted it)");
    }
    return 0;
}
