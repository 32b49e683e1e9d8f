'use strict';
// The Node binding against the C program, on CDNOW and on bad input.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const koffi = require('koffi');
const w = require('..');

const ROOT = path.resolve(__dirname, '../../..');
const LOG = path.join(ROOT, 'examples/data/CDNOW_master.txt');
const TOOL = process.env.WINBACK_TOOL || path.join(ROOT, 'build/default/programs/winback');

const rows = fs.readFileSync(LOG, 'latin1').split(/\r?\n/).slice(1).filter(Boolean)
  .map((line) => {
    const f = line.trim().split(/\s+/);
    return { id: f[0], date: `${f[1].slice(0, 4)}-${f[1].slice(4, 6)}-${f[1].slice(6)}`,
             amount: Math.round(parseFloat(f[3]) * 100) };
  });
const summary = w.summarize(rows, { asOf: '1998-07-01' });

test('plan equals the program on CDNOW', () => {
  const csv = execFileSync(TOOL, ['plan', LOG, '--as-of', '1998-07-01', '--cost', '2.00',
                                  '--format', 'csv', '--quiet'],
                             { encoding: 'utf8', maxBuffer: 64 << 20 });
  const byId = new Map(csv.trim().split('\n').slice(1).map((l) => {
    const f = l.split(',');
    return [f[0], { cls: f[3], action: f[4], bp: Number(f[5]), prio: f[f.length - 1] }];
  }));
  const plans = w.plan(summary, { cost: 200 });
  assert.equal(plans.length, 23570);
  for (const p of plans) {
    const c = byId.get(p.id);
    assert.equal(p.status, 'OK');
    assert.equal(p.class, c.cls);
    assert.equal(p.action, c.action);
    assert.equal(p.discountBp, c.bp);
    assert.equal((p.priority / 100).toFixed(2), c.prio);
  }
});

test('the summary has every purchase', () => {
  assert.equal(summary.length, 23570);
  assert.equal(summary.reduce((s, r) => s + r.purchases, 0), 69659);
  assert.equal(summary.reduce((s, r) => s + r.total, 0), 250031563);
  assert.equal(summary.filter((r) => r.lost).length, 20288);
});

test('a bad row gets its own status', () => {
  const plans = w.plan(summary.slice(0, 3), { asOf: '1998-07-01',
                                             crm: { [summary[1].id]: { severity: 9 } } });
  assert.deepEqual(plans.map((p) => p.status), ['OK', 'ESEVERITY', 'OK']);
});

test('policy errors name the key', () => {
  const p = new w.Policy({ tier1_days: 45 });
  assert.equal(p.get('tier1_days'), 45);
  assert.throws(() => p.set('tier1_days', -1), (e) => e.code === 'EPOLICY' && e.key === 'tier1_days');
  assert.throws(() => new w.Policy({ nope: 1 }), (e) => e.code === 'EKEY');
  assert.equal(p.keys().length, 51);
});

test('the calculators give the sources examples', () => {
  assert.equal(w.clv(50000, 10, 5), 2500000);          // [Rules]: 500 x 10 x 5
  assert.equal(w.romi(832500, 28500), 28.2105);
  assert.deepEqual(w.discount(1999, 1000), { discount: 200, price: 1799 });
});

test('BG/NBD equals the program and survives JSON', () => {
  const out = execFileSync(TOOL, ['fit', LOG, '--calibration-end', '1998-06-30', '--quiet'],
                           { encoding: 'utf8' }).split(/\s+/);
  const s = w.summarize(rows, { asOf: '1998-06-30' });
  const f = s.map((r) => r.frequency), rec = s.map((r) => r.recency), T = s.map((r) => r.T);
  const bgf = new w.BetaGeo().fit(f, rec, T);
  for (const k of ['r', 'alpha', 'a', 'b'])
    assert.ok(Math.abs(bgf.params[k] - Number(out[out.indexOf(k) + 1])) < 1e-6, k);
  const again = w.BetaGeo.fromJSON(JSON.parse(JSON.stringify(bgf)));
  assert.deepEqual(again.conditionalProbabilityAlive(f, rec, T),
                   bgf.conditionalProbabilityAlive(f, rec, T));
  assert.ok(bgf.conditionalExpectedNumberOfPurchasesUpToTime(39, f, rec, T).every(Number.isFinite));
  const buyers = s.filter((r) => r.frequency > 0);
  const gg = new w.GammaGamma().fit(buyers.map((r) => r.frequency), buyers.map((r) => r.monetaryValue));
  assert.ok(gg.conditionalExpectedAverageProfit(buyers.map((r) => r.frequency),
    buyers.map((r) => r.monetaryValue)).every((v) => v > 0));
  assert.throws(() => bgf.conditionalProbabilityAlive([1], [50], [10]), /row 0/);
});

test('the layout check refuses a mismatch', () => {
  const Swapped = koffi.struct('wb_customer_swapped', {
    size: 'uint32_t', flags: 'uint32_t', returns: 'int32_t', last_purchase: 'int32_t' });
  assert.throws(() => w.checkLayout({ wb_customer: Swapped }), w.LayoutError);
  w.checkLayout();
});
