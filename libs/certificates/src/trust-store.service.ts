import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@sandi/core';
import { LocalCaService } from './local-ca.service.js';
import * as pki from './pki/index.js';

/** A trust anchor or intermediate the operator installed, as the verification page reports it. */
export interface InstalledCertificate {
  file: string;
  subject: string;
  fingerprint: string;
  notAfter: Date;
  role: 'root' | 'intermediate';
}

interface Loaded {
  roots: Buffer[];
  intermediates: Buffer[];
  installed: InstalledCertificate[];
  /** Directory mtime the load saw: a change (a file added or removed) reloads. */
  stamp: number;
}

const EXTENSIONS = /\.(pem|crt|cer|der)$/i;
/** How often the directory is looked at again, at most. */
const RECHECK_MS = 60_000;

/**
 * What verification trusts: the local CA (root, with its issuing CA as intermediate) and the
 * certificates the operator installed under CERT_TRUST_DIR — e.g. the national root and BSrE's
 * issuing CAs, so that BSrE-issued certificates and signatures verify as trusted. Self-signed CA
 * certificates there become anchors, the others intermediates. A file that is not a certificate is
 * skipped with a warning; it never stops verification.
 */
@Injectable()
export class TrustStoreService {
  private readonly logger = new Logger(TrustStoreService.name);
  private loaded: Loaded | null = null;
  private checkedAt = 0;
  private loading: Promise<Loaded> | null = null;

  constructor(
    private readonly ca: LocalCaService,
    private readonly config: ConfigService,
  ) {}

  async trust(): Promise<{ roots: Buffer[]; intermediates: Buffer[] }> {
    const [own, installed] = await Promise.all([this.ca.trust(), this.installed()]);
    return { roots: [...own.roots, ...installed.roots], intermediates: [...own.intermediates, ...installed.intermediates] };
  }

  /** The installed certificates (for the operator: what is trusted besides the local CA). */
  async list(): Promise<InstalledCertificate[]> {
    return (await this.installed()).installed;
  }

  private dir(): string {
    return resolve(this.config.get('CERT_TRUST_DIR'));
  }

  private async installed(): Promise<Loaded> {
    const now = Date.now();
    if (this.loaded && now - this.checkedAt < RECHECK_MS) return this.loaded;
    this.loading ??= (async () => {
      try {
        const stamp = await this.stamp();
        if (!this.loaded || this.loaded.stamp !== stamp) this.loaded = await this.load(stamp);
        this.checkedAt = Date.now();
        return this.loaded;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  private async stamp(): Promise<number> {
    try {
      return (await stat(this.dir())).mtimeMs;
    } catch {
      return -1;
    }
  }

  private async load(stamp: number): Promise<Loaded> {
    const out: Loaded = { roots: [], intermediates: [], installed: [], stamp };
    if (stamp < 0) return out;
    const dir = this.dir();
    const names = (await readdir(dir)).filter((n) => EXTENSIONS.test(n)).sort();
    for (const name of names) {
      let certs: pki.CertificateInfo[];
      try {
        certs = pki.parseCertificates(await readFile(join(dir, name)));
      } catch (err) {
        this.logger.warn(`trust store: ${name} skipped, not a certificate (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      for (const c of certs) {
        if (!c.isCA) {
          this.logger.warn(`trust store: ${name}: "${c.subject}" skipped, not a CA certificate`);
          continue;
        }
        const role = c.selfIssued ? 'root' : 'intermediate';
        (role === 'root' ? out.roots : out.intermediates).push(c.der);
        out.installed.push({ file: name, subject: c.subject, fingerprint: c.fingerprintSha256, notAfter: c.notAfter, role });
      }
    }
    this.logger.log(`trust store: ${out.roots.length} anchor(s), ${out.intermediates.length} intermediate(s) from ${dir}`);
    return out;
  }
}
