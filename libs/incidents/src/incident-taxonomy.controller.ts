import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, RateLimit } from '@sandi/core';
import { TaxonomyDto } from './dto/views.dto.js';
import { OBSERVABLE_TYPES } from './observable.policy.js';
import { IMPACTS, URGENCIES } from './priority.policy.js';
import { QUICK_PICKS, RSIT_CLASSES, RSIT_VERSION } from './taxonomy.js';
import { TLP_DESCRIPTIONS, TLP_LABELS } from './tlp.js';

/** The classification the report form and the teams choose from. Public: the report form needs it. */
@ApiTags('incidents')
@Controller('incident-taxonomy')
export class IncidentTaxonomyController {
  @Get()
  @Public()
  @RateLimit('public')
  @ApiOperation({ summary: 'RSIT classes and types, quick picks, TLP 2.0 labels, impact and urgency scales, observable types' })
  @ApiOkResponse({ type: TaxonomyDto })
  taxonomy(): TaxonomyDto {
    return {
      rsitVersion: RSIT_VERSION,
      classes: RSIT_CLASSES.map((c) => ({ code: c.code, label: c.label, types: c.types.map((t) => ({ code: t.code, label: t.label })) })),
      quickPicks: QUICK_PICKS.map((p) => ({ ...p })),
      tlp: TLP_LABELS.map((label) => ({ label, description: TLP_DESCRIPTIONS[label] })),
      impacts: [...IMPACTS],
      urgencies: [...URGENCIES],
      observableTypes: [...OBSERVABLE_TYPES],
    };
  }
}
