/* worker_frames.c - the frames of the worker protocol (worker_frames.h). */
#include "worker_frames.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "call_reason.h"
#include "worker_proto.h"

void bh_frame_load(bh_wbuf *b, const char *tenant, const char *path, const char *config_json,
                   unsigned flags)
{
    size_t at = bh_wbuf_frame_begin(b);
    bh_wbuf_u8(b, BH_FRAME_LOAD);
    bh_wbuf_str(b, tenant);
    bh_wbuf_str(b, path);
    bh_wbuf_str(b, config_json);
    bh_wbuf_u32(b, flags);
    bh_wbuf_frame_end(b, at);
}

void bh_frame_call(bh_wbuf *b, uint32_t call_id, unsigned caps, const char *kind, const char *as_of,
                   const char *case_json, size_t case_len, const char *result_json)
{
    size_t at = bh_wbuf_frame_begin(b);
    bh_wbuf_u8(b, BH_FRAME_CALL);
    bh_wbuf_u32(b, call_id);
    bh_wbuf_u8(b, (uint8_t)caps);
    bh_wbuf_str(b, kind);
    bh_wbuf_str(b, as_of);
    bh_wbuf_strn(b, case_json, case_len);
    bh_wbuf_str(b, result_json);
    bh_wbuf_frame_end(b, at);
}

static int fault_or_protocol(uint8_t type, bh_rbuf *r, char *err, size_t errlen)
{
    if (type == BH_FRAME_FAULT) {
        const char *msg = bh_rbuf_str(r, NULL);
        snprintf(err, errlen, "%s", r->failed ? "forbidden system call" : msg);
        return BATON_EPLUGIN;
    }
    snprintf(err, errlen, "protocol error: unexpected frame type %u", (unsigned)type);
    return BATON_EINVAL;
}

int bh_frame_read_loaded(const uint8_t *payload, size_t len, bh_plugin_info *info, char *err,
                         size_t errlen)
{
    bh_rbuf r = bh_rbuf_of(payload, len);
    uint8_t type = bh_rbuf_u8(&r);
    memset(info, 0, sizeof *info);
    if (type == BH_FRAME_REFUSED) {
        const char *msg = bh_rbuf_str(&r, NULL);
        snprintf(err, errlen, "%s", bh_rbuf_done(&r) ? msg : "protocol error: malformed REFUSED");
        return bh_rbuf_done(&r) ? BATON_EPLUGIN : BATON_EINVAL;
    }
    if (type != BH_FRAME_LOADED)
        return fault_or_protocol(type, &r, err, errlen);
    const char *name = bh_rbuf_str(&r, NULL);
    const char *version = bh_rbuf_str(&r, NULL);
    const char *scope = bh_rbuf_str(&r, NULL);
    info->sdk_major = bh_rbuf_u16(&r);
    info->sdk_minor = bh_rbuf_u16(&r);
    info->caps = bh_rbuf_u8(&r);
    uint32_t kinds = bh_rbuf_u32(&r);
    if (r.failed || kinds > 256) {
        snprintf(err, errlen, "protocol error: malformed LOADED");
        return BATON_EINVAL;
    }
    info->name = strdup(name);
    info->version = strdup(version);
    info->scope = strdup(scope);
    info->letter_kinds = calloc(kinds + 1, sizeof *info->letter_kinds);
    if (info->name == NULL || info->version == NULL || info->scope == NULL ||
        info->letter_kinds == NULL)
        goto oom;
    for (uint32_t i = 0; i < kinds; i++) {
        const char *k = bh_rbuf_str(&r, NULL);
        if (r.failed)
            break;
        if ((info->letter_kinds[i] = strdup(k)) == NULL)
            goto oom;
    }
    info->sandbox = bh_rbuf_u32(&r);
    if (!bh_rbuf_done(&r) || name[0] == '\0' || scope[0] == '\0') {
        bh_plugin_info_clear(info);
        snprintf(err, errlen, "protocol error: malformed LOADED");
        return BATON_EINVAL;
    }
    return 0;
oom:
    bh_plugin_info_clear(info);
    snprintf(err, errlen, "out of memory");
    return BATON_ENOMEM;
}

int bh_frame_read_reply(const uint8_t *payload, size_t len, bh_rbuf *r, uint32_t *call_id,
                        int *plugin_rc, const char **failed, const char **reason,
                        uint32_t *op_count, char *err, size_t errlen)
{
    *r = bh_rbuf_of(payload, len);
    uint8_t type = bh_rbuf_u8(r);
    if (type != BH_FRAME_REPLY)
        return fault_or_protocol(type, r, err, errlen);
    *call_id = bh_rbuf_u32(r);
    *plugin_rc = (int)(int32_t)bh_rbuf_u32(r);
    *failed = bh_rbuf_str(r, NULL);
    size_t reason_len = 0;
    *reason = bh_rbuf_str(r, &reason_len);
    *op_count = bh_rbuf_u32(r);
    if (r->failed || *plugin_rc > 0 || reason_len >= BH_REASON_MAX) {
        snprintf(err, errlen, "protocol error: malformed REPLY");
        return BATON_EINVAL;
    }
    return 0;
}

void bh_describe_exit(int status, char *buf, size_t len)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *abbrev = sigabbrev_np(sig);
        snprintf(buf, len, "killed by signal %d (SIG%s)", sig, abbrev ? abbrev : "?");
    } else if (WIFEXITED(status)) {
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
    } else {
        snprintf(buf, len, "stopped (wait status %d)", status);
    }
}
