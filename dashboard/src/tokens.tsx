import { useRef, useState } from 'preact/hooks';
import { request } from './api.js';
import type { DashboardOrganizationSettingsQuery } from './graphql/graphql.js';
import { CopyOnceView } from './copy-once.js';
import { ConfirmModal } from './confirm-modal.js';
import { Modal, ModalFormButtons } from './modal.js';
import { CreateApiToken, RevokeApiToken, RollApiToken, UpdateApiToken, UpdateTokenPolicy } from './operations.js';
import { TokenUsageChart } from './token-usage-chart.js';
import { ErrorMessage } from './error-message.js';
import { exactTime, relativeTime } from './time.js';
import { useAction } from './use-action.js';

export type ApiToken = NonNullable<DashboardOrganizationSettingsQuery['organization']>['apiTokens'][number];
type TokenPolicy = { maxLifetimeDays: number | null };

const DAY_MS = 86_400_000;
/** Tokens expiring sooner than this are marked in the list. */
const EXPIRING_SOON_MS = 7 * DAY_MS;

const ROLL_OVERLAPS = [
  { label: 'Now (the old token stops at once)', seconds: 0 },
  { label: 'In 1 hour', seconds: 3600 },
  { label: 'In 1 day', seconds: 86_400 },
  { label: 'In 7 days', seconds: 604_800 },
] as const;

/** "All abilities" for `*`, the names otherwise. */
export function describeAbilities(abilities: readonly string[]): string {
  return abilities.includes('*') ? 'All abilities' : abilities.join(', ');
}

/** One address or CIDR per line (or comma-separated); nothing typed: null (anywhere). */
function parseAllowedIpsField(text: string): string[] | null {
  const entries = text.split(/[\s,]+/).map((entry) => entry.trim()).filter(Boolean);
  return entries.length === 0 ? null : entries;
}

const EXPIRY_CHOICES = [
  { label: 'In 7 days', days: 7 },
  { label: 'In 30 days', days: 30 },
  { label: 'In 90 days (recommended)', days: 90 },
  { label: 'In 1 year', days: 365 },
  { label: 'Never', days: null },
] as const;

const ABILITY_LABELS: Record<string, string> = {
  '*': 'All abilities',
  'session:create': 'Create verification sessions (session:create)',
  'session:read': 'Read verification sessions (session:read)',
};

function Time({ value }: { value: string }) {
  const date = new Date(value);
  return (
    <time dateTime={value} title={exactTime(date)}>
      {relativeTime(date)}
    </time>
  );
}

type Props = {
  organizationId: string;
  tokens: ApiToken[];
  abilities: string[];
  canManage: boolean;
  isOwner: boolean;
  policy: TokenPolicy;
  onChange: (tokens: ApiToken[]) => void;
  onPolicyChange: (policy: TokenPolicy) => void;
};

export function ApiTokensSection(props: Props) {
  const { organizationId, tokens, abilities, canManage, onChange } = props;
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [rolling, setRolling] = useState<ApiToken | null>(null);
  const [editing, setEditing] = useState<ApiToken | null>(null);
  const [revokedAny, setRevokedAny] = useState(false);
  const [status, setStatus] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);

  return (
    <section aria-labelledby="api-tokens-heading" class="card">
      <div class="section-header">
        <h2 id="api-tokens-heading" tabIndex={-1} ref={headingRef}>
          API Tokens
        </h2>
        {canManage && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            Create Token
          </button>
        )}
      </div>
      <p class="hint">
        Integrations use these tokens to call the Bouncer API.
        {!canManage && ' Only owners and admins can create or revoke tokens.'}
      </p>
      <p class="hint" role="status" data-testid="tokens-status">
        {status}
      </p>
      {tokens.length === 0 ? (
        <p class="empty">{revokedAny ? 'No active API tokens: every token was revoked.' : 'No API tokens yet.'}</p>
      ) : (
        <table class="responsive-table">
          <caption class="visually-hidden">API tokens of this organization</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Abilities</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">Requests, 30 days</th>
              {canManage && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} data-token-id={token.id}>
                <th scope="row" data-label="Name">
                  {token.name}{' '}
                  <span class={`badge mode-${token.mode.toLowerCase()}`} data-testid="token-mode">
                    {token.mode}
                  </span>
                  <span class="token-meta">
                    ID {token.id} · <span data-testid="token-hint">…{token.hint}</span>
                    {token.allowedIps && ` · only from ${token.allowedIps.join(', ')}`}
                  </span>
                </th>
                <td data-label="Abilities">{describeAbilities(token.abilities)}</td>
                <td data-label="Created">
                  <Time value={token.createdAt} />
                </td>
                <td data-label="Last used">
                  {token.lastUsedAt ? (
                    <>
                      <Time value={token.lastUsedAt} />
                      {token.lastUsedIp && <span class="token-meta">from {token.lastUsedIp}</span>}
                    </>
                  ) : (
                    'Never'
                  )}
                </td>
                <td data-label="Expires" data-testid="token-expiry">
                  <Expiry token={token} />
                </td>
                <td data-label="Requests, 30 days">
                  <TokenUsageChart usage={token.usage} />
                </td>
                {canManage && (
                  <td class="actions">
                    <button type="button" aria-label={`Edit ${token.name}`} onClick={() => setEditing(token)}>
                      Edit
                    </button>
                    {!token.replacedBy && (
                      <button type="button" aria-label={`Roll ${token.name}`} onClick={() => setRolling(token)}>
                        Roll
                      </button>
                    )}
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => setRevoking(token)}
                    >
                      Revoke
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <TokenPolicySection
        organizationId={organizationId}
        policy={props.policy}
        isOwner={props.isOwner}
        onChange={(policy) => {
          props.onPolicyChange(policy);
          setStatus(policy.maxLifetimeDays ? `New tokens must now expire within ${policy.maxLifetimeDays} days.` : 'Token lifetime is no longer limited.');
        }}
      />

      {creating && (
        <CreateTokenModal
          organizationId={organizationId}
          abilities={abilities}
          maxLifetimeDays={props.policy.maxLifetimeDays ?? null}
          onCreated={(token) => {
            onChange([token, ...tokens]);
            setStatus(`Token ${token.name} created.`);
          }}
          onClose={() => setCreating(false)}
        />
      )}
      {revoking && (
        <RevokeTokenModal
          token={revoking}
          onRevoked={() => {
            onChange(tokens.filter((token) => token.id !== revoking.id));
            setRevokedAny(true);
            setStatus(`Token ${revoking.name} (…${revoking.hint}) revoked: it no longer works.`);
          }}
          onClose={() => setRevoking(null)}
          fallbackFocus={() => headingRef.current}
        />
      )}
      {rolling && (
        <RollTokenModal
          token={rolling}
          onRolled={(successor, oldExpiresAt) => {
            onChange([
              successor,
              ...tokens.map((token) =>
                token.id === rolling.id
                  ? { ...token, expiresAt: oldExpiresAt, replacedBy: { id: successor.id, name: successor.name } }
                  : token,
              ),
            ]);
            setStatus(`Token ${rolling.name} rolled.`);
          }}
          onClose={() => setRolling(null)}
          fallbackFocus={() => headingRef.current}
        />
      )}
      {editing && (
        <EditTokenModal
          token={editing}
          onSaved={(changed) => {
            onChange(tokens.map((token) => (token.id === changed.id ? { ...token, ...changed } : token)));
            setStatus(`Token ${changed.name} saved.`);
          }}
          onClose={() => setEditing(null)}
          fallbackFocus={() => headingRef.current}
        />
      )}
    </section>
  );
}

function CreateTokenModal(props: {
  organizationId: string;
  abilities: string[];
  maxLifetimeDays: number | null;
  onCreated: (token: ApiToken) => void;
  onClose: () => void;
}) {
  // The plaintext lives only in this component's state: closing the modal drops it for good.
  const [plainTextToken, setPlainTextToken] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const [allAbilities, setAllAbilities] = useState(true);
  const max = props.maxLifetimeDays;
  const expiryChoices: { label: string; days: number | null }[] = EXPIRY_CHOICES.filter(
    (choice) => max === null || (choice.days !== null && choice.days <= max),
  );
  if (max !== null && !expiryChoices.some((choice) => choice.days === max)) {
    expiryChoices.push({ label: `In ${max} days (the policy's longest)`, days: max });
  }
  const defaultExpiry = expiryChoices.some((choice) => choice.days === 90) ? '90' : String(expiryChoices[0]?.days ?? '');
  const [expiry, setExpiry] = useState(defaultExpiry);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const chosen = allAbilities ? ['*'] : form.getAll('abilities').map(String);
    const days = Number(form.get('expiry')) || null;
    if (chosen.length === 0) {
      setError('Choose at least one ability.');
      return;
    }
    await run(async () => {
      const { createApiToken } = await request(CreateApiToken, {
        input: {
          organizationId: props.organizationId,
          name: String(form.get('name')),
          abilities: chosen,
          mode: form.get('mode') === 'TEST' ? 'TEST' : 'LIVE',
          allowedIps: parseAllowedIpsField(String(form.get('allowedIps') ?? '')),
          expiresAt: days ? new Date(Date.now() + days * DAY_MS).toISOString() : null,
        },
      });
      props.onCreated(createApiToken.apiToken);
      setPlainTextToken(createApiToken.plainTextToken);
    });
  };

  return (
    <Modal title={plainTextToken ? 'Copy your new API token' : 'Create API token'} onClose={props.onClose}>
      {plainTextToken ? (
        <NewTokenView token={plainTextToken} onDone={props.onClose} />
      ) : (
        <form onSubmit={submit} class="stack">
          <label>
            Token name
            <input name="name" required maxLength={255} placeholder="Production API" autoFocus />
          </label>
          <fieldset>
            <legend>Mode</legend>
            <label class="checkbox">
              <input type="radio" name="mode" value="LIVE" defaultChecked /> Live: creates real verification sessions
            </label>
            <label class="checkbox">
              <input type="radio" name="mode" value="TEST" /> Test: creates test sessions you complete yourself
            </label>
          </fieldset>
          <fieldset>
            <legend>Abilities</legend>
            {/* "All" and single abilities exclude each other: ticking one clears the other. */}
            <label class="checkbox">
              <input type="checkbox" checked={allAbilities} onChange={(event) => setAllAbilities(event.currentTarget.checked)} />
              {ABILITY_LABELS['*']}
            </label>
            {props.abilities
              .filter((ability) => ability !== '*')
              .map((ability) => (
                <label class="checkbox" key={ability}>
                  <input
                    type="checkbox"
                    name="abilities"
                    value={ability}
                    disabled={allAbilities}
                    checked={allAbilities ? false : undefined}
                  />
                  {ABILITY_LABELS[ability] ?? ability}
                </label>
              ))}
          </fieldset>
          <label>
            Allowed IP addresses (optional)
            <textarea name="allowedIps" rows={2} placeholder="203.0.113.0/24, 2001:db8::/32" />
            <span class="hint">One address or CIDR range per line. Empty: the token works from anywhere.</span>
          </label>
          <label>
            Expires
            <select name="expiry" value={expiry} onChange={(event) => setExpiry(event.currentTarget.value)}>
              {expiryChoices.map((choice) => (
                <option value={choice.days ?? ''} key={choice.label}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          {props.maxLifetimeDays !== null && (
            <p class="hint">Your organization's policy: tokens expire within {props.maxLifetimeDays} days.</p>
          )}
          {expiry === '' && (
            <p class="warning" data-testid="never-expires-warning">
              A token that never expires keeps working wherever it leaks until someone revokes it. Prefer an expiry and
              roll the token before it ends.
            </p>
          )}
          <ErrorMessage message={error} />
          <ModalFormButtons onCancel={props.onClose} busy={busy} label="Create" busyLabel="Creating…" />
        </form>
      )}
    </Modal>
  );
}

function NewTokenView({ token, onDone }: { token: string; onDone: () => void }) {
  return (
    <CopyOnceView
      value={token}
      label="Your new API token"
      warning={
        <>
          <strong>This token is shown only once.</strong> Copy it now and keep it somewhere safe: it cannot be shown
          again. If you lose it, revoke it and create a new one.
        </>
      }
      onDone={onDone}
    />
  );
}

function RevokeTokenModal(props: {
  token: ApiToken;
  onRevoked: () => void;
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  return (
    <ConfirmModal
      title="Revoke API token?"
      confirmLabel="Revoke token"
      busyLabel="Revoking…"
      onConfirm={async () => {
        await request(RevokeApiToken, { id: props.token.id });
        props.onRevoked();
      }}
      onClose={props.onClose}
      fallbackFocus={props.fallbackFocus}
    >
      Revoke <strong>{props.token.name}</strong>? Every integration using it stops working immediately. This
      cannot be undone.
    </ConfirmModal>
  );
}

/** When a token stops working: marked when within 7 days, and "replaced by …" once rolled. */
function Expiry({ token }: { token: ApiToken }) {
  if (!token.expiresAt) return <>Never</>;
  const soon = new Date(token.expiresAt).getTime() - Date.now() < EXPIRING_SOON_MS;
  return (
    <>
      <Time value={token.expiresAt} />
      {soon && <span class="badge expiring">Expires soon</span>}
      {token.replacedBy && (
        <span class="token-meta">
          replaced by {token.replacedBy.name} (ID {token.replacedBy.id})
        </span>
      )}
    </>
  );
}

function RollTokenModal(props: {
  token: ApiToken;
  onRolled: (successor: ApiToken, oldExpiresAt: string) => void;
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const [plainTextToken, setPlainTextToken] = useState<string | null>(null);
  const [oldExpiresAt, setOldExpiresAt] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const seconds = Number(new FormData(event.currentTarget as HTMLFormElement).get('overlap'));
    return run(async () => {
      const { rollApiToken } = await request(RollApiToken, { id: props.token.id, expiresInSeconds: seconds });
      const overlapEnd = new Date(Date.now() + seconds * 1000);
      const previous = props.token.expiresAt ? new Date(props.token.expiresAt) : null;
      const ends = (previous && previous < overlapEnd ? previous : overlapEnd).toISOString();
      props.onRolled(rollApiToken.apiToken, ends);
      setOldExpiresAt(ends);
      setPlainTextToken(rollApiToken.plainTextToken);
    });
  };

  return (
    <Modal
      title={plainTextToken ? 'Copy your new API token' : `Roll ${props.token.name}?`}
      onClose={props.onClose}
      fallbackFocus={props.fallbackFocus}
    >
      {plainTextToken ? (
        <div class="stack">
          <p data-testid="roll-old-token">
            The old token (…{props.token.hint}) {oldExpiresAt && new Date(oldExpiresAt) > new Date() ? (
              <>
                expires <Time value={oldExpiresAt} />, replaced by the new one (…{plainTextToken.slice(-4)}).
              </>
            ) : (
              <>no longer works; the new one (…{plainTextToken.slice(-4)}) replaces it.</>
            )}
          </p>
          <NewTokenView token={plainTextToken} onDone={props.onClose} />
        </div>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>
            A new token with the same name, abilities, mode and allowed IPs replaces <strong>{props.token.name}</strong>{' '}
            (…{props.token.hint}). Deploy the new token, then let the old one expire.
          </p>
          <label>
            The old token stops working
            <select name="overlap" defaultValue="86400">
              {ROLL_OVERLAPS.map((choice) => (
                <option value={choice.seconds} key={choice.seconds}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <ErrorMessage message={error} />
          <ModalFormButtons onCancel={props.onClose} busy={busy} label="Roll token" busyLabel="Rolling…" />
        </form>
      )}
    </Modal>
  );
}

function EditTokenModal(props: {
  token: ApiToken;
  onSaved: (token: { id: string; name: string; allowedIps?: string[] | null }) => void;
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    return run(
      async () => {
        const { updateApiToken } = await request(UpdateApiToken, {
          input: {
            id: props.token.id,
            name: String(form.get('name')),
            allowedIps: parseAllowedIpsField(String(form.get('allowedIps') ?? '')),
          },
        });
        props.onSaved(updateApiToken);
        props.onClose();
      },
      { staysBusy: true },
    );
  };

  return (
    <Modal title={`Edit ${props.token.name}`} onClose={props.onClose} fallbackFocus={props.fallbackFocus}>
      <form onSubmit={submit} class="stack">
        <label>
          Token name
          <input name="name" required maxLength={255} defaultValue={props.token.name} autoFocus />
        </label>
        <label>
          Allowed IP addresses
          <textarea name="allowedIps" rows={3} defaultValue={(props.token.allowedIps ?? []).join('\n')} />
          <span class="hint">One address or CIDR range per line. Empty: the token works from anywhere.</span>
        </label>
        <ErrorMessage message={error} />
        <ModalFormButtons onCancel={props.onClose} busy={busy} label="Save" busyLabel="Saving…" />
      </form>
    </Modal>
  );
}

/** The organization's token policy: everyone sees it, OWNERs change it. */
function TokenPolicySection(props: {
  organizationId: string;
  policy: TokenPolicy;
  isOwner: boolean;
  onChange: (policy: TokenPolicy) => void;
}) {
  const { busy, error, run } = useAction();
  const current = props.policy.maxLifetimeDays ?? null;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget as HTMLFormElement).get('maxLifetimeDays') ?? '').trim();
    return run(async () => {
      const { updateTokenPolicy } = await request(UpdateTokenPolicy, {
        organizationId: props.organizationId,
        maxLifetimeDays: text === '' ? null : Number(text),
      });
      props.onChange(updateTokenPolicy);
    });
  };

  return (
    <div class="stack token-policy">
      <h3>Token policy</h3>
      <p data-testid="token-policy">
        {current === null ? 'New tokens may live forever.' : `New tokens must expire within ${current} days.`}
      </p>
      {props.isOwner && (
        <form onSubmit={submit} class="stack">
          <label>
            Longest token lifetime in days (empty: no limit)
            <input name="maxLifetimeDays" type="number" min={1} max={3650} defaultValue={current === null ? '' : String(current)} />
          </label>
          <ErrorMessage message={error} />
          <div class="buttons">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save policy'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
