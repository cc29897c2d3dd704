/**
 * Client-side mirror of the server's password policy, used only as a live hint: the server
 * remains the authority and its problem response is what the user finally sees.
 */
export type PolicyRule = 'length' | 'upper' | 'lower' | 'digit' | 'symbol' | 'username';

export const MIN_PASSWORD_LENGTH = 12;

export function checkPassword(password: string, username: string): Record<PolicyRule, boolean> {
  const name = username.trim().toLowerCase();
  return {
    length: [...password].length >= MIN_PASSWORD_LENGTH,
    upper: /\p{Lu}/u.test(password),
    lower: /\p{Ll}/u.test(password),
    digit: /\p{Nd}/u.test(password),
    symbol: /[^\p{L}\p{Nd}\s]/u.test(password),
    username: name.length === 0 || !password.toLowerCase().includes(name),
  };
}

export function meetsPolicy(password: string, username: string): boolean {
  return Object.values(checkPassword(password, username)).every(Boolean);
}
