import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from './access.decorator.js';
import { RoleOptionDto } from './dto/auth.dto.js';
import { ROLE_LABELS, ROLES } from './role.js';

@ApiTags('meta')
@ApiBearerAuth()
@Controller('meta')
export class MetaController {
  @Get('roles')
  @Access('self')
  @ApiOkResponse({ type: [RoleOptionDto] })
  roles(): RoleOptionDto[] {
    return ROLES.map((code) => ({ code, labelId: ROLE_LABELS[code].id, labelEn: ROLE_LABELS[code].en }));
  }
}
