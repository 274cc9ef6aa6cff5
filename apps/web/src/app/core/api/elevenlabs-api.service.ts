import { HttpClient, HttpEventType, HttpParams, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, catchError, filter, from, map, switchMap, throwError } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url.token';
import { ApiError, isApiError, serverMessages } from '../http/api-error';
import type { TtsAudio, TtsEvent, TtsRequest, VoiceList } from './api.models';

/** `/api/elevenlabs/*`: the account's voices and text to speech. Health goes through `IntegrationsApiService`. */
@Injectable({ providedIn: 'root' })
export class ElevenLabsApiService {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  voices(search?: string): Observable<VoiceList> {
    const params = search ? new HttpParams().set('search', search) : undefined;
    return this.http.get<VoiceList>(`${this.baseUrl}/api/elevenlabs/voices`, { params });
  }

  /**
   * `POST /api/elevenlabs/tts`. Emits `progress` while the audio streams in, then `done` with the
   * whole audio as a Blob. Unsubscribing aborts the request (and the API stops the upstream one).
   * Errors are `ApiError`s whose `details`/`body` carry the API's JSON (the provider's reason),
   * although the request asked for a Blob.
   */
  synthesize(request: TtsRequest): Observable<TtsEvent> {
    return this.http
      .post(`${this.baseUrl}/api/elevenlabs/tts`, request, {
        observe: 'events',
        reportProgress: true,
        responseType: 'blob',
      })
      .pipe(
        filter((event) => event.type === HttpEventType.DownloadProgress || event.type === HttpEventType.Response),
        map((event): TtsEvent => {
          if (event.type === HttpEventType.DownloadProgress) {
            return { type: 'progress', loadedBytes: event.loaded };
          }
          return { type: 'done', audio: toAudio(event) };
        }),
        catchError((error: unknown) =>
          isApiError(error) && error.body instanceof Blob
            ? from(readBlobText(error.body)).pipe(switchMap((text) => throwError(() => withJsonBody(error, text))))
            : throwError(() => error),
        ),
      );
  }
}

function toAudio(response: HttpResponse<Blob>): TtsAudio {
  const contentType = response.headers.get('Content-Type') ?? response.body?.type ?? 'application/octet-stream';
  const body = response.body ?? new Blob([]);
  const cost = Number(response.headers.get('X-Character-Cost'));
  return {
    // keep the server's media type on the Blob: the <audio> element and the download use it
    blob: body.type === contentType ? body : new Blob([body], { type: contentType }),
    contentType,
    characterCost: response.headers.has('X-Character-Cost') && Number.isFinite(cost) ? cost : null,
    requestId: response.headers.get('X-Upstream-Request-Id'),
  };
}

/** The same error with the JSON body parsed out of the Blob (when it is JSON). */
function withJsonBody(error: ApiError, text: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a proxy's HTML page…): keep no details, the status still explains it
    body = null;
  }
  return new ApiError(
    error.kind,
    error.status,
    error.messageKey,
    error.message,
    serverMessages(body),
    body,
    error.url,
    error.retryAfterSeconds,
  );
}

function readBlobText(blob: Blob): Promise<string> {
  if (typeof blob.text === 'function') {
    return blob.text();
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => { resolve(typeof reader.result === 'string' ? reader.result : ''); };
    reader.onerror = () => { reject(reader.error ?? new Error('cannot read the error body')); };
    reader.readAsText(blob);
  });
}
