import { TTS_MAX_TEXT_CHARS, TTS_OUTPUT_FORMATS, type TtsOutputFormat } from '../../core/api/api.models';

export type TtsCodec = 'mp3' | 'opus' | 'wav' | 'pcm' | 'ulaw' | 'alaw';

export interface TtsFormatOption {
  readonly value: TtsOutputFormat;
  readonly codec: TtsCodec;
  readonly sampleRateHz: number;
  /** Only mp3 and opus have a bitrate. */
  readonly bitrateKbps: number | null;
  /** Browsers play mp3, wav and Ogg/Opus; raw PCM, μ-law and A-law are for download (telephony). */
  readonly playable: boolean;
}

export interface TtsFormatGroup {
  /** Translation key of the group label. */
  readonly labelKey: string;
  readonly options: readonly TtsFormatOption[];
}

const PLAYABLE: ReadonlySet<TtsCodec> = new Set<TtsCodec>(['mp3', 'opus', 'wav']);

export function formatOption(format: TtsOutputFormat): TtsFormatOption {
  const [codec, rate, bitrate] = format.split('_') as [TtsCodec, string, string | undefined];
  return {
    value: format,
    codec,
    sampleRateHz: Number(rate),
    bitrateKbps: bitrate === undefined ? null : Number(bitrate),
    playable: PLAYABLE.has(codec),
  };
}

/** Every format the API accepts, grouped for the picker: playable ones first. */
export const TTS_FORMAT_GROUPS: readonly TtsFormatGroup[] = [
  { labelKey: 'tts.formatGroups.mp3', codecs: ['mp3'] },
  { labelKey: 'tts.formatGroups.opus', codecs: ['opus'] },
  { labelKey: 'tts.formatGroups.wav', codecs: ['wav'] },
  { labelKey: 'tts.formatGroups.telephony', codecs: ['ulaw', 'alaw', 'pcm'] },
].map(({ labelKey, codecs }) => ({
  labelKey,
  options: (codecs as TtsCodec[]).flatMap((codec) =>
    TTS_OUTPUT_FORMATS.map(formatOption).filter((option) => option.codec === codec),
  ),
}));

const CODEC_NAMES: Readonly<Record<TtsCodec, string>> = {
  mp3: 'MP3',
  opus: 'Opus (Ogg)',
  wav: 'WAV',
  pcm: 'PCM 16-bit',
  ulaw: 'G.711 μ-law',
  alaw: 'G.711 A-law',
};

/** `MP3 · 44,1 kHz · 128 kbps` (numbers in the UI locale). */
export function formatLabel(format: TtsOutputFormat, locale: string): string {
  const option = formatOption(format);
  const khz = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(option.sampleRateHz / 1000);
  const parts = [CODEC_NAMES[option.codec], `${khz} kHz`];
  if (option.bitrateKbps !== null) {
    parts.push(`${option.bitrateKbps} kbps`);
  }
  return parts.join(' · ');
}

/**
 * File extension of a download. `ulaw`/`alaw` are the names Asterisk (Issabel) plays raw G.711
 * prompts under; Opus comes in an Ogg container.
 */
export function fileExtension(format: TtsOutputFormat): string {
  const { codec } = formatOption(format);
  return codec === 'opus' ? 'ogg' : codec;
}

/** `velora-ivr-turkce-20261125-143005.mp3`: voice name (ASCII slug) + local timestamp + extension. */
export function ttsFileName(voiceName: string, format: TtsOutputFormat, at: Date): string {
  const slug =
    voiceName
      .replace(/ı/g, 'i')
      .replace(/İ/g, 'I')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'voice';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp =
    `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}` +
    `-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `velora-tts-${slug}-${stamp}.${fileExtension(format)}`;
}

/**
 * Length as the API's validator counts it (class-validator `MaxLength` → validator.js `isLength`):
 * a surrogate pair (emoji, rare CJK) is one character and variation selectors count zero.
 */
export function ttsTextLength(text: string): number {
  const selectors = text.match(/[\uFE0E\uFE0F]/g)?.length ?? 0;
  const pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return text.length - selectors - pairs;
}

export { TTS_MAX_TEXT_CHARS };

/** ElevenLabs models for the picker; `''` lets the server choose (ELEVENLABS_DEFAULT_MODEL). */
export const TTS_MODELS: readonly { readonly id: string; readonly labelKey: string }[] = [
  { id: '', labelKey: 'tts.models.default' },
  { id: 'eleven_multilingual_v2', labelKey: 'tts.models.eleven_multilingual_v2' },
  { id: 'eleven_flash_v2_5', labelKey: 'tts.models.eleven_flash_v2_5' },
  { id: 'eleven_turbo_v2_5', labelKey: 'tts.models.eleven_turbo_v2_5' },
];
