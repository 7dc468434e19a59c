/*
 * court_calendar.h - the days a court office is closed, and deadlines moved
 * off them.
 *
 * A court calendar is a table of holidays by date (each with its name and,
 * for federal states, the regions it applies in), the years the table
 * covers, and whether Saturdays and Sundays are closed. A deadline whose
 * last day falls on a closed day moves to the next open day under a rule
 * the plugin names (Pritam Kaur v S Russell & Sons [1973] QB 336 for an
 * English limitation period, CCP § 12a in California, § 193 BGB in
 * Germany); the answer then carries, next to the date, the rule that moved
 * it and the date before the move.
 *
 * Owns: closed-day lookup, the forward walk, and reporting a deadline as
 * facts. Does not own: the holiday tables (each plugin ships its own, with
 * its source, e.g. plugins/gb-ew/calendar.c) or which deadlines move under
 * which rule (the plugin decides, the rule is the law's).
 *
 * Not SDK ABI: compiled into each in-tree plugin (see dated_table.h).
 *
 * How a plugin uses it:
 *
 *   static const bpc_holiday days[] = {
 *       {{2026, 12, 25}, "Christmas Day", 0}, ...   // ascending by date
 *   };
 *   const bpc_court_calendar gbew_calendar = {
 *       .name = "gb_ew_court_calendar", .version = "gov.uk 2026-11",
 *       .source = "gov.uk/bank-holidays (England and Wales)",
 *       .first_year = 2021, .last_year = 2027, .weekend_closed = 1,
 *       .days = days, .n = sizeof days / sizeof days[0],
 *   };
 *
 *   bpc_deadline dl;
 *   bpc_deadline_move(&gbew_calendar, unmoved, 0, "Pritam Kaur v S Russell & Sons [1973] QB 336",
 *                     &dl);
 *   rc = bpc_deadline_report(api, out, &gbew_calendar, "limitation.deadline", &dl);
 *
 * which sets limitation.deadline (the moved date), limitation.deadline_moved_by
 * (the rule, or "none"), limitation.deadline_unmoved and
 * limitation.deadline_closed_day (when moved), params.<calendar>.version,
 * and a WARN finding "calendar_beyond_horizon" when the walk needed a year
 * the table does not cover (only weekends are known there).
 *
 * Regions: a holiday with regions == 0 applies everywhere the calendar
 * does; otherwise it applies in the regions whose bit is set (bit i =
 * region i, as the plugin numbers them, e.g. the 16 German Länder).
 * Asking with region 0 means "no region known": only holidays that apply
 * everywhere count.
 */
#ifndef BATON_PLUGIN_COMMON_COURT_CALENDAR_H
#define BATON_PLUGIN_COMMON_COURT_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"

typedef struct bpc_holiday {
    baton_date date;
    const char *name;
    uint32_t regions; /* 0: everywhere; else the regions it applies in (bit mask) */
} bpc_holiday;

typedef struct bpc_court_calendar {
    const char *name;    /* fact key segment, e.g. "gb_ew_court_calendar" */
    const char *version; /* of the table */
    const char *source;  /* where the dates come from */
    int32_t first_year;  /* first and last year the table covers */
    int32_t last_year;
    int weekend_closed;      /* Saturdays and Sundays are closed days */
    const bpc_holiday *days; /* ascending by date */
    size_t n;
} bpc_court_calendar;

/* A deadline before and after moving off closed days. */
typedef struct bpc_deadline {
    baton_date unmoved;     /* the last day the period arithmetic gives */
    baton_date date;        /* the deadline in force: unmoved, or the next open day */
    int moved;              /* date != unmoved */
    const char *rule;       /* the rule that moved it (the caller's string); NULL when not moved */
    const char *closed_day; /* why unmoved is closed ("Sunday", "Christmas Day"); NULL if open */
    int beyond_horizon;     /* a day outside the covered years was looked at */
} bpc_deadline;

/* The longest walk bpc_deadline_move makes (no court closes longer). */
#define BPC_MAX_CLOSED_RUN 14

/*
 * 1 when d is a closed day for region (and *why names it: the holiday's
 * name, "Saturday" or "Sunday"), 0 when open. *beyond (may be NULL) is set
 * to 1 when d's year is outside the table: then only weekends are known.
 */
int bpc_calendar_closed(const bpc_court_calendar *c, baton_date d, uint32_t region,
                        const char **why, int *beyond);

/*
 * The deadline unmoved moved forward to the next open day under rule
 * (which must outlive *out). Returns 0, or BATON_ERANGE when no open day
 * lies within BPC_MAX_CLOSED_RUN days (a broken table).
 */
int bpc_deadline_move(const bpc_court_calendar *c, baton_date unmoved, uint32_t region,
                      const char *rule, bpc_deadline *out);

/* Reports dl under key (see the top of this header). */
int bpc_deadline_report(const baton_host_api *api, baton_result *out, const bpc_court_calendar *c,
                        const char *key, const bpc_deadline *dl);

/* 0 when the table is ascending, inside its years, and every name is set. */
int bpc_calendar_check(const bpc_court_calendar *c);

#endif
