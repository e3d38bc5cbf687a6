/**
 * The rails the wallet speaks, and the one place that maps a network or an asset to its rail.
 * Everything above the rails (validation, payments, balances, history, UI) asks through here.
 */
import { evmRail } from './evm/index.ts';
import { svmRail } from './svm/index.ts';
import { tronRail } from './tron/index.ts';
import type { CreatePaymentArgs, PayableOption, PaymentHeader, Rail, RailId, RailSigner } from './types.ts';

export * from './types.ts';
export { RegistryError } from './registry-error.ts';
export { evmRail, svmRail, tronRail };

/** In the order the wallet lists them. */
export const RAILS: readonly Rail[] = Object.freeze([evmRail as unknown as Rail, svmRail as unknown as Rail, tronRail as unknown as Rail]);

export function railById(id: RailId): Rail {
  return (id === 'evm' ? evmRail : id === 'svm' ? svmRail : tronRail) as unknown as Rail;
}

/** The rail of a CAIP-2 network id, or undefined. */
export function railOfNetwork(caip2: string): Rail | undefined {
  if (typeof caip2 !== 'string') return undefined;
  return RAILS.find((r) => r.isNetwork(caip2));
}

/** The rail of a v1 network name, with its CAIP-2 id. */
export function railOfV1Name(name: string): { rail: Rail; network: string } | undefined {
  for (const rail of RAILS) {
    if (Object.prototype.hasOwnProperty.call(rail.v1Networks, name)) return { rail, network: rail.v1Networks[name]! };
  }
  return undefined;
}

/** Sign an option with the rail it belongs to. The signer must be of the same rail. */
export function createRailPayment(args: CreatePaymentArgs<PayableOption, RailSigner>): Promise<PaymentHeader> {
  if (args.signer.rail !== args.option.rail) return Promise.reject(new Error(`a ${args.signer.rail} signer cannot sign a ${args.option.rail} payment`));
  return railById(args.option.rail).createPayment(args as never);
}
