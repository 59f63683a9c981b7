/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Sessions($id: ID!, $first: Int, $after: String, $status: SessionStatus, $livemode: Boolean) {\n    organization(id: $id) {\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { cursor node { id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  query SessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      session(id: $sessionId) {\n        id status success completedAt issuedAt expiresAt\n        timeline { status at }\n        webhookDeliveries(first: 10) { edges { node { id event status lastResponseStatus sessionId } } pageInfo { hasNextPage } }\n      }\n    }\n  }\n": typeof types.SessionDetailDocument,
    "\n  query CostlySessions($id: ID!) {\n    organization(id: $id) {\n      sessions(first: 100) { edges { node { id webhookDeliveries(first: 100) { edges { node { id event url status } } } } } }\n    }\n  }\n": typeof types.CostlySessionsDocument,
    "\n  query SessionTimelines($id: ID!) {\n    organization(id: $id) { sessions(first: 100) { edges { node { id timeline { status at } } } } }\n  }\n": typeof types.SessionTimelinesDocument,
    "\n  mutation SendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n": typeof types.SendTestWebhookDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user { id email name memberships { role organization { id name } } }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { token user { id email } }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut { signOut }\n": typeof types.SignOutDocument,
    "\n  query Me { me { id email name memberships { role organization { id name } } } }\n": typeof types.MeDocument,
    "\n  query OrganizationTokens($id: ID!, $includeRevoked: Boolean) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens(includeRevoked: $includeRevoked) { id name }\n    }\n  }\n": typeof types.OrganizationTokensDocument,
    "\n  query ApiTokens($organizationId: ID!, $includeRevoked: Boolean) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked) {\n      id name abilities mode createdAt lastUsedAt expiresAt revokedAt\n      createdBy { id email }\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name abilities mode createdAt lastUsedAt expiresAt revokedAt createdBy { id email } }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id name revokedAt }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query CreatorMemberships($organizationId: ID!) {\n    apiTokens(organizationId: $organizationId) {\n      createdBy { email memberships(first: 10) { organization { id name } } }\n    }\n  }\n": typeof types.CreatorMembershipsDocument,
    "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members { role user { id email name } }\n    }\n  }\n": typeof types.OrganizationMembersDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt organization { id name } invitedBy { id email } }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { id } }\n    }\n  }\n": typeof types.OrganizationInvitationsDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n": typeof types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } user { id email } }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n": typeof types.DeclineInvitationDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation LeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n": typeof types.LeaveOrganizationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email } }\n  }\n": typeof types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  query ApiTokensPage($organizationId: ID!, $includeRevoked: Boolean, $first: Int, $after: ID) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked, first: $first, after: $after) {\n      id name createdAt revokedAt\n    }\n  }\n": typeof types.ApiTokensPageDocument,
    "\n  query OrganizationTokensPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { apiTokens(first: $first, after: $after) { id name } }\n  }\n": typeof types.OrganizationTokensPageDocument,
    "\n  query MembersPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { members(first: $first, after: $after) { role user { id email } } }\n  }\n": typeof types.MembersPageDocument,
    "\n  query MembershipsPage($first: Int, $after: ID) {\n    me { memberships(first: $first, after: $after) { role organization { id name } } }\n  }\n": typeof types.MembershipsPageDocument,
    "\n  mutation CreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  mutation RollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n": typeof types.RollApiTokenDocument,
    "\n  mutation UpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n": typeof types.UpdateApiTokenDocument,
    "\n  query TokenDetails($organizationId: ID!, $days: Int) {\n    apiTokens(organizationId: $organizationId, includeRevoked: true) {\n      id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id }\n      usage(days: $days) { date requests }\n    }\n  }\n": typeof types.TokenDetailsDocument,
    "\n  query TokenPolicy($id: ID!) {\n    organization(id: $id) { id tokenPolicy { maxLifetimeDays } }\n  }\n": typeof types.TokenPolicyDocument,
    "\n  mutation UpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n": typeof types.UpdateTokenPolicyDocument,
    "\n  query AuditLog($id: ID!, $first: Int, $after: String, $action: String) {\n    organization(id: $id) {\n      auditLog(first: $first, after: $after, action: $action) {\n        edges { cursor node { id action actorType actor { id email name } target ip userAgent createdAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query WebhookSecret($id: ID!) { organization(id: $id) { id webhookSecret } }\n": typeof types.WebhookSecretDocument,
    "\n  query WebhookDeliveries($id: ID!, $first: Int, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { cursor node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation RollWebhookSecret($organizationId: ID!) { rollWebhookSecret(organizationId: $organizationId) }\n": typeof types.RollWebhookSecretDocument,
    "\n  mutation RedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id status attempts nextAttemptAt } }\n": typeof types.RedeliverWebhookDocument,
};
const documents: Documents = {
    "\n  query Sessions($id: ID!, $first: Int, $after: String, $status: SessionStatus, $livemode: Boolean) {\n    organization(id: $id) {\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { cursor node { id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.SessionsDocument,
    "\n  query SessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      session(id: $sessionId) {\n        id status success completedAt issuedAt expiresAt\n        timeline { status at }\n        webhookDeliveries(first: 10) { edges { node { id event status lastResponseStatus sessionId } } pageInfo { hasNextPage } }\n      }\n    }\n  }\n": types.SessionDetailDocument,
    "\n  query CostlySessions($id: ID!) {\n    organization(id: $id) {\n      sessions(first: 100) { edges { node { id webhookDeliveries(first: 100) { edges { node { id event url status } } } } } }\n    }\n  }\n": types.CostlySessionsDocument,
    "\n  query SessionTimelines($id: ID!) {\n    organization(id: $id) { sessions(first: 100) { edges { node { id timeline { status at } } } } }\n  }\n": types.SessionTimelinesDocument,
    "\n  mutation SendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n": types.SendTestWebhookDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user { id email name memberships { role organization { id name } } }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { token user { id email } }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut { signOut }\n": types.SignOutDocument,
    "\n  query Me { me { id email name memberships { role organization { id name } } } }\n": types.MeDocument,
    "\n  query OrganizationTokens($id: ID!, $includeRevoked: Boolean) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens(includeRevoked: $includeRevoked) { id name }\n    }\n  }\n": types.OrganizationTokensDocument,
    "\n  query ApiTokens($organizationId: ID!, $includeRevoked: Boolean) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked) {\n      id name abilities mode createdAt lastUsedAt expiresAt revokedAt\n      createdBy { id email }\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name abilities mode createdAt lastUsedAt expiresAt revokedAt createdBy { id email } }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id name revokedAt }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query CreatorMemberships($organizationId: ID!) {\n    apiTokens(organizationId: $organizationId) {\n      createdBy { email memberships(first: 10) { organization { id name } } }\n    }\n  }\n": types.CreatorMembershipsDocument,
    "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members { role user { id email name } }\n    }\n  }\n": types.OrganizationMembersDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt organization { id name } invitedBy { id email } }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { id } }\n    }\n  }\n": types.OrganizationInvitationsDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n": types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } user { id email } }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation DeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n": types.DeclineInvitationDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation LeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n": types.LeaveOrganizationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email } }\n  }\n": types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": types.RemoveMemberDocument,
    "\n  query ApiTokensPage($organizationId: ID!, $includeRevoked: Boolean, $first: Int, $after: ID) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked, first: $first, after: $after) {\n      id name createdAt revokedAt\n    }\n  }\n": types.ApiTokensPageDocument,
    "\n  query OrganizationTokensPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { apiTokens(first: $first, after: $after) { id name } }\n  }\n": types.OrganizationTokensPageDocument,
    "\n  query MembersPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { members(first: $first, after: $after) { role user { id email } } }\n  }\n": types.MembersPageDocument,
    "\n  query MembershipsPage($first: Int, $after: ID) {\n    me { memberships(first: $first, after: $after) { role organization { id name } } }\n  }\n": types.MembershipsPageDocument,
    "\n  mutation CreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n": types.CreateTokenDocument,
    "\n  mutation RollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n": types.RollApiTokenDocument,
    "\n  mutation UpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n": types.UpdateApiTokenDocument,
    "\n  query TokenDetails($organizationId: ID!, $days: Int) {\n    apiTokens(organizationId: $organizationId, includeRevoked: true) {\n      id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id }\n      usage(days: $days) { date requests }\n    }\n  }\n": types.TokenDetailsDocument,
    "\n  query TokenPolicy($id: ID!) {\n    organization(id: $id) { id tokenPolicy { maxLifetimeDays } }\n  }\n": types.TokenPolicyDocument,
    "\n  mutation UpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n": types.UpdateTokenPolicyDocument,
    "\n  query AuditLog($id: ID!, $first: Int, $after: String, $action: String) {\n    organization(id: $id) {\n      auditLog(first: $first, after: $after, action: $action) {\n        edges { cursor node { id action actorType actor { id email name } target ip userAgent createdAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query WebhookSecret($id: ID!) { organization(id: $id) { id webhookSecret } }\n": types.WebhookSecretDocument,
    "\n  query WebhookDeliveries($id: ID!, $first: Int, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { cursor node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation RollWebhookSecret($organizationId: ID!) { rollWebhookSecret(organizationId: $organizationId) }\n": types.RollWebhookSecretDocument,
    "\n  mutation RedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id status attempts nextAttemptAt } }\n": types.RedeliverWebhookDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions($id: ID!, $first: Int, $after: String, $status: SessionStatus, $livemode: Boolean) {\n    organization(id: $id) {\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { cursor node { id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sessions($id: ID!, $first: Int, $after: String, $status: SessionStatus, $livemode: Boolean) {\n    organization(id: $id) {\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { cursor node { id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      session(id: $sessionId) {\n        id status success completedAt issuedAt expiresAt\n        timeline { status at }\n        webhookDeliveries(first: 10) { edges { node { id event status lastResponseStatus sessionId } } pageInfo { hasNextPage } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      session(id: $sessionId) {\n        id status success completedAt issuedAt expiresAt\n        timeline { status at }\n        webhookDeliveries(first: 10) { edges { node { id event status lastResponseStatus sessionId } } pageInfo { hasNextPage } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CostlySessions($id: ID!) {\n    organization(id: $id) {\n      sessions(first: 100) { edges { node { id webhookDeliveries(first: 100) { edges { node { id event url status } } } } } }\n    }\n  }\n"): (typeof documents)["\n  query CostlySessions($id: ID!) {\n    organization(id: $id) {\n      sessions(first: 100) { edges { node { id webhookDeliveries(first: 100) { edges { node { id event url status } } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionTimelines($id: ID!) {\n    organization(id: $id) { sessions(first: 100) { edges { node { id timeline { status at } } } } }\n  }\n"): (typeof documents)["\n  query SessionTimelines($id: ID!) {\n    organization(id: $id) { sessions(first: 100) { edges { node { id timeline { status at } } } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n"): (typeof documents)["\n  mutation SendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user { id email name memberships { role organization { id name } } }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      user { id email name memberships { role organization { id name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { token user { id email } }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) { token user { id email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut { signOut }\n"): (typeof documents)["\n  mutation SignOut { signOut }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { id email name memberships { role organization { id name } } } }\n"): (typeof documents)["\n  query Me { me { id email name memberships { role organization { id name } } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationTokens($id: ID!, $includeRevoked: Boolean) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens(includeRevoked: $includeRevoked) { id name }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationTokens($id: ID!, $includeRevoked: Boolean) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens(includeRevoked: $includeRevoked) { id name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens($organizationId: ID!, $includeRevoked: Boolean) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked) {\n      id name abilities mode createdAt lastUsedAt expiresAt revokedAt\n      createdBy { id email }\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens($organizationId: ID!, $includeRevoked: Boolean) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked) {\n      id name abilities mode createdAt lastUsedAt expiresAt revokedAt\n      createdBy { id email }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name abilities mode createdAt lastUsedAt expiresAt revokedAt createdBy { id email } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name abilities mode createdAt lastUsedAt expiresAt revokedAt createdBy { id email } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id name revokedAt }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id name revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CreatorMemberships($organizationId: ID!) {\n    apiTokens(organizationId: $organizationId) {\n      createdBy { email memberships(first: 10) { organization { id name } } }\n    }\n  }\n"): (typeof documents)["\n  query CreatorMemberships($organizationId: ID!) {\n    apiTokens(organizationId: $organizationId) {\n      createdBy { email memberships(first: 10) { organization { id name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members { role user { id email name } }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members { role user { id email name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt organization { id name } invitedBy { id email } }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt organization { id name } invitedBy { id email } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { id } }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n"): (typeof documents)["\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } user { id email } }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } user { id email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n"): (typeof documents)["\n  mutation DeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n"): (typeof documents)["\n  mutation LeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email } }\n  }\n"): (typeof documents)["\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokensPage($organizationId: ID!, $includeRevoked: Boolean, $first: Int, $after: ID) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked, first: $first, after: $after) {\n      id name createdAt revokedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiTokensPage($organizationId: ID!, $includeRevoked: Boolean, $first: Int, $after: ID) {\n    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked, first: $first, after: $after) {\n      id name createdAt revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationTokensPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { apiTokens(first: $first, after: $after) { id name } }\n  }\n"): (typeof documents)["\n  query OrganizationTokensPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { apiTokens(first: $first, after: $after) { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MembersPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { members(first: $first, after: $after) { role user { id email } } }\n  }\n"): (typeof documents)["\n  query MembersPage($id: ID!, $first: Int, $after: ID) {\n    organization(id: $id) { members(first: $first, after: $after) { role user { id email } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MembershipsPage($first: Int, $after: ID) {\n    me { memberships(first: $first, after: $after) { role organization { id name } } }\n  }\n"): (typeof documents)["\n  query MembershipsPage($first: Int, $after: ID) {\n    me { memberships(first: $first, after: $after) { role organization { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n"): (typeof documents)["\n  mutation RollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n"): (typeof documents)["\n  mutation UpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TokenDetails($organizationId: ID!, $days: Int) {\n    apiTokens(organizationId: $organizationId, includeRevoked: true) {\n      id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id }\n      usage(days: $days) { date requests }\n    }\n  }\n"): (typeof documents)["\n  query TokenDetails($organizationId: ID!, $days: Int) {\n    apiTokens(organizationId: $organizationId, includeRevoked: true) {\n      id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id }\n      usage(days: $days) { date requests }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TokenPolicy($id: ID!) {\n    organization(id: $id) { id tokenPolicy { maxLifetimeDays } }\n  }\n"): (typeof documents)["\n  query TokenPolicy($id: ID!) {\n    organization(id: $id) { id tokenPolicy { maxLifetimeDays } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n"): (typeof documents)["\n  mutation UpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($id: ID!, $first: Int, $after: String, $action: String) {\n    organization(id: $id) {\n      auditLog(first: $first, after: $after, action: $action) {\n        edges { cursor node { id action actorType actor { id email name } target ip userAgent createdAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($id: ID!, $first: Int, $after: String, $action: String) {\n    organization(id: $id) {\n      auditLog(first: $first, after: $after, action: $action) {\n        edges { cursor node { id action actorType actor { id email name } target ip userAgent createdAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookSecret($id: ID!) { organization(id: $id) { id webhookSecret } }\n"): (typeof documents)["\n  query WebhookSecret($id: ID!) { organization(id: $id) { id webhookSecret } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($id: ID!, $first: Int, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { cursor node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries($id: ID!, $first: Int, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { cursor node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RollWebhookSecret($organizationId: ID!) { rollWebhookSecret(organizationId: $organizationId) }\n"): (typeof documents)["\n  mutation RollWebhookSecret($organizationId: ID!) { rollWebhookSecret(organizationId: $organizationId) }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id status attempts nextAttemptAt } }\n"): (typeof documents)["\n  mutation RedeliverWebhook($id: ID!) { redeliverWebhook(id: $id) { id status attempts nextAttemptAt } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;