/*
 * event_internal.h - what event.c and event_sign.c share (baton/event.h is
 * the interface). Internal: not part of the public API.
 */
#ifndef BATON_EVENT_INTERNAL_H
#define BATON_EVENT_INTERNAL_H

/* 1 if s is an event id: 1..64 name characters of baton/package.h. */
int baton__event_id_valid(const char *s);

/* 1 if s is a real calendar day 1900-01-01..2199-12-31 as YYYY-MM-DD. */
int baton__event_date_valid(const char *s);

#endif
