/**
 * EVM Permit2 allowances: which options need one (and for which spender), how the wallet says it
 * is missing, the approve(Permit2) call data, and the allowance read with the chain id checked.
 * The grant itself (quote with gas, custody-signed EIP-1559 transaction, on-chain allowance)
 * runs against anvil in tests/browser/pay-permit2.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PERMIT2_ADDRESS } from '@x402/evm';
import { decodeFunctionData, erc20Abi, maxUint256 } from 'viem';
import { encodePaymentRequiredHeader } from '@x402/core/http';
import { allowanceMissingText, allowanceSpender } from '../../lib/background/allowance-needs';
import { permit2ApproveData } from '../../lib/rails/evm/allowance';
import { allowanceText } from '../../lib/ui/rails';
import { parsePaymentRequired } from '../../lib/x402/parse';
import { createRegistry } from '../../lib/x402/registry';
import { evaluateOptions } from '../../lib/x402/validate';
import { localPlaygroundAsset } from '../../lib/rails/evm/assets';

const USDC = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const PAY_TO = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720';
const registry = createRegistry([localPlaygroundAsset({ chainId: 31337, address: USDC })]);

function options(...accepts: Record<string, unknown>[]) {
  const base = { network: 'eip155:31337', amount: '10000', asset: USDC, payTo: PAY_TO, maxTimeoutSeconds: 60 };
  const r = parsePaymentRequired({
    status: 402,
    headers: { 'PAYMENT-REQUIRED': encodePaymentRequiredHeader({ x402Version: 2, resource: { url: 'http://x/' }, accepts: accepts.map((a) => ({ ...base, ...a })) } as never) },
  });
  if (!r.ok) throw new Error(r.error);
  return evaluateOptions(r.value, registry).payable;
}

describe('which options spend an allowance', () => {
  it('exact with Permit2 and upto need Permit2; EIP-3009 needs none', () => {
    const [eip3009, permit2, upto] = options(
      { scheme: 'exact', extra: { name: 'USD Coin', version: '2' } },
      { scheme: 'exact', extra: { assetTransferMethod: 'permit2' } },
      { scheme: 'upto', extra: { assetTransferMethod: 'permit2', facilitatorAddress: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' } },
    ).sort((a, b) => a.index - b.index);
    expect(allowanceSpender(eip3009!)).toBeUndefined();
    expect(allowanceSpender(permit2!)).toBe(PERMIT2_ADDRESS);
    expect(allowanceSpender(upto!)).toBe(PERMIT2_ADDRESS);
    expect(allowanceMissingText(permit2!, '0 USDC')).toMatch(new RegExp(`Permit2 \\(${PERMIT2_ADDRESS}\\).*0 USDC.*needs 0\\.01 USDC.*approval transaction.*gas`));
    expect(allowanceMissingText(upto!, '0 USDC')).toMatch(/^This upto payment goes through Permit2/);
  });

  it('the approval text names Permit2 on EVM and says how to fix a missing allowance', () => {
    const a = { spender: PERMIT2_ADDRESS, needed: '0.01 USDC', atomic: '0', token: '0 USDC', sufficient: false };
    expect(allowanceText(a, 'evm')).toMatch(/^Missing: .*Permit2 \(0x000000000022D473030F116dDEE9F6B43aC78BA3\).*at least 0\.01 USDC.*its gas shown first/);
    expect(allowanceText({ ...a, atomic: '1000000', token: '1 USDC', sufficient: true }, 'evm')).toMatch(/^Approved: that contract may move 1 USDC/);
    expect(allowanceText(a)).toMatch(/PaymentPermit/); // TRON wording unchanged by default
  });
});

describe('approve(Permit2, amount)', () => {
  it.each([1n, 10_000n, maxUint256])('call data approves the canonical Permit2 for %s', (amount) => {
    const d = decodeFunctionData({ abi: erc20Abi, data: permit2ApproveData(amount) });
    expect(d.functionName).toBe('approve');
    expect(d.args).toEqual([PERMIT2_ADDRESS, amount]);
  });
});

describe('eip2612GasSponsoring: the permit is signed only with consent, and only for exactly the payment', async () => {
  const { privateKeyToAccount } = await import('viem/accounts');
  // the EIP-2612 Permit type (the standard's; @x402/evm signs the same but does not export it)
  const eip2612PermitTypes = {
    Permit: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
    ],
  };
  const { checkSponsoredPermit, offersEip2612Sponsoring } = await import('../../lib/rails/evm/sponsored');
  const { createPaymentHeader } = await import('../../lib/x402/payment');
  const { decodePaymentSignatureHeader } = await import('@x402/core/http');
  const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
  const signer = { rail: 'evm' as const, address: account.address, signTypedData: (a: never) => account.signTypedData(a) };
  const declared = { eip2612GasSponsoring: { info: { description: 'sponsored', version: '1' }, schema: {} } };

  function sponsoredPr() {
    const base = { scheme: 'exact', network: 'eip155:31337', amount: '10000', asset: USDC, payTo: PAY_TO, maxTimeoutSeconds: 60, extra: { assetTransferMethod: 'permit2', name: 'USD Coin', version: '2' } };
    const r = parsePaymentRequired({
      status: 402,
      headers: { 'PAYMENT-REQUIRED': encodePaymentRequiredHeader({ x402Version: 2, resource: { url: 'http://x/' }, accepts: [base], extensions: declared } as never) },
    });
    if (!r.ok) throw new Error(r.error);
    return { pr: r.value, option: evaluateOptions(r.value, registry).payable[0] as never as import('../../lib/rails/types').EvmOption };
  }

  it('offered only for exact Permit2 options of a 402 that declares it', () => {
    const { pr, option } = sponsoredPr();
    expect(offersEip2612Sponsoring(pr.extensions, option)).toBe(true);
    expect(offersEip2612Sponsoring(undefined, option)).toBe(false);
    expect(offersEip2612Sponsoring(pr.extensions, { ...option, transferMethod: 'eip3009' })).toBe(false);
    expect(offersEip2612Sponsoring(pr.extensions, { ...option, scheme: 'upto' })).toBe(false);
  });

  it('without consent: one signature (Permit2 only), the declaration echoed untouched', async () => {
    const { pr, option } = sponsoredPr();
    const seen: string[] = [];
    const h = await createPaymentHeader({ pr, option, signer: { ...signer, signTypedData: (a) => (seen.push(a.primaryType), account.signTypedData(a as never)) } });
    expect(seen).toEqual(['PermitWitnessTransferFrom']);
    expect((decodePaymentSignatureHeader(h.headerValue) as { extensions: unknown }).extensions).toEqual(declared);
  });

  it('consent without an RPC to read the permit nonce is refused before anything is signed', async () => {
    const { pr, option } = sponsoredPr();
    const seen: string[] = [];
    await expect(createPaymentHeader({ pr, option, signer: { ...signer, signTypedData: (a) => (seen.push(a.primaryType), account.signTypedData(a as never)) }, consent: { eip2612Permit: true } })).rejects.toThrow(/RPC/);
    expect(seen).toEqual([]);
  });

  const deadline = '1796300000';
  async function permit(over: { value?: bigint; spender?: `0x${string}`; name?: string; owner?: `0x${string}` } = {}) {
    const request = {
      domain: { name: over.name ?? 'USD Coin', version: '2', chainId: 31337, verifyingContract: USDC },
      types: eip2612PermitTypes,
      primaryType: 'Permit',
      message: { owner: over.owner ?? account.address, spender: over.spender ?? PERMIT2_ADDRESS, value: over.value ?? 10_000n, nonce: 0n, deadline: BigInt(deadline) },
    };
    const signature = await account.signTypedData(request as never);
    return { request: request as never, signature };
  }
  const info = (sig: string, over: Record<string, unknown> = {}) => ({
    eip2612GasSponsoring: { info: { from: account.address, asset: USDC, spender: PERMIT2_ADDRESS, amount: '10000', nonce: '0', deadline, signature: sig, version: '1', ...over } },
  });

  it('accepts the permit for exactly the amount to Permit2 under the trusted domain', async () => {
    const { option } = sponsoredPr();
    const p = await permit();
    await expect(checkSponsoredPermit(info(p.signature), [p], option, signer, deadline)).resolves.toHaveProperty('eip2612GasSponsoring');
  });

  it.each<[string, Record<string, unknown>, Parameters<typeof permit>[0]]>([
    ['an unlimited amount', { amount: (2n ** 256n - 1n).toString() }, { value: 2n ** 256n - 1n }],
    ['more than the payment', { amount: '10001' }, { value: 10_001n }],
    ['another spender', { spender: PAY_TO }, { spender: PAY_TO }],
    ['another token name (domain)', {}, { name: 'Fake USD' }],
    ['another deadline', { deadline: '1796300001' }, {}],
    ['another owner', { from: PAY_TO }, {}],
  ])('refuses %s', async (_n, infoOver, permitOver) => {
    const { option } = sponsoredPr();
    const p = await permit(permitOver);
    await expect(checkSponsoredPermit(info(p.signature, infoOver), [p], option, signer, deadline)).rejects.toThrow(/does not match the consented one/);
  });

  it('refuses an extra extension, a missing signature or one that is not the wallet’s', async () => {
    const { option } = sponsoredPr();
    const p = await permit();
    await expect(checkSponsoredPermit({ ...info(p.signature), erc20ApprovalGasSponsoring: { info: {} } }, [p], option, signer, deadline)).rejects.toThrow(/exactly the eip2612GasSponsoring/);
    await expect(checkSponsoredPermit(info(p.signature), [], option, signer, deadline)).rejects.toThrow(/one permit signature/);
    const other = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
    const forged = { request: p.request, signature: await other.signTypedData(p.request as never) };
    await expect(checkSponsoredPermit(info(forged.signature), [forged], option, signer, deadline)).rejects.toThrow(/not made by the wallet/);
  });
});
