import { g711Silence, mp3Silence, mp3SilenceFrame, silenceFor, wavSilence } from './audio';

/** Independent MPEG audio frame-header decoder (ISO 11172-3 / 13818-3 tables). */
function decodeHeader(b: Buffer, at: number): { version: 1 | 2; layer: number; bitrate: number; rate: number; length: number } {
  expect(b[at]).toBe(0xff);
  expect(b[at + 1] & 0xe0).toBe(0xe0);
  const version = ((b[at + 1] >> 3) & 0b11) === 0b11 ? 1 : 2;
  const layer = 4 - ((b[at + 1] >> 1) & 0b11);
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 0b11;
  const bitrate = (version === 1 ? [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] : [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160])[bitrateIndex];
  const rate = (version === 1 ? [44100, 48000, 32000] : [22050, 24000, 16000])[rateIndex];
  const padding = (b[at + 2] >> 1) & 1;
  const length = Math.floor(((version === 1 ? 144 : 72) * bitrate * 1000) / rate) + padding;
  return { version, layer, bitrate, rate, length };
}

describe('simulator audio', () => {
  it.each([
    ['mp3_44100_128', 1, 128, 44100, 417],
    ['mp3_44100_32', 1, 32, 44100, 104],
    ['mp3_44100_192', 1, 192, 44100, 626],
    ['mp3_22050_32', 2, 32, 22050, 104],
    ['mp3_24000_48', 2, 48, 24000, 144],
  ] as const)('%s: every frame has a valid Layer III header and the right length', (format, version, bitrate, rate, length) => {
    const audio = silenceFor(format, 1000)!;
    let at = 0;
    let frames = 0;
    while (at < audio.length) {
      const h = decodeHeader(audio, at);
      expect(h).toEqual({ version, layer: 3, bitrate, rate, length });
      at += h.length;
      frames += 1;
    }
    expect(at).toBe(audio.length);
    const samplesPerFrame = version === 1 ? 1152 : 576;
    expect(frames * samplesPerFrame / rate).toBeGreaterThanOrEqual(1);
    expect(frames * samplesPerFrame / rate).toBeLessThan(1.1);
  });

  it('silence frames carry no audio data (zero side info)', () => {
    const frame = mp3SilenceFrame({ sampleRate: 44100, bitrateKbps: 128 });
    expect(frame.subarray(4).every((b) => b === 0)).toBe(true);
    expect(mp3Silence({ sampleRate: 44100, bitrateKbps: 128 }, 0).length).toBe(417);
  });

  it('rejects combinations MPEG cannot encode', () => {
    expect(() => mp3SilenceFrame({ sampleRate: 44100, bitrateKbps: 8 })).toThrow(RangeError);
    expect(() => mp3SilenceFrame({ sampleRate: 11025, bitrateKbps: 32 })).toThrow(RangeError);
  });

  it('writes a RIFF/WAVE header that matches the data', () => {
    const wav = wavSilence(8000, 500);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(wav.length - 44).toBe(8000);
  });

  it('G.711 silence bytes and Opus (not produced)', () => {
    expect([...g711Silence('ulaw', 1)]).toEqual(Array(8).fill(0xff));
    expect([...g711Silence('alaw', 1)]).toEqual(Array(8).fill(0xd5));
    expect(silenceFor('opus_48000_64', 100)).toBeNull();
  });
});
