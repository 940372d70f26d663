import { expect } from 'chai';
import { checkEnforcement } from '../../harness/run/canary.js';
import type { PreparedTarget } from '../../harness/target/session.js';
import { e2eSettings, kindTarget, seconds } from './support.js';

/**
 * kindnet enforces NetworkPolicy by queueing packets to userspace; this machine's kernel has no
 * NFT_QUEUE, so it accepts policies and enforces none. The harness must see that, not report passes.
 */
describe('kind + kindnet on a kernel without NFT_QUEUE', () => {
  let target: PreparedTarget | undefined;
  before(async function () {
    const started = Date.now();
    try {
      target = await kindTarget('kindnet');
    } catch (e) {
      // The offline kit cannot build kindnetd (sigs.k8s.io/kindnet is not on the Go module proxy here),
      // so its node image has no default CNI: say so, do not pretend.
      console.error(`  SKIPPED: no kindnet cluster can be made here: ${(e as Error).message.split('\n')[0]}`);
      this.skip();
    }
    console.error(`  kindnet target ready in ${seconds(Date.now() - started)}`);
  });
  after(async () => target?.release());

  it('is detected as not enforcing: a default-deny does not block', async () => {
    const enforcement = await checkEnforcement(target!.session, e2eSettings());
    console.error(`  canary: ${enforcement.evidence}`);
    expect(enforcement.enforced).to.equal(false);
    expect(enforcement.evidence).to.contain('still allowed');
  });
});
