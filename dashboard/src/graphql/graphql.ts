/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ChangeMemberRoleInput = {
  organizationId: string | number;
  role: Role;
  userId: string | number;
};

export type CreateApiTokenInput = {
  /** Defaults to ["*"]. Known abilities: *, session:create, session:read. */
  abilities?: Array<string> | null | undefined;
  /** IPv4/IPv6 addresses or CIDR ranges (at most 50) the token may be used from; REST calls from elsewhere get 403. Omitted or null: anywhere. */
  allowedIps?: Array<string> | null | undefined;
  /** Must lie in the future, and within the organization's tokenPolicy if it has one; never expires when omitted. */
  expiresAt?: string | null | undefined;
  mode?: TokenMode | null | undefined;
  name: string;
  organizationId: string | number;
};

export type InviteMemberInput = {
  email: string;
  organizationId: string | number;
  role: Role;
};

export type RemoveMemberInput = {
  organizationId: string | number;
  userId: string | number;
};

export type Role =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

/** Where a session stands, as the REST API says it (lowercase). */
export type SessionStatus =
  | 'cancelled'
  | 'completed'
  | 'created'
  | 'expired'
  | 'pending'
  | 'verification_kyc'
  | 'verification_started';

export type SignInInput = {
  email: string;
  password: string;
};

export type SignUpInput = {
  email: string;
  name?: string | null | undefined;
  organizationName: string;
  password: string;
};

/** LIVE tokens create live sessions; TEST tokens create test sessions, completed on the hosted test page. */
export type TokenMode =
  | 'LIVE'
  | 'TEST';

/** An omitted field keeps its value. */
export type UpdateApiTokenInput = {
  /** IPv4/IPv6 addresses or CIDR ranges (at most 50) the token may be used from; REST calls from elsewhere get 403. null removes the restriction. */
  allowedIps?: Array<string> | null | undefined;
  id: string | number;
  name?: string | null | undefined;
};

export type DashboardMeQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardMeQuery = { me: { id: string, email: string, name: string | null, memberships: Array<{ role: Role, organization: { id: string, name: string } }> } | null };

export type DashboardSignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type DashboardSignUpMutation = { signUp: { token: string } };

export type DashboardSignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type DashboardSignInMutation = { signIn: { token: string } };

export type DashboardSignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type DashboardSignOutMutation = { signOut: boolean };

export type DashboardOrganizationSettingsQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardOrganizationSettingsQuery = { apiTokenAbilities: Array<string>, organization: { id: string, name: string, apiTokens: Array<{ id: string, name: string, hint: string, mode: TokenMode, abilities: Array<string>, createdAt: string, lastUsedAt: string | null, lastUsedIp: string | null, allowedIps: Array<string> | null, expiresAt: string | null, replacedBy: { id: string, name: string } | null, usage: Array<{ date: string, requests: number }>, createdBy: { name: string | null, email: string } | null }>, tokenPolicy: { maxLifetimeDays: number | null }, members: Array<{ role: Role, user: { id: string, email: string, name: string | null } }> } | null, me: { id: string, memberships: Array<{ role: Role, organization: { id: string } }> } | null };

export type DashboardCreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type DashboardCreateApiTokenMutation = { createApiToken: { plainTextToken: string, apiToken: { id: string, name: string, hint: string, mode: TokenMode, abilities: Array<string>, createdAt: string, lastUsedAt: string | null, lastUsedIp: string | null, allowedIps: Array<string> | null, expiresAt: string | null, replacedBy: { id: string, name: string } | null, usage: Array<{ date: string, requests: number }>, createdBy: { name: string | null, email: string } | null } } };

export type DashboardRollApiTokenMutationVariables = Exact<{
  id: string | number;
  expiresInSeconds?: number | null | undefined;
}>;


export type DashboardRollApiTokenMutation = { rollApiToken: { plainTextToken: string, apiToken: { id: string, name: string, hint: string, mode: TokenMode, abilities: Array<string>, createdAt: string, lastUsedAt: string | null, lastUsedIp: string | null, allowedIps: Array<string> | null, expiresAt: string | null, replacedBy: { id: string, name: string } | null, usage: Array<{ date: string, requests: number }>, createdBy: { name: string | null, email: string } | null } } };

export type DashboardUpdateApiTokenMutationVariables = Exact<{
  input: UpdateApiTokenInput;
}>;


export type DashboardUpdateApiTokenMutation = { updateApiToken: { id: string, name: string, allowedIps: Array<string> | null } };

export type DashboardUpdateTokenPolicyMutationVariables = Exact<{
  organizationId: string | number;
  maxLifetimeDays?: number | null | undefined;
}>;


export type DashboardUpdateTokenPolicyMutation = { updateTokenPolicy: { maxLifetimeDays: number | null } };

export type DashboardRevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRevokeApiTokenMutation = { revokeApiToken: { id: string, revokedAt: string | null } };

export type DashboardPendingInvitationsQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardPendingInvitationsQuery = { organization: { id: string, invitations: Array<{ id: string, email: string, role: Role, createdAt: string, expiresAt: string, invitedBy: { name: string | null, email: string } | null }> } | null };

export type DashboardInviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type DashboardInviteMemberMutation = { inviteMember: { inviteUrl: string, invitation: { id: string, email: string, role: Role, createdAt: string, expiresAt: string, invitedBy: { name: string | null, email: string } | null } } };

export type DashboardRevokeInvitationMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRevokeInvitationMutation = { revokeInvitation: boolean };

export type DashboardLeaveOrganizationMutationVariables = Exact<{
  organizationId: string | number;
}>;


export type DashboardLeaveOrganizationMutation = { leaveOrganization: boolean };

export type DashboardInvitationPreviewQueryVariables = Exact<{
  token: string;
}>;


export type DashboardInvitationPreviewQuery = { invitation: { organizationName: string, email: string, role: Role, inviterName: string | null, expiresAt: string } };

export type DashboardAcceptInvitationMutationVariables = Exact<{
  token: string;
}>;


export type DashboardAcceptInvitationMutation = { acceptInvitation: { role: Role, organization: { id: string, name: string } } };

export type DashboardDeclineInvitationMutationVariables = Exact<{
  token: string;
}>;


export type DashboardDeclineInvitationMutation = { declineInvitation: boolean };

export type DashboardChangeMemberRoleMutationVariables = Exact<{
  input: ChangeMemberRoleInput;
}>;


export type DashboardChangeMemberRoleMutation = { changeMemberRole: { role: Role, user: { id: string, email: string, name: string | null } } };

export type DashboardRemoveMemberMutationVariables = Exact<{
  input: RemoveMemberInput;
}>;


export type DashboardRemoveMemberMutation = { removeMember: boolean };

export type DashboardAuditLogQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  action?: string | null | undefined;
}>;


export type DashboardAuditLogQuery = { organization: { id: string, auditLog: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, action: string, actorType: string, target: string | null, ip: string | null, createdAt: string, actor: { id: string, name: string | null, email: string } | null } }> } } | null };

export type DashboardWebhookSecretQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardWebhookSecretQuery = { organization: { id: string, webhookSecret: string } | null };

export type DashboardWebhookDeliveriesQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  sessionId?: string | null | undefined;
}>;


export type DashboardWebhookDeliveriesQuery = { organization: { id: string, webhookDeliveries: { edges: Array<{ node: { id: string, event: string, url: string, status: string, attempts: number, lastResponseStatus: number | null, nextAttemptAt: string | null, createdAt: string, sessionId: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type DashboardRollWebhookSecretMutationVariables = Exact<{
  organizationId: string | number;
}>;


export type DashboardRollWebhookSecretMutation = { rollWebhookSecret: string };

export type DashboardRedeliverWebhookMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRedeliverWebhookMutation = { redeliverWebhook: { id: string, event: string, url: string, status: string, attempts: number, lastResponseStatus: number | null, nextAttemptAt: string | null, createdAt: string, sessionId: string } };

export type DashboardSendTestWebhookMutationVariables = Exact<{
  organizationId: string | number;
  url: string;
}>;


export type DashboardSendTestWebhookMutation = { sendTestWebhook: { ok: boolean, responseStatus: number | null, error: string | null, durationMs: number } };

export type DashboardSessionsQueryVariables = Exact<{
  id: string | number;
  first: number;
  after?: string | null | undefined;
  status?: SessionStatus | null | undefined;
  livemode: boolean;
}>;


export type DashboardSessionsQuery = { organization: { id: string, sessions: { edges: Array<{ node: { id: string, status: SessionStatus, success: boolean | null, livemode: boolean, ageTarget: number, issuedAt: string, expiresAt: string, completedAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type DashboardSessionDetailQueryVariables = Exact<{
  id: string | number;
  sessionId: string;
}>;


export type DashboardSessionDetailQuery = { organization: { id: string, session: { id: string, status: SessionStatus, success: boolean | null, livemode: boolean, ageTarget: number, redirectUrl: string, webhookUrl: string | null, metadata: Array<string> | null, issuedAt: string, expiresAt: string, completedAt: string | null, timeline: Array<{ status: SessionStatus, at: string }> } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const DashboardMeDocument = new TypedDocumentString(`
    query DashboardMe {
  me {
    id
    email
    name
    memberships {
      role
      organization {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardMeQuery, DashboardMeQueryVariables>;
export const DashboardSignUpDocument = new TypedDocumentString(`
    mutation DashboardSignUp($input: SignUpInput!) {
  signUp(input: $input) {
    token
  }
}
    `) as unknown as TypedDocumentString<DashboardSignUpMutation, DashboardSignUpMutationVariables>;
export const DashboardSignInDocument = new TypedDocumentString(`
    mutation DashboardSignIn($input: SignInInput!) {
  signIn(input: $input) {
    token
  }
}
    `) as unknown as TypedDocumentString<DashboardSignInMutation, DashboardSignInMutationVariables>;
export const DashboardSignOutDocument = new TypedDocumentString(`
    mutation DashboardSignOut {
  signOut
}
    `) as unknown as TypedDocumentString<DashboardSignOutMutation, DashboardSignOutMutationVariables>;
export const DashboardOrganizationSettingsDocument = new TypedDocumentString(`
    query DashboardOrganizationSettings($id: ID!) {
  organization(id: $id) {
    id
    name
    apiTokens {
      id
      name
      hint
      mode
      abilities
      createdAt
      lastUsedAt
      lastUsedIp
      allowedIps
      expiresAt
      replacedBy {
        id
        name
      }
      usage(days: 30) {
        date
        requests
      }
      createdBy {
        name
        email
      }
    }
    tokenPolicy {
      maxLifetimeDays
    }
    members {
      role
      user {
        id
        email
        name
      }
    }
  }
  apiTokenAbilities
  me {
    id
    memberships {
      role
      organization {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardOrganizationSettingsQuery, DashboardOrganizationSettingsQueryVariables>;
export const DashboardCreateApiTokenDocument = new TypedDocumentString(`
    mutation DashboardCreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    plainTextToken
    apiToken {
      id
      name
      hint
      mode
      abilities
      createdAt
      lastUsedAt
      lastUsedIp
      allowedIps
      expiresAt
      replacedBy {
        id
        name
      }
      usage(days: 30) {
        date
        requests
      }
      createdBy {
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardCreateApiTokenMutation, DashboardCreateApiTokenMutationVariables>;
export const DashboardRollApiTokenDocument = new TypedDocumentString(`
    mutation DashboardRollApiToken($id: ID!, $expiresInSeconds: Int) {
  rollApiToken(id: $id, expiresInSeconds: $expiresInSeconds) {
    plainTextToken
    apiToken {
      id
      name
      hint
      mode
      abilities
      createdAt
      lastUsedAt
      lastUsedIp
      allowedIps
      expiresAt
      replacedBy {
        id
        name
      }
      usage(days: 30) {
        date
        requests
      }
      createdBy {
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardRollApiTokenMutation, DashboardRollApiTokenMutationVariables>;
export const DashboardUpdateApiTokenDocument = new TypedDocumentString(`
    mutation DashboardUpdateApiToken($input: UpdateApiTokenInput!) {
  updateApiToken(input: $input) {
    id
    name
    allowedIps
  }
}
    `) as unknown as TypedDocumentString<DashboardUpdateApiTokenMutation, DashboardUpdateApiTokenMutationVariables>;
export const DashboardUpdateTokenPolicyDocument = new TypedDocumentString(`
    mutation DashboardUpdateTokenPolicy($organizationId: ID!, $maxLifetimeDays: Int) {
  updateTokenPolicy(
    organizationId: $organizationId
    maxLifetimeDays: $maxLifetimeDays
  ) {
    maxLifetimeDays
  }
}
    `) as unknown as TypedDocumentString<DashboardUpdateTokenPolicyMutation, DashboardUpdateTokenPolicyMutationVariables>;
export const DashboardRevokeApiTokenDocument = new TypedDocumentString(`
    mutation DashboardRevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<DashboardRevokeApiTokenMutation, DashboardRevokeApiTokenMutationVariables>;
export const DashboardPendingInvitationsDocument = new TypedDocumentString(`
    query DashboardPendingInvitations($id: ID!) {
  organization(id: $id) {
    id
    invitations {
      id
      email
      role
      createdAt
      expiresAt
      invitedBy {
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardPendingInvitationsQuery, DashboardPendingInvitationsQueryVariables>;
export const DashboardInviteMemberDocument = new TypedDocumentString(`
    mutation DashboardInviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    inviteUrl
    invitation {
      id
      email
      role
      createdAt
      expiresAt
      invitedBy {
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardInviteMemberMutation, DashboardInviteMemberMutationVariables>;
export const DashboardRevokeInvitationDocument = new TypedDocumentString(`
    mutation DashboardRevokeInvitation($id: ID!) {
  revokeInvitation(id: $id)
}
    `) as unknown as TypedDocumentString<DashboardRevokeInvitationMutation, DashboardRevokeInvitationMutationVariables>;
export const DashboardLeaveOrganizationDocument = new TypedDocumentString(`
    mutation DashboardLeaveOrganization($organizationId: ID!) {
  leaveOrganization(organizationId: $organizationId)
}
    `) as unknown as TypedDocumentString<DashboardLeaveOrganizationMutation, DashboardLeaveOrganizationMutationVariables>;
export const DashboardInvitationPreviewDocument = new TypedDocumentString(`
    query DashboardInvitationPreview($token: String!) {
  invitation(token: $token) {
    organizationName
    email
    role
    inviterName
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<DashboardInvitationPreviewQuery, DashboardInvitationPreviewQueryVariables>;
export const DashboardAcceptInvitationDocument = new TypedDocumentString(`
    mutation DashboardAcceptInvitation($token: String!) {
  acceptInvitation(token: $token) {
    role
    organization {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardAcceptInvitationMutation, DashboardAcceptInvitationMutationVariables>;
export const DashboardDeclineInvitationDocument = new TypedDocumentString(`
    mutation DashboardDeclineInvitation($token: String!) {
  declineInvitation(token: $token)
}
    `) as unknown as TypedDocumentString<DashboardDeclineInvitationMutation, DashboardDeclineInvitationMutationVariables>;
export const DashboardChangeMemberRoleDocument = new TypedDocumentString(`
    mutation DashboardChangeMemberRole($input: ChangeMemberRoleInput!) {
  changeMemberRole(input: $input) {
    role
    user {
      id
      email
      name
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardChangeMemberRoleMutation, DashboardChangeMemberRoleMutationVariables>;
export const DashboardRemoveMemberDocument = new TypedDocumentString(`
    mutation DashboardRemoveMember($input: RemoveMemberInput!) {
  removeMember(input: $input)
}
    `) as unknown as TypedDocumentString<DashboardRemoveMemberMutation, DashboardRemoveMemberMutationVariables>;
export const DashboardAuditLogDocument = new TypedDocumentString(`
    query DashboardAuditLog($id: ID!, $first: Int!, $after: String, $action: String) {
  organization(id: $id) {
    id
    auditLog(first: $first, after: $after, action: $action) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          action
          actorType
          actor {
            id
            name
            email
          }
          target
          ip
          createdAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardAuditLogQuery, DashboardAuditLogQueryVariables>;
export const DashboardWebhookSecretDocument = new TypedDocumentString(`
    query DashboardWebhookSecret($id: ID!) {
  organization(id: $id) {
    id
    webhookSecret
  }
}
    `) as unknown as TypedDocumentString<DashboardWebhookSecretQuery, DashboardWebhookSecretQueryVariables>;
export const DashboardWebhookDeliveriesDocument = new TypedDocumentString(`
    query DashboardWebhookDeliveries($id: ID!, $first: Int!, $after: String, $sessionId: String) {
  organization(id: $id) {
    id
    webhookDeliveries(first: $first, after: $after, sessionId: $sessionId) {
      edges {
        node {
          id
          event
          url
          status
          attempts
          lastResponseStatus
          nextAttemptAt
          createdAt
          sessionId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardWebhookDeliveriesQuery, DashboardWebhookDeliveriesQueryVariables>;
export const DashboardRollWebhookSecretDocument = new TypedDocumentString(`
    mutation DashboardRollWebhookSecret($organizationId: ID!) {
  rollWebhookSecret(organizationId: $organizationId)
}
    `) as unknown as TypedDocumentString<DashboardRollWebhookSecretMutation, DashboardRollWebhookSecretMutationVariables>;
export const DashboardRedeliverWebhookDocument = new TypedDocumentString(`
    mutation DashboardRedeliverWebhook($id: ID!) {
  redeliverWebhook(id: $id) {
    id
    event
    url
    status
    attempts
    lastResponseStatus
    nextAttemptAt
    createdAt
    sessionId
  }
}
    `) as unknown as TypedDocumentString<DashboardRedeliverWebhookMutation, DashboardRedeliverWebhookMutationVariables>;
export const DashboardSendTestWebhookDocument = new TypedDocumentString(`
    mutation DashboardSendTestWebhook($organizationId: ID!, $url: String!) {
  sendTestWebhook(organizationId: $organizationId, url: $url) {
    ok
    responseStatus
    error
    durationMs
  }
}
    `) as unknown as TypedDocumentString<DashboardSendTestWebhookMutation, DashboardSendTestWebhookMutationVariables>;
export const DashboardSessionsDocument = new TypedDocumentString(`
    query DashboardSessions($id: ID!, $first: Int!, $after: String, $status: SessionStatus, $livemode: Boolean!) {
  organization(id: $id) {
    id
    sessions(first: $first, after: $after, status: $status, livemode: $livemode) {
      edges {
        node {
          id
          status
          success
          livemode
          ageTarget
          issuedAt
          expiresAt
          completedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardSessionsQuery, DashboardSessionsQueryVariables>;
export const DashboardSessionDetailDocument = new TypedDocumentString(`
    query DashboardSessionDetail($id: ID!, $sessionId: String!) {
  organization(id: $id) {
    id
    session(id: $sessionId) {
      id
      status
      success
      livemode
      ageTarget
      redirectUrl
      webhookUrl
      metadata
      issuedAt
      expiresAt
      completedAt
      timeline {
        status
        at
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardSessionDetailQuery, DashboardSessionDetailQueryVariables>;