import { describe, expect, it } from 'vitest';
import * as pki from './index.js';
import { PkiError, PkiErrorCode, isPkiError } from './pki.exception.js';

describe('PKI public API', () => {
  it('exports the functions the certificates module builds on', () => {
    const fns = [
      'generateKeyPair',
      'describePublicKey',
      'createRootCa',
      'createIssuingCa',
      'issueCertificate',
      'issueOcspSignerCertificate',
      'randomSerial',
      'normalizeSerial',
      'parseCertificate',
      'parseCertificates',
      'verifyChain',
      'parseCsr',
      'createCsr',
      'encryptPrivateKey',
      'decryptPrivateKey',
      'buildCrl',
      'parseOcspRequest',
      'createOcspResponder',
      'ocspErrorResponse',
      'toPem',
      'isPkiError',
    ] as const;
    for (const f of fns) expect(typeof pki[f], f).toBe('function');
    expect(pki.KEY_ALGORITHMS).toEqual(['ecdsa-p256', 'rsa-2048', 'rsa-3072']);
    expect(pki.CRL_REASONS).toHaveLength(10);
  });

  it('PkiError carries a stable code', () => {
    const err = new PkiError(PkiErrorCode.WrongPassphrase, 'wrong passphrase');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PkiError');
    expect(err.code).toBe('WRONG_PASSPHRASE');
    expect(isPkiError(err)).toBe(true);
    expect(isPkiError(err, PkiErrorCode.WrongPassphrase)).toBe(true);
    expect(isPkiError(err, PkiErrorCode.MalformedKey)).toBe(false);
    expect(isPkiError(new Error('x'))).toBe(false);
    expect(Object.values(PkiErrorCode)).toContain('MALFORMED_CSR');
    expect(Object.values(PkiErrorCode)).toContain('BAD_CSR_SIGNATURE');
  });
});
