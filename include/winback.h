/*
 * winback.h -- libwinback public interface: the one line a host needs.
 *
 * libwinback decides how to win lapsed customers back: how long a customer
 * has been gone (recency classes), what they are worth (CLV) and what a
 * win-back returns (ROMI), which discount to offer (the 10/15/20 % ladder),
 * how bad the cause of leaving was (the 1..5 severity scale), who must not
 * be chased at all (lost twice, toxic, uneconomic), and with the BG/NBD
 * and Gamma-Gamma models who is only asleep.
 *
 * The library comes in three link tiers, one header each (lib/README.md):
 *   <winback/core.h>    the integer rules and the decision: no heap, no
 *                       FPU, no libm; what firmware includes and links
 *   <winback/io.h>      the customer ledger and the purchase-log reader
 *   <winback/extras.h>  double precision: ROMI as a ratio, discounted CLV,
 *                       BG/NBD and Gamma-Gamma
 * Each includes the tiers it depends on. Units and conventions are in
 * <winback/core.h>.
 */
#ifndef WINBACK_H
#define WINBACK_H

#include "winback/core.h"
#include "winback/io.h"
#include "winback/extras.h"

#endif /* WINBACK_H */
