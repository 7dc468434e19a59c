/*
 * package_hasher.h - internal to libbaton: a worker thread that runs
 * SHA-256 over one buffer while the caller pushes the same (read-only)
 * buffer elsewhere (tar and age when packing, the extraction file when
 * opening), so hashing overlaps with the rest on a second core.
 *
 * One job slot: post a buffer, and wait (pkg_hasher_wait) before posting
 * the next one and before reusing or freeing a buffer that was posted.
 */
#ifndef BATON_PACKAGE_HASHER_H
#define BATON_PACKAGE_HASHER_H

#include <pthread.h>
#include <stddef.h>

#include "baton/sha256.h"

struct hasher {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    baton_sha256 *h;
    const void *job;
    size_t job_len;
    int busy, quit, rc;
};

/* Starts the thread hashing into h. 0 or BATON_ENOMEM. */
int pkg_hasher_start(struct hasher *z, baton_sha256 *h);
/* Waits until the posted job is done; returns the first hashing error. */
int pkg_hasher_wait(struct hasher *z);
/* Posts buf (caller waited first); buf must stay valid until the next wait. */
void pkg_hasher_post(struct hasher *z, const void *buf, size_t len);
/* Waits, stops and joins the thread. */
void pkg_hasher_stop(struct hasher *z);

#endif
