import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Page } from '../http/pagination.js';
import { Access } from './access.decorator.js';
import type { AuthedRequest } from './auth.guard.js';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto, UserDto, UserPageDto, UserQueryDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Access('users.read')
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() q: UserQueryDto): Promise<Page<UserDto>> {
    return this.users.list(q);
  }

  @Post()
  @Access('users.manage')
  @ApiCreatedResponse({ type: UserDto })
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto);
  }

  @Get(':id')
  @Access('users.read')
  @ApiOkResponse({ type: UserDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @Access('users.manage')
  @ApiOkResponse({ type: UserDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto, @Req() req: AuthedRequest): Promise<UserDto> {
    return this.users.update(id, dto, req.user?.id);
  }

  @Post(':id/unlock')
  @Access('users.manage')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  unlock(@Param('id', ParseUUIDPipe) id: string): Promise<UserDto> {
    return this.users.unlock(id);
  }

  @Post(':id/reset-password')
  @Access('users.manage')
  @HttpCode(204)
  @ApiNoContentResponse()
  resetPassword(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResetPasswordDto): Promise<void> {
    return this.users.resetPassword(id, dto.password);
  }
}
