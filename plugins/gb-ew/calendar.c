/*
 * calendar.c - the days the County Court's offices are closed in England
 * and Wales, and the rules that move a deadline off them.
 *
 * Owns: the bank holiday table. Does not own: which deadline moves
 * (rules.c) or the walk itself (plugins/common/court_calendar.c).
 *
 * Closed days: Saturdays, Sundays, bank holidays, Christmas Day and Good
 * Friday (CPR 2.8(4) lists exactly these for periods of five days or less;
 * they are the days the court office is closed, CPR PD 2A para 2.1). Bank
 * holidays in England and Wales are those of the Banking and Financial
 * Dealings Act 1971 Sch. 1 and the royal proclamations made under s.1(3):
 * the dates below are gov.uk's list ("UK bank holidays", England and Wales,
 * www.gov.uk/bank-holidays, the published years 2021-2027), including the
 * one-off days of 2022 (Platinum Jubilee 3 June, State Funeral 19
 * September) and 2023 (Coronation 8 May) and the substitute days.
 *
 * Rules:
 *  - a limitation period whose last day falls on a day the court office is
 *    closed runs to the end of the next day it is open: Pritam Kaur v S
 *    Russell & Sons Ltd [1973] QB 336 (CA);
 *  - a period for doing an act at the court office that ends on a closed
 *    day: the act is in time on the next open day, CPR 2.8(5).
 */
#include "gb_ew.h"

static const bpc_holiday days[] = {
    {{2021, 1, 1}, "New Year's Day", 0},
    {{2021, 4, 2}, "Good Friday", 0},
    {{2021, 4, 5}, "Easter Monday", 0},
    {{2021, 5, 3}, "Early May bank holiday", 0},
    {{2021, 5, 31}, "Spring bank holiday", 0},
    {{2021, 8, 30}, "Summer bank holiday", 0},
    {{2021, 12, 27}, "Christmas Day (substitute day)", 0},
    {{2021, 12, 28}, "Boxing Day (substitute day)", 0},
    {{2022, 1, 3}, "New Year's Day (substitute day)", 0},
    {{2022, 4, 15}, "Good Friday", 0},
    {{2022, 4, 18}, "Easter Monday", 0},
    {{2022, 5, 2}, "Early May bank holiday", 0},
    {{2022, 6, 2}, "Spring bank holiday", 0},
    {{2022, 6, 3}, "Platinum Jubilee bank holiday", 0},
    {{2022, 8, 29}, "Summer bank holiday", 0},
    {{2022, 9, 19}, "Bank holiday for the State Funeral of Queen Elizabeth II", 0},
    {{2022, 12, 26}, "Boxing Day", 0},
    {{2022, 12, 27}, "Christmas Day (substitute day)", 0},
    {{2023, 1, 2}, "New Year's Day (substitute day)", 0},
    {{2023, 4, 7}, "Good Friday", 0},
    {{2023, 4, 10}, "Easter Monday", 0},
    {{2023, 5, 1}, "Early May bank holiday", 0},
    {{2023, 5, 8}, "Bank holiday for the coronation of King Charles III", 0},
    {{2023, 5, 29}, "Spring bank holiday", 0},
    {{2023, 8, 28}, "Summer bank holiday", 0},
    {{2023, 12, 25}, "Christmas Day", 0},
    {{2023, 12, 26}, "Boxing Day", 0},
    {{2024, 1, 1}, "New Year's Day", 0},
    {{2024, 3, 29}, "Good Friday", 0},
    {{2024, 4, 1}, "Easter Monday", 0},
    {{2024, 5, 6}, "Early May bank holiday", 0},
    {{2024, 5, 27}, "Spring bank holiday", 0},
    {{2024, 8, 26}, "Summer bank holiday", 0},
    {{2024, 12, 25}, "Christmas Day", 0},
    {{2024, 12, 26}, "Boxing Day", 0},
    {{2025, 1, 1}, "New Year's Day", 0},
    {{2025, 4, 18}, "Good Friday", 0},
    {{2025, 4, 21}, "Easter Monday", 0},
    {{2025, 5, 5}, "Early May bank holiday", 0},
    {{2025, 5, 26}, "Spring bank holiday", 0},
    {{2025, 8, 25}, "Summer bank holiday", 0},
    {{2025, 12, 25}, "Christmas Day", 0},
    {{2025, 12, 26}, "Boxing Day", 0},
    {{2026, 1, 1}, "New Year's Day", 0},
    {{2026, 4, 3}, "Good Friday", 0},
    {{2026, 4, 6}, "Easter Monday", 0},
    {{2026, 5, 4}, "Early May bank holiday", 0},
    {{2026, 5, 25}, "Spring bank holiday", 0},
    {{2026, 8, 31}, "Summer bank holiday", 0},
    {{2026, 12, 25}, "Christmas Day", 0},
    {{2026, 12, 28}, "Boxing Day (substitute day)", 0},
    {{2027, 1, 1}, "New Year's Day", 0},
    {{2027, 3, 26}, "Good Friday", 0},
    {{2027, 3, 29}, "Easter Monday", 0},
    {{2027, 5, 3}, "Early May bank holiday", 0},
    {{2027, 5, 31}, "Spring bank holiday", 0},
    {{2027, 8, 30}, "Summer bank holiday", 0},
    {{2027, 12, 27}, "Christmas Day (substitute day)", 0},
    {{2027, 12, 28}, "Boxing Day (substitute day)", 0},
};

const bpc_court_calendar gbew_court_calendar = {
    .name = "court_calendar",
    .version = "gb-ew-bank-holidays-2021-2027",
    .source = "gov.uk, UK bank holidays: England and Wales (Banking and Financial Dealings Act "
              "1971 Sch. 1 and proclamations); CPR 2.8(4)",
    .first_year = 2021,
    .last_year = 2027,
    .weekend_closed = 1,
    .days = days,
    .n = sizeof days / sizeof days[0],
};
