import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { ROLES, type Role } from '../auth.types';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-hasher';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @Transform(trim) @IsEmail({ require_tld: false }, { message: 'email must be an email address' }) @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString() @IsNotEmpty() @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString() @IsNotEmpty() @MaxLength(PASSWORD_MAX_LENGTH)
  current_password!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString() @MinLength(PASSWORD_MIN_LENGTH, { message: `new_password must be at least ${PASSWORD_MIN_LENGTH} characters` }) @MaxLength(PASSWORD_MAX_LENGTH)
  new_password!: string;
}

export class SsoLinkDto {
  @ApiProperty({ example: 'https://login.example.com/realms/velora', description: 'The OIDC issuer of the linked identity' })
  issuer!: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'agent@example.com' }) email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ nullable: true, type: String }) display_name!: string | null;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: 'The user must change the password before anything else' }) must_change_password!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_login_at!: string | null;
  @ApiProperty({
    type: SsoLinkDto,
    nullable: true,
    description: 'The SSO (OIDC) identity the user is linked to, or null. Only the issuer is shown, never the subject',
  })
  sso!: SsoLinkDto | null;
  @ApiProperty({ description: 'False: the user was created by SSO and has no password, so only SSO sign-in works (an admin can set one)' })
  password_login!: boolean;
}

export class SessionDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ description: 'Also set as the velora_csrf cookie: send it back in X-CSRF-Token on POST/PUT/PATCH/DELETE' })
  csrf_token!: string;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

export class MeDto extends UserDto {
  @ApiProperty({ enum: ['session', 'token', 'oidc'], description: 'How this request was authenticated (oidc = a Bearer access token from the SSO issuer)' }) auth!: 'session' | 'token' | 'oidc';
}

export class CreateTokenDto {
  @ApiProperty({ example: 'grafana', description: 'What the token is for (1-100 characters)' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Expires after this many days; unset = never' })
  @IsOptional() @IsInt() @Min(1) @Max(3650)
  expires_in_days?: number;
}

export class TokenListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Admins: another user's tokens" })
  @IsOptional() @IsUUID('all', { message: 'user_id must be a user id (UUID)' })
  user_id?: string;

  @ApiPropertyOptional({ description: "Admins: every user's tokens" })
  @IsOptional() @Transform(toBool) @IsBoolean({ message: 'all must be true or false' })
  all?: boolean;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'vlr_AbC12x', description: 'The first characters of the token' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_used_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revoked_at!: string | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token (vlr_…). Shown only in this response: store it now.' }) token!: string;
}

export class IdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'agent@example.com' })
  @Transform(trim) @IsEmail({ require_tld: false }, { message: 'email must be an email address' }) @MaxLength(320)
  email!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, description: 'Initial password (the user must change it unless must_change_password=false)' })
  @IsString() @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` }) @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({ example: 'Ayşe Yılmaz' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100)
  display_name?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  must_change_password?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional() @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100)
  display_name?: string | null;

  @ApiPropertyOptional({ description: 'Disabled users cannot sign in; their sessions and tokens stop working' })
  @IsOptional() @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ format: 'password', description: 'Password reset: the user must change it at the next sign-in' })
  @IsOptional() @IsString() @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` }) @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;
}

/** `2026-11-25` (UTC midnight) or a date-time with a time zone (`2026-11-25T10:00:00Z`, `…+03:00`). */
const ZONED_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const TIMESTAMP_MESSAGE = (field: string): string =>
  `${field} must be an ISO 8601 date or date-time with a time zone, e.g. 2026-11-25T10:00:00Z`;

/** `to` must not be earlier than the `from` of the same query (checked only when both are valid). */
function IsNotBeforeFrom(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol): void => {
    registerDecorator({
      name: 'isNotBeforeFrom',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'to must not be earlier than from', ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const from = (args.object as { from?: unknown }).from;
          if (typeof value !== 'string' || typeof from !== 'string') return true;
          const start = Date.parse(from);
          const end = Date.parse(value);
          return Number.isNaN(start) || Number.isNaN(end) || start <= end;
        },
      },
    });
  };
}

/** Query of GET /api/audit-log. Unknown parameters are rejected (400 naming them). */
export class AuditLogQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000_000)
  offset: number = 0;

  @ApiPropertyOptional({
    example: 'auth.login_failed',
    description: 'One action (`auth.login_failed`), or every action of a category: a prefix ending in a dot (`auth.`, `user.`, `sippy.`)',
  })
  @IsOptional() @IsString() @Matches(/^[a-z_]+\.([a-z_]+)?$/, { message: 'action must be an action like auth.login_failed or a prefix like auth.' })
  action?: string;

  @ApiPropertyOptional({ example: 'admin@', description: "Part of the actor's email, case-insensitive" })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty({ message: 'actor must not be empty' }) @MaxLength(320)
  actor?: string;

  @ApiPropertyOptional({ example: 'agent@example.com', description: 'Part of the target (user email, token name, tested host), case-insensitive' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty({ message: 'target must not be empty' }) @MaxLength(320)
  target?: string;

  @ApiPropertyOptional({ example: '203.0.113.', description: 'Part of the client IP address' })
  @IsOptional() @Transform(trim) @IsString() @Matches(/^[0-9A-Fa-f.:]{1,45}$/, { message: 'ip must be part of an IPv4 or IPv6 address' })
  ip?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-25T00:00:00Z', description: 'Entries at or after this time (ISO 8601 with a time zone; a bare date is UTC midnight)' })
  @IsOptional() @IsString() @Matches(ZONED_TIMESTAMP, { message: TIMESTAMP_MESSAGE('from') }) @IsISO8601({ strict: true, strictSeparator: true }, { message: TIMESTAMP_MESSAGE('from') })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-25T23:59:59Z', description: 'Entries at or before this time (inclusive); not earlier than from' })
  @IsOptional() @IsString() @Matches(ZONED_TIMESTAMP, { message: TIMESTAMP_MESSAGE('to') }) @IsISO8601({ strict: true, strictSeparator: true }, { message: TIMESTAMP_MESSAGE('to') }) @IsNotBeforeFrom()
  to?: string;
}

export class AuditEntryDto {
  @ApiProperty() id!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) actor_user_id!: string | null;
  @ApiProperty({ nullable: true, type: String }) actor_email!: string | null;
  @ApiProperty({ example: 'auth.login' }) action!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class AuditActionsDto {
  @ApiProperty({ type: [String], example: ['auth.login', 'auth.login_failed'], description: 'Action names for a filter: every action Velora writes plus any other name in the log, sorted' })
  actions!: string[];
}
