/** Audit export: JSON Lines (one record per line) and CSV (formula cells neutralized). Pure. */
import { csvCell } from '../ledger/export';
import type { AuditRecord } from './types';

export const AUDIT_COLUMNS = [
  'seq', 'time', 'outcome', 'by', 'code', 'message', 'site', 'resource', 'method', 'kind',
  'amount_atomic', 'symbol', 'network', 'policy_version', 'agent_mode',
] as const;

export function auditJsonl(records: readonly AuditRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

export function auditCsv(records: readonly AuditRecord[]): string {
  const rows = records.map((r) =>
    [
      String(r.seq), new Date(r.at).toISOString(), r.outcome, r.by, r.code, r.message, r.site, r.resource, r.method, r.kind,
      r.amount ?? '', r.symbol ?? '', r.network ?? '', r.policyVersion, r.agentMode ? 'yes' : 'no',
    ].map(csvCell).join(','),
  );
  return [AUDIT_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
