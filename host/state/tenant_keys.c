/* tenant_keys.c - a tenant's signing key and age identity (tenant_keys.h). */
#include "tenant_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baton/error.h"

static int mkdir_p(const char *dir, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s", dir);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        snprintf(err, errlen, "key directory path too long");
        return BATON_EINVAL;
    }
    for (char *p = tmp + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
            return BATON_EIO;
        }
        *p = '/';
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return BATON_EIO;
    }
    return 0;
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Writes text to path (created, never overwritten) with the given mode. */
static int write_new_file(const char *path, const char *text, mode_t mode, char *err, size_t errlen)
{
    FILE *f = NULL;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return BATON_EIO;
    }
    int ok = fputs(text, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (fclose(f) != 0 || !ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return BATON_EIO;
    }
    return 0;
}

static int create_sign_key(const char *key, const char *pub, char *err, size_t errlen)
{
    baton_minisign_seckey *sk = NULL;
    baton_minisign_pubkey pk;
    int rc = baton_minisign_keygen(&sk, &pk, err, errlen);
    if (rc == 0)
        rc = baton_minisign_seckey_save(sk, key, NULL, 0, 0, 0, err, errlen);
    if (rc == 0)
        rc = baton_minisign_pubkey_save(&pk, pub, 0, err, errlen);
    baton_minisign_seckey_free(sk);
    return rc;
}

static int create_age_key(const char *key, const char *pub, char *err, size_t errlen)
{
    baton_age_identity *id = NULL;
    baton_age_recipient r;
    char text[BATON_AGE_RECIPIENT_LEN + 2];
    int rc = baton_age_identity_generate(&id, err, errlen);
    if (rc == 0)
        rc = baton_age_identity_save(id, key, 0, err, errlen);
    if (rc == 0) {
        baton_age_identity_recipient(id, &r);
        baton_age_recipient_encode(&r, text);
        strcat(text, "\n");
        rc = write_new_file(pub, text, 0644, err, errlen);
    }
    baton_age_identity_free(id);
    return rc;
}

int bh_tenant_keys_load_or_create(const char *dir, bh_tenant_keys **out, char *err, size_t errlen)
{
    char sign_key[PATH_MAX], sign_pub[PATH_MAX], age_key[PATH_MAX], age_pub[PATH_MAX];
    baton_age_identity **ids = NULL;
    size_t nids = 0;
    int rc = mkdir_p(dir, err, errlen);
    bh_tenant_keys *k = NULL;
    *out = NULL;
    if (rc != 0)
        return rc;
    snprintf(sign_key, sizeof sign_key, "%s/sign.key", dir);
    snprintf(sign_pub, sizeof sign_pub, "%s/sign.pub", dir);
    snprintf(age_key, sizeof age_key, "%s/age.key", dir);
    snprintf(age_pub, sizeof age_pub, "%s/age.pub", dir);
    if (!exists(sign_key) && (rc = create_sign_key(sign_key, sign_pub, err, errlen)) != 0)
        return rc;
    if (!exists(age_key) && (rc = create_age_key(age_key, age_pub, err, errlen)) != 0)
        return rc;

    rc = BATON_ENOMEM;
    k = calloc(1, sizeof *k);
    if (k == NULL)
        goto fail;
    rc = baton_minisign_seckey_load(sign_key, NULL, &k->sign, err, errlen);
    if (rc != 0)
        goto fail;
    baton_minisign_seckey_public(k->sign, &k->sign_pub);
    baton_minisign_pubkey_encode(&k->sign_pub, k->sign_pub_b64);
    rc = baton_age_identities_load(age_key, &ids, &nids, err, errlen);
    if (rc != 0)
        goto fail;
    if (nids != 1) {
        snprintf(err, errlen, "%s: expected exactly one age identity, found %zu", age_key, nids);
        rc = BATON_EINVAL;
        goto fail;
    }
    k->age = ids[0];
    ids[0] = NULL;
    baton_age_identity_recipient(k->age, &k->age_pub);
    baton_age_recipient_encode(&k->age_pub, k->age_pub_text);
    *out = k;
    k = NULL;
    rc = 0;
fail:
    baton_age_identities_free(ids, nids);
    bh_tenant_keys_free(k);
    return rc;
}

void bh_tenant_keys_free(bh_tenant_keys *k)
{
    if (k == NULL)
        return;
    baton_minisign_seckey_free(k->sign);
    baton_age_identity_free(k->age);
    free(k);
}
