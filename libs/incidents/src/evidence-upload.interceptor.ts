import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { finalize, from, mergeMap, type Observable } from 'rxjs';
import { ConfigService, StorageErrorCode, StorageException } from '@sandi/core';
import { IncidentErrorCode, IncidentException } from './incident.exception.js';
import type { UploadedEvidence } from './incident.service.js';

export const EVIDENCE_FIELD = 'evidence';
/** Text fields of a report form: far more than the form has, far less than a memory problem. */
const FIELD_LIMITS = { fields: 40, fieldSize: 64 * 1024, fieldNameSize: 100, headerPairs: 200 };

/**
 * Parses multipart/form-data with multer: `evidence` files go to a private temporary directory
 * (never held in memory), limited in size and number from configuration; the temporary files are
 * removed when the request ends, whatever happened. Multer's errors become problem+json (413 for
 * a file over the limit or too many files, 400 for a malformed form). Requests that are not
 * multipart pass through untouched (JSON bodies work too, without files).
 */
@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['array']>;
  private readonly maxBytes: number;
  private readonly maxFiles: number;

  constructor(config: ConfigService) {
    this.maxBytes = config.get('INCIDENT_EVIDENCE_MAX_BYTES');
    this.maxFiles = config.get('INCIDENT_EVIDENCE_MAX_FILES');
    const dir = join(tmpdir(), 'sandi-evidence-upload');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.upload = multer({
      storage: multer.diskStorage({ destination: dir, filename: (_req, _file, cb) => cb(null, `${randomUUID()}.part`) }),
      limits: { ...FIELD_LIMITS, fileSize: this.maxBytes, files: this.maxFiles, parts: this.maxFiles + FIELD_LIMITS.fields },
      // Browsers send UTF-8 file names without a charset parameter.
      defParamCharset: 'utf8',
    }).array(EVIDENCE_FIELD);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { files?: UploadedEvidence[] }>();
    const res = http.getResponse<Response>();
    const parsed = new Promise<void>((resolve, reject) => {
      this.upload(req, res, (err: unknown) => (err ? reject(this.toProblem(err)) : resolve()));
    });
    return from(parsed).pipe(
      mergeMap(() => next.handle()),
      finalize(() => {
        const files = Array.isArray(req.files) ? req.files : [];
        void Promise.all(files.map((f) => rm(f.path, { force: true }).catch(() => undefined)));
      }),
    );
  }

  private toProblem(err: unknown): Error {
    if (!(err instanceof MulterError)) {
      // File-system errors (disk full, permissions) are ours: a 500. The rest come from parsing the client's form.
      if (err instanceof Error && (err as NodeJS.ErrnoException).syscall) return err;
      const message = err instanceof Error ? err.message : String(err);
      return new IncidentException(IncidentErrorCode.InvalidUpload, `Formulir multipart tidak valid: ${message} (malformed multipart form)`);
    }
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new StorageException(StorageErrorCode.TooLarge, `Berkas melebihi batas ${this.maxBytes} bita (file too large)`, { maxBytes: this.maxBytes });
    }
    if (err.code === 'LIMIT_FILE_COUNT') {
      return new IncidentException(IncidentErrorCode.TooManyFiles, `Paling banyak ${this.maxFiles} berkas (at most ${this.maxFiles} files)`, {
        errors: [{ field: EVIDENCE_FIELD, message: `paling banyak ${this.maxFiles} berkas (too many files)` }],
        maxFiles: this.maxFiles,
      });
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE') {
      return new IncidentException(IncidentErrorCode.InvalidUpload, `Berkas hanya diterima pada field "${EVIDENCE_FIELD}" (files only in the "${EVIDENCE_FIELD}" field)`, {
        errors: [{ field: err.field ?? EVIDENCE_FIELD, message: 'field berkas tidak dikenal (unexpected file field)' }],
      });
    }
    // Field count, size and name limits, malformed parts: the form itself is wrong.
    return new IncidentException(IncidentErrorCode.InvalidUpload, `Formulir tidak valid: ${err.message} (malformed form)`, {
      ...(err.field ? { errors: [{ field: err.field, message: err.message }] } : {}),
    });
  }
}
