import { useEffect, useState, type ReactNode } from 'react';
import { isApiError } from '../api/client';
import { ProblemAlert } from './problem-alert';

/** What a refused step (409 out of order, 403 another role's step) says about the steps allowed now. */
export interface RefusalTexts<A extends string> {
  isStep: (action: string) => action is A;
  allowedTitle: string;
  none: string;
  reloaded: string;
}

export interface StepsPanelProps<A extends string, S extends { action: A }> {
  /**
   * Prefix of the ids and test ids: '' gives `actions-panel`, `action-<step>`, `action-refused`…,
   * 'cert-' gives `cert-actions-panel`, `cert-action-<step>`…
   */
  prefix: string;
  title: string;
  intro: string;
  /** Said instead of the buttons when the viewer has no step to take. */
  none: string;
  /** The steps the API allows this viewer now (`allowedActions`), in its order. */
  steps: readonly S[];
  label: (action: A) => string;
  tone: (step: S) => string;
  /** Under the buttons (e.g. why an expected step is not there yet). */
  hint?: ReactNode;
  refusal: RefusalTexts<A>;
  /** After a refused step the page re-reads the record. */
  onStale: () => void;
  /** The open step's form: `close` when it is cancelled or done, `refused` when the server refused it. */
  form: (step: S, done: { close: () => void; refused: (err: unknown) => void }) => ReactNode;
}

/** The card of a record's workflow steps: one button per allowed step, the open step's form, refusals. */
export function StepsPanel<A extends string, S extends { action: A }>({
  prefix,
  title,
  intro,
  none,
  steps,
  label,
  tone,
  hint,
  refusal: texts,
  onStale,
  form,
}: StepsPanelProps<A, S>) {
  const [selected, setSelected] = useState<A | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const current = steps.find((s) => s.action === selected);

  // A step that is no longer allowed (the record moved on) closes its form.
  useEffect(() => {
    if (selected && !steps.some((s) => s.action === selected)) setSelected(null);
  }, [steps, selected]);

  return (
    <section className="card actions-panel" aria-labelledby={`${prefix}actions-title`} data-testid={`${prefix}actions-panel`}>
      <h2 id={`${prefix}actions-title`}>{title}</h2>
      <RefusedStepAlert prefix={prefix} error={refusal} label={label} texts={texts} />
      {steps.length === 0 ? (
        <p className="muted" data-testid={`${prefix}actions-none`}>
          {none}
        </p>
      ) : (
        <>
          <p className="muted small">{intro}</p>
          <div className="action-buttons" role="group" aria-label={title}>
            {steps.map((step) => (
              <button
                key={step.action}
                type="button"
                className={`btn btn-block btn-${tone(step)}${selected === step.action ? ' btn-selected' : ''}`}
                data-testid={`${prefix}action-${step.action}`}
                aria-pressed={selected === step.action}
                onClick={() => {
                  setRefusal(null);
                  setSelected(selected === step.action ? null : step.action);
                }}
              >
                {label(step.action)}
              </button>
            ))}
          </div>
          {hint}
        </>
      )}
      {current &&
        form(current, {
          close: () => setSelected(null),
          refused: (err) => {
            setSelected(null);
            setRefusal(err);
            onStale();
          },
        })}
    </section>
  );
}

/** 409 (out of order) and 403 (another role's step) answer with the actions allowed now. */
function RefusedStepAlert<A extends string>({
  prefix,
  error,
  label,
  texts,
}: {
  prefix: string;
  error: unknown;
  label: (action: A) => string;
  texts: RefusalTexts<A>;
}) {
  if (!error) return null;
  const allowed = isApiError(error) && Array.isArray(error.problem.allowedActions) ? (error.problem.allowedActions as unknown[]) : [];
  const steps = allowed.filter((a): a is A => typeof a === 'string' && texts.isStep(a));
  return (
    <div data-testid={`${prefix}action-refused`} data-status={isApiError(error) ? error.status : undefined}>
      <ProblemAlert error={error} testId={`${prefix}action-error`} />
      <div className="alert alert-info" data-testid={`${prefix}action-error-allowed`}>
        <p className="alert-title">{texts.allowedTitle}</p>
        {steps.length ? (
          <ul>
            {steps.map((a) => (
              <li key={a}>{label(a)}</li>
            ))}
          </ul>
        ) : (
          <p>{texts.none}</p>
        )}
        <p className="small">{texts.reloaded}</p>
      </div>
    </div>
  );
}
