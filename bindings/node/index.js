'use strict';
/*
 * winback for Node.js: libwinback over koffi (docs/node.md).
 *
 * The shared library is found through WINBACK_LIBRARY, the system
 * (libwinback.so.0.2), or the build tree this package sits in. At load,
 * every field of wb_customer and wb_plan declared here is checked against
 * the library's own layout (wb_layout_field): a library built for another
 * layout is refused instead of corrupting memory. Money is in minor units
 * (BigInt where it may pass 2^53), days are days since 1970-01-01.
 */
const fs = require('fs');
const path = require('path');
const koffi = require('koffi');

const SONAME = 'libwinback.so.0.2';
const LAYOUT_VERSION = 2;
const DAY_NONE = -(2 ** 31);

function findLibrary() {
  if (process.env.WINBACK_LIBRARY) return [process.env.WINBACK_LIBRARY];
  const out = [SONAME];
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const p = path.join(dir, 'build', 'default', 'lib', SONAME);
    if (fs.existsSync(p)) out.push(p);
  }
  return out;
}

function load() {
  const errors = [];
  for (const p of findLibrary()) {
    try { return koffi.load(p); } catch (e) { errors.push(`${p}: ${e.message}`); }
  }
  throw new Error(`libwinback not found (set WINBACK_LIBRARY): ${errors.join('; ')}`);
}

const lib = load();

const Customer = koffi.struct('wb_customer', {
  size: 'uint32_t', flags: 'uint32_t', last_purchase: 'int32_t', returns: 'int32_t',
  severity: 'int32_t', incident_day: 'int32_t', reason: 'int32_t', complaints: 'int32_t',
  discount_demands: 'int32_t', nps: 'int32_t', contacts_since_purchase: 'int32_t',
  margin_bp: 'int32_t', purchases_per_year_x100: 'int32_t', expected_years: 'int32_t',
  last_contact: 'int32_t', requests: 'int32_t', avg_check: 'int64_t', clv: 'int64_t',
  winback_cost: 'int64_t', lost_by_employee: 'int64_t', reserved: koffi.array('int64_t', 4),
});
const Plan = koffi.struct('wb_plan', {
  size: 'uint32_t', reasons: 'uint32_t', signals: 'uint32_t', cls: 'int32_t',
  days_since: 'int32_t', action: 'int32_t', discount_bp: 'int32_t', escalation: 'int32_t',
  approach: 'int32_t', earliest_contact: 'int32_t', sensitive: 'int32_t',
  difficulty_bp: 'int32_t', clv: 'int64_t', priority: 'int64_t', avoid_employee: 'int64_t',
  channel: 'int32_t', offer_expires: 'int32_t', reserved: koffi.array('int64_t', 1),
});
const Rfm = koffi.struct('wb_rfm', { x: 'double', t_x: 'double', T: 'double', m: 'double' });
const Bgnbd = koffi.struct('wb_bgnbd', { r: 'double', alpha: 'double', a: 'double', b: 'double' });
const Gg = koffi.struct('wb_gg', { p: 'double', q: 'double', gamma: 'double' });
const History = koffi.struct('wb_history', {
  returns: 'int32_t', currently_lost: 'int32_t', losses: 'int32_t', sensitive: 'int32_t',
});
const LedgerCustomer = koffi.struct('wb_ledger_customer', {
  id: 'void *', id_len: 'size_t', first_day: 'int32_t', last_day: 'int32_t',
  purchases: 'int32_t', purchase_days: 'int32_t', total: 'int64_t', avg_check: 'int64_t',
  history: History, first_day_spend: 'int64_t',
});

const f = (ret, name, args) => lib.func(name, ret, args);
const c = {
  strerror: f('const char *', 'wb_strerror', ['int']),
  errorName: f('const char *', 'wb_error_name', ['int']),
  version: f('const char *', 'wb_version_string', []),
  layoutVersion: f('uint32_t', 'wb_layout_version', []),
  layoutSize: f('int', 'wb_layout_size', ['const char *', koffi.out('size_t *')]),
  layoutField: f('int', 'wb_layout_field', ['const char *', 'size_t',
    koffi.out('const char **'), koffi.out('size_t *'), koffi.out('size_t *')]),
  policySize: f('size_t', 'wb_policy_size', []),
  policyInit: f('int', 'wb_policy_init', ['void *']),
  policyValidate: f('int', 'wb_policy_validate', ['void *', koffi.out('const char **')]),
  policySet: f('int', 'wb_policy_set', ['void *', 'const char *', 'int64_t']),
  policyGet: f('int', 'wb_policy_get', ['void *', 'const char *', koffi.out('int64_t *')]),
  policyKey: f('const char *', 'wb_policy_key', ['size_t']),
  customerInit: f('int', 'wb_customer_init', ['void *']),
  decideMany: f('int', 'wb_decide_many', ['void *', 'void *', 'size_t', 'int32_t',
    'void *', 'void *', 'void *']),
  className: f('const char *', 'wb_class_name', ['int']),
  actionName: f('const char *', 'wb_action_name', ['int']),
  escalationName: f('const char *', 'wb_escalation_name', ['int']),
  approachName: f('const char *', 'wb_approach_name', ['int']),
  channelName: f('const char *', 'wb_channel_name', ['int']),
  exclusionName: f('const char *', 'wb_exclusion_name', ['uint32_t']),
  signalName: f('const char *', 'wb_signal_name', ['uint32_t']),
  dayParse: f('int', 'wb_day_parse', ['const char *', 'size_t', koffi.out('int32_t *')]),
  dayFormat: f('int', 'wb_day_format', ['int32_t', koffi.out('char *'), 'size_t']),
  clvCenti: f('int', 'wb_clv_centi', ['int64_t', 'int32_t', 'int32_t', koffi.out('int64_t *')]),
  applyMargin: f('int', 'wb_apply_margin', ['int64_t', 'int32_t', koffi.out('int64_t *')]),
  romiBp: f('int', 'wb_romi_bp', ['int64_t', 'int64_t', 'int32_t', koffi.out('int64_t *')]),
  discountApply: f('int', 'wb_discount_apply', ['int64_t', 'int32_t', 'int32_t',
    koffi.out('int64_t *'), koffi.out('int64_t *')]),
  ledgerNew: f('int', 'wb_ledger_new', ['void *', koffi.out('void **')]),
  ledgerFree: f('void', 'wb_ledger_free', ['void *']),
  ledgerAdd: f('int', 'wb_ledger_add', ['void *', 'const char *', 'size_t', 'int32_t', 'int64_t']),
  ledgerFinish: f('int', 'wb_ledger_finish', ['void *']),
  ledgerCount: f('int', 'wb_ledger_count', ['void *', koffi.out('size_t *'), 'void *']),
  ledgerAt: f('int', 'wb_ledger_at', ['void *', 'void *', 'int32_t', 'size_t',
    koffi.out(koffi.pointer(LedgerCustomer))]),
  rfmFromLedger: f('int', 'wb_rfm_from_ledger', [koffi.pointer(LedgerCustomer), 'int32_t',
    'int32_t', koffi.out(koffi.pointer(Rfm))]),
  bgnbdFit: f('int', 'wb_bgnbd_fit', ['void *', 'size_t', 'void *',
    koffi.out(koffi.pointer(Bgnbd)), koffi.out('double *')]),
  pAliveMany: f('int', 'wb_bgnbd_p_alive_many', [koffi.pointer(Bgnbd), 'void *', 'size_t',
    'void *', 'void *', 'void *']),
  expectedMany: f('int', 'wb_bgnbd_expected_many', [koffi.pointer(Bgnbd), 'void *', 'size_t',
    'double', 'void *', 'void *', 'void *']),
  ggFit: f('int', 'wb_gg_fit', ['void *', 'size_t', 'void *', koffi.out(koffi.pointer(Gg)),
    koffi.out('double *')]),
  spendMany: f('int', 'wb_gg_expected_spend_many', [koffi.pointer(Gg), 'void *', 'size_t',
    'void *', 'void *', 'void *']),
};

class LayoutError extends Error {}

class WinbackError extends Error {
  constructor(status, what, key) {
    super(`${what ? what + ': ' : ''}${c.strerror(status)}${key ? ` (key '${key}')` : ''}`);
    this.status = status;
    this.code = c.errorName(status);
    this.key = key;
  }
}

function check(status, what, key) {
  if (status !== 0) throw new WinbackError(status, what, key);
}

/** Refuses a library whose structs differ from the ones declared here. */
function checkLayout(types = { wb_customer: Customer, wb_plan: Plan }) {
  if (c.layoutVersion() !== LAYOUT_VERSION)
    throw new LayoutError(`layout version ${c.layoutVersion()}, this package maps ${LAYOUT_VERSION}`);
  for (const [name, type] of Object.entries(types)) {
    const size = [0];
    if (c.layoutSize(name, size) !== 0) throw new LayoutError(`no layout for ${name}`);
    const info = koffi.introspect(type);
    if (Number(size[0]) !== info.size)
      throw new LayoutError(`${name} is ${size[0]} bytes in the library, ${info.size} here`);
    Object.values(info.members).forEach((m, i) => {
      const fname = [null], off = [0], fsize = [0];
      const rc = c.layoutField(name, i, fname, off, fsize);
      if (rc !== 0 || fname[0] !== m.name || Number(off[0]) !== m.offset ||
          Number(fsize[0]) !== koffi.sizeof(m.type))
        throw new LayoutError(`${name} field ${i}: the library has ${fname[0]} at ${off[0]}, ` +
                              `this package maps ${m.name} at ${m.offset}`);
    });
  }
}
checkLayout();

/** A date ('YYYY-MM-DD', Date) as days since 1970-01-01. */
function day(value) {
  if (typeof value === 'number') return value;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  const out = [0];
  check(c.dayParse(text, Buffer.byteLength(text), out), `date ${text}`);
  return out[0];
}

/** A day number as 'YYYY-MM-DD', or null for none. */
function dateOf(d) {
  if (d === DAY_NONE) return null;
  const buf = Buffer.alloc(11);
  check(c.dayFormat(d, buf, 11), 'day');
  return buf.toString('latin1', 0, 10);
}

class Policy {
  /** The rules' defaults, with overrides by key: new Policy({ tier1_days: 45 }). */
  constructor(overrides = {}) {
    this.buf = Buffer.alloc(Number(c.policySize()));
    check(c.policyInit(this.buf), 'policy');
    for (const [k, v] of Object.entries(overrides)) this.set(k, v);
  }
  set(key, value) { check(c.policySet(this.buf, key, BigInt(value)), 'policy', key); return this; }
  get(key) { const v = [0n]; check(c.policyGet(this.buf, key, v), 'policy', key); return Number(v[0]); }
  keys() { const out = []; for (let i = 0, k; (k = c.policyKey(i)) !== null; i++) out.push(k); return out; }
  toObject() { return Object.fromEntries(this.keys().map((k) => [k, this.get(k)])); }
  validated() {
    const bad = [null];
    const rc = c.policyValidate(this.buf, bad);
    check(rc, 'policy', rc ? bad[0] : undefined);
    return this.buf;
  }
}

/** Per-customer summary of purchase rows ({id, date, amount} with amount in
 * minor units), in the library's id order. */
function summarize(rows, { asOf, unitDays = 7, policy } = {}) {
  const pol = (policy || new Policy()).validated();
  const handle = [null];
  check(c.ledgerNew(null, handle), 'ledger');
  const l = handle[0];
  try {
    let last = DAY_NONE;
    rows.forEach((r, i) => {
      const d = day(r.date);
      if (d > last) last = d;
      check(c.ledgerAdd(l, String(r.id), Buffer.byteLength(String(r.id)), d, BigInt(r.amount)),
            `row ${i}`);
    });
    check(c.ledgerFinish(l), 'ledger');
    const asOfDay = asOf === undefined ? last + 1 : day(asOf);
    const n = [0];
    check(c.ledgerCount(l, n, null), 'ledger');
    const out = [];
    for (let i = 0; i < Number(n[0]); i++) {
      const lc = {}, rfm = {};
      check(c.ledgerAt(l, pol, asOfDay, i, lc), 'summarize');
      check(c.rfmFromLedger(lc, asOfDay, unitDays, rfm), 'summarize');
      out.push({
        id: Buffer.from(koffi.decode(lc.id, 'uint8_t', Number(lc.id_len))).toString('utf8'),
        firstDay: lc.first_day, lastDay: lc.last_day, purchases: lc.purchases,
        purchaseDays: lc.purchase_days, total: Number(lc.total), avgCheck: Number(lc.avg_check),
        returns: lc.history.returns, lost: lc.history.currently_lost === 1,
        frequency: rfm.x, recency: rfm.t_x, T: rfm.T, monetaryValue: rfm.m,
      });
    }
    out.asOf = asOfDay;
    return out;
  } finally {
    c.ledgerFree(l);
  }
}

function bitNames(v, nameFn, top, empty) {
  const parts = [];
  for (let b = 0; b < top; b++) if ((v >>> b) & 1) parts.push(nameFn(1 << b));
  return parts.length ? parts.join(',') : empty;
}

/** Plans for a summarize() result in one library call (wb_decide_many), as
 * `winback plan` makes them; `crm` maps an id to wb_customer fields. Each row
 * has its own status: 'OK' or the error's name. */
function plan(summary, { asOf, policy, cost = 0, years = 3, marginBp = 10000, crm = {} } = {}) {
  const pol = (policy || new Policy()).validated();
  const asOfDay = asOf === undefined ? summary.asOf : day(asOf);
  if (asOfDay === undefined) throw new TypeError('plan: give asOf (the summary has none)');
  const n = summary.length, cs = koffi.sizeof(Customer), ps = koffi.sizeof(Plan);
  const custBuf = Buffer.alloc(Math.max(n, 1) * cs);
  const template = Buffer.alloc(cs);
  check(c.customerInit(template), 'customer');
  summary.forEach((s, i) => {
    const o = i * cs;
    template.copy(custBuf, o);
    const observed = Math.max(asOfDay - s.firstDay, 365);
    const rate = Math.min(Math.floor((s.purchaseDays * 36525) / observed), 2 ** 31 - 1);
    const customer = Object.assign(koffi.decode(template, Customer), {
      last_purchase: s.lastDay, returns: s.returns, avg_check: BigInt(s.avgCheck),
      purchases_per_year_x100: rate, expected_years: years, margin_bp: marginBp,
      winback_cost: BigInt(cost) }, crm[s.id] || {});
    koffi.encode(custBuf, o, Customer, customer);
  });
  const planBuf = Buffer.alloc(Math.max(n, 1) * ps);
  const status = new Int32Array(Math.max(n, 1));
  check(c.decideMany(pol, custBuf, n, asOfDay, planBuf, status, null), 'plan');
  return summary.map((s, i) => {
    if (status[i] !== 0) return { id: s.id, status: c.errorName(status[i]) };
    const p = koffi.decode(planBuf, i * ps, Plan);
    return {
      id: s.id, status: 'OK', class: c.className(p.cls), daysSince: p.days_since,
      action: c.actionName(p.action), discountBp: p.discount_bp, clv: Number(p.clv),
      reasons: bitNames(p.reasons, c.exclusionName, 8, 'eligible'),
      escalation: c.escalationName(p.escalation), approach: c.approachName(p.approach),
      earliestContact: dateOf(p.earliest_contact), channel: c.channelName(p.channel),
      offerExpires: dateOf(p.offer_expires), signals: bitNames(p.signals, c.signalName, 4, '-'),
      priority: Number(p.priority),
    };
  });
}

function rfmBuffer(frequency, recency, T, monetary) {
  const n = frequency.length, buf = new Float64Array(Math.max(n, 1) * 4);
  for (let i = 0; i < n; i++) {
    buf[4 * i] = frequency[i];
    buf[4 * i + 1] = recency ? recency[i] : 0;
    buf[4 * i + 2] = T ? T[i] : 0;
    buf[4 * i + 3] = monetary ? monetary[i] : 0;
  }
  return buf;
}

function many(fn, model, rfm, n, ...args) {
  const out = new Float64Array(Math.max(n, 1)), status = new Int32Array(Math.max(n, 1));
  check(fn(model, rfm, n, ...args, out, status, null));
  const bad = status.findIndex((s, i) => i < n && s !== 0);
  if (bad >= 0) throw new WinbackError(status[bad], `row ${bad}`);
  return Array.from(out.subarray(0, n));
}

class BetaGeo {
  fit(frequency, recency, T) {
    const model = {}, ll = [0];
    check(c.bgnbdFit(rfmBuffer(frequency, recency, T), frequency.length, null, model, ll),
          'BG/NBD fit');
    this.params = model;
    this.logLikelihood = ll[0];
    return this;
  }
  conditionalProbabilityAlive(frequency, recency, T) {
    return many(c.pAliveMany, this.params, rfmBuffer(frequency, recency, T), frequency.length);
  }
  conditionalExpectedNumberOfPurchasesUpToTime(t, frequency, recency, T) {
    return many(c.expectedMany, this.params, rfmBuffer(frequency, recency, T),
                frequency.length, t);
  }
  toJSON() { return { model: 'bgnbd', params: this.params, logLikelihood: this.logLikelihood }; }
  static fromJSON(d) { const m = new BetaGeo(); m.params = { ...d.params }; m.logLikelihood = d.logLikelihood; return m; }
}

class GammaGamma {
  fit(frequency, monetaryValue) {
    const model = {}, ll = [0];
    check(c.ggFit(rfmBuffer(frequency, null, null, monetaryValue), frequency.length, null,
                  model, ll), 'Gamma-Gamma fit');
    this.params = model;
    this.logLikelihood = ll[0];
    return this;
  }
  conditionalExpectedAverageProfit(frequency, monetaryValue) {
    return many(c.spendMany, this.params, rfmBuffer(frequency, null, null, monetaryValue),
                frequency.length);
  }
  toJSON() { return { model: 'gamma-gamma', params: this.params, logLikelihood: this.logLikelihood }; }
  static fromJSON(d) { const m = new GammaGamma(); m.params = { ...d.params }; m.logLikelihood = d.logLikelihood; return m; }
}

/** Simple CLV in minor units (R3): avgCheck x perYear x years, on a margin. */
function clv(avgCheck, perYear, years = 3, marginBp = 10000) {
  const v = [0n], out = [0n];
  check(c.clvCenti(BigInt(avgCheck), Math.round(perYear * 100), years, v), 'clv');
  check(c.applyMargin(v[0], marginBp, out), 'clv');
  return Number(out[0]);
}

/** ROMI (R5) as a fraction; amounts in minor units. */
function romi(income, spend, marginBp = 10000) {
  const v = [0n];
  check(c.romiBp(BigInt(income), BigInt(spend), marginBp, v), 'romi');
  return Number(v[0]) / 10000;
}

/** The discount and the price to pay, minor units (R2, rounding half up). */
function discount(price, bp, rounding = 0) {
  const d = [0n], fin = [0n];
  check(c.discountApply(BigInt(price), bp, rounding, d, fin), 'discount');
  return { discount: Number(d[0]), price: Number(fin[0]) };
}

module.exports = {
  Policy, WinbackError, LayoutError, summarize, plan, BetaGeo, GammaGamma, clv, romi,
  discount, day, dateOf, checkLayout, structs: { Customer, Plan },
  libraryVersion: () => c.version(),
};
