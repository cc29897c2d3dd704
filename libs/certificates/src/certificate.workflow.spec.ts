import { describe, expect, it } from 'vitest';
import {
  actionExistsNow,
  allowedApplicationActions,
  APPLICATION_STATES,
  APPLICATION_TRANSITIONS,
  FINAL_APPLICATION_STATES,
  findTransition,
  initialState,
  PROCEDURES,
  RA_ADAPTERS,
  waitingOn,
  type ApplicationFacts,
} from './certificate.workflow.js';

describe('certificate workflow table', () => {
  it('walks issuance on the local CA: identity, verification, passphrase, RA', () => {
    let f: ApplicationFacts = { procedure: 'issuance', adapter: 'local', state: initialState('issuance', 'local') };
    expect(f.state).toBe('awaiting_identity');
    const step = (action: Parameters<typeof findTransition>[1], actor: string) => {
      const t = findTransition(f, action, [actor]);
      expect(t, `${action} by ${actor} in ${f.state}`).toBeDefined();
      f = { ...f, state: t!.to };
    };
    step('submit_identity', 'applicant');
    step('return_identity', 'verifier');
    expect(f.state).toBe('awaiting_identity');
    step('submit_identity', 'applicant');
    step('approve_identity', 'verifier');
    expect(f.state).toBe('awaiting_passphrase');
    step('set_passphrase', 'applicant');
    expect(f.state).toBe('ra_review');
    step('ra_approve', 'ra_operator');
    expect(f.state).toBe('completed');
    expect(allowedApplicationActions(f, ['verifier', 'ra_operator', 'applicant', 'system'])).toEqual([]);
  });

  it('with BSrE skips the passphrase step and needs the portal reference', () => {
    const f: ApplicationFacts = { procedure: 'renewal', adapter: 'bsre', state: 'identity_review' };
    expect(findTransition(f, 'approve_identity', ['verifier'])?.to).toBe('ra_submission');
    const sub: ApplicationFacts = { ...f, state: 'ra_submission' };
    expect(findTransition(sub, 'record_submission', ['verifier'])?.required).toEqual(['reference']);
    const review: ApplicationFacts = { ...f, state: 'ra_review' };
    expect(findTransition(review, 'ra_approve', ['system'])?.to).toBe('completed');
    expect(findTransition(review, 'ra_approve', ['ra_operator'])).toBeUndefined();
    expect(findTransition({ ...f, state: 'awaiting_passphrase' }, 'set_passphrase', ['applicant'])).toBeUndefined();
    expect(findTransition({ ...f, state: 'awaiting_passphrase' }, 'submit_csr', ['applicant'])).toBeUndefined();
  });

  it('lets the applicant send their own CSR instead of a passphrase, on the local CA only, when enrolling', () => {
    const f: ApplicationFacts = { procedure: 'renewal', adapter: 'local', state: 'awaiting_passphrase' };
    expect(allowedApplicationActions(f, ['applicant'])).toEqual(['set_passphrase', 'submit_csr']);
    const t = findTransition(f, 'submit_csr', ['applicant']);
    expect(t?.to).toBe('ra_review');
    expect(t?.required).toEqual(['csr']);
    expect(findTransition(f, 'submit_csr', ['verifier'])).toBeUndefined();
    expect(actionExistsNow({ procedure: 'issuance', adapter: 'local', state: 'identity_review' }, 'submit_csr')).toBe(false);
    expect(actionExistsNow({ procedure: 'update', adapter: 'local', state: 'ra_review' }, 'submit_csr')).toBe(false);
  });

  it('starts update and revocation at the RA (local) or at the portal submission (BSrE)', () => {
    expect(initialState('update', 'local')).toBe('ra_review');
    expect(initialState('revocation', 'local')).toBe('ra_review');
    expect(initialState('revocation', 'bsre')).toBe('ra_submission');
    expect(initialState('renewal', 'bsre')).toBe('awaiting_identity');
  });

  it('never lets the verifier decide for the local RA, nor the applicant act for staff', () => {
    const review: ApplicationFacts = { procedure: 'revocation', adapter: 'local', state: 'ra_review' };
    expect(allowedApplicationActions(review, ['verifier'])).toEqual([]);
    expect(allowedApplicationActions(review, ['ra_operator'])).toEqual(['ra_approve', 'ra_refuse']);
    expect(actionExistsNow(review, 'ra_approve')).toBe(true);
    expect(actionExistsNow(review, 'submit_identity')).toBe(false);
    const idReview: ApplicationFacts = { procedure: 'issuance', adapter: 'local', state: 'identity_review' };
    expect(allowedApplicationActions(idReview, ['applicant'])).toEqual([]);
  });

  it('has no transition out of a final state and reaches every state', () => {
    for (const t of APPLICATION_TRANSITIONS) expect(FINAL_APPLICATION_STATES).not.toContain(t.from);
    const reached = new Set<string>();
    for (const p of PROCEDURES) for (const a of RA_ADAPTERS) reached.add(initialState(p, a));
    for (const t of APPLICATION_TRANSITIONS) reached.add(t.to);
    expect([...reached].sort()).toEqual([...APPLICATION_STATES].sort());
  });

  it('has exactly one transition per (procedure, adapter, state, action)', () => {
    const seen = new Set<string>();
    for (const t of APPLICATION_TRANSITIONS)
      for (const p of t.procedures)
        for (const a of t.adapters) {
          const key = `${p}/${a}/${t.from}/${t.action}`;
          expect(seen.has(key), key).toBe(false);
          seen.add(key);
        }
  });

  it('says who the application waits on', () => {
    expect(waitingOn({ procedure: 'issuance', adapter: 'local', state: 'awaiting_passphrase' })).toBe('applicant');
    expect(waitingOn({ procedure: 'issuance', adapter: 'local', state: 'identity_review' })).toBe('verifier');
    expect(waitingOn({ procedure: 'update', adapter: 'local', state: 'ra_review' })).toBe('ra');
    expect(waitingOn({ procedure: 'update', adapter: 'local', state: 'completed' })).toBeNull();
  });
});
