import { type KeyObject, constants, createHash, createPublicKey, generateKeyPair as generateKeyPairCb, sign, verify } from 'node:crypto';
import { promisify } from 'node:util';
import {
  type Tlv,
  DER_NULL,
  DerError,
  TAG,
  algorithmIdentifier,
  bitStringBytes,
  children,
  decodeOid,
  decodeSmallInteger,
  expectTag,
  readRoot,
} from './der.util.js';
import { OID } from './pki.constants.js';
import { PkiError, PkiErrorCode } from './pki.exception.js';

/** The key types the platform generates (and certifies). */
export type KeyAlgorithm = 'ecdsa-p256' | 'rsa-2048' | 'rsa-3072';
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ecdsa-p256', 'rsa-2048', 'rsa-3072'];

export interface KeyPair {
  algorithm: KeyAlgorithm;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const generate = promisify(generateKeyPairCb);

/** A fresh key pair (generated off the event loop). */
export async function generateKeyPair(algorithm: KeyAlgorithm): Promise<KeyPair> {
  switch (algorithm) {
    case 'ecdsa-p256': {
      const { publicKey, privateKey } = await generate('ec', { namedCurve: 'P-256' });
      return { algorithm, publicKey, privateKey };
    }
    case 'rsa-2048':
    case 'rsa-3072': {
      const { publicKey, privateKey } = await generate('rsa', {
        modulusLength: algorithm === 'rsa-2048' ? 2048 : 3072,
        publicExponent: 0x10001,
      });
      return { algorithm, publicKey, privateKey };
    }
    default:
      throw new PkiError(PkiErrorCode.InvalidArgument, `unknown key algorithm ${JSON.stringify(algorithm as string)}`);
  }
}

/** What a public key is, for display and policy. */
export interface PublicKeyDescription {
  /** node's asymmetricKeyType: 'ec', 'rsa', 'rsa-pss', 'ed25519', … */
  type: string;
  /** Modulus bits for RSA, field bits for EC, 0 when unknown. */
  bits: number;
  /** 'P-256', 'P-384', … for EC keys. */
  curve?: string;
  /** Set when the key is one of the platform's own algorithms. */
  algorithm?: KeyAlgorithm;
  /** Human label: "EC P-256", "RSA 2048". */
  label: string;
}

const CURVES: Record<string, { name: string; bits: number }> = {
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
  secp256k1: { name: 'secp256k1', bits: 256 },
};

export function describePublicKey(key: KeyObject): PublicKeyDescription {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    const algorithm = type === 'rsa' && (bits === 2048 || bits === 3072) ? (`rsa-${bits}` as KeyAlgorithm) : undefined;
    return { type, bits, label: `${type === 'rsa' ? 'RSA' : 'RSA-PSS'} ${bits}`, ...(algorithm ? { algorithm } : {}) };
  }
  if (type === 'ec') {
    const curve = CURVES[details.namedCurve ?? ''] ?? { name: details.namedCurve ?? 'unknown', bits: 0 };
    return {
      type,
      bits: curve.bits,
      curve: curve.name,
      label: `EC ${curve.name}`,
      ...(curve.name === 'P-256' ? { algorithm: 'ecdsa-p256' as const } : {}),
    };
  }
  return { type, bits: 0, label: type.toUpperCase() };
}

/**
 * The policy for keys we certify or accept in requests: EC P-256, or RSA of at least `minRsaBits`
 * with an odd public exponent of at least 65537 (small exponents are a known foot-gun).
 */
export function assertAcceptableKey(key: KeyObject, minRsaBits = 2048): PublicKeyDescription {
  const d = describePublicKey(key);
  if (d.type === 'rsa') {
    const e = key.asymmetricKeyDetails?.publicExponent ?? 0n;
    if (d.bits < minRsaBits) throw new PkiError(PkiErrorCode.WeakKey, `RSA key of ${d.bits} bits is too weak (minimum ${minRsaBits})`);
    if (e < 65537n || e % 2n === 0n) throw new PkiError(PkiErrorCode.WeakKey, `RSA public exponent ${e} is not acceptable`);
    if (d.bits > 8192) throw new PkiError(PkiErrorCode.UnsupportedKey, `RSA key of ${d.bits} bits is larger than we accept`);
    return d;
  }
  if (d.type === 'ec' && d.curve === 'P-256') return d;
  throw new PkiError(PkiErrorCode.UnsupportedKey, `key type ${d.label} is not accepted (EC P-256 or RSA ≥ ${minRsaBits})`);
}

/** SubjectPublicKeyInfo DER of a public (or private) key. */
export function spkiOf(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/** The subjectPublicKey BIT STRING contents of an SPKI (what key identifiers and OCSP key hashes cover). */
export function subjectPublicKeyBits(spki: Buffer): Buffer {
  const root = readRoot(spki);
  const [, bits] = children(spki, root);
  return bitStringBytes(spki, expectTag(bits, TAG.BIT_STRING, 'subjectPublicKey')).bytes;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Buffer): Buffer {
  return createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
}

export interface SignatureAlgorithm {
  /** DER AlgorithmIdentifier to put in the signed structure. */
  algorithmIdentifier: Buffer;
  /** node digest name. */
  hash: 'sha256' | 'sha384' | 'sha512';
  name: string;
}

const ECDSA_P256: SignatureAlgorithm = {
  algorithmIdentifier: algorithmIdentifier(OID.ecdsaWithSha256),
  hash: 'sha256',
  name: 'ecdsa-with-SHA256',
};
const ECDSA_P384: SignatureAlgorithm = {
  algorithmIdentifier: algorithmIdentifier(OID.ecdsaWithSha384),
  hash: 'sha384',
  name: 'ecdsa-with-SHA384',
};
const RSA_SHA256: SignatureAlgorithm = {
  algorithmIdentifier: algorithmIdentifier(OID.sha256WithRSAEncryption, DER_NULL),
  hash: 'sha256',
  name: 'sha256WithRSAEncryption',
};

/** ecdsa-with-SHA256 for P-256 (SHA-384 for a P-384 key), sha256WithRSAEncryption for RSA. */
export function signatureAlgorithmFor(privateKey: KeyObject): SignatureAlgorithm {
  if (privateKey.type !== 'private') throw new PkiError(PkiErrorCode.InvalidArgument, 'a private key is needed to sign');
  const type = privateKey.asymmetricKeyType;
  if (type === 'rsa') return RSA_SHA256;
  if (type === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return ECDSA_P256;
    if (curve === 'secp384r1') return ECDSA_P384;
  }
  throw new PkiError(PkiErrorCode.UnsupportedKey, `cannot sign with a ${describePublicKey(privateKey).label} key`);
}

/** Signs `data` with the algorithm `signatureAlgorithmFor` picks (ECDSA signatures DER-encoded, as X.509 wants). */
export function signWith(privateKey: KeyObject, alg: SignatureAlgorithm, data: Uint8Array): Buffer {
  return sign(alg.hash, data, privateKey);
}

/**
 * The same on libuv's thread pool: the event loop keeps serving (parsing, HTTP) while OpenSSL
 * signs, which on a multi-core machine is most of an OCSP responder's throughput, and keeps a
 * large CRL's hashing off the loop.
 */
export function signWithAsync(privateKey: KeyObject, alg: SignatureAlgorithm, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sign(alg.hash, data, privateKey, (err, signature) => (err ? reject(err) : resolve(signature)));
  });
}

type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';
const RSA_PKCS1: Record<string, Hash> = {
  [OID.sha1WithRSAEncryption]: 'sha1',
  [OID.sha256WithRSAEncryption]: 'sha256',
  [OID.sha384WithRSAEncryption]: 'sha384',
  [OID.sha512WithRSAEncryption]: 'sha512',
};
const ECDSA: Record<string, Hash> = {
  [OID.ecdsaWithSha1]: 'sha1',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
};
const DIGESTS: Record<string, Hash> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
const HASH_LENGTH: Record<Hash, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** A parsed signature AlgorithmIdentifier: how to verify, and its display name. */
export interface SignatureScheme {
  name: string;
  hash: Hash | null;
  kind: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ed25519';
  saltLength?: number;
}

/** Reads a signature AlgorithmIdentifier. Unknown algorithms give UNSUPPORTED_ALGORITHM. */
export function signatureSchemeOf(buf: Buffer, algId: Tlv): SignatureScheme {
  expectTag(algId, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const [oidT, params] = children(buf, algId);
  const id = decodeOid(buf, expectTag(oidT, TAG.OID, 'algorithm'));
  const rsa = RSA_PKCS1[id];
  if (rsa) return { name: `${rsa}WithRSAEncryption`, hash: rsa, kind: 'rsa' };
  const ec = ECDSA[id];
  if (ec) return { name: `ecdsa-with-${ec.toUpperCase()}`, hash: ec, kind: 'ecdsa' };
  if (id === OID.ed25519) return { name: 'Ed25519', hash: null, kind: 'ed25519' };
  if (id === OID.rsassaPss) {
    if (!params) throw new DerError('RSASSA-PSS without parameters');
    return pssScheme(buf, params);
  }
  throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, `unsupported signature algorithm ${id}`);
}

/** RSASSA-PSS-params; only the common shape (MGF1 with the same hash, trailer 1). SHA-1 default is refused. */
function pssScheme(buf: Buffer, params: Tlv): SignatureScheme {
  expectTag(params, TAG.SEQUENCE, 'RSASSA-PSS-params');
  let hash: Hash = 'sha1';
  let mgfHash: Hash = 'sha1';
  let saltLength = 20;
  for (const f of children(buf, params)) {
    const [inner] = children(buf, f);
    if (!inner) throw new DerError('empty PSS parameter');
    if (f.tag === 0xa0) {
      const h = DIGESTS[decodeOid(buf, children(buf, inner)[0]!)];
      if (!h) throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'unsupported PSS hash');
      hash = h;
    } else if (f.tag === 0xa1) {
      const [mgfOid, mgfParams] = children(buf, inner);
      if (decodeOid(buf, mgfOid!) !== OID.mgf1 || !mgfParams)
        throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'unsupported PSS mask generation');
      const h = DIGESTS[decodeOid(buf, children(buf, mgfParams)[0]!)];
      if (!h) throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'unsupported MGF1 hash');
      mgfHash = h;
    } else if (f.tag === 0xa2) {
      saltLength = decodeSmallInteger(buf, inner);
    } else if (f.tag === 0xa3) {
      if (decodeSmallInteger(buf, inner) !== 1) throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'unsupported PSS trailer field');
    } else {
      throw new DerError('unexpected PSS parameter');
    }
  }
  if (hash !== mgfHash)
    throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'PSS with different message and MGF1 hashes is not supported');
  if (saltLength > HASH_LENGTH[hash] * 2) throw new PkiError(PkiErrorCode.UnsupportedAlgorithm, 'unusual PSS salt length');
  return { name: `RSASSA-PSS/${hash}`, hash, kind: 'rsa-pss', saltLength };
}

/** Verifies a signature; false for a mismatch or a key of the wrong type, never a throw. */
export function verifySignature(scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array, publicKey: KeyObject): boolean {
  try {
    const keyType = publicKey.asymmetricKeyType;
    switch (scheme.kind) {
      case 'rsa':
        return keyType === 'rsa' && verify(scheme.hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        return (
          (keyType === 'rsa' || keyType === 'rsa-pss') &&
          verify(
            scheme.hash,
            data,
            { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength ?? 20 },
            signature,
          )
        );
      case 'ecdsa':
        return keyType === 'ec' && verify(scheme.hash, data, { key: publicKey, dsaEncoding: 'der' }, signature);
      case 'ed25519':
        return keyType === 'ed25519' && verify(null, data, publicKey, signature);
    }
  } catch {
    return false;
  }
}
