import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { CreatePositionDto, CreateUnitDto, PositionDto, PositionQueryDto, UnitDto, UpdateUnitDto } from './dto/organisation.dto.js';
import { OrganisationService } from './organisation.service.js';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class OrganisationController {
  constructor(private readonly org: OrganisationService) {}

  @Get('units')
  @Access('org.read')
  @ApiOkResponse({ type: [UnitDto] })
  units(): Promise<UnitDto[]> {
    return this.org.listUnits();
  }

  @Get('units/:id')
  @Access('org.read')
  @ApiOkResponse({ type: UnitDto })
  unit(@Param('id', ParseUUIDPipe) id: string): Promise<UnitDto> {
    return this.org.getUnit(id);
  }

  @Post('units')
  @Access('org.manage')
  @ApiCreatedResponse({ type: UnitDto })
  createUnit(@Body() dto: CreateUnitDto): Promise<UnitDto> {
    return this.org.createUnit(dto);
  }

  @Patch('units/:id')
  @Access('org.manage')
  @ApiOkResponse({ type: UnitDto })
  updateUnit(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUnitDto): Promise<UnitDto> {
    return this.org.updateUnit(id, dto);
  }

  @Get('positions')
  @Access('org.read')
  @ApiOkResponse({ type: [PositionDto] })
  positions(@Query() q: PositionQueryDto): Promise<PositionDto[]> {
    return this.org.listPositions(q.unitId);
  }

  @Post('positions')
  @Access('org.manage')
  @ApiCreatedResponse({ type: PositionDto })
  createPosition(@Body() dto: CreatePositionDto): Promise<PositionDto> {
    return this.org.createPosition(dto);
  }
}
