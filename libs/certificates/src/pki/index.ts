/**
 * The PKI core of the certificates module: keys, a root + issuing CA, end-entity certificates,
 * encrypted private keys, PKCS#10, certificate parsing and path validation, CRLs and an OCSP
 * responder. Plain TypeScript over node:crypto with a hand-written DER layer; no Nest, no database.
 */
export { PkiError, PkiErrorCode, isPkiError } from './pki.exception.js';
export { EKU, KEY_USAGE_BITS, type KeyUsageName } from './pki.constants.js';
export { toPem } from './pem.util.js';
export {
  type KeyAlgorithm,
  KEY_ALGORITHMS,
  type KeyPair,
  type PublicKeyDescription,
  generateKeyPair,
  describePublicKey,
} from './key.util.js';
export type { DistinguishedName, NameFields, NameAttribute } from './name.util.js';
export { type CertificateProfile, type PolicyInput, DEFAULT_END_ENTITY_EKU } from './certificate-profile.js';
export {
  type CertificateIssuer,
  type IssuedCertificate,
  type SerialInput,
  type CreateRootCaOptions,
  type CreateIssuingCaOptions,
  type IssueCertificateOptions,
  type IssueOcspSignerOptions,
  createRootCa,
  createIssuingCa,
  issueCertificate,
  issueOcspSignerCertificate,
  randomSerial,
  normalizeSerial,
} from './ca.util.js';
export { type CertificateInfo, type CertificateInput, parseCertificate, parseCertificates } from './certificate.util.js';
export { type ChainResult, type ChainFailureReason, type VerifyChainOptions, verifyChain } from './chain.util.js';
export { type CsrInfo, type ParseCsrOptions, type CreateCsrOptions, parseCsr, createCsr } from './csr.util.js';
export { PRIVATE_KEY_PBKDF2_ITERATIONS, encryptPrivateKey, decryptPrivateKey } from './private-key-box.js';
export { CRL_REASONS, CRL_REASON_CODES, type CrlReason, type RevokedCertificate, type BuildCrlOptions, buildCrl } from './crl.builder.js';
export {
  type OcspResponseStatus,
  type OcspErrorStatus,
  type OcspHashAlgorithm,
  type OcspCertId,
  type OcspRequestInfo,
  type ParseOcspRequestOptions,
  type OcspCertStatus,
  type OcspLookup,
  type OcspResponderOptions,
  type OcspResponder,
  ocspErrorResponse,
  parseOcspRequest,
  createOcspResponder,
} from './ocsp.responder.js';
