import { createHash, X509Certificate } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CertHolderEntity } from '../entities/cert-holder.entity.js';
import { CertificateEntity } from '../entities/certificate.entity.js';
import { toPem } from '../pki/index.js';
import type { BsreClient } from './bsre/bsre.client.js';
import { BsreError } from './bsre/bsre.exception.js';
import type { RaCase, RaOutcome, RaPollResult, RegistrationAuthority } from './registration-authority.port.js';

/** Signing through the certification body's eSign service: what SigningService needs of it. */
export interface BsreSignRequest {
  nik: string;
  passphrase: string;
  pdf: Uint8Array;
  reason: string;
  location?: string;
  visible?: { page: number; x: number; y: number; width: number; height: number };
}
export type BsreSignResult =
  | { outcome: 'signed'; pdf: Uint8Array }
  | { outcome: 'wrong_passphrase' }
  | { outcome: 'refused'; statusCode?: number; message: string }
  | { outcome: 'unknown'; reason: string }
  | { outcome: 'failed'; reason: string };
export interface BsreSigner {
  sign(req: BsreSignRequest): Promise<BsreSignResult>;
}
export const BSRE_SIGNER = Symbol('BSRE_SIGNER');

const fingerprint = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

/** Serial of an X.509 certificate as lowercase hex without leading zeros (as stored for every certificate). */
function serialOf(x: X509Certificate): string {
  return x.serialNumber.toLowerCase().replace(/^0+(?=.)/, '');
}

/**
 * The national certification body (BSrE) as Registration Authority. It has no public API for
 * enrolment, update, renewal or revocation: the verifier submits on its portal and records that
 * here; the decision is followed by polling the holder status by NIK. An approved issuance or
 * renewal shows as status ISSUE with a certificate in the chain that we did not have; a revocation
 * as status REVOKE. Updates are not observable there: the verifier records the portal's decision.
 */
/** Built by the module's factory when BSRE_BASE_URL is configured. */
export class BsreRaAdapter implements RegistrationAuthority, BsreSigner {
  readonly kind = 'bsre' as const;

  constructor(private readonly client: BsreClient) {}

  async poll(c: RaCase): Promise<RaPollResult> {
    const status = await this.client.checkStatus({ nik: c.nik });
    const app = c.application;
    switch (app.procedure) {
      case 'revocation':
        return { decided: status.status === 'REVOKE', status: status.status };
      case 'issuance':
      case 'renewal': {
        if (status.status !== 'ISSUE') return { decided: false, status: status.status };
        const chain = await this.client.getCertificateChain(c.nik);
        const leaf = chain[0];
        const isNew = !!leaf && (!c.target || fingerprint(leaf) !== c.target.fingerprint.trim());
        return { decided: isNew, status: isNew ? 'ISSUE' : 'ISSUE (sertifikat lama)' };
      }
      case 'update':
        return { decided: false, status: status.status };
    }
  }

  async carryOut(em: EntityManager, c: RaCase, now: Date): Promise<RaOutcome> {
    const app = c.application;
    if (app.procedure === 'revocation') {
      const target = c.target!;
      target.status = 'revoked';
      target.revokedAt = now;
      target.revocationReason = app.revocationReason ?? 'unspecified';
      return { revoked: [await em.save(CertificateEntity, target)] };
    }
    if (app.procedure === 'update') {
      Object.assign(c.holder, { ...(app.changes ?? {}), updatedAt: now });
      await em.save(CertHolderEntity, c.holder);
    }
    // Record the certificate the body issued, as its chain endpoint shows it now.
    const chain = await this.client.getCertificateChain(c.nik);
    const leaf = chain[0];
    if (!leaf) return {};
    const fp = fingerprint(leaf);
    const known = await em.findOneBy(CertificateEntity, { fingerprint: fp });
    if (known) return {};
    const x = new X509Certificate(Buffer.from(leaf));
    const issued = await em.save(
      em.create(CertificateEntity, {
        holderId: c.holder.id,
        adapter: 'bsre',
        serial: serialOf(x),
        subject: x.subject.replace(/\n/g, ', '),
        email: c.holder.email,
        keyAlgorithm: x.publicKey.asymmetricKeyType ?? 'unknown',
        notBefore: new Date(x.validFrom),
        notAfter: new Date(x.validTo),
        der: Buffer.from(leaf),
        fingerprint: fp,
        privateKey: null,
        chainPem:
          chain
            .slice(1)
            .map((der) => toPem(der))
            .join('') || null,
        status: 'active',
        revokedAt: null,
        revocationReason: null,
        expiryNotices: [],
        createdAt: now,
      }),
    );
    return { issued };
  }

  async sign(req: BsreSignRequest): Promise<BsreSignResult> {
    try {
      return await this.signOnce(req);
    } catch (err) {
      // Wrong Basic credentials (an operator problem) and the like: nothing was signed.
      if (err instanceof BsreError) return { outcome: 'failed', reason: err.code };
      throw err;
    }
  }

  private async signOnce(req: BsreSignRequest): Promise<BsreSignResult> {
    const result = await this.client.signPdf({
      nik: req.nik,
      passphrase: req.passphrase,
      properties: [
        {
          tampilan: req.visible ? 'VISIBLE' : 'INVISIBLE',
          page: req.visible?.page,
          originX: req.visible?.x,
          originY: req.visible?.y,
          width: req.visible?.width,
          height: req.visible?.height,
          reason: req.reason,
          location: req.location,
        },
      ],
      files: [req.pdf],
    });
    switch (result.outcome) {
      case 'signed':
        return { outcome: 'signed', pdf: result.files[0]! };
      case 'refused':
        return result.code === 'WRONG_PASSPHRASE'
          ? { outcome: 'wrong_passphrase' }
          : { outcome: 'refused', statusCode: result.statusCode, message: result.message };
      case 'unknown':
        return { outcome: 'unknown', reason: result.reason };
      case 'failed':
        return { outcome: 'failed', reason: result.reason };
    }
  }
}
