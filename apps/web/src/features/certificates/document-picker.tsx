import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../components/format';
import { useLocale } from '../../components/use-locale';
import { MAX_DOCUMENTS } from './api';
import { DOCUMENT_MAX_BYTES, looksLikePdf } from './cert-model';

interface DocumentPickerProps {
  /** Id and test id of the file input; `<id>-list` lists the chosen files, `<id>-error` the problem. */
  id: string;
  label: string;
  hint?: string;
  files: File[];
  onChange: (files: File[]) => void;
  error?: string;
  required?: boolean;
  disabled?: boolean;
}

/**
 * PDF letters and supporting documents: picked in one or more rounds, listed with their sizes and
 * removable before sending. Warns about non-PDFs and the usual limits; the server checks the bytes.
 */
export function DocumentPicker({ id, label, hint, files, onChange, error, required, disabled }: DocumentPickerProps) {
  const { t } = useTranslation();
  const lang = useLocale();
  const input = useRef<HTMLInputElement>(null);
  const problems = [
    files.length > MAX_DOCUMENTS ? t('certificates.documents.tooMany', { max: MAX_DOCUMENTS }) : null,
    files.some((f) => !looksLikePdf(f)) ? t('certificates.documents.notPdf') : null,
    files.some((f) => f.size > DOCUMENT_MAX_BYTES)
      ? t('certificates.documents.tooBig', { size: formatBytes(DOCUMENT_MAX_BYTES, lang) })
      : null,
    files.some((f) => f.size === 0) ? t('certificates.documents.empty') : null,
  ].filter((p): p is string => !!p);

  function add(list: FileList | null) {
    if (!list || list.length === 0) return;
    const next = [...files];
    for (const f of Array.from(list)) {
      if (!next.some((x) => x.name === f.name && x.size === f.size && x.lastModified === f.lastModified)) next.push(f);
    }
    onChange(next);
    if (input.current) input.current.value = '';
  }

  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      <input
        ref={input}
        id={id}
        data-testid={id}
        type="file"
        accept="application/pdf,.pdf"
        multiple
        disabled={disabled}
        onChange={(e) => add(e.target.files)}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      />
      <div className="field-hint" id={`${id}-hint`}>
        {hint ? `${hint} ` : ''}
        {t('certificates.documents.hint', { max: MAX_DOCUMENTS, size: formatBytes(DOCUMENT_MAX_BYTES, lang) })}
      </div>
      {files.length > 0 && (
        <ul className="file-list" data-testid={`${id}-list`} aria-live="polite">
          {files.map((f, i) => (
            <li key={`${f.name}-${f.size}-${f.lastModified}`} className={!looksLikePdf(f) || f.size === 0 ? 'file-bad' : undefined}>
              <span className="file-name">{f.name}</span>
              <span className="file-size">{formatBytes(f.size, lang)}</span>
              <button
                type="button"
                className="btn btn-small btn-link"
                disabled={disabled}
                aria-label={t('certificates.documents.removeAria', { name: f.name })}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              >
                {t('certificates.documents.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <div className="field-error" role="alert" data-testid={`${id}-warning`}>
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      {error && (
        <div className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** Appends the text fields that are not blank, and the files under `documents`. */
export function applicationForm(fields: Record<string, string | undefined>, files: File[]): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v.trim() !== '') form.append(k, v.trim());
  for (const f of files) form.append('documents', f, f.name);
  return form;
}
