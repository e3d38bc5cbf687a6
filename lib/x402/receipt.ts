/**
 * `offer-receipt`: the signed receipt a server puts in its settlement answer
 * (`PAYMENT-RESPONSE` → `extensions["offer-receipt"].info.receipt`), read with the official
 * `@x402/extensions/offer-receipt` code and checked against what the wallet itself knows of the
 * payment (network, payer, resource, transaction). EIP-712 receipts are verified and their
 * signer recovered; a JWS receipt can only be read (the server's key is not known), which the
 * record says. A receipt is evidence the server issued, shown in history; it never settles or
 * releases anything (the chain does).
 */
import { extractReceiptPayload, isEIP712SignedReceipt, isJWSSignedReceipt, verifyReceiptSignatureEIP712, type SignedReceipt } from '@x402/extensions/offer-receipt';
import { decodeBase64Utf8 } from './base64.ts';
import { isRecord } from './json.ts';

export const OFFER_RECEIPT = 'offer-receipt';

export interface ReceiptInfo {
  format: 'eip712' | 'jws';
  /** epoch seconds, from the receipt */
  issuedAt: number;
  /** EIP-712: the recovered signer */
  signer?: string;
  /** the signature was verified (EIP-712) */
  verified: boolean;
  /** network, payer, resource (and transaction, when the receipt names one) equal the payment's */
  matches: boolean;
  /** what did not match, or why it is not verified */
  note?: string;
}

export interface ReceiptExpectation {
  network: string;
  payer: string;
  resourceUrl: string;
  transaction?: string;
}

const samePath = (a: string, b: string): boolean => {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
};

/** The receipt of a settlement answer (base64 JSON), or undefined when it carries none. */
export async function readReceipt(paymentResponse: string, expect: ReceiptExpectation): Promise<ReceiptInfo | undefined> {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeBase64Utf8(paymentResponse.trim()));
  } catch {
    return undefined;
  }
  const ext = isRecord(doc) && isRecord(doc.extensions) ? doc.extensions[OFFER_RECEIPT] : undefined;
  const receipt = isRecord(ext) && isRecord(ext.info) ? (ext.info.receipt as SignedReceipt | undefined) : undefined;
  if (!isRecord(receipt) || (!isEIP712SignedReceipt(receipt) && !isJWSSignedReceipt(receipt)) || typeof receipt.signature !== 'string' || receipt.signature.length > 8192) return undefined;
  let payload;
  let signer: string | undefined;
  let verified = false;
  let note: string | undefined;
  try {
    if (isEIP712SignedReceipt(receipt)) {
      const v = await verifyReceiptSignatureEIP712(receipt);
      payload = v.payload;
      signer = v.signer;
      verified = true;
    } else {
      payload = extractReceiptPayload(receipt);
      note = 'JWS receipt: the server’s key is not known, so its signature is not verified';
    }
  } catch (e) {
    return { format: isEIP712SignedReceipt(receipt) ? 'eip712' : 'jws', issuedAt: 0, verified: false, matches: false, note: `unreadable receipt (${(e as Error).message.slice(0, 80)})` };
  }
  const wrong: string[] = [];
  if (payload.network !== expect.network) wrong.push('network');
  if (typeof payload.payer !== 'string' || payload.payer.toLowerCase() !== expect.payer.toLowerCase()) wrong.push('payer');
  if (typeof payload.resourceUrl !== 'string' || !samePath(payload.resourceUrl, expect.resourceUrl)) wrong.push('resource');
  if (payload.transaction && expect.transaction && payload.transaction.toLowerCase() !== expect.transaction.toLowerCase()) wrong.push('transaction');
  if (wrong.length) note = `the receipt names another ${wrong.join(', ')}`;
  return {
    format: isEIP712SignedReceipt(receipt) ? 'eip712' : 'jws',
    issuedAt: Number.isSafeInteger(payload.issuedAt) ? payload.issuedAt : 0,
    ...(signer ? { signer } : {}),
    verified,
    matches: wrong.length === 0,
    ...(note ? { note } : {}),
  };
}
