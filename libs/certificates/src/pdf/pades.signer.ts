import { KeyObject, X509Certificate, constants, createHash, randomBytes, sign } from 'node:crypto';
import { buildSignedAttributes, buildSignedData, type SignerKeyFamily } from './cms.builder.js';
import type { HashName } from './cms.oids.js';
import { checkCms } from './cms.verifier.js';
import { PdfError, PdfErrorCode } from './pdf.exception.js';
import { PDF_LIMITS } from './pdf.limits.js';
import { PdfFile, type PageInfo } from './pdf-file.js';
import { PdfDict, PdfName, PdfRef, PdfString, isDict, isName, serialize, type PdfObject } from './pdf-syntax.js';
import { encodeTextString, formatPdfDate } from './pdf-text.util.js';
import { buildAppearance, type IndonesianTimeZone } from './signature-appearance.js';
import { readCertificate, type CertificateFields } from './x509.util.js';

/** Where a visible signature goes: 1-based page, box in PDF points from the page's lower-left corner. */
export interface VisibleSignatureBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SignPdfInput {
  pdf: Uint8Array;
  /** EC (P-256, P-384, P-521) or RSA (2048 bits or more). */
  privateKey: KeyObject;
  /** Signer certificate, DER. */
  certificate: Uint8Array;
  /** Issuing CA and root, DER; carried in the CMS so verifiers can build the path. */
  chain: Uint8Array[];
  /** Claimed signing time, written to /M (defaults to now). */
  signingTime?: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** Shown on the visible signature and written to /Name; defaults to the certificate's CN. */
  signerName?: string;
  /** Absent: an invisible signature (zero-size widget on page 1). */
  visible?: VisibleSignatureBox;
  /** Name of the new signature field; defaults to the first free "SignatureN". */
  fieldName?: string;
  /** Time zone the visible signature states the time in (default WIB). */
  timeZone?: IndonesianTimeZone;
}

interface SignerKey {
  family: SignerKeyFamily;
  hash: HashName;
  /** Longest signature value the key can produce (for sizing /Contents). */
  maxSignatureBytes: number;
}

/** Room left in /Contents beyond the computed CMS size (ECDSA length varies; spare for unsigned attributes). */
const CONTENTS_HEADROOM = 2048;
const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';
const MAX_TEXT = 500;

/**
 * Signs a PDF with a PAdES baseline B-B signature (ETSI EN 319 142-1): /SubFilter ETSI.CAdES.detached,
 * a detached CMS whose signed attributes are content-type, message-digest and signing-certificate-v2,
 * the time in /M. The signature is appended as an incremental update, so whatever the file already
 * holds (earlier signatures included) is left byte for byte as it was.
 */
export async function signPdf(input: SignPdfInput): Promise<Uint8Array> {
  return Promise.resolve().then(() => signPdfNow(input));
}

function signPdfNow(input: SignPdfInput): Uint8Array {
  const key = signerKeyOf(input.privateKey);
  const signer = readSignerCertificate(input.certificate, input.privateKey);
  const chain = readChain(input.chain);
  const signingTime = input.signingTime ?? new Date();
  if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime())) throw new PdfError(PdfErrorCode.InvalidOptions, 'signingTime');
  for (const [field, value] of Object.entries({
    reason: input.reason,
    location: input.location,
    contactInfo: input.contactInfo,
    signerName: input.signerName,
  })) {
    if (value !== undefined && (typeof value !== 'string' || value.length > MAX_TEXT))
      throw new PdfError(PdfErrorCode.InvalidOptions, `${field} (maks. ${MAX_TEXT} karakter)`);
  }

  const { file, original } = readForUpdate(input.pdf);
  const catalog = file.catalog();
  refuseIfCertifiedWithoutChanges(file, catalog);
  const pages = file.pages();
  if (pages.length === 0) throw new PdfError(PdfErrorCode.Malformed, 'dokumen tanpa halaman (no pages)');
  const pageNo = input.visible?.page ?? 1;
  if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > pages.length) {
    throw new PdfError(
      PdfErrorCode.PageOutOfRange,
      `halaman ${pageNo}, dokumen memiliki ${pages.length} halaman (page ${pageNo} of ${pages.length})`,
    );
  }
  const page = pages[pageNo - 1];
  const rect = input.visible ? widgetRect(page, input.visible) : [0, 0, 0, 0];
  const fieldName = chooseFieldName(file, input.fieldName);
  const signerName = (input.signerName ?? signer.commonName ?? '').trim() || 'Penanda tangan';

  // ---- objects of the update
  let next = file.maxObjectNumber + 1;
  const sigRef = new PdfRef(next++, 0);
  const widgetRef = new PdfRef(next++, 0);
  const apRef = new PdfRef(next++, 0);
  const changed = new Map<number, { gen: number; body: string }>();
  const put = (ref: PdfRef, body: string) => {
    if (changed.has(ref.num))
      throw new PdfError(PdfErrorCode.Malformed, `objek ${ref.num} dipakai ganda (object ${ref.num} shared in an unexpected way)`);
    changed.set(ref.num, { gen: ref.gen, body });
  };

  // AcroForm: add the field, set SignaturesExist | AppendOnly.
  const acroRaw = catalog.get('AcroForm');
  const acroIndirect = acroRaw instanceof PdfRef && isDict(file.resolve(acroRaw));
  const acroForm = acroIndirect ? (file.resolve(acroRaw) as PdfDict).clone() : isDict(acroRaw) ? acroRaw.clone() : new PdfDict();
  let acroChanged = !acroIndirect;
  const fieldsRaw = acroForm.get('Fields');
  const fieldsArray = file.resolve(fieldsRaw);
  if (fieldsRaw instanceof PdfRef && Array.isArray(fieldsArray)) put(fieldsRaw, serialize([...fieldsArray, widgetRef]));
  else {
    acroForm.set('Fields', [...(Array.isArray(fieldsArray) ? fieldsArray : []), widgetRef]);
    acroChanged = true;
  }
  const flags = file.resolve(acroForm.get('SigFlags'));
  const newFlags = (typeof flags === 'number' && Number.isInteger(flags) ? flags : 0) | 3;
  if (newFlags !== flags) {
    acroForm.set('SigFlags', newFlags);
    acroChanged = true;
  }
  if (acroIndirect && acroChanged) put(acroRaw, serialize(acroForm));
  if (!acroIndirect) {
    const root = file.trailer.get('Root') as PdfRef;
    put(root, serialize(catalog.clone().set('AcroForm', acroForm)));
  }

  // The page lists the widget among its annotations.
  const annotsRaw = page.dict.get('Annots');
  const annots = file.resolve(annotsRaw);
  if (annotsRaw instanceof PdfRef && Array.isArray(annots)) put(annotsRaw, serialize([...annots, widgetRef]));
  else put(page.ref, serialize(page.dict.clone().set('Annots', [...(Array.isArray(annots) ? annots : []), widgetRef])));

  // Field and widget in one dictionary (§12.7.3.1), with its appearance.
  const widget = new PdfDict()
    .set('Type', new PdfName('Annot'))
    .set('Subtype', new PdfName('Widget'))
    .set('FT', new PdfName('Sig'))
    .set('T', encodeTextString(fieldName))
    .set('V', sigRef)
    .set('P', page.ref)
    .set('Rect', rect)
    .set('F', 132) // Print | Locked
    .set('AP', new PdfDict().set('N', apRef));
  put(widgetRef, serialize(widget));

  const width = rect[2] - rect[0];
  const height = rect[3] - rect[1];
  const appearance = input.visible
    ? buildAppearance(width, height, { signerName, signingTime, reason: input.reason, location: input.location, timeZone: input.timeZone })
    : { content: '', resources: new PdfDict() };
  const apDict = new PdfDict()
    .set('Type', new PdfName('XObject'))
    .set('Subtype', new PdfName('Form'))
    .set('BBox', [0, 0, width, height])
    .set('Resources', appearance.resources)
    .set('Length', Buffer.byteLength(appearance.content, 'latin1'));
  put(apRef, `${serialize(apDict)}\nstream\n${appearance.content}\nendstream`);

  // The signature dictionary, with placeholders for /ByteRange and /Contents.
  const sigDict = new PdfDict()
    .set('Type', new PdfName('Sig'))
    .set('Filter', new PdfName('Adobe.PPKLite'))
    .set('SubFilter', new PdfName('ETSI.CAdES.detached'))
    .set('M', new PdfString(Buffer.from(formatPdfDate(signingTime), 'latin1')))
    .set('Name', encodeTextString(signerName));
  if (input.reason) sigDict.set('Reason', encodeTextString(input.reason));
  if (input.location) sigDict.set('Location', encodeTextString(input.location));
  if (input.contactInfo) sigDict.set('ContactInfo', encodeTextString(input.contactInfo));
  sigDict.set('Prop_Build', new PdfDict().set('App', new PdfDict().set('Name', new PdfName('Sandi'))));
  const reserved = contentsSize(key, signer, chain);
  const sigHead = serialize(sigDict).slice(0, -2); // without the closing '>>'
  const byteRangeAt = `${sigHead}/ByteRange `.length;
  const contentsAt = byteRangeAt + BYTE_RANGE_PLACEHOLDER.length + '\n/Contents '.length;
  put(sigRef, `${sigHead}/ByteRange ${BYTE_RANGE_PLACEHOLDER}\n/Contents <${'0'.repeat(reserved * 2)}>\n>>`);

  // ---- write the update
  const last = original[original.length - 1];
  let out = last === 0x0a || last === 0x0d ? '' : '\n';
  const base = original.length;
  const offsets = new Map<number, number>();
  let sigObjectAt = -1;
  for (const num of [...changed.keys()].sort((a, b) => a - b)) {
    const { gen, body } = changed.get(num)!;
    offsets.set(num, base + out.length);
    const header = `${num} ${gen} obj\n`;
    if (num === sigRef.num) sigObjectAt = base + out.length + header.length;
    out += `${header}${body}\nendobj\n`;
  }
  out += crossReference(file, changed, offsets, next, base + out.length);

  const signed = new Uint8Array(base + out.length);
  signed.set(original, 0);
  signed.set(Buffer.from(out, 'latin1'), base);

  // ---- fill /ByteRange, then sign what it covers
  const gapStart = sigObjectAt + contentsAt; // the '<'
  const gapEnd = gapStart + reserved * 2 + 2; // past the '>'
  const byteRange = [0, gapStart, gapEnd, signed.length - gapEnd];
  let brText = `[${byteRange.join(' ')}`;
  brText = `${brText.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ')}]`;
  if (brText.length !== BYTE_RANGE_PLACEHOLDER.length) throw new PdfError(PdfErrorCode.TooLarge);
  signed.set(Buffer.from(brText, 'latin1'), sigObjectAt + byteRangeAt);

  const ranges = [signed.subarray(0, gapStart), signed.subarray(gapEnd)];
  const h = createHash(key.hash);
  for (const r of ranges) h.update(r);
  const signedAttributes = buildSignedAttributes({ contentDigest: h.digest(), hash: key.hash, signer });
  const signature = sign(
    key.hash,
    signedAttributes,
    key.family === 'rsa' ? { key: input.privateKey, padding: constants.RSA_PKCS1_PADDING } : { key: input.privateKey, dsaEncoding: 'der' },
  );
  const cms = buildSignedData({ signedAttributes, signature, hash: key.hash, family: key.family, signer, chain: chain.map((c) => c.der) });
  if (cms.length > reserved) throw new PdfError(PdfErrorCode.SignatureTooLarge, `${cms.length} > ${reserved} byte`);
  signed.set(Buffer.from(Buffer.from(cms).toString('hex'), 'latin1'), gapStart + 1);

  // Never hand out a signature that does not verify.
  const self = checkCms(cms, ranges, 'detached');
  if (!self.contentMatches || !self.signatureValid || self.essCertMatches !== true)
    throw new Error(`PAdES self-check failed: ${self.problems.join('; ')}`);
  return signed;
}

/**
 * The file the update is appended to. Normally the input itself; when its cross-reference is too
 * damaged to chain to (no valid startxref), an unsigned document is first rewritten cleanly, while a
 * signed one is refused, since rewriting would break its signatures.
 */
function readForUpdate(pdf: Uint8Array): { file: PdfFile; original: Uint8Array } {
  const file = PdfFile.parse(pdf);
  if (file.isEncrypted) throw new PdfError(PdfErrorCode.Encrypted);
  if (file.lastXrefOffset !== undefined && file.lastXrefKind !== undefined) return { file, original: pdf };
  file.catalog();
  if (file.fields().some((f) => f.type === 'Sig' && f.value !== undefined && f.value !== null)) {
    throw new PdfError(
      PdfErrorCode.Malformed,
      'dokumen bertanda tangan dengan tabel referensi silang rusak (signed document with a damaged cross-reference)',
    );
  }
  const rewritten = file.rewrite();
  const fresh = PdfFile.parse(rewritten);
  if (fresh.lastXrefKind === undefined) throw new PdfError(PdfErrorCode.Malformed, 'tabel referensi silang (cross-reference)');
  return { file: fresh, original: rewritten };
}

/** The xref section (table or stream, like the one it follows), trailer and startxref of the update. */
function crossReference(
  file: PdfFile,
  changed: Map<number, { gen: number }>,
  offsets: Map<number, number>,
  nextFree: number,
  at: number,
): string {
  const prev = file.lastXrefOffset!;
  const idArray = file.resolve(file.trailer.get('ID'));
  const firstId = Array.isArray(idArray) && idArray[0] instanceof PdfString ? idArray[0] : new PdfString(randomBytes(16), true);
  const trailer = new PdfDict();
  const root = file.trailer.get('Root')!;
  const info = file.trailer.get('Info');

  if (file.lastXrefKind === 'table') {
    const size = Math.max(file.maxObjectNumber + 1, nextFree);
    trailer.set('Size', size).set('Root', root);
    if (info instanceof PdfRef) trailer.set('Info', info);
    trailer.set('ID', [firstId, new PdfString(randomBytes(16), true)]).set('Prev', prev);
    let text = 'xref\n';
    for (const run of runs([...changed.keys()])) {
      text += `${run[0]} ${run.length}\n`;
      for (const num of run)
        text += `${String(offsets.get(num)).padStart(10, '0')} ${String(changed.get(num)!.gen).padStart(5, '0')} n\r\n`;
    }
    return `${text}trailer\n${serialize(trailer)}\nstartxref\n${at}\n%%EOF\n`;
  }

  // Cross-reference stream (§7.5.8): W [1 4 2], uncompressed, listing itself too.
  const xrefNum = nextFree;
  const size = Math.max(file.maxObjectNumber + 1, xrefNum + 1);
  const entries = new Map<number, { offset: number; gen: number }>();
  for (const [num, { gen }] of changed) entries.set(num, { offset: offsets.get(num)!, gen });
  entries.set(xrefNum, { offset: at, gen: 0 });
  const nums = [...entries.keys()].sort((a, b) => a - b);
  const data = Buffer.alloc(nums.length * 7);
  nums.forEach((num, i) => {
    const e = entries.get(num)!;
    data.writeUInt8(1, i * 7);
    data.writeUInt32BE(e.offset, i * 7 + 1);
    data.writeUInt16BE(e.gen, i * 7 + 5);
  });
  trailer
    .set('Type', new PdfName('XRef'))
    .set('Size', size)
    .set(
      'Index',
      runs(nums).flatMap((r) => [r[0], r.length]),
    )
    .set('W', [1, 4, 2])
    .set('Root', root);
  if (info instanceof PdfRef) trailer.set('Info', info);
  trailer
    .set('ID', [firstId, new PdfString(randomBytes(16), true)])
    .set('Prev', prev)
    .set('Length', data.length);
  return `${xrefNum} 0 obj\n${serialize(trailer)}\nstream\n${data.toString('latin1')}\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`;
}

/** Sorted numbers grouped into runs of consecutive values. */
function runs(nums: number[]): number[][] {
  const sorted = [...nums].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const n of sorted) {
    const lastRun = out[out.length - 1];
    if (lastRun && lastRun[lastRun.length - 1] === n - 1) lastRun.push(n);
    else out.push([n]);
  }
  return out;
}

/** ECDSA curves: hash of matching strength, longest DER signature (two INTEGERs in a SEQUENCE). */
const EC_CURVES: Record<string, SignerKey> = {
  prime256v1: { family: 'ecdsa', hash: 'sha256', maxSignatureBytes: 72 },
  secp384r1: { family: 'ecdsa', hash: 'sha384', maxSignatureBytes: 104 },
  secp521r1: { family: 'ecdsa', hash: 'sha512', maxSignatureBytes: 139 },
};

function signerKeyOf(key: KeyObject): SignerKey {
  if (!(key instanceof KeyObject) || key.type !== 'private')
    throw new PdfError(PdfErrorCode.UnsupportedKey, 'bukan kunci privat (not a private key)');
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '?';
    const known = Object.hasOwn(EC_CURVES, curve) ? EC_CURVES[curve] : undefined;
    if (!known) throw new PdfError(PdfErrorCode.UnsupportedKey, `kurva ${curve}`);
    return known;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new PdfError(PdfErrorCode.UnsupportedKey, `RSA ${bits} bit (minimal 2048)`);
    return { family: 'rsa', hash: 'sha256', maxSignatureBytes: Math.ceil(bits / 8) };
  }
  throw new PdfError(PdfErrorCode.UnsupportedKey, key.asymmetricKeyType ?? '?');
}

function readSignerCertificate(der: Uint8Array, key: KeyObject): CertificateFields {
  let fields: CertificateFields;
  let x509: X509Certificate;
  try {
    fields = readCertificate(der);
    x509 = new X509Certificate(fields.der);
  } catch {
    throw new PdfError(PdfErrorCode.InvalidCertificate, 'sertifikat penanda tangan (signer certificate)');
  }
  if (!x509.checkPrivateKey(key)) throw new PdfError(PdfErrorCode.KeyMismatch);
  return fields;
}

function readChain(chain: Uint8Array[]): CertificateFields[] {
  if (!Array.isArray(chain) || chain.length > PDF_LIMITS.maxChainCertificates)
    throw new PdfError(PdfErrorCode.InvalidCertificate, 'rantai sertifikat (certificate chain)');
  return chain.map((c, i) => {
    try {
      return readCertificate(c);
    } catch {
      throw new PdfError(PdfErrorCode.InvalidCertificate, `rantai sertifikat #${i + 1} (chain certificate #${i + 1})`);
    }
  });
}

/** Exact size of the CMS with the longest signature the key can make, plus headroom. */
function contentsSize(key: SignerKey, signer: CertificateFields, chain: CertificateFields[]): number {
  const digestLength = createHash(key.hash).digest().length;
  const signedAttributes = buildSignedAttributes({ contentDigest: new Uint8Array(digestLength), hash: key.hash, signer });
  const cms = buildSignedData({
    signedAttributes,
    signature: new Uint8Array(key.maxSignatureBytes),
    hash: key.hash,
    family: key.family,
    signer,
    chain: chain.map((c) => c.der),
  });
  return cms.length + CONTENTS_HEADROOM;
}

function widgetRect(page: PageInfo, v: VisibleSignatureBox): number[] {
  const [x0, y0, x1, y1] = page.box;
  const nums = [v.x, v.y, v.width, v.height];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n)) || v.width <= 0 || v.height <= 0) {
    throw new PdfError(PdfErrorCode.InvalidOptions, 'kotak tanda tangan (signature box): x, y, width, height');
  }
  const tolerance = 0.5;
  if (v.x < -tolerance || v.y < -tolerance || v.x + v.width > x1 - x0 + tolerance || v.y + v.height > y1 - y0 + tolerance) {
    throw new PdfError(
      PdfErrorCode.InvalidOptions,
      `kotak tanda tangan di luar halaman ${formatSize(x1 - x0)} x ${formatSize(y1 - y0)} pt (signature box outside the page; origin is the lower-left corner)`,
    );
  }
  return [x0 + v.x, y0 + v.y, x0 + v.x + v.width, y0 + v.y + v.height];
}

const formatSize = (n: number) => String(Math.round(n * 10) / 10);

function chooseFieldName(file: PdfFile, wanted: string | undefined): string {
  const taken = new Set(file.fields().map((f) => f.fullName.split('.')[0]));
  if (wanted !== undefined) {
    if (typeof wanted !== 'string' || !wanted.trim() || wanted.includes('.') || wanted.length > 100)
      throw new PdfError(PdfErrorCode.InvalidOptions, 'fieldName');
    if (taken.has(wanted)) throw new PdfError(PdfErrorCode.InvalidOptions, `kolom ${wanted} sudah ada (field ${wanted} exists)`);
    return wanted;
  }
  for (let i = 1; ; i++) if (!taken.has(`Signature${i}`)) return `Signature${i}`;
}

/** A certification signature with DocMDP P=1 forbids every change, new signatures included (§12.8.2.2). */
function refuseIfCertifiedWithoutChanges(file: PdfFile, catalog: PdfDict): void {
  const perms = file.resolveDict(catalog.get('Perms'));
  const docMdp = perms ? file.resolveDict(perms.get('DocMDP')) : undefined;
  const refs = docMdp ? file.resolve(docMdp.get('Reference')) : undefined;
  if (!Array.isArray(refs)) return;
  for (const r of refs) {
    const ref = file.resolveDict(r);
    if (!ref || !isName(file.resolve(ref.get('TransformMethod')), 'DocMDP')) continue;
    const params = file.resolveDict(ref.get('TransformParams'));
    const p: PdfObject | undefined = params ? file.resolve(params.get('P')) : undefined;
    if (p === 1) throw new PdfError(PdfErrorCode.ChangesNotAllowed);
  }
}
