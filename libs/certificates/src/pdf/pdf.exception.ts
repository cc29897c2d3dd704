import { AppException, type StatusTable } from '@sandi/core';

/** Why a PDF could not be signed or read. The values are the problem+json `code`. */
export enum PdfErrorCode {
  Empty = 'pdf.empty',
  NotAPdf = 'pdf.not_a_pdf',
  TooLarge = 'pdf.too_large',
  /** Broken structure: truncated file, no catalog, damaged cross-reference, unparsable objects. */
  Malformed = 'pdf.malformed',
  Encrypted = 'pdf.encrypted',
  PageOutOfRange = 'pdf.page_out_of_range',
  InvalidOptions = 'pdf.invalid_options',
  InvalidCertificate = 'pdf.invalid_certificate',
  KeyMismatch = 'pdf.key_mismatch',
  UnsupportedKey = 'pdf.unsupported_key',
  /** A certification signature (DocMDP P=1) forbids any further change, signatures included. */
  ChangesNotAllowed = 'pdf.changes_not_allowed',
  SignatureTooLarge = 'pdf.signature_too_large',
}

const STATUS: StatusTable<PdfErrorCode> = {
  [PdfErrorCode.Empty]: 400,
  [PdfErrorCode.NotAPdf]: 422,
  [PdfErrorCode.TooLarge]: 413,
  [PdfErrorCode.Malformed]: 422,
  [PdfErrorCode.Encrypted]: 422,
  [PdfErrorCode.PageOutOfRange]: 400,
  [PdfErrorCode.InvalidOptions]: 400,
  [PdfErrorCode.InvalidCertificate]: 422,
  // The key and certificate come from our own records, not from the caller: a mismatch is our fault.
  [PdfErrorCode.KeyMismatch]: 500,
  [PdfErrorCode.UnsupportedKey]: 422,
  [PdfErrorCode.ChangesNotAllowed]: 409,
  [PdfErrorCode.SignatureTooLarge]: 500,
};

const DETAIL: Record<PdfErrorCode, string> = {
  [PdfErrorCode.Empty]: 'Berkas PDF kosong (empty file)',
  [PdfErrorCode.NotAPdf]: 'Berkas bukan PDF (not a PDF file)',
  [PdfErrorCode.TooLarge]: 'Berkas PDF terlalu besar (PDF too large)',
  [PdfErrorCode.Malformed]: 'Struktur PDF rusak atau tidak lengkap (damaged or truncated PDF)',
  [PdfErrorCode.Encrypted]: 'PDF terenkripsi atau dilindungi kata sandi tidak dapat diproses (encrypted PDF)',
  [PdfErrorCode.PageOutOfRange]: 'Nomor halaman di luar jangkauan dokumen (page out of range)',
  [PdfErrorCode.InvalidOptions]: 'Parameter penandatanganan tidak valid (invalid signing options)',
  [PdfErrorCode.InvalidCertificate]: 'Sertifikat tidak dapat dibaca (unreadable certificate)',
  [PdfErrorCode.KeyMismatch]: 'Kunci privat tidak cocok dengan sertifikat (private key does not match the certificate)',
  [PdfErrorCode.UnsupportedKey]: 'Jenis kunci tidak didukung (unsupported key type)',
  [PdfErrorCode.ChangesNotAllowed]:
    'Dokumen tersertifikasi tanpa izin perubahan; tanda tangan baru tidak diizinkan (certified document forbids changes)',
  [PdfErrorCode.SignatureTooLarge]: 'Tanda tangan melebihi ruang yang dicadangkan (signature exceeds the reserved space)',
};

/** The one error type of the PDF signer and verifier: an enum code, an HTTP status, a bilingual detail. */
export class PdfError extends AppException {
  declare readonly code: PdfErrorCode;

  constructor(code: PdfErrorCode, why?: string) {
    super(code, STATUS[code], why ? `${DETAIL[code]}: ${why}` : DETAIL[code]);
  }
}
