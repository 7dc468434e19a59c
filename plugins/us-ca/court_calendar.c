/*
 * court_calendar.c - the judicial holidays of the California courts, for
 * CCP §§ 12 and 12a.
 *
 * Owns: the holiday table. Does not own: which deadline moves (claim.c)
 * or the walk (plugins/common/court_calendar.c). Not to be confused with
 * calendar.c, the federal holidays of 5 U.S.C. 6103(a) that Regulation F
 * counts business days with.
 *
 * CCP § 12: a period excludes the first day and includes the last, unless
 * the last day is a holiday, and then it is also excluded. CCP § 12a(a):
 * if the last day for an act is a holiday, the period is extended to and
 * including the next day that is not a holiday; "holiday" means Saturdays
 * and the judicial holidays of CCP § 135 (and days a public office is
 * closed, § 12b). CCP § 135: every full-day holiday of Government Code
 * § 6700 is a judicial holiday, including Thanksgiving and the day after,
 * except Admission Day (9 September) and the other days § 135 excepts
 * (Columbus Day is not observed by the courts); when one falls on a
 * Saturday it is observed on the Friday before, on a Sunday the Monday
 * after (California Rules of Court, rule 1.11). Good Friday (noon to 3
 * p.m. only) is not a full day.
 *
 * The days: New Year's Day, Martin Luther King, Jr. Day (3rd Monday in
 * January), Lincoln Day (12 February), Presidents' Day (3rd Monday in
 * February), Cesar Chavez Day (31 March), Memorial Day (last Monday in
 * May), Juneteenth (19 June), Independence Day, Labor Day (1st Monday in
 * September), Native American Day (4th Friday in September), Veterans Day
 * (11 November), Thanksgiving (4th Thursday in November) and the day
 * after, Christmas Day. Written out for 2024-2030 by those rules, and
 * checked against the judicial holiday lists the courts publish for 2024,
 * 2025 and 2026 (e.g. Superior Court of San Bernardino County, Sutter
 * County; Courts of Appeal 2026 schedule: 3 July 2026 observed for
 * Independence Day, 1 April 2024 for Cesar Chavez Day).
 */
#include "us_ca.h"

static const bpc_holiday days[] = {
    {{2024, 1, 1}, "New Year's Day", 0},
    {{2024, 1, 15}, "Martin Luther King, Jr. Day", 0},
    {{2024, 2, 12}, "Lincoln Day", 0},
    {{2024, 2, 19}, "Presidents' Day", 0},
    {{2024, 4, 1}, "Cesar Chavez Day (observed)", 0},
    {{2024, 5, 27}, "Memorial Day", 0},
    {{2024, 6, 19}, "Juneteenth", 0},
    {{2024, 7, 4}, "Independence Day", 0},
    {{2024, 9, 2}, "Labor Day", 0},
    {{2024, 9, 27}, "Native American Day", 0},
    {{2024, 11, 11}, "Veterans Day", 0},
    {{2024, 11, 28}, "Thanksgiving Day", 0},
    {{2024, 11, 29}, "Day after Thanksgiving", 0},
    {{2024, 12, 25}, "Christmas Day", 0},
    {{2025, 1, 1}, "New Year's Day", 0},
    {{2025, 1, 20}, "Martin Luther King, Jr. Day", 0},
    {{2025, 2, 12}, "Lincoln Day", 0},
    {{2025, 2, 17}, "Presidents' Day", 0},
    {{2025, 3, 31}, "Cesar Chavez Day", 0},
    {{2025, 5, 26}, "Memorial Day", 0},
    {{2025, 6, 19}, "Juneteenth", 0},
    {{2025, 7, 4}, "Independence Day", 0},
    {{2025, 9, 1}, "Labor Day", 0},
    {{2025, 9, 26}, "Native American Day", 0},
    {{2025, 11, 11}, "Veterans Day", 0},
    {{2025, 11, 27}, "Thanksgiving Day", 0},
    {{2025, 11, 28}, "Day after Thanksgiving", 0},
    {{2025, 12, 25}, "Christmas Day", 0},
    {{2026, 1, 1}, "New Year's Day", 0},
    {{2026, 1, 19}, "Martin Luther King, Jr. Day", 0},
    {{2026, 2, 12}, "Lincoln Day", 0},
    {{2026, 2, 16}, "Presidents' Day", 0},
    {{2026, 3, 31}, "Cesar Chavez Day", 0},
    {{2026, 5, 25}, "Memorial Day", 0},
    {{2026, 6, 19}, "Juneteenth", 0},
    {{2026, 7, 3}, "Independence Day (observed)", 0},
    {{2026, 9, 7}, "Labor Day", 0},
    {{2026, 9, 25}, "Native American Day", 0},
    {{2026, 11, 11}, "Veterans Day", 0},
    {{2026, 11, 26}, "Thanksgiving Day", 0},
    {{2026, 11, 27}, "Day after Thanksgiving", 0},
    {{2026, 12, 25}, "Christmas Day", 0},
    {{2027, 1, 1}, "New Year's Day", 0},
    {{2027, 1, 18}, "Martin Luther King, Jr. Day", 0},
    {{2027, 2, 12}, "Lincoln Day", 0},
    {{2027, 2, 15}, "Presidents' Day", 0},
    {{2027, 3, 31}, "Cesar Chavez Day", 0},
    {{2027, 5, 31}, "Memorial Day", 0},
    {{2027, 6, 18}, "Juneteenth (observed)", 0},
    {{2027, 7, 5}, "Independence Day (observed)", 0},
    {{2027, 9, 6}, "Labor Day", 0},
    {{2027, 9, 24}, "Native American Day", 0},
    {{2027, 11, 11}, "Veterans Day", 0},
    {{2027, 11, 25}, "Thanksgiving Day", 0},
    {{2027, 11, 26}, "Day after Thanksgiving", 0},
    {{2027, 12, 24}, "Christmas Day (observed)", 0},
    {{2027, 12, 31}, "New Year's Day (observed)", 0},
    {{2028, 1, 17}, "Martin Luther King, Jr. Day", 0},
    {{2028, 2, 11}, "Lincoln Day (observed)", 0},
    {{2028, 2, 21}, "Presidents' Day", 0},
    {{2028, 3, 31}, "Cesar Chavez Day", 0},
    {{2028, 5, 29}, "Memorial Day", 0},
    {{2028, 6, 19}, "Juneteenth", 0},
    {{2028, 7, 4}, "Independence Day", 0},
    {{2028, 9, 4}, "Labor Day", 0},
    {{2028, 9, 22}, "Native American Day", 0},
    {{2028, 11, 10}, "Veterans Day (observed)", 0},
    {{2028, 11, 23}, "Thanksgiving Day", 0},
    {{2028, 11, 24}, "Day after Thanksgiving", 0},
    {{2028, 12, 25}, "Christmas Day", 0},
    {{2029, 1, 1}, "New Year's Day", 0},
    {{2029, 1, 15}, "Martin Luther King, Jr. Day", 0},
    {{2029, 2, 12}, "Lincoln Day", 0},
    {{2029, 2, 19}, "Presidents' Day", 0},
    {{2029, 3, 30}, "Cesar Chavez Day (observed)", 0},
    {{2029, 5, 28}, "Memorial Day", 0},
    {{2029, 6, 19}, "Juneteenth", 0},
    {{2029, 7, 4}, "Independence Day", 0},
    {{2029, 9, 3}, "Labor Day", 0},
    {{2029, 9, 28}, "Native American Day", 0},
    {{2029, 11, 12}, "Veterans Day (observed)", 0},
    {{2029, 11, 22}, "Thanksgiving Day", 0},
    {{2029, 11, 23}, "Day after Thanksgiving", 0},
    {{2029, 12, 25}, "Christmas Day", 0},
    {{2030, 1, 1}, "New Year's Day", 0},
    {{2030, 1, 21}, "Martin Luther King, Jr. Day", 0},
    {{2030, 2, 12}, "Lincoln Day", 0},
    {{2030, 2, 18}, "Presidents' Day", 0},
    {{2030, 4, 1}, "Cesar Chavez Day (observed)", 0},
    {{2030, 5, 27}, "Memorial Day", 0},
    {{2030, 6, 19}, "Juneteenth", 0},
    {{2030, 7, 4}, "Independence Day", 0},
    {{2030, 9, 2}, "Labor Day", 0},
    {{2030, 9, 27}, "Native American Day", 0},
    {{2030, 11, 11}, "Veterans Day", 0},
    {{2030, 11, 28}, "Thanksgiving Day", 0},
    {{2030, 11, 29}, "Day after Thanksgiving", 0},
    {{2030, 12, 25}, "Christmas Day", 0},
};

const bpc_court_calendar usca_court_calendar = {
    .name = "court_calendar",
    .version = "ca-judicial-holidays-2024-2030",
    .source = "CCP § 135, Gov. Code § 6700, Cal. Rules of Court rule 1.11; the courts' "
              "published judicial holiday lists 2024-2026",
    .first_year = 2024,
    .last_year = 2030,
    .weekend_closed = 1,
    .days = days,
    .n = sizeof days / sizeof days[0],
};
