/*
 * asleep.c -- the extras tier: who is only asleep and who is gone.
 *
 * Twelve customers summarised as (x, t_x, T) in weeks -- repeat purchases,
 * the week of the last one, the weeks since the first -- fit a BG/NBD
 * model; then two customers who both last bought 20 weeks ago get very
 * different chances of still being a customer, because one of them used
 * to buy every week and the other twice a year.
 * Build: cc asleep.c $(pkg-config --cflags --libs winback)
 */
#include <stdio.h>

#include "winback/extras.h"

static const wb_rfm BASE[] = {
    {0, 0, 40, 0}, {1, 10, 40, 0}, {2, 30, 40, 0}, {5, 38, 40, 0},
    {0, 0, 30, 0}, {3, 12, 30, 0}, {8, 29, 30, 0}, {1, 2, 30, 0},
    {0, 0, 52, 0}, {4, 50, 52, 0}, {2, 8, 52, 0}, {12, 51, 52, 0},
};

static int report(const wb_bgnbd *m, const char *who, const wb_rfm *c)
{
    double p, expected;
    int rc = wb_bgnbd_p_alive(m, c, &p, NULL);
    if (rc == WB_OK)
        rc = wb_bgnbd_expected(m, c, 26.0, &expected);
    if (rc == WB_OK)
        printf("%-22s P(alive) %.3f, purchases expected in 26 weeks %.2f\n",
               who, p, expected);
    return rc;
}

int main(void)
{
    wb_bgnbd m;
    double ll;
    /* Both last bought in week 32 of 52: 20 weeks ago. */
    const wb_rfm weekly = {30, 32, 52, 0}, twice_a_year = {1, 32, 52, 0};
    int rc = wb_bgnbd_fit(BASE, sizeof BASE / sizeof BASE[0], NULL, &m, &ll);
    if (rc == WB_OK) {
        printf("BG/NBD r %.3f alpha %.3f a %.3f b %.3f (log-likelihood %.2f)\n",
               m.r, m.alpha, m.a, m.b, ll);
        rc = report(&m, "bought every week:", &weekly);
    }
    if (rc == WB_OK)
        rc = report(&m, "bought twice a year:", &twice_a_year);
    if (rc != WB_OK)
        fprintf(stderr, "asleep example: %s\n", wb_strerror(rc));
    return rc == WB_OK ? 0 : 1;
}
