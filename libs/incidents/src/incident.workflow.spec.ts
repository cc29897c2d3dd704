import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STATES,
  allowedActions,
  canAssign,
  decide,
  FINAL_STATES,
  INCIDENT_ACTIONS,
  INCIDENT_STATES,
  INCIDENT_TRANSITIONS,
  STATE_LABELS,
  TEAM_OF_STATE,
  type IncidentAction,
  type IncidentFacts,
  type IncidentState,
} from './incident.workflow.js';

const facts = (status: IncidentState, recommendationSent = false): IncidentFacts => ({ status, recommendationSent });

/** Walks the happy path of the service standard, each step by its team. */
const HAPPY_PATH: Array<[IncidentState, IncidentAction, string, IncidentState]> = [
  ['reported', 'validate', 'helpdesk', 'validated'],
  ['validated', 'record', 'incident_data', 'recorded'],
  ['recorded', 'start_analysis', 'incident_analyst', 'in_analysis'],
  ['in_analysis', 'send_initial_recommendation', 'incident_analyst', 'in_analysis'],
  ['in_analysis', 'hand_over', 'incident_analyst', 'in_handling'],
  ['in_handling', 'record_coordination', 'incident_handler', 'in_handling'],
  ['in_handling', 'submit_resolution', 'incident_handler', 'resolved'],
  ['resolved', 'close', 'incident_data', 'closed'],
  ['closed', 'close_reporter_status', 'helpdesk', 'reporter_closed'],
];

describe('incident workflow table', () => {
  it('carries the service standard step by step, each by its own team', () => {
    for (const [from, action, role, to] of HAPPY_PATH) {
      const d = decide(facts(from, from === 'in_analysis' && action === 'hand_over'), action, [role]);
      expect(d.ok, `${from} ${action} ${role}`).toBe(true);
      if (d.ok) expect(d.transition.to).toBe(to);
    }
  });

  it('lets the reporter supplement a returned report and nothing else', () => {
    const d = decide(facts('returned_to_reporter'), 'supplement', ['reporter']);
    expect(d.ok && d.transition.to).toBe('reported');
    expect(allowedActions(facts('returned_to_reporter'), ['reporter'])).toEqual(['supplement']);
    for (const s of INCIDENT_STATES.filter((x) => x !== 'returned_to_reporter')) expect(allowedActions(facts(s), ['reporter'])).toEqual([]);
  });

  it('hands over only after an initial recommendation was sent (409, not 403)', () => {
    const before = decide(facts('in_analysis', false), 'hand_over', ['incident_analyst']);
    expect(before).toMatchObject({ ok: false, reason: 'illegal' });
    expect(allowedActions(facts('in_analysis', false), ['incident_analyst'])).not.toContain('hand_over');
    expect(allowedActions(facts('in_analysis', true), ['incident_analyst'])).toContain('hand_over');
  });

  it('refuses out-of-order steps as illegal, with the actions that are allowed', () => {
    const d = decide(facts('reported'), 'record', ['incident_data']);
    expect(d).toMatchObject({ ok: false, reason: 'illegal' });
    if (!d.ok) expect(d.allowed).toEqual(['assign', 'comment', 'add_observable', 'remove_observable', 'add_evidence']);
    expect(decide(facts('closed'), 'close', ['incident_data'])).toMatchObject({ ok: false, reason: 'illegal' });
    expect(decide(facts('in_handling'), 'submit_resolution', ['incident_handler']).ok).toBe(true);
    expect(decide(facts('resolved'), 'submit_resolution', ['incident_handler'])).toMatchObject({ ok: false, reason: 'illegal' });
  });

  it('refuses a step of another team as forbidden, in any state', () => {
    expect(decide(facts('reported'), 'validate', ['incident_analyst'])).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(decide(facts('validated'), 'validate', ['incident_data'])).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(decide(facts('resolved'), 'close', ['helpdesk'])).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(decide(facts('in_analysis'), 'comment', ['admin'])).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(decide(facts('in_analysis'), 'comment', ['auditor'])).toMatchObject({ ok: false, reason: 'forbidden' });
    // reclassify is the data team's in `recorded`, but not the handler's there.
    expect(decide(facts('recorded'), 'reclassify', ['incident_handler'])).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('lets the SLA job close only a resolved incident', () => {
    expect(decide(facts('resolved'), 'close', ['system']).ok).toBe(true);
    for (const s of INCIDENT_STATES.filter((x) => x !== 'resolved')) expect(decide(facts(s), 'close', ['system']).ok).toBe(false);
  });

  it('keeps final states final and staff operations in every active state', () => {
    for (const s of FINAL_STATES) {
      expect(INCIDENT_TRANSITIONS.filter((t) => t.from === s)).toEqual([]);
      expect(allowedActions(facts(s), ['helpdesk', 'incident_data', 'incident_analyst', 'incident_handler'])).toEqual([]);
    }
    for (const s of ACTIVE_STATES) {
      for (const a of ['assign', 'comment', 'add_observable', 'remove_observable', 'add_evidence'] as const) {
        expect(allowedActions(facts(s), ['incident_handler'])).toContain(a);
      }
    }
  });

  it('is consistent: every action and state is used, every reachable state has a label and a queue owner or is final', () => {
    expect(new Set(INCIDENT_TRANSITIONS.map((t) => t.action))).toEqual(new Set(INCIDENT_ACTIONS));
    const reachable = new Set<IncidentState>(['reported', ...INCIDENT_TRANSITIONS.map((t) => t.to)]);
    expect(reachable).toEqual(new Set(INCIDENT_STATES));
    for (const s of INCIDENT_STATES) {
      expect(STATE_LABELS[s].id).toBeTruthy();
      expect(TEAM_OF_STATE[s] === null).toBe(FINAL_STATES.includes(s));
    }
    // No (state, action, actor) appears twice: the table is a function.
    const keys = INCIDENT_TRANSITIONS.flatMap((t) => t.actors.map((a) => `${t.from}|${t.action}|${a}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('allows assignment for a team only to holders of that team role', () => {
    expect(canAssign(['incident_analyst'], 'analysis')).toBe(true);
    expect(canAssign(['incident_analyst'], 'handling')).toBe(false);
    expect(canAssign(['helpdesk', 'incident_data'], 'data')).toBe(true);
  });
});
