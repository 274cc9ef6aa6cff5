import fc from 'fast-check';
import { CDR_STATUSES } from './cdr.model';
import { SIPPY_INTERNAL_RESULTS, SIP_REASON_PHRASES, describeSippyResult } from './sippy-result';

describe('describeSippyResult', () => {
  it.each([
    [0, 'success', 'completed', 200, 'OK'],
    [200, 'success', 'completed', 200, 'OK'],
    [202, 'success', 'completed', 202, 'Accepted'],
    [299, 'success', 'completed', 299, 'SIP 299'],
    [486, 'sip', 'busy', 486, 'Busy Here'],
    [600, 'sip', 'busy', 600, 'Busy Everywhere'],
    [408, 'sip', 'no_answer', 408, 'Request Timeout'],
    [480, 'sip', 'no_answer', 480, 'Temporarily Unavailable'],
    [487, 'sip', 'cancelled', 487, 'Request Terminated'],
    [403, 'sip', 'rejected', 403, 'Forbidden'],
    [404, 'sip', 'rejected', 404, 'Not Found'],
    [484, 'sip', 'rejected', 484, 'Address Incomplete'],
    [488, 'sip', 'rejected', 488, 'Not Acceptable Here'],
    [603, 'sip', 'rejected', 603, 'Decline'],
    [607, 'sip', 'rejected', 607, 'Unwanted'],
    [400, 'sip', 'failed', 400, 'Bad Request'],
    [481, 'sip', 'failed', 481, 'Call/Transaction Does Not Exist'],
    [500, 'sip', 'failed', 500, 'Server Internal Error'],
    [502, 'sip', 'failed', 502, 'Bad Gateway'],
    [503, 'sip', 'failed', 503, 'Service Unavailable'],
    [504, 'sip', 'failed', 504, 'Server Time-out'],
    [302, 'sip', 'failed', 302, 'Moved Temporarily'],
    [183, 'sip', 'failed', 183, 'Session Progress'],
    [499, 'sip', 'failed', 499, 'SIP 499'],
    [-20, 'internal', 'rejected', null, 'Insufficient balance'],
    [-14, 'internal', 'rejected', null, 'No rate found'],
    [-21, 'internal', 'rejected', null, 'Forbidden destination'],
    [-3, 'internal', 'rejected', null, 'Account expired'],
    [-25, 'internal', 'failed', null, 'No routes'],
    [-12, 'internal', 'failed', null, 'Cannot bind session'],
    [-4, 'internal', 'failed', null, 'Connection capacity exceeded'],
    [-28, 'internal', 'rejected', null, 'Blocked by DNCL'],
    [-99, 'internal', 'rejected', null, 'Sippy internal reject -99'],
    [-1000, 'internal', 'rejected', null, 'Sippy internal reject -1000'],
    // unsigned internal codes (the sign is inferred, §4.6)
    [20, 'internal', 'rejected', null, 'Insufficient balance'],
    [99, 'internal', 'rejected', null, 'Sippy internal reject -99'],
    [700, 'unknown', 'unknown', null, 'Unknown result code 700'],
  ])('%i → %s / %s / %p / %s', (code, kind, status, sipCode, reason) => {
    expect(describeSippyResult(code)).toEqual({ code, kind, status, sipCode, reason });
  });

  it.each([null, undefined, Number.NaN, 1.5, Infinity])('%p → unknown without a reason', (code) => {
    expect(describeSippyResult(code)).toEqual({
      code: null,
      kind: 'unknown',
      status: 'unknown',
      sipCode: null,
      reason: null,
    });
  });

  it('covers every internal code 1..28 of §4.6 with a reason', () => {
    for (let n = 1; n <= 28; n += 1) {
      expect(SIPPY_INTERNAL_RESULTS[n]?.reason).toEqual(expect.any(String));
      expect(describeSippyResult(-n).reason).toBe(SIPPY_INTERNAL_RESULTS[n]?.reason);
    }
  });

  it('always returns a valid status and a SIP code only for SIP/success kinds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (code) => {
        const d = describeSippyResult(code);
        expect(CDR_STATUSES).toContain(d.status);
        expect(d.code).toBe(code);
        expect(typeof d.reason).toBe('string');
        if (d.kind === 'internal' || d.kind === 'unknown') {
          expect(d.sipCode).toBeNull();
        } else {
          expect(d.sipCode).toBeGreaterThanOrEqual(100);
        }
        if (d.sipCode !== null && d.sipCode !== 200 && SIP_REASON_PHRASES[d.sipCode]) {
          expect(d.reason).toBe(SIP_REASON_PHRASES[d.sipCode]);
        }
      }),
    );
  });
});
