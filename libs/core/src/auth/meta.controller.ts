import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access } from './access.decorator.js';
import { ROLE_LABELS, ROLES } from './role.js';

@ApiTags('meta')
@ApiBearerAuth()
@Controller('meta')
export class MetaController {
  @Get('roles')
  @Access('self')
  roles() {
    return ROLES.map((code) => ({ code, labelId: ROLE_LABELS[code].id, labelEn: ROLE_LABELS[code].en }));
  }
}
