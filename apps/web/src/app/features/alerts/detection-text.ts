import type { DetectionFinding } from '@velora/contracts';

/** A finding's reason in the UI language. */
export function findingReason(finding: Pick<DetectionFinding, 'reason_en' | 'reason_tr'>, language: string): string {
  return language === 'tr' ? finding.reason_tr : finding.reason_en;
}

/** True when the subject is a phone number (it gets a link to its number page and the number actions). */
export function isNumberSubject(finding: Pick<DetectionFinding, 'subject_type'>): boolean {
  return finding.subject_type === 'number';
}
