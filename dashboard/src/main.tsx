import { render, type ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf, request, whenSignedOut } from './api.js';
import type { DashboardMeQuery } from './graphql/graphql.js';
import { Me, SignOut } from './operations.js';
import { Link } from './link.js';
import { navigate, organizationOf, pathOf, useRoute, type Route } from './router.js';
import { SessionsPage } from './sessions.js';
import { signInToken, storeSignInToken } from './session.js';
import { OrganizationSettingsPage } from './settings.js';
import { ErrorMessage } from './error-message.js';
import { InvitationPage } from './invitation-page.js';
import { OrganizationNotFound } from './organization-not-found.js';
import { SignInPage, SignUpPage } from './sign-in.js';
import './styles.css';

type Viewer = NonNullable<DashboardMeQuery['me']>;

function App() {
  const route = useRoute();
  const [token, setToken] = useState(signInToken);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const signedOut = useCallback((message: string | null) => {
    storeSignInToken(null);
    setToken(null);
    setViewer(null);
    setNotice(message);
    navigate({ page: 'sign-in' }, { replace: true });
  }, []);

  useEffect(() => whenSignedOut(() => signedOut('Your session has ended. Please sign in again.')), [signedOut]);

  const loadViewer = useCallback(async () => {
    try {
      const { me } = await request(Me);
      if (me) setViewer(me);
      else signedOut(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [signedOut]);

  // Again whenever another organization is opened: the list of organizations may have changed.
  const openedOrganization = organizationOf(route);
  useEffect(() => {
    if (token) void loadViewer();
  }, [token, loadViewer, openedOrganization]);

  // An invitation link: open to whoever holds it; it asks for the sign-in it needs itself.
  if (route.page === 'invitation') {
    return (
      <InvitationPage
        token={route.token}
        signedIn={Boolean(token)}
        viewerEmail={token ? (viewer?.email ?? null) : null}
        onSignedIn={(newToken) => {
          storeSignInToken(newToken);
          setToken(newToken);
        }}
        onSignOut={switchAccount}
        onAccepted={async (organizationId) => {
          await loadViewer();
          navigate({ page: 'organization-settings', organizationId });
        }}
      />
    );
  }

  // Pages that need no sign-in; any other page asks for it first.
  if (!token) {
    if (route.page === 'sign-up') return <SignUpPage onSignedIn={signedIn} />;
    return (
      <>
        {route.page !== 'sign-in' && <Redirect to={{ page: 'sign-in' }} />}
        <SignInPage onSignedIn={signedIn} notice={notice} />
      </>
    );
  }
  if (!viewer) return error ? <ErrorMessage message={error} /> : <p role="status">Loading…</p>;

  const memberships = viewer.memberships;
  const current =
    openedOrganization === null ? undefined : memberships.find((membership) => membership.organization.id === openedOrganization);
  if (!current) {
    const first = memberships[0];
    if (openedOrganization !== null) {
      return (
        <Layout viewer={viewer} organizationId={null} onSignOut={signOut}>
          <main id="main" class="settings-page">
            <OrganizationNotFound fallback={first?.organization} />
          </main>
        </Layout>
      );
    }
    return (
      <Layout viewer={viewer} organizationId={null} onSignOut={signOut}>
        {first && <Redirect to={{ page: 'organization-settings', organizationId: first.organization.id }} />}
        <main id="main">
          <p>{first ? 'Opening your organization…' : 'You do not belong to any organization.'}</p>
        </main>
      </Layout>
    );
  }

  if (route.page === 'sessions') {
    return (
      <Layout viewer={viewer} organizationId={current.organization.id} page="sessions" onSignOut={signOut}>
        <SessionsPage organizationId={current.organization.id} sessionId={route.sessionId ?? null} viewerRole={current.role} />
      </Layout>
    );
  }

  return (
    <Layout viewer={viewer} organizationId={current.organization.id} page="settings" onSignOut={signOut}>
      <OrganizationSettingsPage
        organizationId={current.organization.id}
        viewerId={viewer.id}
        onOwnMembershipChanged={loadViewer}
        onLeft={async () => {
          await loadViewer();
          navigate({ page: 'home' }, { replace: true });
        }}
      />
    </Layout>
  );

  function signedIn(newToken: string) {
    storeSignInToken(newToken);
    setNotice(null);
    setError(null);
    setToken(newToken);
    navigate({ page: 'home' }, { replace: true });
  }

  async function revokeSignIn() {
    try {
      await request(SignOut);
    } catch {
      // Signed out here whatever the server says; the token expires on its own.
    }
  }

  async function signOut() {
    await revokeSignIn();
    signedOut('You have signed out.');
  }

  /** Signs out but stays on the page (an invitation for another email than the signed-in one). */
  async function switchAccount() {
    await revokeSignIn();
    storeSignInToken(null);
    setToken(null);
    setViewer(null);
  }
}

/** Replaces the current page with another once rendered (the browser's Back skips it). */
function Redirect({ to }: { to: Route }) {
  useEffect(() => navigate(to, { replace: true }), [pathOf(to)]);
  return null;
}

function Layout(props: {
  viewer: Viewer;
  organizationId: string | null;
  /** The organization's page shown, marked in the navigation. */
  page?: 'settings' | 'sessions';
  onSignOut: () => void;
  children: ComponentChildren;
}) {
  const { memberships } = props.viewer;
  const current = memberships.find((membership) => membership.organization.id === props.organizationId);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Bouncer</span>
        {memberships.length > 1 ? (
          <span class="org-switcher">
            <label for="organization-switcher">Organization</label>
            <select
              id="organization-switcher"
              value={props.organizationId ?? ''}
              onChange={(event) =>
                navigate({
                  // The same page of the other organization (its sessions, or its settings).
                  page: props.page === 'sessions' ? 'sessions' : 'organization-settings',
                  organizationId: (event.currentTarget as HTMLSelectElement).value,
                })
              }
            >
              {memberships.map((membership) => (
                <option value={membership.organization.id} key={membership.organization.id}>
                  {membership.organization.name}
                </option>
              ))}
            </select>
          </span>
        ) : (
          current && <span class="org-name">{current.organization.name}</span>
        )}
        <span class="spacer" />
        <span class="user" title={props.viewer.email}>
          {props.viewer.name ?? props.viewer.email}
        </span>
        <button type="button" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      {/* Below the top bar, which stays one line on a phone. */}
      {props.organizationId !== null && (
        <nav aria-label="Organization" class="org-nav">
          <Link to={{ page: 'organization-settings', organizationId: props.organizationId }} aria-current={props.page === 'settings' ? 'page' : undefined}>
            Settings
          </Link>
          <Link to={{ page: 'sessions', organizationId: props.organizationId }} aria-current={props.page === 'sessions' ? 'page' : undefined}>
            Sessions
          </Link>
        </nav>
      )}
      {props.children}
    </>
  );
}

render(<App />, document.getElementById('app')!);
