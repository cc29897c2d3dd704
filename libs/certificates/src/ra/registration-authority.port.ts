import type { EntityManager } from 'typeorm';
import type { RaAdapterKind } from '../certificate.workflow.js';
import type { CertApplicationEntity } from '../entities/cert-application.entity.js';
import type { CertHolderEntity } from '../entities/cert-holder.entity.js';
import type { CertificateEntity } from '../entities/certificate.entity.js';

/** The application as the RA sees it when it has to carry out or follow a decision. */
export interface RaCase {
  application: CertApplicationEntity;
  holder: CertHolderEntity;
  /** The holder's NIK, opened from its sealed form for this call only. */
  nik: string;
  /** update / renewal / revocation: the certificate concerned. */
  target: CertificateEntity | null;
  /** Name of the holder's OPD unit, for the certificate's OU. */
  unitName: string;
}

/** What carrying out an approved application produced. */
export interface RaOutcome {
  issued?: CertificateEntity;
  revoked?: CertificateEntity[];
}

/** What polling the certification body found. */
export type RaPollResult = { decided: false; status: string } | { decided: true; status: string };

/**
 * The Registration Authority port: where an approved application takes effect. The `local` adapter
 * is the platform's own CA; the `bsre` adapter follows what the national certification body did on
 * its portal (its status endpoint and certificate chain). The workflow itself (who may approve
 * when) is the workflow table's business, not the adapter's.
 */
export interface RegistrationAuthority {
  readonly kind: RaAdapterKind;

  /**
   * Local CA only: at the passphrase step, generate the holder's key pair and return the private key
   * encrypted under the passphrase (PKCS#8) and the public key. The passphrase is not kept.
   */
  prepareKey?(passphrase: string): Promise<{ encryptedPrivateKey: string; publicKeyPem: string }>;

  /** Carries out an approved application in the caller's transaction. */
  carryOut(em: EntityManager, c: RaCase, now: Date): Promise<RaOutcome>;

  /** Runs after the transaction that carried out an approval has committed (e.g. re-issue the CRL). */
  afterCommit?(outcome: RaOutcome): Promise<void>;

  /** BSrE: asks the certification body whether it has decided. Never changes anything itself. */
  poll?(c: RaCase): Promise<RaPollResult>;
}

export const REGISTRATION_AUTHORITY = Symbol('REGISTRATION_AUTHORITY');
