import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AuditService,
  CalendarService,
  CommonException,
  ConfigService,
  DataCipher,
  dueDate,
  FileStorageService,
  NotifyService,
  offsetOf,
  pageOf,
  slaStatus,
  type Page,
} from '@sandi/core';
import {
  actionExistsNow,
  allowedApplicationActions,
  fieldsOf,
  findTransition,
  initialState,
  OPEN_APPLICATION_STATES,
  SERVICE_WORKING_DAYS,
  waitingOn,
  type ApplicationAction,
  type ApplicationState,
  type Procedure,
} from './certificate.workflow.js';
import { CertificateErrorCode, CertificateException } from './certificate.exception.js';
import type {
  ApplicationActionDto,
  ApplicationQueryDto,
  IdentitySubmissionDto,
  IssuanceRequestDto,
  PassphraseSubmissionDto,
  CsrSubmissionDto,
  RenewalRequestDto,
  RevocationRequestDto,
  UpdateRequestDto,
} from './dto/application.dto.js';
import type { ApplicationDetailDto, ApplicationSummaryDto, CsrViewDto, LinkViewDto } from './dto/views.dto.js';
import { CertApplicantLinkEntity } from './entities/cert-applicant-link.entity.js';
import { CertApplicationDocumentEntity } from './entities/cert-application-document.entity.js';
import { CertApplicationEventEntity } from './entities/cert-application-event.entity.js';
import { CertApplicationEntity, type HolderChanges } from './entities/cert-application.entity.js';
import { CertHolderEntity } from './entities/cert-holder.entity.js';
import { CertificateEntity } from './entities/certificate.entity.js';
import { checkPassphrase, maskNik, parseNik, parseNip } from './identity.policy.js';
import * as pki from './pki/index.js';
import { REGISTRATION_AUTHORITY, type RaCase, type RaOutcome, type RegistrationAuthority } from './ra/registration-authority.port.js';

export interface CertUser {
  id: string;
  fullName: string;
  roles: readonly string[];
}

/** A file from the multipart form (multer memory storage). */
export interface UploadedDocument {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** Sealed identity data the applicant entered (KTP). */
interface IdentityData {
  fullNameOnId: string;
  birthPlace: string;
  birthDate: string;
  address: string;
  phone: string;
  submittedAt: string;
}

const NIK_PURPOSE = 'cert_holder.nik';
/** Why a CSR was refused, in the applicant's words. */
const CSR_PROBLEM: Partial<Record<pki.PkiErrorCode, string>> = {
  [pki.PkiErrorCode.MalformedCsr]: 'bukan permintaan sertifikat PKCS#10 yang utuh (not a well-formed PKCS#10 request)',
  [pki.PkiErrorCode.BadCsrSignature]: 'tanda tangan CSR tidak cocok dengan kuncinya (the request signature does not verify)',
  [pki.PkiErrorCode.WeakKey]: 'kunci terlalu lemah; pakai EC P-256 atau RSA minimal 2048 bit (key too weak)',
  [pki.PkiErrorCode.UnsupportedKey]: 'jenis kunci tidak didukung; pakai EC P-256 atau RSA minimal 2048 bit (unsupported key type)',
  [pki.PkiErrorCode.UnsupportedAlgorithm]:
    'algoritme tanda tangan tidak diterima (SHA-1 dan sejenisnya ditolak) (signature algorithm not accepted)',
};
const IDENTITY_PURPOSE = 'cert_holder.identity';
export const PROCEDURE_LABEL: Record<Procedure, { id: string; en: string }> = {
  issuance: { id: 'penerbitan', en: 'issuance' },
  update: { id: 'perubahan data', en: 'data update' },
  renewal: { id: 'pembaruan', en: 'renewal' },
  revocation: { id: 'pencabutan', en: 'revocation' },
};

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The four procedures of the e-signature service standard: the verifier's submissions, the
 * applicant's single-use links, the verifier's and the RA's decisions. Every step is one
 * transaction with its timeline line, audit event and mail.
 */
@Injectable()
export class CertApplicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notify: NotifyService,
    private readonly storage: FileStorageService,
    private readonly calendar: CalendarService,
    private readonly config: ConfigService,
    private readonly cipher: DataCipher,
    @Inject(REGISTRATION_AUTHORITY) private readonly ra: RegistrationAuthority,
  ) {}

  // --- The verifier submits -------------------------------------------------------------------------

  async createIssuance(
    dto: IssuanceRequestDto,
    files: UploadedDocument[],
    user: CertUser,
    now = new Date(),
  ): Promise<ApplicationDetailDto> {
    const nik = this.requireNik(dto.nik, now);
    const nip = this.optionalNip(dto.nip);
    this.requireDocuments(files, 'recommendation_letter');
    const stored = await this.storeDocuments(files);
    const id = await this.dataSource.transaction(async (em) => {
      await this.requireUnit(em, dto.orgUnitId, 'orgUnitId');
      const nikIndex = this.cipher.blindIndex(nik, NIK_PURPOSE);
      let holder = await em.findOne(CertHolderEntity, { where: { nikIndex }, lock: { mode: 'pessimistic_write' } });
      if (holder) {
        const active = await this.activeCertificate(em, holder.id, now);
        if (active) {
          throw new CertificateException(
            CertificateErrorCode.HolderHasCertificate,
            'Pemohon dengan NIK ini sudah memiliki sertifikat aktif; ajukan pembaruan atau perubahan data (holder already has an active certificate)',
            { certificateId: active.id },
          );
        }
        Object.assign(holder, {
          fullName: dto.fullName,
          email: dto.email.toLowerCase(),
          nip,
          positionTitle: dto.positionTitle,
          orgUnitId: dto.orgUnitId,
          verifierId: user.id,
          identitySealed: null,
          updatedAt: now,
        });
        await em.save(holder);
      } else {
        holder = await em.save(
          em.create(CertHolderEntity, {
            nikSealed: this.cipher.seal(nik, NIK_PURPOSE),
            nikIndex,
            nikMasked: maskNik(nik),
            fullName: dto.fullName,
            email: dto.email.toLowerCase(),
            nip,
            positionTitle: dto.positionTitle,
            orgUnitId: dto.orgUnitId,
            verifierId: user.id,
            createdAt: now,
            updatedAt: now,
          }),
        );
      }
      const app = await this.insertApplication(em, 'issuance', holder, null, user, now, { note: dto.note ?? null });
      await this.insertDocuments(em, app.id, stored, 'recommendation_letter', user, now);
      await this.afterCreate(em, app, holder, user, now);
      return app.id;
    });
    return this.detail(id, user, now);
  }

  async createRenewal(dto: RenewalRequestDto, files: UploadedDocument[], user: CertUser, now = new Date()): Promise<ApplicationDetailDto> {
    this.requireDocuments(files, 'recommendation_letter');
    const stored = await this.storeDocuments(files);
    const id = await this.dataSource.transaction(async (em) => {
      const { holder, certificate } = await this.targetCertificate(em, dto.certificateId, { allowExpired: true });
      const app = await this.insertApplication(em, 'renewal', holder, certificate, user, now, { note: dto.note ?? null });
      await this.insertDocuments(em, app.id, stored, 'recommendation_letter', user, now);
      await this.afterCreate(em, app, holder, user, now);
      return app.id;
    });
    return this.detail(id, user, now);
  }

  async createUpdate(dto: UpdateRequestDto, files: UploadedDocument[], user: CertUser, now = new Date()): Promise<ApplicationDetailDto> {
    const changes: HolderChanges = {};
    if (dto.fullName !== undefined) changes.fullName = dto.fullName;
    if (dto.email !== undefined) changes.email = dto.email.toLowerCase();
    if (dto.nip !== undefined) changes.nip = this.optionalNip(dto.nip);
    if (dto.positionTitle !== undefined) changes.positionTitle = dto.positionTitle;
    if (dto.orgUnitId !== undefined) changes.orgUnitId = dto.orgUnitId;
    if (Object.keys(changes).length === 0)
      throw CertificateException.invalid('fullName', 'sebutkan data yang berubah (name at least one field to change)');
    this.requireDocuments(files, 'supporting_document');
    const stored = await this.storeDocuments(files);
    const id = await this.dataSource.transaction(async (em) => {
      if (changes.orgUnitId) await this.requireUnit(em, changes.orgUnitId, 'orgUnitId');
      const { holder, certificate } = await this.targetCertificate(em, dto.certificateId, { allowExpired: false });
      const app = await this.insertApplication(em, 'update', holder, certificate, user, now, { note: dto.note ?? null, changes });
      await this.insertDocuments(em, app.id, stored, 'supporting_document', user, now);
      await this.afterCreate(em, app, holder, user, now);
      return app.id;
    });
    return this.detail(id, user, now);
  }

  async createRevocation(
    dto: RevocationRequestDto,
    files: UploadedDocument[],
    user: CertUser,
    now = new Date(),
  ): Promise<ApplicationDetailDto> {
    this.requireDocuments(files, 'supporting_document');
    const stored = await this.storeDocuments(files);
    const id = await this.dataSource.transaction(async (em) => {
      const { holder, certificate } = await this.targetCertificate(em, dto.certificateId, { allowExpired: false });
      const app = await this.insertApplication(em, 'revocation', holder, certificate, user, now, {
        note: dto.note ?? null,
        revocationReason: dto.reason,
      });
      await this.insertDocuments(em, app.id, stored, 'supporting_document', user, now);
      await this.afterCreate(em, app, holder, user, now);
      return app.id;
    });
    return this.detail(id, user, now);
  }

  // --- Staff steps -----------------------------------------------------------------------------------

  async act(
    id: string,
    action: ApplicationAction,
    dto: ApplicationActionDto,
    user: CertUser,
    now = new Date(),
  ): Promise<ApplicationDetailDto> {
    const outcome = await this.dataSource.transaction(async (em) => {
      const app = await this.lockApplication(em, id);
      const t = this.transitionOr409(app, action, user.roles);
      for (const field of t.required ?? []) {
        if (field === 'reason' && !dto.reason) throw CertificateException.invalid('reason', 'alasan wajib diisi (reason required)');
        if (field === 'reference' && !dto.reference)
          throw CertificateException.invalid('reference', 'nomor referensi portal wajib diisi (portal reference required)');
      }
      const holder = await em.findOneByOrFail(CertHolderEntity, { id: app.holderId });
      const from = app.state;
      let note = dto.note ?? dto.reason ?? null;
      switch (action) {
        case 'approve_identity':
          app.returnReason = null;
          break;
        case 'return_identity':
          app.returnReason = dto.reason!;
          holder.identitySealed = null;
          await em.save(holder);
          break;
        case 'record_submission':
          app.raReference = dto.reference!;
          app.raSubmittedAt = now;
          app.raSubmittedBy = user.id;
          note = `ref ${dto.reference!}${dto.note ? ` — ${dto.note}` : ''}`;
          break;
        case 'ra_approve':
        case 'ra_refuse':
          app.raDecidedAt = now;
          app.raDecidedBy = user.id;
          app.decisionReason = dto.reason ?? dto.note ?? null;
          break;
        case 'cancel':
          app.decisionReason = dto.reason!;
          break;
        case 'resend_link':
        case 'submit_identity':
        case 'set_passphrase':
        case 'submit_csr':
          break;
      }
      app.state = t.to;
      const ra = await this.finishStep(em, app, holder, action, from, { kind: 'user', id: user.id, name: user.fullName }, note, now);
      return { app, ra };
    });
    await this.afterCommit(outcome.ra);
    return this.detail(outcome.app.id, user, now);
  }

  /**
   * Everything that happens when an application moves: the RA carrying out an approval, links,
   * mail, timeline, audit. Shared by staff steps, applicant steps and the BSrE poll.
   */
  async finishStep(
    em: EntityManager,
    app: CertApplicationEntity,
    holder: CertHolderEntity,
    action: ApplicationAction,
    from: ApplicationState,
    actor: { kind: 'user' | 'applicant' | 'system'; id: string | null; name: string | null },
    note: string | null,
    now: Date,
  ): Promise<RaOutcome | null> {
    const locale = 'id' as const;
    let detail: Record<string, unknown> = {};
    let raOutcome: RaOutcome | null = null;
    if (action === 'ra_approve') {
      const c = await this.raCase(em, app, holder);
      const outcome = await this.ra.carryOut(em, c, now);
      raOutcome = outcome;
      app.issuedCertificateId = outcome.issued?.id ?? null;
      app.pendingPrivateKey = null;
      app.pendingPublicKey = null;
      app.pendingCsr = null;
      detail = { issuedSerial: outcome.issued?.serial, revokedSerials: outcome.revoked?.map((r) => r.serial) };
      if (app.procedure === 'revocation') {
        const revoked = outcome.revoked?.[0] ?? c.target!;
        await this.notify.enqueue(em, {
          to: holder.email,
          template: 'certificates.revoked',
          locale,
          vars: {
            name: holder.fullName,
            number: app.number,
            serial: revoked.serial,
            reason: revoked.revocationReason ?? 'unspecified',
            revokedAt: (revoked.revokedAt ?? now).toISOString(),
          },
        });
      } else if (outcome.issued) {
        const text: Record<Exclude<Procedure, 'revocation'>, string> = {
          issuance:
            'Sertifikat elektronik Anda telah diterbitkan oleh Registration Authority dan dapat dipakai untuk menandatangani dokumen dengan NIK dan passphrase Anda.',
          renewal:
            'Masa berlaku layanan sertifikat elektronik Anda telah diperpanjang: sertifikat baru telah diterbitkan dan menggantikan sertifikat lama.',
          update:
            'Data sertifikat elektronik Anda telah diperbarui: sertifikat dengan data baru telah diterbitkan untuk kunci dan passphrase yang sama.',
        };
        const ownKey = outcome.issued.adapter === 'local' && outcome.issued.privateKey === null;
        if (ownKey) {
          // The holder keeps the key and signs elsewhere: they get the certificate itself, not signing instructions.
          await this.notify.enqueue(em, {
            to: outcome.issued.email,
            template: 'certificates.completed_own_key',
            locale,
            vars: {
              name: holder.fullName,
              number: app.number,
              serial: outcome.issued.serial,
              notAfter: outcome.issued.notAfter.toISOString(),
              certificatePem: pki.toPem(outcome.issued.der).trim(),
            },
          });
        } else {
          await this.notify.enqueue(em, {
            to: outcome.issued.email,
            template: 'certificates.completed',
            locale,
            vars: {
              name: holder.fullName,
              number: app.number,
              outcome: text[app.procedure],
              serial: outcome.issued.serial,
              notAfter: outcome.issued.notAfter.toISOString(),
            },
          });
        }
      }
    }
    if (action === 'ra_refuse') {
      app.pendingPrivateKey = null;
      app.pendingPublicKey = null;
      app.pendingCsr = null;
      await this.notify.enqueue(em, {
        to: holder.email,
        template: 'certificates.refused',
        locale,
        vars: {
          name: holder.fullName,
          number: app.number,
          procedure: PROCEDURE_LABEL[app.procedure].id,
          reason: app.decisionReason ?? '-',
        },
      });
    }
    if (action === 'cancel') {
      app.pendingPrivateKey = null;
      app.pendingPublicKey = null;
      app.pendingCsr = null;
    }
    // Links: any step that leaves a link state invalidates its links; entering one sends a fresh link.
    if (app.state !== from || action === 'resend_link') await this.revokeLinks(em, app.id, now);
    if (
      (app.state === 'awaiting_identity' && (from !== 'awaiting_identity' || action === 'resend_link')) ||
      (app.state === 'awaiting_passphrase' && (from !== 'awaiting_passphrase' || action === 'resend_link'))
    ) {
      await this.sendLink(em, app, holder, app.state === 'awaiting_identity' ? 'identity' : 'passphrase', now);
    }
    if (app.state === 'ra_review' && from !== 'ra_review' && app.adapter === 'local') await this.notifyRa(em, app, holder);
    if (['completed', 'refused', 'cancelled'].includes(app.state)) app.finishedAt = now;
    app.updatedAt = now;
    await em.save(app);
    await em.insert(CertApplicationEventEntity, {
      applicationId: app.id,
      at: now,
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
      action,
      fromState: from,
      toState: app.state,
      note,
    });
    await this.audit.record(em, {
      action: `certificates.${action}`,
      entityType: 'cert_application',
      entityId: app.id,
      before: { state: from },
      after: { state: app.state },
      detail: { number: app.number, procedure: app.procedure, adapter: app.adapter, actorKind: actor.kind, ...detail },
    });
    return raOutcome;
  }

  /** After the step's transaction committed: lets the RA finish (the CRL after a revocation). */
  async afterCommit(outcome: RaOutcome | null): Promise<void> {
    if (outcome && this.ra.afterCommit) await this.ra.afterCommit(outcome);
  }

  // --- The applicant's links ------------------------------------------------------------------------

  /** What a link shows before it is used. A used, expired or unknown link gets a clear answer. */
  async openLink(token: string, now = new Date()): Promise<LinkViewDto> {
    const { link, app, holder } = await this.dataSource.transaction((em) => this.requireLink(em, token, now, false));
    return {
      purpose: link.purpose,
      number: app.number,
      procedure: app.procedure,
      fullName: holder.fullName,
      email: holder.email,
      nikMasked: holder.nikMasked,
      positionTitle: holder.positionTitle,
      expiresAt: link.expiresAt.toISOString(),
      returnReason: app.returnReason,
      passphraseRules: link.purpose === 'passphrase' ? ['min10', 'lettersDigits', 'notPersonal', 'notCommon'] : [],
      csrAccepted:
        link.purpose === 'passphrase' &&
        actionExistsNow({ procedure: app.procedure, adapter: app.adapter, state: app.state }, 'submit_csr'),
    };
  }

  async submitIdentity(dto: IdentitySubmissionDto, now = new Date()): Promise<{ number: string; state: ApplicationState }> {
    return this.dataSource.transaction(async (em) => {
      const { link, app, holder } = await this.requireLink(em, dto.token, now, true);
      if (link.purpose !== 'identity') throw this.linkInvalid();
      const t = this.transitionOr409(app, 'submit_identity', ['applicant']);
      const nik = this.cipher.open(holder.nikSealed, NIK_PURPOSE);
      const typed = this.requireNik(dto.nik, now);
      const mismatch: { field: string; message: string }[] = [];
      if (typed !== nik)
        mismatch.push({
          field: 'nik',
          message: 'NIK tidak sama dengan yang didaftarkan Verifikator (NIK differs from the one registered)',
        });
      const parsed = parseNik(nik, now);
      if (parsed.ok && parsed.value.birthDate !== dto.birthDate) {
        mismatch.push({ field: 'birthDate', message: 'tanggal lahir tidak sesuai dengan NIK (birth date does not match the NIK)' });
      }
      if (mismatch.length) {
        throw new CertificateException(
          CertificateErrorCode.IdentityMismatch,
          'Data identitas tidak sesuai (identity data does not match)',
          { errors: mismatch },
        );
      }
      const identity: IdentityData = {
        fullNameOnId: dto.fullNameOnId,
        birthPlace: dto.birthPlace,
        birthDate: dto.birthDate,
        address: dto.address,
        phone: dto.phone,
        submittedAt: now.toISOString(),
      };
      holder.identitySealed = this.cipher.seal(JSON.stringify(identity), IDENTITY_PURPOSE);
      holder.updatedAt = now;
      await em.save(holder);
      link.usedAt = now;
      await em.save(link);
      const from = app.state;
      app.state = t.to;
      await this.finishStep(em, app, holder, 'submit_identity', from, { kind: 'applicant', id: null, name: holder.fullName }, null, now);
      return { number: app.number, state: app.state };
    });
  }

  async setPassphrase(dto: PassphraseSubmissionDto, now = new Date()): Promise<{ number: string; state: ApplicationState }> {
    if (dto.passphrase !== dto.passphraseConfirmation) {
      throw new CertificateException(CertificateErrorCode.WeakPassphrase, 'Konfirmasi passphrase tidak sama (confirmation differs)', {
        errors: [{ field: 'passphraseConfirmation', message: 'tidak sama dengan passphrase (does not match)' }],
      });
    }
    // Check the link and the rules first, without holding a transaction during key generation.
    const { app: peek, holder: peekHolder } = await this.dataSource.transaction((em) => this.requireLink(em, dto.token, now, false));
    const nik = this.cipher.open(peekHolder.nikSealed, NIK_PURPOSE);
    const rule = checkPassphrase(dto.passphrase, { nik, name: peekHolder.fullName, email: peekHolder.email });
    if (!rule.ok) {
      throw new CertificateException(CertificateErrorCode.WeakPassphrase, `Passphrase tidak memenuhi syarat: ${rule.reason}`, {
        errors: [{ field: 'passphrase', message: rule.reason }],
      });
    }
    this.transitionOr409(peek, 'set_passphrase', ['applicant']);
    if (!this.ra.prepareKey) throw CommonException.illegalTransition(peek.state, 'set_passphrase', []);
    const key = await this.ra.prepareKey(dto.passphrase);
    return this.dataSource.transaction(async (em) => {
      const { link, app, holder } = await this.requireLink(em, dto.token, now, true);
      if (link.purpose !== 'passphrase') throw this.linkInvalid();
      const t = this.transitionOr409(app, 'set_passphrase', ['applicant']);
      app.pendingPrivateKey = key.encryptedPrivateKey;
      app.pendingPublicKey = key.publicKeyPem;
      app.pendingCsr = null;
      app.keySource = 'platform';
      link.usedAt = now;
      await em.save(link);
      const from = app.state;
      app.state = t.to;
      await this.finishStep(em, app, holder, 'set_passphrase', from, { kind: 'applicant', id: null, name: holder.fullName }, null, now);
      return { number: app.number, state: app.state };
    });
  }

  /**
   * Step 4, the other way: the applicant keeps their own key pair and sends a PKCS#10 request through
   * the passphrase link. The request must verify, carry an acceptable key (EC P-256 or RSA ≥ 2048)
   * and, if it names an e-mail, the holder's. Its subject is not copied: the certificate carries the
   * identity the verifier checked. The platform then holds no private key and cannot sign for them.
   */
  async submitCsr(dto: CsrSubmissionDto, now = new Date()): Promise<{ number: string; state: ApplicationState }> {
    let csr: pki.CsrInfo;
    try {
      csr = pki.parseCsr(dto.csr.trim());
    } catch (err) {
      if (err instanceof pki.PkiError) {
        throw new CertificateException(
          CertificateErrorCode.MalformedCsr,
          `Permintaan sertifikat (CSR) ditolak: ${CSR_PROBLEM[err.code] ?? err.message}`,
          {
            reason: err.code,
            errors: [{ field: 'csr', message: err.message }],
          },
        );
      }
      throw err;
    }
    return this.dataSource.transaction(async (em) => {
      const { link, app, holder } = await this.requireLink(em, dto.token, now, true);
      if (link.purpose !== 'passphrase') throw this.linkInvalid();
      const t = this.transitionOr409(app, 'submit_csr', ['applicant']);
      const foreign = csr.emails.filter((e) => e.toLowerCase() !== holder.email.toLowerCase());
      if (foreign.length) {
        throw new CertificateException(
          CertificateErrorCode.MalformedCsr,
          `CSR memuat e-mail lain dari e-mail pemohon (${holder.email}) (the request names another e-mail)`,
          {
            reason: 'EMAIL_MISMATCH',
            errors: [{ field: 'csr', message: `e-mail ${foreign.join(', ')} bukan milik pemohon (not the applicant's)` }],
          },
        );
      }
      app.pendingPrivateKey = null;
      app.pendingPublicKey = csr.publicKey.export({ format: 'pem', type: 'spki' }).toString();
      app.pendingCsr = pki.toPem(csr.der, 'CERTIFICATE REQUEST');
      app.keySource = 'csr';
      link.usedAt = now;
      await em.save(link);
      const from = app.state;
      app.state = t.to;
      const keyNote = `CSR: ${csr.publicKeyInfo.label}`;
      await this.finishStep(em, app, holder, 'submit_csr', from, { kind: 'applicant', id: null, name: holder.fullName }, keyNote, now);
      return { number: app.number, state: app.state };
    });
  }

  // --- Reading ----------------------------------------------------------------------------------------

  async list(q: ApplicationQueryDto, user: CertUser, now = new Date()): Promise<Page<ApplicationSummaryDto>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const scope = q.scope ?? 'open';
    if (scope === 'open') where.push(`a.state = ANY($${params.push([...OPEN_APPLICATION_STATES])})`);
    if (scope === 'finished') where.push(`a.state IN ('completed','refused','cancelled')`);
    if (q.procedure) where.push(`a.procedure = $${params.push(q.procedure)}`);
    if (q.state) where.push(`a.state = $${params.push(q.state)}`);
    if (q.q) {
      const i = params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(h.full_name ILIKE $${i} OR h.email ILIKE $${i} OR a.number ILIKE $${i})`);
    }
    const sql = `FROM cert_applications a JOIN cert_holders h ON h.id = a.holder_id LEFT JOIN org_units u ON u.id = h.org_unit_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::int AS count ${sql}`, params)) as [{ count: number }];
    const rows = (await this.dataSource.query(
      `SELECT a.id, a.number, a.procedure, a.adapter, a.state, a.submitted_at, a.due_at, a.finished_at, a.updated_at,
              h.full_name, h.email, h.nik_masked, u.name AS unit_name
       ${sql} ORDER BY (a.finished_at IS NULL) DESC, a.due_at ASC, a.number DESC LIMIT $${params.push(q.pageSize)} OFFSET $${params.push(offsetOf(q))}`,
      params,
    )) as Array<Record<string, unknown>>;
    const items = rows.map((r) => {
      const facts = { procedure: r.procedure as Procedure, adapter: r.adapter as 'local' | 'bsre', state: r.state as ApplicationState };
      return {
        id: r.id as string,
        number: r.number as string,
        procedure: facts.procedure,
        adapter: facts.adapter,
        state: facts.state,
        waitingOn: waitingOn(facts),
        holderName: r.full_name as string,
        holderEmail: r.email as string,
        nikMasked: r.nik_masked as string,
        unitName: (r.unit_name as string | null) ?? null,
        submittedAt: (r.submitted_at as Date).toISOString(),
        dueAt: (r.due_at as Date).toISOString(),
        sla: this.sla(r.submitted_at as Date, r.due_at as Date, r.finished_at as Date | null, now),
        myActions: allowedApplicationActions(facts, user.roles),
      };
    });
    return pageOf(items, count, q);
  }

  async detail(id: string, user: CertUser, now = new Date()): Promise<ApplicationDetailDto> {
    const app = await this.dataSource.getRepository(CertApplicationEntity).findOneBy({ id });
    if (!app) throw CertificateException.applicationNotFound(id);
    const holder = await this.dataSource.getRepository(CertHolderEntity).findOneByOrFail({ id: app.holderId });
    const unit = (await this.dataSource.query(`SELECT name FROM org_units WHERE id = $1`, [holder.orgUnitId])) as Array<{ name: string }>;
    const docs = await this.dataSource
      .getRepository(CertApplicationDocumentEntity)
      .find({ where: { applicationId: id }, order: { uploadedAt: 'ASC' } });
    const events = await this.dataSource
      .getRepository(CertApplicationEventEntity)
      .find({ where: { applicationId: id }, order: { id: 'ASC' } });
    const certIds = [app.certificateId, app.issuedCertificateId].filter((x): x is string => !!x);
    const certs = certIds.length
      ? await this.dataSource.getRepository(CertificateEntity).find({ where: certIds.map((cid) => ({ id: cid })) })
      : [];
    const summary = (cid: string | null) => {
      const c = certs.find((x) => x.id === cid);
      return c
        ? {
            id: c.id,
            serial: c.serial,
            status: this.certStatus(c, now),
            notBefore: c.notBefore.toISOString(),
            notAfter: c.notAfter.toISOString(),
          }
        : null;
    };
    const facts = { procedure: app.procedure, adapter: app.adapter, state: app.state };
    // The applicant's identity data is shown to the staff who verify it, never in lists.
    const mayReview = user.roles.includes('verifier') || user.roles.includes('ra_operator');
    const identity =
      mayReview && holder.identitySealed ? (JSON.parse(this.cipher.open(holder.identitySealed, IDENTITY_PURPOSE)) as IdentityData) : null;
    const myActions = allowedApplicationActions(facts, user.roles);
    return {
      id: app.id,
      number: app.number,
      procedure: app.procedure,
      adapter: app.adapter,
      state: app.state,
      waitingOn: waitingOn(facts),
      holder: {
        id: holder.id,
        fullName: holder.fullName,
        email: holder.email,
        nikMasked: holder.nikMasked,
        nip: holder.nip,
        positionTitle: holder.positionTitle,
        orgUnitId: holder.orgUnitId,
        unitName: unit[0]?.name ?? null,
      },
      identity,
      changes: app.changes ? { ...app.changes } : null,
      revocationReason: app.revocationReason,
      note: app.note,
      returnReason: app.returnReason,
      decisionReason: app.decisionReason,
      raReference: app.raReference,
      raSubmittedAt: app.raSubmittedAt?.toISOString() ?? null,
      raDecidedAt: app.raDecidedAt?.toISOString() ?? null,
      raLastStatus: app.raLastStatus,
      raLastPolledAt: app.raLastPolledAt?.toISOString() ?? null,
      keySource: app.keySource,
      csr: app.pendingCsr ? this.csrView(app.pendingCsr) : null,
      certificate: summary(app.certificateId),
      issuedCertificate: summary(app.issuedCertificateId),
      submittedAt: app.submittedAt.toISOString(),
      dueAt: app.dueAt.toISOString(),
      finishedAt: app.finishedAt?.toISOString() ?? null,
      sla: this.sla(app.submittedAt, app.dueAt, app.finishedAt, now),
      documents: docs.map((d) => ({
        id: d.id,
        kind: d.kind,
        fileName: d.fileName,
        contentType: d.contentType,
        size: Number(d.size),
        sha256: d.sha256,
        uploadedAt: d.uploadedAt.toISOString(),
      })),
      timeline: events.map((e) => ({
        at: e.at.toISOString(),
        actorKind: e.actorKind,
        actorName: e.actorName,
        action: e.action,
        fromState: e.fromState,
        toState: e.toState,
        note: e.note,
      })),
      allowedActions: myActions.map((a) => ({ action: a, ...fieldsOf(facts, a) })),
    };
  }

  private csrView(pem: string): CsrViewDto {
    const info = pki.parseCsr(pem);
    return {
      requestedSubject: info.subject,
      requestedEmails: info.emails,
      key: info.publicKeyInfo.label,
      signatureAlgorithm: info.signatureAlgorithm,
      pem,
    };
  }

  async openDocument(
    id: string,
    documentId: string,
    user: CertUser,
  ): Promise<{ stream: NodeJS.ReadableStream; fileName: string; contentType: string; size: number }> {
    return this.dataSource.transaction(async (em) => {
      const doc = await em.findOneBy(CertApplicationDocumentEntity, { id: documentId, applicationId: id });
      if (!doc) throw new CertificateException(CertificateErrorCode.DocumentNotFound, 'Dokumen tidak ditemukan (document not found)');
      const stream = await this.storage.open(doc.sha256);
      await this.audit.record(em, {
        action: 'certificates.document_downloaded',
        entityType: 'cert_application',
        entityId: id,
        detail: { documentId, sha256: doc.sha256, by: user.id },
      });
      return { stream, fileName: doc.fileName, contentType: doc.contentType, size: Number(doc.size) };
    });
  }

  /** The RA case of an application, with the NIK opened for the adapter. */
  async raCase(em: EntityManager, app: CertApplicationEntity, holder: CertHolderEntity): Promise<RaCase> {
    const target = app.certificateId ? await em.findOneBy(CertificateEntity, { id: app.certificateId }) : null;
    const unit = (await em.query(`SELECT name FROM org_units WHERE id = $1`, [app.changes?.orgUnitId ?? holder.orgUnitId])) as Array<{
      name: string;
    }>;
    return { application: app, holder, nik: this.cipher.open(holder.nikSealed, NIK_PURPOSE), target, unitName: unit[0]?.name ?? '' };
  }

  // --- Internals ----------------------------------------------------------------------------------------

  private transitionOr409(app: CertApplicationEntity, action: ApplicationAction, roles: readonly string[]) {
    const facts = { procedure: app.procedure, adapter: app.adapter, state: app.state };
    const t = findTransition(facts, action, roles);
    if (t) return t;
    if (actionExistsNow(facts, action)) {
      throw new CertificateException(
        CertificateErrorCode.RoleNotAllowed,
        `Peran Anda tidak dapat melakukan '${action}' pada tahap ini (your role may not take this step)`,
        {
          state: app.state,
          allowedActions: allowedApplicationActions(facts, roles),
        },
      );
    }
    throw CommonException.illegalTransition(app.state, action, allowedApplicationActions(facts, roles));
  }

  private sla(submittedAt: Date, dueAt: Date, finishedAt: Date | null, now: Date) {
    return slaStatus({ startedAt: submittedAt, dueAt, stoppedAt: finishedAt, now, warnBeforeMs: 8 * 3600 * 1000 });
  }

  certStatus(c: CertificateEntity, now: Date): 'active' | 'revoked' | 'expired' | 'not_yet_valid' {
    if (c.status === 'revoked') return 'revoked';
    if (c.notAfter.getTime() < now.getTime()) return 'expired';
    if (c.notBefore.getTime() > now.getTime()) return 'not_yet_valid';
    return 'active';
  }

  private requireNik(raw: string, now: Date): string {
    const r = parseNik(raw, now);
    if (!r.ok)
      throw new CertificateException(CertificateErrorCode.InvalidNik, `NIK tidak valid: ${r.reason}`, {
        errors: [{ field: 'nik', message: r.reason }],
      });
    return raw.replace(/[\s.-]/g, '');
  }

  private optionalNip(raw: string | undefined): string | null {
    if (!raw) return null;
    const r = parseNip(raw);
    if (!r.ok)
      throw new CertificateException(CertificateErrorCode.InvalidNip, `NIP tidak valid: ${r.reason}`, {
        errors: [{ field: 'nip', message: r.reason }],
      });
    return raw.replace(/[\s.-]/g, '');
  }

  private requireDocuments(files: UploadedDocument[], kind: 'recommendation_letter' | 'supporting_document'): void {
    if (files.length === 0) {
      throw kind === 'recommendation_letter'
        ? new CertificateException(
            CertificateErrorCode.LetterRequired,
            'Surat rekomendasi (PDF) wajib dilampirkan (recommendation letter required)',
            {
              errors: [{ field: 'documents', message: 'surat rekomendasi wajib (required)' }],
            },
          )
        : new CertificateException(
            CertificateErrorCode.DocumentRequired,
            'Dokumen pendukung wajib dilampirkan (supporting document required)',
            {
              errors: [{ field: 'documents', message: 'dokumen pendukung wajib (required)' }],
            },
          );
    }
    for (const f of files) {
      if (f.size === 0)
        throw new CertificateException(CertificateErrorCode.InvalidDocument, `Berkas ${f.originalname} kosong (empty file)`, {
          errors: [{ field: 'documents', message: 'berkas kosong (empty)' }],
        });
      if (f.buffer.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new CertificateException(CertificateErrorCode.InvalidDocument, `Berkas ${f.originalname} bukan PDF (documents must be PDF)`, {
          errors: [{ field: 'documents', message: 'harus berkas PDF (must be a PDF)' }],
        });
      }
    }
  }

  private async storeDocuments(files: UploadedDocument[]) {
    const max = this.config.get('CERT_DOCUMENT_MAX_BYTES');
    const out: Array<{ sha256: string; size: number; fileName: string }> = [];
    for (const f of files) {
      const s = await this.storage.put(f.buffer, { maxBytes: max });
      out.push({ ...s, fileName: f.originalname.slice(0, 255) || 'dokumen.pdf' });
    }
    return out;
  }

  private async insertDocuments(
    em: EntityManager,
    applicationId: string,
    stored: Array<{ sha256: string; size: number; fileName: string }>,
    kind: 'recommendation_letter' | 'supporting_document',
    user: CertUser,
    now: Date,
  ) {
    for (const s of stored) {
      await em.insert(CertApplicationDocumentEntity, {
        applicationId,
        kind,
        sha256: s.sha256,
        size: String(s.size),
        fileName: s.fileName,
        contentType: 'application/pdf',
        uploadedBy: user.id,
        uploadedAt: now,
      });
    }
  }

  private async requireUnit(em: EntityManager, id: string, field: string): Promise<void> {
    const rows = (await em.query(`SELECT 1 FROM org_units WHERE id = $1 AND active`, [id])) as unknown[];
    if (!rows.length)
      throw new CertificateException(CertificateErrorCode.InvalidUnit, 'Unit OPD tidak dikenal (unknown OPD unit)', {
        errors: [{ field, message: 'unit tidak dikenal (unknown unit)' }],
      });
  }

  private async activeCertificate(em: EntityManager, holderId: string, now: Date): Promise<CertificateEntity | null> {
    return em
      .getRepository(CertificateEntity)
      .createQueryBuilder('c')
      .where('c.holder_id = :holderId AND c.status = :s AND c.not_after > :now', { holderId, s: 'active', now })
      .orderBy('c.not_after', 'DESC')
      .getOne();
  }

  private async targetCertificate(em: EntityManager, certificateId: string, opts: { allowExpired: boolean }) {
    const certificate = await em.findOne(CertificateEntity, { where: { id: certificateId }, lock: { mode: 'pessimistic_write' } });
    if (!certificate) throw CertificateException.certificateNotFound(certificateId);
    const now = new Date();
    if (certificate.status === 'revoked' || (!opts.allowExpired && certificate.notAfter.getTime() < now.getTime())) {
      throw new CertificateException(
        CertificateErrorCode.CertificateNotActive,
        `Sertifikat ${certificate.serial} tidak aktif (${certificate.status === 'revoked' ? 'dicabut' : 'kedaluwarsa'}) (certificate not active)`,
      );
    }
    const holder = await em.findOneOrFail(CertHolderEntity, { where: { id: certificate.holderId }, lock: { mode: 'pessimistic_write' } });
    return { holder, certificate };
  }

  private async insertApplication(
    em: EntityManager,
    procedure: Procedure,
    holder: CertHolderEntity,
    certificate: CertificateEntity | null,
    user: CertUser,
    now: Date,
    extra: Partial<CertApplicationEntity>,
  ): Promise<CertApplicationEntity> {
    const open = await em.query(`SELECT number FROM cert_applications WHERE holder_id = $1 AND state = ANY($2)`, [
      holder.id,
      [...OPEN_APPLICATION_STATES],
    ]);
    if ((open as unknown[]).length) {
      const number = (open as Array<{ number: string }>)[0]!.number;
      throw new CertificateException(
        CertificateErrorCode.OpenApplicationExists,
        `Pemohon ini masih memiliki permohonan ${number} yang berjalan (an application is still open)`,
        { number },
      );
    }
    const [{ n }] = (await em.query(`SELECT nextval('cert_application_numbers')::int AS n`)) as [{ n: number }];
    const number = `TTE-${this.calendar.localDate(now).slice(0, 4)}-${String(n % 1_000_000).padStart(6, '0')}`;
    const adapter = this.ra.kind;
    return em.save(
      em.create(CertApplicationEntity, {
        number,
        procedure,
        adapter,
        state: initialState(procedure, adapter),
        holderId: holder.id,
        verifierId: user.id,
        certificateId: certificate?.id ?? null,
        submittedAt: now,
        dueAt: dueDate(this.calendar, now, SERVICE_WORKING_DAYS),
        createdAt: now,
        updatedAt: now,
        ...extra,
      }),
    );
  }

  private async afterCreate(
    em: EntityManager,
    app: CertApplicationEntity,
    holder: CertHolderEntity,
    user: CertUser,
    now: Date,
  ): Promise<void> {
    await em.insert(CertApplicationEventEntity, {
      applicationId: app.id,
      at: now,
      actorKind: 'user',
      actorId: user.id,
      actorName: user.fullName,
      action: 'submitted',
      fromState: null,
      toState: app.state,
      note: app.note,
    });
    await this.audit.record(em, {
      action: 'certificates.application_submitted',
      entityType: 'cert_application',
      entityId: app.id,
      after: { state: app.state },
      detail: {
        number: app.number,
        procedure: app.procedure,
        adapter: app.adapter,
        holderId: holder.id,
        certificateId: app.certificateId,
        revocationReason: app.revocationReason,
        changes: app.changes,
      },
    });
    if (app.state === 'awaiting_identity') await this.sendLink(em, app, holder, 'identity', now);
    if (app.state === 'ra_review' && app.adapter === 'local') await this.notifyRa(em, app, holder);
  }

  private async sendLink(
    em: EntityManager,
    app: CertApplicationEntity,
    holder: CertHolderEntity,
    purpose: 'identity' | 'passphrase',
    now: Date,
  ): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.config.get('CERT_LINK_TTL_HOURS') * 3600_000);
    await em.insert(CertApplicantLinkEntity, { applicationId: app.id, purpose, tokenHash: hashToken(token), expiresAt, createdAt: now });
    const base = this.config.get('PUBLIC_URL');
    const link = `${base}/tte/${purpose === 'identity' ? 'identitas' : 'passphrase'}#token=${token}`;
    if (purpose === 'identity') {
      const note = app.returnReason
        ? `Verifikator meminta perbaikan data: ${app.returnReason}`
        : app.procedure === 'renewal'
          ? 'Pembaruan sertifikat memerlukan data identitas terbaru Anda.'
          : ' ';
      await this.notify.enqueue(em, {
        to: holder.email,
        template: 'certificates.identity_link',
        vars: {
          name: holder.fullName,
          number: app.number,
          procedure: PROCEDURE_LABEL[app.procedure].id,
          link,
          expiresAt: expiresAt.toISOString(),
          note,
        },
      });
    } else {
      await this.notify.enqueue(em, {
        to: holder.email,
        template: 'certificates.passphrase_link',
        vars: { name: holder.fullName, number: app.number, link, expiresAt: expiresAt.toISOString() },
      });
    }
  }

  private async revokeLinks(em: EntityManager, applicationId: string, now: Date): Promise<void> {
    await em.query(`UPDATE cert_applicant_links SET revoked_at = $2 WHERE application_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [
      applicationId,
      now,
    ]);
  }

  private async notifyRa(em: EntityManager, app: CertApplicationEntity, holder: CertHolderEntity): Promise<void> {
    const operators = (await em.query(`SELECT email, locale FROM users WHERE active AND 'ra_operator' = ANY(roles)`)) as Array<{
      email: string;
      locale: 'id' | 'en';
    }>;
    const unit = (await em.query(`SELECT name FROM org_units WHERE id = $1`, [holder.orgUnitId])) as Array<{ name: string }>;
    for (const op of operators) {
      await this.notify.enqueue(em, {
        to: op.email,
        template: 'certificates.ra_request',
        locale: op.locale,
        vars: {
          number: app.number,
          procedure: PROCEDURE_LABEL[app.procedure][op.locale],
          name: holder.fullName,
          unit: unit[0]?.name ?? '-',
          applicationId: app.id,
        },
      });
    }
  }

  private linkInvalid(): CertificateException {
    return new CertificateException(CertificateErrorCode.LinkInvalid, 'Tautan tidak dikenal (unknown link)');
  }

  private async requireLink(em: EntityManager, token: string, now: Date, lock: boolean) {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw this.linkInvalid();
    const link = await em.findOne(CertApplicantLinkEntity, {
      where: { tokenHash: hashToken(token) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!link) throw this.linkInvalid();
    if (link.usedAt)
      throw new CertificateException(
        CertificateErrorCode.LinkUsed,
        'Tautan ini sudah dipakai; setiap tautan hanya berlaku satu kali (link already used)',
        { usedAt: link.usedAt.toISOString() },
      );
    if (link.revokedAt)
      throw new CertificateException(
        CertificateErrorCode.LinkUsed,
        'Tautan ini sudah tidak berlaku karena tautan yang lebih baru telah dikirim (link replaced by a newer one)',
      );
    if (link.expiresAt.getTime() <= now.getTime()) {
      throw new CertificateException(
        CertificateErrorCode.LinkExpired,
        'Tautan ini sudah kedaluwarsa; mintalah Verifikator mengirim tautan baru (link expired)',
        { expiresAt: link.expiresAt.toISOString() },
      );
    }
    const app = lock
      ? await this.lockApplication(em, link.applicationId)
      : await em.findOneByOrFail(CertApplicationEntity, { id: link.applicationId });
    const holder = await em.findOneByOrFail(CertHolderEntity, { id: app.holderId });
    return { link, app, holder };
  }

  async lockApplication(em: EntityManager, id: string): Promise<CertApplicationEntity> {
    const app = await em.findOne(CertApplicationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!app) throw CertificateException.applicationNotFound(id);
    return app;
  }
}
