import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentAuth } from '../auth/auth.decorators';
import { type AuthContext, SESSION_COOKIE } from '../auth/auth.types';
import { CreateSavedViewDto, SavedViewDto, SavedViewIdParamDto, SavedViewQueryDto, UpdateSavedViewDto } from './dto/saved-view.dto';
import { SavedViewsService } from './saved-views.service';

@ApiTags('views')
@ApiCookieAuth(SESSION_COOKIE)
@ApiBearerAuth()
@Controller('views')
export class SavedViewsController {
  constructor(private readonly views: SavedViewsService) {}

  @Get()
  @ApiOperation({ summary: 'Your saved views and the shared ones, by name' })
  @ApiOkResponse({ type: [SavedViewDto] })
  list(@CurrentAuth() auth: AuthContext, @Query() query: SavedViewQueryDto): Promise<SavedViewDto[]> {
    return this.views.list(auth, query.scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One saved view (yours or a shared one)' })
  @ApiOkResponse({ type: SavedViewDto })
  @ApiNotFoundResponse({ description: 'Unknown, or another user’s private view' })
  get(@CurrentAuth() auth: AuthContext, @Param() params: SavedViewIdParamDto): Promise<SavedViewDto> {
    return this.views.get(params.id, auth);
  }

  @Post()
  @ApiOperation({ summary: 'Save filters + columns + sort + time zone as a named view (shared: admins only)' })
  @ApiCreatedResponse({ type: SavedViewDto })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field or the filter (filters.<name>)' })
  @ApiForbiddenResponse({ description: 'Only admins share views' })
  @ApiConflictResponse({ description: 'You already have a view with this name in this scope' })
  create(@CurrentAuth() auth: AuthContext, @Body() dto: CreateSavedViewDto): Promise<SavedViewDto> {
    return this.views.create(dto, auth);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a view (the owner, or an admin for a shared view)' })
  @ApiOkResponse({ type: SavedViewDto })
  @ApiBadRequestResponse({ description: 'Invalid body; the message names the field or the filter' })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  @ApiConflictResponse()
  update(@CurrentAuth() auth: AuthContext, @Param() params: SavedViewIdParamDto, @Body() dto: UpdateSavedViewDto): Promise<SavedViewDto> {
    return this.views.update(params.id, dto, auth);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a view (the owner, or an admin for a shared view)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse()
  @ApiNotFoundResponse()
  delete(@CurrentAuth() auth: AuthContext, @Param() params: SavedViewIdParamDto): Promise<void> {
    return this.views.delete(params.id, auth);
  }
}
