import { request } from './api.js';
import { ErrorMessage } from './error-message.js';
import { SignIn, SignUp } from './operations.js';
import { navigate } from './router.js';
import { useAction } from './use-action.js';

type Props = { onSignedIn: (token: string) => void; notice?: string | null };
/** `email` prefills the field (an invitation's email); `autoFocus` puts focus in the first empty field. */
type FormProps = { onSignedIn: (token: string) => void; email?: string; autoFocus?: boolean };

export function SignInPage({ onSignedIn, notice }: Props) {
  return (
    <main id="main" class="auth-page">
      <h1>Sign in to Bouncer</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <SignInForm onSignedIn={onSignedIn} autoFocus />
      <p>
        New to Bouncer?{' '}
        <a href="/dashboard/sign-up" onClick={(event) => (event.preventDefault(), navigate({ page: 'sign-up' }))}>
          Create an account
        </a>
      </p>
    </main>
  );
}

export function SignInForm({ onSignedIn, email, autoFocus = false }: FormProps) {
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    return run(
      async () => {
        const { signIn } = await request(SignIn, {
          input: { email: String(form.get('email')), password: String(form.get('password')) },
        });
        onSignedIn(signIn.token);
      },
      { staysBusy: true },
    );
  };

  return (
    <form onSubmit={submit} class="stack">
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required defaultValue={email} autoFocus={autoFocus && !email} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required autoFocus={autoFocus && !!email} />
        </label>
        <ErrorMessage message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
    </form>
  );
}

export function SignUpPage({ onSignedIn }: Props) {
  return (
    <main id="main" class="auth-page">
      <h1>Create your Bouncer account</h1>
      <SignUpForm onSignedIn={onSignedIn} autoFocus />
      <p>
        Already have an account?{' '}
        <a href="/dashboard/sign-in" onClick={(event) => (event.preventDefault(), navigate({ page: 'sign-in' }))}>
          Sign in
        </a>
      </p>
    </main>
  );
}

export function SignUpForm({ onSignedIn, email, autoFocus = false }: FormProps) {
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    return run(
      async () => {
        const { signUp } = await request(SignUp, {
          input: {
            name: String(form.get('name')),
            email: String(form.get('email')),
            password: String(form.get('password')),
            organizationName: String(form.get('organizationName')),
          },
        });
        onSignedIn(signUp.token);
      },
      { staysBusy: true },
    );
  };

  return (
    <form onSubmit={submit} class="stack">
        <label>
          Your name
          <input name="name" autoComplete="name" autoFocus={autoFocus} />
        </label>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required defaultValue={email} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby="password-hint"
          />
          <span class="hint" id="password-hint">
            At least 8 characters.
          </span>
        </label>
        <label>
          Organization name
          <input
            name="organizationName"
            autoComplete="organization"
            required
            aria-describedby={email ? 'organization-hint' : undefined}
          />
          {email && (
            <span class="hint" id="organization-hint">
              Every account starts with an organization of its own; the invitation adds you to the other one.
            </span>
          )}
        </label>
        <ErrorMessage message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
    </form>
  );
}
