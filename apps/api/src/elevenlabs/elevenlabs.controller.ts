import { Body, Controller, Get, Header, HttpCode, Logger, Post, Query, Res, StreamableFile, UseFilters } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiGatewayTimeoutResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { DEFAULT_OUTPUT_FORMAT, ElevenLabsApiError, fileExtensionFor } from '@velora/integrations';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { TtsRequestDto } from './dto/tts-request.dto';
import { VoiceListQueryDto } from './dto/voice-list-query.dto';
import { VoiceListDto } from './dto/voice.dto';
import { ElevenLabsErrorFilter } from './elevenlabs-error.filter';
import { ElevenLabsLiveClient } from './elevenlabs-live-client';
import { ElevenLabsProbeService } from './elevenlabs-probe.service';
import { ElevenLabsHealthIndicator } from './elevenlabs.health';

@ApiTags('elevenlabs')
@Controller('elevenlabs')
@UseFilters(ElevenLabsErrorFilter)
export class ElevenLabsController {
  private readonly logger = new Logger(ElevenLabsController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly elevenLabsHealth: ElevenLabsHealthIndicator,
    private readonly probe: ElevenLabsProbeService,
    private readonly link: ElevenLabsLiveClient,
  ) {}

  @Get('health')
  @HealthCheck()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'ElevenLabs: API key valid and remaining character quota (Terminus shape)' })
  @ApiServiceUnavailableResponse({
    description: 'Key rejected, quota used up, unreachable or not configured; details.elevenlabs.cause names why',
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.elevenLabsHealth.isHealthy('elevenlabs')]);
  }

  @Get('voices')
  @ApiOperation({ summary: "The account's voices (id, name, category, labels, preview URL)" })
  @ApiOkResponse({ type: VoiceListDto })
  @ApiBadGatewayResponse({ description: 'ElevenLabs rejected the key or failed; the message gives the provider reason' })
  @ApiTooManyRequestsResponse({ description: 'ElevenLabs rate limit (Retry-After)' })
  @ApiGatewayTimeoutResponse({ description: 'ElevenLabs did not answer in time' })
  @ApiServiceUnavailableResponse({ description: 'ElevenLabs is not configured' })
  voices(@Query() query: VoiceListQueryDto): Promise<VoiceListDto> {
    return this.link.current.client.listVoices({ search: query.search });
  }

  @Post('tts')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Text to speech: streams the audio back as ElevenLabs produces it (audio/mpeg by default)',
    description: 'Headers: X-Character-Cost (characters billed), X-Upstream-Request-Id (for ElevenLabs support).',
  })
  @ApiProduces('audio/mpeg', 'audio/wav', 'audio/basic', 'audio/x-alaw-basic', 'audio/L16', 'audio/ogg')
  @ApiOkResponse({ description: 'The audio bytes', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({
    description: 'Invalid body (the message names the field), or ElevenLabs refused the text/voice (provider reason)',
  })
  @ApiTooManyRequestsResponse({ description: 'ElevenLabs rate limit or concurrency limit (Retry-After)' })
  @ApiBadGatewayResponse({ description: 'Key rejected, quota used up (401 quota_exceeded upstream) or provider failure' })
  @ApiGatewayTimeoutResponse({ description: 'ElevenLabs did not answer in time' })
  @ApiServiceUnavailableResponse({ description: 'ElevenLabs is not configured' })
  async tts(@Body() dto: TtsRequestDto, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const format = dto.output_format ?? DEFAULT_OUTPUT_FORMAT;
    // Stop paying for audio nobody will hear: abort upstream when our client goes away.
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let result;
    try {
      result = await this.link.current.client.synthesize(
        { text: dto.text, voiceId: dto.voice_id, modelId: dto.model_id, outputFormat: format },
        abort.signal,
      );
    } catch (error) {
      if (error instanceof ElevenLabsApiError && error.kind === 'quota') this.probe.invalidate();
      throw error;
    }
    if (result.characterCost !== null) res.setHeader('X-Character-Cost', String(result.characterCost));
    if (result.requestId) res.setHeader('X-Upstream-Request-Id', result.requestId);
    res.setHeader('Cache-Control', 'no-store');
    const audio = Readable.fromWeb(result.audio);
    const file = new StreamableFile(audio, {
      type: result.contentType,
      disposition: `inline; filename="velora-tts.${fileExtensionFor(format)}"`,
    });
    // Headers are gone once audio flows: a failure mid-stream can only cut the response short.
    file.setErrorHandler((error, response) => {
      this.logger.warn(`ElevenLabs audio stream failed after the headers were sent: ${error.message}`);
      if (response.destroyed) return;
      if (response.destroy) response.destroy();
      else response.end();
    });
    return file;
  }
}
