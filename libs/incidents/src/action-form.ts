import { getMetadataStorage } from 'class-validator';
import { AssignmentDto, ClassificationDto, CoordinationDto, fieldKindOf, IncidentActionDto, type FieldKindName } from './dto/action.dto.js';
import { ObservableInputDto } from './dto/report.dto.js';
import { EVIDENCE_FIELD_NAME } from './evidence.policy.js';
import {
  allowedTransitions,
  payloadOf,
  type IncidentAction,
  type IncidentFacts,
  type IncidentState,
  type PayloadPart,
} from './incident.workflow.js';

/**
 * What a form needs to offer one allowed step: where to send it and each field of its payload (name,
 * type, whether required, the options of an enum), derived from the ONE workflow table (which parts
 * a step takes and requires) and the DTO validation (what each part holds). The API serves it with
 * `allowedActions`; the web UI renders its forms from it, so neither keeps a copy of the other.
 */
export type ActionFieldType = 'text' | 'enum' | 'datetime' | 'uuid' | 'file' | FieldKindName;

export interface ActionField {
  /** Payload path: a part (`recommendation`) or a part's field (`coordination.partyName`). */
  name: string;
  part: PayloadPart | 'observable' | 'evidence';
  type: ActionFieldType;
  required: boolean;
  /** `null` is a value (e.g. `assignment.userId`: no assignee). */
  nullable: boolean;
  maxLength?: number;
  options?: string[];
  /** For `file`: the upload limits. */
  maxBytes?: number;
  maxFiles?: number;
}

export interface ActionForm {
  action: IncidentAction;
  /** The state after the step (equal to the current one for steps that stay). */
  to: IncidentState;
  method: 'POST' | 'DELETE';
  /** API path under /api/v1, `{id}` = the incident, `{observableId}` = one of its observables. */
  path: string;
  encoding: 'json' | 'multipart';
  /** Payload parts the step requires; an object part of optional fields needs at least one of them. */
  requiredParts: string[];
  fields: ActionField[];
}

export interface EvidenceLimits {
  maxBytes: number;
  maxFiles: number;
}

/** The parts of the action payload that hold an object, and its class. */
const NESTED: Partial<Record<PayloadPart, new () => object>> = {
  classification: ClassificationDto,
  coordination: CoordinationDto,
  assignment: AssignmentDto,
};

interface PropertySpec {
  type: ActionFieldType;
  optional: boolean;
  nullable: boolean;
  maxLength?: number;
  options?: string[];
}

const specCache = new Map<new () => object, Map<string, PropertySpec>>();

/** The properties of a DTO and what their validators say about them, in declaration order. */
export function describeDto(cls: new () => object): Map<string, PropertySpec> {
  const cached = specCache.get(cls);
  if (cached) return cached;
  const out = new Map<string, PropertySpec>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    const spec = out.get(m.propertyName) ?? { type: 'text' as ActionFieldType, optional: false, nullable: false };
    if (m.type === 'conditionalValidation') {
      // @IsOptional: may be left out; @ValidateIf(v !== null): may be null.
      if (m.name === 'isOptional') spec.optional = true;
      else spec.nullable = true;
    } else if (m.name === 'isIn') {
      spec.type = 'enum';
      spec.options = [...(m.constraints[0] as readonly string[])];
    } else if (m.name === 'isUuid') {
      if (spec.type === 'text') spec.type = 'uuid';
    } else if (m.name === 'isIso8601') {
      spec.type = 'datetime';
    } else if (m.name === 'maxLength') {
      spec.maxLength = m.constraints[0] as number;
    }
    out.set(m.propertyName, spec);
  }
  for (const [name, spec] of out) {
    const kind = fieldKindOf(cls, name);
    if (kind) spec.type = kind;
  }
  specCache.set(cls, out);
  return out;
}

function partFields(part: PayloadPart, required: boolean): ActionField[] {
  const nested = NESTED[part];
  if (!nested) {
    const spec = describeDto(IncidentActionDto).get(part);
    return [
      {
        name: part,
        part,
        type: spec?.type ?? 'text',
        required,
        nullable: false,
        ...(spec?.maxLength ? { maxLength: spec.maxLength } : {}),
      },
    ];
  }
  return [...describeDto(nested)].map(([name, spec]) => ({
    name: `${part}.${name}`,
    part,
    type: spec.type,
    // A field the part requires is required when the part is; `classification` needs at least one of its (optional) fields.
    required: required && !spec.optional,
    nullable: spec.nullable || (spec.optional && spec.type === 'org_unit'),
    ...(spec.maxLength ? { maxLength: spec.maxLength } : {}),
    ...(spec.options ? { options: spec.options } : {}),
  }));
}

function observableFields(): ActionField[] {
  return [...describeDto(ObservableInputDto)].map(([name, spec]) => ({
    name,
    part: 'observable' as const,
    type: spec.type,
    required: !spec.optional,
    nullable: false,
    ...(spec.maxLength ? { maxLength: spec.maxLength } : {}),
    ...(spec.options ? { options: spec.options } : {}),
  }));
}

/** The forms of the steps `actors` may take now, in table order. */
export function actionForms(facts: IncidentFacts, actors: readonly string[], limits: EvidenceLimits): ActionForm[] {
  return allowedTransitions(facts, actors).map((t): ActionForm => {
    const base = { action: t.action, to: t.to };
    if (t.action === 'add_observable') {
      return {
        ...base,
        method: 'POST',
        path: '/incidents/{id}/observables',
        encoding: 'json',
        requiredParts: ['observable'],
        fields: observableFields(),
      };
    }
    if (t.action === 'remove_observable') {
      return {
        ...base,
        method: 'DELETE',
        path: '/incidents/{id}/observables/{observableId}',
        encoding: 'json',
        requiredParts: [],
        fields: [],
      };
    }
    if (t.action === 'add_evidence') {
      return {
        ...base,
        method: 'POST',
        path: '/incidents/{id}/evidence',
        encoding: 'multipart',
        requiredParts: ['evidence'],
        fields: [
          {
            name: EVIDENCE_FIELD_NAME,
            part: 'evidence',
            type: 'file',
            required: true,
            nullable: false,
            maxBytes: limits.maxBytes,
            maxFiles: limits.maxFiles,
          },
        ],
      };
    }
    const { required, accepted } = payloadOf(t);
    return {
      ...base,
      method: 'POST',
      path: `/incidents/{id}/actions/${t.action}`,
      encoding: 'json',
      requiredParts: [...required],
      fields: accepted.flatMap((part) => partFields(part, required.includes(part))),
    };
  });
}
