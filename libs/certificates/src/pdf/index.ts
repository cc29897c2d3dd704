export { signPdf, type SignPdfInput, type VisibleSignatureBox } from './pades.signer.js';
export { verifyPdfSignatures, type PdfSignatureInfo, type PdfVerificationResult } from './pdf-signature.verifier.js';
export { PdfError, PdfErrorCode } from './pdf.exception.js';
export { PDF_LIMITS } from './pdf.limits.js';
export { formatIndonesianDateTime, type IndonesianTimeZone } from './signature-appearance.js';
