/**
 * A runtime list of every member of a union generated from the OpenAPI document, in the order the
 * UI shows them (selects, filters): the compiler rejects a list that misses a member or names one
 * the API does not have, so the list cannot drift from the server's enum.
 *
 *   export const TEAMS = listOf<Team>()(['helpdesk', 'data', 'analysis', 'handling']);
 */
export function listOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })): L => list;
}
