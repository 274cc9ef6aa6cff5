import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { Subscription } from 'rxjs';
import type { TtsOutputFormat, TtsRequest, Voice } from '../../core/api/api.models';
import { ElevenLabsApiService } from '../../core/api/elevenlabs-api.service';
import { type ApiError, isApiError } from '../../core/http/api-error';
import { OBJECT_URLS } from './object-urls';
import { formatOption, ttsFileName } from './tts-formats';

export interface TtsResult {
  /** `blob:` URL of the audio; revoked when a newer result replaces it or the page closes. */
  readonly url: string;
  readonly filename: string;
  readonly format: TtsOutputFormat;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly voiceName: string;
  /** Characters ElevenLabs billed (`X-Character-Cost`), when known. */
  readonly characterCost: number | null;
  readonly requestId: string | null;
  readonly createdAt: Date;
  /** false for raw PCM / G.711: the browser cannot play them, the file is for download. */
  readonly playable: boolean;
}

export interface VoicesState {
  readonly loading: boolean;
  readonly voices: readonly Voice[];
  readonly error: ApiError | null;
}

/**
 * State of the Text to speech page (provided by the page): the voice list, one synthesis at a time,
 * the last result as an object URL, and the last error. A failed request keeps the previous result.
 */
@Injectable()
export class TtsSession {
  private readonly api = inject(ElevenLabsApiService);
  private readonly objectUrls = inject(OBJECT_URLS);
  private voicesRequest: Subscription | null = null;
  private synthesis: Subscription | null = null;

  private readonly voicesState = signal<VoicesState>({ loading: false, voices: [], error: null });
  private readonly busyState = signal(false);
  private readonly receivedBytes = signal<number | null>(null);
  private readonly errorState = signal<ApiError | null>(null);
  private readonly resultState = signal<TtsResult | null>(null);

  readonly voices = this.voicesState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  /** Bytes of audio received so far, while a synthesis streams in. */
  readonly progressBytes = this.receivedBytes.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly result = this.resultState.asReadonly();

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.voicesRequest?.unsubscribe();
      this.synthesis?.unsubscribe();
      const result = this.resultState();
      if (result) {
        this.objectUrls.revoke(result.url);
      }
    });
  }

  loadVoices(): void {
    this.voicesRequest?.unsubscribe();
    this.voicesState.update((state) => ({ ...state, loading: true, error: null }));
    this.voicesRequest = this.api.voices().subscribe({
      next: (list) => { this.voicesState.set({ loading: false, voices: list.voices, error: null }); },
      error: (error: unknown) => {
        if (!isApiError(error)) throw error;
        this.voicesState.update((state) => ({ ...state, loading: false, error }));
      },
    });
  }

  /** Starts a synthesis (cancelling one in flight). `voiceName` names the download. */
  synthesize(request: TtsRequest & { readonly output_format: TtsOutputFormat }, voiceName: string): void {
    this.synthesis?.unsubscribe();
    this.busyState.set(true);
    this.receivedBytes.set(0);
    this.errorState.set(null);
    this.synthesis = this.api.synthesize(request).subscribe({
      next: (event) => {
        if (event.type === 'progress') {
          this.receivedBytes.set(event.loadedBytes);
          return;
        }
        const { audio } = event;
        const createdAt = new Date();
        const previous = this.resultState();
        this.resultState.set({
          url: this.objectUrls.create(audio.blob),
          filename: ttsFileName(voiceName, request.output_format, createdAt),
          format: request.output_format,
          contentType: audio.contentType,
          sizeBytes: audio.blob.size,
          voiceName,
          characterCost: audio.characterCost,
          requestId: audio.requestId,
          createdAt,
          playable: formatOption(request.output_format).playable,
        });
        if (previous) {
          this.objectUrls.revoke(previous.url);
        }
      },
      error: (error: unknown) => {
        this.finish();
        if (!isApiError(error)) throw error;
        this.errorState.set(error);
      },
      complete: () => { this.finish(); },
    });
  }

  /** Stops the synthesis in flight (the request is aborted; the last result stays). */
  cancel(): void {
    this.synthesis?.unsubscribe();
    this.synthesis = null;
    this.finish();
  }

  dismissError(): void {
    this.errorState.set(null);
  }

  private finish(): void {
    this.busyState.set(false);
    this.receivedBytes.set(null);
  }
}
