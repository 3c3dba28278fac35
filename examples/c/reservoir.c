/* An echo state network from C, the way the HVAC controller uses one: create from parameters,
 * train from arrays (two series), step one sample at a time with zero allocations (counted by
 * the sanitizer's allocator hooks), forecast in closed loop, save and load, and continue
 * bit for bit. Bad input is refused with a named argument and changes nothing. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

#if defined(__SANITIZE_ADDRESS__)
#define NQ_COUNT_ALLOCATIONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NQ_COUNT_ALLOCATIONS 1
#endif
#endif

#ifdef NQ_COUNT_ALLOCATIONS
/* From the sanitizer runtime (sanitizer/allocator_interface.h, not always installed). */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));
static volatile long allocations = 0;
static void on_malloc(const volatile void *p, size_t size) {
    (void)p;
    (void)size;
    allocations++;
}
static void on_free(const volatile void *p) { (void)p; }
#endif

#define T 1200

static double signal(int t) { return sin(0.1 * t) * cos(0.023 * t); }

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void) {
    NqEsnParams p;
    OK(nq_esn_params_default(&p, sizeof p));
    CHECK(p.lr == 1.0 && p.input_connectivity == 0.1 && p.has_sr == 0 && p.fit_bias == 1);
    p.units = 100;
    p.has_units = 1;
    p.input_dim = 1;
    p.has_input_dim = 1;
    p.sr = 0.9;
    p.has_sr = 1;
    p.lr = 0.5;
    p.input_connectivity = 1.0;
    p.input_scaling = 0.5;
    p.seed = 1;
    p.has_seed = 1;
    p.ridge = 1e-7;

    NqReservoir *esn = NULL;
    OK(nq_reservoir_new(&p, 1, &esn));
    size_t units = 0, outputs = 0;
    OK(nq_reservoir_units(esn, &units));
    OK(nq_reservoir_outputs(esn, &outputs));
    CHECK(units == 100 && outputs == 1);

    /* Two training series (one-step-ahead prediction), 100 warm-up steps each. */
    static double u[T], y[T];
    for (int t = 0; t < T; t++) {
        u[t] = signal(t);
        y[t] = signal(t + 1);
    }
    size_t lengths[2] = {500, 499};
    OK(nq_reservoir_fit(esn, u, 999, y, 999, lengths, 2, 100, NULL));

    /* Single-sample path: u[999] -> prediction of u[1000], ... */
    double out = 0.0, max_err = 0.0;
    for (int t = 999; t < 1099; t++) {
        OK(nq_reservoir_step(esn, &u[t], 1, &out, 1));
        max_err = fmax(max_err, fabs(out - u[t + 1]));
    }
    CHECK(max_err < 1e-3);

    /* Zero allocations per step, and the step latency (informative under the sanitizers). */
#ifdef NQ_COUNT_ALLOCATIONS
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
    allocations = 0;
#endif
    double t0 = now_seconds();
    for (int k = 0; k < 20000; k++) {
        OK(nq_reservoir_step(esn, &u[1000 + k % 100], 1, &out, 1));
    }
    double per_step = (now_seconds() - t0) / 20000.0;
#ifdef NQ_COUNT_ALLOCATIONS
    CHECK(allocations == 0);
    printf("reservoir: %ld allocations in 20000 steps\n", (long)allocations);
    /* The counter does count: serializing allocates. */
    size_t probe = 0;
    OK(nq_reservoir_serialized_size(esn, &probe));
    CHECK(allocations > 0);
    __sanitizer_install_malloc_and_free_hooks(NULL, NULL);
#endif
    printf("reservoir: nq_reservoir_step at N=100: %.2f us\n", per_step * 1e6);

    /* Re-synchronise on the true signal, then forecast 20 steps in closed loop. */
    OK(nq_reservoir_reset(esn));
    static double warm[200];
    OK(nq_reservoir_run(esn, &u[900], 200, warm, 200, NULL));
    double fc[20];
    OK(nq_reservoir_forecast(esn, 20, fc, 20, NULL));
    double fc_err = 0.0;
    for (int k = 0; k < 20; k++) {
        fc_err = fmax(fc_err, fabs(fc[k] - u[1101 + k]));
    }
    CHECK(fc_err < 0.05);

    /* Save, load, continue bit for bit. */
    size_t size = 0, written = 0;
    OK(nq_reservoir_serialized_size(esn, &size));
    unsigned char *bytes = malloc(size);
    CHECK(bytes != NULL);
    EXPECT_ERROR(nq_reservoir_to_bytes(esn, bytes, size - 1, &written), NQ_BUFFER_TOO_SMALL, "buf");
    OK(nq_reservoir_to_bytes(esn, bytes, size, &written));
    CHECK(written == size);
    NqReservoir *copy = NULL;
    OK(nq_reservoir_from_bytes(bytes, size, &copy));
    int same = 1;
    for (int t = 0; t < 50; t++) {
        double a = 0.0, b = 0.0;
        OK(nq_reservoir_step(esn, &u[t], 1, &a, 1));
        OK(nq_reservoir_step(copy, &u[t], 1, &b, 1));
        same &= memcmp(&a, &b, sizeof a) == 0;
    }
    CHECK(same);
    NqReservoir *bad = NULL;
    EXPECT_ERROR(nq_reservoir_from_bytes(bytes, size / 2, &bad), NQ_FORMAT, "truncated");
    CHECK(bad == NULL);
    free(bytes);

    /* Bad input: named arguments, nothing changes. */
    double state_before[100], state_after[100];
    OK(nq_reservoir_state(esn, state_before, 100));
    double nan = NAN, y2[2];
    EXPECT_ERROR(nq_reservoir_step(esn, &nan, 1, &out, 1), NQ_NON_FINITE, "argument `u`");
    EXPECT_ERROR(nq_reservoir_step(esn, u, 2, &out, 1), NQ_DIMENSION_MISMATCH, "argument `u`");
    EXPECT_ERROR(nq_reservoir_step(esn, u, 1, y2, 2), NQ_DIMENSION_MISMATCH, "argument `y`");
    EXPECT_ERROR(nq_reservoir_step(NULL, u, 1, &out, 1), NQ_NULL_ARGUMENT, "esn");
    EXPECT_ERROR(nq_reservoir_step(esn, NULL, 1, &out, 1), NQ_NULL_ARGUMENT, "u");
    EXPECT_ERROR(nq_reservoir_fit(esn, u, 10, y, 9, NULL, 0, 0, NULL), NQ_DIMENSION_MISMATCH, "targets");
    size_t wrong[2] = {5, 4};
    EXPECT_ERROR(nq_reservoir_fit(esn, u, 10, y, 10, wrong, 2, 0, NULL), NQ_INVALID_ARGUMENT, "lengths");
    EXPECT_ERROR(nq_reservoir_fit(esn, u, 10, y, 10, NULL, 0, 10, NULL), NQ_INVALID_ARGUMENT, "warmup");
    OK(nq_reservoir_state(esn, state_after, 100));
    CHECK(memcmp(state_before, state_after, sizeof state_before) == 0);

    NqEsnParams q;
    OK(nq_esn_params_default(&q, sizeof q));
    q.units = 10;
    q.has_units = 1;
    q.input_dim = 1;
    q.has_input_dim = 1;
    q.lr = 2.0;
    NqReservoir *none = NULL;
    EXPECT_ERROR(nq_reservoir_new(&q, 1, &none), NQ_INVALID_ARGUMENT, "argument `lr`: is 2, must be in (0, 1]");
    q.lr = 0.5;
    q.activation = 99;
    EXPECT_ERROR(nq_reservoir_new(&q, 1, &none), NQ_INVALID_ARGUMENT, "NQ_ACTIVATION_TANH");
    q.activation = NQ_ACTIVATION_TANH;
    double per_unit[3] = {0.5, 0.5, 0.5};
    q.lr_per_element = per_unit;
    q.lr_per_element_len = 3;
    EXPECT_ERROR(nq_reservoir_new(&q, 1, &none), NQ_DIMENSION_MISMATCH, "argument `lr`");
    q.lr_per_element = NULL;
    q.lr_per_element_len = 0;
    q.has_input_dim = 0;
    EXPECT_ERROR(nq_reservoir_new(&q, 1, &none), NQ_INVALID_ARGUMENT, "input_dim");
    q.struct_size = 8;
    EXPECT_ERROR(nq_reservoir_new(&q, 1, &none), NQ_INVALID_ARGUMENT, "struct_size");
    CHECK(none == NULL);
    /* Untrained networks refuse to step. */
    OK(nq_esn_params_default(&q, sizeof q));
    q.units = 10;
    q.has_units = 1;
    q.input_dim = 2;
    q.has_input_dim = 1;
    OK(nq_reservoir_new(&q, 1, &none));
    EXPECT_ERROR(nq_reservoir_step(none, u, 2, &out, 1), NQ_INVALID_ARGUMENT, "not fitted");
    nq_reservoir_free(none);

    nq_reservoir_free(copy);
    nq_reservoir_free(esn);
    nq_reservoir_free(NULL);
    return finish("reservoir");
}
