import { graphql } from '../graphql/index.js';

/** The dashboard's operations, typed by codegen (npm run codegen after editing). */

export const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
      user { id email name memberships { role organization { id name } } }
    }
  }
`);

export const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { token user { id email } }
  }
`);

export const SignOut = graphql(`
  mutation SignOut { signOut }
`);

export const Me = graphql(`
  query Me { me { id email name memberships { role organization { id name } } } }
`);

export const OrganizationTokens = graphql(`
  query OrganizationTokens($id: ID!, $includeRevoked: Boolean) {
    organization(id: $id) {
      id
      name
      apiTokens(includeRevoked: $includeRevoked) { id name }
    }
  }
`);

export const ApiTokens = graphql(`
  query ApiTokens($organizationId: ID!, $includeRevoked: Boolean) {
    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked) {
      id name abilities mode createdAt lastUsedAt expiresAt revokedAt
      createdBy { id email }
    }
  }
`);

export const CreateApiToken = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      plainTextToken
      apiToken { id name abilities mode createdAt lastUsedAt expiresAt revokedAt createdBy { id email } }
    }
  }
`);

export const RevokeApiToken = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) { id name revokedAt }
  }
`);

export const CreatorMemberships = graphql(`
  query CreatorMemberships($organizationId: ID!) {
    apiTokens(organizationId: $organizationId) {
      createdBy { email memberships(first: 10) { organization { id name } } }
    }
  }
`);

export const OrganizationMembers = graphql(`
  query OrganizationMembers($id: ID!) {
    organization(id: $id) {
      id
      members { role user { id email name } }
    }
  }
`);

export const InviteMember = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      inviteUrl
      invitation { id email role createdAt expiresAt organization { id name } invitedBy { id email } }
    }
  }
`);

export const OrganizationInvitations = graphql(`
  query OrganizationInvitations($id: ID!) {
    organization(id: $id) {
      id
      invitations { id email role createdAt expiresAt invitedBy { id } }
    }
  }
`);

export const InvitationPreview = graphql(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) { organizationName email role inviterName expiresAt }
  }
`);

export const AcceptInvitation = graphql(`
  mutation AcceptInvitation($token: String!) {
    acceptInvitation(token: $token) { role organization { id name } user { id email } }
  }
`);

export const DeclineInvitation = graphql(`
  mutation DeclineInvitation($token: String!) {
    declineInvitation(token: $token)
  }
`);

export const RevokeInvitation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id)
  }
`);

export const LeaveOrganization = graphql(`
  mutation LeaveOrganization($organizationId: ID!) {
    leaveOrganization(organizationId: $organizationId)
  }
`);

export const ChangeMemberRole = graphql(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) { role user { id email } }
  }
`);

export const RemoveMember = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input)
  }
`);

export const ApiTokensPage = graphql(`
  query ApiTokensPage($organizationId: ID!, $includeRevoked: Boolean, $first: Int, $after: ID) {
    apiTokens(organizationId: $organizationId, includeRevoked: $includeRevoked, first: $first, after: $after) {
      id name createdAt revokedAt
    }
  }
`);

export const OrganizationTokensPage = graphql(`
  query OrganizationTokensPage($id: ID!, $first: Int, $after: ID) {
    organization(id: $id) { apiTokens(first: $first, after: $after) { id name } }
  }
`);

export const MembersPage = graphql(`
  query MembersPage($id: ID!, $first: Int, $after: ID) {
    organization(id: $id) { members(first: $first, after: $after) { role user { id email } } }
  }
`);

export const MembershipsPage = graphql(`
  query MembershipsPage($first: Int, $after: ID) {
    me { memberships(first: $first, after: $after) { role organization { id name } } }
  }
`);


export const CreateToken = graphql(`
  mutation CreateToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      plainTextToken
      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }
    }
  }
`);

export const RollApiToken = graphql(`
  mutation RollApiToken($id: ID!, $expiresInSeconds: Int) {
    rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {
      plainTextToken
      apiToken { id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id } }
    }
  }
`);

export const UpdateApiToken = graphql(`
  mutation UpdateApiToken($input: UpdateApiTokenInput!) {
    updateApiToken(input: $input) { id name allowedIps }
  }
`);

export const TokenDetails = graphql(`
  query TokenDetails($organizationId: ID!, $days: Int) {
    apiTokens(organizationId: $organizationId, includeRevoked: true) {
      id name hint abilities mode createdAt lastUsedAt lastUsedIp allowedIps expiresAt revokedAt replacedBy { id }
      usage(days: $days) { date requests }
    }
  }
`);

export const TokenPolicy = graphql(`
  query TokenPolicy($id: ID!) {
    organization(id: $id) { id tokenPolicy { maxLifetimeDays } }
  }
`);

export const UpdateTokenPolicy = graphql(`
  mutation UpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {
    updateTokenPolicy(organizationId: $organizationId, maxLifetimeDays: $maxLifetimeDays) { maxLifetimeDays }
  }
`);

export const AuditLog = graphql(`
  query AuditLog($id: ID!, $first: Int, $after: String, $action: String) {
    organization(id: $id) {
      auditLog(first: $first, after: $after, action: $action) {
        edges { cursor node { id action actorType actor { id email name } target ip userAgent createdAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
