import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, request } from './api.js';
import { ErrorMessage } from './error-message.js';
import { Loading } from './loading.js';
import { FilterSelect } from './filter-select.js';
import type { DashboardSessionDetailQuery, DashboardSessionsQuery, Role, SessionStatus } from './graphql/graphql.js';
import { Link } from './link.js';
import { LoadMore } from './load-more.js';
import { SessionDetail, Sessions } from './operations.js';
import { exactTime } from './time.js';
import { usePages } from './use-pages.js';
import { DeliveryLog, Time } from './webhooks.js';

type SessionRow = NonNullable<DashboardSessionsQuery['organization']>['sessions']['edges'][number]['node'];
type Session = NonNullable<DashboardSessionDetailQuery['organization']>['session'];

/** Sessions per page ("Load more" fetches the next). */
const PAGE_SIZE = 20;

/** Every status (the API's SessionStatus, in the lifecycle's order), in words. */
export const STATUS_NAMES: Record<SessionStatus, string> = {
  created: 'Created',
  pending: 'Page opened',
  verification_started: 'Verification started',
  verification_kyc: 'KYC required',
  completed: 'Completed',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

function StatusBadge({ status, success }: { status: SessionStatus; success?: boolean | null }) {
  const outcome = status === 'completed' && success != null ? (success ? ' (approved)' : ' (declined)') : '';
  return (
    <span class={`badge session-${status}${outcome ? (success ? ' approved' : ' declined') : ''}`} data-testid="session-status">
      {STATUS_NAMES[status]}
      {outcome}
    </span>
  );
}

type Props = { organizationId: string; sessionId: string | null; viewerRole: Role };

/**
 * The Sessions page (OWNER/ADMIN, as the API allows): the organization's sessions, newest first, live
 * or test, by status; or one session with its timeline and its webhook deliveries.
 */
export function SessionsPage({ organizationId, sessionId, viewerRole }: Props) {
  const mayRead = viewerRole === 'OWNER' || viewerRole === 'ADMIN';
  return (
    <main id="main" class="settings-page">
      <p class="breadcrumb">
        {sessionId ? (
          <>
            <Link to={{ page: 'sessions', organizationId }}>Sessions</Link> <span aria-hidden="true">›</span>{' '}
            <span class="current">One session</span>
          </>
        ) : (
          <span class="current">Sessions</span>
        )}
      </p>
      <h1 tabIndex={-1}>{sessionId ? 'Session' : 'Sessions'}</h1>
      {!mayRead ? (
        <p class="notice">Only owners and admins of the organization can see its sessions.</p>
      ) : sessionId ? (
        <SessionView organizationId={organizationId} sessionId={sessionId} key={sessionId} />
      ) : (
        <SessionList organizationId={organizationId} />
      )}
    </main>
  );
}

function SessionList({ organizationId }: { organizationId: string }) {
  const [status, setStatus] = useState<SessionStatus | ''>('');
  const [livemode, setLivemode] = useState(true);
  const [reloads, setReloads] = useState(0);
  const { items: sessions, hasMore, loading, error, loadMore } = usePages<SessionRow>(
    async (after) =>
      (await request(Sessions, { id: organizationId, first: PAGE_SIZE, after, status: status || null, livemode })).organization?.sessions,
    [organizationId, status, livemode, reloads],
  );

  const mode = livemode ? 'live' : 'test';
  return (
    <section aria-labelledby="sessions-heading" class="card">
      <div class="section-header">
        <h2 id="sessions-heading">{livemode ? 'Live sessions' : 'Test sessions'}</h2>
        <button type="button" onClick={() => setReloads((count) => count + 1)} disabled={loading}>
          Refresh
        </button>
      </div>
      <p class="hint">
        Verification sessions created with this organization's API tokens, newest first. Test sessions are those made
        with a test token.
      </p>
      <div class="inline-fields session-filters">
        <fieldset class="mode-switch">
          <legend>Mode</legend>
          <label class="checkbox">
            <input type="radio" name="mode" value="live" checked={livemode} onChange={() => setLivemode(true)} />
            Live
          </label>
          <label class="checkbox">
            <input type="radio" name="mode" value="test" checked={!livemode} onChange={() => setLivemode(false)} />
            Test
          </label>
        </fieldset>
        <FilterSelect label="Status" name="status" all="All statuses" names={STATUS_NAMES} value={status} onChange={setStatus} />
      </div>
      <ErrorMessage message={error} />
      {sessions === null && !error && <Loading what="sessions" />}
      {sessions && sessions.length === 0 && (
        <p class="empty">{status ? `No ${mode} sessions are ${STATUS_NAMES[status].toLowerCase()}.` : `No ${mode} sessions yet.`}</p>
      )}
      {sessions && sessions.length > 0 && (
        <table class="responsive-table sessions" data-testid="sessions">
          <caption class="visually-hidden">{`${livemode ? 'Live' : 'Test'} sessions, newest first`}</caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Status</th>
              <th scope="col">Age</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id} data-session-id={session.id}>
                <th scope="row" data-label="Session">
                  <Link to={{ page: 'sessions', organizationId, sessionId: session.id }} class="session-id">
                    {session.id}
                  </Link>
                </th>
                <td data-label="Status">
                  <StatusBadge status={session.status} success={session.success} />
                </td>
                <td data-label="Age">{session.ageTarget}+</td>
                <td data-label="Created">
                  <Time value={session.issuedAt} />
                </td>
                <td data-label="Expires">
                  <Time value={session.expiresAt} />
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

function SessionView({ organizationId, sessionId }: { organizationId: string; sessionId: string }) {
  const [session, setSession] = useState<Session | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    request(SessionDetail, { id: organizationId, sessionId })
      .then((data) => current && setSession(data.organization?.session ?? null))
      .catch((caught) => {
        if (!current) return;
        if (caught instanceof ApiError && caught.code === 'NOT_FOUND') setMissing(true);
        else setError(messageOf(caught));
      });
    return () => {
      current = false;
    };
  }, [organizationId, sessionId, reloads]);

  if (missing) {
    return (
      <p class="notice">
        This organization has no session <code>{sessionId}</code>.{' '}
        <Link to={{ page: 'sessions', organizationId }}>All sessions</Link>
      </p>
    );
  }
  return (
    <>
      <ErrorMessage message={error} />
      {!session && !error && <Loading />}
      {session && (
        <>
          <section aria-labelledby="session-heading" class="card">
            <div class="section-header">
              <h2 id="session-heading">
                <span class="session-id">{session.id}</span>
              </h2>
              <button type="button" onClick={() => setReloads((count) => count + 1)}>
                Refresh
              </button>
            </div>
            <dl class="details">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={session.status} success={session.success} />
              </dd>
              <dt>Mode</dt>
              <dd>
                <span class={`badge mode-${session.livemode ? 'live' : 'test'}`}>{session.livemode ? 'Live' : 'Test'}</span>
              </dd>
              <dt>Age target</dt>
              <dd>{session.ageTarget}+</dd>
              <dt>Redirect URL</dt>
              <dd class="delivery-url">{session.redirectUrl}</dd>
              <dt>Webhook URL</dt>
              <dd class="delivery-url">{session.webhookUrl ?? '—'}</dd>
              <dt>Metadata</dt>
              <dd>{session.metadata?.length ? session.metadata.join(', ') : '—'}</dd>
              <dt>Expires</dt>
              <dd>{exactTime(new Date(session.expiresAt))}</dd>
            </dl>
          </section>
          <section aria-labelledby="timeline-heading" class="card">
            <h2 id="timeline-heading">Timeline</h2>
            <ol class="timeline" data-testid="timeline">
              {session.timeline.map((change) => (
                <li key={change.status} data-status={change.status}>
                  <span class="timeline-status">{STATUS_NAMES[change.status]}</span>{' '}
                  <time dateTime={change.at}>{exactTime(new Date(change.at))}</time>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="session-webhooks-heading" class="card">
            <h2 id="session-webhooks-heading">Webhooks</h2>
            <p class="hint" role="status" data-testid="webhooks-status">
              {status}
            </p>
            {session.webhookUrl ? (
              <DeliveryLog organizationId={organizationId} onStatus={setStatus} fixedSessionId={session.id} />
            ) : (
              <p class="empty">This session has no webhook URL: no webhooks are sent for it.</p>
            )}
          </section>
        </>
      )}
    </>
  );
}
