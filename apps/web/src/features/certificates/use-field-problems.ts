import { useCallback, useState } from 'react';

/**
 * Client-side field problems of a form: set all at once on submit, and each one cleared as soon as
 * its field is edited, so a corrected field stops showing an error from the previous attempt.
 */
export function useFieldProblems() {
  const [problems, setProblems] = useState<Record<string, string>>({});
  const clear = useCallback((...fields: string[]) => {
    setProblems((p) => {
      if (!fields.some((f) => f in p)) return p;
      const next = { ...p };
      for (const f of fields) delete next[f];
      return next;
    });
  }, []);
  return [problems, setProblems, clear] as const;
}
