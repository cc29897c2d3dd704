import { createPublicKey, X509Certificate } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConfigService } from '@sandi/core';
import type { RevocationReason } from '../certificate.workflow.js';
import { CertHolderEntity } from '../entities/cert-holder.entity.js';
import { CertificateEntity } from '../entities/certificate.entity.js';
import { LocalCaService } from '../local-ca.service.js';
import { describePublicKey } from '../pki/index.js';
import type { RaCase, RaOutcome, RegistrationAuthority } from './registration-authority.port.js';

const DAY = 86_400_000;

/**
 * The platform's own CA as Registration Authority: RA operators decide in the UI, and an approval
 * takes effect here — a certificate issued (issuance, renewal), re-issued for the same key with the
 * new data (update), or revoked with the CRL re-issued (revocation).
 */
@Injectable()
export class LocalRaAdapter implements RegistrationAuthority {
  readonly kind = 'local' as const;

  constructor(
    private readonly ca: LocalCaService,
    private readonly config: ConfigService,
  ) {}

  prepareKey(passphrase: string): Promise<{ encryptedPrivateKey: string; publicKeyPem: string }> {
    return this.ca.prepareHolderKey(passphrase);
  }

  async carryOut(em: EntityManager, c: RaCase, now: Date): Promise<RaOutcome> {
    const app = c.application;
    switch (app.procedure) {
      case 'issuance':
      case 'renewal': {
        // The platform-made key comes with its encrypted private half; an applicant's own key (CSR) comes alone.
        if (!app.pendingPublicKey || (app.keySource !== 'csr' && !app.pendingPrivateKey))
          throw new Error(`application ${app.number} has no key pair to certify`);
        const issued = await this.issueFor(
          em,
          c,
          createPublicKey(app.pendingPublicKey),
          app.keySource === 'csr' ? null : app.pendingPrivateKey,
          now,
        );
        const revoked = c.target ? [await this.revoke(em, c.target, 'superseded', now)] : [];
        return { issued, revoked };
      }
      case 'update': {
        const target = c.target!;
        // Apply the approved changes to the holder, then certify the same key with the new data.
        Object.assign(c.holder, { ...(app.changes ?? {}), updatedAt: now });
        await em.save(CertHolderEntity, c.holder);
        const publicKey = new X509Certificate(target.der).publicKey;
        const issued = await this.issueFor(em, c, publicKey, target.privateKey, now, target.notAfter);
        const revoked = [await this.revoke(em, target, 'superseded', now)];
        return { issued, revoked };
      }
      case 'revocation': {
        const revoked = [await this.revoke(em, c.target!, app.revocationReason ?? 'unspecified', now)];
        return { revoked };
      }
    }
  }

  private async issueFor(
    em: EntityManager,
    c: RaCase,
    publicKey: ReturnType<typeof createPublicKey>,
    encryptedKey: string | null,
    now: Date,
    keepNotAfter?: Date,
  ): Promise<CertificateEntity> {
    const holder = c.holder;
    const notAfter = keepNotAfter ?? new Date(now.getTime() + this.config.get('CERT_VALIDITY_DAYS') * DAY);
    const key = describePublicKey(publicKey);
    const made = await this.ca.issue({
      publicKey,
      commonName: holder.fullName,
      email: holder.email,
      organizationalUnit: c.unitName,
      title: holder.positionTitle,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter,
    });
    return em.save(
      em.create(CertificateEntity, {
        holderId: holder.id,
        adapter: 'local',
        serial: made.serial,
        subject: made.subject,
        email: holder.email,
        keyAlgorithm: key.algorithm ?? key.label,
        notBefore: made.notBefore,
        notAfter: made.notAfter,
        der: made.der,
        fingerprint: made.fingerprint,
        privateKey: encryptedKey,
        chainPem: null,
        status: 'active',
        revokedAt: null,
        revocationReason: null,
        expiryNotices: [],
        createdAt: now,
      }),
    );
  }

  private async revoke(em: EntityManager, cert: CertificateEntity, reason: RevocationReason, now: Date): Promise<CertificateEntity> {
    if (cert.status === 'revoked') return cert;
    cert.status = 'revoked';
    cert.revokedAt = now;
    cert.revocationReason = reason;
    return em.save(CertificateEntity, cert);
  }

  /** Once the revoking transaction has committed, the CRL is re-issued (the scheduled refresh covers a crash in between). */
  async afterCommit(outcome: RaOutcome): Promise<void> {
    if (outcome.revoked?.length) await this.ca.regenerateCrl();
  }
}
