import type { NarrativeFacts, NarrativeLang } from '@velora/contracts';
import type { ChatMessage } from '../llm/llm.client';

const LANGUAGE: Readonly<Record<NarrativeLang, string>> = { en: 'English', tr: 'Turkish' };

/**
 * The chat messages of a daily narrative: instructions, then the day's aggregates as JSON. The facts hold counts,
 * ratios, sums, country codes and times only (narrative-facts.ts): no phone number, account or trunk.
 */
export function narrativeMessages(facts: NarrativeFacts, lang: NarrativeLang): ChatMessage[] {
  const system = [
    'You write the daily traffic summary of a VoIP operator for its staff.',
    `Write in ${LANGUAGE[lang]}: one paragraph of 4 to 7 sentences, plain text, no markdown, no lists, no greeting.`,
    'Use only the numbers in the JSON the user sends; do not invent figures, causes or recommendations that the data does not support.',
    'Cover: calls and the change against the previous day, answered calls and the answer-seizure ratio (ASR), average call length (ACD, seconds), billed minutes, cost per currency (never add different currencies), the busiest hour, the main destination countries, and the insights (anomalies), most severe first.',
    'Times are local times in the time zone given as "tz". Country codes are ISO 3166-1; write country names.',
  ].join(' ');
  return [
    { role: 'system', content: system },
    { role: 'user', content: JSON.stringify(facts) },
  ];
}
