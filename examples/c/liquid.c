/* A liquid state machine from C: create from parameters, drive it with a spike raster given two
 * ways (dense bytes of 0/1, and bit-packed 64-bit words in the spike area's SpikeRaster layout),
 * check both give the same spikes, step one sample, save and load and continue identically, count
 * spikes for a readout. Bad input is refused with a named argument and changes nothing. */
#include <stdlib.h>

#include "check.h"

#define UNITS 150  /* three output words per step, the last partly padding */
#define CHANNELS 70 /* two input words per step */
#define STEPS 60
#define IN_WORDS ((CHANNELS + 63) / 64)
#define OUT_WORDS ((UNITS + 63) / 64)

static int input_spike(int t, int c) { return ((t * 31 + c * 17) % 11) < 3; }

/* An interrupt callback that counts its calls and always asks to stop. */
static int stop_now(void *calls) {
    ++*(int *)calls;
    return 1;
}

int main(void) {
    NqLsmParams p;
    OK(nq_lsm_params_default(&p, sizeof p));
    p.units = UNITS;
    p.input_dim = CHANNELS;
    p.seed = 7;
    p.has_seed = 1;
    p.refractory = 1;
    p.reset = NQ_RESET_ZERO;
    NqLsm *dense_lsm = NULL, *packed_lsm = NULL;
    OK(nq_lsm_new(&p, &dense_lsm));
    OK(nq_lsm_new(&p, &packed_lsm));

    /* The same raster, dense and packed: channel c of step t is bit c % 64 of word
     * t * IN_WORDS + c / 64. */
    static uint8_t dense[STEPS * CHANNELS];
    static uint64_t packed[STEPS * IN_WORDS];
    for (int t = 0; t < STEPS; t++) {
        for (int c = 0; c < CHANNELS; c++) {
            int s = input_spike(t, c);
            dense[t * CHANNELS + c] = (uint8_t)s;
            if (s) packed[t * IN_WORDS + c / 64] |= (uint64_t)1 << (c % 64);
        }
    }
    static uint8_t out_dense[STEPS * UNITS];
    static uint64_t out_packed[STEPS * OUT_WORDS];
    OK(nq_lsm_run(dense_lsm, dense, sizeof dense, out_dense, sizeof out_dense, NULL));
    OK(nq_lsm_run_packed(packed_lsm, packed, STEPS * IN_WORDS, STEPS, out_packed, STEPS * OUT_WORDS, NULL));
    long fired = 0;
    int same = 1;
    for (int t = 0; t < STEPS; t++) {
        for (int i = 0; i < UNITS; i++) {
            int bit = (int)((out_packed[t * OUT_WORDS + i / 64] >> (i % 64)) & 1);
            same &= bit == out_dense[t * UNITS + i];
            fired += bit;
        }
        /* Padding bits past the last neuron stay 0. */
        CHECK((out_packed[t * OUT_WORDS + OUT_WORDS - 1] >> (UNITS % 64)) == 0);
    }
    CHECK(same);
    CHECK(fired > 0 && fired < STEPS * UNITS);
    double va[UNITS], vb[UNITS];
    OK(nq_lsm_potential(dense_lsm, va, UNITS));
    OK(nq_lsm_potential(packed_lsm, vb, UNITS));
    CHECK(memcmp(va, vb, sizeof va) == 0);

    /* Save mid-stream, load, and continue: the copy and the original step identically. */
    size_t size = 0, written = 0;
    OK(nq_lsm_serialized_size(dense_lsm, &size));
    uint8_t *buf = malloc(size);
    CHECK(buf != NULL);
    OK(nq_lsm_to_bytes(dense_lsm, buf, size, &written));
    CHECK(written == size);
    NqLsm *copy = NULL;
    OK(nq_lsm_from_bytes(buf, written, &copy));
    free(buf);
    uint8_t sa[UNITS], sb[UNITS];
    for (int t = 0; t < 20; t++) {
        OK(nq_lsm_step(dense_lsm, &dense[(t % STEPS) * CHANNELS], CHANNELS, sa, UNITS));
        OK(nq_lsm_step(copy, &dense[(t % STEPS) * CHANNELS], CHANNELS, sb, UNITS));
        CHECK(memcmp(sa, sb, sizeof sa) == 0);
    }
    size_t units = 0, dim = 0;
    OK(nq_lsm_units(copy, &units));
    OK(nq_lsm_input_dim(copy, &dim));
    CHECK(units == UNITS && dim == CHANNELS);

    /* Bad input: refused, named, nothing changed. */
    OK(nq_lsm_potential(packed_lsm, va, UNITS));
    uint64_t pad[STEPS * IN_WORDS];
    memcpy(pad, packed, sizeof pad);
    pad[IN_WORDS - 1] |= (uint64_t)1 << 10; /* channel 74 of a 70-channel raster */
    EXPECT_ERROR(nq_lsm_run_packed(packed_lsm, pad, STEPS * IN_WORDS, STEPS, out_packed, STEPS * OUT_WORDS, NULL),
                 NQ_INVALID_ARGUMENT, "past channel 69");
    EXPECT_ERROR(nq_lsm_run_packed(packed_lsm, packed, STEPS * IN_WORDS - 1, STEPS, out_packed, STEPS * OUT_WORDS, NULL),
                 NQ_DIMENSION_MISMATCH, "argument `words`");
    EXPECT_ERROR(nq_lsm_run_packed(packed_lsm, packed, STEPS * IN_WORDS, STEPS, out_packed, 3, NULL),
                 NQ_DIMENSION_MISMATCH, "argument `out`");
    dense[5] = 2;
    EXPECT_ERROR(nq_lsm_run(packed_lsm, dense, sizeof dense, out_dense, sizeof out_dense, NULL), NQ_INVALID_ARGUMENT,
                 "must be 0 or 1");
    OK(nq_lsm_potential(packed_lsm, vb, UNITS));
    CHECK(memcmp(va, vb, sizeof va) == 0);
    /* A long run under an interrupt that says stop: NQ_INTERRUPTED at the first look (about a
     * millisecond of work in), the liquid unchanged. */
    enum { LONG = 4000 };
    uint8_t *long_in = malloc((size_t)LONG * CHANNELS), *long_out = malloc((size_t)LONG * UNITS);
    CHECK(long_in != NULL && long_out != NULL);
    for (int i = 0; i < LONG * CHANNELS; i++) long_in[i] = (uint8_t)input_spike(i / CHANNELS, i % CHANNELS);
    NqControl control;
    OK(nq_control_default(&control, sizeof control));
    int calls = 0;
    control.interrupt = stop_now;
    control.interrupt_userdata = &calls;
    EXPECT_ERROR(nq_lsm_run(packed_lsm, long_in, (size_t)LONG * CHANNELS, long_out, (size_t)LONG * UNITS, &control),
                 NQ_INTERRUPTED, "stopped before completion");
    CHECK(calls == 1);
    OK(nq_lsm_potential(packed_lsm, vb, UNITS));
    CHECK(memcmp(va, vb, sizeof va) == 0);
    free(long_in);
    free(long_out);
    p.beta = 1.5;
    NqLsm *none = NULL;
    EXPECT_ERROR(nq_lsm_new(&p, &none), NQ_INVALID_ARGUMENT, "argument `beta`");
    p.beta = 0.9;
    p.reset = 7;
    EXPECT_ERROR(nq_lsm_new(&p, &none), NQ_INVALID_ARGUMENT, "NQ_RESET_SUBTRACT");
    CHECK(none == NULL);

    nq_lsm_free(copy);
    nq_lsm_free(packed_lsm);
    nq_lsm_free(dense_lsm);
    nq_lsm_free(NULL);
    return finish("liquid");
}
