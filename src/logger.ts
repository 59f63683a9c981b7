import { pino } from 'pino';

/**
 * Structured JSON logs. Request headers and bodies are never logged, so tokens and passwords cannot
 * leak through them; the redaction below is a second line of defence for objects that carry them.
 */
export const logger = pino({
  // Created on import, before the configuration is validated: an unknown level (which pino would
  // throw on) waits here at info for loadConfig() to refuse it with the other bad settings.
  level: isLogLevel(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info',
  redact: {
    paths: ['*.authorization', '*.password', '*.token', '*.plainTextToken', '*.tokenHash', '*.passwordHash'],
    censor: '[redacted]',
  },
});

function isLogLevel(level: string | undefined): level is string {
  return level !== undefined && (level === 'silent' || level in pino.levels.values);
}
