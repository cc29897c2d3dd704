import { useState, type ReactNode } from 'react';
import { ensureSession } from '../../api/client';

interface DownloadLinkProps {
  href: string;
  testId?: string;
  className?: string;
  children: ReactNode;
  title?: string;
  'aria-label'?: string;
}

/**
 * A download the browser performs itself (streamed to disk, never rendered: the API answers with
 * an attachment). A plain link cannot refresh an expired session, so the click first makes sure
 * the session cookie is fresh, then follows the link.
 */
export function DownloadLink({ href, testId, className = 'btn btn-secondary', children, title, ...rest }: DownloadLinkProps) {
  const [busy, setBusy] = useState(false);

  async function follow() {
    setBusy(true);
    try {
      if (!(await ensureSession())) return;
      const a = document.createElement('a');
      a.href = href;
      a.download = '';
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
    } finally {
      setBusy(false);
    }
  }

  return (
    <a
      href={href}
      download=""
      className={className}
      data-testid={testId}
      title={title}
      aria-label={rest['aria-label']}
      aria-disabled={busy || undefined}
      onClick={(e) => {
        e.preventDefault();
        if (!busy) void follow();
      }}
    >
      {children}
    </a>
  );
}
