import { Injectable, mixin, type CallHandler, type ExecutionContext, type NestInterceptor, type Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { from, mergeMap, type Observable } from 'rxjs';
import { ConfigService, StorageErrorCode, StorageException } from '@sandi/core';
import { CertificateErrorCode, CertificateException } from './certificate.exception.js';
import type { UploadedDocument } from './cert-application.service.js';

const FIELD_LIMITS = { fields: 30, fieldSize: 16 * 1024, fieldNameSize: 100, headerPairs: 200 };

/**
 * multipart/form-data with up to `maxFiles` files in `field`, held in memory (letters and PDFs are
 * small, and CERT_DOCUMENT_MAX_BYTES bounds them). Multer's errors become problem+json: 413 for a
 * file over the limit or too many files, 400 for a malformed form. JSON bodies pass through.
 */
export function DocumentUpload(field: string, maxFiles: number): Type<NestInterceptor> {
  @Injectable()
  class DocumentUploadInterceptor implements NestInterceptor {
    private readonly upload: ReturnType<ReturnType<typeof multer>['array']>;
    private readonly maxBytes: number;

    constructor(config: ConfigService) {
      this.maxBytes = config.get('CERT_DOCUMENT_MAX_BYTES');
      this.upload = multer({
        storage: multer.memoryStorage(),
        limits: { ...FIELD_LIMITS, fileSize: this.maxBytes, files: maxFiles, parts: maxFiles + FIELD_LIMITS.fields },
        defParamCharset: 'utf8',
      }).array(field, maxFiles);
    }

    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
      const http = context.switchToHttp();
      const req = http.getRequest<Request>();
      const res = http.getResponse<Response>();
      const parsed = new Promise<void>((resolve, reject) => {
        this.upload(req, res, (err: unknown) => (err ? reject(this.toProblem(err)) : resolve()));
      });
      return from(parsed).pipe(mergeMap(() => next.handle()));
    }

    private toProblem(err: unknown): Error {
      if (err instanceof MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          return new StorageException(StorageErrorCode.TooLarge, `Berkas melebihi batas ${this.maxBytes} bita (file too large)`, {
            maxBytes: this.maxBytes,
          });
        }
        if (err.code === 'LIMIT_FILE_COUNT' || (err.code === 'LIMIT_UNEXPECTED_FILE' && err.field === field)) {
          return new CertificateException(
            CertificateErrorCode.TooManyFiles,
            `Paling banyak ${maxFiles} berkas (at most ${maxFiles} files)`,
            {
              errors: [{ field, message: `paling banyak ${maxFiles} berkas (too many files)` }],
            },
          );
        }
        if (err.code === 'LIMIT_UNEXPECTED_FILE') {
          return new CertificateException(
            CertificateErrorCode.InvalidPayload,
            `Berkas hanya diterima pada field "${field}" (files only in "${field}")`,
            {
              errors: [{ field: err.field ?? field, message: 'field berkas tidak dikenal (unexpected file field)' }],
            },
          );
        }
      }
      const message = err instanceof Error ? err.message : String(err);
      return new CertificateException(
        CertificateErrorCode.InvalidPayload,
        `Formulir multipart tidak valid: ${message} (malformed multipart form)`,
      );
    }
  }
  return mixin(DocumentUploadInterceptor);
}

export const documentsOf = (req: Request): UploadedDocument[] => (Array.isArray(req.files) ? (req.files as UploadedDocument[]) : []);
