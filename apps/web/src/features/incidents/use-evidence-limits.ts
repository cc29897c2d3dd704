import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { DEFAULT_EVIDENCE_LIMITS, type EvidenceLimits } from './incident-model';

let published: Promise<EvidenceLimits> | undefined;

/**
 * The evidence limits the server enforces (GET /public/incidents/form), read once per page load:
 * forms check files against them before uploading. Until they arrive (or if they cannot be read)
 * the defaults of the configuration stand in; the server still refuses what breaks its limits.
 */
export function useEvidenceLimits(): EvidenceLimits {
  const [limits, setLimits] = useState<EvidenceLimits>(DEFAULT_EVIDENCE_LIMITS);
  useEffect(() => {
    let live = true;
    published ??= api.publicIncidents.form().then(
      (f) => ({ maxBytes: f.maxEvidenceBytes, maxFiles: f.maxEvidenceFiles }),
      (err: unknown) => {
        published = undefined;
        throw err;
      },
    );
    published.then(
      (l) => live && setLimits(l),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return limits;
}
