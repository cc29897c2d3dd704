import type { OcspCertStatus } from './pki/index.js';

/**
 * The OCSP responder's certificate statuses, kept for `ttlMs` after being read from the database
 * and trusted only while the change notifications (channel `certificates_status`) are being
 * received: `live()` opens it, `lost()` empties and closes it, and every notification drops its
 * serial. An entry is therefore never older than the last change to the certificate, bar the
 * notification's own latency, and never older than `ttlMs` in any case.
 *
 * Each entry is one status object handed out unchanged until it is dropped or expires, so the
 * responder can recognise "same status as when I signed that response" by reference and reuse a
 * pre-produced response (see `OcspResponderOptions.preproducedSeconds`).
 *
 * A read that was under way while a notification for any serial arrived is not stored: it may
 * have seen the row before the change (the generation counter tells).
 */
export class OcspStatusCache {
  private readonly entries = new Map<string, { status: OcspCertStatus; expiresMs: number }>();
  private open = false;
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  get enabled(): boolean {
    return this.open && this.ttlMs > 0;
  }

  /** The status for `serial`, if one is kept and still fresh. */
  get(serial: string, nowMs = Date.now()): OcspCertStatus | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(serial);
    if (!entry) return undefined;
    if (nowMs < entry.expiresMs) return entry.status;
    this.entries.delete(serial);
    return undefined;
  }

  /** Taken before a database read; `set` stores its result only if nothing changed meanwhile. */
  ticket(): number {
    return this.generation;
  }

  /** Stores the status read under `ticket`; returns the object to hand out (with its checkedAt). */
  set(serial: string, status: OcspCertStatus, ticket: number, readAtMs: number): OcspCertStatus {
    const kept: OcspCertStatus = { ...status, checkedAt: new Date(readAtMs) };
    if (!this.enabled || ticket !== this.generation) return kept;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(serial, { status: kept, expiresMs: readAtMs + this.ttlMs });
    return kept;
  }

  /** A certificate changed (notification payload: its serial). */
  changed(serial: string): void {
    this.generation++;
    this.entries.delete(serial);
  }

  /** Notifications flow: entries may be kept from now on. Anything kept before is dropped. */
  live(): void {
    this.generation++;
    this.entries.clear();
    this.open = true;
  }

  /** Notifications may be missed: nothing is kept or served until `live()` again. */
  lost(): void {
    this.generation++;
    this.entries.clear();
    this.open = false;
  }

  get size(): number {
    return this.entries.size;
  }
}
