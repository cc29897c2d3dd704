import { createCipheriv, createPrivateKey, generateKeyPairSync, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DER_NULL,
  TAG,
  algorithmIdentifier,
  children,
  contentOf,
  decodeOid,
  decodeSmallInteger,
  integer,
  octetString,
  readRoot,
  sequence,
} from './der.util.js';
import { generateKeyPair } from './key.util.js';
import { OID } from './pki.constants.js';
import { PkiErrorCode } from './pki.exception.js';
import { PRIVATE_KEY_PBKDF2_ITERATIONS, decryptPrivateKey, encryptPrivateKey } from './private-key-box.js';
import { parsePem, toPem } from './pem.util.js';
import { errorCode } from './pki-test.fixture.js';

const PASS = 'Kata sandi rahasia 2026!';

/** An EncryptedPrivateKeyInfo with the given PBES2 parts, for formats we read but do not write. */
function box(kdf: Buffer, encryptionScheme: Buffer, data: Buffer): Buffer {
  return sequence(algorithmIdentifier(OID.pbes2, sequence(kdf, encryptionScheme)), octetString(data));
}

function encryptPkcs8(plain: Buffer, key: Buffer, cipher: string, iv: Buffer): Buffer {
  const c = createCipheriv(cipher, key, iv);
  return Buffer.concat([c.update(plain), c.final()]);
}

describe('encryptPrivateKey', () => {
  it('writes PKCS#8 PBES2: PBKDF2-HMAC-SHA256 × 600 000, AES-256-CBC, 16-byte salt and IV', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const pem = await encryptPrivateKey(keys.privateKey, PASS);
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    const der = parsePem(pem)[0]!.der;
    const [alg] = children(der, readRoot(der));
    const [scheme, params] = children(der, alg!);
    expect(decodeOid(der, scheme!)).toBe(OID.pbes2);
    const [kdf, enc] = children(der, params!);
    const [kdfOid, kdfParams] = children(der, kdf!);
    expect(decodeOid(der, kdfOid!)).toBe(OID.pbkdf2);
    const [salt, iterations, prf] = children(der, kdfParams!);
    expect(contentOf(der, salt!).length).toBe(16);
    expect(decodeSmallInteger(der, iterations!)).toBe(600_000);
    expect(PRIVATE_KEY_PBKDF2_ITERATIONS).toBe(600_000);
    expect(decodeOid(der, children(der, prf!)[0]!)).toBe(OID.hmacWithSha256);
    const [encOid, iv] = children(der, enc!);
    expect(decodeOid(der, encOid!)).toBe(OID.aes256Cbc);
    expect(iv!.tag).toBe(TAG.OCTET_STRING);
    expect(contentOf(der, iv!).length).toBe(16);
    // OpenSSL (through node) opens it with the passphrase.
    expect(createPrivateKey({ key: pem, format: 'pem', passphrase: PASS }).equals(keys.privateKey)).toBe(true);
  });

  it('uses a fresh salt and IV every time', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const [a, b] = await Promise.all([encryptPrivateKey(keys.privateKey, PASS), encryptPrivateKey(keys.privateKey, PASS)]);
    expect(a).not.toBe(b);
  });

  it('refuses a public key and an empty passphrase', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    expect(await errorCode(() => encryptPrivateKey(keys.publicKey, PASS))).toBe(PkiErrorCode.InvalidArgument);
    expect(await errorCode(() => encryptPrivateKey(keys.privateKey, ''))).toBe(PkiErrorCode.InvalidArgument);
  });
});

describe('decryptPrivateKey', () => {
  it.each(['ecdsa-p256', 'rsa-2048'] as const)('opens a %s key with the right passphrase (PEM string, PEM bytes, DER)', async (alg) => {
    const keys = await generateKeyPair(alg);
    const pem = await encryptPrivateKey(keys.privateKey, PASS);
    const back = await decryptPrivateKey(pem, PASS);
    expect(back.type).toBe('private');
    expect(back.equals(keys.privateKey)).toBe(true);
    expect((await decryptPrivateKey(Buffer.from(pem), PASS)).equals(keys.privateKey)).toBe(true);
    expect((await decryptPrivateKey(parsePem(pem)[0]!.der, PASS)).equals(keys.privateKey)).toBe(true);
  });

  it('refuses wrong passphrases and tampered ciphertext with WRONG_PASSPHRASE, never a generic error', async () => {
    const keys = await generateKeyPair('ecdsa-p256');
    const pem = await encryptPrivateKey(keys.privateKey, PASS);
    const wrong = await Promise.all(['kata sandi rahasia 2026!', '', `${PASS} `].map((p) => errorCode(() => decryptPrivateKey(pem, p))));
    expect(wrong).toEqual([PkiErrorCode.WrongPassphrase, PkiErrorCode.WrongPassphrase, PkiErrorCode.WrongPassphrase]);
    const der = parsePem(pem)[0]!.der;
    const lastBlock = Buffer.from(der);
    lastBlock[lastBlock.length - 1]! ^= 0x5a; // breaks the CBC padding
    const firstBlock = Buffer.from(der);
    firstBlock[firstBlock.length - 40]! ^= 0x01; // garbles the PKCS#8 but keeps the padding
    const tampered = await Promise.all([lastBlock, firstBlock].map((d) => errorCode(() => decryptPrivateKey(d, PASS))));
    expect(tampered).toEqual([PkiErrorCode.WrongPassphrase, PkiErrorCode.WrongPassphrase]);
  });

  it('reads keys OpenSSL writes through node (PBES2 with AES-128-CBC and 3DES, 2048 iterations)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const cipher of ['aes-128-cbc', 'aes-192-cbc', 'des-ede3-cbc']) {
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher, passphrase: PASS });
      expect((await decryptPrivateKey(pem, PASS)).equals(privateKey), cipher).toBe(true);
      expect(await errorCode(() => decryptPrivateKey(pem, 'salah')), cipher).toBe(PkiErrorCode.WrongPassphrase);
    }
  });

  it('reads PBES2 with scrypt and with an explicit key length and HMAC-SHA512', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const plain = privateKey.export({ type: 'pkcs8', format: 'der' });
    const salt = randomBytes(16);
    const iv = randomBytes(16);
    const sk = scryptSync(PASS, salt, 32, { N: 16_384, r: 8, p: 1 });
    const scrypt = box(
      algorithmIdentifier(OID.scrypt, sequence(octetString(salt), integer(16_384), integer(8), integer(1), integer(32))),
      algorithmIdentifier(OID.aes256Cbc, octetString(iv)),
      encryptPkcs8(plain, sk, 'aes-256-cbc', iv),
    );
    expect((await decryptPrivateKey(toPem(scrypt, 'ENCRYPTED PRIVATE KEY'), PASS)).equals(privateKey)).toBe(true);
    expect(await errorCode(() => decryptPrivateKey(scrypt, 'salah'))).toBe(PkiErrorCode.WrongPassphrase);
    const pk = pbkdf2Sync(PASS, salt, 1000, 32, 'sha512');
    const pbkdf2 = box(
      algorithmIdentifier(
        OID.pbkdf2,
        sequence(octetString(salt), integer(1000), integer(32), algorithmIdentifier(OID.hmacWithSha512, DER_NULL)),
      ),
      algorithmIdentifier(OID.aes256Cbc, octetString(iv)),
      encryptPkcs8(plain, pk, 'aes-256-cbc', iv),
    );
    expect((await decryptPrivateKey(pbkdf2, PASS)).equals(privateKey)).toBe(true);
  });

  it('refuses what is not an encrypted PKCS#8 key with MALFORMED_KEY, and unknown algorithms with UNSUPPORTED_ALGORITHM', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const salt = randomBytes(16);
    const iv = randomBytes(16);
    const data = Buffer.alloc(64);
    const pbkdf2 = (iterations: number, prf: string = OID.hmacWithSha256) =>
      algorithmIdentifier(OID.pbkdf2, sequence(octetString(salt), integer(iterations), algorithmIdentifier(prf, DER_NULL)));
    const aes = algorithmIdentifier(OID.aes256Cbc, octetString(iv));
    const scrypt = (n: number, r: number) =>
      algorithmIdentifier(OID.scrypt, sequence(octetString(salt), integer(n), integer(r), integer(1)));
    const malformed: Array<[string, string | Uint8Array]> = [
      ['empty string', ''],
      ['null', null as unknown as string],
      ['garbage', 'not a key'],
      ['garbage bytes', Buffer.from([1, 2, 3])],
      ['unencrypted PKCS#8 PEM', privateKey.export({ type: 'pkcs8', format: 'pem' })],
      ['unencrypted SEC1 PEM', privateKey.export({ type: 'sec1', format: 'pem' })],
      ['bad base64', '-----BEGIN ENCRYPTED PRIVATE KEY-----\n@@@@\n-----END ENCRYPTED PRIVATE KEY-----\n'],
      ['truncated', box(pbkdf2(1000), aes, data).subarray(0, 30)],
      ['zero iterations', box(pbkdf2(0), aes, data)],
      ['absurd iterations', box(pbkdf2(20_000_000), aes, data)],
      ['scrypt N not a power of two', box(scrypt(1000, 8), aes, data)],
      ['scrypt memory too large', box(scrypt(1 << 20, 8), aes, data)],
      ['short IV', box(pbkdf2(1000), algorithmIdentifier(OID.aes256Cbc, octetString(Buffer.alloc(8))), data)],
      ['partial block', box(pbkdf2(1000), aes, Buffer.alloc(17))],
      [
        'key length disagrees with cipher',
        box(algorithmIdentifier(OID.pbkdf2, sequence(octetString(salt), integer(1000), integer(16))), aes, data),
      ],
    ];
    for (const [name, input] of malformed)
      expect(await errorCode(() => decryptPrivateKey(input, PASS)), name).toBe(PkiErrorCode.MalformedKey);
    const unsupported: Array<[string, Uint8Array]> = [
      ['MD5 PRF', box(pbkdf2(1000, '1.2.840.113549.2.5'), aes, data)],
      ['unknown KDF', box(algorithmIdentifier('1.2.3.4', sequence()), aes, data)],
      ['AES-GCM', box(pbkdf2(1000), algorithmIdentifier('2.16.840.1.101.3.4.1.46', octetString(iv)), data)],
    ];
    for (const [name, input] of unsupported)
      expect(await errorCode(() => decryptPrivateKey(input, PASS)), name).toBe(PkiErrorCode.UnsupportedAlgorithm);
    expect(await errorCode(() => decryptPrivateKey('x', undefined as never))).toBe(PkiErrorCode.InvalidArgument);
  });
});
