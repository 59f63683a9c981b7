import { ABILITIES, isAbility } from '../auth/access-tokens.js';
import { latestTokenUse } from '../auth/token-usage.js';
import { db } from '../db/client.js';
import type { AccessToken } from '../generated/prisma/client.js';
import { builder, type UserContext } from '../graphql/builder.js';
import { badUserInput, conflict, notFound } from '../graphql/errors.js';
import { parseId, parseTokenIdArg, requiredText } from '../graphql/input.js';
import { requireMembership } from '../graphql/organization.js';
import { pageArgs, pageDescription, pagedListComplexity, parsePage } from '../graphql/paging.js';
import { MAX_ALLOWED_IPS, parseAllowedIps } from './allowed-ips.js';
import {
  issueApiToken,
  listApiTokens,
  listApiTokensForMember,
  revokeApiToken,
  rollApiToken,
  setTokenPolicy,
  tokenPolicyOf,
  updateApiToken,
  type Change,
  type TokenChanges,
} from './api-tokens.js';
import { prefetchedApiTokens } from './api-token-prefetch.js';
import { DEFAULT_USAGE_DAYS, MAX_USAGE_DAYS, tokenUsage } from './usage.js';

/**
 * API tokens of an organization in the dashboard API: listed by any member; created, rolled, updated
 * and revoked by OWNERs and ADMINs; the token policy set by OWNERs.
 */

const TOKEN_MANAGERS = ['OWNER', 'ADMIN'] as const;
/** Roll overlap: at once (0) to 7 days; the old token works until then. */
const MAX_ROLL_OVERLAP_SECONDS = 7 * 86_400;
const MAX_POLICY_LIFETIME_DAYS = 3650;

export const TokenMode = builder.enumType('TokenMode', {
  description: 'LIVE tokens create live sessions; TEST tokens create test sessions, completed on the hosted test page.',
  values: ['LIVE', 'TEST'] as const,
});

const TokenUsageDay = builder.objectRef<{ date: string; requests: number }>('TokenUsageDay').implement({
  description: 'Requests made with a token on one UTC day.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'The UTC day, YYYY-MM-DD.' }),
    requests: t.exposeInt('requests'),
  }),
});

export const ApiToken = builder.prismaObject('AccessToken', {
  name: 'ApiToken',
  fields: (t) => ({
    id: t.id({ description: 'The number before the pipe in the token.', resolve: (token) => String(token.id) }),
    name: t.exposeString('name'),
    hint: t.exposeString('hint', {
      description: 'The last 4 characters of the secret, to tell tokens apart ("????" for tokens made before hints were kept).',
    }),
    abilities: t.exposeStringList('abilities'),
    mode: t.expose('mode', { type: TokenMode }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the token was last used, to within about a minute.',
      resolve: (token) => latestTokenUse(token.id, token).lastUsedAt,
    }),
    lastUsedIp: t.string({
      nullable: true,
      description: 'The client address of the last use, kept like lastUsedAt.',
      resolve: (token) => latestTokenUse(token.id, token).lastUsedIp,
    }),
    allowedIps: t.stringList({
      nullable: true,
      description: 'The IPv4/IPv6 ranges (CIDR) the token may be used from; null: anywhere.',
      resolve: (token) => (token.allowedIps.length === 0 ? null : token.allowedIps),
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.relation('createdBy', { nullable: true }),
    replacedBy: t.relation('replacedBy', {
      nullable: true,
      description: 'The token that took this one\'s place when it was rolled.',
    }),
    usage: t.field({
      type: [TokenUsageDay],
      description: `Requests per UTC day, oldest first, for the last \`days\` days up to today (1 to ${MAX_USAGE_DAYS}); days without use are 0.`,
      args: { days: t.arg.int({ defaultValue: DEFAULT_USAGE_DAYS }) },
      // One small indexed query per token (not batched yet): counted above a plain field, so that a
      // page of usages stays within the cost limit only at the dashboard's page size of 100.
      complexity: 3,
      resolve: (token, { days }) => {
        const span = days ?? DEFAULT_USAGE_DAYS;
        if (!Number.isInteger(span) || span < 1 || span > MAX_USAGE_DAYS) {
          throw badUserInput(`days must be between 1 and ${MAX_USAGE_DAYS}.`, 'days');
        }
        return tokenUsage(token.id, span);
      },
    }),
  }),
});

const CreateApiTokenPayload = builder
  .objectRef<{ token: AccessToken; plainTextToken: string }>('CreateApiTokenPayload')
  .implement({
    fields: (t) => ({
      apiToken: t.field({ type: ApiToken, resolve: (payload) => payload.token }),
      plainTextToken: t.exposeString('plainTextToken', {
        description: 'The token to give to the integration. It is shown only this once.',
      }),
    }),
  });

const allowedIpsDescription = `IPv4/IPv6 addresses or CIDR ranges (at most ${MAX_ALLOWED_IPS}) the token may be used from; REST calls from elsewhere get 403.`;

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    name: t.string({ required: true }),
    abilities: t.stringList({ description: `Defaults to ["*"]. Known abilities: ${ABILITIES.join(', ')}.` }),
    expiresAt: t.field({
      type: 'DateTime',
      description: "Must lie in the future, and within the organization's tokenPolicy if it has one; never expires when omitted.",
    }),
    mode: t.field({ type: TokenMode, defaultValue: 'LIVE' }),
    allowedIps: t.stringList({ description: `${allowedIpsDescription} Omitted or null: anywhere.` }),
  }),
});

const UpdateApiTokenInput = builder.inputType('UpdateApiTokenInput', {
  description: 'An omitted field keeps its value.',
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    allowedIps: t.stringList({ description: `${allowedIpsDescription} null removes the restriction.` }),
  }),
});

const TokenPolicy = builder.objectRef<{ maxLifetimeDays: number | null }>('TokenPolicy').implement({
  description: "Rules for the organization's new API tokens.",
  fields: (t) => ({
    maxLifetimeDays: t.exposeInt('maxLifetimeDays', {
      nullable: true,
      description: 'Every new token (created or rolled) must expire within this many days; null: no limit.',
    }),
  }),
});

function checkAbilities(abilities: readonly string[] | null | undefined): string[] {
  if (abilities == null) return ['*'];
  const unique = [...new Set(abilities)];
  if (unique.length === 0) throw badUserInput('abilities must not be empty; omit it to grant "*".', 'abilities');
  const unknown = unique.filter((ability) => !isAbility(ability));
  if (unknown.length > 0) {
    throw badUserInput(
      `Unknown abilities: ${unknown.map((a) => JSON.stringify(a)).join(', ')}. Known abilities: ${ABILITIES.join(', ')}.`,
      'abilities',
    );
  }
  return unique;
}

/** A validated allowlist; null or omitted: anywhere (stored as the empty list). */
function checkAllowedIps(allowedIps: readonly string[]): string[] {
  const parsed = parseAllowedIps(allowedIps);
  if (!Array.isArray(parsed)) throw badUserInput(parsed.message, 'allowedIps');
  return parsed;
}

/** Who makes a change and from where, for the audit log. */
const changeBy = (context: UserContext): Change => ({ userId: context.principal.userId, origin: context.origin });

/** An API token the viewer may manage: another organization's token is NOT_FOUND, as if it did not exist. */
async function requireManagedToken(context: UserContext, id: string | number): Promise<AccessToken> {
  const tokenId = parseTokenIdArg(id);
  const token = tokenId === null ? null : await db.accessToken.findUnique({ where: { id: tokenId, kind: 'API' } });
  if (!token?.organizationId) throw notFound('API token');
  await requireMembership(context, token.organizationId, TOKEN_MANAGERS).catch((error) => {
    throw error.extensions?.code === 'NOT_FOUND' ? notFound('API token') : error;
  });
  return token;
}

const overCap = (maxLive: number) =>
  conflict(`The organization already has ${maxLive} live API tokens, the most it may hold; revoke one it no longer needs first.`);

// Every path to an Organization goes through the viewer's membership, so any member may list.
builder.prismaObjectField('Organization', 'apiTokens', (t) =>
  t.field({
    type: [ApiToken],
    description: `API tokens of the organization, newest first. ${pageDescription('id')}`,
    args: { includeRevoked: t.arg.boolean({ defaultValue: false }), ...pageArgs(t.arg) },
    complexity: pagedListComplexity,
    resolve: (organization, { includeRevoked, ...page }) =>
      listApiTokens(organization.id, includeRevoked ?? false, parsePage(page, parseTokenIdArg)),
  }),
);

builder.prismaObjectField('Organization', 'tokenPolicy', (t) =>
  t.field({ type: TokenPolicy, resolve: (organization) => tokenPolicyOf(organization.id) }),
);

builder.queryFields((t) => ({
  apiTokens: t.withAuth({ user: true }).field({
    type: [ApiToken],
    description: `API tokens of an organization the viewer belongs to, newest first. ${pageDescription('id')}`,
    args: {
      organizationId: t.arg.id({ required: true }),
      includeRevoked: t.arg.boolean({ defaultValue: false }),
      ...pageArgs(t.arg),
    },
    complexity: pagedListComplexity,
    resolve: async (_root, { organizationId, includeRevoked, ...paging }, context) => {
      const page = parsePage(paging, parseTokenIdArg);
      const id = parseId(organizationId);
      const prefetched = id === null ? undefined : prefetchedApiTokens(context.prefetched, { organizationId: id, includeRevoked: includeRevoked ?? false, ...page });
      const tokens =
        id === null
          ? null
          : prefetched !== undefined
            ? prefetched
            : await listApiTokensForMember(context.principal.userId, id, includeRevoked ?? false, page);
      if (!tokens) throw notFound('Organization');
      return tokens;
    },
  }),

  apiTokenAbilities: t.stringList({
    description: 'The abilities an API token can be given.',
    resolve: () => [...ABILITIES],
  }),
}));

builder.mutationFields((t) => ({
  createApiToken: t.withAuth({ user: true }).field({
    type: CreateApiTokenPayload,
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      // The membership and role are checked by issueApiToken, in its transaction. An invalid input
      // is answered after them, as if they had been checked first: a non-member learns nothing more.
      const organizationId = parseId(input.organizationId);
      const refuse = async (error: unknown): Promise<never> => {
        await requireMembership(context, input.organizationId, TOKEN_MANAGERS);
        throw error;
      };
      let name: string, abilities: string[], allowedIps: string[];
      try {
        if (organizationId === null) throw notFound('Organization');
        name = requiredText(input.name, 'name', 255);
        abilities = checkAbilities(input.abilities);
        allowedIps = input.allowedIps == null ? [] : checkAllowedIps(input.allowedIps);
        if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
          throw badUserInput('expiresAt must lie in the future.', 'expiresAt');
        }
      } catch (error) {
        return refuse(error);
      }
      const maxLive = context.config.maxLiveTokensPerOrganization;
      const result = await issueApiToken(
        {
          kind: 'API',
          mode: input.mode ?? 'LIVE',
          name,
          abilities,
          allowedIps,
          organizationId,
          createdById: context.principal.userId,
          expiresAt: input.expiresAt ?? null,
        },
        TOKEN_MANAGERS,
        context.config.tokenPrefix,
        maxLive,
        changeBy(context),
      );
      // Not a member, or not a manager: the same answers as every other check of a membership.
      if (result.outcome === 'not-allowed') return refuse(notFound('Organization'));
      if (result.outcome === 'over-cap') throw overCap(maxLive);
      if (result.outcome === 'outside-policy') {
        throw badUserInput(
          `The organization's token policy needs an expiresAt within ${result.maxLifetimeDays} days.`,
          'expiresAt',
        );
      }
      return result.issued;
    },
  }),

  rollApiToken: t.withAuth({ user: true }).field({
    type: CreateApiTokenPayload,
    description:
      'Replaces a live API token by a new one with the same name, abilities, mode and allowed IPs. The old one keeps ' +
      `working for expiresInSeconds (0 to ${MAX_ROLL_OVERLAP_SECONDS}), then fails like an expired token. The new one ` +
      "lives as long as the old one was meant to, counted from now (capped by the token policy). Revoked, expired " +
      'or already rolled tokens cannot be rolled (BAD_USER_INPUT).',
    args: {
      id: t.arg.id({ required: true }),
      expiresInSeconds: t.arg.int({ defaultValue: 86_400 }),
    },
    resolve: async (_root, { id, expiresInSeconds }, context) => {
      const overlap = expiresInSeconds ?? 86_400;
      if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_ROLL_OVERLAP_SECONDS) {
        throw badUserInput(`expiresInSeconds must be between 0 and ${MAX_ROLL_OVERLAP_SECONDS} (7 days).`, 'expiresInSeconds');
      }
      const token = await requireManagedToken(context, id);
      const maxLive = context.config.maxLiveTokensPerOrganization;
      const result = await rollApiToken(
        token.id,
        token.organizationId!,
        overlap,
        context.config.tokenPrefix,
        maxLive,
        changeBy(context),
      );
      switch (result.outcome) {
        case 'rolled':
          return result.issued;
        case 'not-found':
          throw notFound('API token');
        case 'over-cap':
          throw overCap(maxLive);
        case 'not-live':
          throw badUserInput(
            result.reason === 'already-rolled'
              ? 'This token was already rolled; roll its replacement instead.'
              : `A ${result.reason} token cannot be rolled; create a new token instead.`,
            'id',
          );
      }
    },
  }),

  updateApiToken: t.withAuth({ user: true }).prismaField({
    type: 'AccessToken',
    description: 'Renames a token or changes where it may be used from; an omitted field keeps its value.',
    args: { input: t.arg({ type: UpdateApiTokenInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const changes: TokenChanges = {};
      if (input.name !== undefined) {
        if (input.name === null) throw badUserInput('name must not be null; omit it to keep the name.', 'name');
        changes.name = requiredText(input.name, 'name', 255);
      }
      if (input.allowedIps !== undefined) {
        changes.allowedIps = input.allowedIps === null ? [] : checkAllowedIps(input.allowedIps);
      }
      const token = await requireManagedToken(context, input.id);
      const updated = await updateApiToken(token.id, token.organizationId!, changes, changeBy(context));
      if (!updated) throw notFound('API token');
      return db.accessToken.findUniqueOrThrow({ ...query, where: { id: token.id } });
    },
  }),

  revokeApiToken: t.withAuth({ user: true }).prismaField({
    type: 'AccessToken',
    description: 'Revokes an API token at once and for good; revoking it again changes nothing.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      const token = await requireManagedToken(context, id);
      if (!(await revokeApiToken(token.id, token.organizationId!, changeBy(context)))) throw notFound('API token');
      return db.accessToken.findUniqueOrThrow({ ...query, where: { id: token.id } });
    },
  }),

  updateTokenPolicy: t.withAuth({ user: true }).field({
    type: TokenPolicy,
    description: `Sets the organization's token policy (OWNER only): maxLifetimeDays 1 to ${MAX_POLICY_LIFETIME_DAYS}, or null for no limit. Tokens already issued keep their expiry.`,
    args: { organizationId: t.arg.id({ required: true }), maxLifetimeDays: t.arg.int() },
    resolve: async (_root, { organizationId, maxLifetimeDays }, context) => {
      const membership = await requireMembership(context, organizationId, ['OWNER']);
      const days = maxLifetimeDays ?? null;
      if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_POLICY_LIFETIME_DAYS)) {
        throw badUserInput(`maxLifetimeDays must be between 1 and ${MAX_POLICY_LIFETIME_DAYS}, or null.`, 'maxLifetimeDays');
      }
      return setTokenPolicy(membership.organizationId, days, changeBy(context));
    },
  }),
}));
