import { pino } from 'pino';

/**
 * Structured JSON logs. Request headers and bodies are never logged, so tokens and passwords cannot
 * leak through them; the redaction below is a second line of defence for objects that carry them.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: {
    paths: ['*.authorization', '*.password', '*.token', '*.plainTextToken', '*.tokenHash', '*.passwordHash'],
    censor: '[redacted]',
  },
});
