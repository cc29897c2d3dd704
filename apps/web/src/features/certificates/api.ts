import { apiUrl, request, requestFile, type FileResponse } from '../../api/client';
import type {
  ApplicationActionRequest,
  ApplicationDetail,
  ApplicationListQuery,
  ApplicationSummary,
  CertificateListQuery,
  CertificateView,
  CsrSubmission,
  IdentitySubmission,
  LinkView,
  PassphraseSubmission,
  StaffAction,
  StepResult,
  VerificationReport,
} from '../../api/certificates.types';
import type { Page } from '../../api/types';

type Opts = { signal?: AbortSignal };

const applicationPath = (id: string) => `/certificates/applications/${encodeURIComponent(id)}`;
const certificatePath = (id: string) => `/certificates/${encodeURIComponent(id)}`;

/** The multipart field of the letters and supporting documents (DOCUMENTS_FIELD). */
export const DOCUMENTS_FIELD = 'documents';
/** At most this many PDFs per application (MAX_DOCUMENTS). */
export const MAX_DOCUMENTS = 5;

/** The e-signature certificate service (libs/certificates), staff side and public side. */
export const certApi = {
  applications: {
    list: (query: ApplicationListQuery, o: Opts = {}) =>
      request<Page<ApplicationSummary>>('GET', '/certificates/applications', { ...o, query: { ...query } }),
    get: (id: string, o: Opts = {}) => request<ApplicationDetail>('GET', applicationPath(id), o),
    /** multipart: IssuanceRequest fields plus the recommendation letter in `documents`. */
    issuance: (form: FormData) => request<ApplicationDetail>('POST', '/certificates/applications/issuance', { form }),
    /** multipart: RenewalRequest fields plus the recommendation letter in `documents`. */
    renewal: (form: FormData) => request<ApplicationDetail>('POST', '/certificates/applications/renewal', { form }),
    /** multipart: UpdateRequest fields plus supporting documents in `documents`. */
    update: (form: FormData) => request<ApplicationDetail>('POST', '/certificates/applications/update', { form }),
    /** multipart: RevocationRequest fields plus supporting documents in `documents`. */
    revocation: (form: FormData) => request<ApplicationDetail>('POST', '/certificates/applications/revocation', { form }),
    act: (id: string, action: StaffAction, body: ApplicationActionRequest) =>
      request<ApplicationDetail>('POST', `${applicationPath(id)}/actions/${encodeURIComponent(action)}`, { body }),
    /** Attachment download, opened as a link after ensureSession(). */
    documentUrl: (id: string, documentId: string) => apiUrl(`${applicationPath(id)}/documents/${encodeURIComponent(documentId)}`),
  },
  certificates: {
    list: (query: CertificateListQuery, o: Opts = {}) =>
      request<Page<CertificateView>>('GET', '/certificates', { ...o, query: { ...query } }),
    get: (id: string, o: Opts = {}) => request<CertificateView>('GET', certificatePath(id), o),
    downloadUrl: (id: string, format: 'pem' | 'der') => apiUrl(`${certificatePath(id)}/download`, { format }),
  },
  /** No account needed: the applicant's links, signing and verification. */
  public: {
    openLink: (token: string, o: Opts = {}) => request<LinkView>('POST', '/public/certificates/links/open', { ...o, body: { token } }),
    identity: (body: IdentitySubmission) => request<StepResult>('POST', '/public/certificates/identity', { body }),
    passphrase: (body: PassphraseSubmission) => request<StepResult>('POST', '/public/certificates/passphrase', { body }),
    /** Step 4, the other way: the applicant's own PKCS#10 request instead of a passphrase (the platform then holds no key). */
    csr: (body: CsrSubmission) => request<StepResult>('POST', '/public/certificates/csr', { body }),
    /** multipart: `file` (PDF), nik, passphrase, visible, page, x, y, reason, location → the signed PDF. */
    sign: (form: FormData): Promise<FileResponse> => requestFile('POST', '/public/certificates/sign', { form }),
    /** multipart: `file` (a signed PDF, or a certificate as PEM/DER). */
    verify: (form: FormData) => request<VerificationReport>('POST', '/public/certificates/verify', { form }),
  },
  pki: {
    chainUrl: () => apiUrl('/pki/ca/chain.pem'),
    rootUrl: () => apiUrl('/pki/ca/root.crt'),
    issuingUrl: () => apiUrl('/pki/ca/issuing.crt'),
    crlUrl: () => apiUrl('/pki/crl'),
  },
};
