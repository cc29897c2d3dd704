import { createHash } from 'node:crypto';
import { der, derAlgorithm, derContext, derInteger, derOctetString, derOid, derSequence, derSetOf } from './asn1.util.js';
import { ECDSA_SIGNATURE_OID, HASH_OID, OID, RSA_SIGNATURE_OID, type HashName } from './cms.oids.js';
import type { CertificateFields } from './x509.util.js';

export type SignerKeyFamily = 'rsa' | 'ecdsa';

export interface SignedAttributesInput {
  /** Digest of the signed byte ranges, computed with `hash`. */
  contentDigest: Uint8Array;
  hash: HashName;
  signer: CertificateFields;
}

/**
 * The signed attributes of a PAdES baseline B-B signature, DER-encoded as the SET OF that is signed:
 * content-type, message-digest and ESS signing-certificate-v2. No signing-time: PAdES forbids it
 * (ETSI EN 319 142-1 5.2.1), the claimed time goes in the signature dictionary's /M.
 */
export function buildSignedAttributes({ contentDigest, hash, signer }: SignedAttributesInput): Uint8Array {
  const attribute = (oid: string, value: Uint8Array) => derSequence(derOid(oid), derSetOf([value]));
  // ESSCertIDv2: hashAlgorithm is DEFAULT sha256, so DER leaves it out for SHA-256.
  const essCertId = derSequence(
    ...(hash === 'sha256' ? [] : [derAlgorithm(HASH_OID[hash])]),
    derOctetString(createHash(hash).update(signer.der).digest()),
    derSequence(
      derSequence(derContext(4, signer.issuer)), // GeneralNames { directoryName [4] Name }
      der(0x02, signer.serial),
    ),
  );
  return derSetOf([
    attribute(OID.contentType, derOid(OID.data)),
    attribute(OID.messageDigest, derOctetString(contentDigest)),
    attribute(OID.signingCertificateV2, derSequence(derSequence(essCertId))),
  ]);
}

export interface SignedDataInput {
  /** The DER SET produced by buildSignedAttributes (tag 0x31); it is stored as [0] IMPLICIT. */
  signedAttributes: Uint8Array;
  signature: Uint8Array;
  hash: HashName;
  family: SignerKeyFamily;
  signer: CertificateFields;
  /** Further certificates to carry (issuing CA, root), DER. */
  chain: Uint8Array[];
}

/** ContentInfo { signedData } with detached content (no eContent), signer first among the certificates. */
export function buildSignedData(input: SignedDataInput): Uint8Array {
  const { signedAttributes, signature, hash, family, signer, chain } = input;
  const sigAlgOid = family === 'rsa' ? RSA_SIGNATURE_OID[hash] : ECDSA_SIGNATURE_OID[hash];
  if (!sigAlgOid) throw new Error(`no ${family} signature algorithm for ${hash}`);
  // [0] IMPLICIT SET OF Attribute: the same contents under the context tag.
  const implicitAttrs = Uint8Array.from(signedAttributes);
  implicitAttrs[0] = 0xa0;
  const signerInfo = derSequence(
    derInteger(1),
    derSequence(signer.issuer, der(0x02, signer.serial)), // IssuerAndSerialNumber
    derAlgorithm(HASH_OID[hash]),
    implicitAttrs,
    derAlgorithm(sigAlgOid, family === 'rsa'),
    derOctetString(signature),
  );
  const seen = new Set<string>();
  const certificates = [signer.der, ...chain].filter((c) => {
    const key = Buffer.from(c).toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const signedData = derSequence(
    derInteger(1),
    derSetOf([derAlgorithm(HASH_OID[hash])]),
    derSequence(derOid(OID.data)),
    derContext(0, ...certificates),
    derSetOf([signerInfo]),
  );
  return derSequence(derOid(OID.signedData), derContext(0, signedData));
}
