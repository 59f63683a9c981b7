import { createHash } from 'node:crypto';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import type { EdgeHandler } from './http/front-door.js';
import { IMMUTABLE, serveStatic, StaticFile } from './http/static-file.js';
import { logger } from './logger.js';
import { GRAPHIQL_CSP } from './security/headers.js';

/**
 * GraphiQL at /graphql, offline (no CDN) and under a strict Content-Security-Policy: the page names
 * its script, style sheet, editor workers and icon as files under /graphql/assets/ (content-hashed
 * names, cacheable for a year, compressed once), instead of @graphql-yoga/render-graphiql's page with
 * 9 MB inlined. The page holds no script of its own: its options travel as a JSON data block, so
 * script-src stays 'self'. It opens on a short example of the real flow (EXAMPLE_DOCUMENT).
 */

export const GRAPHIQL_ASSETS = '/graphql/assets/';

/** What a newcomer runs first: sign up, create an API token, list the tokens. */
export const EXAMPLE_DOCUMENT = `# Bouncer's GraphQL API: the dashboard's API. Run each operation with the ▶ button.
#
# 1. SignUp creates you, your organization and a sign-in token. Put the token in the
#    Headers tab below: {"Authorization": "Bearer <token>"}
#    (Already signed up? Run signIn(input: {email, password}) { token } instead.)
# 2. CreateApiToken makes a token for your backend: set organizationId in the Variables
#    tab to the id from step 1. plainTextToken is shown this once; your backend sends it
#    to the REST API: POST /api/v2/session (see /api/v2/openapi.json).
# 3. ApiTokens lists the organization's tokens (never their secrets).

mutation SignUp {
  signUp(input: {email: "ada@example.com", password: "correct horse battery", organizationName: "Acme"}) {
    token
    user { email memberships { role organization { id name } } }
  }
}

mutation CreateApiToken($organizationId: ID!) {
  createApiToken(input: {organizationId: $organizationId, name: "Production API", abilities: ["session:create", "session:read"]}) {
    plainTextToken
    apiToken { id name abilities expiresAt }
  }
}

query ApiTokens($organizationId: ID!) {
  apiTokens(organizationId: $organizationId) { id name abilities createdAt lastUsedAt expiresAt }
}
`;

export const GRAPHIQL_OPTIONS: GraphiQLOptions = {
  title: 'Bouncer API',
  defaultTabs: [{ query: EXAMPLE_DOCUMENT, variables: JSON.stringify({ organizationId: '1' }, null, 2) }],
};

type Assets = { files: Map<string, StaticFile>; script: string; styles: string; icon: string };

const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', ico: 'image/x-icon' } as const;

function asset(files: Map<string, StaticFile>, stem: string, extension: keyof typeof TYPES, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12);
  const name = `${stem}.${hash}.${extension}`;
  files.set(name, new StaticFile(body, TYPES[extension], IMMUTABLE));
  return `${GRAPHIQL_ASSETS}${name}`;
}

async function buildAssets(): Promise<Assets> {
  // 9 MB of JavaScript: loaded when GraphiQL is first asked for, not at start-up.
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const files = new Map<string, StaticFile>();
  const workers = {
    editorWorkerService: asset(files, 'editor.worker', 'js', Buffer.from(bundle.editorWorkerService)),
    json: asset(files, 'json.worker', 'js', Buffer.from(bundle.jsonWorker)),
    graphql: asset(files, 'graphql.worker', 'js', Buffer.from(bundle.graphqlWorker)),
  };
  // The editor (Monaco) starts its workers from these same-origin files (worker-src 'self').
  const boot = `self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => (${JSON.stringify(workers)})[label] };\n`;
  const render = `;\nYogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), JSON.parse(document.getElementById('graphiql-options').textContent));\n`;
  const icon = /^data:image\/x-icon;base64,(.*)$/.exec(bundle.favicon)?.[1];
  return {
    files,
    script: asset(files, 'graphiql', 'js', Buffer.from(boot + bundle.js + render)),
    styles: asset(files, 'graphiql', 'css', Buffer.from(bundle.css)),
    icon: icon ? asset(files, 'favicon', 'ico', Buffer.from(icon, 'base64')) : bundle.favicon,
  };
}

/** JSON inside <script type="application/json">: "<" escaped so that no "</script>" ends it early. */
const dataBlock = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

export type GraphiQL = { render: (options: GraphiQLOptions) => Promise<string>; plugin: Plugin; assets: EdgeHandler };

export function graphiql(enabled: boolean): GraphiQL {
  let assets: Promise<Assets> | undefined;
  const load = () => (assets ??= buildAssets());

  return {
    async render(options) {
      const { script, styles, icon } = await load();
      return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${icon}" />
    <link rel="stylesheet" href="${styles}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${dataBlock(options)}</script>
    <script src="${script}"></script>
  </body>
</html>
`;
    },
    // The page gets GraphiQL's policy (every other answer keeps the edge's) and is revalidated on
    // every visit: it names the current build's files.
    plugin: {
      onResponse({ request, response }) {
        if (request.method === 'GET' && response.headers.get('content-type')?.startsWith('text/html')) {
          response.headers.set('content-security-policy', GRAPHIQL_CSP);
          response.headers.set('cache-control', 'no-cache');
        }
      },
    },
    assets(request, response, path) {
      if (!enabled || !path.startsWith(GRAPHIQL_ASSETS)) return false;
      void load()
        .then((loaded) => {
          const file = loaded.files.get(path.slice(GRAPHIQL_ASSETS.length));
          if (!file) return void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
          if (request.method !== 'GET' && request.method !== 'HEAD') {
            return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
          }
          return serveStatic(request, response, file);
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'could not serve a GraphiQL file');
          if (!response.headersSent) response.writeHead(500).end();
        });
      return true;
    },
  };
}
