import {
  ABILITIES,
  isAbility,
  issueApiToken,
  listApiTokens,
  listApiTokensForMember,
  revokeAccessToken,
} from '../auth/access-tokens.js';
import { latestTokenUse } from '../auth/token-usage.js';
import { db } from '../db/client.js';
import type { AccessToken } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { badUserInput, conflict, notFound } from './errors.js';
import { parseId, requiredText } from './input.js';
import { requireMembership } from './organization.js';
import { pageArgs, pageDescription, pagedListComplexity, parsePage } from './paging.js';

/** API tokens of an organization: listed by any member, created and revoked by OWNERs and ADMINs. */

const TOKEN_MANAGERS = ['OWNER', 'ADMIN'] as const;

export const TokenMode = builder.enumType('TokenMode', {
  description: 'LIVE tokens create live sessions; TEST tokens create test sessions, completed on the hosted test page.',
  values: ['LIVE', 'TEST'] as const,
});

export const ApiToken = builder.prismaObject('AccessToken', {
  name: 'ApiToken',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The number before the pipe in the token.' }),
    name: t.exposeString('name'),
    abilities: t.exposeStringList('abilities'),
    mode: t.expose('mode', { type: TokenMode }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the token was last used, to within about a minute.',
      resolve: (token) => latestTokenUse(token.id, token.lastUsedAt),
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.relation('createdBy', { nullable: true }),
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

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    name: t.string({ required: true }),
    abilities: t.stringList({ description: `Defaults to ["*"]. Known abilities: ${ABILITIES.join(', ')}.` }),
    expiresAt: t.field({ type: 'DateTime', description: 'Must lie in the future; never expires when omitted.' }),
    mode: t.field({ type: TokenMode, defaultValue: 'LIVE' }),
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

// Every path to an Organization goes through the viewer's membership, so any member may list.
builder.prismaObjectField('Organization', 'apiTokens', (t) =>
  t.field({
    type: [ApiToken],
    description: `API tokens of the organization, newest first. ${pageDescription('id')}`,
    args: { includeRevoked: t.arg.boolean({ defaultValue: false }), ...pageArgs(t.arg) },
    complexity: pagedListComplexity,
    resolve: (organization, { includeRevoked, ...page }) =>
      listApiTokens(organization.id, includeRevoked ?? false, parsePage(page)),
  }),
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
      const page = parsePage(paging);
      const id = parseId(organizationId);
      const tokens =
        id === null ? null : await listApiTokensForMember(context.principal.userId, id, includeRevoked ?? false, page);
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
      const membership = await requireMembership(context, input.organizationId, TOKEN_MANAGERS);
      const name = requiredText(input.name, 'name', 255);
      const abilities = checkAbilities(input.abilities);
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
        throw badUserInput('expiresAt must lie in the future.', 'expiresAt');
      }
      const maxLive = context.config.maxLiveTokensPerOrganization;
      const issued = await issueApiToken(
        {
          kind: 'API',
          mode: input.mode ?? 'LIVE',
          name,
          abilities,
          organizationId: membership.organizationId,
          createdById: context.principal.userId,
          expiresAt: input.expiresAt ?? null,
        },
        context.config.tokenPrefix,
        maxLive,
      );
      if (!issued) {
        throw conflict(
          `The organization already has ${maxLive} live API tokens, the most it may hold; revoke one it no longer needs first.`,
        );
      }
      return issued;
    },
  }),

  revokeApiToken: t.withAuth({ user: true }).prismaField({
    type: 'AccessToken',
    description: 'Revokes an API token at once and for good; revoking it again changes nothing.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, context) => {
      const tokenId = parseId(id);
      const token =
        tokenId === null ? null : await db.accessToken.findUnique({ where: { id: tokenId, kind: 'API' } });
      if (!token?.organizationId) throw notFound('API token');
      await requireMembership(context, token.organizationId, TOKEN_MANAGERS).catch((error) => {
        // Another organization's token does not exist, as far as the viewer can tell.
        throw error.extensions?.code === 'NOT_FOUND' ? notFound('API token') : error;
      });
      await revokeAccessToken(token.id);
      return db.accessToken.findUniqueOrThrow({ ...query, where: { id: token.id } });
    },
  }),
}));
