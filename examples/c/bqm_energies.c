/* Build a binary quadratic model through the C ABI, evaluate energies, convert vartypes,
 * round-trip the serialized form, and check that bad input is rejected without changing anything.
 * Exits non-zero on the first failed check. Oracles: energies worked out by hand below, and a
 * direct double loop over the same biases. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"


static int close_to(double a, double b) { return fabs(a - b) <= 1e-12 * (1.0 + fabs(a) + fabs(b)); }

int main(void) {
    printf("neuroquant %s (header %s)\n", nq_version(), NQ_VERSION);
    CHECK(strcmp(nq_version(), NQ_VERSION) == 0);

    /* E(x) = 0.5 + x0 - 2 x1 + 0.25 x2 + 3 x0 x1 - 1.5 x1 x2   (BINARY) */
    NqBqm *bqm = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_BINARY, 3, &bqm));
    const double linear[3] = {1.0, -2.0, 0.25};
    OK(nq_bqm_add_linear_array(bqm, linear, 3));
    OK(nq_bqm_add_quadratic(bqm, 0, 1, 1.0));
    const uint32_t rows[3] = {1, 0, 2};
    const uint32_t cols[3] = {0, 1, 1};
    const double biases[3] = {0.5, 1.5, -1.5}; /* (1,0) and (0,1) are the same pair: 1 + 0.5 + 1.5 = 3 */
    OK(nq_bqm_add_quadratic_coo(bqm, rows, 3, cols, 3, biases, 3));
    OK(nq_bqm_set_offset(bqm, 0.5));

    size_t n = 0, m = 0;
    OK(nq_bqm_num_variables(bqm, &n));
    OK(nq_bqm_num_interactions(bqm, &m));
    CHECK(n == 3 && m == 2);
    double q = 0.0;
    OK(nq_bqm_get_quadratic(bqm, 1, 0, &q));
    CHECK(q == 3.0);
    OK(nq_bqm_get_quadratic(bqm, 0, 2, &q));
    CHECK(q == 0.0);

    /* Bulk getters: every linear bias, one neighbourhood, every pair as COO. */
    double lin[3] = {0};
    OK(nq_bqm_linear(bqm, lin, 3));
    CHECK(lin[0] == 1.0 && lin[1] == -2.0 && lin[2] == 0.25);
    EXPECT_ERROR(nq_bqm_linear(bqm, lin, 2), NQ_DIMENSION_MISMATCH, "buf");
    size_t degree = 0;
    OK(nq_bqm_degree(bqm, 1, &degree));
    CHECK(degree == 2);
    uint32_t nbrs[2] = {9, 9};
    double nb[2] = {0};
    OK(nq_bqm_neighborhood(bqm, 1, nbrs, 2, nb, 2));
    CHECK(nbrs[0] == 0 && nbrs[1] == 2 && nb[0] == 3.0 && nb[1] == -1.5);
    EXPECT_ERROR(nq_bqm_neighborhood(bqm, 1, nbrs, 1, nb, 2), NQ_DIMENSION_MISMATCH, "neighbors");
    EXPECT_ERROR(nq_bqm_degree(bqm, 3, &degree), NQ_INDEX_OUT_OF_RANGE, "v");
    uint32_t qr[2], qc[2];
    double qb[2];
    OK(nq_bqm_quadratic(bqm, qr, 2, qc, 2, qb, 2));
    CHECK(qr[0] == 0 && qc[0] == 1 && qb[0] == 3.0 && qr[1] == 1 && qc[1] == 2 && qb[1] == -1.5);
    EXPECT_ERROR(nq_bqm_quadratic(bqm, qr, 2, qc, 2, qb, 3), NQ_DIMENSION_MISMATCH, "biases");

    /* All eight assignments, energies by hand and by a direct loop. */
    int8_t samples[8 * 3];
    double expected[8];
    for (int k = 0; k < 8; k++) {
        int8_t x0 = k & 1, x1 = (k >> 1) & 1, x2 = (k >> 2) & 1;
        samples[3 * k] = x0;
        samples[3 * k + 1] = x1;
        samples[3 * k + 2] = x2;
        expected[k] = 0.5 + x0 - 2.0 * x1 + 0.25 * x2 + 3.0 * x0 * x1 - 1.5 * x1 * x2;
    }
    double energies[8];
    OK(nq_bqm_energies(bqm, samples, 24, energies, 8));
    for (int k = 0; k < 8; k++) CHECK(close_to(energies[k], expected[k]));
    double e = 0.0;
    OK(nq_bqm_energy(bqm, samples + 3 * 3, 3, &e));
    CHECK(e == expected[3]);

    /* SPIN form of the same model: same energies at s = 2x - 1. */
    NqBqm *spin = NULL;
    OK(nq_bqm_clone(bqm, &spin));
    OK(nq_bqm_change_vartype(spin, NQ_VARTYPE_SPIN));
    uint32_t vt = 99;
    OK(nq_bqm_vartype(spin, &vt));
    CHECK(vt == NQ_VARTYPE_SPIN);
    int8_t spins[8 * 3];
    for (int i = 0; i < 24; i++) spins[i] = (int8_t)(2 * samples[i] - 1);
    double spin_energies[8];
    OK(nq_bqm_energies(spin, spins, 24, spin_energies, 8));
    for (int k = 0; k < 8; k++) CHECK(close_to(spin_energies[k], expected[k]));

    /* Serialized round trip. */
    size_t size = 0, written = 0;
    OK(nq_bqm_serialized_size(bqm, &size));
    unsigned char *buf = malloc(size);
    CHECK(buf != NULL);
    EXPECT_ERROR(nq_bqm_to_bytes(bqm, buf, size - 1, &written), NQ_BUFFER_TOO_SMALL, "buf");
    CHECK(written == 0);
    OK(nq_bqm_to_bytes(bqm, buf, size, &written));
    CHECK(written == size && memcmp(buf, "NQMODEL", 7) == 0);
    NqBqm *back = NULL;
    OK(nq_bqm_from_bytes(buf, size, &back));
    double back_energies[8];
    OK(nq_bqm_energies(back, samples, 24, back_energies, 8));
    CHECK(memcmp(back_energies, energies, sizeof energies) == 0);
    buf[0] = 'X';
    NqBqm *bad = NULL;
    EXPECT_ERROR(nq_bqm_from_bytes(buf, size, &bad), NQ_FORMAT, "magic");
    CHECK(bad == NULL);
    buf[0] = 'N';
    EXPECT_ERROR(nq_bqm_from_bytes(buf, size / 2, &bad), NQ_FORMAT, "truncated");
    CHECK(bad == NULL);
    free(buf);

    /* Bad input: an error naming the argument, and the model unchanged. */
    double offset_before = 0.0, offset_after = 0.0, lin0 = 0.0;
    OK(nq_bqm_offset(bqm, &offset_before));
    EXPECT_ERROR(nq_bqm_add_linear(bqm, 0, NAN), NQ_NON_FINITE, "bias");
    EXPECT_ERROR(nq_bqm_add_quadratic(bqm, 0, 1, INFINITY), NQ_NON_FINITE, "bias");
    EXPECT_ERROR(nq_bqm_set_offset(bqm, NAN), NQ_NON_FINITE, "offset");
    EXPECT_ERROR(nq_bqm_add_linear(bqm, 3, 1.0), NQ_INDEX_OUT_OF_RANGE, "`v`");
    EXPECT_ERROR(nq_bqm_add_quadratic(bqm, 0, 7, 1.0), NQ_INDEX_OUT_OF_RANGE, "`v`");
    const uint32_t bad_cols[2] = {1, 9};
    const double two[2] = {1.0, 1.0};
    EXPECT_ERROR(nq_bqm_add_quadratic_coo(bqm, rows, 2, bad_cols, 2, two, 2), NQ_INDEX_OUT_OF_RANGE, "cols");
    EXPECT_ERROR(nq_bqm_add_quadratic_coo(bqm, rows, 3, cols, 2, biases, 3), NQ_DIMENSION_MISMATCH, "cols");
    EXPECT_ERROR(nq_bqm_add_linear_array(bqm, linear, 2), NQ_DIMENSION_MISMATCH, "biases");
    EXPECT_ERROR(nq_bqm_add_linear(NULL, 0, 1.0), NQ_NULL_ARGUMENT, "bqm");
    EXPECT_ERROR(nq_bqm_add_linear_array(bqm, NULL, 3), NQ_NULL_ARGUMENT, "biases");
    EXPECT_ERROR(nq_bqm_change_vartype(bqm, 7), NQ_INVALID_ARGUMENT, "vartype");
    OK(nq_bqm_num_interactions(bqm, &m));
    OK(nq_bqm_offset(bqm, &offset_after));
    OK(nq_bqm_get_linear(bqm, 0, &lin0));
    CHECK(m == 2 && offset_after == offset_before && lin0 == 1.0);

    double out[2] = {42.0, 42.0};
    const int8_t wrong_values[6] = {0, 1, 1, 1, -1, 0}; /* -1 is not BINARY */
    EXPECT_ERROR(nq_bqm_energies(bqm, wrong_values, 6, out, 2), NQ_INVALID_ARGUMENT, "sample 1, variable 1");
    EXPECT_ERROR(nq_bqm_energies(bqm, samples, 5, out, 2), NQ_DIMENSION_MISMATCH, "samples");
    EXPECT_ERROR(nq_bqm_energies(bqm, samples, 6, NULL, 2), NQ_NULL_ARGUMENT, "energies");
    EXPECT_ERROR(nq_bqm_energy(bqm, samples, 3, NULL), NQ_NULL_ARGUMENT, "out");
    CHECK(out[0] == 42.0 && out[1] == 42.0);
    NqBqm *never = NULL;
    EXPECT_ERROR(nq_bqm_new(2, 3, &never), NQ_INVALID_ARGUMENT, "vartype");
    EXPECT_ERROR(nq_bqm_new(NQ_VARTYPE_SPIN, (size_t)1 << 40, &never), NQ_LIMIT_EXCEEDED, "num_variables");
    CHECK(never == NULL);
    EXPECT_ERROR(nq_bqm_new(NQ_VARTYPE_SPIN, 3, NULL), NQ_NULL_ARGUMENT, "out");

    char tiny[4];
    size_t full = nq_last_error_message(tiny, sizeof tiny);
    CHECK(full > 3 && tiny[3] == '\0');

    nq_bqm_free(back);
    nq_bqm_free(spin);
    nq_bqm_free(bqm);
    nq_bqm_free(NULL);

    return finish("bqm_energies");
}
