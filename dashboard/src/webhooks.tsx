import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf, request } from './api.js';
import { ConfirmModal } from './confirm-modal.js';
import { ErrorMessage } from './error-message.js';
import { Loading } from './loading.js';
import type { DashboardWebhookDeliveriesQuery } from './graphql/graphql.js';
import { LoadMore } from './load-more.js';
import { RedeliverWebhook, RollWebhookSecret, SendTestWebhook, WebhookDeliveries, WebhookSecret } from './operations.js';
import { exactTime, relativeTime } from './time.js';
import { useAction } from './use-action.js';

type Delivery = NonNullable<DashboardWebhookDeliveriesQuery['organization']>['webhookDeliveries']['edges'][number]['node'];

const PAGE = 20;
/** The most one refresh asks for (the API's largest page). */
const MAX_PAGE = 100;
/** While a delivery is pending, the list is read again this often. */
const POLL_MS = 3000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function Time({ value }: { value: string }) {
  const date = new Date(value);
  return (
    <time dateTime={value} title={exactTime(date)}>
      {relativeTime(date)}
    </time>
  );
}

/**
 * Settings > Webhooks (OWNER/ADMIN): the signing secret, rolling it, a test event sent to a URL, and
 * the delivery log, of the whole organization or of one session (its events, newest first). The
 * Sessions page (sessions.tsx) shows the same log for the session it shows.
 */
export function WebhooksSection({ organizationId }: { organizationId: string }) {
  const [status, setStatus] = useState('');
  return (
    <section aria-labelledby="webhooks-heading" class="card">
      <h2 id="webhooks-heading">Webhooks</h2>
      <p class="hint">
        Bouncer sends each session's events to its <code>webhook_url</code>, signed with this organization's secret
        (Standard Webhooks). Only owners and admins see this section.
      </p>
      <p class="hint" role="status" data-testid="webhooks-status">
        {status}
      </p>
      <SigningSecret organizationId={organizationId} onStatus={setStatus} />
      <TestEvent organizationId={organizationId} />
      <DeliveryLog organizationId={organizationId} onStatus={setStatus} />
    </section>
  );
}

function SigningSecret({ organizationId, onStatus }: { organizationId: string; onStatus: (status: string) => void }) {
  // Read from the server only when asked for (Reveal or Copy): it is not in the page before.
  const [secret, setSecret] = useState<string | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [rolling, setRolling] = useState(false);
  const [copyStatus, setCopyStatus] = useState('');
  const { busy, error, run } = useAction();
  const fieldRef = useRef<HTMLInputElement>(null);
  const rollRef = useRef<HTMLButtonElement>(null);

  const load = async (): Promise<string> => {
    if (secret) return secret;
    const { organization } = await request(WebhookSecret, { id: organizationId });
    const value = organization?.webhookSecret ?? '';
    setSecret(value);
    return value;
  };

  const reveal = () =>
    revealed
      ? setRevealed(false)
      : run(async () => {
          await load();
          setRevealed(true);
        });

  const copy = () =>
    run(async () => {
      const value = await load();
      try {
        await navigator.clipboard.writeText(value);
        setCopyStatus('Signing secret copied to the clipboard.');
      } catch {
        setRevealed(true);
        setTimeout(() => fieldRef.current?.select());
        setCopyStatus('Could not copy automatically: the secret is selected, press Ctrl+C (⌘C on a Mac).');
      }
    });

  return (
    <div class="stack webhook-secret">
      <h3>Signing secret</h3>
      <label>
        Webhook signing secret
        <span class="copy-field">
          <input
            ref={fieldRef}
            readOnly
            class="token-value"
            data-testid="webhook-secret"
            value={revealed && secret ? secret : 'whsec_••••••••••••••••••••••••'}
            aria-description={revealed ? undefined : 'Hidden: choose Reveal to show it.'}
            onFocus={(event) => revealed && (event.currentTarget as HTMLInputElement).select()}
          />
          <button type="button" onClick={reveal} disabled={busy} aria-pressed={revealed}>
            {revealed ? 'Hide' : 'Reveal'}
          </button>
          <button type="button" class="primary" onClick={copy} disabled={busy}>
            Copy
          </button>
        </span>
      </label>
      <p class="hint" role="status">
        {copyStatus}
      </p>
      <ErrorMessage message={error} />
      <div class="buttons">
        <button type="button" ref={rollRef} onClick={() => setRolling(true)}>
          Roll secret
        </button>
      </div>
      {rolling && (
        <ConfirmModal
          title="Roll the webhook signing secret?"
          confirmLabel="Roll secret"
          busyLabel="Rolling…"
          onConfirm={async () => {
            const { rollWebhookSecret } = await request(RollWebhookSecret, { organizationId });
            setSecret(rollWebhookSecret);
            setRevealed(true);
            setCopyStatus('');
            const until = new Date(Date.now() + 86_400_000);
            onStatus(`Signing secret rolled. The previous secret also signs until ${exactTime(until)}: switch your receivers to the new one before then.`);
          }}
          onClose={() => setRolling(false)}
          fallbackFocus={() => rollRef.current}
        >
          A new secret replaces the current one. For the next 24 hours every webhook carries two signatures, one with each
          secret, so your receivers keep verifying while you deploy the new secret; after that only the new secret signs.
        </ConfirmModal>
      )}
    </div>
  );
}

type DeliveryLogProps = {
  organizationId: string;
  onStatus: (status: string) => void;
  /** Only this session's deliveries, without the filter. */
  fixedSessionId?: string;
};

/** The delivery log, newest first, read again while a delivery is pending; each can be redelivered. */
export function DeliveryLog({ organizationId, onStatus, fixedSessionId }: DeliveryLogProps) {
  const [deliveries, setDeliveries] = useState<Delivery[] | null>(null);
  const [endCursor, setEndCursor] = useState<string | null>(null);
  const [hasNextPage, setHasNextPage] = useState(false);
  const [sessionId, setSessionId] = useState<string | null>(fixedSessionId ?? null);
  const [filterText, setFilterText] = useState('');
  const [filterError, setFilterError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [redelivering, setRedelivering] = useState<string | null>(null);
  // Answers to an earlier filter or refresh are dropped when a newer one was asked for.
  const generation = useRef(0);

  const fetchPage = (first: number, after: string | null) =>
    request(WebhookDeliveries, { id: organizationId, first, after, sessionId }).then(
      ({ organization }) => organization?.webhookDeliveries ?? { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
    );

  /** The first page again, as long as what is shown (so that a refresh does not shorten the list). */
  const refresh = async (count: number) => {
    const mine = ++generation.current;
    try {
      const page = await fetchPage(Math.min(MAX_PAGE, Math.max(PAGE, count)), null);
      if (mine !== generation.current) return;
      setDeliveries(page.edges.map((edge) => edge.node));
      setEndCursor(page.pageInfo.endCursor ?? null);
      setHasNextPage(page.pageInfo.hasNextPage);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(messageOf(caught));
    }
  };

  useEffect(() => {
    setDeliveries(null);
    void refresh(PAGE);
  }, [organizationId, sessionId]);

  // Pending deliveries change on their own (attempts, responses): read the list again until none is.
  const anyPending = deliveries?.some((delivery) => delivery.status === 'pending') ?? false;
  const shown = deliveries?.length ?? 0;
  useEffect(() => {
    if (!anyPending) return;
    const timer = setTimeout(() => void refresh(shown), POLL_MS);
    return () => clearTimeout(timer);
  }, [anyPending, deliveries]);

  const loadMore = async () => {
    const mine = ++generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchPage(PAGE, endCursor);
      if (mine !== generation.current) return;
      setDeliveries((current) => [...(current ?? []), ...page.edges.map((edge) => edge.node)]);
      setEndCursor(page.pageInfo.endCursor ?? null);
      setHasNextPage(page.pageInfo.hasNextPage);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setLoadingMore(false);
    }
  };

  const redeliver = async (delivery: Delivery) => {
    setRedelivering(delivery.id);
    setError(null);
    try {
      const { redeliverWebhook } = await request(RedeliverWebhook, { id: delivery.id });
      setDeliveries((current) => current && current.map((each) => (each.id === redeliverWebhook.id ? redeliverWebhook : each)));
      onStatus(`${delivery.event} for session ${delivery.sessionId} will be sent again in a moment.`);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setRedelivering(null);
    }
  };

  const applyFilter = (event: SubmitEvent) => {
    event.preventDefault();
    const text = filterText.trim();
    if (text === '') {
      setFilterError(null);
      setSessionId(null);
      return;
    }
    if (!UUID.test(text)) {
      setFilterError('Enter a session id as the REST API gives it, such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.');
      return;
    }
    setFilterError(null);
    setSessionId(text.toLowerCase());
  };

  const showSession = (id: string | null) => {
    setFilterText(id ?? '');
    setFilterError(null);
    setSessionId(id);
  };

  return (
    <div class="stack webhook-deliveries">
      <div class="section-header">
        <h3>{fixedSessionId ? 'Deliveries' : sessionId ? 'Deliveries of one session' : 'Recent deliveries'}</h3>
        <button type="button" onClick={() => void refresh(shown)}>
          Refresh
        </button>
      </div>
      {!fixedSessionId && (
        <>
          <form class="inline-fields" onSubmit={applyFilter} role="search" aria-label="Deliveries of one session">
            <label>
              Session id
              <input
                name="sessionId"
                value={filterText}
                onInput={(event) => setFilterText((event.currentTarget as HTMLInputElement).value)}
                placeholder="All sessions"
                spellcheck={false}
                autoComplete="off"
              />
            </label>
            <div class="buttons">
              <button type="submit">Show</button>
              {sessionId && (
                <button type="button" onClick={() => showSession(null)}>
                  All sessions
                </button>
              )}
            </div>
          </form>
          <ErrorMessage message={filterError} />
          <p class="hint">
            Enter a session's id, or choose one below, to see the events sent for it. The Sessions page lists the sessions
            themselves.
          </p>
        </>
      )}
      <ErrorMessage message={error} />
      {deliveries === null && !error && <Loading what="deliveries" />}
      {deliveries && deliveries.length === 0 && (
        <p class="empty">{sessionId ? 'No webhooks were sent for this session.' : 'No webhooks were sent yet.'}</p>
      )}
      {deliveries && deliveries.length > 0 && (
        <table class="responsive-table deliveries">
          <caption class="visually-hidden">
            {sessionId ? `Webhook deliveries of session ${sessionId}, newest first` : 'Webhook deliveries, newest first'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Event, URL</th>
              {!fixedSessionId && <th scope="col">Session</th>}
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Response</th>
              <th scope="col">Next attempt</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr key={delivery.id} data-delivery-id={delivery.id} data-session-id={delivery.sessionId}>
                <th scope="row" data-label="Event">
                  {delivery.event}
                  <span class="token-meta">
                    <Time value={delivery.createdAt} /> · <span class="delivery-url" data-testid="delivery-url">{delivery.url}</span>
                  </span>
                </th>
                {!fixedSessionId && (
                  <td data-label="Session">
                    {sessionId ? (
                      <code class="session-id">{delivery.sessionId}</code>
                    ) : (
                      <button
                        type="button"
                        class="link-button session-id"
                        title="Show this session's deliveries"
                        onClick={() => showSession(delivery.sessionId)}
                      >
                        {delivery.sessionId}
                      </button>
                    )}
                  </td>
                )}
                <td data-label="Status">
                  <span class={`badge delivery-${delivery.status}`} data-testid="delivery-status">
                    {delivery.status}
                  </span>
                </td>
                <td data-label="Attempts" data-testid="delivery-attempts">
                  {delivery.attempts}
                </td>
                <td data-label="Response" data-testid="delivery-response">
                  {delivery.lastResponseStatus ?? '—'}
                </td>
                <td data-label="Next attempt">{delivery.nextAttemptAt ? <Time value={delivery.nextAttemptAt} /> : '—'}</td>
                <td class="actions">
                  <button
                    type="button"
                    aria-label={`Redeliver ${delivery.event} for session ${delivery.sessionId}`}
                    disabled={redelivering === delivery.id}
                    onClick={() => void redeliver(delivery)}
                  >
                    {redelivering === delivery.id ? 'Redelivering…' : 'Redeliver'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasNextPage && (
        <LoadMore loading={loadingMore} onClick={() => void loadMore()} />
      )}
    </div>
  );
}

/** Sends a signed sample event to a URL now, and shows how it went (the receiver's status, or why not). */
function TestEvent({ organizationId }: { organizationId: string }) {
  const [url, setUrl] = useState('');
  const [result, setResult] = useState('');
  const { busy, error, run } = useAction();

  const send = (event: SubmitEvent) => {
    event.preventDefault();
    setResult('');
    void run(async () => {
      const { sendTestWebhook: sent } = await request(SendTestWebhook, { organizationId, url: url.trim() });
      setResult(
        sent.ok
          ? `Delivered: the receiver answered ${sent.responseStatus} in ${sent.durationMs} ms.`
          : `Not delivered (${sent.durationMs} ms): ${sent.error ?? 'no answer'}.`,
      );
    });
  };

  return (
    <form class="stack test-event" onSubmit={send}>
      <h3>Send a test event</h3>
      <p class="hint">
        A signed <code>validation.completed</code> with <code>livemode: false</code> and the session id{' '}
        <code>00000000-0000-0000-0000-000000000000</code>, sent once, now, as real deliveries are. Nothing is recorded.
      </p>
      <div class="inline-fields">
        <label>
          Receiver URL
          <input
            type="url"
            name="url"
            required
            value={url}
            onInput={(event) => setUrl((event.currentTarget as HTMLInputElement).value)}
            placeholder="https://shop.example/webhooks/bouncer"
            spellcheck={false}
            autoComplete="url"
          />
        </label>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send test event'}
          </button>
        </div>
      </div>
      <ErrorMessage message={error} />
      <p class="hint" role="status" data-testid="test-event-result">
        {result}
      </p>
    </form>
  );
}
