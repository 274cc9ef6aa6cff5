import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { type AbstractControl, FormBuilder, ReactiveFormsModule, type ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatSelectModule } from '@angular/material/select';
import { MatTooltipModule } from '@angular/material/tooltip';
import { TranslocoPipe } from '@jsverse/transloco';
import { DEFAULT_TTS_OUTPUT_FORMAT, type TtsOutputFormat, type Voice } from '../../core/api/api.models';
import type { ApiError } from '../../core/http/api-error';
import { LanguageService } from '../../core/i18n/language.service';
import { LocalDateTimePipe } from '../../shared/pipes/local-date-time.pipe';
import { TTS_FORMAT_GROUPS, TTS_MAX_TEXT_CHARS, TTS_MODELS, formatLabel, formatOption, ttsTextLength } from './tts-formats';
import { TtsSession } from './tts-session.service';

/** Translation key per HTTP status of `POST /api/elevenlabs/tts` (the API's answers, see its Swagger). */
const TTS_ERROR_KEYS: Readonly<Partial<Record<number, string>>> = {
  0: 'tts.errors.network',
  400: 'tts.errors.badRequest',
  429: 'tts.errors.rateLimited',
  502: 'tts.errors.upstream',
  503: 'tts.errors.notConfigured',
  504: 'tts.errors.timeout',
};
/** A 502 says more when the API names the cause. */
const TTS_502_CAUSE_KEYS: Readonly<Partial<Record<string, string>>> = {
  auth: 'tts.errors.apiKey',
  quota: 'tts.errors.quota',
  unreachable: 'tts.errors.unreachable',
};

export interface TtsErrorView {
  readonly titleKey: string;
  readonly status: number;
  /** The API's own message(s), with the provider's reason. */
  readonly details: readonly string[];
  readonly retryAfterSeconds: number | null;
  readonly requestId: string | null;
}

export function ttsErrorView(error: ApiError): TtsErrorView {
  const body = typeof error.body === 'object' && error.body !== null ? (error.body as Record<string, unknown>) : {};
  const cause = typeof body['cause'] === 'string' ? body['cause'] : null;
  const requestId = typeof body['request_id'] === 'string' ? body['request_id'] : null;
  const titleKey =
    (error.status === 502 && cause ? TTS_502_CAUSE_KEYS[cause] : undefined) ??
    TTS_ERROR_KEYS[error.status] ??
    error.messageKey;
  return { titleKey, status: error.status, details: error.details, retryAfterSeconds: error.retryAfterSeconds, requestId };
}

function notBlank(control: AbstractControl<string>): ValidationErrors | null {
  return control.value.length > 0 && control.value.trim() === '' ? { blank: true } : null;
}

function maxTtsLength(control: AbstractControl<string>): ValidationErrors | null {
  const length = ttsTextLength(control.value);
  return length > TTS_MAX_TEXT_CHARS ? { tooLong: { length, max: TTS_MAX_TEXT_CHARS } } : null;
}

/** `/tts`: pick a voice, type text, synthesize with ElevenLabs, listen and download. */
@Component({
  selector: 'vl-tts-page',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatSelectModule,
    MatTooltipModule,
    TranslocoPipe,
    LocalDateTimePipe,
  ],
  providers: [TtsSession],
  templateUrl: './tts-page.component.html',
  styleUrl: './tts-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TtsPageComponent {
  protected readonly session = inject(TtsSession);
  protected readonly locale = inject(LanguageService).locale;
  protected readonly formatGroups = TTS_FORMAT_GROUPS;
  protected readonly models = TTS_MODELS;
  protected readonly maxChars = TTS_MAX_TEXT_CHARS;

  protected readonly form = inject(FormBuilder).nonNullable.group({
    voiceId: ['', Validators.required],
    modelId: [''],
    outputFormat: [DEFAULT_TTS_OUTPUT_FORMAT],
    text: ['', [Validators.required, notBlank, maxTtsLength]],
  });

  private readonly text = toSignal(this.form.controls.text.valueChanges, { initialValue: '' });
  private readonly voiceId = toSignal(this.form.controls.voiceId.valueChanges, { initialValue: '' });
  private readonly outputFormat = toSignal(this.form.controls.outputFormat.valueChanges, {
    initialValue: DEFAULT_TTS_OUTPUT_FORMAT,
  });

  protected readonly textLength = computed(() => ttsTextLength(this.text()));
  protected readonly selectedVoice = computed(() => this.voiceById(this.voiceId()));
  protected readonly selectedFormatPlayable = computed(() => formatOption(this.outputFormat()).playable);
  protected readonly errorView = computed(() => {
    const error = this.session.error();
    return error ? ttsErrorView(error) : null;
  });
  protected readonly voicesErrorKey = computed(() => {
    const error = this.session.voices().error;
    if (!error) return null;
    return error.status === 503 ? 'tts.errors.notConfigured' : error.status === 0 ? 'tts.errors.network' : 'tts.voicesFailed';
  });
  protected readonly receivedLabel = computed(() => {
    const bytes = this.session.progressBytes();
    return bytes ? this.formatBytes(bytes) : null;
  });

  private readonly previewAudio = viewChild<ElementRef<HTMLAudioElement>>('previewAudio');
  /** voice_id whose preview is playing. */
  protected readonly previewing = signal<string | null>(null);
  protected readonly previewFailed = signal<string | null>(null);

  constructor() {
    this.session.loadVoices();
    // Preselect a voice once the list arrives: a Turkish one when the account has it.
    effect(() => {
      const voices = this.session.voices().voices;
      const control = this.form.controls.voiceId;
      if (voices.length > 0 && !this.voiceById(control.value)) {
        control.setValue((voices.find(isTurkishVoice) ?? voices[0]).voice_id);
      }
    });
    inject(DestroyRef).onDestroy(() => { this.stopPreview(); });
  }

  protected submit(): void {
    if (this.form.invalid || this.session.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    const { voiceId, modelId, outputFormat, text } = this.form.getRawValue();
    this.session.synthesize(
      { text, voice_id: voiceId, output_format: outputFormat, ...(modelId ? { model_id: modelId } : {}) },
      this.voiceById(voiceId)?.name ?? voiceId,
    );
  }

  protected togglePreview(voice: Voice): void {
    const audio = this.previewAudio()?.nativeElement;
    if (this.previewing() === voice.voice_id) {
      this.stopPreview();
      return;
    }
    if (!audio || !voice.preview_url) return;
    this.previewFailed.set(null);
    this.previewing.set(voice.voice_id);
    audio.src = voice.preview_url;
    // jsdom returns undefined; browsers reject when the source cannot play
    Promise.resolve(audio.play()).catch(() => { this.onPreviewError(); });
  }

  protected onPreviewEnded(): void {
    this.previewing.set(null);
  }

  protected onPreviewError(): void {
    const failed = this.previewing();
    if (failed) {
      this.previewFailed.set(failed);
      this.previewing.set(null);
    }
  }

  protected voiceDetails(voice: Voice): string {
    const labels = ['accent', 'gender', 'age', 'use_case']
      .map((key) => voice.labels[key])
      .filter((value): value is string => typeof value === 'string' && value !== '')
      .map((value) => value.replace(/_/g, ' '));
    return [voice.category, ...labels].filter((v) => v).join(' · ');
  }

  protected formatName(format: TtsOutputFormat): string {
    return formatLabel(format, this.locale());
  }

  protected formatBytes(bytes: number): string {
    const nf = new Intl.NumberFormat(this.locale(), { maximumFractionDigits: 1 });
    return bytes < 1024 ? `${nf.format(bytes)} B` : bytes < 1024 * 1024 ? `${nf.format(bytes / 1024)} KB` : `${nf.format(bytes / 1024 / 1024)} MB`;
  }

  private stopPreview(): void {
    const audio = this.previewAudio()?.nativeElement;
    if (audio && audio.getAttribute('src')) {
      audio.pause();
      audio.removeAttribute('src');
    }
    this.previewing.set(null);
  }

  private voiceById(id: string): Voice | undefined {
    return this.session.voices().voices.find((v) => v.voice_id === id);
  }
}

function isTurkishVoice(voice: Voice): boolean {
  return Object.values(voice.labels).some((value) => /^(tr|turkish|türkçe)$/i.test(value)) || /türkçe|turkish/i.test(voice.name);
}
