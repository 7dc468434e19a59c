/*
 * de_params.c - the dated parameters the de plugin ships: the
 * Basiszinssatz (§ 247 BGB), the fee table version in force (GKG/RVG) and
 * the Zuständigkeitsstreitwert of the Amtsgerichte (§ 23 Nr. 1 GVG).
 *
 * Owns: the figures, their effective dates, versions, sources and horizons
 * (plugins/common/dated_table.h). Does not own: the fee tables' bands
 * (de_tables.c) or how the figures are applied (de_case.c, de_fees.c,
 * de_filing.c). A tenant may override the Basiszinssatz in its plugin
 * config (de_plugin.c).
 */
#include "de_internal.h"

/*
 * Deutsche Bundesbank, "Basiszinssatz" (bundesbank.de; published in the
 * Bundesanzeiger under § 247 Abs. 2 BGB): the rate from each 1 January or
 * 1 July. -0,88 % from 1 July 2016 unchanged to 31 December 2022;
 * 1,62 % from 1 January 2023, 3,12 % 1 July 2023, 3,62 % 1 January 2024,
 * 3,37 % 1 July 2024, 2,27 % 1 January 2025, 1,27 % 1 July 2025 and
 * unchanged on 1 January 2026, 1,52 % from 1 July 2026. The next change
 * can only come on 1 January 2027, not yet published: the horizon.
 */
static const bpc_dated_value basiszins_values[] = {
    {{2016, 7, 1}, -88, NULL}, {{2023, 1, 1}, 162, NULL}, {{2023, 7, 1}, 312, NULL},
    {{2024, 1, 1}, 362, NULL}, {{2024, 7, 1}, 337, NULL}, {{2025, 1, 1}, 227, NULL},
    {{2025, 7, 1}, 127, NULL}, {{2026, 1, 1}, 127, NULL}, {{2026, 7, 1}, 152, NULL},
};

const bpc_dated_table de_basiszinssatz = {
    .name = "basiszinssatz",
    .version = "bundesbank-2026-07-01",
    .source = "Deutsche Bundesbank, Basiszinssatz nach § 247 BGB (Bundesanzeiger)",
    .horizon = {2026, 12, 31},
    .values = basiszins_values,
    .n = sizeof basiszins_values / sizeof basiszins_values[0],
};

/* KostRÄG 2021 (BGBl. 2020 I S. 3229) from 1 January 2021; KostBRÄG 2025
 * (BGBl. 2025 I Nr. 109) from 1 June 2025. The value is the
 * enum de_fee_version of de_tables.h. */
static const bpc_dated_value fee_values[] = {
    {{2021, 1, 1}, DE_FEES_2021, NULL},
    {{2025, 6, 1}, DE_FEES_2025, NULL},
};

const bpc_dated_table de_fee_tables = {
    .name = "gkg_rvg_fees",
    .version = "kostbraeg-2025-06-01",
    .source = "GKG Anlage 2 zu § 34, RVG Anlage 2 zu § 13 (KostRÄG 2021, KostBRÄG 2025)",
    .horizon = {2026, 12, 31},
    .values = fee_values,
    .n = sizeof fee_values / sizeof fee_values[0],
};

/* § 23 Nr. 1 GVG: 5.000 EUR; 10.000 EUR for proceedings started from
 * 1 January 2026 (Gesetz zur Änderung des Zuständigkeitsstreitwerts der
 * Amtsgerichte, BGBl. 2025 I). */
static const bpc_dated_value ag_values[] = {
    {{2021, 1, 1}, 500000, NULL},
    {{2026, 1, 1}, 1000000, NULL},
};

const bpc_dated_table de_amtsgericht_limits = {
    .name = "amtsgericht_limit",
    .version = "gvg-23-2026-01-01",
    .source = "§ 23 Nr. 1 GVG",
    .horizon = {2026, 12, 31},
    .values = ag_values,
    .n = sizeof ag_values / sizeof ag_values[0],
};
