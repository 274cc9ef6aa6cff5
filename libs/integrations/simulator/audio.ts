/**
 * Real (silent) audio for the ElevenLabs fake: valid MPEG Layer III frames, WAV, PCM, μ-law and A-law.
 * Silence frames: a valid header, zeroed side info (main_data_begin 0, part2_3_length 0) and zero
 * padding up to the frame length, which every decoder plays as silence.
 */

/** MPEG-1 Layer III bitrates (kbps) by index, and MPEG-2 (LSF) Layer III. */
const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MPEG1_RATES = [44100, 48000, 32000];
const MPEG2_RATES = [22050, 24000, 16000];

export interface Mp3FrameSpec {
  sampleRate: number;
  bitrateKbps: number;
}

/** One silent mono Layer III frame for the sample rate/bitrate (MPEG-1 for 32–48 kHz, MPEG-2 for 16–24 kHz). */
export function mp3SilenceFrame(spec: Mp3FrameSpec): Buffer {
  const mpeg1 = MPEG1_RATES.includes(spec.sampleRate);
  const rates = mpeg1 ? MPEG1_RATES : MPEG2_RATES;
  const bitrates = mpeg1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS;
  const rateIndex = rates.indexOf(spec.sampleRate);
  const bitrateIndex = bitrates.indexOf(spec.bitrateKbps);
  if (rateIndex < 0 || bitrateIndex <= 0) {
    throw new RangeError(`no MPEG Layer III frame for ${spec.sampleRate} Hz / ${spec.bitrateKbps} kbps`);
  }
  const length = Math.floor(((mpeg1 ? 144 : 72) * spec.bitrateKbps * 1000) / spec.sampleRate);
  const frame = Buffer.alloc(length);
  frame[0] = 0xff;
  // sync (3 bits) | version (11 = MPEG-1, 10 = MPEG-2) | layer (01 = III) | protection bit 1 (no CRC)
  frame[1] = mpeg1 ? 0xfb : 0xf3;
  frame[2] = (bitrateIndex << 4) | (rateIndex << 2); // no padding, private 0
  frame[3] = 0xc0; // mono, no mode extension, not copyrighted, copy, no emphasis
  return frame;
}

/** Samples per Layer III frame: 1152 (MPEG-1) or 576 (MPEG-2). */
export function mp3SamplesPerFrame(sampleRate: number): number {
  return MPEG1_RATES.includes(sampleRate) ? 1152 : 576;
}

/** Silent MP3 of about `durationMs` (at least one frame). */
export function mp3Silence(spec: Mp3FrameSpec, durationMs: number): Buffer {
  const frame = mp3SilenceFrame(spec);
  const frames = Math.max(1, Math.ceil((durationMs / 1000) * (spec.sampleRate / mp3SamplesPerFrame(spec.sampleRate))));
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** 16-bit little-endian mono PCM silence. */
export function pcmSilence(sampleRate: number, durationMs: number): Buffer {
  return Buffer.alloc(Math.max(2, Math.round((sampleRate * durationMs) / 1000)) * 2);
}

/** RIFF/WAVE (PCM 16-bit mono) of silence. */
export function wavSilence(sampleRate: number, durationMs: number): Buffer {
  const data = pcmSilence(sampleRate, durationMs);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** G.711 silence at 8 kHz: μ-law 0xFF, A-law 0xD5. */
export function g711Silence(law: 'ulaw' | 'alaw', durationMs: number): Buffer {
  return Buffer.alloc(Math.max(1, Math.round(8 * durationMs)), law === 'ulaw' ? 0xff : 0xd5);
}

/** Audio for an ElevenLabs output format, or null when the fake cannot produce it (Opus). */
export function silenceFor(format: string, durationMs: number): Buffer | null {
  const [codec, rateText, bitrateText] = format.split('_');
  const rate = Number(rateText);
  switch (codec) {
    case 'mp3':
      return mp3Silence({ sampleRate: rate, bitrateKbps: Number(bitrateText) }, durationMs);
    case 'pcm':
      return pcmSilence(rate, durationMs);
    case 'wav':
      return wavSilence(rate, durationMs);
    case 'ulaw':
      return g711Silence('ulaw', durationMs);
    case 'alaw':
      return g711Silence('alaw', durationMs);
    default:
      return null;
  }
}
