/* The flagship as a C host application embeds it, through include/neuroquant.h only: a heat-pump
 * controller for a three-zone building.
 *
 * The building is the host's (here a simulated plant: per-zone RC thermal model, outdoor
 * temperature with a daily cycle and seeded noise, office occupancy, a time-of-use tariff, the
 * same equations as neuroquant::building). The controller:
 *   1. trains an echo state network on a week of hourly sensor values to forecast each zone's
 *      heating load over the next four hours, saves it to bytes, frees it, and loads the saved
 *      model back (as a controller does at start-up);
 *   2. every hour steps the loaded model once with the new sensor sample (no allocation), builds
 *      the HVAC QUBO (price, comfort against the forecast, peak-power limit as minimal-set
 *      penalties, minimum run time of two hours), solves it with the local tabu sampler, decodes
 *      it, applies the first hour's decisions and prints them;
 *   3. scores the day against a thermostat on the same plant, and checks what it claims: the
 *      forecast beats persistence, every plan is feasible, the peak limit is never exceeded, and
 *      the day costs less than the thermostat's.
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"

#define Z 3              /* zones */
#define SPH 4            /* simulation steps per hour */
#define H 4              /* planning horizon (hours) */
#define TRAIN_DAYS 7
#define DAYS 8
#define HOURS (24 * DAYS)
#define STEPS (HOURS * SPH)
#define INPUTS (4 + Z)   /* outdoor, hour of day (sin, cos), weekday, each zone's load */
#define OUTPUTS (Z * H)  /* each zone's load in each of the next H hours */

/* The plant. */
static const double CAP[Z] = {4.0, 5.5, 6.5};    /* kWh per °C */
static const double RES[Z] = {6.0, 8.0, 5.0};    /* °C per kW */
static const double COP[Z] = {3.0, 3.2, 2.9};
static const double POWER[Z] = {2.5, 2.0, 3.0};  /* kW electrical, multiples of 0.5 */
static const double GAINS[Z] = {0.64, 0.96, 0.48}; /* kW from occupants when occupied */
static const double PEAK_LIMIT = 4.5;            /* kW: 60 % of the rated total */

static double outdoor[STEPS];

static double price(int hour_of_day) {
    return hour_of_day < 7 ? 0.12 : hour_of_day < 17 ? 0.22 : hour_of_day < 21 ? 0.38 : 0.22;
}
static int occupied(int step) {
    int hour = step / SPH, day = hour / 24, h = hour % 24;
    return day % 7 < 5 && h >= 8 && h < 18;
}
static double setpoint(int step) { return occupied(step) ? 21.0 : 17.0; }
static double band_low(int step) { return occupied(step) ? 20.0 : 16.0; }
static double band_high(int step) { return occupied(step) ? 23.0 : 25.0; }
/* The heat (kW) that holds zone z at its setpoint over step k. */
static double load_kw(int z, int k) {
    double gains = occupied(k) ? GAINS[z] : 0.0;
    return fmax(0.0, (setpoint(k) - outdoor[k]) / RES[z] - gains);
}
/* Mean load of zone z over hour h (kWh); 0 past the end. */
static double hourly_load(int z, int h) {
    if (h >= HOURS) return 0.0;
    double sum = 0.0;
    for (int s = 0; s < SPH; s++) sum += load_kw(z, h * SPH + s);
    return sum / SPH;
}
static void plant_step(int k, double temps[Z], const int on[Z]) {
    double dt = 1.0 / SPH;
    for (int z = 0; z < Z; z++) {
        double a = exp(-dt / (RES[z] * CAP[z]));
        double heat = (on[z] ? COP[z] * POWER[z] : 0.0) + (occupied(k) ? GAINS[z] : 0.0);
        temps[z] = a * temps[z] + (1.0 - a) * (outdoor[k] + RES[z] * heat);
    }
}

/* Outdoor temperature: 4 °C ± 4 °C daily cycle (coldest at 03:00) plus seeded AR(1) noise. */
static void weather(unsigned long long seed) {
    double noise = 0.0;
    for (int k = 0; k < STEPS; k++) {
        double u[2];
        for (int i = 0; i < 2; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            u[i] = ((double)(seed >> 11) + 0.5) / 9007199254740992.0;
        }
        noise = 0.97 * noise + 0.25 * sqrt(-2.0 * log(u[0])) * cos(6.283185307179586 * u[1]);
        double h = (double)(k % (24 * SPH)) / SPH;
        outdoor[k] = 4.0 + 4.0 * cos(6.283185307179586 * (h - 15.0) / 24.0) + noise;
    }
}

/* The sensor sample the controller reads at the start of hour h. */
static void sensors(int h, double u[INPUTS]) {
    int k = h * SPH, hod = h % 24;
    u[0] = outdoor[k] / 10.0;
    u[1] = sin(6.283185307179586 * hod / 24.0);
    u[2] = cos(6.283185307179586 * hod / 24.0);
    u[3] = (h / 24) % 7 < 5 ? 1.0 : 0.0;
    for (int z = 0; z < Z; z++) u[4 + z] = h > 0 ? hourly_load(z, h - 1) / 5.0 : 0.0;
}

typedef struct {
    double cost, degree_hours, max_power;
    int peak_steps;
} Score;

static void score_step(Score *s, int k, const double temps[Z], const int on[Z]) {
    double power = 0.0;
    for (int z = 0; z < Z; z++) {
        power += on[z] ? POWER[z] : 0.0;
        double miss = fmax(fmax(band_low(k) - temps[z], temps[z] - band_high(k)), 0.0);
        s->degree_hours += miss / SPH;
    }
    s->cost += power / SPH * price((k / SPH) % 24);
    s->max_power = fmax(s->max_power, power);
    s->peak_steps += power > PEAK_LIMIT + 1e-9;
}

/* Trains the forecaster on the first TRAIN_DAYS and returns it saved as bytes. */
static unsigned char *train_and_save(size_t *size) {
    NqEsnParams p;
    OK(nq_esn_params_default(&p, sizeof p));
    p.units = 100;
    p.has_units = 1;
    p.input_dim = INPUTS;
    p.has_input_dim = 1;
    p.sr = 0.9;
    p.has_sr = 1;
    p.lr = 0.5;
    p.input_connectivity = 1.0;
    p.input_scaling = 0.5;
    p.seed = 7;
    p.has_seed = 1;
    p.ridge = 1e-2;
    NqReservoir *esn = NULL;
    OK(nq_reservoir_new(&p, OUTPUTS, &esn));
    int hours = 24 * TRAIN_DAYS;
    double *u = malloc(sizeof(double) * hours * INPUTS);
    double *y = malloc(sizeof(double) * hours * OUTPUTS);
    for (int h = 0; h < hours; h++) {
        sensors(h, &u[h * INPUTS]);
        for (int z = 0; z < Z; z++)
            for (int t = 0; t < H; t++) y[h * OUTPUTS + z * H + t] = hourly_load(z, h + t);
    }
    OK(nq_reservoir_fit(esn, u, (size_t)hours * INPUTS, y, (size_t)hours * OUTPUTS, NULL, 0, 24, NULL));
    /* Run the training days once more so the state is the one at the end of day TRAIN_DAYS. */
    OK(nq_reservoir_reset(esn));
    double *out = malloc(sizeof(double) * hours * OUTPUTS);
    OK(nq_reservoir_run(esn, u, (size_t)hours * INPUTS, out, (size_t)hours * OUTPUTS, NULL));
    free(u);
    free(y);
    free(out);
    OK(nq_reservoir_serialized_size(esn, size));
    unsigned char *bytes = malloc(*size);
    size_t written = 0;
    OK(nq_reservoir_to_bytes(esn, bytes, *size, &written));
    CHECK(written == *size);
    nq_reservoir_free(esn);
    return bytes;
}

int main(void) {
    weather(20261207ULL);
    size_t size = 0;
    unsigned char *saved = train_and_save(&size);

    /* Start-up: load the saved model. */
    NqReservoir *esn = NULL;
    OK(nq_reservoir_from_bytes(saved, size, &esn));
    free(saved);
    if (esn == NULL) return finish("hvac_controller");

    NqTabuParams tp;
    OK(nq_tabu_params_default(&tp, sizeof tp));
    tp.reads.num_reads = 8;
    tp.reads.has_num_reads = 1;
    tp.reads.seed = 1;
    tp.reads.has_seed = 1;
    tp.has_timeout = 0;          /* bounded by restarts: the same plans on every run */
    tp.num_restarts = 10;
    tp.coefficient_z_first = 0;
    tp.has_coefficient_z_first = 1;
    tp.lower_bound_z = 20000;
    NqSampler *tabu = NULL;
    OK(nq_sampler_new_tabu(&tp, &tabu));

    int start = TRAIN_DAYS * 24;
    double temps[Z], base_temps[Z];
    int on[Z] = {0}, base_on[Z] = {0};
    size_t runs[Z] = {0};
    for (int z = 0; z < Z; z++) temps[z] = base_temps[z] = setpoint(start * SPH);
    Score ctrl = {0}, base = {0};
    double err_model = 0.0, err_persist = 0.0, mean = 0.0, var = 0.0;
    int plans = 0, feasible = 0, scored = 0;

    printf("hour  outdoor  temps (°C)            forecast next hour (kWh)   on    plan cost\n");
    for (int h = start; h < HOURS; h++) {
        /* 1. One sensor sample in, the load forecast out (no allocation). */
        double u[INPUTS], y[OUTPUTS];
        sensors(h, u);
        OK(nq_reservoir_step(esn, u, INPUTS, y, OUTPUTS));
        /* Scored on every lead time of the horizon inside the day, as the Rust pipeline does. */
        for (int z = 0; z < Z; z++) {
            for (int t = 0; t < H && h + t < HOURS; t++) {
                double truth = hourly_load(z, h + t);
                err_model += pow(fmax(y[z * H + t], 0.0) - truth, 2);
                err_persist += pow(hourly_load(z, h - 1) - truth, 2);
                mean += truth;
                var += truth * truth;
                scored++;
            }
        }

        /* 2. The plan of the next H hours as a QUBO. */
        int k = h * SPH, horizon = HOURS - h < H ? HOURS - h : H;
        double delivered[Z], weight[Z], initial[Z], demand[Z * H], prices[H], limits[H];
        for (int z = 0; z < Z; z++) {
            delivered[z] = COP[z] * POWER[z];
            weight[z] = 1.0 / (CAP[z] * CAP[z]); /* 1 per °C² per hour */
            initial[z] = CAP[z] * (temps[z] - setpoint(k) - 1.0); /* target: setpoint + 1 °C */
            for (int t = 0; t < horizon; t++) {
                int k0 = k + t * SPH, k1 = k0 + SPH < STEPS ? k0 + SPH : STEPS - 1;
                demand[z * horizon + t] = fmax(y[z * H + t], 0.0) + CAP[z] * (setpoint(k1) - setpoint(k0));
            }
        }
        for (int t = 0; t < horizon; t++) {
            prices[t] = price((h + t) % 24);
            limits[t] = PEAK_LIMIT;
        }
        NqHvacInput in;
        OK(nq_hvac_input_default(&in, sizeof in));
        in.rated_power_kw = POWER;
        in.rated_power_kw_len = Z;
        in.delivered_kwh = delivered;
        in.delivered_kwh_len = Z;
        in.comfort_weight = weight;
        in.comfort_weight_len = Z;
        in.initial_imbalance_kwh = initial;
        in.initial_imbalance_kwh_len = Z;
        in.demand_kwh = demand;
        in.demand_kwh_len = (size_t)Z * horizon;
        in.price_per_kwh = prices;
        in.price_per_kwh_len = (size_t)horizon;
        in.peak_limit_kw = limits;
        in.peak_limit_kw_len = (size_t)horizon;
        in.min_run_slots = 2;
        in.initial_run_slots = runs;
        in.initial_run_slots_len = Z;
        in.peak_encoding = NQ_PEAK_SUBSETS;
        NqHvac *plan = NULL;
        if (h == start) {
            /* Bad input is refused by name and builds nothing. */
            NqHvacInput bad = in;
            bad.peak_encoding = 7;
            EXPECT_ERROR(nq_hvac_new(&bad, &plan), NQ_INVALID_ARGUMENT, "peak_encoding");
            CHECK(plan == NULL);
        }
        NqBqm *bqm = NULL;
        NqSampleSet *set = NULL;
        NqHvacInfo info;
        OK(nq_hvac_new(&in, &plan));
        OK(nq_hvac_info(plan, &info));
        OK(nq_hvac_bqm(plan, &bqm));
        OK(nq_sampler_sample(tabu, bqm, NULL, &set));

        /* 3. Decode, apply the first hour. */
        int8_t *sample = malloc(info.num_variables);
        uint8_t schedule[Z * H];
        double energy = 0.0;
        NqHvacCost cost;
        OK(nq_sampleset_first(set, sample, info.num_variables, &energy));
        OK(nq_hvac_decode(plan, sample, info.num_variables, schedule, (size_t)Z * horizon, NULL, 0,
                          NULL, 0, &cost));
        CHECK(fabs(cost.total - energy) <= 1e-9 * (1.0 + fabs(energy)));
        plans++;
        feasible += cost.feasible;
        for (int z = 0; z < Z; z++) {
            on[z] = schedule[z * horizon];
            runs[z] = on[z] ? runs[z] + 1 : 0;
        }
        printf("%4d  %6.1f   %5.1f %5.1f %5.1f       %5.2f %5.2f %5.2f          %d %d %d  %8.3f\n", h,
               outdoor[k], temps[0], temps[1], temps[2], y[0], y[H], y[2 * H], on[0], on[1], on[2],
               cost.total);
        free(sample);
        nq_sampleset_free(set);
        nq_bqm_free(bqm);
        nq_hvac_free(plan);

        /* The hour on the plant, and the thermostat (±0.5 °C, blind to the limit) beside it. */
        for (int s = 0; s < SPH; s++, k++) {
            for (int z = 0; z < Z; z++) {
                if (base_temps[z] < setpoint(k) - 0.5) base_on[z] = 1;
                if (base_temps[z] > setpoint(k) + 0.5) base_on[z] = 0;
            }
            plant_step(k, temps, on);
            plant_step(k, base_temps, base_on);
            score_step(&ctrl, k, temps, on);
            score_step(&base, k, base_temps, base_on);
        }
    }
    double n = (double)scored;
    double std = sqrt(var / n - (mean / n) * (mean / n));
    double nrmse = sqrt(err_model / n) / std, nrmse_persist = sqrt(err_persist / n) / std;
    printf("\nforecast NRMSE (the next %d hours, all zones): reservoir %.3f, persistence %.3f\n", H, nrmse, nrmse_persist);
    printf("                cost   °C·h outside band   steps over %.1f kW   max kW\n", PEAK_LIMIT);
    printf("controller   %7.2f   %17.2f   %19d   %6.1f\n", ctrl.cost, ctrl.degree_hours, ctrl.peak_steps, ctrl.max_power);
    printf("thermostat   %7.2f   %17.2f   %19d   %6.1f\n", base.cost, base.degree_hours, base.peak_steps, base.max_power);
    printf("feasible plans: %d of %d\n", feasible, plans);

    CHECK(nrmse < nrmse_persist);
    CHECK(feasible == plans && plans == HOURS - start);
    CHECK(ctrl.peak_steps == 0);
    CHECK(ctrl.cost < base.cost);

    nq_sampler_free(tabu);
    nq_reservoir_free(esn);
    return finish("hvac_controller");
}
