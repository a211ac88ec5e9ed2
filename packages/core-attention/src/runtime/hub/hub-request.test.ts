import { describe, expect, it } from 'vitest';
import { hubRequest, startDeadline, type HubConnection } from './hub-request.js';

interface Sent {
  url: string;
  authorization: string | null;
}

/** A fake fetch answering from a table of url -> [status, headers], recording what was sent. */
function fakeFetch(
  answers: Record<string, [number, Record<string, string>]>,
  sent: Sent[],
): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    sent.push({ url, authorization: new Headers(init?.headers).get('authorization') });
    const [status, headers] = answers[url] ?? [404, {}];
    return new Response(null, { status, headers });
  };
}

function connection(
  fetchFunction: typeof fetch,
  token: string | undefined = 'hf_secret',
): HubConnection {
  return {
    target: {
      repoId: 'org/m',
      path: 'model.onnx',
      revision: 'main',
      endpoint: 'https://hub.test',
      hasToken: token !== undefined,
    },
    fetch: fetchFunction,
    token,
    signal: undefined,
    timeoutMs: 1000,
  };
}

describe('hubRequest', () => {
  it('follows relative and absolute redirects, sending the token only to the hub origin', async () => {
    const sent: Sent[] = [];
    const fetch = fakeFetch(
      {
        'https://hub.test/org/m/resolve/main/model.onnx': [
          307,
          { Location: '/org/renamed/resolve/main/model.onnx' },
        ],
        'https://hub.test/org/renamed/resolve/main/model.onnx': [
          302,
          { Location: 'https://cdn.test/blob/abc' },
        ],
        'https://cdn.test/blob/abc': [200, {}],
      },
      sent,
    );
    const deadline = startDeadline(1000, undefined);
    const { response, url } = await hubRequest(
      connection(fetch),
      deadline,
      'https://hub.test/org/m/resolve/main/model.onnx',
      'GET',
    );
    deadline.clear();
    expect(response.status).toBe(200);
    expect(url.href).toBe('https://cdn.test/blob/abc');
    expect(sent).toEqual([
      { url: 'https://hub.test/org/m/resolve/main/model.onnx', authorization: 'Bearer hf_secret' },
      {
        url: 'https://hub.test/org/renamed/resolve/main/model.onnx',
        authorization: 'Bearer hf_secret',
      },
      { url: 'https://cdn.test/blob/abc', authorization: null },
    ]);
  });

  it('stops at a redirect that stopAt accepts', async () => {
    const sent: Sent[] = [];
    const fetch = fakeFetch(
      { 'https://hub.test/a': [302, { Location: 'https://cdn.test/b', 'X-Repo-Commit': 'c' }] },
      sent,
    );
    const deadline = startDeadline(1000, undefined);
    const { response } = await hubRequest(
      connection(fetch),
      deadline,
      'https://hub.test/a',
      'HEAD',
      {},
      (answer) => answer.headers.has('x-repo-commit'),
    );
    deadline.clear();
    expect(response.status).toBe(302);
    expect(sent).toHaveLength(1);
  });

  it('gives up on a redirect loop with NETWORK', async () => {
    const fetch = fakeFetch({ 'https://hub.test/loop': [302, { Location: '/loop' }] }, []);
    const deadline = startDeadline(1000, undefined);
    await expect(
      hubRequest(connection(fetch), deadline, 'https://hub.test/loop', 'GET'),
    ).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('more than 10 redirects'),
    });
    deadline.clear();
  });

  it('tells a timeout (NETWORK) from the caller aborting (ABORTED)', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        ),
      );
    const timeout = startDeadline(20, undefined);
    await expect(
      hubRequest(connection(hanging), timeout, 'https://hub.test/x', 'GET'),
    ).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('could not reach https://hub.test'),
    });
    const controller = new AbortController();
    const caller = { ...connection(hanging), signal: controller.signal };
    const deadline = startDeadline(10_000, controller.signal);
    const pending = hubRequest(caller, deadline, 'https://hub.test/x', 'GET');
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    deadline.clear();
  });
});
