/*
 * winback/extras.h -- libwinback, tier 3: double precision.
 *
 * The floating-point conveniences (ROMI as a ratio, discounted CLV) and the
 * customer-base models (BG/NBD, Gamma-Gamma). Needs an FPU (or soft float)
 * and libm; never part of a firmware image. Depends on the core and on the
 * ledger (<winback/io.h>) for wb_rfm_from_ledger.
 *
 * Naming: functions here take and return double; their names carry no
 * suffix, and every integer function elsewhere names its unit instead
 * (wb_romi_bp beside wb_romi_ratio).
 */
#ifndef WINBACK_EXTRAS_H
#define WINBACK_EXTRAS_H

#include "winback/io.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Money in double precision
 * --------------------------------------------------------------------- */

/* R5 ROMI as a double ratio (1.0 = 100 %): the same inputs and errors as
 * wb_romi_bp (core), without its rounding to a basis point. */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_romi_ratio(int64_t income, int64_t spend, int32_t margin_bp,
                  double *romi);

/* Discounted CLV: sum over periods t = 0 .. periods-1 of
 * margin_per_period * retention^t / (1 + discount_rate)^t; periods = 0
 * gives the infinite horizon m (1 + d) / (1 + d - r).
 * retention in [0, 1), discount_rate in [0, 10], margin finite.
 * Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(5)
int wb_clv_discounted(double margin_per_period, double retention,
                      double discount_rate, int32_t periods, double *clv);

/* ------------------------------------------------------------------------
 * Customer-base models: BG/NBD and Gamma-Gamma
 *
 * Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", and
 * the Gamma-Gamma spend model (lib/extras/model.c). Time is in whatever
 * unit the host chose for x, t_x and T (CDNOW's literature uses weeks).
 * All functions are reentrant (lgamma_r, no global state).
 * --------------------------------------------------------------------- */

/* One customer's summary over a calibration period. */
typedef struct wb_rfm {
    double x;    /* repeat purchases: distinct purchase days after the first */
    double t_x;  /* first to last purchase (0 when x = 0) */
    double T;    /* first purchase to the end of the calibration period */
    double m;    /* mean spend of the repeat purchases (0 when x = 0) */
} wb_rfm;

typedef struct wb_bgnbd {
    double r, alpha, a, b;
} wb_bgnbd;

typedef struct wb_gg {
    double p, q, gamma;
} wb_gg;

/* The summary of one customer from purchase days sorted ascending (equal
 * days are one purchase day; their amounts add up), amounts in minor units
 * (amounts may be NULL: m = 0), purchases after cal_end ignored, time in
 * units of unit_days (7 for weeks). Errors: WB_EMISUSE, WB_EINVAL (n = 0,
 * unit_days < 1, the first purchase after cal_end), WB_EORDER, WB_EDATE. */
WB_API WB_NODISCARD WB_NONNULL(1, 6)
int wb_rfm_from_days(const int32_t *days, const int64_t *amounts, size_t n,
                     int32_t cal_end, int32_t unit_days, wb_rfm *out);

/* The same summary from a finished ledger's customer, as of `as_of` (on or
 * after the last purchase; purchases are counted by distinct days), time in
 * units of unit_days, m in minor units. Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_rfm_from_ledger(const wb_ledger_customer *customer, int32_t as_of,
                       int32_t unit_days, wb_rfm *out);

/* Sum over n customers of the BG/NBD log-likelihood. Parameters > 0;
 * customers with 0 <= t_x <= T, x >= 0, x = 0 implying t_x = 0.
 * Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 4)
int wb_bgnbd_loglik(const wb_bgnbd *model, const wb_rfm *customers, size_t n,
                    double *ll);

/* Gradient of the summed log-likelihood with respect to log r, log alpha,
 * log a and log b (analytic, with digamma). Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 4)
int wb_bgnbd_gradient(const wb_bgnbd *model, const wb_rfm *customers,
                      size_t n, double gradient[4]);

/* Maximum-likelihood fit over the log-parameters from `start` (NULL: all
 * 1): BFGS with the analytic gradient, falling back to Nelder-Mead
 * (restarted from its own optimum) when BFGS does not reach a point where
 * the gradient vanishes. A fit succeeds only at an interior optimum: the
 * gradient of the mean log-likelihood below 1e-5, and no move of a factor
 * 22 000 along one parameter, along r and alpha together or along a and b
 * together that loses no likelihood (the edge of the parameter space).
 * *ll is the log-likelihood summed over the customers.
 * Errors: WB_EMISUSE, WB_EINVAL (bad customer, n = 0), WB_EMODEL (the data
 * cannot identify the model: no repeat buyer at all, customers too alike,
 * or no convergence). */
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_bgnbd_fit(const wb_rfm *customers, size_t n, const wb_bgnbd *start,
                 wb_bgnbd *fitted, double *ll);

/* P(alive | x, t_x, T), and its natural log (either out-pointer may be
 * NULL, not both); exact in log space, so tiny probabilities underflow to
 * 0 rather than to NaN. Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(1, 2)
int wb_bgnbd_p_alive(const wb_bgnbd *model, const wb_rfm *customer,
                     double *p_alive, double *log_p_alive);

/* Expected purchases in the next t units for this customer (conditional on
 * x, t_x, T). Uses the Gauss hypergeometric function after an Euler
 * transformation that keeps its parameters small for heavy buyers. The
 * result is always finite.
 * Errors: WB_EMISUSE, WB_EINVAL (a bad model or customer, t < 0 or not
 * finite, a = 1), WB_ERANGE (the series did not converge, as when t is
 * astronomically larger than alpha + T, or the value overflows a double). */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 4)
int wb_bgnbd_expected(const wb_bgnbd *model, const wb_rfm *customer, double t,
                      double *purchases);

/* Expected purchases in (0, t] of a customer just acquired: E[X(t)];
 * always finite. Errors: WB_EMISUSE, WB_EINVAL, WB_ERANGE (as above). */
WB_API WB_NODISCARD WB_NONNULL(1, 3)
int wb_bgnbd_expected_new(const wb_bgnbd *model, double t, double *purchases);

/* Gamma-Gamma: sum of the log-likelihood over customers with x > 0 and
 * m > 0 (others are skipped; *used, may be NULL, counts the rest), the fit
 * (start NULL: all 1) and the conditional expected average spend
 * p (gamma + x m) / (p x + q - 1) (for x = 0: the population mean
 * p gamma / (q - 1); q > 1 required). m is in whatever unit the host uses
 * (wb_rfm_from_ledger gives minor units).
 * Errors: WB_EMISUSE, WB_EINVAL, WB_EMODEL (fit: no usable customer, or a
 * parameter past e^30: spends too alike to fit). */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 4)
int wb_gg_loglik(const wb_gg *model, const wb_rfm *customers, size_t n,
                 double *ll, size_t *used);
WB_API WB_NODISCARD WB_NONNULL(1, 4)
int wb_gg_fit(const wb_rfm *customers, size_t n, const wb_gg *start,
              wb_gg *fitted, double *ll);
WB_API WB_NODISCARD WB_NONNULL(1, 2, 3)
int wb_gg_expected_spend(const wb_gg *model, const wb_rfm *customer,
                         double *spend);

/* Discounted CLV as the lifetimes library defines it: over `periods`
 * periods of `period_len` time units, the expected purchases of each period
 * (the difference of wb_bgnbd_expected at its two ends) times `spend` (e.g.
 * wb_gg_expected_spend, times a margin), discounted at `discount_rate` per
 * period: sum_i (E[Y(i L)] - E[Y((i-1) L)]) spend / (1 + d)^i.
 * periods 1..100000, period_len > 0, d >= 0. Errors: WB_EMISUSE,
 * WB_EINVAL, WB_ERANGE. */
WB_API WB_NODISCARD WB_NONNULL(1, 2, 7)
int wb_bgnbd_clv(const wb_bgnbd *model, const wb_rfm *customer, double spend,
                 int32_t periods, double period_len, double discount_rate,
                 double *clv);

/* Gupta-Lehmann CLV for a known retention r per period and discount rate d:
 * m r / (1 + d - r). 0 <= r < 1, d >= 0. Errors: WB_EMISUSE, WB_EINVAL. */
WB_API WB_NODISCARD WB_NONNULL(4)
int wb_clv_gupta_lehmann(double margin, double retention, double discount,
                         double *clv);

/* ------------------------------------------------------------------------
 * Batch calls, for FFI hosts (0.2; docs/ffi.md). As in <winback/core.h>:
 * the caller owns every array (n elements), each row gets its status in
 * status[i], row i's output is written only when status[i] is WB_OK, the
 * call fails only for a NULL model or array (WB_EMISUSE), and *failed
 * (may be NULL) counts the failed rows. Reentrant.
 * --------------------------------------------------------------------- */
WB_API WB_NODISCARD
int wb_bgnbd_p_alive_many(const wb_bgnbd *model, const wb_rfm *customers,
                          size_t n, double *p_alive, int32_t *status,
                          size_t *failed);
WB_API WB_NODISCARD
int wb_bgnbd_expected_many(const wb_bgnbd *model, const wb_rfm *customers,
                           size_t n, double t, double *purchases,
                           int32_t *status, size_t *failed);
WB_API WB_NODISCARD
int wb_gg_expected_spend_many(const wb_gg *model, const wb_rfm *customers,
                              size_t n, double *spend, int32_t *status,
                              size_t *failed);
/* wb_bgnbd_clv with each customer's Gamma-Gamma expected spend times
 * `margin` (a fraction: 1.0 for revenue). */
WB_API WB_NODISCARD
int wb_bgnbd_clv_many(const wb_bgnbd *model, const wb_gg *spend_model,
                      const wb_rfm *customers, size_t n, double margin,
                      int32_t periods, double period_len, double discount_rate,
                      double *clv, int32_t *status, size_t *failed);

/* A finished ledger as columns, one element per customer in id order
 * (n = wb_ledger_count's customers), as of `as_of` (on or after every
 * purchase) with model time in units of unit_days and the R6 history under
 * `policy` (NULL: the defaults). Set `size` to
 * sizeof(wb_ledger_columns); any pointer may be NULL to skip that column.
 * The ids are written back to back into id_bytes (wb_ledger_id_bytes()
 * bytes), customer i's being id_bytes[id_offset[i] .. id_offset[i + 1]).
 * Errors: WB_EMISUSE (NULL, or the ledger not finished), WB_ESTRUCT,
 * WB_EPOLICY, WB_EINVAL (unit_days < 1), WB_EFUTURE (a purchase after as_of); every
 * customer is checked first, so on error nothing is written. */
typedef struct wb_ledger_columns {
    uint32_t size;
    uint32_t reserved;           /* zero */
    char *id_bytes;
    uint64_t *id_offset;         /* n + 1 elements */
    int32_t *first_day, *last_day;
    int32_t *purchases;          /* rows */
    int32_t *purchase_days;      /* distinct days */
    int64_t *total;              /* minor units */
    int64_t *avg_check;          /* total / purchase_days, half up */
    int32_t *returns;            /* R6: lost and came back */
    int32_t *currently_lost;     /* 1 when lost as of as_of */
    double *x, *t_x, *T;         /* the BG/NBD summary (wb_rfm) */
    double *mean_spend;          /* m: mean repeat spend, minor units */
} wb_ledger_columns;
WB_API WB_NODISCARD WB_NONNULL(1, 5)
int wb_ledger_export(const wb_ledger *ledger, const wb_policy *policy,
                     int32_t as_of, int32_t unit_days,
                     const wb_ledger_columns *columns);

#ifdef __cplusplus
}
#endif
#endif /* WINBACK_EXTRAS_H */
