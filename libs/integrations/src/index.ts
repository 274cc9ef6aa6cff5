// Public API of @velora/integrations: Issabel PBX (Asterisk AMI) and ElevenLabs clients.
export { AmiError } from './issabel/ami.error';
export type { AmiErrorDetails, AmiErrorKind } from './issabel/ami.error';
export { AmiParser, isPermissionDenied, isUnknownCommand, parseAmiDuration, parseAmiPacket, serializeAction } from './issabel/ami-codec';
export type { AmiFieldValue, AmiPacket, AmiParserOptions } from './issabel/ami-codec';
export { AmiConnection } from './issabel/ami.connection';
export type { AmiConnectionOptions, AmiListResult, AmiTlsOptions } from './issabel/ami.connection';
export { IssabelClient } from './issabel/issabel.client';
export type { AmiConnector } from './issabel/issabel.client';
export type { IssabelClientOptions } from './issabel/issabel-client.options';
export type {
  IssabelChannel,
  IssabelPeer,
  IssabelPeerSummary,
  IssabelPeerTechnology,
  IssabelProbeResult,
  IssabelSectionAvailability,
  IssabelStatus,
} from './issabel/issabel.models';

export { ElevenLabsApiClient } from './elevenlabs/elevenlabs-api.client';
export { ElevenLabsApiError } from './elevenlabs/elevenlabs.error';
export type { ElevenLabsApiErrorDetails, ElevenLabsErrorKind } from './elevenlabs/elevenlabs.error';
export { describeBody, toElevenLabsApiError } from './elevenlabs/elevenlabs-error.mapper';
export { ELEVENLABS_DEFAULT_BASE_URL, ELEVENLABS_DEFAULT_MODEL_ID } from './elevenlabs/elevenlabs-client.options';
export type { ElevenLabsClientOptions } from './elevenlabs/elevenlabs-client.options';
export type {
  ElevenLabsProbeResult,
  ElevenLabsQuota,
  ElevenLabsVoice,
  ElevenLabsVoiceList,
  SynthesizeRequest,
  SynthesizeResult,
} from './elevenlabs/elevenlabs.models';
export {
  DEFAULT_OUTPUT_FORMAT,
  ELEVENLABS_OUTPUT_FORMATS,
  contentTypeFor,
  fileExtensionFor,
  isElevenLabsOutputFormat,
} from './elevenlabs/output-formats';
export type { ElevenLabsOutputFormat } from './elevenlabs/output-formats';

// Nest adapters (forRoot / forRootAsync)
export { IssabelClientModule } from './issabel/issabel-client.module';
export { ISSABEL_CLIENT_OPTIONS } from './issabel/issabel-client.module-definition';
export { ElevenLabsClientModule } from './elevenlabs/elevenlabs-client.module';
export { ELEVENLABS_CLIENT_OPTIONS } from './elevenlabs/elevenlabs-client.module-definition';
