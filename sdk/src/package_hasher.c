/*
 * package_hasher.c - the SHA-256 worker thread of package_hasher.h.
 */
#include <string.h>

#include "baton/error.h"
#include "package_hasher.h"

static void *hasher_main(void *arg)
{
    struct hasher *z = arg;
    pthread_mutex_lock(&z->mu);
    for (;;) {
        while (!z->busy && !z->quit)
            pthread_cond_wait(&z->cv, &z->mu);
        if (z->quit)
            break;
        const void *job = z->job;
        size_t len = z->job_len;
        pthread_mutex_unlock(&z->mu);
        int rc = baton_sha256_update(z->h, job, len);
        pthread_mutex_lock(&z->mu);
        if (rc < 0)
            z->rc = rc;
        z->busy = 0;
        pthread_cond_broadcast(&z->cv);
    }
    pthread_mutex_unlock(&z->mu);
    return NULL;
}

int pkg_hasher_start(struct hasher *z, baton_sha256 *h)
{
    memset(z, 0, sizeof *z);
    z->h = h;
    if (pthread_mutex_init(&z->mu, NULL) != 0)
        return BATON_ENOMEM;
    if (pthread_cond_init(&z->cv, NULL) != 0) {
        pthread_mutex_destroy(&z->mu);
        return BATON_ENOMEM;
    }
    if (pthread_create(&z->thread, NULL, hasher_main, z) != 0) {
        pthread_cond_destroy(&z->cv);
        pthread_mutex_destroy(&z->mu);
        return BATON_ENOMEM;
    }
    return 0;
}

/* Waits until the previous job is done; returns its status. */
int pkg_hasher_wait(struct hasher *z)
{
    pthread_mutex_lock(&z->mu);
    while (z->busy)
        pthread_cond_wait(&z->cv, &z->mu);
    int rc = z->rc;
    pthread_mutex_unlock(&z->mu);
    return rc;
}

void pkg_hasher_post(struct hasher *z, const void *buf, size_t len)
{
    pthread_mutex_lock(&z->mu);
    z->job = buf;
    z->job_len = len;
    z->busy = 1;
    pthread_cond_broadcast(&z->cv);
    pthread_mutex_unlock(&z->mu);
}

void pkg_hasher_stop(struct hasher *z)
{
    pkg_hasher_wait(z);
    pthread_mutex_lock(&z->mu);
    z->quit = 1;
    pthread_cond_broadcast(&z->cv);
    pthread_mutex_unlock(&z->mu);
    pthread_join(z->thread, NULL);
    pthread_cond_destroy(&z->cv);
    pthread_mutex_destroy(&z->mu);
}
