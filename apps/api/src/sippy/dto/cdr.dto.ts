import { ApiProperty } from '@nestjs/swagger';
import { CDR_DIRECTIONS, CDR_STATUSES, type Cdr, type CdrDirection, type CdrStatus } from '@velora/sippy';

/** Swagger description of the canonical CDR (the JSON the API returns is exactly `Cdr`). */
export class CdrDto implements Cdr {
  @ApiProperty({ description: 'Stable source id (Sippy i_cdr)', example: '418238747' }) id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'SIP Call-ID' }) call_id!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '905321234567' }) caller!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '902122345678' }) callee!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Connect time, UTC' }) start_time!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Disconnect time, UTC' }) end_time!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) setup_time!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Talk time, seconds' }) duration!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Billed seconds' }) billed_duration!: number | null;
  @ApiProperty({ enum: CDR_STATUSES }) status!: CdrStatus;
  @ApiProperty({ nullable: true, type: Number, description: 'Sippy result: 0 ok, >0 SIP code, <0 internal reject' }) result!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 200 }) sip_code!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'Busy Here' }) disconnect_reason!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'caller' }) release_source!: string | null;
  @ApiProperty({ enum: CDR_DIRECTIONS }) direction!: CdrDirection;
  @ApiProperty({ nullable: true, type: String, example: 'Turkey' }) country!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'TR', description: 'ISO 3166-1 alpha-2, upper-case' })
  country_code!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Istanbul' }) city!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 0.024 }) cost!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'TRY' }) currency!: string | null;
  @ApiProperty({ nullable: true, type: String }) trunk!: string | null;
  @ApiProperty({ nullable: true, type: String }) codec!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Sippy i_account' }) account!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '203.0.113.45' }) remote_ip!: string | null;
}
