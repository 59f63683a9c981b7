/* eslint-disable */
import * as types from './graphql.js';



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
    "\n  query DashboardMe {\n    me { id email name memberships { role organization { id name } } }\n  }\n": typeof types.DashboardMeDocument,
    "\n  mutation DashboardSignUp($input: SignUpInput!) {\n    signUp(input: $input) { token }\n  }\n": typeof types.DashboardSignUpDocument,
    "\n  mutation DashboardSignIn($input: SignInInput!) {\n    signIn(input: $input) { token }\n  }\n": typeof types.DashboardSignInDocument,
    "\n  mutation DashboardSignOut { signOut }\n": typeof types.DashboardSignOutDocument,
    "\n  query DashboardOrganizationSettings($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n      tokenPolicy { maxLifetimeDays }\n      members { role user { id email name } }\n    }\n    apiTokenAbilities\n    me { id memberships { role organization { id } } }\n  }\n": typeof types.DashboardOrganizationSettingsDocument,
    "\n  mutation DashboardCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n    }\n  }\n": typeof types.DashboardCreateApiTokenDocument,
    "\n  mutation DashboardRollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n    }\n  }\n": typeof types.DashboardRollApiTokenDocument,
    "\n  mutation DashboardUpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n": typeof types.DashboardUpdateApiTokenDocument,
    "\n  mutation DashboardUpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n": typeof types.DashboardUpdateTokenPolicyDocument,
    "\n  mutation DashboardRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id revokedAt }\n  }\n": typeof types.DashboardRevokeApiTokenDocument,
    "\n  query DashboardPendingInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { name email } }\n    }\n  }\n": typeof types.DashboardPendingInvitationsDocument,
    "\n  mutation DashboardInviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt invitedBy { name email } }\n    }\n  }\n": typeof types.DashboardInviteMemberDocument,
    "\n  mutation DashboardRevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": typeof types.DashboardRevokeInvitationDocument,
    "\n  mutation DashboardLeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n": typeof types.DashboardLeaveOrganizationDocument,
    "\n  query DashboardInvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n": typeof types.DashboardInvitationPreviewDocument,
    "\n  mutation DashboardAcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } }\n  }\n": typeof types.DashboardAcceptInvitationDocument,
    "\n  mutation DashboardDeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n": typeof types.DashboardDeclineInvitationDocument,
    "\n  mutation DashboardChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email name } }\n  }\n": typeof types.DashboardChangeMemberRoleDocument,
    "\n  mutation DashboardRemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": typeof types.DashboardRemoveMemberDocument,
    "\n  query DashboardAuditLog($id: ID!, $first: Int!, $after: String, $action: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after, action: $action) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id action actorType actor { id name email } target ip createdAt } }\n      }\n    }\n  }\n": typeof types.DashboardAuditLogDocument,
    "\n  query DashboardWebhookSecret($id: ID!) {\n    organization(id: $id) { id webhookSecret }\n  }\n": typeof types.DashboardWebhookSecretDocument,
    "\n  query DashboardWebhookDeliveries($id: ID!, $first: Int!, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      id\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.DashboardWebhookDeliveriesDocument,
    "\n  mutation DashboardRollWebhookSecret($organizationId: ID!) {\n    rollWebhookSecret(organizationId: $organizationId)\n  }\n": typeof types.DashboardRollWebhookSecretDocument,
    "\n  mutation DashboardRedeliverWebhook($id: ID!) {\n    redeliverWebhook(id: $id) { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId }\n  }\n": typeof types.DashboardRedeliverWebhookDocument,
    "\n  mutation DashboardSendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n": typeof types.DashboardSendTestWebhookDocument,
    "\n  query DashboardSessions($id: ID!, $first: Int!, $after: String, $status: SessionStatus, $livemode: Boolean!) {\n    organization(id: $id) {\n      id\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { node { id status success livemode ageTarget issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.DashboardSessionsDocument,
    "\n  query DashboardSessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      id\n      session(id: $sessionId) {\n        id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt\n        timeline { status at }\n      }\n    }\n  }\n": typeof types.DashboardSessionDetailDocument,
};
const documents: Documents = {
    "\n  query DashboardMe {\n    me { id email name memberships { role organization { id name } } }\n  }\n": types.DashboardMeDocument,
    "\n  mutation DashboardSignUp($input: SignUpInput!) {\n    signUp(input: $input) { token }\n  }\n": types.DashboardSignUpDocument,
    "\n  mutation DashboardSignIn($input: SignInInput!) {\n    signIn(input: $input) { token }\n  }\n": types.DashboardSignInDocument,
    "\n  mutation DashboardSignOut { signOut }\n": types.DashboardSignOutDocument,
    "\n  query DashboardOrganizationSettings($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n      tokenPolicy { maxLifetimeDays }\n      members { role user { id email name } }\n    }\n    apiTokenAbilities\n    me { id memberships { role organization { id } } }\n  }\n": types.DashboardOrganizationSettingsDocument,
    "\n  mutation DashboardCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n    }\n  }\n": types.DashboardCreateApiTokenDocument,
    "\n  mutation DashboardRollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n    }\n  }\n": types.DashboardRollApiTokenDocument,
    "\n  mutation DashboardUpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n": types.DashboardUpdateApiTokenDocument,
    "\n  mutation DashboardUpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n": types.DashboardUpdateTokenPolicyDocument,
    "\n  mutation DashboardRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id revokedAt }\n  }\n": types.DashboardRevokeApiTokenDocument,
    "\n  query DashboardPendingInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { name email } }\n    }\n  }\n": types.DashboardPendingInvitationsDocument,
    "\n  mutation DashboardInviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt invitedBy { name email } }\n    }\n  }\n": types.DashboardInviteMemberDocument,
    "\n  mutation DashboardRevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n": types.DashboardRevokeInvitationDocument,
    "\n  mutation DashboardLeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n": types.DashboardLeaveOrganizationDocument,
    "\n  query DashboardInvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n": types.DashboardInvitationPreviewDocument,
    "\n  mutation DashboardAcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } }\n  }\n": types.DashboardAcceptInvitationDocument,
    "\n  mutation DashboardDeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n": types.DashboardDeclineInvitationDocument,
    "\n  mutation DashboardChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email name } }\n  }\n": types.DashboardChangeMemberRoleDocument,
    "\n  mutation DashboardRemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": types.DashboardRemoveMemberDocument,
    "\n  query DashboardAuditLog($id: ID!, $first: Int!, $after: String, $action: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after, action: $action) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id action actorType actor { id name email } target ip createdAt } }\n      }\n    }\n  }\n": types.DashboardAuditLogDocument,
    "\n  query DashboardWebhookSecret($id: ID!) {\n    organization(id: $id) { id webhookSecret }\n  }\n": types.DashboardWebhookSecretDocument,
    "\n  query DashboardWebhookDeliveries($id: ID!, $first: Int!, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      id\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.DashboardWebhookDeliveriesDocument,
    "\n  mutation DashboardRollWebhookSecret($organizationId: ID!) {\n    rollWebhookSecret(organizationId: $organizationId)\n  }\n": types.DashboardRollWebhookSecretDocument,
    "\n  mutation DashboardRedeliverWebhook($id: ID!) {\n    redeliverWebhook(id: $id) { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId }\n  }\n": types.DashboardRedeliverWebhookDocument,
    "\n  mutation DashboardSendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n": types.DashboardSendTestWebhookDocument,
    "\n  query DashboardSessions($id: ID!, $first: Int!, $after: String, $status: SessionStatus, $livemode: Boolean!) {\n    organization(id: $id) {\n      id\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { node { id status success livemode ageTarget issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.DashboardSessionsDocument,
    "\n  query DashboardSessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      id\n      session(id: $sessionId) {\n        id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt\n        timeline { status at }\n      }\n    }\n  }\n": types.DashboardSessionDetailDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardMe {\n    me { id email name memberships { role organization { id name } } }\n  }\n"): typeof import('./graphql.js').DashboardMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardSignUp($input: SignUpInput!) {\n    signUp(input: $input) { token }\n  }\n"): typeof import('./graphql.js').DashboardSignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardSignIn($input: SignInInput!) {\n    signIn(input: $input) { token }\n  }\n"): typeof import('./graphql.js').DashboardSignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardSignOut { signOut }\n"): typeof import('./graphql.js').DashboardSignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardOrganizationSettings($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      apiTokens { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n      tokenPolicy { maxLifetimeDays }\n      members { role user { id email name } }\n    }\n    apiTokenAbilities\n    me { id memberships { role organization { id } } }\n  }\n"): typeof import('./graphql.js').DashboardOrganizationSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      plainTextToken\n      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n    }\n  }\n"): typeof import('./graphql.js').DashboardCreateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRollApiToken($id: ID!, $expiresInSeconds: Int) {\n    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {\n      plainTextToken\n      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }\n    }\n  }\n"): typeof import('./graphql.js').DashboardRollApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardUpdateApiToken($input: UpdateApiTokenInput!) {\n    updateApiToken(input: $input) { id name allowedIps }\n  }\n"): typeof import('./graphql.js').DashboardUpdateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardUpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {\n    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }\n  }\n"): typeof import('./graphql.js').DashboardUpdateTokenPolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) { id revokedAt }\n  }\n"): typeof import('./graphql.js').DashboardRevokeApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardPendingInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations { id email role createdAt expiresAt invitedBy { name email } }\n    }\n  }\n"): typeof import('./graphql.js').DashboardPendingInvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardInviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      inviteUrl\n      invitation { id email role createdAt expiresAt invitedBy { name email } }\n    }\n  }\n"): typeof import('./graphql.js').DashboardInviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id)\n  }\n"): typeof import('./graphql.js').DashboardRevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardLeaveOrganization($organizationId: ID!) {\n    leaveOrganization(organizationId: $organizationId)\n  }\n"): typeof import('./graphql.js').DashboardLeaveOrganizationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardInvitationPreview($token: String!) {\n    invitation(token: $token) { organizationName email role inviterName expiresAt }\n  }\n"): typeof import('./graphql.js').DashboardInvitationPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardAcceptInvitation($token: String!) {\n    acceptInvitation(token: $token) { role organization { id name } }\n  }\n"): typeof import('./graphql.js').DashboardAcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardDeclineInvitation($token: String!) {\n    declineInvitation(token: $token)\n  }\n"): typeof import('./graphql.js').DashboardDeclineInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) { role user { id email name } }\n  }\n"): typeof import('./graphql.js').DashboardChangeMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"): typeof import('./graphql.js').DashboardRemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardAuditLog($id: ID!, $first: Int!, $after: String, $action: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after, action: $action) {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id action actorType actor { id name email } target ip createdAt } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardAuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardWebhookSecret($id: ID!) {\n    organization(id: $id) { id webhookSecret }\n  }\n"): typeof import('./graphql.js').DashboardWebhookSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardWebhookDeliveries($id: ID!, $first: Int!, $after: String, $sessionId: String) {\n    organization(id: $id) {\n      id\n      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {\n        edges { node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardWebhookDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRollWebhookSecret($organizationId: ID!) {\n    rollWebhookSecret(organizationId: $organizationId)\n  }\n"): typeof import('./graphql.js').DashboardRollWebhookSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardRedeliverWebhook($id: ID!) {\n    redeliverWebhook(id: $id) { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId }\n  }\n"): typeof import('./graphql.js').DashboardRedeliverWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DashboardSendTestWebhook($organizationId: ID!, $url: String!) {\n    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }\n  }\n"): typeof import('./graphql.js').DashboardSendTestWebhookDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardSessions($id: ID!, $first: Int!, $after: String, $status: SessionStatus, $livemode: Boolean!) {\n    organization(id: $id) {\n      id\n      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {\n        edges { node { id status success livemode ageTarget issuedAt expiresAt completedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardSessionDetail($id: ID!, $sessionId: String!) {\n    organization(id: $id) {\n      id\n      session(id: $sessionId) {\n        id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt\n        timeline { status at }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardSessionDetailDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
