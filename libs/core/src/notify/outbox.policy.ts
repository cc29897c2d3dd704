/** Delivery retry rules of the mail outbox, as plain functions. */

export const RETRY_BASE_SECONDS = 30;
export const RETRY_MAX_SECONDS = 6 * 60 * 60;
/** How long a worker owns a claimed message; after that another worker may take it over. */
export const CLAIM_LEASE_SECONDS = 5 * 60;

/**
 * Seconds to wait after failed attempt number `attempts` (1-based): 30 s · 2^(attempts−1), capped at
 * 6 h, spread ±20 % so that messages failing together (server down) do not retry in lockstep.
 */
export function retryDelaySeconds(attempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  const base = Math.min(RETRY_BASE_SECONDS * 2 ** exponent, RETRY_MAX_SECONDS);
  const jittered = base * (0.8 + 0.4 * random());
  return Math.max(1, Math.min(Math.round(jittered), RETRY_MAX_SECONDS));
}

/** After a failed attempt: try again later, or give up once the attempts are used up. */
export function statusAfterFailure(attempts: number, maxAttempts: number): 'failed' | 'dead' {
  return attempts >= maxAttempts ? 'dead' : 'failed';
}
