/** Output formats of `POST /v1/text-to-speech/{voice_id}` (SDK 2.73 `TextToSpeechConvertRequestOutputFormat`). */
export const ELEVENLABS_OUTPUT_FORMATS = [
  'mp3_22050_32',
  'mp3_24000_48',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'mp3_44100_128',
  'mp3_44100_192',
  'pcm_8000',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_32000',
  'pcm_44100',
  'pcm_48000',
  'wav_8000',
  'wav_16000',
  'wav_22050',
  'wav_24000',
  'wav_32000',
  'wav_44100',
  'wav_48000',
  'ulaw_8000',
  'alaw_8000',
  'opus_48000_32',
  'opus_48000_64',
  'opus_48000_96',
  'opus_48000_128',
  'opus_48000_192',
] as const;

export type ElevenLabsOutputFormat = (typeof ELEVENLABS_OUTPUT_FORMATS)[number];

export const DEFAULT_OUTPUT_FORMAT: ElevenLabsOutputFormat = 'mp3_44100_128';

export function isElevenLabsOutputFormat(value: unknown): value is ElevenLabsOutputFormat {
  return typeof value === 'string' && (ELEVENLABS_OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The media type we send for a format when the provider's Content-Type is missing or generic. */
export function contentTypeFor(format: ElevenLabsOutputFormat): string {
  const [codec, rate] = format.split('_');
  switch (codec) {
    case 'mp3':
      return 'audio/mpeg';
    case 'wav':
      return 'audio/wav';
    case 'pcm':
      return `audio/L16; rate=${rate}; channels=1`;
    case 'ulaw':
      return 'audio/basic';
    case 'alaw':
      return 'audio/x-alaw-basic';
    case 'opus':
      return 'audio/ogg; codecs=opus';
    default:
      return 'application/octet-stream';
  }
}

/** File extension for downloads. */
export function fileExtensionFor(format: ElevenLabsOutputFormat): string {
  const codec = format.split('_')[0];
  return codec === 'mp3' ? 'mp3' : codec === 'wav' ? 'wav' : codec === 'opus' ? 'ogg' : codec === 'pcm' ? 'pcm' : 'raw';
}
