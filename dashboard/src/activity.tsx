import { useState } from 'preact/hooks';
import { request } from './api.js';
import { ErrorMessage } from './error-message.js';
import { Loading } from './loading.js';
import { FilterSelect } from './filter-select.js';
import type { DashboardAuditLogQuery, DashboardOrganizationSettingsQuery, Role } from './graphql/graphql.js';
import { LoadMore } from './load-more.js';
import { AuditLog } from './operations.js';
import { exactTime, relativeTime } from './time.js';
import { usePages } from './use-pages.js';

type Organization = NonNullable<DashboardOrganizationSettingsQuery['organization']>;
type AuditEvent = NonNullable<DashboardAuditLogQuery['organization']>['auditLog']['edges'][number]['node'];

/** Events per page ("Load more" fetches the next). */
const PAGE_SIZE = 20;

/**
 * Every action the server records (AUDIT_ACTIONS in src/audit/audit-log.ts, in its order), in words.
 * The filter offers these; an action the server adds later still shows, under its own name.
 */
export const AUDIT_ACTION_NAMES: Record<string, string> = {
  'api_token.created': 'API token created',
  'api_token.rolled': 'API token rolled',
  'api_token.revoked': 'API token revoked',
  'api_token.updated': 'API token edited',
  'api_token.revoked_by_leak_report': 'API token revoked after a leak report',
  'api_token.imported': 'API token imported from Laravel Sanctum',
  'token_policy.updated': 'Token policy changed',
  'invitation.created': 'Member invited',
  'invitation.accepted': 'Invitation accepted',
  'invitation.declined': 'Invitation declined',
  'invitation.revoked': 'Invitation revoked',
  'member.role_changed': 'Member’s role changed',
  'member.removed': 'Member removed',
  'member.left': 'Member left',
  'webhook_secret.rolled': 'Webhook secret rolled',
};

type Props = { organization: Organization; viewerRole: Role };

/**
 * Settings > Organization > Activity, for OWNERs and ADMINs (the only ones who may read the audit
 * log): what changed, who changed it, from where and when, newest first, a page at a time, with a
 * filter by action. It reads the log again when the page changes tokens, members or the policy.
 */
export function ActivitySection({ organization, viewerRole }: Props) {
  if (viewerRole !== 'OWNER' && viewerRole !== 'ADMIN') return null;
  return <ActivityLog organization={organization} />;
}

function ActivityLog({ organization }: { organization: Organization }) {
  const [action, setAction] = useState('');
  const [reloads, setReloads] = useState(0);
  const { items: events, hasMore, loading, error, loadMore } = usePages<AuditEvent>(
    async (after) =>
      (await request(AuditLog, { id: organization.id, first: PAGE_SIZE, after, action: action || null })).organization?.auditLog,
    [organization.id, action, reloads, organization.apiTokens, organization.members, organization.tokenPolicy],
  );

  return (
    <section aria-labelledby="activity-heading" class="card">
      <div class="section-header">
        <h2 id="activity-heading">Activity</h2>
        <button type="button" onClick={() => setReloads((count) => count + 1)} disabled={loading}>
          Refresh
        </button>
      </div>
      <p class="hint">What changed in this organization, who changed it, from where and when. Newest first.</p>
      <div class="inline-fields">
        <FilterSelect label="Action" name="action" all="All actions" names={AUDIT_ACTION_NAMES} value={action} onChange={setAction} />
      </div>
      <ErrorMessage message={error} />
      {events === null && !error && <Loading />}
      {events && events.length === 0 && (
        <p class="empty">{action ? 'Nothing of this kind yet.' : 'Nothing has changed yet.'}</p>
      )}
      {events && events.length > 0 && (
        <table class="responsive-table" data-testid="activity">
          <caption class="visually-hidden">Activity in this organization, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">By</th>
              <th scope="col">About</th>
              <th scope="col">IP address</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id} data-action={event.action}>
                <th scope="row" data-label="Action">
                  {AUDIT_ACTION_NAMES[event.action] ?? event.action}
                </th>
                <td data-label="By">{actorName(event)}</td>
                <td data-label="About">{targetName(event.target, organization)}</td>
                <td data-label="IP address">{event.ip ?? '—'}</td>
                <td data-label="When">
                  <time dateTime={event.createdAt} title={exactTime(new Date(event.createdAt))}>
                    {relativeTime(new Date(event.createdAt))}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore && (
        <LoadMore loading={loading} onClick={loadMore} />
      )}
    </section>
  );
}

function actorName(event: AuditEvent): string {
  switch (event.actorType) {
    case 'leak-report':
      return 'Leak report';
    case 'system':
      return 'System';
    default:
      if (!event.actor) return 'A former user';
      return event.actor.name ? `${event.actor.name} (${event.actor.email})` : event.actor.email;
  }
}

/** `api_token:42` as "API token Production API (ID 42)" while the token is listed; by kind and id otherwise. */
function targetName(target: string | null | undefined, organization: Organization): string {
  if (!target) return '—';
  const [kind, id] = target.split(':', 2) as [string, string | undefined];
  switch (kind) {
    case 'api_token': {
      const token = organization.apiTokens.find((each) => each.id === id);
      return token ? `API token ${token.name} (ID ${id})` : `API token ID ${id}`;
    }
    case 'user': {
      const member = organization.members.find((each) => each.user.id === id);
      const user = member?.user;
      return user ? (user.name ? `${user.name} (${user.email})` : user.email) : `User ID ${id}`;
    }
    case 'invitation':
      return `Invitation ID ${id}`;
    case 'organization':
      return 'This organization';
    default:
      return target;
  }
}
