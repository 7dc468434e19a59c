/*
 * ygc_layouts.c - the YGC record layouts Baton reads and writes, as data.
 *
 * Positions are 1-based byte positions as the published layouts count
 * them. Sources, per record (docs/ygc.md has the field-by-field tables):
 *
 *   [G] the Latitude/AIM help pages for the interchange (Genesys, Latitude
 *       "liquid12" help, AIM > YGC Export / Import Record Types), for
 *       example https://help.genesys.com/latitude/liquid12/mergedProjects/
 *       AIM/desktop/ygc_import_record_type_30_financial_transaction.htm
 *   [I] a public C# implementation of the YGC record types (namespace
 *       RecordTypes.YGC, classes RecordType01 ... RecordType43), whose
 *       constructors read each field at a fixed offset; used for the
 *       fields after those the pages show and for record 02, and checked
 *       against [G] wherever both give a field (they agree everywhere).
 *
 * Owns: the tables. Does not own: parsing or formatting (ygc.c).
 */
#include <string.h>

#include "baton/ygc.h"
#include "visibility.h"

#define T BATON_YGC_TEXT
#define N BATON_YGC_NUMBER
#define A BATON_YGC_AMOUNT
#define R BATON_YGC_RATE
#define D BATON_YGC_DATE

/* The 67-byte header of a sender's record (01-29) [G]. */
#define SENDER_HEADER                                                                              \
    {"RECORD_CODE", 1, 2, T, "record type"}, {"FILENO", 3, 10, T, "the sender's file number"},     \
        {"FORW_FILE", 13, 20, T, "the account number at the sender"},                              \
        {"MASCO_FILE", 33, 15, T, "the receiver's own file number (blank at placement)"},          \
        {"FORW_ID", 48, 10, T, "YGC id of the sender"},                                            \
    {                                                                                              \
        "FIRM_ID", 58, 10, T, "YGC id of the receiver"                                             \
    }

/* The 67-byte header of a receiver's record (30-59): the ids swap [G]. */
#define RECEIVER_HEADER                                                                            \
    {"RECORD_CODE", 1, 2, T, "record type"}, {"FILENO", 3, 10, T, "the sender's file number"},     \
        {"FORW_FILE", 13, 20, T, "the account number at the sender"},                              \
        {"MASCO_FILE", 33, 15, T, "the receiver's own file number"},                               \
        {"FIRM_ID", 48, 10, T, "YGC id of the receiver"},                                          \
    {                                                                                              \
        "FORW_ID", 58, 10, T, "YGC id of the sender"                                               \
    }

/* 01 New Account: bytes 1-115 [G], 116-472 [I]. */
static const baton_ygc_field rec01[] = {
    SENDER_HEADER,
    {"DATE_FORW", 68, 8, D, "date the account was sent to the receiver"},
    {"LAW_LIST", 76, 4, T, "law list the account is bonded with"},
    {"COMM", 80, 4, T, "commission percentage (no set format)"},
    {"SFEE", 84, 4, T, "suit fee percentage (no set format)"},
    {"ORIG_CLAIM", 88, 14, A, "principal due"},
    {"ORIG_INT", 102, 14, A, "accrued interest"},
    {"ORIG_INT_D", 116, 8, D, "last day of the interest accrual period"},
    {"RATES_PRE", 124, 5, R, "contract interest rate"},
    {"RATES_POST", 129, 5, R, "post-judgment interest rate"},
    {"CRED_NAME", 134, 25, T, "creditor name"},
    {"CRED_NAME2", 159, 25, T, "creditor name, overflow"},
    {"CRED_STREET", 184, 25, T, "creditor street"},
    {"CRED_CS", 209, 15, T, "creditor city and state"},
    {"CRED_ZIP", 224, 9, T, "creditor postcode"},
    {"DEBT_BAL", 233, 14, A, "owed at placement, without interest"},
    {"CTYPE", 247, 4, T, "claim type (user defined)"},
    {"DATE_LPAY", 251, 8, D, "date of the last payment to the creditor"},
    {"AMT_LPAY", 259, 14, A, "amount of that payment"},
    {"DATE_OPEN", 273, 8, D, "date the account was opened"},
    {"CHRG_OFF_D", 281, 8, D, "charge-off date"},
    {"CHRG_OFF_A", 289, 14, A, "charge-off amount"},
    {"PURCHASE_D", 303, 8, D, "date the debt was purchased"},
    {"ORIG_CRED", 311, 30, T, "original creditor"},
    {"ORIG_CRED2", 341, 30, T, "original creditor, overflow"},
    {"PORT_ID", 371, 20, T, "portfolio id"},
    {"CRED_CNTRY", 391, 3, T, "creditor country"},
    {"LPAY_ISS_D", 394, 8, D, "date of the last payment to the issuer"},
    {"LPAY_ISS_AMT", 402, 14, A, "amount of that payment"},
    {"MEDIA", 416, 1, T, "Y: the sender has media (documents) for a suit"},
    {"DELINQ_D", 417, 8, D, "date of delinquency"},
    {"ACCEL_D", 425, 8, D, "date of acceleration"},
    {"REPO_D", 433, 8, D, "date of repossession"},
    {"SALE_D", 441, 8, D, "sale date"},
    {"MATUR_D", 449, 8, D, "maturity date"},
    {"SOL_START_D", 457, 8, D, "limitation period start"},
    {"SOL_END_D", 465, 8, D, "limitation period end"},
};

/* 02 Primary Debtor [I]. */
static const baton_ygc_field rec02[] = {
    SENDER_HEADER,
    {"D1_NAME", 68, 30, T, "debtor name (Lastname/Firstname for a person)"},
    {"D1_SALUT", 98, 1, N, "salutation code"},
    {"D1_ALIAS", 99, 25, T, "alias"},
    {"D1_STREET", 124, 25, T, "street"},
    {"D1_CS", 149, 23, T, "city and state"},
    {"D1_ZIP", 172, 9, T, "postcode"},
    {"D1_PHONE", 181, 12, T, "phone"},
    {"D1_FAX", 193, 12, T, "fax"},
    {"D1_SSN", 205, 15, T, "social security number"},
    {"RFILE", 220, 8, T, "code common to accounts of one debtor"},
    {"D1_DOB", 228, 8, D, "date of birth"},
    {"D1_DL", 236, 17, T, "driver's licence"},
    {"D1_STATE", 253, 3, T, "state"},
    {"D1_MAIL", 256, 1, T, "Y: served papers returned"},
    {"SERVICE_D", 257, 8, D, "date the suit was served"},
    {"ANSWER_DUE_D", 265, 8, D, "date the answer is due"},
    {"ANSWER_FILE_D", 273, 8, D, "date the answer was filed"},
    {"DEFAULT_D", 281, 8, D, "default judgment request date"},
    {"TRIAL_D", 289, 8, D, "trial date"},
    {"HEARING_D", 297, 8, D, "latest hearing date"},
    {"LIEN_D", 305, 8, D, "lien date"},
    {"GARN_D", 313, 8, D, "garnishment date"},
    {"SERVICE_TYPE", 321, 4, T, "how papers were served"},
    {"D1_STREET2", 325, 25, T, "street, second line"},
    {"D1_CITY", 350, 30, T, "city"},
    {"D1_CELL", 380, 12, T, "mobile phone"},
    {"SCORE_FICO", 392, 3, N, "FICO score"},
    {"SCORE_COLLECT", 395, 3, N, "creditor score"},
    {"SCORE_OTHER", 398, 3, N, "other score"},
    {"D1_CNTRY", 401, 3, T, "country"},
    {"D1_STREET_LONG", 404, 50, T, "street, long form"},
    {"D1_STREET2_LONG", 454, 50, T, "street second line, long form"},
    {"FIRSTNAME", 504, 30, T, "first name"},
    {"LASTNAME", 534, 30, T, "last name"},
    {"SCOREINTERNAL", 564, 5, T, "internal score"},
    {"STAGE", 569, 10, T, "delinquency stage"},
};

/* 09 Notes, sender to receiver [G]. */
static const baton_ygc_field rec09[] = {
    SENDER_HEADER,
    {"PDATE", 68, 8, D, "message date"},
    {"PCODE", 76, 8, T, "status update code"},
    {"PCMT", 84, 1024, T, "comment"},
};

/* 30 Financial Transaction: bytes 1-147 [G], 148-489 [I]. */
static const baton_ygc_field rec30[] = {
    RECEIVER_HEADER,
    {"RET_CODE", 68, 2, N, "1 payment, 3 settlement payment, 6 direct payment, 33-81 cost"},
    {"PAY_DATE", 70, 8, D, "date the funds cleared (or the cost was paid)"},
    {"GROSS_PAY", 78, 14, A, "payment amount"},
    {"NET_CLIENT", 92, 14, A, "part applied to principal, fees are reckoned on"},
    {"CHECK_AMT", 106, 14, A, "amount going to the sender"},
    {"COST_RET", 120, 14, A, "costs reimbursed to the receiver"},
    {"FEES", 134, 14, A, "commissions and suit fees earned on this payment"},
    {"AGENT_FEES", 148, 14, A, "agent or co-counsel fees"},
    {"FORW_CUT", 162, 14, A, "forwarder commissions"},
    {"COST_REC", 176, 14, A, "costs recovered"},
    {"BPJ", 190, 1, T, "B before suit, P post suit, J post judgment"},
    {"TA_NO", 191, 6, N, "transaction number"},
    {"RMIT_NO", 197, 6, N, "remittance batch number"},
    {"LINE1_3", 203, 14, A, "statutory fees collected"},
    {"LINE1_5", 217, 14, A, "debtor balance as of posting"},
    {"LINE1_6", 231, 14, A, "amount received"},
    {"LINE2_1", 245, 14, A, "principal collected"},
    {"LINE2_2", 259, 14, A, "interest collected"},
    {"LINE2_5", 273, 14, A, "costs expended"},
    {"LINE2_6", 287, 14, A, "costs received (special)"},
    {"LINE2_7", 301, 14, A, "suit fees"},
    {"LINE2_8", 315, 14, A, "commissions"},
    {"DESC", 329, 30, T, "description of the transaction"},
    {"POST_DATE", 359, 8, D, "date the transaction was posted"},
    {"REMIT_DATE", 367, 8, D, "date the transaction was remitted"},
    {"TA_CODE", 375, 8, T, "transaction code"},
    {"COMMENT", 383, 30, T, "comment (a cheque number, ...)"},
    {"ORIGINALTANUMBER", 413, 6, N, "reversal: TA_NO of the payment reversed"},
    {"ORIGINALREMITNUMBER", 419, 6, N, "reversal: RMIT_NO of the payment reversed"},
    {"ORIGINALREMITDATE", 425, 8, D, "reversal: REMIT_DATE of the payment reversed"},
    {"COSTSPENTRECOVERABLEFROMDEBTOR", 433, 14, A, "part of LINE2_5 recoverable from the debtor"},
    {"COSTSPENTNONRECOVERABLEFROMDEBTOR", 447, 14, A, "part of LINE2_5 not recoverable"},
    {"COSTSPENTRECOVERABLEFROMCLIENT", 461, 14, A, "part of LINE2_5 billable to the client"},
    {"COSTSPENTNONRECOVERABLEFROMCLIENT", 475, 14, A, "part of LINE2_5 not billable"},
    {"DEBTORNUMBER", 489, 1, N, "which debtor"},
};

/* 39 Notes, receiver to sender: bytes 1-1107 [G], 1108-1141 [I]. */
static const baton_ygc_field rec39[] = {
    RECEIVER_HEADER,
    {"PDATE", 68, 8, D, "message date"},
    {"PCODE", 76, 8, T, "status update code"},
    {"PCMT", 84, 1024, T, "comment"},
    {"PTIME", 1108, 6, T, "time of the event, HHMMSS"},
    {"PTIME_ZONE", 1114, 9, T, "time zone, GMT-5 ..."},
    {"PHONE_NUMBER", 1123, 15, T, "phone number dialled"},
    {"CALL_DIRECTION", 1138, 1, T, "I incoming, O outgoing"},
    {"DBTR_TYPE", 1139, 3, N, "which debtor"},
};

/* 41 Judgments (suit and judgment): bytes 1-202 [G], 203-430 [I]. */
static const baton_ygc_field rec41[] = {
    RECEIVER_HEADER,
    {"SUIT_AMT", 68, 14, A, "amount claimed in the suit"},
    {"SUIT_DATE", 82, 8, D, "date the suit was filed"},
    {"CNTRCT_FEE", 90, 14, A, "contract fee"},
    {"STAT_FEE", 104, 14, A, "statutory fee"},
    {"DOCKET_NO", 118, 15, T, "number the court gave the suit"},
    {"JDGMNT_NO", 133, 15, T, "judgment number"},
    {"JDGMNT_DATE", 148, 8, D, "date the judgment was recorded"},
    {"JDGMNT_AMT", 156, 14, A, "amount awarded"},
    {"PREJ_INT", 170, 14, A, "pre-judgment interest"},
    {"JDG_COSTS", 184, 14, A, "costs of the suit"},
    {"RATES_PRE", 198, 5, R, "contract interest rate"},
    {"RATES_POST", 203, 5, R, "post-judgment interest rate"},
    {"STAT_FLAG", 208, 1, T, "Y: the firm keeps the statutory fee"},
    {"INT_FLAG", 209, 1, T, "Y: PREJ_INT added to the principal"},
    {"JDG_PRIN", 210, 14, A, "principal of the judgment"},
    {"ADJUSTMENT", 224, 14, A, "claimed minus awarded"},
    {"JDGMNT_BAL", 238, 14, A, "judgment balance"},
    {"LEGAL_COUNTY", 252, 20, T, "county of the suit"},
    {"LEGAL_STATE", 272, 4, T, "state of the suit"},
    {"CRT_DESIG", 276, 30, T, "full name of the court"},
    {"CRT_TYPE", 306, 15, T, "kind of court"},
    {"JDGMNT_EXP_DATE", 321, 8, D, "date the judgment expires"},
    {"LEGAL_CNTRY", 329, 3, T, "country of the suit"},
    {"CRT_NAME", 332, 50, T, "name of the court or clerk"},
    {"SUITREASON", 382, 30, T, "reason for the suit"},
    {"JUDGMENTONDEBTOR1", 412, 1, T, "Y: against the primary debtor"},
    {"JUDGMENTONDEBTOR2", 413, 1, T, "Y: against the second debtor"},
    {"JUDGMENTONDEBTOR3", 414, 1, T, "Y: against the third debtor"},
    {"JUDGMENTRECORDEDDATE", 415, 8, D, "date the judgment was recorded"},
    {"SUITISSUEDDATE", 423, 8, D, "date the firm sent the suit to court"},
};

/* 43 Payment plan ("Payments" on the help page) [G]. */
static const baton_ygc_field rec43[] = {
    RECEIVER_HEADER,
    {"PLAN_DATE", 68, 8, D, "date the plan was agreed"},
    {"PLAN_BAL", 76, 14, A, "amount the debtor agreed to pay"},
    {"FIRST_DATE", 90, 8, D, "date of the first payment"},
    {"FIRST_AMT", 98, 14, A, "amount of the first payment"},
    {"PAY_AMT", 112, 14, A, "amount of the periodic payments"},
    {"LAST_DATE", 126, 8, D, "date of the last payment"},
    {"LAST_AMT", 134, 14, A, "amount of the last payment"},
    {"NO_PMTS", 148, 5, N, "number of payments, first and last included"},
    {"FREQUENCY", 153, 1, T, "W weekly, B biweekly, M monthly"},
};

#define GENESYS  "https://help.genesys.com/latitude/liquid12/mergedProjects/AIM/desktop/"
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const baton_ygc_layout layouts[] = {
    {"01", "New Account", 0, rec01, COUNT(rec01), 472,
     GENESYS "ygc_export_record_type_01_new_account.htm (1-115); RecordTypes.YGC.RecordType01"},
    {"02", "Primary Debtor", 0, rec02, COUNT(rec02), 578, "RecordTypes.YGC.RecordType02"},
    {"09", "Notes (sender to receiver)", 0, rec09, COUNT(rec09), 1107,
     GENESYS "ygc_export_record_type_09_notes.htm"},
    {"30", "Financial Transaction", 1, rec30, COUNT(rec30), 489,
     GENESYS "ygc_import_record_type_30_financial_transaction.htm (1-147); "
             "RecordTypes.YGC.RecordType30"},
    {"39", "Notes (receiver to sender)", 1, rec39, COUNT(rec39), 1141,
     GENESYS "ygc_import_record_type_39_notes.htm (1-1107); RecordTypes.YGC.RecordType39"},
    {"41", "Suit and Judgment", 1, rec41, COUNT(rec41), 430,
     GENESYS "ygc_import_record_type_41_judgments.htm (1-202); RecordTypes.YGC.RecordType41"},
    {"43", "Payment Plan", 1, rec43, COUNT(rec43), 153,
     GENESYS "ygc_import_record_type_43_payments.htm"},
};

BATON_API const baton_ygc_layout *baton_ygc_layouts(size_t *n)
{
    if (n != NULL)
        *n = COUNT(layouts);
    return layouts;
}

BATON_API const baton_ygc_layout *baton_ygc_layout_find(const char *code)
{
    if (code == NULL)
        return NULL;
    for (size_t i = 0; i < COUNT(layouts); i++) {
        if (strcmp(layouts[i].code, code) == 0)
            return &layouts[i];
    }
    return NULL;
}

BATON_API const baton_ygc_field *baton_ygc_field_find(const baton_ygc_layout *layout,
                                                      const char *name)
{
    if (layout == NULL || name == NULL)
        return NULL;
    for (size_t i = 0; i < layout->n_fields; i++) {
        if (strcmp(layout->fields[i].name, name) == 0)
            return &layout->fields[i];
    }
    return NULL;
}
