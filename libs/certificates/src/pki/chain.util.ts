import { type CertificateInfo, type CertificateInput, parseCertificate, rawOf } from './certificate.util.js';
import { UNDERSTOOD_CRITICAL } from './extension.util.js';
import { verifySignature } from './key.util.js';
import { PkiError } from './pki.exception.js';

export type ChainFailureReason =
  | 'MALFORMED'
  | 'UNKNOWN_ISSUER'
  | 'SIGNATURE_MISMATCH'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'NOT_A_CA'
  | 'PATH_LENGTH_EXCEEDED'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_CRITICAL_EXTENSION';

export type ChainResult =
  /** `chain` runs from the leaf to the trust anchor. */
  | { ok: true; chain: CertificateInfo[] }
  /** `message` is for people (Indonesian, then English); `subject` names the certificate at fault. */
  | { ok: false; reason: ChainFailureReason; message: string; subject?: string };

export interface VerifyChainOptions {
  leaf: CertificateInput | CertificateInfo;
  /** Untrusted certificates that may complete the path (unreadable ones are ignored). */
  intermediates?: ReadonlyArray<CertificateInput | CertificateInfo>;
  /** Trust anchors. */
  roots: ReadonlyArray<CertificateInput | CertificateInfo>;
  /** Validation time; default now. */
  at?: Date;
}

const MAX_DEPTH = 8;

const MESSAGES: Record<ChainFailureReason, string> = {
  MALFORMED: 'sertifikat tidak dapat dibaca (malformed certificate)',
  UNKNOWN_ISSUER: 'penerbit sertifikat tidak dikenal atau tidak dipercaya (unknown or untrusted issuer)',
  SIGNATURE_MISMATCH: 'tanda tangan sertifikat tidak cocok dengan kunci penerbit (signature does not verify)',
  EXPIRED: 'sertifikat sudah kedaluwarsa (certificate expired)',
  NOT_YET_VALID: 'sertifikat belum berlaku (certificate not yet valid)',
  NOT_A_CA: 'penerbit bukan sertifikat CA (issuer is not a CA)',
  PATH_LENGTH_EXCEEDED: 'rantai melebihi batas panjang jalur CA (path length constraint exceeded)',
  UNSUPPORTED_ALGORITHM: 'algoritme tanda tangan tidak didukung (unsupported signature algorithm)',
  UNSUPPORTED_CRITICAL_EXTENSION: 'sertifikat memuat ekstensi kritis yang tidak dikenal (unrecognised critical extension)',
};

function fail(reason: ChainFailureReason, cert?: CertificateInfo): ChainResult {
  return cert
    ? { ok: false, reason, message: `${MESSAGES[reason]}: ${cert.subject}`, subject: cert.subject }
    : { ok: false, reason, message: MESSAGES[reason] };
}

function tryParse(x: CertificateInput | CertificateInfo): CertificateInfo | null {
  try {
    return parseCertificate(x);
  } catch (err) {
    if (err instanceof PkiError) return null;
    throw err;
  }
}

/**
 * RFC 5280 path validation, the parts that matter here: builds a path from the leaf through the
 * intermediates to one of the roots (issuer name bytes equal, key identifiers equal when both are
 * present), checks every signature, every validity period at `at` (the anchor's too, as OpenSSL
 * does), CA flags, keyCertSign, path length constraints and unknown critical extensions. Names
 * are compared as DER bytes (our CA and national CAs encode them consistently); policy processing,
 * name constraints (refused as an unknown critical extension) and revocation are not done here.
 * When several paths fail, the most specific failure is reported.
 */
export function verifyChain(options: VerifyChainOptions): ChainResult {
  const leaf = tryParse(options.leaf);
  if (!leaf) return fail('MALFORMED');
  const at = options.at ?? new Date();
  const roots = options.roots.map(tryParse).filter((c): c is CertificateInfo => c !== null);
  const intermediates = (options.intermediates ?? []).map(tryParse).filter((c): c is CertificateInfo => c !== null);
  const rootDers = new Set(roots.map((r) => r.fingerprintSha256));
  let best: ChainResult | null = null;
  const note = (r: ChainResult) => {
    if (!best || (!best.ok && best.reason === 'UNKNOWN_ISSUER' && !r.ok && r.reason !== 'UNKNOWN_ISSUER')) best = r;
  };

  const extend = (path: CertificateInfo[]): ChainResult | null => {
    const current = path[path.length - 1]!;
    if (rootDers.has(current.fingerprintSha256)) {
      const r = validatePath(path, at);
      if (r.ok) return r;
      note(r);
      return null;
    }
    if (path.length > MAX_DEPTH) {
      note(fail('PATH_LENGTH_EXCEEDED', current));
      return null;
    }
    const raw = rawOf(current);
    const candidates = [...roots, ...intermediates].filter((c) => {
      if (path.some((p) => p.fingerprintSha256 === c.fingerprintSha256)) return false;
      if (!rawOf(c).subjectName.equals(raw.issuerName)) return false;
      return !(current.authorityKeyIdentifier && c.subjectKeyIdentifier && current.authorityKeyIdentifier !== c.subjectKeyIdentifier);
    });
    if (candidates.length === 0) {
      note(fail('UNKNOWN_ISSUER', current));
      return null;
    }
    for (const issuer of candidates) {
      if (!raw.scheme) {
        note(fail('UNSUPPORTED_ALGORITHM', current));
        return null;
      }
      if (
        !raw.outerAlgorithm.equals(raw.innerAlgorithm) ||
        !issuer.publicKey ||
        !verifySignature(raw.scheme, raw.tbs, raw.signature, issuer.publicKey)
      ) {
        note(fail('SIGNATURE_MISMATCH', current));
        continue;
      }
      const r = extend([...path, issuer]);
      if (r) return r;
    }
    return null;
  };

  const found = extend([leaf]);
  if (found) return found;
  return best ?? fail('UNKNOWN_ISSUER', leaf);
}

/** Checks a complete path [leaf, …, anchor] whose signatures are already verified. */
function validatePath(path: CertificateInfo[], at: Date): ChainResult {
  const t = at.getTime();
  for (const c of path) {
    if (t < c.notBefore.getTime()) return fail('NOT_YET_VALID', c);
    if (t > c.notAfter.getTime()) return fail('EXPIRED', c);
    if (rawOf(c).critical.some((o) => !UNDERSTOOD_CRITICAL.has(o))) return fail('UNSUPPORTED_CRITICAL_EXTENSION', c);
  }
  // Issuers: every certificate above the leaf. The anchor's own constraints count too (OpenSSL does the same).
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const raw = rawOf(ca);
    if (!ca.isCA || (raw.keyUsagePresent && !ca.keyUsage.includes('keyCertSign'))) return fail('NOT_A_CA', ca);
    // Intermediate CAs between this one and the leaf (self-issued ones do not count, RFC 5280 §6.1.4).
    const below = path.slice(1, i).filter((c) => !c.selfIssued).length;
    if (ca.pathLength !== undefined && below > ca.pathLength) return fail('PATH_LENGTH_EXCEEDED', ca);
  }
  return { ok: true, chain: path };
}
