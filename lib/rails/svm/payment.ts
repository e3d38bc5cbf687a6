/**
 * Solana `exact` payments: the transaction is built by the official client scheme
 * (`ExactSvmScheme` from @x402/svm/exact/client for v2, `ExactSvmSchemeV1` for v1), which reads
 * the mint and a recent blockhash over the RPC the user configured. It is handed a *checking
 * signer*: before the custody service signs, the message bytes are decoded and checked against
 * the validated option (lib/rails/svm/transaction.ts) — a transaction the wallet did not build
 * for exactly this payment is never signed. After signing, the wire transaction is checked
 * again: the same message, our signature valid over it, the fee payer's slot left empty.
 */
import { ExactSvmScheme } from '@x402/svm/exact/client';
import { ExactSvmSchemeV1 } from '@x402/svm/exact/v1/client';
import { getBase64Encoder, getTransactionDecoder, type Address, type Transaction } from '@solana/kit';
import {
  PaymentBuildError,
  assertPaymentId,
  buildExtensions,
  checkCommonFieldsMatchRaw,
  signingRequirements,
  v1HeaderValue,
  v2HeaderValue,
} from '../../x402/payload.ts';
import type { PaymentRequiredNormalized } from '../../x402/types.ts';
import type { CreatePaymentArgs, PaymentHeader, SvmOption, SvmSigner } from '../types.ts';
import { base58 } from '@scure/base';
import { isSolanaAddress, verifyEd25519 } from './accounts.ts';
import { checkSvmTransaction, SvmTransactionError, type CheckedSvmTransaction } from './transaction.ts';
import { isRecord } from '../../x402/json.ts';

/**
 * How long a signed Solana payment may still land: its blockhash lives 150 blocks (~60–90 s),
 * whatever `maxTimeoutSeconds` says. Over-estimated on purpose: the payment stays counted and is
 * re-sent as is (never re-signed) until this has passed.
 */
export const SVM_VALIDITY_SECONDS = 120;

/**
 * The validated fee payer and memo. A server's `recentBlockhash` hint is NOT passed on: the
 * blockhash is a Solana transaction's only tie to a cluster (devnet and testnet share mints), so
 * it always comes from the user's RPC for the option's network.
 */
function signingExtra(o: SvmOption): Record<string, unknown> {
  const rawExtra = isRecord(o.raw.extra) ? o.raw.extra : {};
  const extra: Record<string, unknown> = { feePayer: o.feePayer };
  if (typeof rawExtra.memo === 'string') extra.memo = rawExtra.memo;
  return extra;
}

function checkOptionMatchesRaw(pr: PaymentRequiredNormalized, o: SvmOption): void {
  checkCommonFieldsMatchRaw(pr, o);
  const raw = o.raw as Record<string, unknown>;
  const extra = isRecord(raw.extra) ? raw.extra : {};
  if (raw.payTo !== o.payTo || raw.asset !== o.asset.address || extra.feePayer !== o.feePayer) {
    throw new PaymentBuildError("option payTo/asset/feePayer differs from the server's option");
  }
}

function fail(what: string): never {
  throw new PaymentBuildError(`signed transaction does not match the validated option: ${what}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export async function createSvmPayment(args: CreatePaymentArgs<SvmOption, SvmSigner>): Promise<PaymentHeader> {
  const { pr, option, signer } = args;
  if (pr.accepts[option.index] !== option.raw) throw new PaymentBuildError('option does not belong to this payment request');
  if (option.scheme !== 'exact') throw new PaymentBuildError('only the exact scheme is supported');
  if (!signer || signer.rail !== 'svm' || !isSolanaAddress(signer.address)) throw new PaymentBuildError('signer has no valid Solana address');
  if (option.feePayer === signer.address) throw new PaymentBuildError('the fee payer is the wallet account');
  checkOptionMatchesRaw(pr, option);
  assertPaymentId(args.paymentId);
  if (!args.rpcUrl) throw new PaymentBuildError(`no RPC endpoint for ${option.network}: set one under Settings → RPC endpoints`);

  const signed: { message: Uint8Array; signature: Uint8Array; checked: CheckedSvmTransaction }[] = [];
  const owner = signer.address;
  const checkingSigner = {
    address: owner as Address,
    async signTransactions(txs: readonly Transaction[]) {
      if (txs.length !== 1) throw new PaymentBuildError(`asked to sign ${txs.length} transactions, expected one`);
      const message = Uint8Array.from(txs[0]!.messageBytes);
      let checked: CheckedSvmTransaction;
      try {
        checked = await checkSvmTransaction(message, option, owner);
      } catch (e) {
        if (e instanceof SvmTransactionError) throw new PaymentBuildError(e.message);
        throw e;
      }
      const signature = await signer.signMessageBytes(message);
      signed.push({ message, signature, checked });
      return [{ [owner]: signature }] as never;
    },
  };
  const requirements = signingRequirements(pr, option, signingExtra(option));
  const config = { rpcUrl: args.rpcUrl };
  const t0 = Math.floor(Date.now() / 1000);
  const result =
    pr.version === 2
      ? await new ExactSvmScheme(checkingSigner as never, config).createPaymentPayload(2, requirements)
      : await new ExactSvmSchemeV1(checkingSigner as never, config).createPaymentPayload(1, requirements);
  const attached = (result as { extensions?: Record<string, unknown> }).extensions;
  if (pr.version === 2 && attached && Object.keys(attached).length > 0) {
    throw new PaymentBuildError('the scheme attached extensions that were not consented to');
  }

  // The wire transaction must be exactly what was checked and signed.
  if (signed.length !== 1) fail(`expected one signature, got ${signed.length}`);
  const { message, signature, checked } = signed[0]!;
  const b64 = (result.payload as Record<string, unknown>).transaction;
  if (typeof b64 !== 'string') fail('transaction missing');
  let tx: Transaction;
  try {
    tx = getTransactionDecoder().decode(getBase64Encoder().encode(b64));
  } catch {
    fail('transaction does not decode');
  }
  if (!sameBytes(Uint8Array.from(tx.messageBytes), message)) fail('message differs from the one checked');
  const sigs = tx.signatures as Record<string, Uint8Array | null>;
  const ours = sigs[owner];
  if (!ours || !sameBytes(Uint8Array.from(ours), signature) || !verifyEd25519(signature, message, owner)) fail('wallet signature');
  if (Object.keys(sigs).length !== 2 || sigs[option.feePayer] !== null) fail('fee payer signature slot');

  const summary = {
    from: owner,
    to: option.payTo,
    value: option.amount,
    validAfter: 0n,
    validBefore: BigInt(t0 + SVM_VALIDITY_SECONDS),
    nonce: checked.blockhash,
    network: option.network,
    transferMethod: option.transferMethod,
    authorizationId: base58.encode(signature),
  };
  const payload = { transaction: b64 };
  if (pr.version === 2) {
    const ext = buildExtensions(pr, args.paymentId);
    const out: PaymentHeader = { headerName: 'PAYMENT-SIGNATURE', headerValue: v2HeaderValue(pr, option.raw, payload, ext.extensions), summary };
    if (ext.paymentId) out.paymentId = ext.paymentId;
    return out;
  }
  return { headerName: 'X-PAYMENT', headerValue: v1HeaderValue(option.wireNetwork, payload), summary };
}
