/* recorder.c - the recording host API of the worker (recorder.h). */
#include "recorder.h"

#include <errno.h>
#include <string.h>

#include "host_api.h"
#include "letter.h"
#include "call_reason.h"
#include "result.h"
#include "worker_proto.h"

/*
 * Room a REPLY needs besides its operations: u8 type, u32 call_id, i32 rc,
 * the failed capability ("fee_schedule" at most) and u32 op_count.
 */
#define REPLY_HEADER_MAX 64

static struct {
    bh_wbuf ops;
    uint32_t count, logs;
    int active;
    baton_result *result;
    baton_letter *letter;
} rec;

/* Whether an operation on r or l is for the call being recorded. */
static int for_result(const baton_result *r)
{
    return rec.active && r != NULL && r == rec.result;
}

static int for_letter(const baton_letter *l)
{
    return rec.active && l != NULL && l == rec.letter;
}

/*
 * Each recording member encodes its operation first and then asks the
 * builder: an operation that does not fit is refused before the builder
 * changes anything, and one the builder refuses is taken back out, so the
 * list always matches what the worker's own result or letter holds.
 * op_begin refuses an operation not for this call (target_ok false:
 * BATON_EINVAL) or past BH_REPLY_MAX_OPS (BATON_ELIMIT).
 */
static const char *op_function(uint8_t op)
{
    static const char *const names[] = {
        "?",           "result_finding", "result_line_item", "result_string", "result_int",
        "result_date", "result_money",   "letter_block",     "letter_set",    "log",
    };
    return op < sizeof names / sizeof names[0] ? names[op] : "?";
}

static int op_begin(int target_ok, uint8_t op, size_t *mark)
{
    if (!target_ok)
        return bh_refuse(BATON_EINVAL, "%s: not the %s of the current call", op_function(op),
                         op >= BH_OP_LETTER_BLOCK ? "letter" : "result");
    if (rec.count >= BH_REPLY_MAX_OPS)
        return bh_refuse(BATON_ELIMIT,
                         "%s: the call already made %u builder calls, the most an "
                         "isolated call may make",
                         op_function(op), BH_REPLY_MAX_OPS);
    *mark = rec.ops.len;
    bh_wbuf_u8(&rec.ops, op);
    return 0;
}

/* Finishes an operation: rc is the builder's answer (not called when the
 * encoding already failed). */
static int op_end(size_t mark, int rc)
{
    if (rc == 0) {
        rec.count++;
        return 0;
    }
    rec.ops.len = mark;
    rec.ops.failed = 0;
    return rc;
}

static void put_money(baton_money m)
{
    bh_wbuf_i64(&rec.ops, m.minor);
    bh_wbuf_strn(&rec.ops, m.currency, strnlen(m.currency, sizeof m.currency));
}

static void put_basis(const char *basis)
{
    bh_wbuf_u8(&rec.ops, basis != NULL);
    bh_wbuf_str(&rec.ops, basis);
}

/* Encoding overflowed the frame: refuse without asking the builder. */
#define BUILD(call) (rec.ops.failed ? frame_full() : (call))

static int frame_full(void)
{
    return bh_refuse(BATON_ELIMIT, "the answer of this isolated call would outgrow %u bytes",
                     (unsigned)BH_FRAME_MAX);
}

static int rec_finding(baton_result *r, const char *category, const char *code,
                       enum baton_finding_status status, const char *text, const char *basis)
{
    size_t mark;
    int rc = op_begin(for_result(r), BH_OP_FINDING, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, category);
    bh_wbuf_str(&rec.ops, code);
    bh_wbuf_u8(&rec.ops, (uint8_t)status);
    bh_wbuf_str(&rec.ops, text);
    put_basis(basis);
    /* A status that does not fit the wire's u8 must not reach the builder
     * as another, valid one: the builder refuses it here, with its reason,
     * without the operation being kept. */
    if ((unsigned)status > UINT8_MAX)
        return op_end(mark, bh_result_finding(r, category, code, status, text, basis));
    return op_end(mark, BUILD(bh_result_finding(r, category, code, status, text, basis)));
}

static int rec_line_item(baton_result *r, const char *kind, const char *label, baton_money amount,
                         const char *basis)
{
    size_t mark;
    int rc = op_begin(for_result(r), BH_OP_LINE_ITEM, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, kind);
    bh_wbuf_str(&rec.ops, label);
    put_money(amount);
    put_basis(basis);
    return op_end(mark, BUILD(bh_result_line_item(r, kind, label, amount, basis)));
}

static int rec_string(baton_result *r, const char *key, const char *value)
{
    size_t mark;
    int rc = op_begin(for_result(r), BH_OP_FACT_STRING, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, key);
    bh_wbuf_str(&rec.ops, value);
    return op_end(mark, BUILD(bh_result_string(r, key, value)));
}

static int rec_int(baton_result *r, const char *key, int64_t value)
{
    size_t mark;
    int rc = op_begin(for_result(r), BH_OP_FACT_INT, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, key);
    bh_wbuf_i64(&rec.ops, value);
    return op_end(mark, BUILD(bh_result_int(r, key, value)));
}

static int rec_date(baton_result *r, const char *key, baton_date value)
{
    size_t mark;
    int rc = op_begin(for_result(r), BH_OP_FACT_DATE, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, key);
    bh_wbuf_u32(&rec.ops, (uint32_t)value.year);
    bh_wbuf_u8(&rec.ops, (uint8_t)value.month);
    bh_wbuf_u8(&rec.ops, (uint8_t)value.day);
    return op_end(mark, BUILD(bh_result_date(r, key, value)));
}

static int rec_money(baton_result *r, const char *key, baton_money value)
{
    size_t mark;
    int rc = op_begin(for_result(r), BH_OP_FACT_MONEY, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, key);
    put_money(value);
    return op_end(mark, BUILD(bh_result_money(r, key, value)));
}

static int rec_letter_block(baton_letter *l, enum baton_block_kind kind, const char *text)
{
    size_t mark;
    int rc = op_begin(for_letter(l), BH_OP_LETTER_BLOCK, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_u8(&rec.ops, (uint8_t)kind);
    bh_wbuf_str(&rec.ops, text);
    if ((unsigned)kind > UINT8_MAX)
        return op_end(mark, bh_letter_block_add(l, kind, text));
    return op_end(mark, BUILD(bh_letter_block_add(l, kind, text)));
}

static int rec_letter_set(baton_letter *l, const char *key, const char *value)
{
    size_t mark;
    int rc = op_begin(for_letter(l), BH_OP_LETTER_SET, &mark);
    if (rc != 0)
        return rc;
    bh_wbuf_str(&rec.ops, key);
    bh_wbuf_str(&rec.ops, value);
    return op_end(mark, BUILD(bh_letter_set(l, key, value)));
}

static void rec_log(baton_host *host, enum baton_log_level level, const char *msg)
{
    size_t mark;
    /* As in process: no host handle or message, no line. Levels the host
     * would not accept are dropped here rather than failing the call. */
    if (host == NULL || msg == NULL || (int)level < BATON_LOG_DEBUG || (int)level > BATON_LOG_ERROR)
        return;
    if (rec.logs >= BH_REPLY_MAX_LOGS || op_begin(rec.active, BH_OP_LOG, &mark) != 0)
        return;
    bh_wbuf_u8(&rec.ops, (uint8_t)level);
    bh_wbuf_str(&rec.ops, msg);
    if (op_end(mark, rec.ops.failed ? BATON_ELIMIT : 0) == 0)
        rec.logs++;
}

const baton_host_api *bh_recorder_api(void)
{
    static baton_host_api api;
    static int made;
    if (!made) {
        api = *bh_host_api();
        api.result_finding = rec_finding;
        api.result_line_item = rec_line_item;
        api.result_string = rec_string;
        api.result_int = rec_int;
        api.result_date = rec_date;
        api.result_money = rec_money;
        api.letter_block = rec_letter_block;
        api.letter_set = rec_letter_set;
        api.log = rec_log;
        made = 1;
    }
    return &api;
}

void bh_recorder_begin(baton_result *result, baton_letter *letter)
{
    if (rec.ops.max == 0)
        bh_wbuf_init(&rec.ops, BH_FRAME_MAX - REPLY_HEADER_MAX);
    bh_wbuf_reset(&rec.ops);
    bh_reason_clear();
    rec.count = rec.logs = 0;
    rec.result = result;
    rec.letter = letter;
    rec.active = 1;
}

void bh_recorder_end(void)
{
    rec.active = 0;
    rec.result = NULL;
    rec.letter = NULL;
}

const bh_wbuf *bh_recorder_ops(uint32_t *count)
{
    *count = rec.count;
    return &rec.ops;
}

void bh_recorder_free(void)
{
    bh_wbuf_free(&rec.ops);
    rec.count = rec.logs = 0;
}
