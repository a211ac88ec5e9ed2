import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHubCacheDir, hubEnvironment, resolveHubOptions } from './hub-options.js';

describe('hub options from the environment', () => {
  it('finds the cache folder in huggingface_hub order', () => {
    expect(defaultHubCacheDir({})).toBe(join(homedir(), '.cache', 'huggingface', 'hub'));
    expect(defaultHubCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/huggingface/hub');
    expect(defaultHubCacheDir({ XDG_CACHE_HOME: '/xdg', HF_HOME: '/hf' })).toBe('/hf/hub');
    expect(defaultHubCacheDir({ HF_HOME: '/hf', HUGGINGFACE_HUB_CACHE: '/legacy' })).toBe(
      '/legacy',
    );
    expect(defaultHubCacheDir({ HUGGINGFACE_HUB_CACHE: '/legacy', HF_HUB_CACHE: '/cache' })).toBe(
      '/cache',
    );
    expect(defaultHubCacheDir({ HF_HUB_CACHE: '', HF_HOME: '/hf' })).toBe('/hf/hub');
  });

  it('reads the endpoint, the token and offline mode', () => {
    expect(hubEnvironment({ HF_HOME: '/hf' })).toEqual({
      cacheDir: '/hf/hub',
      endpoint: 'https://huggingface.co',
      token: undefined,
      offline: false,
    });
    const environment = hubEnvironment({
      HF_ENDPOINT: 'https://hub.example',
      HF_TOKEN: 'hf_x',
      HF_HUB_OFFLINE: 'TRUE',
    });
    expect(environment).toMatchObject({
      endpoint: 'https://hub.example',
      token: 'hf_x',
      offline: true,
    });
    for (const value of ['1', 'yes', 'On'])
      expect(hubEnvironment({ HF_HUB_OFFLINE: value }).offline, value).toBe(true);
    for (const value of ['0', 'false', ''])
      expect(hubEnvironment({ HF_HUB_OFFLINE: value }).offline, value).toBe(false);
  });

  it('lets options override the environment, and an empty token send none', () => {
    const env = { HF_TOKEN: 'hf_env', HF_HUB_OFFLINE: '1', HF_ENDPOINT: 'https://env.example' };
    expect(resolveHubOptions('hubFile', {}, env)).toMatchObject({
      token: 'hf_env',
      offline: true,
      revision: 'main',
    });
    const resolved = resolveHubOptions(
      'hubFile',
      { token: '', offline: false, endpoint: 'http://127.0.0.1:9/', revision: 'v1' },
      env,
    );
    expect(resolved).toMatchObject({
      token: undefined,
      offline: false,
      endpoint: 'http://127.0.0.1:9',
      revision: 'v1',
      timeoutMs: 10_000,
    });
  });

  it('refuses an endpoint that is not an http(s) URL and a timeout that is not positive', () => {
    expect(() => resolveHubOptions('hubFile', { endpoint: 'huggingface.co' }, {})).toThrow(
      "hubFile(): endpoint must be an http(s) URL such as https://huggingface.co, got 'huggingface.co'",
    );
    expect(() => resolveHubOptions('hubFile', { timeoutMs: 0 }, {})).toThrow(
      'hubFile(): timeoutMs must be a positive number, got 0',
    );
  });
});
