import {
  type KeyObject,
  createDecipheriv,
  createCipheriv,
  createPrivateKey,
  pbkdf2 as pbkdf2Cb,
  randomBytes,
  scrypt as scryptCb,
} from 'node:crypto';
import { promisify } from 'node:util';
import {
  DER_NULL,
  DerError,
  TAG,
  algorithmIdentifier,
  asBuffer,
  children,
  contentOf,
  decodeOid,
  decodeSmallInteger,
  expectTag,
  integer,
  octetString,
  readRoot,
  sequence,
} from './der.util.js';
import { OID } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';
import { looksLikePem, parsePem, toPem } from './pem.util.js';

/**
 * Private keys at rest: PKCS#8 EncryptedPrivateKeyInfo (RFC 5958) with PBES2 (RFC 8018),
 * PBKDF2-HMAC-SHA256 over 600 000 iterations and AES-256-CBC, 16-byte salt and IV, PEM
 * "ENCRYPTED PRIVATE KEY" — what `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256
 * -iter 600000` writes, readable by `openssl pkey -passin`, Java, BouncyCastle, Windows.
 *
 * Why not scrypt: OpenSSL 3.0 caps scrypt memory at 32 MiB when decrypting PKCS#8, and N = 2^15,
 * r = 8 needs just over that, so `openssl pkey` could not open such a key. 600 000 PBKDF2-SHA256
 * iterations is OWASP's 2023 figure. The KDF runs on libuv's thread pool, never on the event loop.
 *
 * Decryption also reads PBES2 with PBKDF2 (HMAC-SHA1/256/384/512) or scrypt and AES-CBC / 3DES-CBC,
 * i.e. keys OpenSSL writes; anything else is handed to OpenSSL itself.
 */
export const PRIVATE_KEY_PBKDF2_ITERATIONS = 600_000;

const MAX_ITERATIONS = 10_000_000;
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;

const pbkdf2 = promisify(pbkdf2Cb);
const scrypt = promisify(scryptCb) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

function malformed(message: string, cause?: unknown): PkiError {
  return new PkiError(PkiErrorCode.MalformedKey, message, cause === undefined ? undefined : { cause });
}

/** Encrypts a private key under a passphrase; returns PEM "ENCRYPTED PRIVATE KEY". */
export async function encryptPrivateKey(key: KeyObject, passphrase: string): Promise<string> {
  if (key?.type !== 'private') throw new PkiError(PkiErrorCode.InvalidArgument, 'a private KeyObject is needed');
  if (typeof passphrase !== 'string' || passphrase.length === 0)
    throw new PkiError(PkiErrorCode.InvalidArgument, 'the passphrase must not be empty');
  const plain = key.export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const k = await pbkdf2(Buffer.from(passphrase, 'utf8'), salt, PRIVATE_KEY_PBKDF2_ITERATIONS, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', k, iv);
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);
  k.fill(0);
  const der = sequence(
    algorithmIdentifier(
      OID.pbes2,
      sequence(
        algorithmIdentifier(
          OID.pbkdf2,
          sequence(octetString(salt), integer(PRIVATE_KEY_PBKDF2_ITERATIONS), algorithmIdentifier(OID.hmacWithSha256, DER_NULL)),
        ),
        algorithmIdentifier(OID.aes256Cbc, octetString(iv)),
      ),
    ),
    octetString(encrypted),
  );
  return toPem(der, 'ENCRYPTED PRIVATE KEY');
}

type Kdf =
  | { kind: 'pbkdf2'; salt: Buffer; iterations: number; keyLength?: number; prf: 'sha1' | 'sha256' | 'sha384' | 'sha512' }
  | { kind: 'scrypt'; salt: Buffer; N: number; r: number; p: number; keyLength?: number };

interface Pbes2 {
  kdf: Kdf;
  cipher: 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc' | 'des-ede3-cbc';
  keyLength: number;
  iv: Buffer;
  data: Buffer;
}

const PRF: Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'> = {
  [OID.hmacWithSha1]: 'sha1',
  [OID.hmacWithSha256]: 'sha256',
  [OID.hmacWithSha384]: 'sha384',
  [OID.hmacWithSha512]: 'sha512',
};
const CIPHERS: Record<string, { name: Pbes2['cipher']; keyLength: number; ivLength: number }> = {
  [OID.aes128Cbc]: { name: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
  [OID.aes192Cbc]: { name: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
  [OID.aes256Cbc]: { name: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
  [OID.desEde3Cbc]: { name: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
};

/**
 * Opens an encrypted private key (PEM or DER EncryptedPrivateKeyInfo).
 *  - WRONG_PASSPHRASE: the passphrase does not open it (bad padding or not a key after decryption);
 *  - MALFORMED_KEY: not an encrypted PKCS#8 key at all (including an unencrypted key: we never
 *    accept one where a passphrase is supposed to protect it), or KDF parameters out of range.
 */
export async function decryptPrivateKey(encrypted: string | Uint8Array, passphrase: string): Promise<KeyObject> {
  if (typeof passphrase !== 'string') throw new PkiError(PkiErrorCode.InvalidArgument, 'the passphrase must be a string');
  const der = encryptedDer(encrypted);
  let box: Pbes2 | null;
  try {
    box = readPbes2(der);
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw malformed(`not an encrypted PKCS#8 private key: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (box === null) return openWithOpenSsl(der, passphrase);

  const pass = Buffer.from(passphrase, 'utf8');
  const keyLength = box.kdf.keyLength ?? box.keyLength;
  if (keyLength !== box.keyLength) throw malformed('KDF key length does not match the cipher');
  const k =
    box.kdf.kind === 'pbkdf2'
      ? await pbkdf2(pass, box.kdf.salt, box.kdf.iterations, keyLength, box.kdf.prf)
      : await scrypt(pass, box.kdf.salt, keyLength, { N: box.kdf.N, r: box.kdf.r, p: box.kdf.p, maxmem: MAX_SCRYPT_MEMORY + 1024 * 1024 });
  let plain: Buffer;
  try {
    const decipher = createDecipheriv(box.cipher, k, box.iv);
    plain = Buffer.concat([decipher.update(box.data), decipher.final()]);
  } catch (err) {
    throw new PkiError(PkiErrorCode.WrongPassphrase, 'wrong passphrase', { cause: err });
  } finally {
    k.fill(0);
  }
  try {
    // CBC padding passes by chance about once in 256 wrong passphrases; PKCS#8 parsing catches those.
    return createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new PkiError(PkiErrorCode.WrongPassphrase, 'wrong passphrase', { cause: err });
  } finally {
    plain.fill(0);
  }
}

function encryptedDer(input: string | Uint8Array): Buffer {
  if (typeof input === 'string' || (input instanceof Uint8Array && looksLikePem(input))) {
    const text = typeof input === 'string' ? input : asBuffer(input).toString('latin1');
    const blocks = parsePem(text);
    const block = blocks.find((b) => b === null || b.label === 'ENCRYPTED PRIVATE KEY');
    if (block === undefined) {
      if (blocks.some((b) => b && /PRIVATE KEY$/.test(b.label)))
        throw malformed('the private key is not encrypted (PKCS#8 ENCRYPTED PRIVATE KEY expected)');
      throw malformed('no PEM ENCRYPTED PRIVATE KEY block found');
    }
    if (block === null) throw malformed('PEM block is not valid base64');
    return block.der;
  }
  if (!(input instanceof Uint8Array) || input.length === 0) throw malformed('empty input');
  return Buffer.from(input);
}

/** EncryptedPrivateKeyInfo with PBES2 → parameters; null for another (PBES1/PKCS#12) scheme. */
function readPbes2(der: Buffer): Pbes2 | null {
  const root = readRoot(der);
  const [algT, dataT, extra] = children(der, root);
  if (!algT || !dataT || extra) throw new DerError('EncryptedPrivateKeyInfo must have two fields');
  const [schemeT, paramsT] = children(der, expectTag(algT, TAG.SEQUENCE, 'encryptionAlgorithm'));
  const data = contentOf(der, expectTag(dataT, TAG.OCTET_STRING, 'encryptedData'));
  if (decodeOid(der, schemeT!) !== OID.pbes2) return null;
  const [kdfT, encT] = children(der, expectTag(paramsT, TAG.SEQUENCE, 'PBES2-params'));
  const [kdfOidT, kdfParamsT] = children(der, expectTag(kdfT, TAG.SEQUENCE, 'keyDerivationFunc'));
  const kdfOid = decodeOid(der, kdfOidT!);
  const kp = children(der, expectTag(kdfParamsT, TAG.SEQUENCE, 'KDF parameters'));
  let kdf: Kdf;
  if (kdfOid === OID.pbkdf2) {
    const salt = contentOf(der, expectTag(kp[0], TAG.OCTET_STRING, 'PBKDF2 salt'));
    const iterations = decodeSmallInteger(der, expectTag(kp[1], TAG.INTEGER, 'iterationCount'));
    let i = 2;
    let keyLength: number | undefined;
    if (kp[i]?.tag === TAG.INTEGER) keyLength = decodeSmallInteger(der, kp[i++]!);
    let prf: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha1';
    if (kp[i]) {
      const prfOid = decodeOid(der, children(der, expectTag(kp[i], TAG.SEQUENCE, 'prf'))[0]!);
      const p = PRF[prfOid];
      if (!p) throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, `unsupported PBKDF2 PRF ${prfOid}`);
      prf = p;
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) throw malformed(`PBKDF2 iteration count ${iterations} out of range`);
    kdf = { kind: 'pbkdf2', salt, iterations, prf, ...(keyLength !== undefined ? { keyLength } : {}) };
  } else if (kdfOid === OID.scrypt) {
    const salt = contentOf(der, expectTag(kp[0], TAG.OCTET_STRING, 'scrypt salt'));
    const N = decodeSmallInteger(der, expectTag(kp[1], TAG.INTEGER, 'costParameter'));
    const r = decodeSmallInteger(der, expectTag(kp[2], TAG.INTEGER, 'blockSize'));
    const p = decodeSmallInteger(der, expectTag(kp[3], TAG.INTEGER, 'parallelizationParameter'));
    const keyLength = kp[4] ? decodeSmallInteger(der, expectTag(kp[4], TAG.INTEGER, 'keyLength')) : undefined;
    if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || 128 * N * r > MAX_SCRYPT_MEMORY || p > 16)
      throw malformed('scrypt parameters out of range');
    kdf = { kind: 'scrypt', salt, N, r, p, ...(keyLength !== undefined ? { keyLength } : {}) };
  } else {
    throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, `unsupported key derivation ${kdfOid}`);
  }
  const [encOidT, ivT] = children(der, expectTag(encT, TAG.SEQUENCE, 'encryptionScheme'));
  const encOid = decodeOid(der, encOidT!);
  const cipher = CIPHERS[encOid];
  if (!cipher) throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, `unsupported key encryption cipher ${encOid}`);
  const iv = contentOf(der, expectTag(ivT, TAG.OCTET_STRING, 'IV'));
  if (iv.length !== cipher.ivLength) throw new DerError('IV of the wrong length');
  if (data.length === 0 || data.length % cipher.ivLength !== 0) throw new DerError('encrypted data is not a whole number of blocks');
  return { kdf, cipher: cipher.name, keyLength: cipher.keyLength, iv, data };
}

/** Legacy PBES1 / PKCS#12 PBE schemes: let OpenSSL decide (synchronous, but such keys are rare and cheap). */
function openWithOpenSsl(der: Buffer, passphrase: string): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase });
  } catch (err) {
    const msg = err instanceof Error ? err.message : '';
    if (/bad decrypt|wrong|passphrase|decrypt/i.test(msg))
      throw new PkiError(PkiErrorCode.WrongPassphrase, 'wrong passphrase', { cause: err });
    throw malformed('cannot open the private key', err);
  }
}
