import { Injector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject, type Observable } from 'rxjs';
import type { TtsEvent, TtsRequest, VoiceList } from '../../core/api/api.models';
import { ElevenLabsApiService } from '../../core/api/elevenlabs-api.service';
import { ApiError } from '../../core/http/api-error';
import { OBJECT_URLS, type ObjectUrls } from './object-urls';
import { TtsSession } from './tts-session.service';

class FakeObjectUrls implements ObjectUrls {
  private next = 0;
  readonly live = new Set<string>();
  readonly revoked: string[] = [];
  create(blob: Blob): string {
    const url = `blob:test/${++this.next}-${blob.size}`;
    this.live.add(url);
    return url;
  }
  revoke(url: string): void {
    this.live.delete(url);
    this.revoked.push(url);
  }
}

const audio = (size: number): TtsEvent => ({
  type: 'done',
  audio: { blob: new Blob([new Uint8Array(size)], { type: 'audio/mpeg' }), contentType: 'audio/mpeg', characterCost: 5, requestId: 'r' },
});
const request = { text: 'Merhaba', voice_id: 'v1', output_format: 'mp3_44100_128' as const };

describe('TtsSession', () => {
  let urls: FakeObjectUrls;
  let synth: Subject<TtsEvent>;
  let voices: Subject<VoiceList>;
  let sent: TtsRequest[];
  let session: TtsSession;
  let injector: Injector;

  beforeEach(() => {
    urls = new FakeObjectUrls();
    sent = [];
    const api: Pick<ElevenLabsApiService, 'synthesize' | 'voices'> = {
      synthesize: (r: TtsRequest): Observable<TtsEvent> => {
        sent.push(r);
        synth = new Subject<TtsEvent>();
        return synth;
      },
      voices: (): Observable<VoiceList> => {
        voices = new Subject<VoiceList>();
        return voices;
      },
    };
    TestBed.configureTestingModule({
      providers: [{ provide: ElevenLabsApiService, useValue: api }, { provide: OBJECT_URLS, useValue: urls }],
    });
    injector = Injector.create({ providers: [TtsSession], parent: TestBed.inject(Injector) });
    session = runInInjectionContext(injector, () => injector.get(TtsSession));
  });

  it('loads the voices and reports a failure', () => {
    session.loadVoices();
    expect(session.voices().loading).toBe(true);
    voices.next({ voices: [], total_count: 0, truncated: false });
    expect(session.voices()).toEqual({ loading: false, voices: [], error: null });
    session.loadVoices();
    const failure = new ApiError('unavailable', 503, 'errors.unavailable', 'x');
    voices.error(failure);
    expect(session.voices()).toEqual({ loading: false, voices: [], error: failure });
  });

  it('tracks progress, then exposes the audio as an object URL with a download name', () => {
    session.synthesize(request, 'Velora IVR (Türkçe)');
    expect(sent).toEqual([request]);
    expect(session.busy()).toBe(true);
    synth.next({ type: 'progress', loadedBytes: 2048 });
    expect(session.progressBytes()).toBe(2048);
    synth.next(audio(10));
    synth.complete();
    expect(session.busy()).toBe(false);
    expect(session.progressBytes()).toBeNull();
    const result = session.result();
    expect(result).toMatchObject({ url: 'blob:test/1-10', format: 'mp3_44100_128', sizeBytes: 10, characterCost: 5, playable: true });
    expect(result?.filename).toMatch(/^velora-tts-velora-ivr-turkce-\d{8}-\d{6}\.mp3$/);
    expect([...urls.live]).toEqual(['blob:test/1-10']);
  });

  it('revokes the previous URL when a new result arrives, and the last one on destroy', () => {
    session.synthesize(request, 'A');
    synth.next(audio(1));
    synth.complete();
    session.synthesize({ ...request, output_format: 'ulaw_8000' }, 'A');
    synth.next(audio(2));
    synth.complete();
    expect(urls.revoked).toEqual(['blob:test/1-1']);
    expect([...urls.live]).toEqual(['blob:test/2-2']);
    expect(session.result()?.playable).toBe(false);
    injector.get(TtsSession); // same instance
    (injector as Injector & { destroy(): void }).destroy();
    expect(urls.live.size).toBe(0);
  });

  it('keeps the last result when a new request fails, and clears the error on the next try', () => {
    session.synthesize(request, 'A');
    synth.next(audio(3));
    synth.complete();
    const kept = session.result();
    session.synthesize(request, 'A');
    const failure = new ApiError('upstream', 502, 'errors.upstream', 'x', ['quota']);
    synth.error(failure);
    expect(session.error()).toBe(failure);
    expect(session.busy()).toBe(false);
    expect(session.result()).toBe(kept);
    expect(urls.revoked).toEqual([]);
    session.synthesize(request, 'A');
    expect(session.error()).toBeNull();
  });

  it('cancel() aborts the request in flight and keeps the last result', () => {
    session.synthesize(request, 'A');
    const first = synth;
    session.cancel();
    expect(first.observed).toBe(false);
    expect(session.busy()).toBe(false);
    expect(session.result()).toBeNull();
  });

  it('a new synthesis cancels the one in flight', () => {
    session.synthesize(request, 'A');
    const first = synth;
    session.synthesize(request, 'B');
    expect(first.observed).toBe(false);
    expect(synth.observed).toBe(true);
  });
});
