import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, request } from './api.js';
import { ErrorMessage } from './error-message.js';
import type { DashboardInvitationPreviewQuery } from './graphql/graphql.js';
import { AcceptInvitation, DeclineInvitation, InvitationPreview } from './operations.js';
import { ROLE_NAMES } from './roles.js';
import { SignInForm, SignUpForm } from './sign-in.js';
import { exactTime, relativeTime } from './time.js';
import { useAction } from './use-action.js';

type Preview = DashboardInvitationPreviewQuery['invitation'];

type Props = {
  /** The link's secret, from /dashboard/invitations/<token>. */
  token: string;
  /** Whether a sign-in token is held, and whose email it is (null while loading). */
  signedIn: boolean;
  viewerEmail: string | null;
  onSignedIn: (signInToken: string) => void;
  onSignOut: () => void;
  onAccepted: (organizationId: string) => void;
};

const INVALID_LINK =
  'This invitation link does not work: it may be mistyped, expired (links last 7 days), already used, or withdrawn. Ask the person who invited you for a new one.';

/**
 * The page an invitation link opens: what it offers (anyone holding the link may see that), then
 * sign in or sign up with the invited email, then Accept or Decline.
 */
export function InvitationPage({ token, signedIn, viewerEmail, onSignedIn, onSignOut, onAccepted }: Props) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [declined, setDeclined] = useState(false);
  const [hasAccount, setHasAccount] = useState(true);
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    let current = true;
    request(InvitationPreview, { token })
      .then((data) => current && setPreview(data.invitation))
      .catch(
        (caught) => current && setLoadError(caught instanceof ApiError && caught.code === 'NOT_FOUND' ? INVALID_LINK : messageOf(caught)),
      );
    return () => {
      current = false;
    };
  }, [token]);

  const answer = (accepting: boolean) =>
    run(
      async () => {
        try {
          if (accepting) {
            const { acceptInvitation } = await request(AcceptInvitation, { token });
            onAccepted(acceptInvitation.organization.id);
          } else {
            await request(DeclineInvitation, { token });
            setDeclined(true);
          }
        } catch (caught) {
          if (caught instanceof ApiError && caught.code === 'NOT_FOUND') throw new ApiError(INVALID_LINK, caught.code);
          throw caught;
        }
      },
      { staysBusy: accepting },
    );

  const emailMatches = viewerEmail !== null && preview !== null && viewerEmail.toLowerCase() === preview.email;

  return (
    <main id="main" class="auth-page invitation-page">
      <h1>{preview ? `Join ${preview.organizationName} on Bouncer` : 'Invitation to Bouncer'}</h1>
      {!preview && !loadError && <p role="status">Loading the invitation…</p>}
      <ErrorMessage message={loadError} />
      {preview && declined && (
        <p class="notice" role="status">
          You declined the invitation to {preview.organizationName}. The link no longer works.
        </p>
      )}
      {preview && !declined && (
        <>
          <p data-testid="invitation-summary">
            {preview.inviterName ?? 'Someone'} invited <strong>{preview.email}</strong> to join{' '}
            <strong>{preview.organizationName}</strong> as {ROLE_NAMES[preview.role]}.
          </p>
          <p class="hint">
            The invitation expires{' '}
            <time dateTime={preview.expiresAt} title={exactTime(new Date(preview.expiresAt))}>
              {relativeTime(new Date(preview.expiresAt))}
            </time>
            .
          </p>

          {!signedIn && (
            <section aria-labelledby="invitation-account-heading" class="stack">
              <h2 id="invitation-account-heading">
                {hasAccount ? `Sign in as ${preview.email}` : `Create an account for ${preview.email}`}
              </h2>
              {hasAccount ? (
                <SignInForm key="sign-in" onSignedIn={onSignedIn} email={preview.email} />
              ) : (
                <SignUpForm key="sign-up" onSignedIn={onSignedIn} email={preview.email} />
              )}
              <p>
                {hasAccount ? 'New to Bouncer? ' : 'Already have an account? '}
                <button type="button" class="link-button" onClick={() => setHasAccount(!hasAccount)}>
                  {hasAccount ? 'Create an account' : 'Sign in instead'}
                </button>
              </p>
            </section>
          )}
          {signedIn && viewerEmail === null && <p role="status">Loading your account…</p>}
          {signedIn && viewerEmail !== null && !emailMatches && (
            <div class="stack">
              <p class="warning" role="status">
                You are signed in as <strong>{viewerEmail}</strong>, but this invitation is for{' '}
                <strong>{preview.email}</strong>. Sign in with that email to accept or decline it.
              </p>
              <div class="buttons">
                <button type="button" onClick={() => (setError(null), onSignOut())}>
                  Sign out and switch account
                </button>
              </div>
            </div>
          )}

          <ErrorMessage message={error} />
          {emailMatches && (
            <div class="buttons">
              <button type="button" onClick={() => answer(false)} disabled={busy}>
                Decline
              </button>
              <button type="button" class="primary" onClick={() => answer(true)} disabled={busy}>
                {busy ? 'Joining…' : `Accept and join ${preview.organizationName}`}
              </button>
            </div>
          )}
        </>
      )}
    </main>
  );
}
