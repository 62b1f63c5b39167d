/** One structured log line, as both services print them (JSON, one object a line). */
export interface LogEntry {
  level: string;
  message: string;
  service?: string;
  [field: string]: unknown;
}

/** The JSON entries in a service's output (or in an error that quotes it), skipping any other line. */
export function logEntries(output: string): LogEntry[] {
  return output.split('\n').flatMap((line) => {
    if (!line.trimStart().startsWith('{')) return [];
    try {
      const entry = JSON.parse(line) as Partial<LogEntry>;
      return typeof entry.level === 'string' && typeof entry.message === 'string' ? [entry as LogEntry] : [];
    } catch {
      return [];
    }
  });
}
