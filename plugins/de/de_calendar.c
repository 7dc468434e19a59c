/*
 * de_calendar.c - public holidays by Land, for § 193 BGB.
 *
 * Owns: the holiday table (2021-2030) and reading a Land from a case
 * string. Does not own: which deadline moves (de_filing.c) or the walk
 * (plugins/common/court_calendar.c).
 *
 * § 193 BGB: when the last day of a period for a declaration or a
 * performance falls on a Sunday, a Saturday or a public holiday recognised
 * by the state at the place of the declaration or performance, the next
 * working day takes its place. Public holidays are Land law (the
 * Feiertagsgesetze of the 16 Länder) except the Tag der Deutschen Einheit
 * (Einigungsvertrag Art. 2 Abs. 2). The table was written out from those
 * laws as in force in 2026 (Easter by the Gregorian computus):
 *
 *   everywhere   Neujahr, Karfreitag, Ostermontag, 1. Mai, Christi
 *                Himmelfahrt, Pfingstmontag, 3. Oktober, 25./26. Dezember
 *   BW, BY, ST   Heilige Drei Könige (6 January)
 *   BE           Internationaler Frauentag (8 March, since 2019); MV from 2023
 *   BE           8 May 2025 only (80th anniversary of the liberation)
 *   BW, BY, HE, NW, RP, SL   Fronleichnam (Easter + 60)
 *   SL           Mariä Himmelfahrt (15 August)
 *   TH           Weltkindertag (20 September, since 2019)
 *   BB, HB, HH, MV, NI, SN, ST, SH, TH   Reformationstag (31 October)
 *   BW, BY, NW, RP, SL       Allerheiligen (1 November)
 *   SN           Buß- und Bettag (the Wednesday before 23 November)
 *
 * Holidays of only part of a Land are not counted: Fronleichnam in parts of
 * Saxony and Thuringia, Mariä Himmelfahrt in the Bavarian communes with a
 * Catholic majority, the Augsburger Friedensfest. A deadline is then never
 * later than the law's (the case may be filed a day early, never late).
 */
#include <string.h>

#include "de_internal.h"

static const bpc_holiday days[] = {
    {{2021, 1, 1}, "Neujahr", 0},
    {{2021, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2021, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE)},
    {{2021, 4, 2}, "Karfreitag", 0},
    {{2021, 4, 5}, "Ostermontag", 0},
    {{2021, 5, 1}, "Tag der Arbeit", 0},
    {{2021, 5, 13}, "Christi Himmelfahrt", 0},
    {{2021, 5, 24}, "Pfingstmontag", 0},
    {{2021, 6, 3},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2021, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2021, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2021, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2021, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2021, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2021, 11, 17}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2021, 12, 25}, "1. Weihnachtstag", 0},
    {{2021, 12, 26}, "2. Weihnachtstag", 0},
    {{2022, 1, 1}, "Neujahr", 0},
    {{2022, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2022, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE)},
    {{2022, 4, 15}, "Karfreitag", 0},
    {{2022, 4, 18}, "Ostermontag", 0},
    {{2022, 5, 1}, "Tag der Arbeit", 0},
    {{2022, 5, 26}, "Christi Himmelfahrt", 0},
    {{2022, 6, 6}, "Pfingstmontag", 0},
    {{2022, 6, 16},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2022, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2022, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2022, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2022, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2022, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2022, 11, 16}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2022, 12, 25}, "1. Weihnachtstag", 0},
    {{2022, 12, 26}, "2. Weihnachtstag", 0},
    {{2023, 1, 1}, "Neujahr", 0},
    {{2023, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2023, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2023, 4, 7}, "Karfreitag", 0},
    {{2023, 4, 10}, "Ostermontag", 0},
    {{2023, 5, 1}, "Tag der Arbeit", 0},
    {{2023, 5, 18}, "Christi Himmelfahrt", 0},
    {{2023, 5, 29}, "Pfingstmontag", 0},
    {{2023, 6, 8},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2023, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2023, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2023, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2023, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2023, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2023, 11, 22}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2023, 12, 25}, "1. Weihnachtstag", 0},
    {{2023, 12, 26}, "2. Weihnachtstag", 0},
    {{2024, 1, 1}, "Neujahr", 0},
    {{2024, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2024, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2024, 3, 29}, "Karfreitag", 0},
    {{2024, 4, 1}, "Ostermontag", 0},
    {{2024, 5, 1}, "Tag der Arbeit", 0},
    {{2024, 5, 9}, "Christi Himmelfahrt", 0},
    {{2024, 5, 20}, "Pfingstmontag", 0},
    {{2024, 5, 30},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2024, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2024, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2024, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2024, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2024, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2024, 11, 20}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2024, 12, 25}, "1. Weihnachtstag", 0},
    {{2024, 12, 26}, "2. Weihnachtstag", 0},
    {{2025, 1, 1}, "Neujahr", 0},
    {{2025, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2025, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2025, 4, 18}, "Karfreitag", 0},
    {{2025, 4, 21}, "Ostermontag", 0},
    {{2025, 5, 1}, "Tag der Arbeit", 0},
    {{2025, 5, 8},
     "80. Jahrestag der Befreiung vom Nationalsozialismus (einmalig)",
     DE_LAND_BIT(DE_BE)},
    {{2025, 5, 29}, "Christi Himmelfahrt", 0},
    {{2025, 6, 9}, "Pfingstmontag", 0},
    {{2025, 6, 19},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2025, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2025, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2025, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2025, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2025, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2025, 11, 19}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2025, 12, 25}, "1. Weihnachtstag", 0},
    {{2025, 12, 26}, "2. Weihnachtstag", 0},
    {{2026, 1, 1}, "Neujahr", 0},
    {{2026, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2026, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2026, 4, 3}, "Karfreitag", 0},
    {{2026, 4, 6}, "Ostermontag", 0},
    {{2026, 5, 1}, "Tag der Arbeit", 0},
    {{2026, 5, 14}, "Christi Himmelfahrt", 0},
    {{2026, 5, 25}, "Pfingstmontag", 0},
    {{2026, 6, 4},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2026, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2026, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2026, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2026, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2026, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2026, 11, 18}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2026, 12, 25}, "1. Weihnachtstag", 0},
    {{2026, 12, 26}, "2. Weihnachtstag", 0},
    {{2027, 1, 1}, "Neujahr", 0},
    {{2027, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2027, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2027, 3, 26}, "Karfreitag", 0},
    {{2027, 3, 29}, "Ostermontag", 0},
    {{2027, 5, 1}, "Tag der Arbeit", 0},
    {{2027, 5, 6}, "Christi Himmelfahrt", 0},
    {{2027, 5, 17}, "Pfingstmontag", 0},
    {{2027, 5, 27},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2027, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2027, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2027, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2027, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2027, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2027, 11, 17}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2027, 12, 25}, "1. Weihnachtstag", 0},
    {{2027, 12, 26}, "2. Weihnachtstag", 0},
    {{2028, 1, 1}, "Neujahr", 0},
    {{2028, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2028, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2028, 4, 14}, "Karfreitag", 0},
    {{2028, 4, 17}, "Ostermontag", 0},
    {{2028, 5, 1}, "Tag der Arbeit", 0},
    {{2028, 5, 25}, "Christi Himmelfahrt", 0},
    {{2028, 6, 5}, "Pfingstmontag", 0},
    {{2028, 6, 15},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2028, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2028, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2028, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2028, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2028, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2028, 11, 22}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2028, 12, 25}, "1. Weihnachtstag", 0},
    {{2028, 12, 26}, "2. Weihnachtstag", 0},
    {{2029, 1, 1}, "Neujahr", 0},
    {{2029, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2029, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2029, 3, 30}, "Karfreitag", 0},
    {{2029, 4, 2}, "Ostermontag", 0},
    {{2029, 5, 1}, "Tag der Arbeit", 0},
    {{2029, 5, 10}, "Christi Himmelfahrt", 0},
    {{2029, 5, 21}, "Pfingstmontag", 0},
    {{2029, 5, 31},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2029, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2029, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2029, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2029, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2029, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2029, 11, 21}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2029, 12, 25}, "1. Weihnachtstag", 0},
    {{2029, 12, 26}, "2. Weihnachtstag", 0},
    {{2030, 1, 1}, "Neujahr", 0},
    {{2030, 1, 6},
     "Heilige Drei Könige",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_ST)},
    {{2030, 3, 8}, "Internationaler Frauentag", DE_LAND_BIT(DE_BE) | DE_LAND_BIT(DE_MV)},
    {{2030, 4, 19}, "Karfreitag", 0},
    {{2030, 4, 22}, "Ostermontag", 0},
    {{2030, 5, 1}, "Tag der Arbeit", 0},
    {{2030, 5, 30}, "Christi Himmelfahrt", 0},
    {{2030, 6, 10}, "Pfingstmontag", 0},
    {{2030, 6, 20},
     "Fronleichnam",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_HE) | DE_LAND_BIT(DE_NW) |
         DE_LAND_BIT(DE_RP) | DE_LAND_BIT(DE_SL)},
    {{2030, 8, 15}, "Mariä Himmelfahrt", DE_LAND_BIT(DE_SL)},
    {{2030, 9, 20}, "Weltkindertag", DE_LAND_BIT(DE_TH)},
    {{2030, 10, 3}, "Tag der Deutschen Einheit", 0},
    {{2030, 10, 31},
     "Reformationstag",
     DE_LAND_BIT(DE_BB) | DE_LAND_BIT(DE_HB) | DE_LAND_BIT(DE_HH) | DE_LAND_BIT(DE_MV) |
         DE_LAND_BIT(DE_NI) | DE_LAND_BIT(DE_SN) | DE_LAND_BIT(DE_ST) | DE_LAND_BIT(DE_SH) |
         DE_LAND_BIT(DE_TH)},
    {{2030, 11, 1},
     "Allerheiligen",
     DE_LAND_BIT(DE_BW) | DE_LAND_BIT(DE_BY) | DE_LAND_BIT(DE_NW) | DE_LAND_BIT(DE_RP) |
         DE_LAND_BIT(DE_SL)},
    {{2030, 11, 20}, "Buß- und Bettag", DE_LAND_BIT(DE_SN)},
    {{2030, 12, 25}, "1. Weihnachtstag", 0},
    {{2030, 12, 26}, "2. Weihnachtstag", 0},
};

const bpc_court_calendar de_court_calendar = {
    .name = "court_calendar",
    .version = "de-feiertage-2021-2030",
    .source = "Feiertagsgesetze der Länder (Stand 2026); Einigungsvertrag Art. 2 Abs. 2",
    .first_year = 2021,
    .last_year = 2030,
    .weekend_closed = 1,
    .days = days,
    .n = sizeof days / sizeof days[0],
};

static const struct {
    const char *code, *name;
} lands[DE_LAND_COUNT] = {
    {"BW", "Baden-Württemberg"},
    {"BY", "Bayern"},
    {"BE", "Berlin"},
    {"BB", "Brandenburg"},
    {"HB", "Bremen"},
    {"HH", "Hamburg"},
    {"HE", "Hessen"},
    {"MV", "Mecklenburg-Vorpommern"},
    {"NI", "Niedersachsen"},
    {"NW", "Nordrhein-Westfalen"},
    {"RP", "Rheinland-Pfalz"},
    {"SL", "Saarland"},
    {"SN", "Sachsen"},
    {"ST", "Sachsen-Anhalt"},
    {"SH", "Schleswig-Holstein"},
    {"TH", "Thüringen"},
};

uint32_t de_land_from(const char *s, const char **code)
{
    if (s == NULL)
        return 0;
    if (strncmp(s, "DE-", 3) == 0)
        s += 3;
    for (int i = 0; i < DE_LAND_COUNT; i++) {
        if (strcmp(s, lands[i].code) == 0 || strcmp(s, lands[i].name) == 0) {
            if (code != NULL)
                *code = lands[i].code;
            return DE_LAND_BIT(i);
        }
    }
    return 0;
}
