/** The audit trail: bounded ring of per-record keys, export escaping. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { auditCsv, auditJsonl } from '../../lib/audit/export';
import { AuditStore } from '../../lib/audit/store';
import type { AuditRecord } from '../../lib/audit/types';

const base = {
  outcome: 'refused' as const,
  by: 'auto' as const,
  code: 'period-cap-day',
  message: 'over',
  site: 'https://a.example',
  resource: 'https://a.example/x',
  method: 'GET',
  kind: 'request' as const,
  policyVersion: 'v1',
  agentMode: true,
};

describe('AuditStore', () => {
  beforeEach(() => fakeBrowser.reset());

  it('appends with sequence numbers and lists oldest first', async () => {
    const a = new AuditStore(browser.storage.local, 100, () => 1000);
    for (let i = 0; i < 3; i++) await a.append({ ...base, message: `m${i}` });
    const l = await a.list();
    expect(l.map((r) => [r.seq, r.message, r.at])).toEqual([[0, 'm0', 1000], [1, 'm1', 1000], [2, 'm2', 1000]]);
  });

  it('is bounded: past MAX the oldest are overwritten, each decision writes two small keys', async () => {
    const writes: string[][] = [];
    const area = {
      get: browser.storage.local.get.bind(browser.storage.local),
      set: (items: Record<string, unknown>) => {
        writes.push(Object.keys(items));
        return browser.storage.local.set(items);
      },
    };
    const a = new AuditStore(area as never, 10);
    await Promise.all(Array.from({ length: 25 }, (_, i) => a.append({ ...base, message: `m${i}` })));
    const l = await a.list();
    expect(l).toHaveLength(10);
    expect(l.map((r) => r.seq)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(Object.keys(await browser.storage.local.get(null)).filter((k) => k.startsWith('audit.')).length).toBe(11);
    expect(writes.every((w) => w.length === 2)).toBe(true);
    expect((await a.list(3)).map((r) => r.seq)).toEqual([22, 23, 24]);
  });

  it('survives a restart (a new instance continues the sequence)', async () => {
    await new AuditStore(browser.storage.local, 10).append(base);
    const b = new AuditStore(browser.storage.local, 10);
    expect((await b.append(base)).seq).toBe(1);
    expect((await b.list()).length).toBe(2);
  });

  it('long messages are cut', async () => {
    const r = await new AuditStore().append({ ...base, message: 'x'.repeat(2000) });
    expect(r.message.length).toBe(500);
  });
});

describe('audit export', () => {
  const rec: AuditRecord = { ...base, seq: 7, at: Date.UTC(2026, 0, 2), amount: '10000', symbol: 'USDC', network: 'eip155:31337' };

  it('JSON Lines: one object per line', () => {
    const text = auditJsonl([rec, { ...rec, seq: 8 }]);
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([7, 8]);
    expect(auditJsonl([])).toBe('');
  });

  it('CSV: header, quoting, spreadsheet formulas neutralized', () => {
    const csv = auditCsv([{ ...rec, message: '=HYPERLINK("http://evil")', site: '+cmd', resource: 'https://a.example/x?a=1,b="2"' }]);
    const [head, row] = csv.split('\r\n');
    expect(head).toBe('seq,time,outcome,by,code,message,site,resource,method,kind,amount_atomic,symbol,network,policy_version,agent_mode');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain(`'+cmd`);
    expect(row).toContain(`"https://a.example/x?a=1,b=""2"""`);
    expect(row).toContain('2026-01-02T00:00:00.000Z');
    expect(row!.endsWith(',v1,yes')).toBe(true);
  });
});
