import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength, Min, ValidateIf } from 'class-validator';

/** Body of POST /api/sippy/test-connection. Nothing is saved; the password is never echoed. */
export class TestConnectionDto {
  @ApiProperty({ example: 'https://switch.example.net/xmlapi/xmlapi' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'api_url must be an http(s) URL such as https://HOST/xmlapi/xmlapi' })
  @MaxLength(2048)
  api_url!: string;

  @ApiPropertyOptional({ description: 'Sippy web login (Digest user). Alias: api_key', example: 'ssp-root' })
  @ValidateIf((o: TestConnectionDto) => o.api_key === undefined)
  @IsString() @IsNotEmpty() @MaxLength(256)
  username?: string;

  @ApiPropertyOptional({ description: 'Sippy API password. Alias: api_secret', format: 'password' })
  @ValidateIf((o: TestConnectionDto) => o.api_secret === undefined)
  @IsString() @IsNotEmpty() @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ deprecated: true, description: 'Older name of username' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(256)
  api_key?: string;

  @ApiPropertyOptional({ deprecated: true, description: 'Older name of password', format: 'password' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1024)
  api_secret?: string;

  @ApiPropertyOptional({ default: true, description: 'Verify the TLS certificate (turn off only for a self-signed switch)' })
  @IsOptional() @IsBoolean()
  tls_verify?: boolean;

  @ApiPropertyOptional({ description: 'Also read one CDR of this i_account', example: 1042 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  account_id?: number;
}

export class TestConnectionDetailsDto {
  @ApiProperty({ example: 'https://switch.example.net/xmlapi/xmlapi' }) endpoint!: string;
  @ApiProperty({ nullable: true, type: Number, example: 84 }) latency_ms!: number | null;
  @ApiProperty({ nullable: true, type: [String], description: 'system.listMethods, when the switch offers it' }) methods!: string[] | null;
  @ApiPropertyOptional({ example: 'auth', description: 'auth | tls | timeout | unreachable | http | fault | malformed | too_large | config' }) cause?: string;
  @ApiProperty() tls_verify!: boolean;
  @ApiPropertyOptional() account_id?: number;
  @ApiPropertyOptional({ description: 'CDRs of account_id seen in the last 24 h (max 1)' }) cdr_sample_count?: number;
}

export class TestConnectionResultDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'Connected to SippySoft in 84 ms' }) message!: string;
  @ApiProperty({ type: TestConnectionDetailsDto }) details!: TestConnectionDetailsDto;
}
