/**
 * Reads a history file the wallet exported before (JSON, or CSV) for a READ-ONLY view on the
 * options page. Nothing read here is ever sent to the background or counted anywhere: it is a
 * picture of a file. The file is untrusted input:
 *  - size-limited (5 MB, 10,000 records), parsed without eval;
 *  - every field type-checked and length-limited; unknown fields ignored; records that do
 *    not read are left out and counted;
 *  - control and bidirectional-override characters in texts replaced (no spoofed URLs);
 *  - no links are built from it (no explorer links: a file could point anywhere), and the
 *    page renders everything as text (React escapes; no HTML is ever injected).
 * Pure: no browser APIs.
 */
import type { PaymentDto } from '../messaging/contract';
import { solanaNetworkName } from '../rails/networks';
import { formatTokenAmount, formatUsd } from '../x402/format';
import { HISTORY_STATUSES, parseHistoryFilter, type HistoryFilter, type HistoryStatus } from './filter';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_RECORDS = 10_000;
/** Timestamps outside [2000-01-01, 2200-01-01) are not believed. */
const MIN_TIME = Date.UTC(2000, 0, 1);
const MAX_TIME = Date.UTC(2200, 0, 1);

export interface ImportedHistory {
  format: 'json' | 'csv';
  records: PaymentDto[];
  /** records in the file that could not be read (left out) */
  skipped: number;
  /** when the file says it was exported (ISO), if it says so in a readable way */
  exportedAt?: string;
  /** the filter the export was made with, if the file names a valid one */
  filter?: HistoryFilter;
}

export type ImportResult = ({ ok: true } & ImportedHistory) | { ok: false; error: string };

const fail = (error: string): ImportResult => ({ ok: false, error });

/** Replaces control characters (except tab and newline) and bidi overrides with U+FFFD. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

function text(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) return undefined;
  return cleanText(v);
}

function time(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < MIN_TIME || v >= MAX_TIME) return undefined;
  return v;
}

/** One record of the JSON export shape → a PaymentDto for display; null when it does not read. */
export function recordToDto(v: unknown): PaymentDto | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const asset = r.asset && typeof r.asset === 'object' && !Array.isArray(r.asset) ? (r.asset as Record<string, unknown>) : null;
  const id = text(r.id, 200);
  const site = text(r.site, 2048);
  const resourceUrl = text(r.resourceUrl, 8192);
  const network = text(r.network, 200);
  const payTo = text(r.payTo, 200);
  const createdAt = time(r.createdAt);
  const status = typeof r.status === 'string' && (HISTORY_STATUSES as readonly string[]).includes(r.status) ? (r.status as HistoryStatus) : undefined;
  const amount = typeof r.amount === 'string' && /^\d{1,78}$/.test(r.amount) ? BigInt(r.amount) : undefined;
  const symbol = asset ? text(asset.symbol, 32) : undefined;
  const address = asset ? text(asset.address, 200) : undefined;
  const decimals = asset && Number.isInteger(asset.decimals) && (asset.decimals as number) >= 0 && (asset.decimals as number) <= 77 ? (asset.decimals as number) : undefined;
  if (!id || !site || !resourceUrl || !network || !payTo || createdAt === undefined || !status || amount === undefined || !symbol || !address || decimals === undefined) return null;
  const usdPegged = asset?.usdPegged === true;
  const times: PaymentDto['times'] = {};
  if (r.times && typeof r.times === 'object' && !Array.isArray(r.times)) {
    for (const s of HISTORY_STATUSES) {
      const t = time((r.times as Record<string, unknown>)[s]);
      if (t !== undefined) times[s] = t;
    }
  }
  const x402Version = Number.isInteger(r.x402Version) && (r.x402Version as number) >= 0 && (r.x402Version as number) <= 99 ? (r.x402Version as number) : 0;
  const opt = <K extends keyof PaymentDto>(key: K, value: PaymentDto[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    id,
    site,
    requestOrigin: text(r.requestOrigin, 2048) ?? site,
    resourceUrl,
    scheme: text(r.scheme, 32) ?? 'exact',
    x402Version,
    network,
    networkName: text(r.networkName, 100) ?? solanaNetworkName(network) ?? network,
    symbol,
    assetAddress: address,
    decimals,
    amountAtomic: amount.toString(),
    amountToken: formatTokenAmount(amount, { decimals, symbol }),
    amountUsd: usdPegged ? formatUsd(amount, { decimals, symbol, usdPegged }) : null,
    payTo,
    status,
    auto: r.auto === true,
    createdAt,
    updatedAt: time(r.updatedAt) ?? createdAt,
    expiresAt: time(r.expiresAt) ?? 0,
    times,
    ...opt('payer', text(r.payer, 200)),
    ...opt('paymentIdentifier', text(r.paymentIdentifier, 200)),
    ...opt('settledNetwork', text(r.settledNetwork, 200)),
    ...opt('txHash', text(r.txHash, 200)),
    ...opt('confirmedBy', r.confirmedBy === 'chain' || r.confirmedBy === 'server' ? r.confirmedBy : undefined),
    ...opt('errorReason', text(r.errorReason, 2000)),
    // never an explorerUrl: links are not built from a file
  };
}

function finish(format: 'json' | 'csv', raw: readonly unknown[], extra: Pick<ImportedHistory, 'exportedAt' | 'filter'>): ImportResult {
  if (raw.length > MAX_IMPORT_RECORDS) return fail(`The file has ${raw.length} records; at most ${MAX_IMPORT_RECORDS.toLocaleString('en-US')} can be shown.`);
  const records: PaymentDto[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const v of raw) {
    const dto = recordToDto(v);
    if (!dto || seen.has(dto.id)) skipped++;
    else {
      seen.add(dto.id);
      records.push(dto);
    }
  }
  if (raw.length > 0 && records.length === 0) return fail(`None of the ${raw.length} records in this file could be read: it is not a history exported by this wallet.`);
  records.sort((a, b) => b.createdAt - a.createdAt);
  return { ok: true, format, records, skipped, ...extra };
}

function parseJsonDoc(textIn: string): ImportResult {
  let doc: unknown;
  try {
    doc = JSON.parse(textIn);
  } catch {
    return fail('This file is not valid JSON.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return fail('This JSON file is not a wallet history export.');
  const d = doc as Record<string, unknown>;
  if (d.format !== 'x402-wallet-history') return fail('This JSON file is not a wallet history export (its "format" is not "x402-wallet-history").');
  if (d.version !== 1) return fail('This history export was made by a newer or unknown version of the wallet (version is not 1).');
  if (!Array.isArray(d.records)) return fail('This history export has no list of records.');
  const exportedAt = typeof d.exportedAt === 'string' && d.exportedAt.length <= 40 && Number.isFinite(Date.parse(d.exportedAt)) ? new Date(Date.parse(d.exportedAt)).toISOString() : undefined;
  const f = parseHistoryFilter(d.filter);
  return finish('json', d.records, { ...(exportedAt ? { exportedAt } : {}), ...(f.ok && d.filter !== undefined ? { filter: f.filter } : {}) });
}

/** RFC 4180 rows (CRLF or LF line ends); null when a quote never closes. */
export function parseCsvRows(input: string): string[][] | null {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && input[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) return null;
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Undo the export's formula neutralisation ("'=1+1" → "=1+1"). */
function unneutralize(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const CSV_REQUIRED = ['id', 'created_at', 'status', 'site', 'resource_url', 'network', 'asset_symbol', 'asset_address', 'asset_decimals', 'amount_atomic', 'pay_to'];
const CSV_TIMES: Record<string, HistoryStatus> = { signed_at: 'signed', settled_at: 'settled', failed_at: 'failed', released_at: 'released', unknown_at: 'unknown' };

function isoTime(s: string | undefined): number | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}T/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

function parseCsvDoc(input: string): ImportResult {
  const rows = parseCsvRows(input);
  if (!rows || rows.length === 0) return fail('This CSV file could not be read (an unclosed quote, or empty).');
  const header = rows[0]!.map((h) => h.trim());
  const missing = CSV_REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) return fail(`This CSV file is not a wallet history export (missing columns: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}).`);
  const body = rows.slice(1).filter((r) => !(r.length === 1 && r[0] === ''));
  // before any per-row work: a file of empty rows must not freeze the page
  if (body.length > MAX_IMPORT_RECORDS) return fail(`The file has ${body.length} records; at most ${MAX_IMPORT_RECORDS.toLocaleString('en-US')} can be shown.`);
  const col = new Map(header.map((h, i) => [h, i] as const));
  const raw = body.map((cells) => {
    const get = (name: string): string | undefined => {
      const i = col.get(name);
      const v = i === undefined ? undefined : cells[i];
      return v === undefined || v === '' ? undefined : unneutralize(v);
    };
    const createdAt = isoTime(get('created_at'));
    const times: Record<string, number> = {};
    if (createdAt !== undefined) times.reserved = createdAt;
    for (const [c, s] of Object.entries(CSV_TIMES)) {
      const t = isoTime(get(c));
      if (t !== undefined) times[s] = t;
    }
    const decimals = get('asset_decimals');
    const version = get('x402_version');
    return {
      id: get('id'),
      createdAt,
      updatedAt: isoTime(get('updated_at')),
      status: get('status'),
      auto: get('auto') === 'yes',
      site: get('site'),
      requestOrigin: get('request_origin'),
      resourceUrl: get('resource_url'),
      scheme: get('scheme'),
      x402Version: version && /^\d{1,2}$/.test(version) ? Number(version) : undefined,
      network: get('network'),
      networkName: get('network_name'),
      settledNetwork: get('settled_network'),
      asset: {
        symbol: get('asset_symbol'),
        address: get('asset_address'),
        decimals: decimals && /^\d{1,2}$/.test(decimals) ? Number(decimals) : undefined,
        usdPegged: get('amount_usd') !== undefined,
      },
      amount: get('amount_atomic'),
      payTo: get('pay_to'),
      payer: get('payer'),
      txHash: get('tx_hash'),
      confirmedBy: get('confirmed_by'),
      paymentIdentifier: get('payment_identifier'),
      expiresAt: isoTime(get('expires_at')),
      errorReason: get('error_reason'),
      times,
    };
  });
  return finish('csv', raw, {});
}

/**
 * Parses an exported history file. `byteLength` is the file's size as the browser reports
 * it (checked before anything is read); the text is checked again.
 */
export function parseHistoryFile(input: string, byteLength = input.length): ImportResult {
  if (byteLength > MAX_IMPORT_BYTES || input.length > MAX_IMPORT_BYTES)
    return fail(`This file is too large (${(byteLength / (1024 * 1024)).toFixed(1)} MB); at most 5 MB can be imported.`);
  const t = input.replace(/^\uFEFF/, '');
  if (t.trim() === '') return fail('This file is empty.');
  const first = t.trimStart()[0];
  if (first === '{') return parseJsonDoc(t);
  if (first === '[') return fail('This JSON file is not a wallet history export (it is a bare list, not an export document).');
  return parseCsvDoc(t);
}
