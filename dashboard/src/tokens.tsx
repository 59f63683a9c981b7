import { useRef, useState } from 'preact/hooks';
import { request } from './api.js';
import type { DashboardOrganizationSettingsQuery } from './graphql/graphql.js';
import { CopyOnceView } from './copy-once.js';
import { Modal } from './modal.js';
import { CreateApiToken, RevokeApiToken } from './operations.js';
import { ErrorMessage } from './error-message.js';
import { exactTime, relativeTime } from './time.js';
import { useAction } from './use-action.js';

export type ApiToken = NonNullable<DashboardOrganizationSettingsQuery['organization']>['apiTokens'][number];

const EXPIRY_CHOICES = [
  { label: 'Never', days: null },
  { label: 'In 7 days', days: 7 },
  { label: 'In 30 days', days: 30 },
  { label: 'In 90 days', days: 90 },
  { label: 'In 1 year', days: 365 },
] as const;

const ABILITY_LABELS: Record<string, string> = {
  '*': 'All abilities (*)',
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
  onChange: (tokens: ApiToken[]) => void;
};

export function ApiTokensSection({ organizationId, tokens, abilities, canManage, onChange }: Props) {
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
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
      <p class="visually-hidden" role="status">
        {status}
      </p>
      {tokens.length === 0 ? (
        <p class="empty">No API tokens yet.</p>
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
                  {token.name}
                </th>
                <td data-label="Abilities">{token.abilities.join(', ')}</td>
                <td data-label="Created">
                  <Time value={token.createdAt} />
                </td>
                <td data-label="Last used">{token.lastUsedAt ? <Time value={token.lastUsedAt} /> : 'Never'}</td>
                <td data-label="Expires">{token.expiresAt ? <Time value={token.expiresAt} /> : 'Never'}</td>
                {canManage && (
                  <td class="actions">
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

      {creating && (
        <CreateTokenModal
          organizationId={organizationId}
          abilities={abilities}
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
            setStatus(`Token ${revoking.name} revoked.`);
          }}
          onClose={() => setRevoking(null)}
          fallbackFocus={() => headingRef.current}
        />
      )}
    </section>
  );
}

function CreateTokenModal(props: {
  organizationId: string;
  abilities: string[];
  onCreated: (token: ApiToken) => void;
  onClose: () => void;
}) {
  // The plaintext lives only in this component's state: closing the modal drops it for good.
  const [plainTextToken, setPlainTextToken] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const chosen = form.getAll('abilities').map(String);
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
          abilities: chosen.includes('*') ? ['*'] : chosen,
          expiresAt: days ? new Date(Date.now() + days * 86_400_000).toISOString() : null,
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
            <legend>Abilities</legend>
            {props.abilities.map((ability) => (
              <label class="checkbox" key={ability}>
                <input type="checkbox" name="abilities" value={ability} defaultChecked={ability === '*'} />
                {ABILITY_LABELS[ability] ?? ability}
              </label>
            ))}
          </fieldset>
          <label>
            Expires
            <select name="expiry">
              {EXPIRY_CHOICES.map((choice) => (
                <option value={choice.days ?? ''} key={choice.label}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <ErrorMessage message={error} />
          <div class="buttons">
            <button type="button" onClick={props.onClose}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create'}
            </button>
          </div>
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
  const { busy, error, run } = useAction();

  const revoke = () =>
    run(
      async () => {
        await request(RevokeApiToken, { id: props.token.id });
        props.onRevoked();
        props.onClose();
      },
      { staysBusy: true },
    );

  return (
    <Modal title="Revoke API token?" onClose={props.onClose} fallbackFocus={props.fallbackFocus}>
      <div class="stack">
        <p>
          Revoke <strong>{props.token.name}</strong>? Every integration using it stops working immediately. This
          cannot be undone.
        </p>
        <ErrorMessage message={error} />
        <div class="buttons">
          <button type="button" onClick={props.onClose} autoFocus>
            Cancel
          </button>
          <button type="button" class="danger" onClick={revoke} disabled={busy}>
            {busy ? 'Revoking…' : 'Revoke token'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
