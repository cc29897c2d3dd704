import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderApiTypes, TYPES_FILE } from '../../apps/web/scripts/api-types.mjs';

// The second link of the contract chain: the code → apps/api/openapi.json (openapi.e2e.spec.ts) →
// the web's generated types, which the pages use through apps/web/src/api/{types,certificates.types}.ts.
describe('generated web API types', () => {
  it('match apps/api/openapi.json (regenerate with UPDATE_WEB_API_TYPES=1 or `npm run web:api-types`)', async () => {
    const generated = await renderApiTypes();
    if (process.env.UPDATE_WEB_API_TYPES === '1') writeFileSync(TYPES_FILE, generated);
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(generated);
  });

  it('stay strict: declared enums are unions, nothing is `any`', async () => {
    const generated = await renderApiTypes();
    const code = generated.replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(/\bany\b/);
    // `Record<string, never>` stands only for the absent webhooks and $defs, never in a schema.
    expect(code.match(/Record<string, never>/g)).toHaveLength(2);
    // A sample of `@ApiProperty({ enum })` and `nullable: true` fields as the pages rely on them.
    const dto = (name: string) => new RegExp(`\\n    ${name}: \\{\\n([\\s\\S]*?)\\n    \\};`).exec(generated)?.[1] ?? '';
    expect(dto('IncidentSummaryDto')).toContain(`priority: 'P1' | 'P2' | 'P3' | 'P4';`);
    expect(dto('IncidentSummaryDto')).toContain(`team: 'helpdesk' | 'data' | 'analysis' | 'handling' | null;`);
    expect(dto('ApplicationSummaryDto')).toContain(`waitingOn: 'verifier' | 'applicant' | 'ra' | null;`);
    expect(dto('OutboxMessageDto')).toContain('lastError: string | null;');
  });
});
