import { graphql } from './graphql/index.js';

/** Every GraphQL operation the dashboard sends, typed by codegen (npm run codegen after editing). */

export const Me = graphql(`
  query DashboardMe {
    me { id email name memberships { role organization { id name } } }
  }
`);

export const SignUp = graphql(`
  mutation DashboardSignUp($input: SignUpInput!) {
    signUp(input: $input) { token }
  }
`);

export const SignIn = graphql(`
  mutation DashboardSignIn($input: SignInInput!) {
    signIn(input: $input) { token }
  }
`);

export const SignOut = graphql(`
  mutation DashboardSignOut { signOut }
`);

export const OrganizationSettings = graphql(`
  query DashboardOrganizationSettings($id: ID!) {
    organization(id: $id) {
      id
      name
      apiTokens { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }
      tokenPolicy { maxLifetimeDays }
      members { role user { id email name } }
    }
    apiTokenAbilities
    me { id memberships { role organization { id } } }
  }
`);

export const CreateApiToken = graphql(`
  mutation DashboardCreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      plainTextToken
      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }
    }
  }
`);

export const RollApiToken = graphql(`
  mutation DashboardRollApiToken($id: ID!, $expiresInSeconds: Int) {
    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {
      plainTextToken
      apiToken { id name hint mode abilities createdAt lastUsedAt lastUsedIp allowedIps expiresAt replacedBy { id name } usage(days: 30) { date requests } createdBy { name email } }
    }
  }
`);

export const UpdateApiToken = graphql(`
  mutation DashboardUpdateApiToken($input: UpdateApiTokenInput!) {
    updateApiToken(input: $input) { id name allowedIps }
  }
`);

export const UpdateTokenPolicy = graphql(`
  mutation DashboardUpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {
    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }
  }
`);

export const RevokeApiToken = graphql(`
  mutation DashboardRevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) { id revokedAt }
  }
`);

export const PendingInvitations = graphql(`
  query DashboardPendingInvitations($id: ID!) {
    organization(id: $id) {
      id
      invitations { id email role createdAt expiresAt invitedBy { name email } }
    }
  }
`);

export const InviteMember = graphql(`
  mutation DashboardInviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      inviteUrl
      invitation { id email role createdAt expiresAt invitedBy { name email } }
    }
  }
`);

export const RevokeInvitation = graphql(`
  mutation DashboardRevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

export const LeaveOrganization = graphql(`
  mutation DashboardLeaveOrganization($organizationId: ID!) {
    leaveOrganization(organizationId: $organizationId)
  }
`);

export const InvitationPreview = graphql(`
  query DashboardInvitationPreview($token: String!) {
    invitation(token: $token) { organizationName email role inviterName expiresAt }
  }
`);

export const AcceptInvitation = graphql(`
  mutation DashboardAcceptInvitation($token: String!) {
    acceptInvitation(token: $token) { role organization { id name } }
  }
`);

export const DeclineInvitation = graphql(`
  mutation DashboardDeclineInvitation($token: String!) {
    declineInvitation(token: $token)
  }
`);

export const ChangeMemberRole = graphql(`
  mutation DashboardChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) { role user { id email name } }
  }
`);

export const RemoveMember = graphql(`
  mutation DashboardRemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input)
  }
`);

export const AuditLog = graphql(`
  query DashboardAuditLog($id: ID!, $first: Int!, $after: String, $action: String) {
    organization(id: $id) {
      id
      auditLog(first: $first, after: $after, action: $action) {
        pageInfo { hasNextPage endCursor }
        edges { node { id action actorType actor { id name email } target ip createdAt } }
      }
    }
  }
`);

export const WebhookSecret = graphql(`
  query DashboardWebhookSecret($id: ID!) {
    organization(id: $id) { id webhookSecret }
  }
`);

export const WebhookDeliveries = graphql(`
  query DashboardWebhookDeliveries($id: ID!, $first: Int!, $after: String, $sessionId: String) {
    organization(id: $id) {
      id
      webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {
        edges { node { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const RollWebhookSecret = graphql(`
  mutation DashboardRollWebhookSecret($organizationId: ID!) {
    rollWebhookSecret(organizationId: $organizationId)
  }
`);

export const RedeliverWebhook = graphql(`
  mutation DashboardRedeliverWebhook($id: ID!) {
    redeliverWebhook(id: $id) { id event url status attempts lastResponseStatus nextAttemptAt createdAt sessionId }
  }
`);

export const SendTestWebhook = graphql(`
  mutation DashboardSendTestWebhook($organizationId: ID!, $url: String!) {
    sendTestWebhook(organizationId: $organizationId, url: $url) { ok responseStatus error durationMs }
  }
`);

export const Sessions = graphql(`
  query DashboardSessions($id: ID!, $first: Int!, $after: String, $status: SessionStatus, $livemode: Boolean!) {
    organization(id: $id) {
      id
      sessions(first: $first, after: $after, status: $status, livemode: $livemode) {
        edges { node { id status success livemode ageTarget issuedAt expiresAt completedAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const SessionDetail = graphql(`
  query DashboardSessionDetail($id: ID!, $sessionId: String!) {
    organization(id: $id) {
      id
      session(id: $sessionId) {
        id status success livemode ageTarget redirectUrl webhookUrl metadata issuedAt expiresAt completedAt
        timeline { status at }
      }
    }
  }
`);
