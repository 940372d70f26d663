import { expect } from 'chai';
import { boundedCall, isUnreachable } from '../../../harness/kube/bounded-call.js';

const bounds = { attempts: 3, attemptMs: 50, pauseMs: 1 };

describe('a call to the API server is bounded (a paused API server answers nothing, for ever)', () => {
  it('gives up on an attempt that never answers, and says so after its attempts', async () => {
    let calls = 0;
    const never = () => {
      calls++;
      return new Promise<never>(() => undefined);
    };
    const error = await boundedCall(never, bounds).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).to.equal(
      'no answer from the API server within 0.05 s (3 attempts, the API server could not be reached)',
    );
    expect(calls).to.equal(3);
  });

  it('sends the call again while the server cannot be reached, and returns its answer once it can', async () => {
    let calls = 0;
    const result = await boundedCall(async () => {
      if (++calls < 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
      return 'ok';
    }, bounds);
    expect([result, calls]).to.deep.equal(['ok', 3]);
  });

  it('never sends again what the server refused (403, 404, 409, 422): the answer is the answer', async () => {
    for (const code of [403, 404, 409, 422, 500]) {
      let calls = 0;
      await boundedCall(async () => {
        calls++;
        throw Object.assign(new Error(`HTTP ${code}`), { code });
      }, bounds).catch(() => undefined);
      expect(calls, `HTTP ${code}`).to.equal(1);
    }
  });

  it('counts 429 and 502 to 504 as not reached', () => {
    expect([429, 502, 503, 504, 500, 404].map((code) => isUnreachable({ code }))).to.deep.equal([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(isUnreachable(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }))).to.equal(true);
  });
});
