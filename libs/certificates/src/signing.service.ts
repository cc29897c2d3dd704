import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, ConfigService, DataCipher, NotifyService } from '@sandi/core';
import type { UploadedDocument } from './cert-application.service.js';
import { CertificateErrorCode, CertificateException } from './certificate.exception.js';
import type { SignPdfDto } from './dto/signing.dto.js';
import { CertHolderEntity } from './entities/cert-holder.entity.js';
import type { SignatureOutcome } from './entities/cert-signature.entity.js';
import { CertSignatureEntity } from './entities/cert-signature.entity.js';
import { CertificateEntity } from './entities/certificate.entity.js';
import { parseNik } from './identity.policy.js';
import { LocalCaService } from './local-ca.service.js';
import * as pdf from './pdf/index.js';
import * as pki from './pki/index.js';
import { BSRE_SIGNER, type BsreSigner } from './ra/bsre-ra.adapter.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const NIK_PURPOSE = 'cert_holder.nik';

/** Where a visible signature goes when the caller gives no position: lower left, above the margin. */
const DEFAULT_BOX = { x: 56, y: 56, width: 220, height: 64 };

/**
 * Signing a PDF with NIK + passphrase. The private key is decrypted in memory for this one signature
 * and dropped; wrong passphrases are counted per holder, audited, and lock signing for a while after
 * CERT_SIGN_MAX_ATTEMPTS. Certificates from the certification body sign through its eSign service;
 * such a call is never retried, and a timeout is reported as an unknown outcome.
 */
@Injectable()
export class SigningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notify: NotifyService,
    private readonly config: ConfigService,
    private readonly cipher: DataCipher,
    private readonly ca: LocalCaService,
    @Optional() @Inject(BSRE_SIGNER) private readonly bsre: BsreSigner | null,
  ) {}

  async signPdf(dto: SignPdfDto, file: UploadedDocument, now = new Date()): Promise<Buffer> {
    if (file.size === 0 || file.buffer.subarray(0, 5).toString('latin1') !== '%PDF-') {
      throw new CertificateException(CertificateErrorCode.InvalidPdf, 'Berkas bukan PDF atau kosong (not a PDF, or empty)', {
        errors: [{ field: 'file', message: 'harus PDF (must be a PDF)' }],
      });
    }
    const nikCheck = parseNik(dto.nik, now);
    if (!nikCheck.ok)
      throw new CertificateException(CertificateErrorCode.InvalidNik, `NIK tidak valid: ${nikCheck.reason}`, {
        errors: [{ field: 'nik', message: nikCheck.reason }],
      });
    const holder = await this.dataSource
      .getRepository(CertHolderEntity)
      .findOneBy({ nikIndex: this.cipher.blindIndex(dto.nik, NIK_PURPOSE) });
    const certificate = holder ? await this.signingCertificate(holder.id, now) : null;
    if (!holder || !certificate) {
      throw new CertificateException(
        CertificateErrorCode.NoSigningCertificate,
        'Tidak ada sertifikat aktif untuk NIK ini (no active certificate for this NIK)',
        { reason: 'NO_CERTIFICATE' },
      );
    }
    if (certificate.status === 'revoked' || certificate.notAfter.getTime() <= now.getTime()) {
      await this.log(
        holder,
        certificate,
        'refused',
        file,
        null,
        certificate.status === 'revoked' ? 'certificate revoked' : 'certificate expired',
      );
      throw new CertificateException(
        CertificateErrorCode.CertificateNotActive,
        certificate.status === 'revoked'
          ? 'Sertifikat sudah dicabut dan tidak dapat dipakai untuk menandatangani (certificate revoked)'
          : 'Sertifikat sudah kedaluwarsa; ajukan pembaruan (certificate expired)',
      );
    }
    if (holder.signLockedUntil && holder.signLockedUntil.getTime() > now.getTime()) {
      await this.log(holder, certificate, 'locked', file, null, null);
      throw new CertificateException(
        CertificateErrorCode.SigningLocked,
        'Penandatanganan dikunci sementara karena passphrase salah berulang kali (signing temporarily locked)',
        {
          lockedUntil: holder.signLockedUntil.toISOString(),
        },
      );
    }
    const options = {
      reason: dto.reason ?? 'Ditandatangani secara elektronik',
      location: dto.location,
      visible: dto.visible
        ? {
            page: dto.page ?? 1,
            x: dto.x ?? DEFAULT_BOX.x,
            y: dto.y ?? DEFAULT_BOX.y,
            width: DEFAULT_BOX.width,
            height: DEFAULT_BOX.height,
          }
        : undefined,
    };
    if (certificate.adapter === 'bsre') return this.signRemotely(holder, certificate, dto, file, options);

    if (!certificate.privateKey) {
      // A local certificate without a key in our keeping (e.g. imported) cannot sign here.
      throw new CertificateException(
        CertificateErrorCode.NoSigningCertificate,
        'Kunci privat sertifikat ini tidak tersimpan di platform: pemiliknya memakai kunci sendiri (CSR) dan menandatangani dengan perangkatnya sendiri (no private key held for this certificate)',
        { reason: 'KEY_NOT_HELD' },
      );
    }
    let key;
    try {
      key = await pki.decryptPrivateKey(certificate.privateKey, dto.passphrase);
    } catch (err) {
      if (err instanceof pki.PkiError && err.code === pki.PkiErrorCode.WrongPassphrase)
        return this.wrongPassphrase(holder, certificate, file, now);
      throw err;
    }
    const { issuing, root } = await this.ca.authorities();
    let signed: Uint8Array;
    try {
      signed = await pdf.signPdf({
        pdf: file.buffer,
        privateKey: key,
        certificate: certificate.der,
        chain: [issuing.der, root.der],
        signingTime: now,
        reason: options.reason,
        location: options.location,
        signerName: holder.fullName,
        visible: options.visible,
      });
    } catch (err) {
      if (err instanceof pdf.PdfError) {
        throw new CertificateException(CertificateErrorCode.InvalidPdf, `PDF tidak dapat ditandatangani: ${err.message}`, {
          errors: [{ field: 'file', message: err.message }],
          reason: err.code,
        });
      }
      throw err;
    }
    await this.succeeded(holder, certificate, file, signed);
    return Buffer.from(signed);
  }

  private async signRemotely(
    holder: CertHolderEntity,
    certificate: CertificateEntity,
    dto: SignPdfDto,
    file: UploadedDocument,
    options: { reason: string; location?: string; visible?: { page: number; x: number; y: number; width: number; height: number } },
  ): Promise<Buffer> {
    if (!this.bsre)
      throw new CertificateException(
        CertificateErrorCode.RaUnavailable,
        'Layanan eSign BSrE tidak dikonfigurasi (BSrE eSign service not configured)',
      );
    const result = await this.bsre.sign({ nik: dto.nik, passphrase: dto.passphrase, pdf: file.buffer, ...options });
    switch (result.outcome) {
      case 'signed':
        await this.succeeded(holder, certificate, file, result.pdf);
        return Buffer.from(result.pdf);
      case 'wrong_passphrase':
        return this.wrongPassphrase(holder, certificate, file, new Date());
      case 'refused':
        await this.log(holder, certificate, 'refused', file, null, result.message);
        throw new CertificateException(CertificateErrorCode.SigningRefused, `BSrE menolak penandatanganan: ${result.message}`, {
          upstreamCode: result.statusCode,
        });
      case 'unknown':
        await this.log(holder, certificate, 'unknown', file, null, result.reason);
        throw new CertificateException(
          CertificateErrorCode.SigningOutcomeUnknown,
          'Hasil penandatanganan tidak diketahui: permintaan terkirim ke BSrE tetapi jawabannya tidak diterima. Periksa dokumen sebelum mencoba lagi (signing outcome unknown)',
        );
      case 'failed':
        await this.log(holder, certificate, 'failed', file, null, result.reason);
        throw new CertificateException(
          CertificateErrorCode.RaUnavailable,
          `Layanan eSign BSrE tidak dapat dihubungi; dokumen tidak ditandatangani (${result.reason})`,
        );
    }
  }

  /** The holder's newest certificate: active first, then the newest revoked/expired one (for a clear refusal). */
  private async signingCertificate(holderId: string, now: Date): Promise<CertificateEntity | null> {
    const all = await this.dataSource.getRepository(CertificateEntity).find({ where: { holderId }, order: { notAfter: 'DESC' } });
    return (
      all.find((c) => c.status === 'active' && c.notAfter.getTime() > now.getTime() && c.notBefore.getTime() <= now.getTime()) ??
      all[0] ??
      null
    );
  }

  private async wrongPassphrase(
    holder: CertHolderEntity,
    certificate: CertificateEntity,
    file: UploadedDocument,
    now: Date,
  ): Promise<never> {
    const max = this.config.get('CERT_SIGN_MAX_ATTEMPTS');
    const lockMs = this.config.get('CERT_SIGN_LOCK_MINUTES') * 60_000;
    const { attempts, lockedUntil } = await this.dataSource.transaction(async (em) => {
      const [rows] = (await em.query(
        `UPDATE cert_holders SET sign_failed_attempts = sign_failed_attempts + 1 WHERE id = $1 RETURNING sign_failed_attempts`,
        [holder.id],
      )) as [Array<{ sign_failed_attempts: number }>, number];
      const n = rows[0]!.sign_failed_attempts;
      let until: Date | null = null;
      if (n >= max) {
        until = new Date(now.getTime() + lockMs);
        await em.query(`UPDATE cert_holders SET sign_locked_until = $2, sign_failed_attempts = 0 WHERE id = $1`, [holder.id, until]);
        await this.notify.enqueue(em, {
          to: holder.email,
          template: 'certificates.signing_locked',
          vars: { name: holder.fullName, serial: certificate.serial, until: until.toISOString(), attempts: String(n) },
        });
      }
      await em.insert(CertSignatureEntity, {
        certificateId: certificate.id,
        holderId: holder.id,
        adapter: certificate.adapter,
        outcome: 'wrong_passphrase',
        documentName: file.originalname.slice(0, 255),
        documentSha256: sha256(file.buffer),
      });
      await this.audit.record(em, {
        action: 'certificates.sign_wrong_passphrase',
        entityType: 'certificate',
        entityId: certificate.id,
        detail: { serial: certificate.serial, attempts: n, lockedUntil: until?.toISOString() ?? null },
      });
      return { attempts: n, lockedUntil: until };
    });
    if (lockedUntil) {
      throw new CertificateException(
        CertificateErrorCode.SigningLocked,
        'Passphrase salah; penandatanganan kini dikunci sementara (wrong passphrase; signing now locked)',
        { lockedUntil: lockedUntil.toISOString() },
      );
    }
    throw new CertificateException(CertificateErrorCode.WrongPassphrase, 'Passphrase salah (wrong passphrase)', {
      attemptsLeft: Math.max(0, max - attempts),
    });
  }

  private async succeeded(
    holder: CertHolderEntity,
    certificate: CertificateEntity,
    file: UploadedDocument,
    signed: Uint8Array,
  ): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `UPDATE cert_holders SET sign_failed_attempts = 0, sign_locked_until = NULL WHERE id = $1 AND (sign_failed_attempts <> 0 OR sign_locked_until IS NOT NULL)`,
        [holder.id],
      );
      await em.insert(CertSignatureEntity, {
        certificateId: certificate.id,
        holderId: holder.id,
        adapter: certificate.adapter,
        outcome: 'signed',
        documentName: file.originalname.slice(0, 255),
        documentSha256: sha256(file.buffer),
        signedSha256: sha256(signed),
      });
      await this.audit.record(em, {
        action: 'certificates.document_signed',
        entityType: 'certificate',
        entityId: certificate.id,
        detail: {
          serial: certificate.serial,
          document: file.originalname.slice(0, 255),
          documentSha256: sha256(file.buffer),
          signedSha256: sha256(signed),
        },
      });
    });
  }

  private async log(
    holder: CertHolderEntity,
    certificate: CertificateEntity,
    outcome: SignatureOutcome,
    file: UploadedDocument,
    signed: Uint8Array | null,
    detail: string | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.insert(CertSignatureEntity, {
        certificateId: certificate.id,
        holderId: holder.id,
        adapter: certificate.adapter,
        outcome,
        documentName: file.originalname.slice(0, 255),
        documentSha256: sha256(file.buffer),
        signedSha256: signed ? sha256(signed) : null,
        detail,
      });
      await this.audit.record(em, {
        action: `certificates.sign_${outcome}`,
        entityType: 'certificate',
        entityId: certificate.id,
        detail: { serial: certificate.serial, detail },
      });
    });
  }
}
