import { issueAccessToken, revokeAccessToken } from '../auth/access-tokens.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/passwords.js';
import { db } from '../db/client.js';
import { Prisma, type User } from '../generated/prisma/client.js';
import { builder, type Context } from './builder.js';
import { badUserInput, conflict, forbidden, unauthenticated } from './errors.js';
import { normalizeEmail, optionalText, requiredText } from './input.js';
import { asSeenByThemselves, User as UserRef } from './user.js';

/** Sign-up, sign-in and sign-out for dashboard users, and `me`. */

const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;
function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw badUserInput(
      `password must be between ${MIN_PASSWORD_LENGTH} and ${MAX_PASSWORD_LENGTH} characters.`,
      'password',
    );
  }
}

/** A dashboard sign-in is a USER token with an expiry. */
async function signInAs(user: User, context: Context) {
  const { plainTextToken } = await issueAccessToken(
    {
      kind: 'USER',
      name: 'Dashboard sign-in',
      userId: user.id,
      expiresAt: new Date(Date.now() + context.config.signInTtlMs),
    },
    context.config.tokenPrefix,
  );
  return { token: plainTextToken, user: asSeenByThemselves(user) };
}

const AuthPayload = builder.objectRef<{ token: string; user: User }>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Bearer token for the dashboard API; shown once.' }),
    user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string(),
    organizationName: t.string({ required: true }),
  }),
});

const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user; null when no token is sent.',
    resolve: async (query, _root, _args, context) => {
      if (!context.principal) return null;
      if (context.principal.type !== 'user') throw forbidden('API tokens have no user; sign in as a user.');
      return db.user.findUnique({ ...query, where: { id: context.principal.userId } });
    },
  }),
);

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description: 'Creates a user, an organization and the OWNER membership joining them, and signs in.',
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await context.limits.signUpAttempt();
      const email = normalizeEmail(input.email);
      checkPasswordStrength(input.password);
      const organizationName = requiredText(input.organizationName, 'organizationName');
      const name = optionalText(input.name, 'name');
      try {
        const user = await db.user.create({
          data: {
            email,
            name,
            passwordHash: await hashPassword(input.password),
            memberships: { create: { role: 'OWNER', organization: { create: { name: organizationName } } } },
          },
        });
        return await signInAs(user, context);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw conflict('An account with this email already exists.');
        }
        throw error;
      }
    },
  }),

  signIn: t.field({
    type: AuthPayload,
    description: 'Exchanges email and password for a bearer token.',
    args: { input: t.arg({ type: SignInInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const email = input.email.trim().toLowerCase();
      // Counted before the password is checked, for known and unknown emails alike.
      await context.limits.signInAttempt(email);
      const user = await db.user.findUnique({ where: { email } });
      // Unknown emails cost a verification too, so the answer's timing does not reveal which exist.
      const valid = user
        ? await verifyPassword(user.passwordHash, input.password)
        : await verifyAgainstDummy(input.password);
      if (!user || !valid) throw unauthenticated('Invalid email or password.');
      await context.limits.signInSucceeded(email);
      return signInAs(user, context);
    },
  }),
}));

builder.mutationField('signOut', (t) =>
  t.withAuth({ user: true }).boolean({
    description: 'Revokes the token this request was made with.',
    resolve: async (_root, _args, context) => {
      await revokeAccessToken(context.principal.tokenId);
      return true;
    },
  }),
);
