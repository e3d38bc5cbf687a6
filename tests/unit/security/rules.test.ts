/**
 * The rules issue 16 adds, each with a test that fails without it:
 *  (a) an offer naming another origin's resource is refused, unsigned, with a reason;
 *  (b) a cross-site frame does not spend the top site's automatic budget (asks, naming itself);
 *      "embedded content may pay from this budget" turns that off; same-site frames pay;
 *  (c) the approval window's security delay (visible + focused for a moment, trusted events);
 *  (d) a description / display price that disagrees with the amount signed is said.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { checkOfferAgainstRequest, parsePaymentRequired, evaluateOptions, priceClaimMismatch, findPriceClaims } from '../../../lib/x402';
import { crossSiteFrame } from '../../../lib/policy/embedded';
import { SecurityDelay, SECURITY_DELAY_MS } from '../../../lib/ui/security-delay';
import { Settings } from '../../../lib/background/settings';
import { header, offer, paymentWorld, SITE, TOKEN } from './harness';

const parsed = (doc: unknown) => {
  const r = parsePaymentRequired({ status: 402, headers: { 'PAYMENT-REQUIRED': header(doc) } });
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('(a) the offer is checked against the request it came with', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    ['same origin', `${SITE}/api`, `${SITE}/api`, true],
    ['relative URL', '/api', `${SITE}/api`, true],
    ['TLS proxy (http behind https, same host)', 'http://news.example/api', `${SITE}/api`, true],
    ['another host', 'https://bank.example/transfer', `${SITE}/api`, false],
    ['a subdomain', 'https://pay.news.example/api', `${SITE}/api`, false],
    ['another port', 'https://news.example:8443/api', `${SITE}/api`, false],
    ['https named for an http request', 'https://news.example/api', 'http://news.example/api', false],
    ['credentials in the URL', 'https://user:pw@news.example/api', `${SITE}/api`, false],
    ['a javascript: URL', 'javascript:alert(1)', `${SITE}/api`, false],
    ['protocol-relative other host', '//evil.example/api', `${SITE}/api`, false],
  ])('%s', (_what, named, request, ok) => {
    expect(checkOfferAgainstRequest(parsed(offer({ url: named })), request).ok).toBe(ok);
  });

  it('v1: every option names the request origin', () => {
    const v1 = (resource: string) => {
      const r = parsePaymentRequired({
        status: 402,
        headers: {},
        bodyText: JSON.stringify({
          x402Version: 1,
          accepts: [
            { scheme: 'exact', network: 'base-sepolia', maxAmountRequired: '10', resource: `${SITE}/a`, description: '', mimeType: '', payTo: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', maxTimeoutSeconds: 60, asset: TOKEN, extra: {} },
            { scheme: 'exact', network: 'base-sepolia', maxAmountRequired: '10', resource, description: '', mimeType: '', payTo: '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720', maxTimeoutSeconds: 60, asset: TOKEN, extra: {} },
          ],
        }),
      });
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    expect(checkOfferAgainstRequest(v1(`${SITE}/b`), `${SITE}/a`).ok).toBe(true);
    expect(checkOfferAgainstRequest(v1('https://other.example/b'), `${SITE}/a`)).toMatchObject({ ok: false, code: 'resource-mismatch' });
  });

  it('the payment flow refuses it before anything is signed, in ask and auto mode, and says why', async () => {
    const w = await paymentWorld();
    const bad = offer({ url: 'https://bank.example/transfer' });
    expect(await w.pay({ doc: bad })).toMatchObject({ action: 'pass', code: 'resource-mismatch' });
    await w.auto();
    expect(await w.pay({ doc: bad })).toMatchObject({ action: 'pass', code: 'resource-mismatch' });
    expect(w.signatures()).toBe(0);
    expect(w.asked).not.toHaveBeenCalled();
    const act = await w.activity();
    // the same refusal twice within 3 s is one activity line (no storm)
    expect(act.filter((t) => /names https:\/\/bank\.example\/transfer as the resource/.test(t))).toHaveLength(1);
    // the same offer for its own origin pays automatically
    expect((await w.pay({ doc: offer() })).action).toBe('retry');
    expect(w.signatures()).toBe(1);
  });

  it('the approval shows the URL the browser requested, not the one the server named', async () => {
    const w = await paymentWorld();
    await w.pay({ doc: offer({ url: '/api' }) });
    expect(w.asked.mock.calls[0]![0].resourceUrl).toBe(`${SITE}/api`);
  });
});

describe('(b) embedded content does not spend the top site budget', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    ['top frame', 'https://news.example/', 0, undefined, null],
    ['same host frame', 'https://news.example/x', 2, undefined, null],
    ['subdomain frame', 'https://cdn.news.example/x', 2, undefined, null],
    ['cross-site ad', 'https://ads.example/x', 2, undefined, 'https://ads.example'],
    ['lookalike suffix', 'https://evilnews.example/x', 2, undefined, 'https://evilnews.example'],
    ['parent domain', 'https://example/x', 2, undefined, 'https://example'],
    ['http frame in an https site', 'http://news.example/x', 2, undefined, 'http://news.example'],
    ['sandboxed same-URL frame', 'https://news.example/x', 2, 'null', 'a sandboxed frame (https://news.example)'],
  ])('%s', (_w, frameUrl, frameId, senderOrigin, want) => {
    expect(crossSiteFrame(SITE, frameUrl, frameId, senderOrigin)).toBe(want);
  });

  it('a cross-site frame asks (naming itself and the top site) and nothing is signed', async () => {
    const w = await paymentWorld();
    await w.auto();
    const r = await w.pay({ doc: offer(), embeddedFrom: 'https://ads.example' });
    expect(r).toMatchObject({ action: 'pass', code: 'user-rejected' });
    expect(w.signatures()).toBe(0);
    const dto = w.asked.mock.calls[0]![0];
    expect(dto.site).toBe(SITE);
    expect(dto.embeddedFrom).toBe('https://ads.example');
    expect(dto.whyAsked).toMatch(/https:\/\/ads\.example is embedded in https:\/\/news\.example/);
  });

  it('"allow" or "block" answered for an embedded frame neither budgets nor blocks the top site', async () => {
    const w = await paymentWorld();
    await w.auto({ caps: { day: { unit: 'usd', amount: 5_000n } } });
    w.asked.mockResolvedValueOnce({ kind: 'block' } as never);
    expect(await w.pay({ doc: offer(), embeddedFrom: 'https://ads.example' })).toMatchObject({ code: 'user-rejected' });
    expect((await w.policies.get(SITE))!.mode).toBe('auto');
    w.asked.mockResolvedValueOnce({ kind: 'allow', optionIndex: 0, period: 'day', capUsd: '100.00' } as never);
    expect((await w.pay({ doc: offer({ url: `${SITE}/api` }), url: `${SITE}/api`, embeddedFrom: 'https://ads.example' })).action).toBe('retry');
    expect((await w.policies.get(SITE))!.caps.day).toEqual({ unit: 'usd', amount: 5_000n });
  });

  it('with "embedded content may pay from this budget" on, the frame pays automatically; same-site frames always do', async () => {
    const w = await paymentWorld();
    await w.auto({ embeddedPay: true });
    expect((await w.pay({ doc: offer(), embeddedFrom: 'https://ads.example' })).action).toBe('retry');
    await w.auto();
    expect((await w.pay({ doc: offer(), url: `${SITE}/api?2` })).action).toBe('retry');
    expect(w.asked).not.toHaveBeenCalled();
    expect(w.signatures()).toBe(2);
  });

  it('a blocked site stays blocked for its frames', async () => {
    const w = await paymentWorld();
    await w.auto({ mode: 'block' });
    expect(await w.pay({ doc: offer(), embeddedFrom: 'https://ads.example' })).toMatchObject({ code: 'blocked' });
    expect(w.signatures()).toBe(0);
  });

  it('the setting round-trips through sites.save and the stored policy', async () => {
    const { createHandlers } = await import('../../../lib/background/handlers');
    const w = await paymentWorld();
    const h = createHandlers(w as never);
    const saved = await h['sites.save']({ site: SITE, mode: 'auto', paused: false, dayUsd: '1.00', embeddedPay: true }, {} as never);
    expect(saved.policy.embeddedPay).toBe(true);
    expect((await w.policies.get(SITE))!.embeddedPay).toBe(true);
    const off = await h['sites.save']({ site: SITE, mode: 'auto', paused: false, dayUsd: '1.00' }, {} as never);
    expect(off.policy.embeddedPay).toBe(false);
  });
});

describe('(c) the approval window security delay', () => {
  const on = { visible: true, focused: true, framed: false, opened: false };
  it('arms only after being visible and focused for the whole delay', () => {
    const d = new SecurityDelay(on, 1000);
    expect(d.armed(1000)).toBe(false);
    expect(d.armed(1000 + SECURITY_DELAY_MS - 1)).toBe(false);
    expect(d.armed(1000 + SECURITY_DELAY_MS)).toBe(true);
  });
  it('a blur or hidden window starts the wait again', () => {
    const d = new SecurityDelay(on, 0);
    d.update({ ...on, focused: false }, 500);
    expect(d.armed(5000)).toBe(false);
    d.update(on, 5000);
    expect(d.armed(5000 + SECURITY_DELAY_MS - 1)).toBe(false);
    expect(d.armed(5000 + SECURITY_DELAY_MS)).toBe(true);
    d.update({ ...on, visible: false }, 9000);
    expect(d.armed(9000)).toBe(false);
  });
  it('script-made events never decide; framed or scripted windows never arm', () => {
    const d = new SecurityDelay(on, 0);
    expect(d.accepts({ isTrusted: false }, 10_000)).toBe(false);
    expect(d.accepts({ isTrusted: true }, 10_000)).toBe(true);
    expect(new SecurityDelay({ ...on, framed: true }, 0).armed(10_000)).toBe(false);
    expect(new SecurityDelay({ ...on, opened: true }, 0).armed(10_000)).toBe(false);
  });
});

describe('(d) the server description / display price against the amount signed', () => {
  let reg: Awaited<ReturnType<Settings['registry']>>;
  beforeAll(async () => {
    fakeBrowser.reset();
    const settings = new Settings();
    await settings.update({ playgroundTokens: [{ chainId: 31337, address: TOKEN }] });
    reg = await settings.registry();
  });
  const one = (o: Parameters<typeof offer>[0]) => {
    const pr = parsed(offer(o));
    const ev = evaluateOptions(pr, reg);
    if (!ev.payable[0]) throw new Error(JSON.stringify(ev.rejected));
    return priceClaimMismatch(pr, ev.payable[0]);
  };
  it('agreeing or silent hints say nothing', () => {
    expect(one({ amount: '10000', description: 'Premium article — $0.01' })).toBeNull();
    expect(one({ amount: '10000', description: 'Premium article' })).toBeNull();
    expect(one({ amount: '10000', extra: { displayPrice: '$0.010' } })).toBeNull();
    expect(one({ amount: '1500000', description: 'Was $5, now $1.50' })).toBeNull();
    expect(one({ amount: '10000', description: '0.01 USDC per call' })).toBeNull();
  });
  it('a disagreeing hint is said, with the amount signed', () => {
    expect(one({ amount: '1000000000', description: 'Only $0.001!' })).toMatch(/"\$0\.001", but you would sign 1000 USDC \(\$1,000\.00\)/);
    expect(one({ amount: '1000000000', extra: { displayPrice: '0.001' } })).toMatch(/\$0\.001/);
    expect(one({ amount: '20000', extra: { price: 0.01 } })).toMatch(/but you would sign 0\.02 USDC/);
    expect(one({ amount: '20000', description: '0.01 USD' })).toMatch(/0\.02 USDC/);
  });
  it('the finder is bounded and ignores noise', () => {
    expect(findPriceClaims('$'.repeat(100_000), 'USDC')).toEqual([]);
    expect(findPriceClaims('$1 '.repeat(10_000), 'USDC')).toHaveLength(8);
  });
  it('the payment flow hands the mismatch to the approval', async () => {
    fakeBrowser.reset();
    const w = await paymentWorld();
    await w.pay({ doc: offer({ amount: '1000000000', description: 'Only $0.001!' }) });
    expect(w.asked.mock.calls[0]![0].priceClaims).toEqual([{ index: 0, text: expect.stringMatching(/\$0\.001.*1000 USDC/) }]);
  });
});
