import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, request } from './api.js';
import type { DashboardOrganizationSettingsQuery, Role } from './graphql/graphql.js';
import { MembersSection } from './members.js';
import { ROLE_NAMES } from './roles.js';
import { OrganizationSettings } from './operations.js';
import { ErrorMessage } from './error-message.js';
import { Loading } from './loading.js';
import { OrganizationNotFound } from './organization-not-found.js';
import { ApiTokensSection } from './tokens.js';
import { ActivitySection } from './activity.js';
import { WebhooksSection } from './webhooks.js';

type Organization = NonNullable<DashboardOrganizationSettingsQuery['organization']>;

type Props = {
  organizationId: string;
  viewerId: string;
  onOwnMembershipChanged: () => void;
  onLeft: () => void;
};

/** Settings > Organization: the organization's name, its API tokens and its members. */
export function OrganizationSettingsPage({ organizationId, viewerId, onOwnMembershipChanged, onLeft }: Props) {
  const [organization, setOrganization] = useState<Organization | null>(null);
  // Read with the organization, so that what the page offers matches the role held right now.
  const [viewerRole, setViewerRole] = useState<Role>('MEMBER');
  const [abilities, setAbilities] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  // The viewer was removed (or left in another tab) since the page was opened.
  const [notFound, setNotFound] = useState(false);
  const [loads, setLoads] = useState(0);

  useEffect(() => {
    let current = true;
    setOrganization(null);
    setError(null);
    setNotFound(false);
    request(OrganizationSettings, { id: organizationId })
      .then((data) => {
        if (!current) return;
        const membership = data.me?.memberships.find((each) => each.organization.id === organizationId);
        setViewerRole(membership?.role ?? 'MEMBER');
        setOrganization(data.organization);
        setAbilities(data.apiTokenAbilities);
      })
      .catch((caught) => {
        if (!current) return;
        if (caught instanceof ApiError && caught.code === 'NOT_FOUND') setNotFound(true);
        else setError(messageOf(caught));
      });
    return () => {
      current = false;
    };
  }, [organizationId, loads]);

  const canManageTokens = viewerRole === 'OWNER' || viewerRole === 'ADMIN';

  if (notFound) {
    return (
      <main id="main" class="settings-page">
        <OrganizationNotFound />
      </main>
    );
  }

  return (
    <main id="main" class="settings-page">
      {/* Where the page sits, as plain text: there is no Settings page above it to link to. */}
      <p class="breadcrumb">
        Settings <span aria-hidden="true">›</span> <span class="current">Organization</span>
      </p>
      <h1 tabIndex={-1}>Organization settings</h1>
      <ErrorMessage message={error} />
      {!organization && !error && <Loading />}
      {organization && (
        <>
          <section aria-labelledby="organization-heading" class="card">
            <h2 id="organization-heading">Organization</h2>
            <dl class="details">
              <dt>Name</dt>
              <dd data-testid="organization-name">{organization.name}</dd>
              <dt>Your role</dt>
              <dd>{ROLE_NAMES[viewerRole]}</dd>
            </dl>
          </section>
          <ApiTokensSection
            organizationId={organization.id}
            tokens={organization.apiTokens}
            abilities={abilities}
            canManage={canManageTokens}
            isOwner={viewerRole === 'OWNER'}
            policy={organization.tokenPolicy}
            onChange={(apiTokens) => setOrganization((current) => current && { ...current, apiTokens })}
            onPolicyChange={(tokenPolicy) => setOrganization((current) => current && { ...current, tokenPolicy })}
          />
          {canManageTokens && <WebhooksSection organizationId={organization.id} />}
          <MembersSection
            organizationId={organization.id}
            members={organization.members}
            viewerId={viewerId}
            viewerRole={viewerRole}
            onChange={(members) => setOrganization({ ...organization, members })}
            onOwnMembershipChanged={() => {
              setLoads((count) => count + 1);
              onOwnMembershipChanged();
            }}
            onLeft={onLeft}
          />
          <ActivitySection organization={organization} viewerRole={viewerRole} />
        </>
      )}
    </main>
  );
}
