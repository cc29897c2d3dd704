import type { Readable } from 'node:stream';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { catchError, from, map, mergeMap, throwError, type Observable } from 'rxjs';
import { AppException, ConfigService, FileStorageService, StorageErrorCode, StorageException } from '@sandi/core';
import { EVIDENCE_FIELD_NAME } from './evidence.policy.js';
import { IncidentErrorCode, IncidentException } from './incident.exception.js';
import { EVIDENCE_STAGING_AREA, IncidentService, type UploadedEvidence } from './incident.service.js';

export const EVIDENCE_FIELD = EVIDENCE_FIELD_NAME;
/** Text fields of a report form: far more than the form has, far less than a memory problem. */
const FIELD_LIMITS = { fields: 40, fieldSize: 64 * 1024, fieldNameSize: 100, headerPairs: 200 };

/**
 * multer storage that streams each `evidence` file straight into the storage's private staging area
 * for incidents (hashed on the way, fsynced): one write per file, never held in memory, nothing in
 * the shared content-addressed namespace until the report commits.
 */
function stagingEngine(storage: FileStorageService, maxBytes: number): multer.StorageEngine {
  return {
    _handleFile(_req, file, cb) {
      storage.stage(file.stream as Readable, { area: EVIDENCE_STAGING_AREA, maxBytes }).then(
        (staged) => cb(null, { staged, size: staged.size } as Partial<Express.Multer.File>),
        (err: unknown) => cb(err as Error),
      );
    },
    _removeFile(_req, file, cb) {
      const staged = (file as unknown as Partial<UploadedEvidence>).staged;
      if (!staged) return cb(null);
      storage.discard(staged).then(
        () => cb(null),
        (err: unknown) => cb(err as Error),
      );
    },
  };
}

/**
 * Parses multipart/form-data with multer: `evidence` files are staged as they arrive, limited in size
 * and number from configuration. When the request ends, staged files the report did not keep (it
 * failed, or never got to the database) are discarded, whatever happened. Multer's errors become
 * problem+json (413 for a file over the limit or too many files, 400 for a malformed form). Requests
 * that are not multipart pass through untouched (JSON bodies work too, without files).
 */
@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['array']>;
  private readonly maxBytes: number;
  private readonly maxFiles: number;

  constructor(
    config: ConfigService,
    storage: FileStorageService,
    private readonly incidents: IncidentService,
  ) {
    this.maxBytes = config.get('INCIDENT_EVIDENCE_MAX_BYTES');
    this.maxFiles = config.get('INCIDENT_EVIDENCE_MAX_FILES');
    this.upload = multer({
      storage: stagingEngine(storage, this.maxBytes),
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
    // Whatever the outcome (a DTO the validation pipe refused included), staged files the report did
    // not keep are gone before the answer leaves.
    const discard = () => from(this.incidents.discardEvidence(Array.isArray(req.files) ? req.files : []));
    return from(parsed).pipe(
      mergeMap(() => next.handle()),
      mergeMap((value: unknown) => discard().pipe(map(() => value))),
      catchError((err: unknown) => discard().pipe(mergeMap(() => throwError(() => err)))),
    );
  }

  private toProblem(err: unknown): Error {
    // Refusals of the storage itself (an empty file) keep their own code.
    if (err instanceof AppException) return err;
    if (!(err instanceof MulterError)) {
      // File-system errors (disk full, permissions) are ours: a 500. The rest come from parsing the client's form.
      if (err instanceof Error && (err as NodeJS.ErrnoException).syscall) return err;
      const message = err instanceof Error ? err.message : String(err);
      return new IncidentException(
        IncidentErrorCode.InvalidUpload,
        `Formulir multipart tidak valid: ${message} (malformed multipart form)`,
      );
    }
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new StorageException(StorageErrorCode.TooLarge, `Berkas melebihi batas ${this.maxBytes} bita (file too large)`, {
        maxBytes: this.maxBytes,
      });
    }
    if (err.code === 'LIMIT_FILE_COUNT') {
      return new IncidentException(
        IncidentErrorCode.TooManyFiles,
        `Paling banyak ${this.maxFiles} berkas (at most ${this.maxFiles} files)`,
        {
          errors: [{ field: EVIDENCE_FIELD, message: `paling banyak ${this.maxFiles} berkas (too many files)` }],
          maxFiles: this.maxFiles,
        },
      );
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE') {
      return new IncidentException(
        IncidentErrorCode.InvalidUpload,
        `Berkas hanya diterima pada field "${EVIDENCE_FIELD}" (files only in the "${EVIDENCE_FIELD}" field)`,
        {
          errors: [{ field: err.field ?? EVIDENCE_FIELD, message: 'field berkas tidak dikenal (unexpected file field)' }],
        },
      );
    }
    // Field count, size and name limits, malformed parts: the form itself is wrong.
    return new IncidentException(IncidentErrorCode.InvalidUpload, `Formulir tidak valid: ${err.message} (malformed form)`, {
      ...(err.field ? { errors: [{ field: err.field, message: err.message }] } : {}),
    });
  }
}
