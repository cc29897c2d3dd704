import type { ReactNode } from 'react';

/**
 * A titled card of a detail page (the same markup as the incident detail's sections), so feature
 * pages share it without importing each other's panels.
 */
export function Section({
  id,
  title,
  children,
  actions,
  testId,
}: {
  id: string;
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  testId?: string;
}) {
  return (
    <section className="card detail-section" aria-labelledby={`${id}-title`} id={id} data-testid={testId}>
      <div className="card-header">
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
