import { HttpEventType } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { provideTestHttp, provideTestTransloco } from '../../../testing/testing.providers';
import { ApiError } from '../http/api-error';
import type { TtsEvent } from './api.models';
import { ElevenLabsApiService } from './elevenlabs-api.service';

/** Error bodies arrive as Blobs because the request asked for `responseType: 'blob'`. */
function jsonBlob(body: unknown): Blob {
  return new Blob([JSON.stringify(body)], { type: 'application/json' });
}

describe('ElevenLabsApiService', () => {
  let service: ElevenLabsApiService;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideTestHttp(), provideTestTransloco()] });
    service = TestBed.inject(ElevenLabsApiService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => { backend.verify(); });

  it('lists the voices, with the search term when given', async () => {
    const list = { voices: [], total_count: 0, truncated: false };
    const all = firstValueFrom(service.voices());
    backend.expectOne('/api/elevenlabs/voices').flush(list);
    await expect(all).resolves.toEqual(list);

    const some = firstValueFrom(service.voices('Ayşe'));
    const req = backend.expectOne((r) => r.url === '/api/elevenlabs/voices');
    expect(req.request.params.get('search')).toBe('Ayşe');
    req.flush(list);
    await some;
  });

  it('posts the request and emits progress, then the audio with the API headers', async () => {
    const events = lastValueFrom(
      service.synthesize({ text: 'Merhaba', voice_id: 'abc', output_format: 'mp3_44100_128' }).pipe(toArray()),
    );
    const req = backend.expectOne('/api/elevenlabs/tts');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ text: 'Merhaba', voice_id: 'abc', output_format: 'mp3_44100_128' });
    expect(req.request.responseType).toBe('blob');
    expect(req.request.reportProgress).toBe(true);
    req.event({ type: HttpEventType.DownloadProgress, loaded: 4096 });
    req.flush(new Blob([new Uint8Array([0xff, 0xfb, 0x90, 0x64])]), {
      headers: { 'Content-Type': 'audio/mpeg', 'X-Character-Cost': '7', 'X-Upstream-Request-Id': 'req-1' },
    });
    const [progress, done] = (await events) as [TtsEvent, TtsEvent];
    expect(progress).toEqual({ type: 'progress', loadedBytes: 4096 });
    if (done.type !== 'done') throw new Error('expected done');
    expect(done.audio.contentType).toBe('audio/mpeg');
    expect(done.audio.blob.type).toBe('audio/mpeg');
    expect(done.audio.blob.size).toBe(4);
    expect(done.audio.characterCost).toBe(7);
    expect(done.audio.requestId).toBe('req-1');
  });

  it('reads the JSON error body out of the Blob: the provider reason reaches the UI', async () => {
    const body = {
      statusCode: 400,
      message: 'ElevenLabs refused the request: voice_not_found',
      cause: 'not_found',
      provider_message: 'A voice with the voice_id abc was not found.',
    };
    const result = lastValueFrom(service.synthesize({ text: 'x', voice_id: 'abc' }));
    backend
      .expectOne('/api/elevenlabs/tts')
      .flush(jsonBlob(body), { status: 400, statusText: 'Bad Request', headers: { 'Content-Type': 'application/json' } });
    const error = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400, details: [body.message], body });
  });

  it('keeps Retry-After of a 429', async () => {
    const result = lastValueFrom(service.synthesize({ text: 'x', voice_id: 'abc' }));
    backend.expectOne('/api/elevenlabs/tts').flush(jsonBlob({ statusCode: 429, message: 'busy' }), {
      status: 429,
      statusText: 'Too Many Requests',
      headers: { 'Retry-After': '3' },
    });
    await expect(result).rejects.toMatchObject({ status: 429, retryAfterSeconds: 3, details: ['busy'] });
  });

  it('survives an error body that is not JSON', async () => {
    const result = lastValueFrom(service.synthesize({ text: 'x', voice_id: 'abc' }));
    backend.expectOne('/api/elevenlabs/tts').flush(new Blob(['<html>Bad gateway</html>'], { type: 'text/html' }), { status: 502, statusText: 'Bad Gateway' });
    await expect(result).rejects.toMatchObject({ kind: 'upstream', status: 502, details: [], body: null });
  });
});
