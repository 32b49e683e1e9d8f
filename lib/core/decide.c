/*
 * decide.c -- the decision call: one customer's facts -> the whole plan.
 *
 * wb_decide composes the rule functions; it adds no rule of its own except
 * the order in which they apply and the priority score (docs/decision.md).
 * It validates everything first and writes *plan only on success. The
 * policy is validated once, here; the rules are called through their wb__
 * forms, which skip that check.
 */
#include "core/internal.h"

/* A step of the decision. Size-first builds keep each in a frame of its
 * own, called from wb_decide one level deep, for the stack bound of
 * docs/embedded.md; elsewhere the compiler may inline them, which saves
 * their calls on the batch path (wb_decide_many). */
#if WB_SMALL_CODE
#  define WB_STEP WB_NOINLINE static
#else
#  define WB_STEP static WB_ALWAYS_INLINE
#endif

int wb_customer_init(wb_customer *c)
{
    WB_RETURN_IF(c == NULL, WB_EMISUSE);
    *c = (wb_customer){0};
    c->size = sizeof *c;
    c->last_purchase = WB_DAY_NONE;
    c->incident_day = WB_DAY_NONE;
    c->last_contact = WB_DAY_NONE;
    c->reason = WB_REASON_UNKNOWN;
    c->nps = WB_NPS_NONE;
    c->margin_bp = WB_BP_ONE;
    c->clv = WB_MONEY_NONE;
    return WB_OK;
}

size_t wb_customer_size(void)
{
    return sizeof(wb_customer);
}

size_t wb_plan_size(void)
{
    return sizeof(wb_plan);
}

/* A day field that may be WB_DAY_NONE and must not be after as_of. */
static int check_past_day(int32_t day, int32_t as_of)
{
    if (day == WB_DAY_NONE)
        return WB_OK;
    WB_RETURN_IF(!wb__day_ok(day), WB_EDATE);
    WB_RETURN_IF(day > as_of, WB_EFUTURE);
    return WB_OK;
}

WB_STEP int check_customer(const wb_customer *c, int32_t as_of)
{
    WB_RETURN_IF(c->size != sizeof *c, WB_ESTRUCT);
    WB_RETURN_IF(!wb__day_ok(as_of), WB_EDATE);
    WB_FORWARD(check_past_day(c->last_purchase, as_of));
    WB_FORWARD(check_past_day(c->incident_day, as_of));
    WB_FORWARD(check_past_day(c->last_contact, as_of));
    WB_RETURN_IF(c->severity < 0 || c->severity > 5, WB_ESEVERITY);
    WB_RETURN_IF((c->flags & ~WB_CUST_ALL_MASK) != 0, WB_EINVAL);
    WB_RETURN_IF(c->reason < 0 || c->reason >= WB_REASON_COUNT, WB_EINVAL);
    /* Groups of signs in one test each, or-ed (negative when any one is):
     * the batch call runs this for every customer. */
    WB_RETURN_IF((c->returns | c->complaints | c->discount_demands |
                  c->contacts_since_purchase | c->requests) < 0, WB_EINVAL);
    WB_RETURN_IF(c->nps != WB_NPS_NONE && (c->nps < 0 || c->nps > 10),
                 WB_EINVAL);
    WB_RETURN_IF(c->margin_bp < -WB_BP_ONE || c->margin_bp > WB_BP_ONE,
                 WB_EINVAL);
    WB_RETURN_IF((c->purchases_per_year_x100 | c->expected_years) < 0, WB_EINVAL);
    WB_RETURN_IF((c->avg_check | c->winback_cost) < 0, WB_EINVAL);
    WB_RETURN_IF(c->clv != WB_MONEY_NONE && c->clv < 0, WB_EINVAL);
    WB_RETURN_IF((c->reserved[0] | c->reserved[1] | c->reserved[2] |
                  c->reserved[3]) != 0, WB_EINVAL);
    return WB_OK;
}

/* The CLV the gate uses: the host's own, or rate x years on margin (R3),
 * rounded as wb_clv_centi and wb_apply_margin round. The mul-divs are
 * called directly, not through those two functions, so that the chain
 * under wb_decide stays one frame shallower. *clv is written only on
 * success. */
WB_STEP int customer_clv(const wb_customer *c, int64_t *clv)
{
    int32_t m = c->margin_bp;
    if (c->clv != WB_MONEY_NONE) {
        *clv = c->clv;
        return WB_OK;
    }
    WB_FORWARD(wb__muldiv_round(c->avg_check, (int64_t)c->purchases_per_year_x100 *
                                c->expected_years, 100, clv));
    /* *clv >= 0 and |margin| <= 100 %: this cannot fail, and -*clv fits. */
    WB_FORWARD(wb__muldiv_round(*clv, m < 0 ? -m : m, WB_BP_ONE, clv));
    if (m < 0)
        *clv = -*clv;
    return WB_OK;
}

/* R9: signals of a lost customer. */
static uint32_t lost_signals(const wb_policy *p, const wb_customer *c,
                             int lost_by_recency)
{
    uint32_t s = 0;
    if (lost_by_recency)
        s |= WB_SIGNAL_RECENCY;
    if (c->nps != WB_NPS_NONE && c->nps <= p->nps_detractor_max)
        s |= WB_SIGNAL_DETRACTOR;
    if ((c->flags & WB_CUST_STAFF_CONFLICT) || c->reason == WB_REASON_CONFLICT)
        s |= WB_SIGNAL_CONFLICT;
    if (c->requests > p->max_contacts_without_purchase)
        s |= WB_SIGNAL_REQUESTS;
    return s;
}

/* R8: every reason not to win back a lapsed customer but the R4 gate,
 * which wb_decide applies (see there). */
static uint32_t exclusions(const wb_policy *p, const wb_customer *c,
                           int lost_now, int32_t escalation)
{
    uint32_t r = 0;
    int reachable = (c->flags & WB_CUST_REACHABLE) != 0;
    /* returns + lost_now >= lost_twice_count, in int32: the count is at
     * least 1, so the subtraction cannot wrap where the sum could. */
    if (c->returns >= p->lost_twice_count - lost_now)
        r |= WB_EXCL_LOST_TWICE;
    if ((c->flags & WB_CUST_TOXIC) ||
        (c->complaints >= p->toxic_complaints &&
         c->discount_demands >= p->toxic_discount_demands))
        r |= WB_EXCL_TOXIC;
    if (c->margin_bp <= 0)
        r |= WB_EXCL_NO_MARGIN;
    if (c->flags & WB_CUST_BAD_PAYER)
        r |= WB_EXCL_BAD_PAYER;
    if (c->flags & WB_CUST_OUT_OF_TARGET)
        r |= WB_EXCL_OUT_OF_TARGET;
    if (!reachable && ((c->flags & WB_CUST_OUT_OF_AREA) ||
                       c->reason == WB_REASON_MOVED ||
                       c->reason == WB_REASON_BUSINESS_CHANGED))
        r |= WB_EXCL_OUT_OF_AREA;
    if (escalation == WB_ESCALATE_NO_ACTIVE)
        r |= WB_EXCL_COOLING_OFF;
    return r;
}

static int32_t action_for(int32_t cls, uint32_t reasons)
{
    if (reasons & WB_EXCL_HARD_MASK)
        return WB_ACTION_EXCLUDE;
    if (reasons != 0)
        return WB_ACTION_SOFT;
    switch (cls) {
    case WB_CLASS_WATCH: return WB_ACTION_MONITOR;
    case WB_CLASS_TIER1:
    case WB_CLASS_TIER2:
    case WB_CLASS_TIER3: return WB_ACTION_WINBACK;
    default: return WB_ACTION_NONE;
    }
}

/* The first day the cadence allows a contact: as_of, or min_recontact_days
 * after the last one. For valid inputs: the sum fits int32. late_errors
 * and earliest_contact each work it out (a compare and an add): carried
 * from one to the other, it cost wb_decide 8 bytes of Cortex-M0+ stack,
 * over the bound. */
static int32_t cadence_day(const wb_policy *p, const wb_customer *c,
                           int32_t as_of)
{
    if (c->last_contact != WB_DAY_NONE &&
        c->last_contact + p->min_recontact_days > as_of)
        return c->last_contact + p->min_recontact_days;
    return as_of;
}

/* The first day a contact is allowed: the cadence's, or the end of a
 * cooling-off pause; late_errors has checked that both are days. */
static int32_t earliest_contact(const wb_policy *p, const wb_customer *c,
                                int32_t as_of, uint32_t reasons)
{
    int32_t first = cadence_day(p, c, as_of);
    if (reasons & WB_EXCL_COOLING_OFF) {
        /* The pause runs from the incident, or from when they left. */
        int32_t from = c->incident_day != WB_DAY_NONE ? c->incident_day
                                                      : c->last_purchase;
        int32_t until = from + p->cooling_off_days;
        if (until > first)
            return until;
    }
    return first;
}

/* What a win-back's value counts for in its priority, in bp: (1 -
 * difficulty) x D / (D + days past the lost threshold) -- the sooner, the
 * easier (revision 2; D = 0: no decay) -- and for a strategic customer
 * times the policy's weight. Each step rounds half up, in int32: at most
 * 10^4 x 36500 over 36500 + 3.7 x 10^6 days, then 10^4 x 10^5 over 10^4. */
WB_STEP int32_t value_share_bp(const wb_policy *p,
                                          const wb_customer *c,
                                          const wb_plan *pl)
{
    int32_t share = WB_BP_ONE - pl->difficulty_bp, d = p->priority_decay_days;
    if (d > 0) {
        /* Lost by a signal before the threshold: 0 days past it. */
        int32_t past = pl->days_since - wb__class_floor(p, p->lost_class);
        int32_t whole = d + (past > 0 ? past : 0);
        share = (share * d + whole / 2) / whole;
    }
    if (c->flags & WB_CUST_STRATEGIC)
        share = (share * p->strategic_weight_bp + WB_BP_ONE / 2) / WB_BP_ONE;
    return share;
}

/* The priority (docs/decision.md): the expected net value of the win-back
 * -- for a strategic customer their whole CLV, the cost not subtracted --
 * times value_share_bp. Only the weight can take the score past the CLV:
 * beyond int64 it saturates at INT64_MAX, first in line, rather than fail
 * a plan half built. Called from wb_decide, one level deep
 * (docs/embedded.md). */
WB_STEP void priority(const wb_policy *p, const wb_customer *c,
                                 wb_plan *pl)
{
    int32_t share = value_share_bp(p, c, pl);
    int64_t value = pl->clv > c->winback_cost ? pl->clv - c->winback_cost : 0;
    if (c->flags & WB_CUST_STRATEGIC)
        value = pl->clv;            /* >= 0: a margin <= 0 excludes */
    if (wb__muldiv_round(value, share, WB_BP_ONE, &pl->priority) != WB_OK)
        pl->priority = INT64_MAX;
}

/* The contact the plan makes, if any, and through which channel (R8,
 * revision 2): a win-back, with its approach, discount and offer expiry;
 * a soft "keep in touch" contact, a newsletter through the automated
 * channel; or rule 13's one apology to a customer lost twice (and not
 * toxic: then no contact at all). Each on the first day a contact is
 * allowed: the cadence, and a cooling-off pause if one runs. */
WB_STEP void outreach(const wb_policy *p, const wb_customer *c,
                      int32_t as_of, wb_plan *pl)
{
    int32_t slot;                   /* in the policy's channel map */
    switch (pl->action) {
    case WB_ACTION_WINBACK:         /* escalation 1..4: NO_ACTIVE is SOFT */
        slot = pl->escalation - 1;
        break;
    case WB_ACTION_SOFT:
        slot = WB_ESCALATE_AUTOMATED - 1;
        pl->approach = WB_APPROACH_KEEP_IN_TOUCH;
        break;
    case WB_ACTION_EXCLUDE:
        if ((pl->reasons & (WB_EXCL_LOST_TWICE | WB_EXCL_TOXIC)) == WB_EXCL_LOST_TWICE) {
            slot = 4;               /* the apology's entry */
            pl->approach = WB_APPROACH_APOLOGY;
            break;
        }
        return;
    default:
        return;
    }
    pl->channel = p->channel[slot];
    pl->earliest_contact = earliest_contact(p, c, as_of, pl->reasons);
    if (pl->action != WB_ACTION_WINBACK)
        return;
    /* late_errors has checked that the expiry exists. */
    pl->offer_expires = pl->earliest_contact + p->offer_valid_days;
    pl->approach = wb__approach_of(c->reason, (c->flags & WB_CUST_REACHABLE) != 0);
    if (p->discount_reasons & (1u << c->reason))
        pl->discount_bp = wb__ladder_of(p, pl->cls);
}

/* The plan's facts: class, days since, difficulty, escalation, and every
 * field a later step may leave alone. With valid inputs (wb_decide has
 * checked them) nothing here can fail: it returns WB_OK, a status kept
 * because without it GCC -Os saves two more registers in wb_decide, 8
 * bytes over the Cortex-M0+ stack bound. Every field is set one by one:
 * zeroing the struct first compiles to a string instruction (rep stos)
 * that cost a fifth of the call. */
WB_STEP int plan_facts(const wb_policy *p, const wb_customer *c,
                        int32_t as_of, wb_plan *pl)
{
    pl->size = sizeof *pl;
    pl->escalation = WB_ESCALATE_AUTOMATED;
    pl->sensitive = c->returns > 0;
    pl->avoid_employee = c->lost_by_employee;
    pl->reserved[0] = 0;
    pl->channel = WB_CHANNEL_NONE;
    pl->offer_expires = WB_DAY_NONE;
    pl->earliest_contact = WB_DAY_NONE;
    pl->approach = WB_APPROACH_NONE;
    pl->discount_bp = 0;
    pl->priority = 0;
    /* check_customer has checked the days and the severity: the rules
     * apply directly, without the checks of wb__classify and the like. */
    if (c->last_purchase == WB_DAY_NONE) {
        pl->cls = WB_CLASS_NEVER;
        pl->days_since = -1;
    } else {
        pl->days_since = as_of - c->last_purchase;
        pl->cls = wb__class_of_days(p, pl->days_since);
    }
    pl->difficulty_bp = 0;          /* no incident: nothing to forgive */
    if (c->severity > 0) {
        int32_t age = c->incident_day != WB_DAY_NONE ? as_of - c->incident_day : 0;
        pl->difficulty_bp = wb__difficulty_of(p, c->severity,
                                              (c->flags & WB_CUST_HUMAN_FACTOR) != 0,
                                              age);
        pl->escalation = p->escalation[c->severity - 1];
    } else if (c->reason == WB_REASON_SERVICE || c->reason == WB_REASON_CONFLICT ||
             (c->flags & (WB_CUST_HUMAN_FACTOR | WB_CUST_STAFF_CONFLICT)))
        /* No severity recorded, yet people failed: the contact still comes
         * from above ([Strategies]: "a personal call from a superior"). */
        pl->escalation = p->unrated_escalation;
    return WB_OK;
}

/* Signals, exclusions and the action, on top of the facts and of
 * pl->reasons holding the R4 verdict. R9 (revision 2): a customer who has
 * bought but is not lapsed by recency, and is a detractor, had a conflict
 * or made too many requests, is lost by signal: checked for exclusions and
 * won back like a lapsed one -- its class, and so the ladder (0 below tier
 * 1), stay its recency's. */
WB_STEP void plan_action(const wb_policy *p, const wb_customer *c,
                                    wb_plan *pl)
{
    int lost_now = pl->cls >= p->lost_class;  /* NEVER is below every one */
    pl->signals = lost_signals(p, c, lost_now);
    int by_signal = p->lost_by_signal && pl->cls != WB_CLASS_NEVER &&
                    pl->cls < WB_CLASS_TIER1 && (pl->signals & ~WB_SIGNAL_RECENCY);
    /* Only lost customers are candidates for exclusion. */
    pl->reasons = pl->cls >= WB_CLASS_TIER1 || by_signal
                      ? pl->reasons | exclusions(p, c, lost_now, pl->escalation)
                      : 0;
    pl->action = action_for(by_signal ? WB_CLASS_TIER1 : pl->cls, pl->reasons);
}

/* The days a plan may name must exist: the next contact after last_contact,
 * the expiry of an offer made then, and the end of a cooling-off pause.
 * Checked before anything is written, whatever the action turns out to be,
 * so that building cannot fail half-way and *plan stays untouched on error
 * without a scratch copy (which would cost firmware 96 bytes of stack). A
 * day here is at most WB_DAY_MAX and an offset at most WB_POLICY_MAX_DAYS:
 * every sum fits int32. */
WB_STEP int late_errors(const wb_policy *p, const wb_customer *c,
                        int32_t as_of)
{
    if (cadence_day(p, c, as_of) + p->offer_valid_days > WB_DAY_MAX)
        return WB_EDATE;
    if (c->severity > 0 &&
        p->escalation[c->severity - 1] == WB_ESCALATE_NO_ACTIVE) {
        int32_t from = c->incident_day != WB_DAY_NONE ? c->incident_day
                                                      : c->last_purchase;
        if (from != WB_DAY_NONE && from + p->cooling_off_days > WB_DAY_MAX)
            return WB_EDATE;
    }
    return WB_OK;
}

/* wb_decide once the policy is known to be valid: the body of both the
 * single call and the batch one (wb__decide_each). Always inlined, so that
 * wb_decide stays one frame on a Cortex-M0+. */
static inline __attribute__((always_inline))
int decide_checked(const wb_policy *p, const wb_customer *c, int32_t as_of,
                   wb_plan *plan)
{
    WB_FORWARD(check_customer(c, as_of));
    WB_FORWARD(late_errors(p, c, as_of));
    /* The last step that can fail; it writes plan->clv only on success. */
    WB_FORWARD(customer_clv(c, &plan->clv));
    /* The plan is built in steps called from here, one level deep, rather
     * than nested: on Cortex-M0+ the whole call must fit 128 bytes of
     * stack (docs/embedded.md), and each level of nesting costs 24 or
     * more. The R4 gate goes first, into plan->reasons; a strategic
     * customer passes it (R8, revision 2). */
    plan->reasons = (c->flags & WB_CUST_STRATEGIC) ||
                            wb__winback_worth(plan->clv, c->winback_cost,
                                              p->min_clv_ratio_bp)
                        ? 0 : WB_EXCL_UNECONOMIC;
    WB_FORWARD(plan_facts(p, c, as_of, plan));
    plan_action(p, c, plan);
    outreach(p, c, as_of, plan);
    if (plan->action == WB_ACTION_WINBACK)
        priority(p, c, plan);
    return WB_OK;
}

/* The loop is here, with the body inlined in it, rather than in batch.c
 * calling the body once a customer. */
size_t wb__decide_each(const wb_policy *p, const wb_customer *customers,
                       size_t n, int32_t as_of, wb_plan *plans, int32_t *status)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        status[i] = decide_checked(p, &customers[i], as_of, &plans[i]);
        bad += status[i] != WB_OK;
    }
    return bad;
}

/* Size-first builds inline the body here too, so that the call stays one
 * frame deep; hosts make it a batch of one, so that the inlined steps
 * exist once (and every branch of theirs is the same branch for both
 * calls). */
int wb_decide(const wb_policy *p, const wb_customer *c, int32_t as_of,
              wb_plan *plan)
{
    WB_RETURN_IF(c == NULL || plan == NULL, WB_EMISUSE);
    WB_FORWARD(wb__policy_check(p));
#if WB_SMALL_CODE
    return decide_checked(p, c, as_of, plan);
#else
    int32_t status;
    (void)wb__decide_each(p, c, 1, as_of, plan, &status);
    return status;
#endif
}
