/** The public endpoints and the API-key gate in front of the rest. */
import { describe, expect, it } from 'vitest';
import { stack } from './auth-test-kit';

describe('public endpoints', () => {
  it('GET /settings reports email sign-up with autoconfirm', async () => {
    const response = await fetch(`${stack.apiUrl}/auth/v1/settings`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ external: { email: true }, disable_signup: false, mailer_autoconfirm: true });
  });

  it('GET /health answers without an API key', async () => {
    const response = await fetch(`${stack.apiUrl}/auth/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'GoTrue' });
  });

  it('other endpoints need an API key, as Kong requires', async () => {
    const response = await fetch(`${stack.apiUrl}/auth/v1/user`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'No API key found in request' });
  });
});
