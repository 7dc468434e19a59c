/*
 * attack_slow_plugin.c - "attack-slow": a plugin that is slow, never too
 * slow: init takes 4.5 s (under load_timeout_ms 5000) and every capability
 * call 1.8 s (under call_timeout_ms 2000). An upload's smoke run calls each
 * letter kind once, on one of libuv's 4 thread-pool threads (security
 * review, tests/attacks/README.md). ATTACK_SLOW_KINDS sets the number of
 * letter kinds (the smoke run stops at 32).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "baton/plugin.h"

#ifndef ATTACK_SLOW_KINDS
#define ATTACK_SLOW_KINDS 32
#endif

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000}, rem;
    while (nanosleep(&t, &rem) != 0 && errno == EINTR)
        t = rem;
}

static int slow_fees(void *st, const baton_view *c, baton_result *out)
{
    (void)st;
    (void)c;
    (void)out;
    sleep_ms(1800);
    return 0;
}

static int slow_render(void *st, const char *kind, const baton_view *c, baton_letter *l)
{
    (void)st;
    (void)kind;
    (void)c;
    (void)l;
    sleep_ms(1800);
    return 0;
}

static int slow_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                     void **st, char *err, size_t errlen)
{
    (void)api;
    (void)host;
    (void)config;
    (void)err;
    (void)errlen;
    sleep_ms(4500);
    *st = NULL;
    return 0;
}

#define K(n) "kind" #n
static const char *const kinds[] = {K(0),  K(1),  K(2),  K(3),  K(4),  K(5),  K(6),  K(7),  K(8),
                                    K(9),  K(10), K(11), K(12), K(13), K(14), K(15), K(16), K(17),
                                    K(18), K(19), K(20), K(21), K(22), K(23), K(24), K(25), K(26),
                                    K(27), K(28), K(29), K(30), K(31), NULL};
static const char *kinds_used[ATTACK_SLOW_KINDS + 1];

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = slow_fees,
};

static baton_letter_formats letter_formats = {
    .struct_size = sizeof(baton_letter_formats),
    .render = slow_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "attack-slow",
    .version = "1.0.0",
    .scope = "jurisdiction:slowland",
    .init = slow_init,
    .fee_schedule = &fee_schedule,
    .letter_formats = &letter_formats,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    for (int i = 0; i < ATTACK_SLOW_KINDS; i++)
        kinds_used[i] = kinds[i];
    letter_formats.kinds = kinds_used;
    return &descriptor;
}
