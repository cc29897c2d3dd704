/** Why a PKI operation refused its input. The certificates module maps these to its own codes. */
export enum PkiErrorCode {
  /** A caller-supplied value is out of range or of the wrong shape (a programming error, mostly). */
  InvalidArgument = 'INVALID_ARGUMENT',
  /** Bytes that should be an X.509 certificate are not one (garbage, truncated, not DER or PEM). */
  MalformedCertificate = 'MALFORMED_CERTIFICATE',
  /** Bytes that should be a PKCS#10 request are not one. */
  MalformedCsr = 'MALFORMED_CSR',
  /** The PKCS#10 request is well formed but its self-signature does not verify (no proof of possession). */
  BadCsrSignature = 'BAD_CSR_SIGNATURE',
  /** An RSA key under 2048 bits, or with a weak public exponent. */
  WeakKey = 'WEAK_KEY',
  /** A key type we do not certify (only EC P-256 and RSA ≥ 2048 are). */
  UnsupportedKey = 'UNSUPPORTED_KEY',
  /** A signature, digest, KDF or cipher algorithm we do not accept (including SHA-1 signatures on requests). */
  UnsupportedAlgorithm = 'UNSUPPORTED_ALGORITHM',
  /** An encrypted private key whose container cannot be read (not PKCS#8 EncryptedPrivateKeyInfo, absurd KDF parameters). */
  MalformedKey = 'MALFORMED_KEY',
  /** The passphrase does not open the private key. */
  WrongPassphrase = 'WRONG_PASSPHRASE',
  /** The private key does not belong to the certificate it was given with. */
  KeyMismatch = 'KEY_MISMATCH',
  /** The certificate given as an issuer is not a CA certificate. */
  NotACa = 'NOT_A_CA',
  /** notBefore/notAfter that make no sense, or outlive the issuer. */
  InvalidValidity = 'INVALID_VALIDITY',
  /** Bytes that should be an OCSP request are not one. */
  MalformedOcspRequest = 'MALFORMED_OCSP_REQUEST',
}

/** The one exception of the PKI core. `code` is stable; `message` is for logs (English, technical). */
export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PkiError';
  }
}

export function isPkiError(err: unknown, code?: PkiErrorCode): err is PkiError {
  return err instanceof PkiError && (code === undefined || err.code === code);
}
