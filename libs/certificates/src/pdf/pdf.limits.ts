/** Hard limits that keep hostile PDFs from costing unbounded time or memory. */
export const PDF_LIMITS = {
  /** Largest PDF accepted for signing or verification. */
  maxPdfBytes: 64 * 1024 * 1024,
  /** Total bytes all object streams of one file may inflate to (decompression bombs). */
  maxInflatedBytes: 64 * 1024 * 1024,
  /** Characters the parser may look at, as a multiple of the file's size (damaged files re-scan). */
  parseWorkFactor: 8,
  /** Indirect objects one file may define (each costs memory while the file is read). */
  maxObjects: 500_000,
  /** Objects one object stream may declare. */
  maxObjectsPerStream: 100_000,
  /** Pages and form fields walked before giving up. */
  maxPages: 100_000,
  maxFields: 10_000,
  /** Signatures checked per file; more are reported as unreadable. */
  maxSignatures: 32,
  /** Largest CMS read from a /Contents string (certificates plus revocation data fit easily). */
  maxCmsBytes: 1024 * 1024,
  /** Largest certificate chain the signer accepts. */
  maxChainCertificates: 10,
} as const;
