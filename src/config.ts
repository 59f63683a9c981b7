import path from 'node:path';
import { z } from 'zod';

/** PGlite's in-memory database as DATA_DIR. */
const IN_MEMORY = 'memory://';

const port = z.coerce.number().int().min(0).max(65535);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

/** `<count>/<duration>` such as `10/15m` (s, m, h), or `off`. */
const DURATION_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const rate = z
  .string()
  .regex(/^(off|[1-9][0-9]{0,5}\/[1-9][0-9]{0,4}[smh])$/, 'must be <count>/<duration> such as 10/15m (s, m or h), or off')
  .transform((text): Rate => {
    if (text === 'off') return null;
    const [, points, amount, unit] = /^([0-9]+)\/([0-9]+)([smh])$/.exec(text)!;
    return { points: Number(points), durationSeconds: Number(amount) * DURATION_SECONDS[unit as 's' | 'm' | 'h'] };
  });
const onOff = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((value) => ['on', 'true', '1'].includes(value));
const origins = z
  .string()
  .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.union([z.literal('*'), z.string().regex(/^https?:\/\/[^/\s]+$/, 'origins look like https://dashboard.example (no path)')]),
    ),
  );
const positiveInt = z.coerce.number().int().positive();
/** Seconds between webhook attempts: 1 to 20 whole numbers from 0 to 7 days, comma-separated. */
const MAX_RETRY_DELAY_SECONDS = 7 * 86_400;
const retryDelays = z
  .string()
  .regex(/^\s*\d{1,6}\s*(,\s*\d{1,6}\s*){0,19}$/, 'must be 1 to 20 comma-separated whole numbers of seconds, such as 5,300,1800')
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .refine((delays) => delays.every((delay) => delay <= MAX_RETRY_DELAY_SECONDS), `each delay must be at most ${MAX_RETRY_DELAY_SECONDS} seconds (7 days)`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data/pglite'),
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  PUBLIC_URL: httpUrl.optional(),
  TOKEN_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,32}$/, 'may hold at most 32 characters of A-Z, a-z, 0-9, "_" and "-"')
    .default(''),
  SIGN_IN_TTL_HOURS: z.coerce.number().positive().default(24 * 7),
  MAX_LIVE_TOKENS_PER_ORGANIZATION: positiveInt.default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  RATE_LIMIT_SIGN_IN_PER_EMAIL: rate.prefault('10/15m'),
  RATE_LIMIT_SIGN_IN_PER_ADDRESS: rate.prefault('100/15m'),
  RATE_LIMIT_SIGN_UP_PER_ADDRESS: rate.prefault('10/1h'),
  RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS: rate.prefault('30/1m'),
  RATE_LIMIT_LEAK_REPORTS_PER_ADDRESS: rate.prefault('10/1m'),
  RATE_LIMIT_WEBHOOK_TESTS_PER_ORGANIZATION: rate.prefault('10/1m'),
  GRAPHIQL: onOff.optional(),
  INTROSPECTION: onOff.optional(),
  GRAPHQL_MAX_DEPTH: positiveInt.default(8),
  GRAPHQL_MAX_ALIASES: positiveInt.default(15),
  GRAPHQL_MAX_TOKENS: positiveInt.default(1000),
  GRAPHQL_MAX_COST: positiveInt.default(5000),
  GRAPHQL_MAX_BODY_BYTES: positiveInt.default(100 * 1024),
  CORS_ORIGINS: origins.default([]),
  CORS_API_ORIGINS: origins.default([]),
  METRICS: onOff.default(false),
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 printable characters without spaces').optional(),
  WEBHOOK_RETRY_DELAYS: retryDelays.prefault('5,300,1800,7200,18000,36000'),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: onOff.default(false),
});

/** A rate limit: at most `points` per `durationSeconds` (a fixed window); null when turned off. */
export type Rate = Readonly<{ points: number; durationSeconds: number }> | null;

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** PostgreSQL connection string; undefined selects the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** The longest the server waits on the database for one thing: a connection, a pool slot, a statement. */
  databaseTimeoutMs: number;
  /** Base of links handed to integrators (verify_url), without a trailing slash. */
  publicUrl: string;
  /** Whether PUBLIC_URL was set (otherwise publicUrl is derived from PORT). */
  publicUrlSet: boolean;
  tokenPrefix: string;
  signInTtlMs: number;
  /** Live (not revoked, not expired) API tokens an organization may hold; creating one more is CONFLICT. */
  maxLiveTokensPerOrganization: number;
  logLevel: string;
  /** Shared store for rate limits across processes; undefined keeps them in each process's memory. */
  redisUrl: string | undefined;
  /** How many reverse proxies in front of the server append to X-Forwarded-For (0: use the socket address). */
  trustProxy: number;
  rateLimits: Readonly<{
    signInPerEmail: Rate;
    signInPerAddress: Rate;
    signUpPerAddress: Rate;
    bearerFailuresPerAddress: Rate;
    /** Leaked-token reports (POST /api/v2/tokens/revoke), which need no token. */
    leakReportsPerAddress: Rate;
    /** Test webhooks the dashboard sends (sendTestWebhook), each a request to a URL of the caller's choice. */
    webhookTestsPerOrganization: Rate;
  }>;
  graphql: Readonly<{
    graphiql: boolean;
    introspection: boolean;
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxCost: number;
    maxBodyBytes: number;
  }>;
  cors: Readonly<{ graphqlOrigins: readonly string[]; apiOrigins: readonly string[] }>;
  /** GET /metrics: answered only when enabled; with a token, only to `Authorization: Bearer <token>`. */
  metrics: Readonly<{ enabled: boolean; token: string | undefined }>;
  webhooks: Readonly<{
    /** Seconds to wait before each retry of a failed attempt; after the last one the delivery is failed. */
    retryDelaysSeconds: readonly number[];
    /** Whether deliveries may go to loopback, private and link-local addresses (development and tests). */
    allowPrivateNetworks: boolean;
  }>;
}>;

export class ConfigError extends Error {}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const vars = parsed.data;
  return {
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    // `memory://` is PGlite's in-memory database (nothing kept), not a directory of that name.
    dataDir: vars.DATA_DIR === IN_MEMORY ? IN_MEMORY : path.resolve(vars.DATA_DIR),
    databaseTimeoutMs: vars.DATABASE_TIMEOUT_MS,
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    publicUrlSet: vars.PUBLIC_URL !== undefined,
    tokenPrefix: vars.TOKEN_PREFIX,
    signInTtlMs: vars.SIGN_IN_TTL_HOURS * 3_600_000,
    maxLiveTokensPerOrganization: vars.MAX_LIVE_TOKENS_PER_ORGANIZATION,
    logLevel: vars.LOG_LEVEL,
    redisUrl: vars.REDIS_URL,
    trustProxy: vars.TRUST_PROXY,
    rateLimits: {
      signInPerEmail: vars.RATE_LIMIT_SIGN_IN_PER_EMAIL,
      signInPerAddress: vars.RATE_LIMIT_SIGN_IN_PER_ADDRESS,
      signUpPerAddress: vars.RATE_LIMIT_SIGN_UP_PER_ADDRESS,
      bearerFailuresPerAddress: vars.RATE_LIMIT_BEARER_FAILURES_PER_ADDRESS,
      leakReportsPerAddress: vars.RATE_LIMIT_LEAK_REPORTS_PER_ADDRESS,
      webhookTestsPerOrganization: vars.RATE_LIMIT_WEBHOOK_TESTS_PER_ORGANIZATION,
    },
    graphql: {
      // Development tools are on outside production unless turned off, and off in production unless turned on.
      graphiql: vars.GRAPHIQL ?? vars.NODE_ENV !== 'production',
      introspection: vars.INTROSPECTION ?? vars.NODE_ENV !== 'production',
      maxDepth: vars.GRAPHQL_MAX_DEPTH,
      maxAliases: vars.GRAPHQL_MAX_ALIASES,
      maxTokens: vars.GRAPHQL_MAX_TOKENS,
      maxCost: vars.GRAPHQL_MAX_COST,
      maxBodyBytes: vars.GRAPHQL_MAX_BODY_BYTES,
    },
    cors: { graphqlOrigins: vars.CORS_ORIGINS, apiOrigins: vars.CORS_API_ORIGINS },
    metrics: { enabled: vars.METRICS, token: vars.METRICS_TOKEN },
    webhooks: { retryDelaysSeconds: vars.WEBHOOK_RETRY_DELAYS, allowPrivateNetworks: vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS },
  };
}
