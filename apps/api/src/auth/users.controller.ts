import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from './auth.controller';
import { CurrentAuth, Roles } from './auth.decorators';
import { type AuthContext, type PublicUser, SESSION_COOKIE } from './auth.types';
import { CreateUserDto, IdParamDto, UpdateUserDto, UserDto } from './dto/auth.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'All users (admin)' })
  @ApiOkResponse({ type: [UserDto] })
  list(): Promise<PublicUser[]> {
    return this.users.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  get(@Param() params: IdParamDto): Promise<PublicUser> {
    return this.users.get(params.id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user with a role and an initial password (admin)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field' })
  @ApiConflictResponse({ description: 'The email is taken (case-insensitively)' })
  create(@CurrentAuth() auth: AuthContext, @Body() dto: CreateUserDto, @Req() req: Request): Promise<PublicUser> {
    return this.users.create(
      { email: dto.email, password: dto.password, role: dto.role, displayName: dto.display_name, mustChangePassword: dto.must_change_password },
      auth,
      clientIp(req),
    );
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change role or name, disable/enable, or reset the password (admin)' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  update(@CurrentAuth() auth: AuthContext, @Param() params: IdParamDto, @Body() dto: UpdateUserDto, @Req() req: Request): Promise<PublicUser> {
    return this.users.update(
      params.id,
      { role: dto.role, displayName: dto.display_name, disabled: dto.disabled, password: dto.password },
      auth,
      clientIp(req),
    );
  }

  @Delete(':id/sso')
  @ApiOperation({
    summary: "Unlink the user's SSO identity (admin)",
    description:
      'Clears the OIDC issuer and subject the user is linked to. Their sessions stay valid; the next SSO sign-in with a matching verified email links them again. Returns the updated user.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  @ApiBadRequestResponse({ description: 'The user is not linked to an SSO identity' })
  unlinkSso(@CurrentAuth() auth: AuthContext, @Param() params: IdParamDto, @Req() req: Request): Promise<PublicUser> {
    return this.users.unlinkSso(params.id, auth, clientIp(req));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user and their API tokens (admin; not yourself, not the last admin)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Yourself, or the last active admin' })
  delete(@CurrentAuth() auth: AuthContext, @Param() params: IdParamDto, @Req() req: Request): Promise<void> {
    return this.users.delete(params.id, auth, clientIp(req));
  }
}
