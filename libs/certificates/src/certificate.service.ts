import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { offsetOf, pageOf, type Page } from '@sandi/core';
import { CertificateException } from './certificate.exception.js';
import type { CertificateQueryDto } from './dto/application.dto.js';
import type { CertificateViewDto } from './dto/views.dto.js';
import { CertificateEntity } from './entities/certificate.entity.js';

/** Certificates are due for renewal this many days before notAfter (the verifier's list, the expiry mails). */
export const RENEWAL_WINDOW_DAYS = 30;
const DAY = 86_400_000;

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Reading issued certificates: the verifier's list (with those due for renewal), details, downloads. */
@Injectable()
export class CertificateService {
  constructor(private readonly dataSource: DataSource) {}

  async list(q: CertificateQueryDto, now = new Date()): Promise<Page<CertificateViewDto>> {
    const where: string[] = [];
    const params: unknown[] = [];
    switch (q.status) {
      case 'active':
        where.push(`c.status = 'active' AND c.not_after > $${params.push(now)}`);
        break;
      case 'revoked':
        where.push(`c.status = 'revoked'`);
        break;
      case 'expired':
        where.push(`c.status = 'active' AND c.not_after <= $${params.push(now)}`);
        break;
      case 'expiring':
        where.push(
          `c.status = 'active' AND c.not_after > $${params.push(now)} AND c.not_after <= $${params.push(new Date(now.getTime() + RENEWAL_WINDOW_DAYS * DAY))}`,
        );
        break;
      case undefined:
        break;
    }
    if (q.q) {
      const i = params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(h.full_name ILIKE $${i} OR c.email ILIKE $${i} OR c.serial ILIKE $${i})`);
    }
    const from = `FROM certificates c JOIN cert_holders h ON h.id = c.holder_id LEFT JOIN org_units u ON u.id = h.org_unit_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const [{ count }] = (await this.dataSource.query(`SELECT count(*)::int AS count ${from}`, params)) as [{ count: number }];
    const order = q.status === 'expiring' ? 'c.not_after ASC' : 'c.created_at DESC';
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.serial, c.subject, c.email, c.adapter, c.key_algorithm, c.not_before, c.not_after, c.status, c.revoked_at,
              c.revocation_reason, c.fingerprint, (c.private_key IS NOT NULL) AS key_held, c.holder_id, h.full_name, h.nik_masked, u.name AS unit_name
       ${from} ORDER BY ${order} LIMIT $${params.push(q.pageSize)} OFFSET $${params.push(offsetOf(q))}`,
      params,
    )) as Array<Record<string, unknown>>;
    return pageOf(
      rows.map((r) => this.view(r, now)),
      count,
      q,
    );
  }

  async get(id: string, now = new Date()): Promise<CertificateViewDto> {
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.serial, c.subject, c.email, c.adapter, c.key_algorithm, c.not_before, c.not_after, c.status, c.revoked_at,
              c.revocation_reason, c.fingerprint, (c.private_key IS NOT NULL) AS key_held, c.holder_id, h.full_name, h.nik_masked, u.name AS unit_name
       FROM certificates c JOIN cert_holders h ON h.id = c.holder_id LEFT JOIN org_units u ON u.id = h.org_unit_id WHERE c.id = $1`,
      [id],
    )) as Array<Record<string, unknown>>;
    if (!rows[0]) throw CertificateException.certificateNotFound(id);
    return this.view(rows[0], now);
  }

  async der(id: string): Promise<{ der: Buffer; serial: string }> {
    const c = await this.dataSource
      .getRepository(CertificateEntity)
      .findOne({ where: { id }, select: { der: true, serial: true, id: true } });
    if (!c) throw CertificateException.certificateNotFound(id);
    return { der: c.der, serial: c.serial };
  }

  private view(r: Record<string, unknown>, now: Date): CertificateViewDto {
    const notAfter = r.not_after as Date;
    const notBefore = r.not_before as Date;
    const revoked = r.status === 'revoked';
    const status = revoked
      ? 'revoked'
      : notAfter.getTime() <= now.getTime()
        ? 'expired'
        : notBefore.getTime() > now.getTime()
          ? 'not_yet_valid'
          : 'active';
    const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY);
    return {
      id: r.id as string,
      serial: r.serial as string,
      subject: r.subject as string,
      email: r.email as string,
      adapter: r.adapter as 'local' | 'bsre',
      keyAlgorithm: r.key_algorithm as string,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      status,
      revokedAt: (r.revoked_at as Date | null)?.toISOString() ?? null,
      revocationReason: (r.revocation_reason as CertificateViewDto['revocationReason']) ?? null,
      fingerprint: (r.fingerprint as string).trim(),
      keyCustody: r.adapter === 'bsre' ? 'bsre' : r.key_held ? 'platform' : 'holder',
      daysLeft,
      dueForRenewal: status === 'active' && daysLeft < RENEWAL_WINDOW_DAYS,
      holderId: r.holder_id as string,
      holderName: r.full_name as string,
      nikMasked: r.nik_masked as string,
      unitName: (r.unit_name as string | null) ?? null,
    };
  }
}
