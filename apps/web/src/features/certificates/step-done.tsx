import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StepResult } from '../../api/certificates.types';

type NextStep = 'review' | 'passphraseMail' | 'ra' | 'issued' | 'sign' | 'signOwn';

/**
 * The applicant's step went through: a heading that takes the focus (so screen readers announce the
 * outcome), what happens next in the service standard's order, and `children` as the way on.
 */
export function StepDone({
  result,
  testId,
  title,
  body,
  next,
  children,
}: {
  result: StepResult;
  testId: string;
  title: string;
  body: string;
  next: readonly NextStep[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="alert alert-success" role="status" data-testid={testId} data-state={result.state}>
      <h2 ref={heading} tabIndex={-1} className="alert-title">
        {title}
      </h2>
      <p>{body}</p>
      <p className="label-strong">{t('certificates.next.title')}</p>
      <ol data-testid="tte-next-steps">
        {next.map((k) => (
          <li key={k}>{t(`certificates.next.${k}`)}</li>
        ))}
      </ol>
      {children}
    </div>
  );
}
