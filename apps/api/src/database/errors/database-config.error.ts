/** The database configuration (DATABASE_URL / DATA_DIR) is invalid. The message never holds a password. */
export class DatabaseConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseConfigError';
  }
}
