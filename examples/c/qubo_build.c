/* Build constrained models and problem instances through the C ABI: constraint penalties on an
 * NqBqm, the max-cut / knapsack / TSP / colouring generators, and the HVAC schedule with its
 * decoder, then check them by brute force over every assignment against answers worked out here
 * directly (constraint evaluation, known optima, the HVAC cost definition), and check that bad
 * input is rejected without writing outputs or changing the model. Exits non-zero on the first
 * failed check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"


static int close_to(double a, double b) { return fabs(a - b) <= 1e-9 * (1.0 + fabs(a) + fabs(b)); }

/* Energies of every BINARY assignment of `bqm` (variable i = bit i of the row index). The caller
 * frees both arrays. Returns the number of variables. */
static size_t enumerate(const NqBqm *bqm, int8_t **samples_out, double **energies_out) {
    size_t n = 0;
    OK(nq_bqm_num_variables(bqm, &n));
    size_t rows = (size_t)1 << n;
    int8_t *samples = malloc(rows * n);
    double *energies = malloc(rows * sizeof(double));
    for (size_t m = 0; m < rows; m++)
        for (size_t i = 0; i < n; i++) samples[m * n + i] = (int8_t)((m >> i) & 1);
    OK(nq_bqm_energies(bqm, samples, rows * n, energies, rows));
    *samples_out = samples;
    *energies_out = energies;
    return n;
}

static size_t argmin(const double *e, size_t len) {
    size_t best = 0;
    for (size_t k = 1; k < len; k++)
        if (e[k] < e[best]) best = k;
    return best;
}

/* ---- penalties ---- */

static void penalties(void) {
    /* 3 x0 + 5 x1 + 2 x2 <= 7 with strength 2: slack in [0, 7], weights 1, 2, 4 (dimod's encoding). */
    NqBqm *bqm = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_BINARY, 3, &bqm));
    const uint32_t vars[3] = {0, 1, 2};
    const double coeffs[3] = {3.0, 5.0, 2.0};
    NqPenaltyReport r;
    OK(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, NQ_SENSE_LE, 7.0, 2.0, NQ_RESOLUTION_AUTO, &r));
    CHECK(r.strength == 2.0 && r.resolution == 1.0 && r.min_violation_penalty == 2.0);
    CHECK(r.slack_begin == 3 && r.slack_end == 6 && r.always_satisfied == 0 && r.auto_strength == 0);

    /* Penalty minimised over the slack: zero iff 3 x0 + 5 x1 + 2 x2 <= 7, else >= 2 (violation² · 2). */
    int8_t *s;
    double *e;
    size_t n = enumerate(bqm, &s, &e);
    CHECK(n == 6);
    for (int x = 0; x < 8; x++) {
        double best = INFINITY;
        for (int z = 0; z < 8; z++) best = fmin(best, e[x | (z << 3)]);
        double lhs = 3.0 * (x & 1) + 5.0 * ((x >> 1) & 1) + 2.0 * ((x >> 2) & 1);
        if (lhs <= 7.0)
            CHECK(best == 0.0);
        else
            CHECK(close_to(best, 2.0 * (lhs - 7.0) * (lhs - 7.0)));
    }
    free(s);
    free(e);

    /* Objective −x0 − x1 − x2 − x3 with "exactly two of four" at the automatic strength 1 + 4 = 5:
     * the minimum is −2 at a two-hot assignment; then x0 <= x3 keeps it two-hot with x0 → x3. */
    NqBqm *obj = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_BINARY, 4, &obj));
    const double minus_one[4] = {-1.0, -1.0, -1.0, -1.0};
    OK(nq_bqm_add_linear_array(obj, minus_one, 4));
    double w = 0.0;
    OK(nq_bqm_objective_range_bound(obj, &w));
    CHECK(w == 4.0);
    const uint32_t four[4] = {0, 1, 2, 3};
    OK(nq_bqm_add_k_hot(obj, four, 4, 2, NQ_STRENGTH_AUTO, &r));
    CHECK(r.strength == 5.0 && r.auto_strength == 1 && r.slack_begin == r.slack_end);
    OK(nq_bqm_add_less_equal(obj, 0, 3, 1.0 + w, NULL));
    OK(nq_bqm_add_at_most_one(obj, four + 1, 2, 1.0 + w, &r)); /* not both x1 and x2 */
    n = enumerate(obj, &s, &e);
    for (size_t m = 0; m < 16; m++) {
        int x0 = m & 1, x1 = (m >> 1) & 1, x2 = (m >> 2) & 1, x3 = (m >> 3) & 1;
        int feasible = (x0 + x1 + x2 + x3 == 2) && x0 <= x3 && x1 + x2 <= 1;
        if (feasible) CHECK(e[m] == -2.0);
        else CHECK(e[m] >= 1.0); /* objective >= −4, every violation costs >= 5 */
    }
    free(s);
    free(e);

    /* Equality in a SPIN model: the same penalty on the same assignment (x = (s + 1) / 2). */
    NqBqm *spin = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 2, &spin));
    const double c2[2] = {5.0, -2.0};
    OK(nq_bqm_add_linear_equality(spin, vars, 2, c2, 2, 3.0, 10.0, NQ_RESOLUTION_AUTO, &r));
    const int8_t spins[8] = {-1, -1, 1, -1, -1, 1, 1, 1};
    double es[4];
    OK(nq_bqm_energies(spin, spins, 8, es, 4));
    CHECK(es[0] == 90.0 && es[1] == 40.0 && es[2] == 250.0 && es[3] == 0.0); /* 10 (5 x0 − 2 x1 − 3)² */

    /* Bad input: the status names the argument, `r` is not written, the model is unchanged. */
    size_t vars_before = 0, vars_after = 0, pairs_before = 0, pairs_after = 0;
    double off_before = 0.0, off_after = 0.0;
    OK(nq_bqm_num_variables(bqm, &vars_before));
    OK(nq_bqm_num_interactions(bqm, &pairs_before));
    OK(nq_bqm_offset(bqm, &off_before));
    memset(&r, 0xAB, sizeof r);
    NqPenaltyReport untouched;
    memcpy(&untouched, &r, sizeof r);
    const uint32_t bad_vars[2] = {0, 9};
    const double nan_coeffs[2] = {1.0, NAN};
    EXPECT_ERROR(nq_bqm_add_linear_equality(bqm, bad_vars, 2, coeffs, 2, 1.0, 1.0, 0.0, &r), NQ_INDEX_OUT_OF_RANGE, "vars");
    EXPECT_ERROR(nq_bqm_add_linear_equality(bqm, vars, 2, nan_coeffs, 2, 1.0, 1.0, 0.0, &r), NQ_NON_FINITE, "coeffs");
    EXPECT_ERROR(nq_bqm_add_linear_equality(bqm, vars, 3, coeffs, 2, 1.0, 1.0, 0.0, &r), NQ_DIMENSION_MISMATCH, "coeffs");
    EXPECT_ERROR(nq_bqm_add_linear_equality(bqm, vars, 3, coeffs, 3, 11.0, 1.0, 0.0, &r), NQ_INVALID_ARGUMENT, "no assignment");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, 7, 1.0, 1.0, 0.0, &r), NQ_INVALID_ARGUMENT, "sense");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, NQ_SENSE_GE, 11.0, 1.0, 0.0, &r), NQ_INVALID_ARGUMENT, "no assignment");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, NQ_SENSE_LE, 1.0, -1.0, 0.0, &r), NQ_INVALID_ARGUMENT, "strength");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, NQ_SENSE_LE, 1.0, NAN, 0.0, &r), NQ_INVALID_ARGUMENT, "strength");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, NQ_SENSE_LE, 1.0, 1.0, -2.0, &r), NQ_INVALID_ARGUMENT, "resolution");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, vars, 3, coeffs, 3, NQ_SENSE_LE, 1.0, 1.0, 2.0, &r), NQ_INVALID_ARGUMENT, "not a multiple");
    EXPECT_ERROR(nq_bqm_add_linear_inequality(bqm, NULL, 3, coeffs, 3, NQ_SENSE_LE, 1.0, 1.0, 0.0, &r), NQ_NULL_ARGUMENT, "vars");
    EXPECT_ERROR(nq_bqm_add_less_equal(bqm, 1, 1, 1.0, &r), NQ_INVALID_ARGUMENT, "distinct");
    EXPECT_ERROR(nq_bqm_add_greater_equal(bqm, 0, 6, 1.0, &r), NQ_INDEX_OUT_OF_RANGE, "`y`");
    const uint32_t dup[3] = {0, 1, 0};
    EXPECT_ERROR(nq_bqm_add_exactly_one(bqm, dup, 3, 1.0, &r), NQ_INVALID_ARGUMENT, "twice");
    EXPECT_ERROR(nq_bqm_add_k_hot(bqm, vars, 3, 4, 1.0, &r), NQ_INVALID_ARGUMENT, "`k`");
    EXPECT_ERROR(nq_bqm_add_at_least_all_but_one(NULL, vars, 3, 1.0, &r), NQ_NULL_ARGUMENT, "bqm");
    OK(nq_bqm_num_variables(bqm, &vars_after));
    OK(nq_bqm_num_interactions(bqm, &pairs_after));
    OK(nq_bqm_offset(bqm, &off_after));
    CHECK(vars_after == vars_before && pairs_after == pairs_before && off_after == off_before);
    CHECK(memcmp(&r, &untouched, sizeof r) == 0);

    /* Overflow while expanding: the second 1e308 penalty on the same pairs overflows; the model
     * keeps the first one exactly. */
    NqBqm *big = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_BINARY, 3, &big));
    OK(nq_bqm_add_at_most_one(big, vars, 3, 1e308, &r));
    EXPECT_ERROR(nq_bqm_add_at_most_one(big, vars, 3, 1e308, &untouched), NQ_NON_FINITE, "overflows");
    double q = 0.0;
    OK(nq_bqm_get_quadratic(big, 0, 2, &q));
    CHECK(q == 1e308);
    nq_bqm_free(big);

    nq_bqm_free(spin);
    nq_bqm_free(obj);
    nq_bqm_free(bqm);
}

/* ---- generators ---- */

static void generators(void) {
    /* Max-cut of the 5-cycle: an odd cycle cuts 4 of its 5 edges. */
    const uint32_t cu[5] = {0, 1, 2, 3, 4}, cv[5] = {1, 2, 3, 4, 0};
    const double ones[5] = {1, 1, 1, 1, 1};
    NqBqm *mc = NULL;
    OK(nq_bqm_new_max_cut(5, cu, 5, cv, 5, ones, 5, &mc));
    int8_t *s;
    double *e;
    size_t n = enumerate(mc, &s, &e);
    CHECK(n == 5 && e[argmin(e, 32)] == -4.0);
    free(s);
    free(e);
    NqBqm *never = NULL;
    const uint32_t loop[1] = {2};
    EXPECT_ERROR(nq_bqm_new_max_cut(5, loop, 1, loop, 1, ones, 1, &never), NQ_INVALID_ARGUMENT, "self-loop");
    EXPECT_ERROR(nq_bqm_new_max_cut(5, cu, 5, cv, 4, ones, 5, &never), NQ_DIMENSION_MISMATCH, "cols");
    EXPECT_ERROR(nq_bqm_new_max_cut(0, NULL, 0, NULL, 0, NULL, 0, &never), NQ_INVALID_ARGUMENT, "num_nodes");
    CHECK(never == NULL);
    nq_bqm_free(mc);

    /* Knapsack: values 60/100/120, weights 10/20/30, capacity 50 → best value 220. */
    const double values[3] = {60, 100, 120}, weights[3] = {10, 20, 30};
    NqBqm *ks = NULL;
    NqPenaltyReport r;
    OK(nq_bqm_new_knapsack(values, 3, weights, 3, 50.0, NQ_STRENGTH_AUTO, NQ_RESOLUTION_AUTO, &ks, &r));
    CHECK(r.resolution == 10.0 && r.slack_begin == 3 && r.slack_end == 6);
    CHECK(close_to(r.strength, 1.25 * 120.0 / 100.0));
    n = enumerate(ks, &s, &e);
    size_t k = argmin(e, (size_t)1 << n);
    CHECK(e[k] == -220.0 && s[k * n] == 0 && s[k * n + 1] == 1 && s[k * n + 2] == 1);
    free(s);
    free(e);
    const double negative[3] = {10, -20, 30};
    EXPECT_ERROR(nq_bqm_new_knapsack(values, 3, negative, 3, 50.0, 0.0, 0.0, &never, &r), NQ_INVALID_ARGUMENT, "weights");
    EXPECT_ERROR(nq_bqm_new_knapsack(values, 3, weights, 2, 50.0, 0.0, 0.0, &never, NULL), NQ_DIMENSION_MISMATCH, "weights");
    EXPECT_ERROR(nq_bqm_new_knapsack(values, 3, weights, 3, NAN, 0.0, 0.0, &never, NULL), NQ_NON_FINITE, "capacity");
    CHECK(never == NULL);
    nq_bqm_free(ks);

    /* TSP on the unit square: the shortest tour is the perimeter, 4 (brute force over 2^16). */
    const double sq = sqrt(2.0);
    const double d[16] = {0, 1, sq, 1, 1, 0, 1, sq, sq, 1, 0, 1, 1, sq, 1, 0};
    NqBqm *t = NULL;
    double used = 0.0;
    OK(nq_bqm_new_tsp(4, d, 16, NQ_STRENGTH_AUTO, &t, &used));
    CHECK(close_to(used, 1.25 * sq));
    n = enumerate(t, &s, &e);
    k = argmin(e, (size_t)1 << n);
    CHECK(n == 16 && close_to(e[k], 4.0));
    int seen[4] = {0, 0, 0, 0}; /* the minimiser is a permutation */
    for (size_t c = 0; c < 4; c++)
        for (size_t p = 0; p < 4; p++)
            if (s[k * n + c * 4 + p]) seen[p]++;
    CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 1 && seen[3] == 1);
    free(s);
    free(e);
    EXPECT_ERROR(nq_bqm_new_tsp(4, d, 15, 0.0, &never, NULL), NQ_DIMENSION_MISMATCH, "distances");
    EXPECT_ERROR(nq_bqm_new_tsp(4, d, 16, -1.0, &never, NULL), NQ_INVALID_ARGUMENT, "strength");
    CHECK(never == NULL);
    nq_bqm_free(t);

    /* Colouring a triangle with 3 colours: ground energy 0; with 2 colours: one conflict. */
    const uint32_t tu[3] = {0, 1, 0}, tv[3] = {1, 2, 2};
    for (size_t colors = 2; colors <= 3; colors++) {
        NqBqm *g = NULL;
        double a = 0.0;
        OK(nq_bqm_new_graph_coloring(3, tu, 3, tv, 3, colors, 0.0, 0.0, &g, &a));
        CHECK(a == 1.25 * 2.0);
        n = enumerate(g, &s, &e);
        CHECK(e[argmin(e, (size_t)1 << n)] == (colors == 3 ? 0.0 : 1.0));
        free(s);
        free(e);
        nq_bqm_free(g);
    }

    /* Number partitioning {4, 5, 6, 7, 8}: a perfect split exists. */
    const double numbers[5] = {4, 5, 6, 7, 8};
    NqBqm *np = NULL;
    OK(nq_bqm_new_number_partitioning(numbers, 5, &np));
    int8_t split[5] = {1, 1, 1, -1, -1}; /* 4 + 5 + 6 = 7 + 8 */
    double energy = -1.0;
    OK(nq_bqm_energy(np, split, 5, &energy));
    CHECK(energy == 0.0);
    nq_bqm_free(np);
}

/* ---- HVAC ---- */

/* The HVAC cost of a schedule straight from its definition (running-balance comfort). */
static double hvac_direct(const NqHvacInput *in, const int8_t *x, int *feasible) {
    size_t nz = in->rated_power_kw_len, nt = in->price_per_kwh_len;
    double cost = 0.0;
    *feasible = 1;
    for (size_t t = 0; t < nt; t++) {
        double power = 0.0;
        for (size_t z = 0; z < nz; z++) {
            cost += in->price_per_kwh[t] * in->rated_power_kw[z] * in->slot_hours * x[z * nt + t];
            power += in->rated_power_kw[z] * x[z * nt + t];
        }
        if (power > in->peak_limit_kw[t] + 1e-9) *feasible = 0;
    }
    for (size_t z = 0; z < nz; z++) {
        double b = in->initial_imbalance_kwh ? in->initial_imbalance_kwh[z] : 0.0;
        for (size_t t = 0; t < nt; t++) {
            b += in->delivered_kwh[z] * x[z * nt + t] - in->demand_kwh[z * nt + t];
            cost += in->comfort_weight[z] * b * b;
        }
    }
    return cost;
}

/* Minimum run time: zone 0 has run 1 slot of a 3-slot minimum, so it is locked on for slots 0-1;
   a start in slot 2 that stops in slot 3 is a short run. */
static void hvac_min_run(void) {
    const double power[1] = {2.0}, delivered[1] = {1.0}, weight[1] = {0.0}, demand[4] = {0, 0, 0, 0};
    const double price[4] = {0.1, 0.1, 0.1, 0.1}, limit[4] = {5, 5, 5, 5};
    const size_t ran[1] = {1};
    NqHvacInput in;
    OK(nq_hvac_input_default(&in, sizeof in));
    CHECK(in.min_run_slots == 0 && in.initial_run_slots == NULL && in.min_run_strength == NQ_STRENGTH_AUTO);
    in.rated_power_kw = power;
    in.rated_power_kw_len = 1;
    in.delivered_kwh = delivered;
    in.delivered_kwh_len = 1;
    in.comfort_weight = weight;
    in.comfort_weight_len = 1;
    in.demand_kwh = demand;
    in.demand_kwh_len = 4;
    in.price_per_kwh = price;
    in.price_per_kwh_len = 4;
    in.peak_limit_kw = limit;
    in.peak_limit_kw_len = 4;
    in.min_run_slots = 3;
    in.initial_run_slots = ran;
    in.initial_run_slots_len = 1;
    NqHvac *h = NULL;
    OK(nq_hvac_new(&in, &h));
    NqHvacInfo info;
    OK(nq_hvac_info(h, &info));
    CHECK(info.first_start_variable + 4 == info.num_variables && info.min_run_strength > info.min_run_strength_bound);
    size_t n = info.num_variables;
    int8_t x[64] = {0};
    CHECK(n <= 64);
    NqHvacCost cost;
    /* Off from the start: the locked unit is switched off too early. */
    OK(nq_hvac_decode(h, x, n, NULL, 0, NULL, 0, NULL, 0, &cost));
    CHECK(cost.num_min_run_violations == 1 && !cost.feasible && cost.min_run_penalty >= info.min_run_strength);
    /* On for slots 0-1 (finishing the run), then off: feasible, no penalty, energy = 2 slots x 2 kW x 0.1. */
    x[0] = x[1] = 1;
    OK(nq_hvac_decode(h, x, n, NULL, 0, NULL, 0, NULL, 0, &cost));
    CHECK(cost.feasible && cost.num_min_run_violations == 0 && cost.min_run_penalty == 0.0);
    CHECK(close_to(cost.total, 0.4) && cost.penalty == cost.peak_penalty + cost.min_run_penalty);
    /* Then a start in slot 2 stopping in slot 3 (with or without its start variable): short. */
    x[2] = 1;
    OK(nq_hvac_decode(h, x, n, NULL, 0, NULL, 0, NULL, 0, &cost));
    CHECK(cost.num_min_run_violations == 0); /* slots 0-2 are one run of 1 + 3 */
    x[2] = 0;
    x[3] = 1;
    OK(nq_hvac_decode(h, x, n, NULL, 0, NULL, 0, NULL, 0, &cost));
    CHECK(cost.num_min_run_violations == 0); /* reaches the horizon's end: may continue */
    x[1] = 0;
    x[2] = 1;
    x[3] = 0;
    OK(nq_hvac_decode(h, x, n, NULL, 0, NULL, 0, NULL, 0, &cost));
    CHECK(cost.num_min_run_violations == 2); /* lock broken in slot 1, short run at slot 2 */
    NqBqm *bqm = NULL;
    OK(nq_hvac_bqm(h, &bqm));
    double energy = 0.0;
    OK(nq_bqm_energy(bqm, x, n, &energy));
    CHECK(close_to(energy, cost.total));
    nq_bqm_free(bqm);
    nq_hvac_free(h);
}

static void hvac(void) {
    /* Two zones, three slots, a 4 kW limit that forbids running both units together. */
    const double power[2] = {2.5, 3.0}, delivered[2] = {1.0, 1.5}, weight[2] = {1.0, 0.8};
    const double initial[2] = {0.5, -0.5};
    const double demand[6] = {1.0, 1.0, 0.5, 1.5, 1.0, 1.5};
    const double price[3] = {0.30, 0.10, 0.25}, limit[3] = {4.0, 4.0, 6.0};
    NqHvacInput in;
    OK(nq_hvac_input_default(&in, sizeof in));
    CHECK(in.slot_hours == 1.0 && in.comfort_model == NQ_COMFORT_CUMULATIVE);
    in.rated_power_kw = power;
    in.rated_power_kw_len = 2;
    in.delivered_kwh = delivered;
    in.delivered_kwh_len = 2;
    in.comfort_weight = weight;
    in.comfort_weight_len = 2;
    in.initial_imbalance_kwh = initial;
    in.initial_imbalance_kwh_len = 2;
    in.demand_kwh = demand;
    in.demand_kwh_len = 6;
    in.price_per_kwh = price;
    in.price_per_kwh_len = 3;
    in.peak_limit_kw = limit;
    in.peak_limit_kw_len = 3;
    NqHvac *h = NULL;
    OK(nq_hvac_new(&in, &h));
    NqHvacInfo info;
    OK(nq_hvac_info(h, &info));
    CHECK(info.num_zones == 2 && info.num_slots == 3 && info.power_resolution_kw == 0.5);
    CHECK(info.peak_strength > info.peak_strength_bound);
    CHECK(info.num_variables <= 16);

    NqBqm *bqm = NULL;
    OK(nq_hvac_bqm(h, &bqm));
    int8_t *s;
    double *e;
    size_t n = enumerate(bqm, &s, &e);
    CHECK(n == info.num_variables);

    /* The constrained optimum over the 2^6 schedules, straight from the definition. */
    double optimum = INFINITY;
    for (int m = 0; m < 64; m++) {
        int8_t x[6];
        for (int i = 0; i < 6; i++) x[i] = (int8_t)((m >> i) & 1);
        int ok = 0;
        double c = hvac_direct(&in, x, &ok);
        if (ok && c < optimum) optimum = c;
    }
    size_t k = argmin(e, (size_t)1 << n);
    CHECK(close_to(e[k], optimum));

    uint8_t schedule[6];
    double slot_power[3], comfort[2];
    NqHvacCost cost;
    OK(nq_hvac_decode(h, s + k * n, n, schedule, 6, slot_power, 3, comfort, 2, &cost));
    CHECK(cost.feasible == 1 && cost.num_violations == 0 && cost.max_excess_kw == 0.0);
    CHECK(close_to(cost.total, e[k]) && close_to(cost.energy_cost + cost.comfort_cost, optimum));
    CHECK(close_to(comfort[0] + comfort[1], cost.comfort_cost));
    for (size_t t = 0; t < 3; t++) CHECK(slot_power[t] <= limit[t]);
    int8_t best[6];
    for (int i = 0; i < 6; i++) best[i] = (int8_t)schedule[i];
    int ok = 0;
    CHECK(close_to(hvac_direct(&in, best, &ok), optimum) && ok);

    /* Every assignment: decoded total = model energy (slack included); buffers may be skipped. */
    for (size_t m = 0; m < ((size_t)1 << n); m += 5) {
        OK(nq_hvac_decode(h, s + m * n, n, NULL, 0, NULL, 0, NULL, 0, &cost));
        CHECK(close_to(cost.total, e[m]));
        int feasible = 0;
        double direct = hvac_direct(&in, s + m * n, &feasible);
        CHECK(cost.feasible == feasible && close_to(cost.energy_cost + cost.comfort_cost, direct));
    }
    free(s);
    free(e);

    /* Both units on in slot 0: 5.5 kW over 4 kW. */
    int8_t *over = calloc(n, 1);
    over[0] = 1;
    over[3] = 1;
    OK(nq_hvac_decode(h, over, n, NULL, 0, slot_power, 3, NULL, 0, &cost));
    CHECK(cost.feasible == 0 && cost.num_violations == 1 && close_to(cost.max_excess_kw, 1.5));
    CHECK(slot_power[0] == 5.5 && cost.penalty > 0.0);

    /* Bad input: nothing written. */
    memset(&cost, 0, sizeof cost);
    cost.total = 42.0;
    EXPECT_ERROR(nq_hvac_decode(h, over, n - 1, NULL, 0, NULL, 0, NULL, 0, &cost), NQ_DIMENSION_MISMATCH, "sample");
    EXPECT_ERROR(nq_hvac_decode(h, over, n, schedule, 5, NULL, 0, NULL, 0, &cost), NQ_DIMENSION_MISMATCH, "schedule");
    EXPECT_ERROR(nq_hvac_decode(h, over, n, NULL, 0, slot_power, 2, NULL, 0, &cost), NQ_DIMENSION_MISMATCH, "slot_power_kw");
    EXPECT_ERROR(nq_hvac_decode(h, over, n, NULL, 0, NULL, 0, NULL, 2, &cost), NQ_NULL_ARGUMENT, "comfort_cost_per_zone");
    EXPECT_ERROR(nq_hvac_decode(h, over, n, NULL, 0, NULL, 0, NULL, 0, NULL), NQ_NULL_ARGUMENT, "cost");
    over[1] = 3;
    EXPECT_ERROR(nq_hvac_decode(h, over, n, NULL, 0, NULL, 0, NULL, 0, &cost), NQ_INVALID_ARGUMENT, "sample");
    CHECK(cost.total == 42.0);
    free(over);

    NqHvac *never = NULL;
    NqHvacInput bad = in;
    bad.comfort_model = 9;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "comfort_model");
    bad = in;
    bad.demand_kwh_len = 5;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_DIMENSION_MISMATCH, "demand_kwh");
    bad = in;
    bad.price_per_kwh = NULL;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_NULL_ARGUMENT, "price_per_kwh");
    bad = in;
    bad.slot_hours = 0.0;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "slot_hours");
    bad = in;
    bad.power_resolution_kw = -0.5;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "power_resolution_kw");
    bad = in;
    bad.peak_strength = NAN;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "peak_strength");
    const double negative_price[3] = {0.3, -0.1, 0.2};
    bad = in;
    bad.price_per_kwh = negative_price;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "price_per_kwh");
    bad = in;
    bad.rated_power_kw_len = 0;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "rated_power_kw");
    /* Every array carries its own length: one that disagrees is named. */
    bad = in;
    bad.comfort_weight_len = 1;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_DIMENSION_MISMATCH, "comfort_weight");
    bad = in;
    bad.peak_limit_kw_len = 2;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_DIMENSION_MISMATCH, "peak_limit_kw");
    bad = in;
    bad.struct_size = 8;
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_INVALID_ARGUMENT, "struct_size");
    EXPECT_ERROR(nq_hvac_new(NULL, &never), NQ_NULL_ARGUMENT, "input");
    CHECK(never == NULL);
    /* A caller compiled before the minimum run time (struct ends at power_resolution_kw) still
       builds the same model. */
    bad = in;
    bad.struct_size = offsetof(NqHvacInput, min_run_slots);
    bad.min_run_slots = 99; /* beyond the caller's struct: not read */
    NqHvac *old = NULL;
    OK(nq_hvac_new(&bad, &old));
    NqHvacInfo old_info;
    OK(nq_hvac_info(old, &old_info));
    CHECK(old_info.num_variables == info.num_variables && old_info.first_start_variable == info.num_variables);
    nq_hvac_free(old);
    bad = in;
    bad.initial_run_slots_len = 2; /* NULL with a length */
    EXPECT_ERROR(nq_hvac_new(&bad, &never), NQ_NULL_ARGUMENT, "initial_run_slots");

    nq_bqm_free(bqm);
    nq_hvac_free(h);
    nq_hvac_free(NULL);
}

int main(void) {
    penalties();
    generators();
    hvac();
    hvac_min_run();
    return finish("qubo_build");
}
