import { AppException, type StatusTable } from '@sandi/core';

export enum CertificateErrorCode {
  ApplicationNotFound = 'certificates.application_not_found',
  CertificateNotFound = 'certificates.certificate_not_found',
  HolderNotFound = 'certificates.holder_not_found',
  DocumentNotFound = 'certificates.document_not_found',
  InvalidNik = 'certificates.invalid_nik',
  InvalidNip = 'certificates.invalid_nip',
  InvalidUnit = 'certificates.invalid_unit',
  InvalidPayload = 'certificates.invalid_payload',
  WeakPassphrase = 'certificates.weak_passphrase',
  IdentityMismatch = 'certificates.identity_mismatch',
  RoleNotAllowed = 'certificates.role_not_allowed',
  OpenApplicationExists = 'certificates.open_application_exists',
  HolderHasCertificate = 'certificates.holder_has_certificate',
  CertificateNotActive = 'certificates.certificate_not_active',
  LetterRequired = 'certificates.letter_required',
  DocumentRequired = 'certificates.document_required',
  InvalidDocument = 'certificates.invalid_document',
  TooManyFiles = 'certificates.too_many_files',
  LinkInvalid = 'certificates.link_invalid',
  LinkUsed = 'certificates.link_used',
  LinkExpired = 'certificates.link_expired',
  NoSigningCertificate = 'certificates.no_signing_certificate',
  WrongPassphrase = 'certificates.wrong_passphrase',
  SigningLocked = 'certificates.signing_locked',
  SigningOutcomeUnknown = 'certificates.signing_outcome_unknown',
  SigningRefused = 'certificates.signing_refused',
  InvalidPdf = 'certificates.invalid_pdf',
  UnrecognisedFile = 'certificates.unrecognised_file',
  MalformedCertificate = 'certificates.malformed_certificate',
  MalformedCsr = 'certificates.malformed_csr',
  RaUnavailable = 'certificates.ra_unavailable',
  CaNotReady = 'certificates.ca_not_ready',
}

const STATUS: StatusTable<CertificateErrorCode> = {
  [CertificateErrorCode.ApplicationNotFound]: 404,
  [CertificateErrorCode.CertificateNotFound]: 404,
  [CertificateErrorCode.HolderNotFound]: 404,
  [CertificateErrorCode.DocumentNotFound]: 404,
  [CertificateErrorCode.InvalidNik]: 400,
  [CertificateErrorCode.InvalidNip]: 400,
  [CertificateErrorCode.InvalidUnit]: 400,
  [CertificateErrorCode.InvalidPayload]: 400,
  [CertificateErrorCode.WeakPassphrase]: 400,
  [CertificateErrorCode.IdentityMismatch]: 422,
  [CertificateErrorCode.RoleNotAllowed]: 403,
  [CertificateErrorCode.OpenApplicationExists]: 409,
  [CertificateErrorCode.HolderHasCertificate]: 409,
  [CertificateErrorCode.CertificateNotActive]: 409,
  [CertificateErrorCode.LetterRequired]: 400,
  [CertificateErrorCode.DocumentRequired]: 400,
  [CertificateErrorCode.InvalidDocument]: 422,
  [CertificateErrorCode.TooManyFiles]: 413,
  [CertificateErrorCode.LinkInvalid]: 404,
  [CertificateErrorCode.LinkUsed]: 410,
  [CertificateErrorCode.LinkExpired]: 410,
  [CertificateErrorCode.NoSigningCertificate]: 422,
  [CertificateErrorCode.WrongPassphrase]: 401,
  [CertificateErrorCode.SigningLocked]: 423,
  [CertificateErrorCode.SigningOutcomeUnknown]: 504,
  [CertificateErrorCode.SigningRefused]: 422,
  [CertificateErrorCode.InvalidPdf]: 422,
  [CertificateErrorCode.UnrecognisedFile]: 422,
  [CertificateErrorCode.MalformedCertificate]: 422,
  [CertificateErrorCode.MalformedCsr]: 422,
  [CertificateErrorCode.RaUnavailable]: 502,
  [CertificateErrorCode.CaNotReady]: 503,
};

export class CertificateException extends AppException {
  constructor(code: CertificateErrorCode, detail: string, extra?: AppException['extra']) {
    super(code, STATUS[code], detail, extra);
  }

  static applicationNotFound(id: string): CertificateException {
    return new CertificateException(CertificateErrorCode.ApplicationNotFound, `Permohonan ${id} tidak ditemukan (application not found)`);
  }

  static certificateNotFound(id: string): CertificateException {
    return new CertificateException(CertificateErrorCode.CertificateNotFound, `Sertifikat ${id} tidak ditemukan (certificate not found)`);
  }

  static invalid(field: string, message: string): CertificateException {
    return new CertificateException(CertificateErrorCode.InvalidPayload, `Data tidak valid: ${field} (invalid input)`, {
      errors: [{ field, message }],
    });
  }
}
