/*
 * fuzz_decide.c -- the decision call on arbitrary structs.
 *
 * The bytes become a policy and a customer (their size fields set so the
 * layout is accepted). Properties: no crash; a plan is produced only for a
 * valid policy, and then its fields are in their documented ranges and
 * consistent with each other; on error the plan is untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "winback/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_plan(const wb_plan *p, const wb_policy *pol,
                       const wb_customer *c, int32_t as_of)
{
    if (p->size != sizeof *p) abort();
    if (p->cls < WB_CLASS_NEVER || p->cls > WB_CLASS_TIER3) abort();
    if (p->action < WB_ACTION_NONE || p->action > WB_ACTION_EXCLUDE) abort();
    if (p->discount_bp < 0 || p->discount_bp > 10000) abort();
    if (p->discount_bp != 0 && p->action != WB_ACTION_WINBACK) abort();
    if (p->escalation < WB_ESCALATE_AUTOMATED || p->escalation > WB_ESCALATE_NO_ACTIVE) abort();
    if (p->difficulty_bp < 0 || p->difficulty_bp > 10000) abort();
    if ((p->reasons & ~WB_EXCL_ALL_MASK) != 0) abort();
    if ((p->reasons & WB_EXCL_HARD_MASK) && p->action != WB_ACTION_EXCLUDE) abort();
    if (p->priority < 0 || (p->priority != 0 && p->action != WB_ACTION_WINBACK)) abort();
    /* Rule 13: an excluded lost-twice customer who is not toxic gets one
     * apology letter, with a contact day; otherwise only outreach has one. */
    int apology = p->action == WB_ACTION_EXCLUDE &&
                  (p->reasons & (WB_EXCL_LOST_TWICE | WB_EXCL_TOXIC)) == WB_EXCL_LOST_TWICE;
    if ((p->approach == WB_APPROACH_APOLOGY) != apology) abort();
    if ((p->action == WB_ACTION_WINBACK || p->action == WB_ACTION_SOFT || apology) !=
        (p->earliest_contact != WB_DAY_NONE)) abort();
    if (p->earliest_contact != WB_DAY_NONE && p->earliest_contact < as_of) abort();
    /* R8, revision 2: a channel exactly when a contact is due; an offer
     * that expires exactly when a win-back makes one. */
    if ((p->channel != WB_CHANNEL_NONE) != (p->earliest_contact != WB_DAY_NONE)) abort();
    if (p->channel < WB_CHANNEL_NONE || p->channel > WB_CHANNEL_MEETING) abort();
    if (p->action == WB_ACTION_WINBACK
            ? p->offer_expires != p->earliest_contact + pol->offer_valid_days
            : p->offer_expires != WB_DAY_NONE) abort();
    if (p->reserved[0] != 0) abort();
    /* The R4 gate never excludes a strategic customer. */
    if ((c->flags & WB_CUST_STRATEGIC) && (p->reasons & WB_EXCL_UNECONOMIC)) abort();
    if (p->sensitive != (c->returns > 0)) abort();
    if (p->cls == WB_CLASS_NEVER ? p->days_since != -1 : p->days_since < 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_policy policy;
    wb_customer c;
    wb_plan plan, untouched;
    int32_t as_of;
    if (size < sizeof c + 4) return 0;
    if (wb_policy_init(&policy) != WB_OK) abort();
    memcpy(&c, data, sizeof c);
    memcpy(&as_of, data + sizeof c, 4);
    c.size = sizeof c;
    /* The rest of the input, if any, overwrites the start of the policy. */
    size_t rest = size - sizeof c - 4;
    if (rest > 0) {
        memcpy(&policy, data + sizeof c + 4, rest < sizeof policy ? rest : sizeof policy);
        policy.size = sizeof policy;
    }
    memset(&plan, 0xA5, sizeof plan);
    untouched = plan;
    int rc = wb_decide(&policy, &c, as_of, &plan);
    int valid = wb_policy_validate(&policy, NULL) == WB_OK;
    if (rc == WB_OK) {
        if (!valid) abort();
        check_plan(&plan, &policy, &c, as_of);
    } else if (memcmp(&plan, &untouched, sizeof plan) != 0) {
        abort();
    }
    return 0;
}
