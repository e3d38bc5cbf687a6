/**
 * x402 protocol layer (pure; runs in the Chrome service worker and the Firefox event page):
 * strict parsing, trusted registry, option validation, payment header building (through the
 * rails, lib/rails), settlement decoding and display formatting.
 */
export * from './types.ts';
export * from './base64.ts';
export * from './parse.ts';
export * from './registry.ts';
export * from './validate.ts';
export * from './payment.ts';
export * from './settlement.ts';
export * from './format.ts';
export * from './offer-check.ts';
export * from './claims.ts';
export type { EvmAsset, EvmOption, PayableOption, RailId, RejectionCode, SvmAsset, SvmOption, TransferMethod, TronAsset, TronOption, TrustedAsset } from '../rails/index.ts';
