/*
 * worker_proto.h - the protocol between batond (or the baton CLI) and an
 * isolated plugin worker (host/worker/, the baton-worker binary).
 *
 * Transport: one SOCK_STREAM socketpair, the worker's end on fd 3
 * (BH_WORKER_FD). Each message is a frame: u32 little-endian payload length
 * (at most BH_FRAME_MAX), then the payload, whose first byte is the frame
 * type. Fields are encoded with wire.h (integers little-endian, strings
 * length-prefixed and NUL-terminated). Anything else - an unknown type, a
 * short or overlong frame, trailing bytes - is a protocol error: the host
 * kills the worker.
 *
 * Conversation:
 *
 *   host   -> LOAD      tenant, plugin path, plugin config (JSON text)
 *   worker -> LOADED    the descriptor (name, version, scope, SDK, capabilities,
 *                       letter kinds) and which sandbox layers are in force
 *          or REFUSED   one line: ABI mismatch, failed init, ...  (then exits)
 *   host   -> CALL      one capability call, with the case as JSON text
 *   worker -> REPLY     the call's return code and the builder operations the
 *                       plugin made, in order (the host replays them into its
 *                       own result or letter, validating each again)
 *   ... more CALL / REPLY, one at a time ...
 *   worker -> FAULT     at most once, from the SIGSYS handler: the plugin made a
 *                       forbidden system call; the worker exits right after.
 *
 * The worker never starts a conversation of its own and holds one call at a
 * time. Closing the host's end makes the worker exit.
 */
#ifndef BH_WORKER_PROTO_H
#define BH_WORKER_PROTO_H

#include <stdint.h>

#define BH_WORKER_FD 3
#define BH_FRAME_MAX (16u * 1024 * 1024)

enum bh_frame_type {
    /* host -> worker */
    BH_FRAME_LOAD = 1,
    /*
     * LOAD: str tenant, str plugin_path, str config_json ("" = {}),
     *       u32 load_flags (BH_LOAD_*)
     */
    BH_FRAME_CALL = 2,
    /*
     * CALL: u32 call_id, u8 capabilities (BH_CAP_* bits; FILING_RULES and
     *       FEE_SCHEDULE may be combined: filing rules run first, the first
     *       failure stops), str letter_kind ("" unless BH_CAP_LETTER),
     *       str as_of ("YYYY-MM-DD": the case view's as_of overlay),
     *       str case_json, str result_json (the answer built so far, shaped
     *       as result.h describes, for result_view; "" = empty)
     */

    /* worker -> host */
    BH_FRAME_LOADED = 101,
    /*
     * LOADED: str name, str version, str scope, u16 sdk_major,
     *         u16 sdk_minor, u8 capabilities (BH_CAP_* bits),
     *         u32 kind_count, kind_count x str letter kind,
     *         u32 sandbox (BH_SANDBOX_* bits actually in force)
     */
    BH_FRAME_REFUSED = 102,
    /* REFUSED: str message (one line, names the file) */
    BH_FRAME_REPLY = 103,
    /*
     * REPLY: u32 call_id, i32 rc (as u32; 0 or a negative BATON_E* code),
     *        str failed_capability ("" when rc == 0: "filing_rules",
     *        "fee_schedule" or "render"), str reason (when rc != 0: the
     *        last refusal of a host function in the call, call_reason.h, less
     *        than BH_REASON_MAX bytes; "" otherwise), u32 op_count,
     *        op_count x op
     */
    BH_FRAME_FAULT = 104,
    /* FAULT: str message ("forbidden system call openat") */
};

/* Capability bits (CALL and LOADED). */
enum {
    BH_CAP_FILING_RULES = 1,
    BH_CAP_FEE_SCHEDULE = 2,
    BH_CAP_LETTER = 4,
};

/* LOAD flags. */
enum {
    BH_LOAD_PROBE = 1, /* a load check only: the host sends no CALL */
};

/* Sandbox layers (LOADED), for logs and /v1/plugins. */
enum {
    BH_SANDBOX_NO_NEW_PRIVS = 1,
    BH_SANDBOX_SECCOMP = 2,
    BH_SANDBOX_LANDLOCK = 4,
    BH_SANDBOX_RLIMITS = 8,
    BH_SANDBOX_NETNS = 16, /* its own (empty) network namespace */
    BH_SANDBOX_USERNS = 32,
};

/*
 * Builder operations inside REPLY: u8 op, then its fields. They mirror the
 * result_* / letter_* / log members of baton_host_api; the worker records
 * an operation only when its own builder accepted it.
 */
enum bh_op {
    /* str category, str code, u8 status, str text, u8 has_basis, str basis */
    BH_OP_FINDING = 1,
    /* str kind, str label, i64 minor, str currency, u8 has_basis, str basis */
    BH_OP_LINE_ITEM = 2,
    BH_OP_FACT_STRING = 3,  /* str key, str value */
    BH_OP_FACT_INT = 4,     /* str key, i64 value */
    BH_OP_FACT_DATE = 5,    /* str key, u32 year, u8 month, u8 day */
    BH_OP_FACT_MONEY = 6,   /* str key, i64 minor, str currency */
    BH_OP_LETTER_BLOCK = 7, /* u8 kind, str text */
    BH_OP_LETTER_SET = 8,   /* str key, str value */
    BH_OP_LOG = 9,          /* u8 level, str message */
};

/* Limits a worker's REPLY is held to (the host refuses more). */
#define BH_REPLY_MAX_OPS  100000u
#define BH_REPLY_MAX_LOGS 64u

#endif
