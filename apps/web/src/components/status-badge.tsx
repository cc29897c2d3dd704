import type { ReactNode } from 'react';
type Tone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

export function Badge({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}
