/** One decision of the wallet about a payment request, as the audit keeps it. */
export interface AuditRecord {
  /** sequence number (monotonic per install) */
  seq: number;
  /** epoch ms */
  at: number;
  /** paid: a payment header was handed out; asked: an approval window opened; refused: not paid */
  outcome: 'paid' | 'asked' | 'refused';
  /** who decided: the policy (auto) or the user (approval window) */
  by: 'auto' | 'user';
  /** stable reason code (README, "Refusal codes"); 'paid' when paid */
  code: string;
  message: string;
  site: string;
  resource: string;
  method: string;
  kind: 'request' | 'navigation' | 'page-api';
  /** atomic units, decimal string (absent when no option was chosen) */
  amount?: string;
  symbol?: string;
  network?: string;
  /** operator policy version that decided (or 'user') */
  policyVersion: string;
  agentMode: boolean;
}
