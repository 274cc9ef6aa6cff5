import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_CHANNELS, type NotificationChannelName } from '@velora/contracts';
import { IsIn } from 'class-validator';

export class ChannelParamDto {
  @ApiProperty({ enum: NOTIFICATION_CHANNELS })
  @IsIn(NOTIFICATION_CHANNELS, { message: `channel must be one of ${NOTIFICATION_CHANNELS.join(', ')}` })
  channel!: NotificationChannelName;
}

export class NotificationChannelStatusDto {
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel!: NotificationChannelName;
  @ApiProperty() configured!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://hooks.example.com',
    description: "Where it sends, without secrets: the webhook's origin, the email recipients, the Telegram chat",
  })
  target!: string | null;
  @ApiProperty({ description: 'Deliveries waiting in this API process' }) queued!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty({ description: 'Deliveries given up after every retry' }) failed!: number;
  @ApiProperty({ description: 'Dropped because the queue was full (NOTIFY_QUEUE_MAX)' }) dropped!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_success_at!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) last_failure_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_error!: string | null;
}

export class NotificationChannelTestResultDto {
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel!: NotificationChannelName;
  @ApiProperty({ enum: [true] }) ok!: true;
  @ApiProperty({ example: 120 }) latency_ms!: number;
}
