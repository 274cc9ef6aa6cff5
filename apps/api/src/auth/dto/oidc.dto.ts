import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class OidcConfigDto {
  @ApiProperty({ description: 'Single sign-on is configured (OIDC_ISSUER_URL set): the login page shows the button' })
  enabled!: boolean;

  @ApiProperty({ nullable: true, type: String, example: 'Keycloak', description: 'OIDC_DISPLAY_NAME (null when SSO is off)' })
  display_name!: string | null;
}

export class OidcLoginQueryDto {
  @ApiPropertyOptional({
    example: '/integrations',
    description: 'Where to go after signing in: a path on this site (anything else, e.g. //other.example, becomes /)',
  })
  @IsOptional() @IsString() @MaxLength(2048)
  return_to?: string;
}
