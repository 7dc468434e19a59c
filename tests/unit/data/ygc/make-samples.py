#!/usr/bin/env python3
# make-samples.py - writes firm-report.ygc and malformed.ygc, the sample YGC
# files of tests/unit/test_ygc*.c, with positions typed from the published
# layouts (docs/ygc.md), independently of the tables in sdk/src/ygc_layouts.c.
# Run from the repository root: python3 tests/unit/data/ygc/make-samples.py
def rec(code, fields, length, receiver):
    b = bytearray(b' ' * length)
    b[0:2] = code.encode()
    hdr = {'FILENO': (3, 10), 'FORW_FILE': (13, 20), 'MASCO_FILE': (33, 15)}
    if receiver:
        hdr.update({'FIRM_ID': (48, 10), 'FORW_ID': (58, 10)})
    else:
        hdr.update({'FORW_ID': (48, 10), 'FIRM_ID': (58, 10)})
    for name, spec in fields.items():
        val = spec[0]
        if name in hdr:
            start, ln = hdr[name]
        else:
            start, ln = spec[1], spec[2]
        v = val.encode()
        assert len(v) <= ln, name
        if len(spec) > 3 and spec[3] == 'R':
            b[start-1:start-1+ln] = v.rjust(ln)
        else:
            b[start-1:start-1+len(v)] = v
    return bytes(b)

H = {'FILENO': ('3',), 'FORW_FILE': ('NW-2026-0001',), 'MASCO_FILE': ('HL-77',),
     'FIRM_ID': ('harbor-law',), 'FORW_ID': ('northwind',)}
def R(**kw):
    d = dict(H); d.update(kw); return d
lines = []
lines.append(rec('39', R(PDATE=('20260310', 68, 8), PCODE=('*CC:S101', 76, 8),
     PCMT=('Called the debtor; promised to pay by Friday', 84, 1024),
     PHONE_NUMBER=('020 7946 0000', 1123, 15), CALL_DIRECTION=('O', 1138, 1)), 1141, True))
lines.append(rec('41', R(SUIT_AMT=('1250.00', 68, 14, 'R'), SUIT_DATE=('20260315', 82, 8),
     DOCKET_NO=('K00LV123', 118, 15), CRT_NAME=('County Court Money Claims Centre', 332, 50)), 430, True))
lines.append(rec('30', R(RET_CODE=('01', 68, 2), PAY_DATE=('20260401', 70, 8),
     GROSS_PAY=('500.00', 78, 14, 'R'), NET_CLIENT=('500.00', 92, 14, 'R'),
     CHECK_AMT=('400.00', 106, 14, 'R'), FEES=('100.00', 134, 14, 'R'),
     TA_NO=('000017', 191, 6), RMIT_NO=('000003', 197, 6),
     REMIT_DATE=('20260405', 367, 8), DESC=('Payment by debit card', 329, 30)), 489, True))
lines.append(rec('30', R(RET_CODE=('33', 68, 2), PAY_DATE=('20260315', 70, 8),
     LINE2_5=('50.00', 273, 14, 'R'), TA_NO=('000018', 191, 6),
     DESC=('Court issue fee', 329, 30),
     COSTSPENTRECOVERABLEFROMDEBTOR=('50.00', 433, 14, 'R')), 489, True))
lines.append(rec('41', R(SUIT_AMT=('1250.00', 68, 14, 'R'), SUIT_DATE=('20260315', 82, 8),
     DOCKET_NO=('K00LV123', 118, 15), JDGMNT_DATE=('20260420', 148, 8),
     CRT_NAME=('County Court Money Claims Centre', 332, 50),
     JDGMNT_AMT=('1300.00', 156, 14, 'R'), RATES_POST=('.0800', 203, 5)), 430, True))
lines.append(rec('43', R(PLAN_DATE=('20260425', 68, 8), PLAN_BAL=('600.00', 76, 14, 'R'),
     FIRST_DATE=('20260501', 90, 8), FIRST_AMT=('100.00', 98, 14, 'R'),
     PAY_AMT=('100.00', 112, 14, 'R'), LAST_DATE=('20261001', 126, 8),
     LAST_AMT=('100.00', 134, 14, 'R'), NO_PMTS=('6', 148, 5, 'R'), FREQUENCY=('M', 153, 1)), 153, True))
open('tests/unit/data/ygc/firm-report.ygc', 'wb').write(b'\r\n'.join(lines) + b'\r\n')

bad = []
bad.append(lines[0][:75])                                        # 1: a 39 ending early: fine
bad.append(b'12' + lines[0][2:67])                               # 2: unknown code 12
x = bytearray(lines[2]); x[69:77] = b'20261341'; bad.append(bytes(x))   # 3: bad PAY_DATE
x = bytearray(lines[2]); x[77:91] = b'         50000'; bad.append(bytes(x))  # 4: GROSS_PAY no point
bad.append(lines[5] + b'X')                                      # 5: 43 too long
bad.append(b'')                                                  # 6: empty line
x = bytearray(lines[0]); x[83:85] = b'\xc3\x28'; bad.append(bytes(x))   # 7: PCMT not UTF-8
bad.append(b'4')                                                 # 8: too short for a code
x = bytearray(lines[4]); x[202:207] = b'8.000'; bad.append(bytes(x))    # 9: RATES_POST above 1
open('tests/unit/data/ygc/malformed.ygc', 'wb').write(b'\n'.join(bad) + b'\n')
