/* Spike encoding from a C controller: a streaming encoder fed one sensor sample at a time
 * (allocation-free per step), saved and resumed mid-stream, checked against the batch run and its
 * decoder; snnTorch's rate, latency and delta on raw arrays and their batch decoders; spike-train distances; and the
 * bad-input rules (each fails with a message and changes nothing). Prints the step latency. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

enum { CHANNELS = 3, STEPS = 400 };

/* Synthetic sensors: outdoor temperature, occupancy, a zone temperature. */
static void sensors(size_t t, double out[CHANNELS]) {
    out[0] = 10.0 + 5.0 * sin(0.02 * (double)t);
    out[1] = (t / 50) % 2 ? 12.0 : 3.0;
    out[2] = 21.0 + 0.8 * sin(0.05 * (double)t) + 0.1 * cos(0.3 * (double)t);
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void streaming(void) {
    NqEncoderParams p;
    OK(nq_encoder_params_default(&p, sizeof p));
    p.encoder = NQ_ENCODER_SEND_ON_DELTA;
    p.num_channels = CHANNELS;
    p.threshold = 0.05;
    NqEncoder *enc = NULL, *batch = NULL;
    OK(nq_encoder_new(&p, &enc));
    OK(nq_encoder_new(&p, &batch));

    static double data[STEPS * CHANNELS];
    static int32_t streamed[STEPS * CHANNELS], expected[STEPS * CHANNELS];
    for (size_t t = 0; t < STEPS; t++) {
        sensors(t, &data[t * CHANNELS]);
    }
    OK(nq_encoder_run(batch, data, STEPS * CHANNELS, expected, STEPS * CHANNELS));

    /* One sample at a time; at t = 150 save the state, free the encoder and resume from bytes. */
    double start = seconds();
    for (size_t t = 0; t < STEPS; t++) {
        if (t == 150) {
            size_t size = 0, written = 0;
            OK(nq_encoder_serialized_size(enc, &size));
            uint8_t *buf = malloc(size);
            CHECK(buf != NULL);
            OK(nq_encoder_to_bytes(enc, buf, size, &written));
            CHECK(written == size);
            EXPECT_ERROR(nq_encoder_to_bytes(enc, buf, size - 1, &written), NQ_BUFFER_TOO_SMALL, "buf");
            nq_encoder_free(enc);
            enc = NULL;
            OK(nq_encoder_from_bytes(buf, size, &enc));
            EXPECT_ERROR(nq_encoder_from_bytes(buf, size - 5, &batch), NQ_FORMAT, "truncated");
            free(buf);
        }
        OK(nq_encoder_step(enc, &data[t * CHANNELS], CHANNELS, &streamed[t * CHANNELS], CHANNELS));
    }
    double per_step = (seconds() - start) / STEPS;
    CHECK(memcmp(streamed, expected, sizeof expected) == 0);
    uint64_t steps = 0;
    OK(nq_encoder_steps(enc, &steps));
    CHECK(steps == STEPS);

    /* Multi-quantum send-on-delta reconstructs every sample within one quantum. */
    static double decoded[STEPS * CHANNELS];
    OK(nq_encoder_decode(enc, streamed, STEPS * CHANNELS, decoded, STEPS * CHANNELS));
    double worst = 0.0;
    for (size_t i = 0; i < STEPS * CHANNELS; i++) {
        double e = fabs(decoded[i] - data[i]);
        worst = e > worst ? e : worst;
    }
    CHECK(worst < 0.05);

    /* Bad input: the call fails, names the argument, and leaves the state as it was. */
    size_t size = 0, written = 0;
    OK(nq_encoder_serialized_size(enc, &size));
    uint8_t *before = malloc(size), *after = malloc(size);
    CHECK(before != NULL && after != NULL);
    OK(nq_encoder_to_bytes(enc, before, size, &written));
    int32_t out[CHANNELS] = {7, 7, 7};
    double bad[CHANNELS] = {1.0, NAN, 2.0};
    EXPECT_ERROR(nq_encoder_step(enc, bad, CHANNELS, out, CHANNELS), NQ_NON_FINITE, "argument `x`: element 1 is NaN");
    EXPECT_ERROR(nq_encoder_step(enc, data, CHANNELS - 1, out, CHANNELS), NQ_DIMENSION_MISMATCH, "argument `x`");
    EXPECT_ERROR(nq_encoder_step(enc, data, CHANNELS, out, 1), NQ_DIMENSION_MISMATCH, "argument `out`");
    EXPECT_ERROR(nq_encoder_step(enc, NULL, CHANNELS, out, CHANNELS), NQ_NULL_ARGUMENT, "`x`");
    EXPECT_ERROR(nq_encoder_step(NULL, data, CHANNELS, out, CHANNELS), NQ_NULL_ARGUMENT, "`encoder`");
    CHECK(out[0] == 7 && out[1] == 7 && out[2] == 7);
    OK(nq_encoder_to_bytes(enc, after, size, &written));
    CHECK(memcmp(before, after, size) == 0);
    free(before);
    free(after);

    NqEncoderParams q;
    OK(nq_encoder_params_default(&q, sizeof q));
    q.encoder = 99;
    NqEncoder *none = NULL;
    EXPECT_ERROR(nq_encoder_new(&q, &none), NQ_INVALID_ARGUMENT, "NQ_ENCODER_PHASE");
    q.encoder = NQ_ENCODER_STEP_FORWARD;
    q.threshold = 0.0;
    EXPECT_ERROR(nq_encoder_new(&q, &none), NQ_INVALID_ARGUMENT, "argument `threshold`: is 0, must be > 0");
    q.threshold = 0.1;
    q.num_channels = (size_t)1 << 30;
    EXPECT_ERROR(nq_encoder_new(&q, &none), NQ_LIMIT_EXCEEDED, "num_channels");
    CHECK(none == NULL);

    nq_encoder_free(enc);
    nq_encoder_free(batch);
    nq_encoder_free(NULL);
    printf("spike: streaming send-on-delta step %.0f ns (%.0f ns per channel)\n", per_step * 1e9,
           per_step * 1e9 / CHANNELS);
}

/* A seeded rate encoder resumed from bytes draws exactly what the uninterrupted one draws. */
static void seeded_resume(void) {
    NqEncoderParams p;
    OK(nq_encoder_params_default(&p, sizeof p));
    p.encoder = NQ_ENCODER_RATE;
    p.num_channels = 2;
    p.seed = 77;
    p.has_seed = 1;
    NqEncoder *a = NULL, *b = NULL;
    OK(nq_encoder_new(&p, &a));
    OK(nq_encoder_new(&p, &b));
    double x[2] = {0.3, 0.8};
    int32_t sa[2], sb[2];
    for (int t = 0; t < 50; t++) {
        OK(nq_encoder_step(a, x, 2, sa, 2));
        OK(nq_encoder_step(b, x, 2, sb, 2));
    }
    uint8_t buf[4096];
    size_t written = 0;
    OK(nq_encoder_to_bytes(b, buf, sizeof buf, &written));
    nq_encoder_free(b);
    OK(nq_encoder_from_bytes(buf, written, &b));
    int same = 1;
    for (int t = 0; t < 200; t++) {
        OK(nq_encoder_step(a, x, 2, sa, 2));
        OK(nq_encoder_step(b, x, 2, sb, 2));
        same &= sa[0] == sb[0] && sa[1] == sb[1];
    }
    CHECK(same);
    nq_encoder_free(a);
    nq_encoder_free(b);
}

/* Streamed BSA with a caller's FIR filter (read during nq_encoder_new only): step by step, saved
 * and resumed mid-stream, equals the batch run; spikes come out filter length - 1 samples late,
 * and the decoder filters them and undoes gain/offset. */
static void streamed_bsa(void) {
    double taps[3] = {0.25, 0.5, 0.25};
    NqEncoderParams p;
    OK(nq_encoder_params_default(&p, sizeof p));
    p.encoder = NQ_ENCODER_BSA;
    p.filter = taps;
    p.filter_len = 3;
    p.threshold = 0.05;
    p.gain = 0.05; /* sensor degrees to [0, 1] */
    p.offset = -0.5;
    NqEncoder *a = NULL, *b = NULL;
    OK(nq_encoder_new(&p, &a));
    taps[1] = 99.0; /* the encoder keeps its own copy */
    OK(nq_encoder_new(&p, &b));
    enum { T = 200 };
    double x[T];
    int32_t s[T], batch[T];
    for (int t = 0; t < T; t++) {
        x[t] = 20.0 + 8.0 * sin(0.05 * t);
        if (t == 101) { /* save and resume with the filter's ring buffer half full of residuals */
            uint8_t buf[4096];
            size_t written = 0;
            OK(nq_encoder_to_bytes(a, buf, sizeof buf, &written));
            nq_encoder_free(a);
            a = NULL;
            OK(nq_encoder_from_bytes(buf, written, &a));
        }
        OK(nq_encoder_step(a, &x[t], 1, &s[t], 1));
    }
    CHECK(s[0] == 0 && s[1] == 0);
    NqEncoder *c = NULL;
    taps[1] = 0.5;
    OK(nq_encoder_new(&p, &c));
    OK(nq_encoder_run(c, x, T, batch, T));
    CHECK(memcmp(s, batch, sizeof s) == 0);
    int fired = 0;
    for (int t = 0; t < T; t++) {
        fired += s[t];
    }
    CHECK(fired > T / 4 && fired < T); /* the signal (0.1 to 0.9 after gain/offset) fires */
    /* The decoder filters the spikes by the taps (spike k stands for sample k - 2) and undoes
     * gain and offset: y[t] = (sum_j s[t + 2 - j] h[j] - offset) / gain. */
    double y[T];
    OK(nq_encoder_decode(a, s, T, y, T));
    for (int t = 0; t < T; t++) {
        double acc = 0.0;
        for (int j = 0; j < 3; j++) {
            int k = t + 2 - j;
            if (k >= 2 && k < T && s[k]) {
                acc += taps[j];
            }
        }
        CHECK(fabs(y[t] - (acc - p.offset) / p.gain) < 1e-9);
    }
    /* A gain of 0 encodes (everything maps to the offset) but cannot be decoded. */
    p.gain = 0.0;
    NqEncoder *flat = NULL;
    OK(nq_encoder_new(&p, &flat));
    y[0] = 7.0;
    EXPECT_ERROR(nq_encoder_decode(flat, s, T, y, T), NQ_INVALID_ARGUMENT, "argument `gain`: is 0");
    CHECK(y[0] == 7.0);
    nq_encoder_free(flat);
    p.filter_len = 0;
    NqEncoder *none = NULL;
    EXPECT_ERROR(nq_encoder_new(&p, &none), NQ_INVALID_ARGUMENT, "argument `filter`: is empty");
    p.filter = NULL;
    p.filter_len = 3;
    EXPECT_ERROR(nq_encoder_new(&p, &none), NQ_NULL_ARGUMENT, "`filter`");
    nq_encoder_free(a);
    nq_encoder_free(b);
    nq_encoder_free(c);
}

static void batch_encoders(void) {
    /* snnTorch's doc example: latency([0.02, 0.5, 1], num_steps=5, normalize=True, linear=True). */
    NqLatencyParams lp;
    OK(nq_latency_params_default(&lp, sizeof lp));
    lp.num_steps = 5;
    lp.normalize = 1;
    lp.linear = 1;
    double x[3] = {0.02, 0.5, 1.0};
    int8_t raster[15];
    size_t clamped = 99;
    OK(nq_spike_latency(&lp, x, 3, raster, 15, &clamped));
    const int8_t want[15] = {0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0};
    CHECK(memcmp(raster, want, sizeof want) == 0);
    CHECK(clamped == 0);
    EXPECT_ERROR(nq_spike_latency(&lp, x, 3, raster, 14, NULL), NQ_BUFFER_TOO_SMALL, "out");
    lp.threshold = 1.5;
    EXPECT_ERROR(nq_spike_latency(&lp, x, 3, raster, 15, NULL), NQ_INVALID_ARGUMENT, "argument `threshold`");

    /* snnTorch's delta example with off spikes (threshold 1). */
    NqDeltaParams dp;
    OK(nq_delta_params_default(&dp, sizeof dp));
    dp.threshold = 1.0;
    dp.off_spike = 1;
    double b[5] = {1, 2, 0, 2, 2.9};
    int8_t d[5];
    OK(nq_spike_delta(&dp, b, 5, 1, d, 5));
    const int8_t dwant[5] = {1, 1, -1, 1, 0};
    CHECK(memcmp(d, dwant, sizeof dwant) == 0);

    /* Rate: certain and impossible probabilities, the seed reported, 1 vs 2 threads equal. */
    NqRateParams rp;
    OK(nq_rate_params_default(&rp, sizeof rp));
    rp.num_steps = 4;
    rp.has_num_steps = 1;
    double p[4] = {1.0, 0.0, 2.0, -1.0};
    int8_t r[16];
    uint64_t seed = 0;
    OK(nq_spike_rate(&rp, p, 4, 4, NULL, r, 16, &seed));
    for (int t = 0; t < 4; t++) {
        CHECK(r[4 * t] == 1 && r[4 * t + 1] == 0 && r[4 * t + 2] == 1 && r[4 * t + 3] == 0);
    }
    enum { N = 3000 };
    static double half[N];
    static int8_t one[10 * N], two[10 * N];
    for (int i = 0; i < N; i++) {
        half[i] = 0.5;
    }
    rp.num_steps = 10;
    rp.seed = seed;
    rp.has_seed = 1;
    NqControl c;
    OK(nq_control_default(&c, sizeof c));
    c.num_threads = 1;
    OK(nq_spike_rate(&rp, half, N, N, &c, one, 10 * N, NULL));
    c.num_threads = 2;
    OK(nq_spike_rate(&rp, half, N, N, &c, two, 10 * N, NULL));
    CHECK(memcmp(one, two, sizeof one) == 0);
    long count = 0;
    for (int i = 0; i < 10 * N; i++) {
        count += one[i];
    }
    CHECK(labs(count - 5 * N) < 5 * 87); /* 5 sigma of Binomial(30000, 1/2) */
    EXPECT_ERROR(nq_spike_rate(&rp, half, N, 7, NULL, one, 10 * N, NULL), NQ_DIMENSION_MISMATCH, "data");
}

/* The batch decoders: rate back to the input (binomial bound), Poisson back to Hz, delta back to
 * a staircase (exact); bad input refused with the output untouched. */
static void batch_decoders(void) {
    enum { N = 64, T = 4000 };
    static double x[N], xd[N];
    static int8_t raster[T * N];
    for (int i = 0; i < N; i++) {
        x[i] = (double)i / (N - 1);
    }
    NqRateParams rp;
    OK(nq_rate_params_default(&rp, sizeof rp));
    rp.num_steps = T;
    rp.has_num_steps = 1;
    rp.gain = 0.5;
    rp.offset = 0.25;
    rp.seed = 7;
    rp.has_seed = 1;
    OK(nq_spike_rate(&rp, x, N, N, NULL, raster, T * N, NULL));
    OK(nq_spike_rate_decode(&rp, raster, T * N, N, 0, xd, N));
    for (int i = 0; i < N; i++) {
        double p = 0.5 * x[i] + 0.25, m = 0.5 * xd[i] + 0.25;
        CHECK(fabs(m - p) < 5.0 * sqrt(p * (1.0 - p) / T)); /* 5 sigma of the frequency */
    }
    /* Per step with a window: (T x N) values; a short buffer is refused and left alone. */
    static double per_step[T * N];
    OK(nq_spike_rate_decode(&rp, raster, T * N, N, 10, per_step, T * N));
    per_step[0] = 42.0;
    EXPECT_ERROR(nq_spike_rate_decode(&rp, raster, T * N, N, 10, per_step, T * N - 1), NQ_BUFFER_TOO_SMALL, "out");
    CHECK(per_step[0] == 42.0);
    rp.gain = 0.0;
    EXPECT_ERROR(nq_spike_rate_decode(&rp, raster, T * N, N, 0, xd, N), NQ_INVALID_ARGUMENT, "gain");

    /* Poisson: 1 of 4 steps fired → -ln(3/4)/dt; all 4 → -ln(1/8)/dt, the largest finite rate. */
    const int8_t trains[8] = {1, 1, 0, 1, 0, 1, 0, 1};
    double hz[2];
    OK(nq_spike_poisson_decode(1e-3, trains, 8, 2, 0, hz, 2));
    CHECK(fabs(hz[0] + log(0.75) / 1e-3) < 1e-9 && fabs(hz[1] + log(0.125) / 1e-3) < 1e-9);
    EXPECT_ERROR(nq_spike_poisson_decode(-1.0, trains, 8, 2, 0, hz, 2), NQ_INVALID_ARGUMENT, "dt");

    /* Delta: a staircase of ±0.25 steps from 3 (padding: the first sample is passed) is exact. */
    const double stairs[6] = {3.0, 3.25, 3.5, 3.25, 3.25, 3.0};
    int8_t d[6];
    NqDeltaParams dp;
    OK(nq_delta_params_default(&dp, sizeof dp));
    dp.threshold = 0.25;
    dp.off_spike = 1;
    dp.padding = 1;
    OK(nq_spike_delta(&dp, stairs, 6, 1, d, 6));
    double y[6];
    OK(nq_spike_delta_decode(&dp, d, 6, 1, stairs, y, 6));
    CHECK(memcmp(y, stairs, sizeof y) == 0);
    d[2] = 3;
    EXPECT_ERROR(nq_spike_delta_decode(&dp, d, 6, 1, stairs, y, 6), NQ_INVALID_ARGUMENT, "argument `spikes`: element 2 is 3");
}

static void distances(void) {
    double a[1] = {5.0}, none[1] = {0.0};
    double d = -1.0;
    OK(nq_van_rossum_distance(a, 1, none, 0, 2.0, &d));
    CHECK(fabs(d - 1.0) < 1e-15); /* one unmatched spike, Elephant's normalisation */
    OK(nq_victor_purpura_distance((double[]){1.0}, 1, (double[]){1.5}, 1, 1.0, &d));
    CHECK(fabs(d - 0.5) < 1e-15);
    EXPECT_ERROR(nq_van_rossum_distance((double[]){2.0, 1.0}, 2, none, 0, 1.0, &d), NQ_INVALID_ARGUMENT, "sorted");
    EXPECT_ERROR(nq_van_rossum_distance(a, 1, none, 0, 0.0, &d), NQ_INVALID_ARGUMENT, "argument `tau`");
    EXPECT_ERROR(nq_victor_purpura_distance(a, 1, a, 1, 1.0, NULL), NQ_NULL_ARGUMENT, "`out`");
}

int main(void) {
    streaming();
    seeded_resume();
    streamed_bsa();
    batch_encoders();
    batch_decoders();
    distances();
    return finish("spike");
}
