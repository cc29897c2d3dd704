import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConfigService } from '../config/config.service.js';
import { Access, Public } from './access.decorator.js';
import { AuthErrorCode, AuthException } from './auth.exception.js';
import type { AuthedRequest } from './auth.guard.js';
import { AuthService, type ClientMeta } from './auth.service.js';
import { clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from './cookies.js';
import {
  ChangePasswordDto,
  LoginDto,
  MeDto,
  RefreshDto,
  RefreshResponseDto,
  SessionResponseDto,
  TokenResponseDto,
} from './dto/auth.dto.js';
import { RateLimit } from './rate-limit.decorator.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: ConfigService,
  ) {}

  private get secureCookies(): boolean {
    return this.config.get('AUTH_COOKIE_SECURE') ?? this.config.isProduction;
  }

  @Post('login')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionResponseDto, description: 'Web sign-in: sets the session cookies and returns the profile.' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ user: MeDto }> {
    const { user, tokens } = await this.auth.login(dto.username, dto.password, meta(req, 'web'));
    setSessionCookies(res, tokens, this.secureCookies);
    return { user: await this.users.profile(user.id) };
  }

  @Post('token')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponseDto, description: 'API client sign-in: bearer access token + refresh token.' })
  async token(@Body() dto: LoginDto, @Req() req: Request): Promise<TokenResponseDto> {
    const { user, tokens } = await this.auth.login(dto.username, dto.password, meta(req, 'api'));
    return {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresIn: tokens.expiresIn,
      tokenType: 'Bearer',
      user: await this.users.profile(user.id),
    };
  }

  @Post('refresh')
  @Public()
  @RateLimit('login')
  @HttpCode(200)
  @ApiOkResponse({ type: RefreshResponseDto, description: 'Rotates the refresh token (cookie for the web UI, body for API clients).' })
  async refresh(@Body() dto: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RefreshResponseDto> {
    const fromCookie = (req.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE];
    const presented = dto.refreshToken ?? fromCookie;
    if (!presented) throw new AuthException(AuthErrorCode.Unauthenticated, 'Token penyegaran tidak ada (no refresh token)');
    try {
      const { user, tokens } = await this.auth.refresh(presented, meta(req, dto.refreshToken ? 'api' : 'web'));
      const profile = await this.users.profile(user.id);
      if (dto.refreshToken) {
        return {
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken,
          expiresIn: tokens.expiresIn,
          tokenType: 'Bearer',
          user: profile,
        };
      }
      setSessionCookies(res, tokens, this.secureCookies);
      return { user: profile };
    } catch (e) {
      if (!dto.refreshToken) clearSessionCookies(res, this.secureCookies);
      throw e;
    }
  }

  @Post('logout')
  @Access('self')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (req.user?.sessionId) await this.auth.logout(req.user.sessionId);
    clearSessionCookies(res, this.secureCookies);
  }

  @Get('me')
  @Access('self')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeDto })
  me(@Req() req: AuthedRequest): Promise<MeDto> {
    return this.users.profile(req.user!.id);
  }

  @Post('password')
  @Access('self')
  @RateLimit('login')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse()
  async changePassword(@Body() dto: ChangePasswordDto, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.changePassword(req.user!.id, dto.currentPassword, dto.newPassword, req.user!.sessionId);
  }
}

function meta(req: Request, client: ClientMeta['client']): ClientMeta {
  return { client, ip: req.ip, userAgent: req.header('user-agent') };
}
