/**
 * Names of Velora's own Prometheus metrics. The Grafana dashboard (deploy/grafana/) and docs/deploy.md use
 * these names; test/deploy checks that every name the dashboard queries exists.
 */
export const METRIC = {
  httpDuration: 'velora_http_request_duration_seconds',
  httpInFlight: 'velora_http_requests_in_flight',
  syncLag: 'velora_sync_lag_seconds',
  syncLastSuccess: 'velora_sync_last_success_timestamp_seconds',
  syncStandby: 'velora_sync_standby',
  syncRunDuration: 'velora_sync_run_duration_seconds',
  syncFailures: 'velora_sync_failures_total',
  cdrsIngested: 'velora_sync_cdrs_ingested_total',
  sippyCallDuration: 'velora_sippy_call_duration_seconds',
  sippyCallErrors: 'velora_sippy_call_errors_total',
  eventSubscribers: 'velora_event_subscribers',
  dbPoolConnections: 'velora_db_pool_connections',
  dbPoolMax: 'velora_db_pool_max_connections',
  buildInfo: 'velora_build_info',
} as const;
