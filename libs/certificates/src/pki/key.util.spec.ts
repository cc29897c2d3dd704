import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DER_NULL, algorithmIdentifier, explicit, integer, readRoot, sequence } from './der.util.js';
import {
  KEY_ALGORITHMS,
  assertAcceptableKey,
  describePublicKey,
  generateKeyPair,
  keyIdentifier,
  signWith,
  signWithAsync,
  signatureAlgorithmFor,
  signatureSchemeOf,
  spkiOf,
  subjectPublicKeyBits,
  verifySignature,
} from './key.util.js';
import { OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { errorCode } from './pki-test.fixture.js';

describe('generateKeyPair', () => {
  it.each(KEY_ALGORITHMS)('makes a %s pair that describes itself as such', async (algorithm) => {
    const keys = await generateKeyPair(algorithm);
    expect(keys.algorithm).toBe(algorithm);
    expect(keys.privateKey.type).toBe('private');
    expect(keys.publicKey.type).toBe('public');
    expect(describePublicKey(keys.publicKey).algorithm).toBe(algorithm);
  });

  it('refuses an unknown algorithm', async () => {
    expect(await errorCode(() => generateKeyPair('ed25519' as never))).toBe(PkiErrorCode.InvalidArgument);
  });
});

describe('key policy', () => {
  it('describes keys', () => {
    expect(describePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)).toMatchObject({
      type: 'ec',
      curve: 'P-384',
      bits: 384,
      label: 'EC P-384',
    });
    expect(describePublicKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)).toEqual({
      type: 'rsa',
      bits: 1024,
      label: 'RSA 1024',
    });
    expect(describePublicKey(generateKeyPairSync('ed25519').publicKey)).toMatchObject({ type: 'ed25519', label: 'ED25519' });
  });

  it('accepts EC P-256 and RSA ≥ 2048, refuses weak and foreign keys with typed codes', async () => {
    expect(assertAcceptableKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey).algorithm).toBe('ecdsa-p256');
    expect(assertAcceptableKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey).bits).toBe(2048);
    expect(await errorCode(() => assertAcceptableKey(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey))).toBe(
      PkiErrorCode.WeakKey,
    );
    expect(
      await errorCode(() => assertAcceptableKey(generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey)),
    ).toBe(PkiErrorCode.WeakKey);
    expect(await errorCode(() => assertAcceptableKey(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey))).toBe(
      PkiErrorCode.UnsupportedKey,
    );
    expect(await errorCode(() => assertAcceptableKey(generateKeyPairSync('ed25519').publicKey))).toBe(PkiErrorCode.UnsupportedKey);
    expect(await errorCode(() => assertAcceptableKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, 3072))).toBe(
      PkiErrorCode.WeakKey,
    );
  });

  it('computes RFC 5280 method-1 key identifiers over the subjectPublicKey bits', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = spkiOf(publicKey);
    expect(spkiOf(privateKey).equals(spki)).toBe(true);
    const bits = subjectPublicKeyBits(spki);
    expect(bits.length).toBe(65);
    expect(bits[0]).toBe(4);
    expect(keyIdentifier(spki).length).toBe(20);
  });
});

describe('signatures', () => {
  const data = Buffer.from('tbs bytes');

  it('picks ecdsa-with-SHA256 for P-256, SHA-384 for P-384 and sha256WithRSAEncryption for RSA', async () => {
    expect(signatureAlgorithmFor(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).name).toBe('ecdsa-with-SHA256');
    expect(signatureAlgorithmFor(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey).name).toBe('ecdsa-with-SHA384');
    const rsa = signatureAlgorithmFor(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    expect(rsa.name).toBe('sha256WithRSAEncryption');
    expect(rsa.algorithmIdentifier.toString('hex')).toBe('300d06092a864886f70d01010b0500');
    expect(await errorCode(() => signatureAlgorithmFor(generateKeyPairSync('ed25519').privateKey))).toBe(PkiErrorCode.UnsupportedKey);
    expect(await errorCode(() => signatureAlgorithmFor(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey))).toBe(
      PkiErrorCode.InvalidArgument,
    );
  });

  it('signs (sync and on the thread pool) and verifies; a wrong key, key type or byte fails without throwing', async () => {
    for (const kp of [generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('rsa', { modulusLength: 2048 })]) {
      const alg = signatureAlgorithmFor(kp.privateKey);
      const scheme = signatureSchemeOf(alg.algorithmIdentifier, readRoot(alg.algorithmIdentifier));
      for (const sig of [signWith(kp.privateKey, alg, data), await signWithAsync(kp.privateKey, alg, data)]) {
        expect(verifySignature(scheme, data, sig, kp.publicKey)).toBe(true);
        expect(verifySignature(scheme, Buffer.from('other'), sig, kp.publicKey)).toBe(false);
        expect(verifySignature(scheme, data, Buffer.from('garbage'), kp.publicKey)).toBe(false);
        expect(verifySignature(scheme, data, sig, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toBe(false);
        expect(verifySignature(scheme, data, sig, generateKeyPairSync('ed25519').publicKey)).toBe(false);
      }
    }
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    await expect(signWithAsync(ec, { ...signatureAlgorithmFor(ec), hash: 'nope' as never }, data)).rejects.toThrow();
  });

  it('reads RSASSA-PSS parameters and verifies PSS signatures', () => {
    const kp = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sha256 = algorithmIdentifier(OID.sha256, DER_NULL);
    const params = sequence(explicit(0, sha256), explicit(1, algorithmIdentifier(OID.mgf1, sha256)), explicit(2, integer(32)));
    const algId = algorithmIdentifier(OID.rsassaPss, params);
    const scheme = signatureSchemeOf(algId, readRoot(algId));
    expect(scheme).toMatchObject({ kind: 'rsa-pss', hash: 'sha256', saltLength: 32 });
    const sig = sign('sha256', data, { key: kp.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    expect(verifySignature(scheme, data, sig, kp.publicKey)).toBe(true);
    // PSS defaults (SHA-1) parse, and mismatched hashes are refused.
    const defaults = algorithmIdentifier(OID.rsassaPss, sequence());
    expect(signatureSchemeOf(defaults, readRoot(defaults))).toMatchObject({ hash: 'sha1', saltLength: 20 });
    const mixed = algorithmIdentifier(OID.rsassaPss, sequence(explicit(0, sha256)));
    expect(() => signatureSchemeOf(mixed, readRoot(mixed))).toThrow(expect.objectContaining({ code: PkiErrorCode.UnsupportedAlgorithm }));
  });

  it('names known algorithms and refuses unknown ones with UNSUPPORTED_ALGORITHM', () => {
    const name = (o: string) => {
      const a = algorithmIdentifier(o);
      return signatureSchemeOf(a, readRoot(a)).name;
    };
    expect(name(OID.sha1WithRSAEncryption)).toBe('sha1WithRSAEncryption');
    expect(name(OID.ecdsaWithSha512)).toBe('ecdsa-with-SHA512');
    expect(name(OID.ed25519)).toBe('Ed25519');
    expect(() => name('1.2.643.7.1.1.3.2')).toThrow(expect.objectContaining({ code: PkiErrorCode.UnsupportedAlgorithm }));
    const empty = sequence();
    expect(() => signatureSchemeOf(empty, readRoot(empty))).toThrow();
  });
});
