import { readTlv, raw } from './asn1.util.js';
import { checkCms, type ContentBinding } from './cms.verifier.js';
import { PdfError, PdfErrorCode } from './pdf.exception.js';
import { PDF_LIMITS } from './pdf.limits.js';
import { PdfFile } from './pdf-file.js';
import { PdfDict, PdfString, isName, type PdfObject } from './pdf-syntax.js';
import { decodeTextString, parsePdfDate } from './pdf-text.util.js';

export interface PdfSignatureInfo {
  /** Fully qualified name of the signature field. */
  fieldName: string;
  /** e.g. ETSI.CAdES.detached, adbe.pkcs7.detached, ETSI.RFC3161 ('' when missing). */
  subFilter: string;
  /** Signer certificate, DER; EMPTY when the CMS or the signer's certificate could not be read. */
  signerCertificate: Uint8Array;
  /** Every certificate the CMS carries, DER (signer included). */
  certificates: Uint8Array[];
  /** The CMS signing-time (or time-stamp genTime) if present, else /M. Claimed by the signer, not proven. */
  signingTime?: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** /Name of the signature dictionary. */
  name?: string;
  byteRange: number[];
  /** The signed ranges reach the end of the file; false: bytes were added after this signature. */
  coversWholeDocument: boolean;
  /** The signed ranges are what the CMS signed, and they are laid out soundly (the one gap is this /Contents). */
  digestMatches: boolean;
  /** The CMS signature value verifies with the signer certificate's key. */
  signatureValid: boolean;
  /** ESS signing-certificate(-v2) names the signer certificate; undefined when the attribute is absent. */
  essCertMatches?: boolean;
  digestAlgorithm?: string;
  /** What was found wrong or unusual, for logs and support (English). Empty when all is well. */
  problems: string[];
}

export interface PdfVerificationResult {
  /** In signing order (by where each signed revision ends). */
  signatures: PdfSignatureInfo[];
}

const BINDINGS: Record<string, ContentBinding> = {
  'adbe.pkcs7.detached': 'detached',
  'ETSI.CAdES.detached': 'detached',
  'adbe.pkcs7.sha1': 'sha1-digest',
  'ETSI.RFC3161': 'timestamp',
};

/**
 * Reads every signature field of a PDF and checks each signature's integrity: the signed byte ranges,
 * the CMS signature, the ESS certificate binding. It does NOT judge trust (chain to an anchor,
 * validity period, revocation): it hands back the certificates for the caller who knows the CAs.
 */
export async function verifyPdfSignatures(pdf: Uint8Array): Promise<PdfVerificationResult> {
  return Promise.resolve().then(() => verifyNow(pdf));
}

function verifyNow(pdf: Uint8Array): PdfVerificationResult {
  const file = PdfFile.parse(pdf);
  if (file.isEncrypted) throw new PdfError(PdfErrorCode.Encrypted);
  file.catalog(); // a PDF without a catalog is damaged, not unsigned

  const signatures: PdfSignatureInfo[] = [];
  const seen = new Set<PdfObject>();
  for (const field of file.fields()) {
    if (field.type !== 'Sig' || field.value === undefined || field.value === null) continue;
    const sigDict = file.resolveDict(field.value);
    if (!sigDict || seen.has(sigDict)) continue;
    seen.add(sigDict);
    if (signatures.length >= PDF_LIMITS.maxSignatures) {
      signatures.push(unchecked(field.fullName, sigDict, file, `more than ${PDF_LIMITS.maxSignatures} signatures; not checked`));
      continue;
    }
    signatures.push(checkSignature(file, field.fullName, sigDict));
  }
  const endOf = (s: PdfSignatureInfo) => (s.byteRange.length === 4 ? s.byteRange[2] + s.byteRange[3] : Number.MAX_SAFE_INTEGER);
  signatures.sort((a, b) => endOf(a) - endOf(b));
  return { signatures };
}

function text(file: PdfFile, dict: PdfDict, key: string): string | undefined {
  const v = file.resolve(dict.get(key));
  return v instanceof PdfString ? decodeTextString(v) : undefined;
}

function unchecked(fieldName: string, sig: PdfDict, file: PdfFile, problem: string): PdfSignatureInfo {
  const subFilter = file.resolve(sig.get('SubFilter'));
  const m = text(file, sig, 'M');
  return {
    fieldName,
    subFilter: isName(subFilter) ? subFilter.name : '',
    signerCertificate: new Uint8Array(0),
    certificates: [],
    signingTime: m ? parsePdfDate(m) : undefined,
    reason: text(file, sig, 'Reason'),
    location: text(file, sig, 'Location'),
    contactInfo: text(file, sig, 'ContactInfo'),
    name: text(file, sig, 'Name'),
    byteRange: [],
    coversWholeDocument: false,
    digestMatches: false,
    signatureValid: false,
    problems: [problem],
  };
}

function checkSignature(file: PdfFile, fieldName: string, sig: PdfDict): PdfSignatureInfo {
  const info = unchecked(fieldName, sig, file, '');
  info.problems = [];
  const problems = info.problems;
  const size = file.bytes.length;

  // /ByteRange: [0 a b c], the one gap being exactly this dictionary's /Contents string.
  const br = file.resolve(sig.get('ByteRange'));
  let layoutOk = false;
  if (Array.isArray(br) && br.every((n): n is number => typeof n === 'number')) info.byteRange = br.slice(0, 16);
  if (
    Array.isArray(br) &&
    br.length === 4 &&
    br.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= size) &&
    br[0] === 0 &&
    (br[1] as number) <= (br[2] as number) &&
    (br[2] as number) + (br[3] as number) <= size
  ) {
    layoutOk = true;
    const [, a, b, c] = br as number[];
    info.coversWholeDocument = b + c === size;
    const span = sig.spans?.get('Contents');
    if (!span) {
      problems.push('signature dictionary is not a plain object in the file (e.g. inside an object stream)');
      layoutOk = false;
    } else if (span[0] !== a || span[1] !== b) {
      problems.push("the ByteRange gap is not this signature's /Contents");
      layoutOk = false;
    }
  } else problems.push('ByteRange missing or malformed (expected [0 a b c] within the file)');

  const contents = file.resolve(sig.get('Contents'));
  if (!(contents instanceof PdfString) || contents.bytes.length === 0) {
    problems.push('/Contents missing');
    return info;
  }
  if (!contents.hex) problems.push('/Contents is not a hexadecimal string');

  let cms: Uint8Array;
  try {
    cms = raw(readTlv(contents.bytes, 0, Math.min(contents.bytes.length, PDF_LIMITS.maxCmsBytes)));
  } catch (e) {
    problems.push(`CMS unreadable or larger than ${PDF_LIMITS.maxCmsBytes} bytes: ${(e as Error).message}`);
    return info;
  }

  const binding = Object.hasOwn(BINDINGS, info.subFilter) ? BINDINGS[info.subFilter] : undefined;
  if (!binding) {
    problems.push(`unsupported SubFilter ${info.subFilter || '(none)'}`);
    return info;
  }
  const ranges = layoutOk
    ? [file.bytes.subarray(0, info.byteRange[1]), file.bytes.subarray(info.byteRange[2], info.byteRange[2] + info.byteRange[3])]
    : [];
  const result = checkCms(cms, ranges, binding);
  problems.push(...result.problems);
  info.certificates = result.certificates;
  if (result.signer) info.signerCertificate = result.signer.der;
  info.digestAlgorithm = result.digestAlgorithm;
  info.digestMatches = layoutOk && result.contentMatches;
  info.signatureValid = result.signatureValid;
  info.essCertMatches = result.essCertMatches;
  if (result.signingTime) info.signingTime = result.signingTime;
  return info;
}
