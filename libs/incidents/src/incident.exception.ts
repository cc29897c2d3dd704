import { AppException, type StatusTable } from '@sandi/core';

export enum IncidentErrorCode {
  NotFound = 'incident.not_found',
  /** Tracking with a ticket and token that do not match: the same answer whether or not the ticket exists. */
  TrackingNotFound = 'incident.tracking_not_found',
  UnknownCategory = 'incident.unknown_category',
  InvalidObservable = 'incident.invalid_observable',
  ObservableExists = 'incident.observable_exists',
  ObservableNotFound = 'incident.observable_not_found',
  RoleNotAllowed = 'incident.role_not_allowed',
  InvalidPayload = 'incident.invalid_payload',
  InvalidAssignee = 'incident.invalid_assignee',
  TooManyFiles = 'incident.too_many_files',
  InvalidUpload = 'incident.invalid_upload',
  EvidenceRequired = 'incident.evidence_required',
  EvidenceNotFound = 'incident.evidence_not_found',
  EvidenceMissingFromStorage = 'incident.evidence_missing_from_storage',
  TlpForbidsExport = 'incident.tlp_forbids_export',
  TemplateNotFound = 'incident.template_not_found',
}

const STATUS: StatusTable<IncidentErrorCode> = {
  [IncidentErrorCode.NotFound]: 404,
  [IncidentErrorCode.TrackingNotFound]: 404,
  [IncidentErrorCode.UnknownCategory]: 400,
  [IncidentErrorCode.InvalidObservable]: 400,
  [IncidentErrorCode.ObservableExists]: 409,
  [IncidentErrorCode.ObservableNotFound]: 404,
  [IncidentErrorCode.RoleNotAllowed]: 403,
  [IncidentErrorCode.InvalidPayload]: 400,
  [IncidentErrorCode.InvalidAssignee]: 400,
  [IncidentErrorCode.TooManyFiles]: 413,
  [IncidentErrorCode.InvalidUpload]: 400,
  [IncidentErrorCode.EvidenceRequired]: 400,
  [IncidentErrorCode.EvidenceNotFound]: 404,
  [IncidentErrorCode.EvidenceMissingFromStorage]: 500,
  [IncidentErrorCode.TlpForbidsExport]: 403,
  [IncidentErrorCode.TemplateNotFound]: 404,
};

export class IncidentException extends AppException {
  constructor(code: IncidentErrorCode, detail: string, extra?: AppException['extra']) {
    super(code, STATUS[code], detail, extra);
  }

  static notFound(id: string): IncidentException {
    return new IncidentException(IncidentErrorCode.NotFound, `Insiden ${id} tidak ditemukan (incident not found)`);
  }

  /** Deliberately says nothing about whether the ticket exists. */
  static trackingNotFound(): IncidentException {
    return new IncidentException(
      IncidentErrorCode.TrackingNotFound,
      'Nomor tiket atau kode pelacakan tidak cocok (ticket or tracking code does not match)',
    );
  }
}
