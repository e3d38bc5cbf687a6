/**
 * Granting the Permit2 allowance an EVM Permit2 payment (`exact` with Permit2, or `upto`) needs,
 * from the approval window — the same two steps as the TRON grant (tron-allowance.ts), asked for
 * by the user:
 *
 *  - quote: what the approval transaction costs — gas estimated by the node (`eth_estimateGas`),
 *    the fee per gas (`eth_estimateFeesPerGas`: EIP-1559 max fee and tip), the gas limit the wallet
 *    sets (estimate + 20 %) and so the most it can cost in the native coin; refused when the
 *    account cannot pay it;
 *  - grant: `approve(Permit2, amount)` on the trusted token — token and spender from the trusted
 *    table and @x402/evm's PERMIT2_ADDRESS, never from the server or the node — for exactly what
 *    the payment needs (default), a larger cap the user typed, or unlimited only with its own
 *    confirmation (amountOf, shared with TRON). Custody signs the EIP-1559 transaction, it is sent
 *    with `eth_sendRawTransaction`, and the wallet waits for its receipt and the new allowance,
 *    then updates the waiting approval.
 */
import { createClient, formatEther, formatGwei, getAddress, http, isAddressEqual } from 'viem';
import { estimateFeesPerGas, estimateGas, getBalance, getChainId, getTransactionCount, sendRawTransaction, waitForTransactionReceipt } from 'viem/actions';
import type { AllowanceQuoteDto, OptionDto } from '../messaging/contract';
import type { EvmAsset } from '../rails/types';
import { PERMIT2_ADDRESS, permit2ApproveData, readEvmAllowance } from '../rails/evm/allowance';
import { formatTokenAmount } from '../x402';
import { resolveRpcUrl } from './balances';
import type { HandlerDeps } from './handlers';
import { HandlerError } from './router';
import { amountOf, GRANT_WAIT_MS, MAX_UINT256 } from './tron-allowance';

const TIMEOUT_MS = 5_000;
const inFlight = new Set<string>();

interface EvmTarget {
  option: OptionDto;
  asset: EvmAsset;
  needed: bigint;
  owner: `0x${string}`;
  rpcUrl: string;
}

/** Is this waiting approval's option an EVM one that needs the Permit2 allowance? */
export async function isEvmAllowance(d: HandlerDeps, approvalId: string, optionIndex: number): Promise<boolean> {
  const approval = (await d.approvals.list()).find((a) => a.id === approvalId);
  return approval?.options.find((o) => o.index === optionIndex)?.rail === 'evm';
}

async function target(d: HandlerDeps, approvalId: string, optionIndex: number): Promise<EvmTarget> {
  const approval = (await d.approvals.list()).find((a) => a.id === approvalId);
  if (!approval) throw new HandlerError('not-found', 'This approval is no longer waiting.');
  const option = approval.options.find((o) => o.index === optionIndex);
  if (!option || option.rail !== 'evm' || option.transferMethod !== 'permit2' || !option.allowance) throw new HandlerError('invalid-argument', 'This option needs no allowance.');
  if (!isAddressEqual(option.allowance.spender as `0x${string}`, PERMIT2_ADDRESS)) throw new HandlerError('invalid-argument', 'The spender is not Permit2.');
  const registry = await d.settings.registry();
  const asset = registry.lookup(option.network, option.asset);
  if (!asset || asset.rail !== 'evm') throw new HandlerError('invalid-argument', 'The token is not in the trusted table.');
  const status = await d.custody.status();
  if (!status.unlocked) throw new HandlerError('locked', 'Unlock the wallet first.');
  if (!status.activeAddress) throw new HandlerError('unknown-account', 'This wallet has no EVM account.');
  const rpcUrl = resolveRpcUrl(await d.settings.get(), option.network, asset.address);
  if (!rpcUrl) throw new HandlerError('unavailable', `No RPC endpoint for ${option.networkName}: set one under Settings → RPC endpoints.`);
  return { option, asset, needed: BigInt(option.amountAtomic) + BigInt(option.fee?.atomic ?? '0'), owner: status.activeAddress, rpcUrl };
}

// viem's own tree-shakable actions over a bare client (no full public client in the bundle)
const client = (rpcUrl: string) => createClient({ transport: http(rpcUrl, { retryCount: 0, timeout: TIMEOUT_MS }) });

async function estimate(t: EvmTarget, amount: bigint) {
  const c = client(t.rpcUrl);
  const data = permit2ApproveData(amount);
  const [chainId, gas, fees, nonce, native] = await Promise.all([
    getChainId(c),
    estimateGas(c, { account: t.owner, to: getAddress(t.asset.address), data }),
    estimateFeesPerGas(c, { chain: null, type: 'eip1559' }),
    getTransactionCount(c, { address: t.owner, blockTag: 'pending' }),
    getBalance(c, { address: t.owner }),
  ]);
  if (chainId !== t.asset.chainId) throw new HandlerError('unavailable', `The RPC serves chain ${chainId}, not ${t.asset.chainId}.`);
  const gasLimit = gas + gas / 5n;
  const maxCost = gasLimit * fees.maxFeePerGas;
  if (native < maxCost) throw new HandlerError('insufficient-balance', `The approval can cost up to ${formatEther(maxCost)} ETH in gas; this account has ${formatEther(native)}.`);
  return { chainId, data, gas, gasLimit, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas, nonce, maxCost };
}

function quoteDto(amount: bigint, t: EvmTarget, e: Awaited<ReturnType<typeof estimate>>): AllowanceQuoteDto {
  return {
    spender: PERMIT2_ADDRESS,
    amountAtomic: amount.toString(),
    amountToken: amount === MAX_UINT256 ? 'unlimited' : formatTokenAmount(amount, t.asset),
    gas: e.gas.toString(),
    gasLimit: e.gasLimit.toString(),
    maxFeePerGasWei: e.maxFeePerGas.toString(),
    maxCostWei: e.maxCost.toString(),
    costText: `about ${e.gas} gas — at most ${formatEther(e.maxCost)} ETH (gas limit ${e.gasLimit} at up to ${formatGwei(e.maxFeePerGas)} gwei per gas), paid by this account`,
  };
}

export async function quoteEvmAllowance(d: HandlerDeps, input: Record<string, unknown>, approvalId: string, optionIndex: number): Promise<AllowanceQuoteDto> {
  const t = await target(d, approvalId, optionIndex);
  const amount = amountOf(t as never, input);
  return quoteDto(amount, t, await estimate(t, amount));
}

export async function grantEvmAllowance(
  d: HandlerDeps,
  input: Record<string, unknown>,
  approvalId: string,
  optionIndex: number,
): Promise<{ txId: string; allowance: NonNullable<OptionDto['allowance']> }> {
  const key = `${approvalId}|${optionIndex}`;
  if (inFlight.has(key)) throw new HandlerError('busy', 'The approval transaction is already being sent.');
  inFlight.add(key);
  try {
    const t = await target(d, approvalId, optionIndex);
    const amount = amountOf(t as never, input);
    const signer = await d.custody.getSigner('evm');
    if (!isAddressEqual(signer.address, t.owner)) throw new HandlerError('unknown-account', 'The active account changed.');
    const e = await estimate(t, amount);
    const signed = await signer.signTransaction({
      type: 'eip1559',
      chainId: e.chainId,
      nonce: e.nonce,
      to: getAddress(t.asset.address),
      data: e.data,
      value: 0n,
      gas: e.gasLimit,
      maxFeePerGas: e.maxFeePerGas,
      maxPriorityFeePerGas: e.maxPriorityFeePerGas,
    });
    const c = client(t.rpcUrl);
    const hash = await sendRawTransaction(c, { serializedTransaction: signed }).catch((err: Error) => {
      throw new HandlerError('unavailable', `The node refused the approval transaction (${(err.message ?? '').split('\n')[0]!.slice(0, 80)}).`);
    });
    const receipt = await waitForTransactionReceipt(c, { hash, timeout: GRANT_WAIT_MS, pollingInterval: 250 }).catch(() => null);
    if (receipt && receipt.status !== 'success') throw new HandlerError('unavailable', `The approval transaction ${hash.slice(0, 10)}… reverted.`);
    const r = await readEvmAllowance({ asset: t.asset, owner: t.owner, spender: PERMIT2_ADDRESS, rpcUrl: t.rpcUrl, timeoutMs: TIMEOUT_MS });
    const atomic = r.ok ? r.atomic : undefined;
    const allowance = {
      spender: PERMIT2_ADDRESS,
      needed: formatTokenAmount(t.needed, t.asset),
      atomic: atomic?.toString() ?? null,
      token: atomic === undefined ? null : formatTokenAmount(atomic, t.asset),
      sufficient: atomic === undefined ? null : atomic >= t.needed,
    };
    await d.approvals.updateOption(approvalId, optionIndex, { allowance });
    await d.settings
      .notify(`Approved Permit2 for ${amount === MAX_UINT256 ? 'an unlimited amount' : formatTokenAmount(amount, t.asset)} of ${t.asset.symbol} on ${t.option.networkName} (transaction ${hash.slice(0, 10)}…).`, 'info', false)
      .catch(() => undefined);
    return { txId: hash, allowance };
  } finally {
    inFlight.delete(key);
  }
}
