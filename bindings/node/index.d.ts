// winback for Node.js: TypeScript declarations (docs/node.md).
// Money is in minor units (cents), days are days since 1970-01-01.

export class WinbackError extends Error {
  /** The wb_status code. */ status: number;
  /** Its name without prefix, e.g. "EPOLICY". */ code: string;
  /** The policy key at fault, for policy errors. */ key?: string;
}
export class LayoutError extends Error {}

export class Policy {
  constructor(overrides?: Record<string, number>);
  set(key: string, value: number | bigint): this;
  get(key: string): number;
  keys(): string[];
  toObject(): Record<string, number>;
}

export interface PurchaseRow { id: string | number; date: string | Date | number; amount: number | bigint; }

export interface SummaryRow {
  id: string; firstDay: number; lastDay: number; purchases: number; purchaseDays: number;
  total: number; avgCheck: number; returns: number; lost: boolean;
  frequency: number; recency: number; T: number; monetaryValue: number;
}
export type Summary = SummaryRow[] & { asOf: number };

export interface PlanRow {
  id: string; status: string; class?: string; daysSince?: number; action?: string;
  discountBp?: number; clv?: number; reasons?: string; escalation?: string; approach?: string;
  earliestContact?: string | null; channel?: string; offerExpires?: string | null;
  signals?: string; priority?: number;
}

export function summarize(rows: PurchaseRow[],
  options?: { asOf?: string | Date | number; unitDays?: number; policy?: Policy }): Summary;
export function plan(summary: Summary, options?: {
  asOf?: string | Date | number; policy?: Policy; cost?: number; years?: number;
  marginBp?: number; crm?: Record<string, Record<string, number | bigint>>;
}): PlanRow[];

export interface BgnbdParams { r: number; alpha: number; a: number; b: number; }
export class BetaGeo {
  params?: BgnbdParams; logLikelihood?: number;
  fit(frequency: number[], recency: number[], T: number[]): this;
  conditionalProbabilityAlive(frequency: number[], recency: number[], T: number[]): number[];
  conditionalExpectedNumberOfPurchasesUpToTime(t: number, frequency: number[],
    recency: number[], T: number[]): number[];
  toJSON(): { model: 'bgnbd'; params: BgnbdParams; logLikelihood: number };
  static fromJSON(d: { params: BgnbdParams; logLikelihood?: number }): BetaGeo;
}
export interface GgParams { p: number; q: number; gamma: number; }
export class GammaGamma {
  params?: GgParams; logLikelihood?: number;
  fit(frequency: number[], monetaryValue: number[]): this;
  conditionalExpectedAverageProfit(frequency: number[], monetaryValue: number[]): number[];
  toJSON(): { model: 'gamma-gamma'; params: GgParams; logLikelihood: number };
  static fromJSON(d: { params: GgParams; logLikelihood?: number }): GammaGamma;
}

export function clv(avgCheck: number, perYear: number, years?: number, marginBp?: number): number;
export function romi(income: number, spend: number, marginBp?: number): number;
export function discount(price: number, bp: number, rounding?: number): { discount: number; price: number };
export function day(value: string | Date | number): number;
export function dateOf(day: number): string | null;
export function checkLayout(types?: Record<string, unknown>): void;
export function libraryVersion(): string;
export const structs: { Customer: unknown; Plan: unknown };
