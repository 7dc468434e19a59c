/* plugin_loader.c - dlopen a plugin and check its descriptor (plugin_loader.h). */
#include "plugin_loader.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path_memo.h"

struct bh_plugin {
    void *handle;
    const baton_plugin *desc;
    char *path;
};

/* Size of a struct up to and including member. */
#define END_OF(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

size_t bh_plugin_required_size(unsigned sdk_minor)
{
    /* The descriptor as each minor defines it; 1.0 ends at letter_formats.
     * A minor that adds fields adds a case returning its own end. */
    (void)sdk_minor;
    return END_OF(baton_plugin, letter_formats);
}

static void refuse(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    char detail[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(err, errlen,
             "plugin %s refused: %s; host offers SDK %d.%d (needs major %d, minor <= %d)", path,
             detail, BATON_SDK_MAJOR, BATON_SDK_MINOR, BATON_SDK_MAJOR, BATON_SDK_MINOR);
}

/* Names and scopes: printable ASCII without spaces, 1..64 bytes. */
static int valid_ident(const char *s, size_t max)
{
    size_t n = 0;
    if (s == NULL)
        return 0;
    for (; s[n] != '\0'; n++) {
        unsigned char c = (unsigned char)s[n];
        if (n >= max || c <= ' ' || c >= 0x7f)
            return 0;
    }
    return n > 0;
}

int bh_plugin_name_valid(const char *name)
{
    size_t n = 0;
    if (name == NULL || !(name[0] >= 'a' && name[0] <= 'z'))
        return 0;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        if (n >= BH_PLUGIN_NAME_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return name[n - 1] != '-';
}

static int valid_scope(const char *scope)
{
    const char *rest;
    if (!valid_ident(scope, 96))
        return 0;
    if (strncmp(scope, "jurisdiction:", 13) == 0)
        rest = scope + 13;
    else if (strncmp(scope, "agency:", 7) == 0)
        rest = scope + 7;
    else
        return 0;
    return *rest != '\0';
}

/*
 * The smallest capability tables a plugin may hand in: the members of SDK
 * 1.0. A later minor that grows a table must keep accepting these sizes from
 * plugins built against 1.0 (it reads new members only when struct_size
 * covers them), so the checks compare with these, never with sizeof.
 */
#define FILING_RULES_1_0   END_OF(baton_filing_rules, evaluate)
#define FEE_SCHEDULE_1_0   END_OF(baton_fee_schedule, fees)
#define LETTER_FORMATS_1_0 END_OF(baton_letter_formats, render)

/* Checks the capability tables; returns a reason or NULL when they are sound. */
static const char *check_capabilities(const baton_plugin *d)
{
    if (d->filing_rules != NULL &&
        (d->filing_rules->struct_size < FILING_RULES_1_0 || d->filing_rules->evaluate == NULL))
        return "filing_rules table is too small or has no evaluate function";
    if (d->fee_schedule != NULL &&
        (d->fee_schedule->struct_size < FEE_SCHEDULE_1_0 || d->fee_schedule->fees == NULL))
        return "fee_schedule table is too small or has no fees function";
    if (d->letter_formats != NULL) {
        const baton_letter_formats *lf = d->letter_formats;
        if (lf->struct_size < LETTER_FORMATS_1_0 || lf->render == NULL || lf->kinds == NULL)
            return "letter_formats table is too small or lacks kinds or render";
        size_t n = 0;
        for (; lf->kinds[n] != NULL; n++) {
            if (n >= 64 || !valid_ident(lf->kinds[n], 64))
                return "letter_formats kinds list is malformed or not NULL-terminated within 64";
        }
        if (n == 0)
            return "letter_formats lists no kinds";
    }
    if (d->filing_rules == NULL && d->fee_schedule == NULL && d->letter_formats == NULL)
        return "descriptor provides no capability";
    return NULL;
}

int bh_plugin_open(const char *path, bh_plugin **out, char *err, size_t errlen)
{
    int rc = BATON_EPLUGIN;
    void *handle = NULL;
    bh_plugin *p = NULL;

    *out = NULL;
    dlerror();
    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *why = dlerror();
        /* Nothing was read from it, so there is no version to compare. */
        snprintf(err, errlen, "plugin %s refused: cannot be loaded: %s", path,
                 why ? why : "unknown dlopen error");
        rc = BATON_ENOENT;
        goto out;
    }
    baton_plugin_entry_fn entry;
    void *sym = dlsym(handle, BATON_PLUGIN_ENTRY_SYMBOL);
    if (sym == NULL) {
        refuse(err, errlen, path, "exports no entry function %s (built against an unknown SDK)",
               BATON_PLUGIN_ENTRY_SYMBOL);
        goto out;
    }
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer, as POSIX allows */
    const baton_plugin *d = entry();
    if (d == NULL) {
        refuse(err, errlen, path, "entry function returned no descriptor");
        goto out;
    }
    if (d->magic != BATON_PLUGIN_MAGIC) {
        refuse(
            err, errlen, path,
            "descriptor magic is 0x%016llx, not 0x%016llx (not a Baton plugin, or a corrupt one)",
            (unsigned long long)d->magic, (unsigned long long)BATON_PLUGIN_MAGIC);
        goto out;
    }
    if (d->sdk_major != BATON_SDK_MAJOR || d->sdk_minor > BATON_SDK_MINOR) {
        refuse(err, errlen, path, "built against SDK %u.%u (%s%s)", d->sdk_major, d->sdk_minor,
               d->sdk_major != BATON_SDK_MAJOR ? "sdk_major differs" : "sdk_minor is newer",
               d->sdk_major != BATON_SDK_MAJOR && d->sdk_minor > BATON_SDK_MINOR
                   ? ", sdk_minor is newer"
                   : "");
        rc = BATON_EVERSION;
        goto out;
    }
    size_t need = bh_plugin_required_size(d->sdk_minor);
    if (d->struct_size < need) {
        refuse(err, errlen, path,
               "built against SDK %u.%u but its descriptor is %u bytes, SDK %u.%u needs %zu",
               d->sdk_major, d->sdk_minor, d->struct_size, d->sdk_major, d->sdk_minor, need);
        rc = BATON_EVERSION;
        goto out;
    }
    if (!bh_plugin_name_valid(d->name)) {
        /* The name is quoted only when it is short printable ASCII: it comes
         * from the plugin and ends up in logs. */
        int printable = valid_ident(d->name, 64);
        refuse(err, errlen, path, "built against SDK %u.%u but its name %s%s%s is not %s",
               d->sdk_major, d->sdk_minor, printable ? "\"" : "",
               printable ? d->name : "(missing or unprintable)", printable ? "\"" : "",
               BH_PLUGIN_NAME_RULE);
        rc = BATON_EINVAL;
        goto out;
    }
    if (!valid_ident(d->version, 32) || !valid_scope(d->scope)) {
        refuse(err, errlen, path,
               "built against SDK %u.%u but its version or scope is missing or malformed "
               "(scope must be jurisdiction:<code> or agency:<name>)",
               d->sdk_major, d->sdk_minor);
        rc = BATON_EINVAL;
        goto out;
    }
    const char *why = check_capabilities(d);
    if (why != NULL) {
        refuse(err, errlen, path, "built against SDK %u.%u but %s", d->sdk_major, d->sdk_minor,
               why);
        rc = BATON_EINVAL;
        goto out;
    }
    p = calloc(1, sizeof *p);
    if (p == NULL || (p->path = strdup(path)) == NULL) {
        snprintf(err, errlen, "plugin %s: out of memory", path);
        rc = BATON_ENOMEM;
        goto out;
    }
    p->handle = handle;
    p->desc = d;
    handle = NULL;
    *out = p;
    p = NULL;
    rc = 0;
out:
    if (p != NULL) {
        free(p->path);
        free(p);
    }
    if (handle != NULL) {
        bh_path_memo_image_closing();
        dlclose(handle);
    }
    return rc;
}

void bh_plugin_close(bh_plugin *p)
{
    if (p == NULL)
        return;
    bh_path_memo_image_closing(); /* before the memory goes (path_memo.h) */
    dlclose(p->handle);
    free(p->path);
    free(p);
}

const baton_plugin *bh_plugin_desc(const bh_plugin *p)
{
    return p->desc;
}

const char *bh_plugin_path(const bh_plugin *p)
{
    return p->path;
}
