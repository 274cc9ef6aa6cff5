/** Escapes LIKE metacharacters so user input matches literally (escape character `\`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
