import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_LEVELS, NOTIFICATION_TYPES, UNREAD_COUNT_CAP, type EventLevel, type NotificationType } from '@velora/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);
const MAX_ID = 999_999_999_999_999;

export class EventStreamQueryDto {
  @ApiPropertyOptional({
    example: '1042',
    description: 'Resume after this event id (for clients that cannot send the Last-Event-ID header; the header wins)',
  })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: 'last_event_id must be the id of an event (a non-negative integer)' })
  last_event_id?: string;
}

export class NotificationListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 200' })
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'Keyset cursor: notifications older than this id (next_cursor of the previous page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'before must be a notification id' })
  @Min(1)
  @Max(MAX_ID)
  before?: number;

  @ApiPropertyOptional({ description: 'Only unread notifications' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}

export class MarkReadDto {
  @ApiProperty({ type: [Number], example: [1042, 1043], description: 'Notification ids (at most 500)' })
  @IsArray({ message: 'ids must be an array of notification ids' })
  @ArrayMinSize(1, { message: 'ids must not be empty' })
  @ArrayMaxSize(500, { message: 'ids must hold at most 500 ids' })
  @IsInt({ each: true, message: 'ids must be an array of notification ids' })
  @Min(1, { each: true, message: 'ids must be an array of notification ids' })
  @Max(MAX_ID, { each: true, message: 'ids must be an array of notification ids' })
  ids!: number[];
}

export class MarkAllReadDto {
  @ApiPropertyOptional({ description: 'Mark everything up to this id read (default: up to the newest notification)' })
  @IsOptional()
  @IsInt({ message: 'up_to must be a notification id' })
  @Min(1)
  @Max(MAX_ID)
  up_to?: number;
}

export class NotificationDto {
  @ApiProperty({ example: 1042, description: 'Event id (the same id as on the event stream)' }) id!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: NOTIFICATION_TYPES }) type!: NotificationType;
  @ApiProperty({ enum: EVENT_LEVELS }) level!: EventLevel;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per type: see docs/notifications.md' }) data!: Record<
    string,
    unknown
  >;
  @ApiProperty() read!: boolean;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `before` for the next page; null at the end' }) next_cursor!:
    number | null;
}

export class UnreadCountDto {
  @ApiProperty({ example: 3, maximum: UNREAD_COUNT_CAP }) unread!: number;
  @ApiProperty({ description: `True when there are more than ${String(UNREAD_COUNT_CAP)}` }) capped!: boolean;
}

export class MarkReadResultDto {
  @ApiProperty({ type: [Number], description: 'The ids that were marked (unknown ids and ids the caller may not see are left out)' })
  ids!: number[];
}

export class MarkAllReadResultDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Everything up to this id is read; null when there is no notification' })
  up_to!: number | null;
}
