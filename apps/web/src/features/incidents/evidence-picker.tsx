import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../components/use-locale';
import { evidenceProblems, formatBytes, type EvidenceLimits } from './incident-model';

interface EvidencePickerProps {
  /** Prefix of ids and test ids: `<prefix>` is the file input, `<prefix>-list` the chosen files. */
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
  label?: string;
  disabled?: boolean;
  /** What the server accepts (published by the API); the forms do not send a choice that breaks it. */
  limits: EvidenceLimits;
}

/**
 * Evidence files: picked in one or more rounds, listed with their sizes, removable before sending.
 * Checks them against the limits the server published, before anything is uploaded.
 */
export function EvidencePicker({ id, files, onChange, label, disabled, limits }: EvidencePickerProps) {
  const { t } = useTranslation();
  const lang = useLocale();
  const input = useRef<HTMLInputElement>(null);
  const { tooMany, tooBig, empty } = evidenceProblems(files, limits);
  const total = files.reduce((n, f) => n + f.size, 0);

  function add(list: FileList | null) {
    if (!list || list.length === 0) return;
    const next = [...files];
    for (const f of Array.from(list)) {
      if (!next.some((x) => x.name === f.name && x.size === f.size && x.lastModified === f.lastModified)) next.push(f);
    }
    onChange(next);
    // The same file can be picked again after removing it.
    if (input.current) input.current.value = '';
  }

  return (
    <div className="field evidence-picker">
      <label htmlFor={id}>{label ?? t('incidents.evidence.pick')}</label>
      <input
        ref={input}
        id={id}
        data-testid={id}
        type="file"
        multiple
        disabled={disabled}
        onChange={(e) => add(e.target.files)}
        aria-describedby={`${id}-hint`}
      />
      <div className="field-hint" id={`${id}-hint`} data-testid={`${id}-hint`}>
        {t('incidents.evidence.hint', { files: limits.maxFiles, size: formatBytes(limits.maxBytes, lang) })}
      </div>
      {files.length > 0 && (
        <ul className="file-list" data-testid={`${id}-list`} aria-live="polite">
          {files.map((f, i) => (
            <li key={`${f.name}-${f.size}-${f.lastModified}`} className={f.size > limits.maxBytes || f.size === 0 ? 'file-bad' : undefined}>
              <span className="file-name">{f.name}</span>
              <span className="file-size">{formatBytes(f.size, lang)}</span>
              {f.size > limits.maxBytes && <span className="field-error">{t('incidents.evidence.tooBig')}</span>}
              {f.size === 0 && <span className="field-error">{t('incidents.evidence.empty')}</span>}
              <button
                type="button"
                className="btn btn-small btn-link"
                disabled={disabled}
                aria-label={t('incidents.evidence.removeAria', { name: f.name })}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              >
                {t('incidents.evidence.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <div className="field-hint" data-testid={`${id}-summary`}>
          {t('incidents.evidence.summary', { count: files.length, size: formatBytes(total, lang) })}
        </div>
      )}
      {(tooMany || tooBig.length > 0 || empty.length > 0) && (
        <div className="field-error" role="alert" data-testid={`${id}-warning`}>
          {tooMany && <p>{t('incidents.evidence.tooMany', { files: limits.maxFiles })}</p>}
          {tooBig.length > 0 && <p>{t('incidents.evidence.someTooBig', { size: formatBytes(limits.maxBytes, lang) })}</p>}
          {empty.length > 0 && <p>{t('incidents.evidence.someEmpty')}</p>}
        </div>
      )}
    </div>
  );
}

/** Appends text fields that are not blank, and the files under `evidence`. */
export function formDataOf(fields: Record<string, string | undefined>, files: File[] = []): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v.trim() !== '') form.append(k, v);
  for (const f of files) form.append('evidence', f, f.name);
  return form;
}
