/**
 * Payment headers: the option's rail signs and builds it (lib/rails/<rail>/payment.ts); the
 * rail-independent payload parts live in payload.ts.
 */
export { createRailPayment as createPaymentHeader } from '../rails/index.ts';
export type { CreatePaymentArgs as CreatePaymentHeaderArgs, EvmSigner as PaymentSigner, PaymentHeader, PaymentSummary, TypedDataRequest } from '../rails/index.ts';
export { PAYMENT_IDENTIFIER, PaymentBuildError, generatePaymentId, isValidPaymentId } from './payload.ts';
