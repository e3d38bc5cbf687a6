/** A JSON object (not null, not an array) — the one check every wire reader needs. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
