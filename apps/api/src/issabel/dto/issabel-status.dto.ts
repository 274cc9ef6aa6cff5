import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class IssabelChannelDto {
  @ApiProperty({ example: 'SIP/101-00000012' }) channel!: string;
  @ApiProperty({ example: 'Up' }) state!: string;
  @ApiProperty({ nullable: true, type: String, example: '101' }) caller_id_num!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Ayşe Yılmaz' }) caller_id_name!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '902123334455' }) connected_line_num!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'from-internal' }) context!: string | null;
  @ApiProperty({ nullable: true, type: String }) exten!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Dial' }) application!: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 74 }) duration_seconds!: number | null;
  @ApiProperty({ nullable: true, type: String }) bridge_id!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Channels of one call share it' }) linked_id!: string | null;
}

export class IssabelPeerDto {
  @ApiProperty({ example: '101' }) name!: string;
  @ApiProperty({ enum: ['sip', 'pjsip'] }) technology!: 'sip' | 'pjsip';
  @ApiProperty({ example: 'OK (12 ms)', description: 'SIPpeers Status or PJSIP DeviceState' }) state!: string;
  @ApiProperty() online!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '10.0.0.101:5060' }) address!: string | null;
}

export class IssabelPeerSummaryDto {
  @ApiProperty({ enum: ['sip', 'pjsip'] }) technology!: 'sip' | 'pjsip';
  @ApiProperty() total!: number;
  @ApiProperty() online!: number;
  @ApiProperty() offline!: number;
}

const AVAILABILITY = ['ok', 'permission_denied', 'not_available'];

export class IssabelStatusDto {
  @ApiProperty({ enum: ['live', 'simulator'] }) mode!: 'live' | 'simulator' | 'unconfigured';
  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' }) checked_at!: string;
  @ApiProperty() latency_ms!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Channels (call legs) up now; null when the AMI user may not list them' }) active_channels!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Distinct calls (channels grouped by Linkedid)' }) active_calls!: number | null;
  @ApiProperty({ enum: AVAILABILITY }) channels_availability!: string;
  @ApiProperty({ type: [IssabelChannelDto] }) channels!: IssabelChannelDto[];
  @ApiProperty({ enum: AVAILABILITY }) peers_availability!: string;
  @ApiProperty({ type: [IssabelPeerSummaryDto] }) peer_summary!: IssabelPeerSummaryDto[];
  @ApiProperty({ type: [IssabelPeerDto] }) peers!: IssabelPeerDto[];
  @ApiPropertyOptional({ description: 'True when channels or peers were cut at 500 entries (counts stay exact)' }) truncated!: boolean;
}
