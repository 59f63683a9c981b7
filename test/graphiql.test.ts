import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_DOCUMENT } from '../src/graphiql.js';
import { schema } from '../src/graphql/schema.js';
import { call, useTestApp } from './support/app.js';

/** GraphiQL's page and files through the whole HTTP pipeline (the browser test: security/graphiql-csp.test.ts). */

const testApp = useTestApp();
const page = () => call(testApp.app, '/graphql', { headers: { accept: 'text/html' } });

describe('GraphiQL', () => {
  it('is a small page naming its files, with no inline script, under a policy without script hashes', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/sha256|unsafe-eval|blob:/);
    const html = await response.text();
    expect(html.length).toBeLessThan(5000);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    for (const [, attributes, body] of scripts) {
      expect(attributes!.includes('src=') ? body : attributes).toMatch(/^$|type="application\/json"/);
    }
    expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere: works offline
  });

  it('serves its files once fetched by name, cacheable for a year; unknown names are 404', async () => {
    const html = await (await page()).text();
    const files = [...html.matchAll(/(?:src|href)="(\/graphql\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(files.length).toBe(3); // script, style sheet, icon
    for (const file of files) {
      const response = await call(testApp.app, file, { headers: { 'accept-encoding': 'br' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-encoding')).toBe('br');
    }
    expect((await call(testApp.app, '/graphql/assets/nothing.js')).status).toBe(404);
  }, 60_000);

  it('opens on an example of the real flow that the schema accepts', () => {
    const document = parse(EXAMPLE_DOCUMENT);
    expect(validate(schema, document)).toEqual([]);
    const operations = document.definitions.map((definition) => ('name' in definition ? definition.name?.value : undefined));
    expect(operations).toEqual(['SignUp', 'CreateApiToken', 'ApiTokens']);
  });
});
