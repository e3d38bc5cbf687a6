/**
 * History export: CSV (RFC 4180, CRLF, quoted where needed, spreadsheet-formula cells
 * neutralized) and JSON (amounts as decimal strings). Pure.
 */
import { formatUnits } from '../policy/format';
import type { PaymentRecord } from './types';

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'updated_at',
  'status',
  'auto',
  'site',
  'request_origin',
  'resource_url',
  'network',
  'asset_symbol',
  'asset_address',
  'asset_decimals',
  'amount_atomic',
  'amount',
  'pay_to',
  'tx_hash',
  'payer',
  'expires_at',
  'payment_identifier',
  'error_reason',
] as const;

/** Quote a CSV cell when needed; prefix cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  if (/[",\r\n]/.test(v) || v !== v.trim()) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

function iso(t: number | undefined): string {
  return t === undefined || !Number.isFinite(t) ? '' : new Date(t).toISOString();
}

function row(r: PaymentRecord): string[] {
  return [
    r.id,
    iso(r.createdAt),
    iso(r.updatedAt),
    r.status,
    r.auto ? 'yes' : 'no',
    r.site,
    r.requestOrigin,
    r.resourceUrl,
    r.network,
    r.asset.symbol,
    r.asset.address,
    String(r.asset.decimals),
    r.amount.toString(),
    formatUnits(r.amount, r.asset.decimals).replace(/,/g, ''),
    r.payTo,
    r.txHash ?? '',
    r.payer ?? '',
    iso(r.expiresAt),
    r.paymentIdentifier ?? '',
    r.errorReason ?? '',
  ];
}

export function toCsv(records: readonly PaymentRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(row(r).map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export interface JsonExport {
  format: 'x402-wallet-history';
  version: 1;
  exportedAt: string;
  records: Array<Omit<PaymentRecord, 'amount'> & { amount: string }>;
}

export function toJson(records: readonly PaymentRecord[], now: number): string {
  const doc: JsonExport = {
    format: 'x402-wallet-history',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    records: records.map((r) => ({ ...r, amount: r.amount.toString() })),
  };
  return JSON.stringify(doc, null, 2);
}
