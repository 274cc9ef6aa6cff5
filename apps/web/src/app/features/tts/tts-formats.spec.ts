import { TTS_OUTPUT_FORMATS } from '../../core/api/api.models';
import { TTS_FORMAT_GROUPS, fileExtension, formatLabel, formatOption, ttsFileName, ttsTextLength } from './tts-formats';

describe('TTS formats', () => {
  it('offers every format the API accepts exactly once, playable groups first', () => {
    const offered = TTS_FORMAT_GROUPS.flatMap((g) => g.options.map((o) => o.value));
    expect([...offered].sort()).toEqual([...TTS_OUTPUT_FORMATS].sort());
    expect(new Set(offered).size).toBe(offered.length);
    expect(TTS_FORMAT_GROUPS.map((g) => g.options.every((o) => o.playable))).toEqual([true, true, true, false]);
  });

  it('parses codec, rate and bitrate', () => {
    expect(formatOption('mp3_44100_128')).toEqual({ value: 'mp3_44100_128', codec: 'mp3', sampleRateHz: 44100, bitrateKbps: 128, playable: true });
    expect(formatOption('ulaw_8000')).toEqual({ value: 'ulaw_8000', codec: 'ulaw', sampleRateHz: 8000, bitrateKbps: null, playable: false });
    expect(formatOption('pcm_16000').playable).toBe(false);
    expect(formatOption('opus_48000_64').playable).toBe(true);
  });

  it('labels formats in the UI locale', () => {
    expect(formatLabel('mp3_44100_128', 'tr-TR')).toBe('MP3 · 44,1 kHz · 128 kbps');
    expect(formatLabel('mp3_22050_32', 'en-US')).toBe('MP3 · 22.05 kHz · 32 kbps');
    expect(formatLabel('wav_16000', 'en-US')).toBe('WAV · 16 kHz');
    expect(formatLabel('alaw_8000', 'en-US')).toBe('G.711 A-law · 8 kHz');
  });

  it('gives each format the right file extension', () => {
    expect(fileExtension('mp3_24000_48')).toBe('mp3');
    expect(fileExtension('wav_8000')).toBe('wav');
    expect(fileExtension('opus_48000_32')).toBe('ogg');
    expect(fileExtension('pcm_24000')).toBe('pcm');
    expect(fileExtension('ulaw_8000')).toBe('ulaw');
    expect(fileExtension('alaw_8000')).toBe('alaw');
  });

  it('names downloads after the voice (ASCII, Turkish letters folded) and the local time', () => {
    const at = new Date(2026, 10, 5, 9, 3, 7);
    expect(ttsFileName('Velora IVR (Türkçe)', 'mp3_44100_128', at)).toBe('velora-tts-velora-ivr-turkce-20261105-090307.mp3');
    expect(ttsFileName('IŞIK Çağrı Şöförü', 'ulaw_8000', at)).toBe('velora-tts-isik-cagri-soforu-20261105-090307.ulaw');
    expect(ttsFileName('***', 'opus_48000_64', at)).toBe('velora-tts-voice-20261105-090307.ogg');
  });

  it('counts characters like the API validator (surrogate pairs once, variation selectors not)', () => {
    expect(ttsTextLength('Merhaba dünya')).toBe(13);
    expect(ttsTextLength('😀')).toBe(1);
    expect(ttsTextLength('❤️')).toBe(1);
    expect(ttsTextLength('')).toBe(0);
  });
});
