import { describe, expect, it } from 'vitest';
import { call, useTestApp } from './support/app.js';

/** The operator's and newcomer's first requests, through the whole HTTP pipeline (no port). */

const testApp = useTestApp();

describe('the front door', () => {
  it('sends / to the dashboard, for GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD']) {
      const response = await call(testApp.app, '/', { method });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/dashboard');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers /health and /ready with small JSON bodies', async () => {
    const health = await call(testApp.app, '/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await call(testApp.app, '/ready');
    expect(ready.status).toBe(200);
    expect(ready.headers.get('content-type')).toMatch(/^application\/json/);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
