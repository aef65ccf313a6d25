import { describe, expect, it } from 'vitest';
import {
  anonymous,
  decodeJwtPayload,
  environmentToken,
  memoryTokenStore,
  isRedivisError,
  OAuthAccessDeniedError,
  OAuthError,
  sessionStorageTokenStore,
  staticToken,
  tokenScopes,
} from '../src/index.js';

const jwt = (payload: unknown) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('simple providers', () => {
  it('staticToken returns its token and rejects an empty one', async () => {
    const provider = staticToken('abc123');
    expect(provider.kind).toBe('static');
    expect(await provider.getToken({ forceRefresh: true })).toBe('abc123');
    expect(() => staticToken('  ')).toThrow(TypeError);
  });

  it('environmentToken reads REDIVIS_API_TOKEN on each call and is anonymous without it', async () => {
    const env: Record<string, string | undefined> = {};
    const provider = environmentToken(env);
    expect(provider.kind).toBe('environment');
    expect(await provider.getToken()).toBeUndefined();
    env.REDIVIS_API_TOKEN = 'from-env';
    expect(await provider.getToken()).toBe('from-env');
    env.REDIVIS_API_TOKEN = '';
    expect(await provider.getToken()).toBeUndefined();
  });

  it('environmentToken defaults to process.env', async () => {
    const previous = process.env.REDIVIS_API_TOKEN;
    process.env.REDIVIS_API_TOKEN = 'process-token';
    try {
      expect(await environmentToken().getToken()).toBe('process-token');
    } finally {
      if (previous === undefined) delete process.env.REDIVIS_API_TOKEN;
      else process.env.REDIVIS_API_TOKEN = previous;
    }
  });

  it('anonymous sends no token', async () => {
    expect(anonymous().kind).toBe('anonymous');
    expect(await anonymous().getToken()).toBeUndefined();
  });
});

describe('token stores', () => {
  it('memoryTokenStore round-trips copies', async () => {
    const store = memoryTokenStore();
    expect(await store.get()).toBeUndefined();
    const creds = { accessToken: 'a', refreshToken: 'r', expiresAt: 10, scope: ['data.data'] };
    await store.set(creds);
    creds.accessToken = 'mutated';
    expect(await store.get()).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 10,
      scope: ['data.data'],
    });
    await store.clear();
    expect(await store.get()).toBeUndefined();
  });

  it('sessionStorageTokenStore says clearly that it needs a browser', () => {
    expect(() => sessionStorageTokenStore()).toThrow(/sessionStorage/);
  });
});

describe('JWT scopes', () => {
  it('decodes the scope claim (base64url, UTF-8) and tolerates opaque tokens', () => {
    expect(tokenScopes(jwt({ scope: 'data.data  data.edit', name: 'Zoë ✓' }))).toEqual([
      'data.data',
      'data.edit',
    ]);
    expect(decodeJwtPayload(jwt({ name: 'Zoë ✓' }))?.name).toBe('Zoë ✓');
    expect(tokenScopes(jwt({ scope: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(tokenScopes(jwt({ sub: 'x' }))).toBeUndefined();
    expect(tokenScopes('not.a.jwt!')).toBeUndefined();
    expect(tokenScopes('opaque')).toBeUndefined();
  });
});

describe('OAuth errors', () => {
  it('carry code, status and a message built from the description', () => {
    const error = new OAuthAccessDeniedError('access_denied', 'The user said no', { status: 400 });
    expect(error).toBeInstanceOf(OAuthError);
    expect(isRedivisError(error)).toBe(true);
    expect(error.name).toBe('OAuthAccessDeniedError');
    expect(error.message).toBe('[400 access_denied] The user said no');
  });
});
