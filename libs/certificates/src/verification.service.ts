import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigService } from '@sandi/core';
import { CertificateErrorCode, CertificateException } from './certificate.exception.js';
import type { CertificateReportDto, CertificationBodyReportDto, SignatureReportDto, VerificationReportDto } from './dto/signing.dto.js';
import * as pdf from './pdf/index.js';
import * as pki from './pki/index.js';
import { BsreClient } from './ra/bsre/bsre.client.js';
import { BsreError } from './ra/bsre/bsre.exception.js';
import { TrustStoreService } from './trust-store.service.js';

interface RevocationInfo {
  revocation: 'good' | 'revoked' | 'unknown';
  revokedAt: Date | null;
  reason: string | null;
  /** The chain the RA handed out with this certificate (BSrE), to build the path; trust still comes from the trust store. */
  chain: Buffer[];
}

/**
 * Anyone's check of a certificate or a signed PDF: the chain to the trusted CAs (the local CA and
 * what the operator installed under CERT_TRUST_DIR, see TrustStoreService), the validity
 * period, revocation status (from the CA's own records, the same source as CRL and OCSP), the
 * signer, and whether the document changed after signing.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trustStore: TrustStoreService,
    private readonly config: ConfigService,
    @Optional() @Inject(BsreClient) private readonly bsre: BsreClient | null = null,
  ) {}

  async verify(bytes: Buffer, now = new Date()): Promise<VerificationReportDto> {
    if (bytes.length === 0) throw new CertificateException(CertificateErrorCode.UnrecognisedFile, 'Berkas kosong (empty file)');
    if (bytes.subarray(0, 1024).includes(Buffer.from('%PDF-'))) return this.verifyPdf(bytes, now);
    let cert: pki.CertificateInfo;
    try {
      cert = pki.parseCertificate(bytes);
    } catch (err) {
      if (err instanceof pki.PkiError) {
        throw new CertificateException(
          CertificateErrorCode.UnrecognisedFile,
          'Berkas bukan PDF bertanda tangan maupun sertifikat X.509 (PEM/DER) (neither a signed PDF nor a certificate)',
          {
            reason: err.code,
          },
        );
      }
      throw err;
    }
    return { kind: 'certificate', certificate: await this.certificateReport(cert, [], now), checkedAt: now.toISOString() };
  }

  private async verifyPdf(bytes: Buffer, now: Date): Promise<VerificationReportDto> {
    let found: Awaited<ReturnType<typeof pdf.verifyPdfSignatures>>;
    try {
      found = await pdf.verifyPdfSignatures(bytes);
    } catch (err) {
      if (err instanceof pdf.PdfError)
        throw new CertificateException(CertificateErrorCode.InvalidPdf, `PDF tidak dapat dibaca: ${err.message}`, { reason: err.code });
      throw err;
    }
    const signatures: SignatureReportDto[] = [];
    for (const s of found.signatures) {
      let signer: pki.CertificateInfo | null = null;
      try {
        signer = pki.parseCertificate(Buffer.from(s.signerCertificate));
      } catch {
        signer = null;
      }
      const at = s.signingTime ?? now;
      const intact = s.digestMatches && s.signatureValid && s.essCertMatches !== false;
      if (!signer) {
        signatures.push({
          fieldName: s.fieldName,
          signerName: null,
          signerEmail: null,
          serial: null,
          signingTime: s.signingTime?.toISOString() ?? null,
          reason: s.reason ?? null,
          location: s.location ?? null,
          intact: false,
          coversWholeDocument: s.coversWholeDocument,
          chain: 'invalid',
          chainProblem: 'sertifikat penanda tangan tidak terbaca (unreadable signer certificate)',
          revocation: 'unknown',
          revokedAt: null,
          validAtSigning: false,
          verdict: 'invalid',
        });
        continue;
      }
      const rev = await this.revocationOf(signer);
      const chain = await this.chainOf(signer, [...s.certificates.map((c) => Buffer.from(c)), ...rev.chain], at);
      const inPeriod = signer.notBefore.getTime() <= at.getTime() && at.getTime() <= signer.notAfter.getTime();
      const revokedBefore = rev.revocation === 'revoked' && rev.revokedAt !== null && rev.revokedAt.getTime() <= at.getTime();
      const validAtSigning = chain.status === 'trusted' && inPeriod && !revokedBefore;
      const verdict: SignatureReportDto['verdict'] =
        !intact || chain.status === 'invalid' || revokedBefore || !inPeriod
          ? 'invalid'
          : chain.status === 'trusted' && rev.revocation !== 'unknown'
            ? 'valid'
            : 'indeterminate';
      signatures.push({
        fieldName: s.fieldName,
        signerName: signer.subjectFields.commonName ?? null,
        signerEmail: signer.email ?? null,
        serial: signer.serial,
        signingTime: s.signingTime?.toISOString() ?? null,
        reason: s.reason ?? null,
        location: s.location ?? null,
        intact,
        coversWholeDocument: s.coversWholeDocument,
        chain: chain.status,
        chainProblem: chain.problem,
        revocation: rev.revocation,
        revokedAt: rev.revokedAt?.toISOString() ?? null,
        validAtSigning,
        verdict,
      });
    }
    const certificationBody = found.signatures.length ? await this.askCertificationBody(bytes) : undefined;
    return { kind: 'pdf', signatures, ...(certificationBody ? { certificationBody } : {}), checkedAt: now.toISOString() };
  }

  /** With BSrE as the RA, its verify service gives a second opinion on signed PDFs; its failure never fails ours. */
  private async askCertificationBody(bytes: Buffer): Promise<CertificationBodyReportDto | undefined> {
    if (this.config.get('CERT_RA_ADAPTER') !== 'bsre' || !this.bsre) return undefined;
    try {
      const r = await this.bsre.verifyPdf(bytes);
      return {
        checked: true,
        conclusion: r.conclusion,
        description: r.description,
        signatures: r.signatures.map((x) => ({
          signerName: x.signerName,
          signatureDate: x.signatureDate,
          integrityValid: x.integrityValid,
          certificateTrusted: x.certificateTrusted,
        })),
        problem: null,
      };
    } catch (err) {
      if (!(err instanceof BsreError)) throw err;
      return {
        checked: false,
        conclusion: null,
        description: null,
        signatures: [],
        problem: `BSrE tidak dapat dimintai verifikasi (${err.message})`,
      };
    }
  }

  private async certificateReport(cert: pki.CertificateInfo, extra: Buffer[], now: Date): Promise<CertificateReportDto> {
    const rev = await this.revocationOf(cert);
    const chain = await this.chainOf(cert, [...extra, ...rev.chain], now);
    const status =
      chain.status !== 'trusted'
        ? 'untrusted'
        : rev.revocation === 'revoked'
          ? 'revoked'
          : cert.notAfter.getTime() < now.getTime()
            ? 'expired'
            : cert.notBefore.getTime() > now.getTime()
              ? 'not_yet_valid'
              : 'valid';
    return {
      subject: cert.subject,
      issuer: cert.issuer,
      serial: cert.serial,
      email: cert.email ?? null,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      fingerprint: cert.fingerprintSha256,
      chainSubjects: chain.subjects,
      chain: chain.status,
      chainProblem: chain.problem,
      revocation: rev.revocation,
      revokedAt: rev.revokedAt?.toISOString() ?? null,
      revocationReason: rev.reason,
      status,
    };
  }

  private async chainOf(
    cert: pki.CertificateInfo,
    extra: Buffer[],
    at: Date,
  ): Promise<{ status: 'trusted' | 'untrusted' | 'invalid'; problem: string | null; subjects: string[] }> {
    const trust = await this.trustStore.trust();
    const result = pki.verifyChain({ leaf: cert.der, intermediates: [...trust.intermediates, ...extra], roots: trust.roots, at });
    if (result.ok) return { status: 'trusted', problem: null, subjects: result.chain.map((c) => c.subject) };
    const status = result.reason === 'UNKNOWN_ISSUER' ? 'untrusted' : 'invalid';
    return { status, problem: result.message, subjects: [] };
  }

  /** The CA's own record of the certificate, the same source as its CRL and OCSP answers. */
  private async revocationOf(cert: pki.CertificateInfo): Promise<RevocationInfo> {
    const rows = (await this.dataSource.query(
      `SELECT status, revoked_at, revocation_reason, chain_pem FROM certificates WHERE serial = $1 AND fingerprint = $2`,
      [cert.serial, cert.fingerprintSha256],
    )) as Array<{ status: string; revoked_at: Date | null; revocation_reason: string | null; chain_pem: string | null }>;
    const r = rows[0];
    if (!r) return { revocation: 'unknown', revokedAt: null, reason: null, chain: [] };
    const chain = r.chain_pem ? pki.parseCertificates(r.chain_pem).map((c) => c.der) : [];
    return r.status === 'revoked'
      ? { revocation: 'revoked', revokedAt: r.revoked_at, reason: r.revocation_reason, chain }
      : { revocation: 'good', revokedAt: null, reason: null, chain };
  }
}
