/**
 * History export: CSV (RFC 4180, CRLF, quoted where needed, spreadsheet-formula cells
 * neutralized) and JSON (amounts as decimal strings). Pure. The background selects the
 * records (lib/history/filter.ts, the same filter the history page shows) and passes them in.
 */
import { formatUnits } from '../policy/format';
import type { HistoryFilter } from '../history/filter';
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
  'scheme',
  'x402_version',
  'network',
  'network_name',
  'settled_network',
  'asset_symbol',
  'asset_address',
  'asset_decimals',
  'amount_atomic',
  'amount',
  'amount_usd',
  'pay_to',
  'payer',
  'tx_hash',
  'confirmed_by',
  'payment_identifier',
  'expires_at',
  'signed_at',
  'settled_at',
  'unknown_at',
  'failed_at',
  'released_at',
  'error_reason',
  // upto: the signed maximum, and what the chain showed settled (empty for exact)
  'max_amount_atomic',
  'settled_amount_atomic',
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

/** Display facts the records do not carry (the background knows them from the trusted table). */
export interface ExportOptions {
  /** a network's name, e.g. "Base Sepolia" (omitted when unknown) */
  networkName?: (network: string) => string | undefined;
}

/** A plain decimal without thousands separators ("1234.5"). */
function plain(amount: bigint, decimals: number): string {
  return formatUnits(amount, decimals).replace(/,/g, '');
}

function row(r: PaymentRecord, o: ExportOptions): string[] {
  return [
    r.id,
    iso(r.createdAt),
    iso(r.updatedAt),
    r.status,
    r.auto ? 'yes' : 'no',
    r.site,
    r.requestOrigin,
    r.resourceUrl,
    r.scheme,
    r.x402Version ? String(r.x402Version) : '',
    r.network,
    o.networkName?.(r.network) ?? '',
    r.settledNetwork ?? '',
    r.asset.symbol,
    r.asset.address,
    String(r.asset.decimals),
    r.amount.toString(),
    plain(r.amount, r.asset.decimals),
    // a USD-pegged token is worth its face value in dollars (the trusted table says so); others have no dollar amount
    r.asset.usdPegged ? plain(r.amount, r.asset.decimals) : '',
    r.payTo,
    r.payer ?? '',
    r.txHash ?? '',
    r.confirmedBy ?? '',
    r.paymentIdentifier ?? '',
    iso(r.expiresAt),
    iso(r.times?.signed),
    iso(r.times?.settled),
    iso(r.times?.unknown),
    iso(r.times?.failed),
    iso(r.times?.released),
    r.errorReason ?? '',
    r.maxAmount?.toString() ?? '',
    r.settledAmount?.toString() ?? '',
  ];
}

export function toCsv(records: readonly PaymentRecord[], opts: ExportOptions = {}): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(row(r, opts).map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export interface JsonExport {
  format: 'x402-wallet-history';
  version: 1;
  exportedAt: string;
  /** the history filter the export was made with (absent: every payment) */
  filter?: HistoryFilter;
  records: Array<Omit<PaymentRecord, 'amount' | 'maxAmount' | 'settledAmount'> & { amount: string; maxAmount?: string; settledAmount?: string; networkName?: string }>;
}

export interface JsonExportOptions extends ExportOptions {
  /** the filter the records were selected with, recorded in the file */
  filter?: HistoryFilter;
}

export function toJson(records: readonly PaymentRecord[], now: number, opts: JsonExportOptions = {}): string {
  const filter = opts.filter && Object.keys(opts.filter).length > 0 ? { ...opts.filter } : undefined;
  const doc: JsonExport = {
    format: 'x402-wallet-history',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    ...(filter ? { filter } : {}),
    records: records.map((r) => {
      const name = opts.networkName?.(r.network);
      const { maxAmount, settledAmount, ...rest } = r;
      return {
        ...rest,
        amount: r.amount.toString(),
        ...(maxAmount !== undefined ? { maxAmount: maxAmount.toString() } : {}),
        ...(settledAmount !== undefined ? { settledAmount: settledAmount.toString() } : {}),
        ...(name ? { networkName: name } : {}),
      };
    }),
  };
  return JSON.stringify(doc, null, 2);
}
