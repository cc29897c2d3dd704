/**
 * What is kept of an uploaded file's own description. The bytes are stored content-addressed and always
 * served as an opaque attachment, so the name and type are only labels, but labels that people read:
 * path parts, control characters and bidirectional overrides (the "invoice‮fdp.exe" trick) go.
 */
export const FILE_NAME_MAX = 200;
export const FALLBACK_FILE_NAME = 'bukti.bin';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

export function sanitiseFileName(raw: unknown): string {
  if (typeof raw !== 'string') return FALLBACK_FILE_NAME;
  let name = raw.normalize('NFC').replace(UNSAFE, '');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  name = name
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!name) return FALLBACK_FILE_NAME;
  const chars = [...name];
  if (chars.length <= FILE_NAME_MAX) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return chars.slice(0, FILE_NAME_MAX - [...ext].length).join('') + ext;
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/;

/** The content type the uploader declared, if it is a well-formed media type; never trusted for serving. */
export function declaredContentType(raw: unknown): string {
  if (typeof raw !== 'string') return 'application/octet-stream';
  const type = raw.split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : 'application/octet-stream';
}

/** The multipart field that carries evidence files, in every form that takes them. */
export const EVIDENCE_FIELD_NAME = 'evidence';
