import { describe, expect, it } from 'vitest';
import { localParts, periodEnd, periodStart, resolveTimeZone, startOfLocalDay } from '../../lib/policy/periods';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';

describe('periodStart / periodEnd', () => {
  it('UTC day, week (Monday) and month', () => {
    const t = at('2026-05-14T15:30:00Z'); // Thursday
    expect(iso(periodStart('day', t, 'UTC'))).toBe('2026-05-14T00:00:00.000Z');
    expect(iso(periodEnd('day', t, 'UTC'))).toBe('2026-05-15T00:00:00.000Z');
    expect(iso(periodStart('week', t, 'UTC'))).toBe('2026-05-11T00:00:00.000Z');
    expect(iso(periodEnd('week', t, 'UTC'))).toBe('2026-05-18T00:00:00.000Z');
    expect(iso(periodStart('month', t, 'UTC'))).toBe('2026-05-01T00:00:00.000Z');
    expect(iso(periodEnd('month', t, 'UTC'))).toBe('2026-06-01T00:00:00.000Z');
  });

  it('week containing a Sunday starts the Monday before; a Monday starts its own week', () => {
    expect(iso(periodStart('week', at('2026-05-17T23:59:59Z'), 'UTC'))).toBe('2026-05-11T00:00:00.000Z');
    expect(iso(periodStart('week', at('2026-05-18T00:00:00Z'), 'UTC'))).toBe('2026-05-18T00:00:00.000Z');
  });

  it('Berlin spring-forward day (2026-03-29) is 23 hours long', () => {
    const t = at('2026-03-29T12:00:00Z');
    const s = periodStart('day', t, BERLIN);
    const e = periodEnd('day', t, BERLIN);
    expect(iso(s)).toBe('2026-03-28T23:00:00.000Z'); // 00:00 CET (+01)
    expect(iso(e)).toBe('2026-03-29T22:00:00.000Z'); // 00:00 CEST (+02)
    expect(e - s).toBe(23 * 3_600_000);
    // the week ending that Sunday started Monday 23 March at 00:00 CET
    expect(iso(periodStart('week', t, BERLIN))).toBe('2026-03-22T23:00:00.000Z');
    expect(iso(periodEnd('week', t, BERLIN))).toBe('2026-03-29T22:00:00.000Z');
  });

  it('Berlin fall-back day (2026-10-25) is 25 hours long', () => {
    const t = at('2026-10-25T01:30:00Z'); // inside the repeated hour
    const s = periodStart('day', t, BERLIN);
    const e = periodEnd('day', t, BERLIN);
    expect(iso(s)).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(e)).toBe('2026-10-25T23:00:00.000Z');
    expect(e - s).toBe(25 * 3_600_000);
    expect(iso(periodStart('month', t, BERLIN))).toBe('2026-09-30T22:00:00.000Z');
    expect(iso(periodEnd('month', t, BERLIN))).toBe('2026-10-31T23:00:00.000Z');
  });

  it('a Berlin instant just before local midnight belongs to the local day, not the UTC day', () => {
    const t = at('2026-06-30T22:30:00Z'); // 2026-07-01 00:30 CEST
    expect(iso(periodStart('day', t, BERLIN))).toBe('2026-06-30T22:00:00.000Z');
    expect(iso(periodStart('month', t, BERLIN))).toBe('2026-06-30T22:00:00.000Z');
    expect(iso(periodStart('month', t, 'UTC'))).toBe('2026-06-01T00:00:00.000Z');
  });

  it('New York DST changes (2026-03-08, 2026-11-01)', () => {
    const spring = at('2026-03-08T16:00:00Z');
    expect(iso(periodStart('day', spring, NY))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(periodEnd('day', spring, NY))).toBe('2026-03-09T04:00:00.000Z');
    const fall = at('2026-11-01T16:00:00Z');
    expect(iso(periodStart('day', fall, NY))).toBe('2026-11-01T04:00:00.000Z');
    expect(iso(periodEnd('day', fall, NY))).toBe('2026-11-02T05:00:00.000Z');
    // week of Sunday 1 Nov started Monday 26 Oct (EDT)
    expect(iso(periodStart('week', fall, NY))).toBe('2026-10-26T04:00:00.000Z');
  });

  it('year boundary: New York New Year’s Eve evening is still December', () => {
    const t = at('2027-01-01T03:00:00Z'); // 2026-12-31 22:00 EST
    expect(iso(periodStart('month', t, NY))).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(periodEnd('month', t, NY))).toBe('2027-01-01T05:00:00.000Z');
    expect(iso(periodStart('day', t, NY))).toBe('2026-12-31T05:00:00.000Z');
    expect(iso(periodStart('month', t, 'UTC'))).toBe('2027-01-01T00:00:00.000Z');
    // ISO week spanning the year: Mon 2026-12-28 .. Mon 2027-01-04
    expect(iso(periodStart('week', t, NY))).toBe('2026-12-28T05:00:00.000Z');
    expect(iso(periodEnd('week', t, NY))).toBe('2027-01-04T05:00:00.000Z');
  });

  it('February in a leap year and a non-leap year', () => {
    expect(iso(periodEnd('month', at('2028-02-10T00:00:00Z'), 'UTC'))).toBe('2028-03-01T00:00:00.000Z');
    expect(periodEnd('month', at('2028-02-10T00:00:00Z'), 'UTC') - periodStart('month', at('2028-02-10T00:00:00Z'), 'UTC')).toBe(29 * 86_400_000);
    expect(periodEnd('month', at('2026-02-10T00:00:00Z'), 'UTC') - periodStart('month', at('2026-02-10T00:00:00Z'), 'UTC')).toBe(28 * 86_400_000);
  });

  it('a zone whose DST gap swallows midnight starts the day at the transition (America/Santiago 2026-09-06)', () => {
    const s = startOfLocalDay(2026, 9, 6, 'America/Santiago');
    const p = localParts(s, 'America/Santiago');
    expect([p.year, p.month, p.day]).toEqual([2026, 9, 6]);
    const prev = localParts(s - 1, 'America/Santiago');
    expect(prev.day).toBe(5);
  });

  it('property: start ≤ now < end, start is the first instant of the local date, across zones', () => {
    const zones = ['UTC', BERLIN, NY, 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Tokyo'];
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const base = at('2026-01-01T00:00:00Z');
    for (let i = 0; i < 400; i++) {
      const tz = zones[i % zones.length]!;
      const now = base + Math.floor(rand() * 730 * 86_400_000);
      for (const kind of ['day', 'week', 'month'] as const) {
        const s = periodStart(kind, now, tz);
        const e = periodEnd(kind, now, tz);
        expect(s).toBeLessThanOrEqual(now);
        expect(e).toBeGreaterThan(now);
        const ps = localParts(s, tz);
        const pb = localParts(s - 1, tz);
        expect(dateNum(pb)).toBeLessThan(dateNum(ps));
        expect(periodStart(kind, e, tz)).toBe(e); // the next period starts exactly at end
        if (kind === 'week') expect(new Date(Date.UTC(ps.year, ps.month - 1, ps.day)).getUTCDay()).toBe(1);
        if (kind === 'month') expect(ps.day).toBe(1);
      }
    }
  });

  it('resolveTimeZone falls back for invalid zones', () => {
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Not/AZone')).not.toBe('Not/AZone');
    expect(() => periodStart('day', 0, 'Not/AZone')).toThrow(RangeError);
  });
});

function dateNum(p: { year: number; month: number; day: number }): number {
  return p.year * 10_000 + p.month * 100 + p.day;
}
