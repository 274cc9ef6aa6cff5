import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * SIPPY_HEALTH_STRICT=false: `/api/sippy/health` as a Kubernetes *liveness* probe. A liveness probe must say
 * whether this process can serve, not whether the switch answers: if a switch outage made it fail, the
 * kubelet would restart every pod at once (which cannot fix the switch, drops the stored-CDR reads and the
 * live view, and turns an upstream incident into a crash loop). So every indicator that is `down` is reported
 * `degraded` instead (HTTP 200, overall `status: "degraded"`), keeping its cause and details; the route still
 * answers only while the process does. Strict (the default) returns the result unchanged (503 when down).
 */
export function applySippyHealthPolicy<K extends string>(result: HealthIndicatorResult<K>, strict: boolean): HealthIndicatorResult<K> {
  if (strict) return result;
  const out = {} as HealthIndicatorResult<K>;
  for (const key of Object.keys(result) as K[]) {
    const indicator = result[key];
    out[key] = indicator.status === 'down' ? { ...indicator, status: 'degraded' } : indicator;
  }
  return out;
}
