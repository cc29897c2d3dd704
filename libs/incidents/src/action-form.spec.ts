import { describe, expect, it } from 'vitest';
import { actionForms, describeDto } from './action-form.js';
import { ClassificationDto, CoordinationDto } from './dto/action.dto.js';
import { INCIDENT_TRANSITIONS, payloadOf } from './incident.workflow.js';
import { OBSERVABLE_TYPES } from './observable.policy.js';
import { IMPACTS, URGENCIES } from './priority.policy.js';
import { TLP_LABELS } from './tlp.js';

const limits = { maxBytes: 4096, maxFiles: 3 };
const formsOf = (status: Parameters<typeof actionForms>[0]['status'], roles: string[], recommendationSent = false) =>
  actionForms({ status, recommendationSent }, roles, limits);
const form = (status: Parameters<typeof actionForms>[0]['status'], roles: string[], action: string, recommendationSent = false) =>
  formsOf(status, roles, recommendationSent).find((f) => f.action === action);

describe('action forms (from the workflow table and the DTOs)', () => {
  it("reads each DTO's validators: enums with their options, lengths, dates, optional and nullable fields, kinds", () => {
    const c = describeDto(ClassificationDto);
    expect([...c.keys()]).toEqual(['category', 'impact', 'urgency', 'tlp', 'opdUnitId']);
    expect(c.get('impact')).toMatchObject({ type: 'enum', options: [...IMPACTS], optional: true });
    expect(c.get('category')).toMatchObject({ type: 'category', maxLength: 100, optional: true });
    expect(c.get('opdUnitId')).toMatchObject({ type: 'org_unit', optional: true });
    const k = describeDto(CoordinationDto);
    expect(k.get('partyName')).toMatchObject({ type: 'text', maxLength: 200, optional: false });
    expect(k.get('contactedAt')).toMatchObject({ type: 'datetime', optional: false });
    expect(k.get('contact')).toMatchObject({ optional: true });
  });

  it('gives a step exactly the parts the table lets it take, required as the table says', () => {
    const rec = form('in_analysis', ['incident_analyst'], 'send_initial_recommendation')!;
    expect(rec).toEqual({
      action: 'send_initial_recommendation',
      to: 'in_analysis',
      method: 'POST',
      path: '/incidents/{id}/actions/send_initial_recommendation',
      encoding: 'json',
      requiredParts: ['recommendation'],
      fields: [{ name: 'recommendation', part: 'recommendation', type: 'text', required: true, nullable: false, maxLength: 20000 }],
    });
    const validate = form('reported', ['helpdesk'], 'validate')!;
    expect(validate.to).toBe('validated');
    expect(validate.requiredParts).toEqual([]);
    // Reclassifying requires the classification, though each of its fields is optional: at least one.
    expect(form('reported', ['helpdesk'], 'reclassify')!.requiredParts).toEqual(['classification']);
    expect(validate.fields.map((f) => [f.name, f.required])).toEqual([
      ['classification.category', false],
      ['classification.impact', false],
      ['classification.urgency', false],
      ['classification.tlp', false],
      ['classification.opdUnitId', false],
      ['note', false],
    ]);
    expect(validate.fields.find((f) => f.name === 'classification.tlp')!.options).toEqual([...TLP_LABELS]);
    expect(validate.fields.find((f) => f.name === 'classification.urgency')!.options).toEqual([...URGENCIES]);
    expect(validate.fields.find((f) => f.name === 'classification.opdUnitId')).toMatchObject({ type: 'org_unit', nullable: true });
  });

  it('marks the required fields of a required object part, and nothing of an optional one', () => {
    const coordination = form('in_handling', ['incident_handler'], 'record_coordination')!;
    expect(coordination.fields.filter((f) => f.required).map((f) => f.name)).toEqual([
      'coordination.partyName',
      'coordination.partyKind',
      'coordination.contactedAt',
    ]);
    expect(coordination.fields.find((f) => f.name === 'coordination.partyKind')!.options).toEqual([
      'csirt',
      'agency',
      'vendor',
      'isp',
      'other',
    ]);
    const assign = form('recorded', ['incident_analyst'], 'assign')!;
    expect(assign.fields).toEqual([
      {
        name: 'assignment.team',
        part: 'assignment',
        type: 'enum',
        required: true,
        nullable: false,
        options: ['helpdesk', 'data', 'analysis', 'handling'],
      },
      { name: 'assignment.userId', part: 'assignment', type: 'user', required: true, nullable: true },
    ]);
  });

  it('points the dedicated steps at their own endpoints, with the upload limits for evidence', () => {
    const forms = formsOf('recorded', ['incident_analyst']);
    expect(forms.find((f) => f.action === 'add_observable')).toMatchObject({
      method: 'POST',
      path: '/incidents/{id}/observables',
      encoding: 'json',
    });
    expect(forms.find((f) => f.action === 'add_observable')!.fields.find((f) => f.name === 'type')!.options).toEqual([...OBSERVABLE_TYPES]);
    expect(forms.find((f) => f.action === 'remove_observable')).toMatchObject({
      method: 'DELETE',
      path: '/incidents/{id}/observables/{observableId}',
      fields: [],
    });
    expect(forms.find((f) => f.action === 'add_evidence')).toMatchObject({
      encoding: 'multipart',
      fields: [{ name: 'evidence', type: 'file', required: true, maxBytes: 4096, maxFiles: 3 }],
    });
  });

  it('offers only what the roles may do now: guards hold, other teams and final states get nothing', () => {
    expect(form('in_analysis', ['incident_analyst'], 'hand_over')).toBeUndefined();
    expect(form('in_analysis', ['incident_analyst'], 'hand_over', true)).toMatchObject({ to: 'in_handling' });
    expect(formsOf('reported', ['incident_handler']).map((f) => f.action)).toEqual([
      'assign',
      'comment',
      'add_observable',
      'remove_observable',
      'add_evidence',
    ]);
    expect(formsOf('rejected', ['helpdesk'])).toEqual([]);
    expect(formsOf('reported', ['auditor'])).toEqual([]);
  });

  it('covers every payload part of every transition with at least one field', () => {
    for (const t of INCIDENT_TRANSITIONS) {
      if (['add_observable', 'remove_observable', 'add_evidence'].includes(t.action)) continue;
      const f = actionForms({ status: t.from, recommendationSent: true }, t.actors, limits).find((x) => x.action === t.action)!;
      for (const part of payloadOf(t).accepted)
        expect(
          f.fields.some((x) => x.part === part),
          `${t.action}: ${part}`,
        ).toBe(true);
    }
  });
});
