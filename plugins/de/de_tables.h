/*
 * de_tables.h - German statutory fee tables and value limits, as pure
 * functions of a value and a date.
 *
 * Owns: the GKG court fee (§ 34 GKG with Anlage 2), the RVG lawyer fee
 * (§ 13 RVG with Anlage 2), the fee rates this plugin applies (KV GKG 1100
 * and 1210; VV RVG 2300, 3100, 3104, 3305, 3308, 7002), and the
 * Zuständigkeitsstreitwert of the Amtsgerichte (§ 23 Nr. 1 GVG). Each table
 * exists in every version that was in force since 2021-01-01 and is chosen by
 * the filing date.
 *
 * Does not own: deciding which route or which fees apply to a case
 * (de_fees.c, de_filing.c), interest (de_calc.h).
 *
 * All amounts are int64 euro cents. Nothing here calls the host.
 */
#ifndef DE_TABLES_H
#define DE_TABLES_H

#include <stdint.h>

#include "baton/date.h"

/* Fee table versions. */
enum de_fee_version {
    DE_FEES_NONE = -1, /* filing date before 2021-01-01: not covered */
    DE_FEES_2021 = 0,  /* KostRÄG 2021, BGBl. 2020 I S. 3229, 2021-01-01 .. 2025-05-31 */
    DE_FEES_2025 = 1,  /* KostBRÄG 2025, BGBl. 2025 I Nr. 109, from 2025-06-01 */
};

/* The version in force on filing date d. */
enum de_fee_version de_fee_version_for(baton_date d);

/* A short name of a version ("KostRÄG 2021", "KostBRÄG 2025"). */
const char *de_fee_version_name(enum de_fee_version v);

/*
 * The simple (1.0) court fee for a Streitwert of value cents, § 34 Abs. 1
 * GKG in version v. Returns 0, BATON_EINVAL for a value <= 0 or an unknown
 * version.
 */
int de_gkg_fee(enum de_fee_version v, int64_t value, int64_t *fee);

/*
 * The simple (1.0) lawyer fee for a Gegenstandswert of value cents, § 13
 * Abs. 1 RVG in version v. Returns 0, BATON_EINVAL as above, BATON_ERANGE
 * for values above 500,000 EUR in the 2025 version (the step above the
 * table's end has not been verified for that version; see docs/plugins/de.md).
 */
int de_rvg_fee(enum de_fee_version v, int64_t value, int64_t *fee);

/*
 * fee * tenths / 10 rounded to the nearest cent, half a cent rounded up
 * (§ 34 Abs. 2 S. 2 GKG 2025, § 2 Abs. 2 S. 2 RVG). tenths is the fee rate
 * times ten (13 for a 1.3 fee).
 */
int64_t de_fee_rate(int64_t fee, int tenths);

/* KV GKG 1100: Mahnbescheid, 0.5 fee, at least the minimum of version v. */
int de_court_fee_mahnverfahren(enum de_fee_version v, int64_t value, int64_t *fee);
/* The KV 1100 minimum of version v in cents (3600 in 2021, 3800 in 2025). */
int64_t de_kv1100_minimum(enum de_fee_version v);

/* KV GKG 1210: Verfahren im Allgemeinen (Klage), 3.0 fee. */
int de_court_fee_klage(enum de_fee_version v, int64_t value, int64_t *fee);

/* VV RVG 7002: 20 % of the fees, at most 20 EUR (half-up to the cent). */
int64_t de_vv7002(int64_t fees);

/*
 * § 13 Abs. 2 RVG: for a Geschäftsgebühr (VV 2300) on an undisputed claim
 * collected as an Inkassodienstleistung, the simple fee for values up to
 * 50 EUR is 30 EUR instead of the § 13 Abs. 1 amount. Returns that simple
 * fee for value.
 */
int de_rvg_fee_inkasso(enum de_fee_version v, int64_t value, int64_t *fee);

/*
 * § 23 Nr. 1 GVG: the highest value the Amtsgericht hears regardless of the
 * subject, for proceedings started on d: 5,000 EUR until 2025-12-31,
 * 10,000 EUR from 2026-01-01.
 */
int64_t de_amtsgericht_limit(baton_date d);

#endif
