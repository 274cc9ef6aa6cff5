/** PostgreSQL `unique_violation` (SQLSTATE 23505); both drivers (pg and PGlite) expose `code` on the error. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
