/**
 * Sign-in-with-x instead of paying twice (`@x402/extensions` sign-in-with-x; official servers
 * register `createSIWxResourceServerExtension`, which grants access to an address that paid the
 * resource before).
 *
 * When a 402 offers sign-in and the ledger shows that the active account paid this resource
 * (same origin and path, settled) the wallet signs in instead of paying: the challenge is checked
 * (lib/siwx/challenge.ts: domain and uri bound to the URL the browser saw, times, replay, chain),
 * the EIP-4361 message is shown in full in an approval — unless the user ticked "remember" for
 * this site — and signed with EIP-191 by the active account. The request is retried once with
 * `SIGN-IN-WITH-X`. A challenge the wallet refuses is noted with its reason in the activity list
 * and the 402 goes on as an ordinary payment request (policy and approval as usual). Nothing is
 * signed for a challenge that failed a check, and each nonce is signed at most once.
 */
import type { SIWxPayload } from '@x402/extensions/sign-in-with-x';
import { encodeBase64Utf8 } from '../x402/base64';
import { formatTokenAmount } from '../x402';
import type { PaymentRequiredNormalized } from '../x402';
import { SIGN_IN_WITH_X, SIWX_HEADER, checkChallenge, type CheckedChallenge } from '../siwx/challenge';
import { siwxStore, type SiwxStore } from '../siwx/store';
import type { ManagedPolicy } from '../policy/managed';
import { ownersOf } from './balances';
import type { PayAnswer, PayRequest, PaymentDeps } from './payments';

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Same origin and path (the server's SIWX storage keys payments by path). */
function sameResource(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

export class SignIns {
  constructor(
    private deps: PaymentDeps,
    readonly store: SiwxStore = siwxStore,
  ) {}

  /**
   * A sign-in answer for this 402, or undefined: go on with the payment flow (no offer, never paid
   * here, locked, a refused challenge, agent mode without "remember").
   */
  async maybeSignIn(req: PayRequest, pr: PaymentRequiredNormalized, managed: ManagedPolicy | null): Promise<PayAnswer | undefined> {
    if (!pr.extensions || !(SIGN_IN_WITH_X in pr.extensions)) return undefined;
    const { custody, ledger, settings, approvals } = this.deps;
    const status = await custody.status();
    const address = ownersOf(status).evm;
    if (!status.unlocked || !address) return undefined;
    const asked = originOf(req.url);
    if (!asked) return undefined;
    // the resource the browser requested (the 402's own resource.url is the server's word)
    const paid = (await ledger.list({ site: req.site, status: 'settled', limit: 1000 })).find(
      (r) => sameResource(r.resourceUrl, req.url) && !!r.payer && r.payer.toLowerCase() === address.toLowerCase() && r.network.startsWith('eip155:'),
    );
    if (!paid) return undefined;
    const registry = await settings.registry();
    const check = () =>
      checkChallenge({
        extensions: pr.extensions,
        observedUrl: req.url,
        address,
        knownChain: (n) => registry.assets().some((a) => a.rail === 'evm' && a.network === n),
        preferChain: paid.network,
        usedNonce: (n) => this.store.usedNonce(asked, n),
      });
    let checked = await check();
    if (!checked.ok) {
      await settings.notify(`Did not sign in to ${asked}: ${checked.reason}. Treated as a new payment request.`, 'warning', false);
      return undefined;
    }
    const remembered = await this.store.remember(req.site);
    if (!remembered) {
      if (managed?.agentMode) return undefined;
      const outcome = await approvals.request({
        site: req.site,
        requestOrigin: asked,
        resourceUrl: req.url,
        ...(pr.resource.description ? { description: pr.resource.description } : {}),
        method: req.method,
        kind: req.kind,
        x402Version: pr.version,
        options: [],
        rejected: [],
        selectedIndex: 0,
        signIn: {
          message: checked.value.message,
          origin: checked.value.origin,
          address,
          chainId: checked.value.info.chainId,
          remember: false,
          paidBefore: `You paid ${formatTokenAmount(paid.amount, paid.asset)} for it on ${new Date(paid.times.settled ?? paid.updatedAt).toLocaleString()}.`,
        },
      });
      if (outcome.kind !== 'sign-in') return { action: 'pass', code: 'siwx-declined', reason: 'You did not sign in.' };
      if (outcome.remember) await this.store.setRemember(req.site, true);
      // time passed: the same checks again, against the same account
      const now = await custody.status();
      if (ownersOf(now).evm !== address) return { action: 'pass', code: 'siwx-account-changed', reason: 'The active account changed; nothing was signed.' };
      checked = await check();
      if (!checked.ok) return { action: 'pass', code: checked.code, reason: `Not signed in: ${checked.reason}.` };
    }
    return this.sign(req, checked.value, address, remembered);
  }

  private async sign(req: PayRequest, c: CheckedChallenge, address: string, remembered: boolean): Promise<PayAnswer> {
    const { custody, settings } = this.deps;
    if (!(await this.store.claimNonce(c.origin, c.info.nonce))) return { action: 'pass', code: 'siwx-replayed', reason: 'This sign-in challenge was already signed once (replayed nonce).' };
    let signature: string;
    try {
      signature = await custody.signMessage(c.message);
    } catch (e) {
      return { action: 'pass', code: 'sign-failed', reason: `The wallet could not sign: ${(e as Error).message}` };
    }
    const i = c.info;
    const payload: SIWxPayload = {
      domain: i.domain,
      address,
      ...(i.statement !== undefined ? { statement: i.statement } : {}),
      uri: i.uri,
      version: i.version,
      chainId: i.chainId,
      type: 'eip191',
      nonce: i.nonce,
      issuedAt: i.issuedAt,
      ...(i.expirationTime !== undefined ? { expirationTime: i.expirationTime } : {}),
      ...(i.notBefore !== undefined ? { notBefore: i.notBefore } : {}),
      ...(i.requestId !== undefined ? { requestId: i.requestId } : {}),
      ...(i.resources !== undefined ? { resources: i.resources } : {}),
      signature,
    };
    void settings.notify(`Signed in to ${c.origin} as ${address}${remembered ? ' (remembered for this site)' : ''} instead of paying again.`, 'info', false).catch(() => undefined);
    return { action: 'retry', headerName: SIWX_HEADER, headerValue: encodeBase64Utf8(JSON.stringify(payload)), ticket: `siwx:${crypto.randomUUID()}` };
  }
}
