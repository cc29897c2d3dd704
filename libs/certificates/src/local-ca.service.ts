import { createHash, hkdfSync, type KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, ConfigService, DatabaseNotifications, isEmbeddedDatabase, type NotificationSubscription } from '@sandi/core';
import { toPem } from './certificate.service.js';
import { CertificateErrorCode, CertificateException } from './certificate.exception.js';
import type { RevocationReason } from './certificate.workflow.js';
import { CertCrlEntity } from './entities/cert-crl.entity.js';
import { CertificateAuthorityEntity } from './entities/certificate-authority.entity.js';
import { OcspStatusCache } from './ocsp-status.cache.js';
import * as pki from './pki/index.js';

export interface LoadedAuthority {
  entity: CertificateAuthorityEntity;
  der: Buffer;
  key: KeyObject;
}

export interface IssueRequest {
  publicKey: KeyObject;
  commonName: string;
  email: string;
  organizationalUnit: string;
  title: string;
  notBefore: Date;
  notAfter: Date;
}

export interface IssuedCertificate {
  der: Buffer;
  serial: string;
  subject: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

const LOCK_CA = 'certificates.ca';
const LOCK_CRL = 'certificates.crl';

/** The OCSP status lookup: the unique index on serial. */
const OCSP_STATUS_SQL = `SELECT status, revoked_at, revocation_reason FROM certificates WHERE serial = $1 AND adapter = 'local'`;

interface OcspStatusRow {
  status: string;
  revoked_at: Date | null;
  revocation_reason: RevocationReason | null;
}

/** The part of node-postgres's Pool the OCSP lookup uses (a named, i.e. prepared, statement). */
interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: OcspStatusRow[] }>;
}

/**
 * The platform's own CA (the `local` RA adapter): a root and an issuing CA created once on first
 * start, keys kept PKCS#8-encrypted at rest under a key derived from DATA_ENCRYPTION_KEY and held
 * decrypted in memory while the process runs (as a soft-key CA does). Issues end-entity
 * certificates, re-issues the CRL, answers OCSP.
 */
@Injectable()
export class LocalCaService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LocalCaService.name);
  private loaded: Promise<{ root: LoadedAuthority; issuing: LoadedAuthority }> | null = null;
  private responder: Promise<pki.OcspResponder> | null = null;
  /** The responder once built, for answers without a promise round. */
  private responderReady: pki.OcspResponder | null = null;
  private readonly statuses: OcspStatusCache;
  private statusSubscription: NotificationSubscription | null = null;
  private readonly lookup: pki.OcspLookup = (serial) => this.statuses.get(serial) ?? this.readStatus(serial);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService,
    private readonly audit: AuditService,
    private readonly notifications: DatabaseNotifications,
  ) {
    this.statuses = new OcspStatusCache(this.config.get('CERT_OCSP_CACHE_SECONDS') * 1000);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('CERT_RA_ADAPTER') !== 'local') return;
    if (this.config.get('CERT_OCSP_CACHE_SECONDS') > 0) {
      this.statusSubscription = this.notifications.subscribe('certificates_status', {
        message: (serial) => this.statuses.changed(serial),
        live: () => this.statuses.live(),
        lost: () => {
          this.statuses.lost();
          this.logger.warn('Certificate status notifications lost: OCSP reads every status from the database until they are back');
        },
      });
    }
    await this.authorities();
  }

  async onModuleDestroy(): Promise<void> {
    const sub = this.statusSubscription;
    this.statusSubscription = null;
    this.statuses.lost();
    await sub?.close();
  }

  /** The CA key's passphrase: derived from the data key, so it never sits in the database or a file. */
  private caPassphrase(): string {
    const key = Buffer.from(this.config.get('DATA_ENCRYPTION_KEY') ?? '', 'base64');
    return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'sandi/local-ca-key/v1', 32)).toString('base64url');
  }

  get baseUrl(): string {
    return `${this.config.get('PUBLIC_URL')}/api/v1/pki`;
  }

  authorities(): Promise<{ root: LoadedAuthority; issuing: LoadedAuthority }> {
    this.loaded ??= this.loadOrCreate().catch((err: unknown) => {
      this.loaded = null;
      throw err;
    });
    return this.loaded;
  }

  private async loadOrCreate(): Promise<{ root: LoadedAuthority; issuing: LoadedAuthority }> {
    const entities = await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOCK_CA]);
      const existing = await em.find(CertificateAuthorityEntity, { where: { active: true } });
      const root = existing.find((e) => e.kind === 'root');
      const issuing = existing.find((e) => e.kind === 'issuing');
      if (root && issuing) return { root, issuing };
      return this.create(em);
    });
    const open = async (entity: CertificateAuthorityEntity): Promise<LoadedAuthority> => ({
      entity,
      der: entity.certificate,
      key: await pki.decryptPrivateKey(entity.privateKey, this.caPassphrase()),
    });
    return { root: await open(entities.root), issuing: await open(entities.issuing) };
  }

  private async create(em: EntityManager): Promise<{ root: CertificateAuthorityEntity; issuing: CertificateAuthorityEntity }> {
    const algorithm = this.config.get('CA_KEY_ALGORITHM');
    const org = this.config.get('CA_ORGANIZATION');
    const now = new Date();
    const rootKeys = await pki.generateKeyPair(algorithm);
    const root = await pki.createRootCa({
      keys: rootKeys,
      subject: { commonName: `${org} Root CA`, organization: org, country: 'ID' },
      notBefore: now,
      notAfter: new Date(now.getTime() + 20 * 365.25 * 86_400_000),
    });
    const issuingKeys = await pki.generateKeyPair(algorithm);
    const issuing = await pki.createIssuingCa({
      keys: issuingKeys,
      issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
      subject: { commonName: `${org} Issuing CA`, organization: org, country: 'ID' },
      notBefore: now,
      notAfter: new Date(now.getTime() + 10 * 365.25 * 86_400_000),
      caIssuersUrl: `${this.baseUrl}/ca/root.crt`,
    });
    const passphrase = this.caPassphrase();
    const save = async (
      kind: 'root' | 'issuing',
      made: { der: Buffer; serial: string; subject: string; notBefore: Date; notAfter: Date },
      key: KeyObject,
    ) =>
      em.save(
        em.create(CertificateAuthorityEntity, {
          kind,
          algorithm,
          subject: made.subject,
          serial: made.serial,
          certificate: made.der,
          privateKey: await pki.encryptPrivateKey(key, passphrase),
          notBefore: made.notBefore,
          notAfter: made.notAfter,
          active: true,
        }),
      );
    const rootEntity = await save('root', root, rootKeys.privateKey);
    const issuingEntity = await save('issuing', issuing, issuingKeys.privateKey);
    await this.audit.record(em, {
      action: 'certificates.ca_created',
      entityType: 'cert_authority',
      entityId: issuingEntity.id,
      detail: {
        algorithm,
        root: { subject: root.subject, serial: root.serial },
        issuing: { subject: issuing.subject, serial: issuing.serial },
      },
    });
    this.logger.log(`local CA created (${algorithm}): ${issuing.subject}`);
    return { root: rootEntity, issuing: issuingEntity };
  }

  async chainPem(): Promise<string> {
    const { root, issuing } = await this.authorities();
    return toPem(issuing.der) + toPem(root.der);
  }

  /** Generates a holder key pair and returns the private key encrypted under the holder's passphrase. */
  async prepareHolderKey(passphrase: string): Promise<{ encryptedPrivateKey: string; publicKeyPem: string }> {
    const keys = await pki.generateKeyPair(this.config.get('CA_KEY_ALGORITHM'));
    return {
      encryptedPrivateKey: await pki.encryptPrivateKey(keys.privateKey, passphrase),
      publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  }

  async issue(req: IssueRequest): Promise<IssuedCertificate> {
    const { issuing } = await this.authorities();
    const made = await pki.issueCertificate({
      issuer: { certificate: issuing.der, privateKey: issuing.key },
      publicKey: req.publicKey,
      subject: {
        commonName: req.commonName,
        email: req.email,
        organization: this.config.get('CA_ORGANIZATION'),
        organizationalUnit: req.organizationalUnit,
        title: req.title,
        country: 'ID',
      },
      email: req.email,
      notBefore: req.notBefore,
      // A certificate never outlives its issuing CA (near the CA's end, validity is shortened).
      notAfter: new Date(Math.min(req.notAfter.getTime(), issuing.entity.notAfter.getTime())),
      crlUrl: `${this.baseUrl}/crl`,
      ocspUrl: `${this.baseUrl}/ocsp`,
      caIssuersUrl: `${this.baseUrl}/ca/issuing.crt`,
    });
    return {
      der: made.der,
      serial: made.serial,
      subject: made.subject,
      fingerprint: createHash('sha256').update(made.der).digest('hex'),
      notBefore: made.notBefore,
      notAfter: made.notAfter,
    };
  }

  /** Issues a new CRL from the revoked certificates in the database. Numbers only grow. */
  async regenerateCrl(now = new Date()): Promise<CertCrlEntity> {
    const { issuing } = await this.authorities();
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LOCK_CRL]);
      const revoked = (await em.query(
        `SELECT serial, revoked_at, revocation_reason FROM certificates WHERE status = 'revoked' AND adapter = 'local' ORDER BY revoked_at`,
      )) as Array<{ serial: string; revoked_at: Date; revocation_reason: RevocationReason | null }>;
      const [{ last }] = (await em.query(`SELECT COALESCE(max(crl_number), 0)::text AS last FROM cert_crls`)) as [{ last: string }];
      const crlNumber = BigInt(last) + 1n;
      const nextUpdate = new Date(now.getTime() + this.config.get('CRL_VALIDITY_HOURS') * 3600_000);
      const der = await pki.buildCrl({
        issuer: { certificate: issuing.der, privateKey: issuing.key },
        thisUpdate: now,
        nextUpdate,
        crlNumber,
        revoked: revoked.map((r) => ({ serial: r.serial, revokedAt: r.revoked_at, reason: r.revocation_reason ?? undefined })),
      });
      const row = em.create(CertCrlEntity, {
        crlNumber: crlNumber.toString(),
        thisUpdate: now,
        nextUpdate,
        revokedCount: revoked.length,
        der: Buffer.from(der),
      });
      await em.insert(CertCrlEntity, row);
      // Keep the last few for audit; the CRL is derivable from the certificates table anyway.
      await em.query(`DELETE FROM cert_crls WHERE crl_number < $1`, [(crlNumber - 50n).toString()]);
      return row;
    });
  }

  /** The newest CRL, re-issued first when none exists or its nextUpdate is near. */
  async currentCrl(now = new Date()): Promise<CertCrlEntity> {
    const latest = await this.dataSource.getRepository(CertCrlEntity).find({ order: { crlNumber: 'DESC' }, take: 1 });
    const crl = latest[0];
    const margin = Math.min(3600_000, (this.config.get('CRL_VALIDITY_HOURS') * 3600_000) / 4);
    if (crl && crl.nextUpdate.getTime() - margin > now.getTime()) return crl;
    return this.regenerateCrl(now);
  }

  /** Re-issues the CRL when it nears nextUpdate (scheduled). */
  async refreshCrl(now = new Date()): Promise<boolean> {
    const before = await this.dataSource.getRepository(CertCrlEntity).find({ order: { crlNumber: 'DESC' }, take: 1 });
    const after = await this.currentCrl(now);
    return before[0]?.crlNumber !== after.crlNumber;
  }

  /** Answers an OCSP request (DER in, DER out). Never throws for bad input: the protocol has its own errors. */
  async ocsp(requestDer: Buffer): Promise<Buffer> {
    return this.ocspNow(requestDer);
  }

  /**
   * The same, synchronously when it can be: the responder is built, every status asked for is in
   * the status cache and the CA key is ECDSA (the OCSP endpoint's fast path). Otherwise a promise.
   */
  ocspNow(requestDer: Buffer): Buffer | Promise<Buffer> {
    const ready = this.responderReady;
    if (ready) return ready.respondNow(requestDer, this.lookup);
    return this.ocspResponder().then(
      (responder) => responder.respondNow(requestDer, this.lookup),
      (err: unknown) => {
        this.logger.error(`OCSP responder unavailable: ${err instanceof Error ? err.message : String(err)}`);
        return Buffer.from(pki.ocspErrorResponse('tryLater'));
      },
    );
  }

  /** A status from the database, kept in the cache when the notifications are live. */
  private async readStatus(serial: string): Promise<pki.OcspCertStatus> {
    const ticket = this.statuses.ticket();
    const r = await this.ocspStatus(serial);
    let status: pki.OcspCertStatus;
    if (!r) status = { status: 'unknown' };
    else if (r.status === 'revoked') status = { status: 'revoked', revokedAt: r.revoked_at!, reason: r.revocation_reason ?? undefined };
    else status = { status: 'good' };
    return this.statuses.set(serial, status, ticket, Date.now());
  }

  /**
   * One certificate's status from the database (the status cache in front of it is dropped by
   * every change, on every instance). On PostgreSQL the statement is a node-postgres named statement
   * run on the pool itself: parsed and planned once per connection, and without a TypeORM query
   * runner per request. TypeORM loads node-postgres exactly when no custom driver is configured (the
   * embedded PGlite driver is one); that one gets the plain query.
   */
  private async ocspStatus(serial: string): Promise<OcspStatusRow | undefined> {
    if (isEmbeddedDatabase(this.dataSource)) {
      return ((await this.dataSource.query(OCSP_STATUS_SQL, [serial])) as OcspStatusRow[])[0];
    }
    const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
    return (await pool.query({ name: 'certificates_ocsp_status', text: OCSP_STATUS_SQL, values: [serial] })).rows[0];
  }

  private ocspResponder(): Promise<pki.OcspResponder> {
    this.responder ??= this.authorities()
      .then(({ issuing }) =>
        pki.createOcspResponder({
          issuerCertificate: issuing.der,
          signerKey: issuing.key,
          preproducedSeconds: this.config.get('CERT_OCSP_CACHE_SECONDS'),
          onError: (err) =>
            this.logger.error(
              `OCSP lookup or signing failed (answered internalError): ${err instanceof Error ? err.message : String(err)}`,
            ),
        }),
      )
      .then((responder) => (this.responderReady = responder))
      .catch((err: unknown) => {
        this.responder = null;
        throw err;
      });
    return this.responder;
  }

  /** Trust anchors and intermediates for verification. */
  async trust(): Promise<{ roots: Buffer[]; intermediates: Buffer[] }> {
    if (this.config.get('CERT_RA_ADAPTER') !== 'local') {
      const rows = await this.dataSource.getRepository(CertificateAuthorityEntity).find({ where: { active: true } });
      return {
        roots: rows.filter((r) => r.kind === 'root').map((r) => r.certificate),
        intermediates: rows.filter((r) => r.kind === 'issuing').map((r) => r.certificate),
      };
    }
    const { root, issuing } = await this.authorities();
    return { roots: [root.der], intermediates: [issuing.der] };
  }

  static notReady(): CertificateException {
    return new CertificateException(CertificateErrorCode.CaNotReady, 'CA lokal belum siap (local CA not ready)');
  }
}
