/* Model files through the C ABI: every format written and read back through files in a
 * temporary directory and through caller buffers, energies checked after each round trip, and
 * the error paths (missing file, truncated or corrupt data, buffer too small, NULL pointers, bad
 * codes). Oracles: energies from a direct loop over the biases set below; the DIMODBQM preamble
 * as dimod's format documents it. Exits non-zero on the first failed check. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"


/* E(x) = 0.75 + x0 - 2 x1 + 0.5 x2 + 3 x0 x1 - 1.5 x1 x2 + 0.25 x0 x3   (BINARY) */
#define N 4
static const double LINEAR[N] = {1.0, -2.0, 0.5, 0.0};
static const uint32_t ROWS[3] = {0, 1, 0};
static const uint32_t COLS[3] = {1, 2, 3};
static const double BIASES[3] = {3.0, -1.5, 0.25};
static const double OFFSET = 0.75;

static double expected_energy(const int8_t *x, double offset) {
    double e = offset;
    for (int v = 0; v < N; v++) e += LINEAR[v] * x[v];
    for (int k = 0; k < 3; k++) e += BIASES[k] * x[ROWS[k]] * x[COLS[k]];
    return e;
}

/* Checks `bqm` has the model's energies on all 16 assignments (COO drops the offset). */
static void check_model(const NqBqm *bqm, double offset, const char *what) {
    size_t n = 0, m = 0;
    uint32_t vt = 99;
    OK(nq_bqm_num_variables(bqm, &n));
    OK(nq_bqm_num_interactions(bqm, &m));
    OK(nq_bqm_vartype(bqm, &vt));
    if (n != N || m != 3 || vt != NQ_VARTYPE_BINARY) {
        fprintf(stderr, "%s: n=%zu m=%zu vartype=%u\n", what, n, m, vt);
        failures++;
        return;
    }
    int8_t samples[16 * N];
    for (int k = 0; k < 16; k++)
        for (int v = 0; v < N; v++) samples[N * k + v] = (int8_t)((k >> v) & 1);
    double energies[16];
    OK(nq_bqm_energies(bqm, samples, 16 * N, energies, 16));
    for (int k = 0; k < 16; k++) {
        double want = expected_energy(samples + N * k, offset);
        if (fabs(energies[k] - want) > 1e-12) {
            fprintf(stderr, "%s: sample %d energy %g, expected %g\n", what, k, energies[k], want);
            failures++;
        }
    }
}

static const struct {
    uint32_t code;
    const char *ext;
} FORMATS[] = {
    {NQ_FILE_NEUROQUANT, "nqm"}, {NQ_FILE_QBSOLV, "qubo"},      {NQ_FILE_COO, "coo"},
    {NQ_FILE_DIMOD_JSON, "json"}, {NQ_FILE_DIMODBQM, "bqm"},
};

int main(void) {
    NqBqm *bqm = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_BINARY, N, &bqm));
    OK(nq_bqm_add_linear_array(bqm, LINEAR, N));
    OK(nq_bqm_add_quadratic_coo(bqm, ROWS, 3, COLS, 3, BIASES, 3));
    OK(nq_bqm_set_offset(bqm, OFFSET));
    check_model(bqm, OFFSET, "original");

    char dir[] = "/tmp/nq-formats-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];

    for (size_t f = 0; f < sizeof FORMATS / sizeof FORMATS[0]; f++) {
        uint32_t code = FORMATS[f].code;
        double offset = code == NQ_FILE_COO ? 0.0 : OFFSET; /* COO holds no offset */

        /* Through a caller buffer, sized first. */
        size_t size = 0, written = 12345;
        OK(nq_bqm_formatted_size(bqm, code, &size));
        CHECK(size > 0);
        uint8_t *buf = malloc(size);
        EXPECT_ERROR(nq_bqm_write_buffer(bqm, code, buf, size - 1, &written), NQ_BUFFER_TOO_SMALL, "required");
        CHECK(written == 12345); /* outputs only on success */
        OK(nq_bqm_write_buffer(bqm, code, buf, size, &written));
        CHECK(written == size);
        NqBqm *back = NULL;
        OK(nq_bqm_read_buffer(buf, size, code, NQ_VARTYPE_NONE, &back));
        check_model(back, offset, FORMATS[f].ext);
        nq_bqm_free(back);

        if (code == NQ_FILE_DIMODBQM) {
            /* dimod's preamble: magic, version 2.0, header length, then the JSON header. */
            CHECK(memcmp(buf, "DIMODBQM\x02\x00", 10) == 0);
            CHECK(memcmp(buf + 14, "{\"dtype\": \"float64\", \"itype\": \"int32\"", 37) == 0);
            uint32_t hlen = (uint32_t)buf[10] | (uint32_t)buf[11] << 8 | (uint32_t)buf[12] << 16 |
                            (uint32_t)buf[13] << 24;
            CHECK((14 + hlen) % 64 == 0);
        }
        /* A truncated or corrupted copy is rejected as a format error, naming where. */
        NqBqm *bad = (NqBqm *)&failures; /* must stay untouched */
        if (code == NQ_FILE_COO) {
            const char *text = "# vartype=BINARY\n0 1 2.0\n0 1\n";
            EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)text, strlen(text), code, NQ_VARTYPE_NONE, &bad),
                         NQ_FORMAT, "line 3");
        } else if (code == NQ_FILE_QBSOLV || code == NQ_FILE_DIMOD_JSON) {
            EXPECT_ERROR(nq_bqm_read_buffer(buf, size / 2, code, NQ_VARTYPE_NONE, &bad), NQ_FORMAT, "line");
        } else {
            EXPECT_ERROR(nq_bqm_read_buffer(buf, size / 2, code, NQ_VARTYPE_NONE, &bad), NQ_FORMAT, "truncated");
        }
        CHECK(bad == (NqBqm *)&failures);

        /* Through a file. */
        snprintf(path, sizeof path, "%s/model.%s", dir, FORMATS[f].ext);
        OK(nq_bqm_write_file(bqm, path, code));
        FILE *fp = fopen(path, "rb");
        CHECK(fp != NULL);
        if (fp) {
            uint8_t *file = malloc(size + 1);
            size_t got = fread(file, 1, size + 1, fp);
            CHECK(got == size && memcmp(file, buf, size) == 0); /* same bytes as the buffer */
            free(file);
            fclose(fp);
        }
        OK(nq_bqm_read_file(path, code, NQ_VARTYPE_BINARY, &back));
        check_model(back, offset, path);
        nq_bqm_free(back);
        /* A vartype that contradicts the file is refused. */
        EXPECT_ERROR(nq_bqm_read_file(path, code, NQ_VARTYPE_SPIN, &back), NQ_INVALID_ARGUMENT, "BINARY");
        CHECK(unlink(path) == 0);
        free(buf);
    }

    /* COO without a vartype header needs one from the caller. */
    const char *coo = "0 1 2.5\n";
    NqBqm *spin = NULL;
    EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)coo, strlen(coo), NQ_FILE_COO, NQ_VARTYPE_NONE, &spin),
                 NQ_INVALID_ARGUMENT, "vartype");
    OK(nq_bqm_read_buffer((const uint8_t *)coo, strlen(coo), NQ_FILE_COO, NQ_VARTYPE_SPIN, &spin));
    double e = 0.0;
    const int8_t up_down[2] = {1, -1};
    OK(nq_bqm_energy(spin, up_down, 2, &e));
    CHECK(e == -2.5);
    nq_bqm_free(spin);

    /* Error paths: missing files, unwritable paths, NULL pointers, unknown codes. */
    NqBqm *none = NULL;
    snprintf(path, sizeof path, "%s/missing.bqm", dir);
    EXPECT_ERROR(nq_bqm_read_file(path, NQ_FILE_DIMODBQM, NQ_VARTYPE_NONE, &none), NQ_IO, "missing.bqm");
    CHECK(none == NULL);
    snprintf(path, sizeof path, "%s/no/such/dir/model.bqm", dir);
    EXPECT_ERROR(nq_bqm_write_file(bqm, path, NQ_FILE_DIMODBQM), NQ_IO, "model.bqm");
    EXPECT_ERROR(nq_bqm_read_file(NULL, NQ_FILE_DIMODBQM, NQ_VARTYPE_NONE, &none), NQ_NULL_ARGUMENT, "`path`");
    EXPECT_ERROR(nq_bqm_write_file(bqm, NULL, NQ_FILE_DIMODBQM), NQ_NULL_ARGUMENT, "`path`");
    EXPECT_ERROR(nq_bqm_write_file(NULL, "x", NQ_FILE_DIMODBQM), NQ_NULL_ARGUMENT, "`bqm`");
    EXPECT_ERROR(nq_bqm_read_buffer(NULL, 10, NQ_FILE_DIMODBQM, NQ_VARTYPE_NONE, &none), NQ_NULL_ARGUMENT, "`buf`");
    EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)"x", 1, NQ_FILE_DIMODBQM, NQ_VARTYPE_NONE, NULL),
                 NQ_NULL_ARGUMENT, "`out`");
    EXPECT_ERROR(nq_bqm_read_buffer(NULL, 0, NQ_FILE_DIMODBQM, NQ_VARTYPE_NONE, &none), NQ_FORMAT, "truncated");
    EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)"DIMODCQM", 8, NQ_FILE_DIMODBQM, NQ_VARTYPE_NONE, &none),
                 NQ_FORMAT, "not a DIMODBQM file");
    size_t size = 0;
    EXPECT_ERROR(nq_bqm_formatted_size(bqm, 9, &size), NQ_INVALID_ARGUMENT, "`format`");
    EXPECT_ERROR(nq_bqm_formatted_size(bqm, NQ_FILE_QBSOLV, NULL), NQ_NULL_ARGUMENT, "`out`");
    EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)coo, strlen(coo), NQ_FILE_COO, 7, &none), NQ_INVALID_ARGUMENT,
                 "`vartype`");
    size_t written = 0;
    EXPECT_ERROR(nq_bqm_write_buffer(bqm, NQ_FILE_COO, NULL, 100, &written), NQ_NULL_ARGUMENT, "`buf`");
    CHECK(none == NULL && size == 0 && written == 0);

    /* Edge lists (rudy / G-set): 1-based nodes in the file, 0-based here. */
    snprintf(path, sizeof path, "%s/graph.txt", dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (fp) {
        fputs("4 3\n1 2 1\n2 3 -1\n4 1 2.5\n", fp);
        fclose(fp);
    }
    NqEdgeList *g = NULL;
    OK(nq_edge_list_read_file(path, &g));
    size_t nodes = 0, edges = 0;
    OK(nq_edge_list_num_nodes(g, &nodes));
    OK(nq_edge_list_num_edges(g, &edges));
    CHECK(nodes == 4 && edges == 3);
    uint32_t r[3], c[3];
    double w[3];
    OK(nq_edge_list_edges(g, r, 3, c, 3, w, 3));
    CHECK(r[0] == 0 && c[0] == 1 && w[0] == 1.0 && r[1] == 1 && c[1] == 2 && w[1] == -1.0 && r[2] == 3 &&
          c[2] == 0 && w[2] == 2.5);
    EXPECT_ERROR(nq_edge_list_edges(g, r, 2, c, 3, w, 3), NQ_DIMENSION_MISMATCH, "`rows`");
    nq_edge_list_free(g);
    CHECK(unlink(path) == 0);
    const char *loop = "3 1\n2 2 1\n";
    NqEdgeList *h = NULL;
    EXPECT_ERROR(nq_edge_list_read_buffer((const uint8_t *)loop, strlen(loop), &h), NQ_FORMAT, "line 2");
    EXPECT_ERROR(nq_edge_list_read_file(path, &h), NQ_IO, "graph.txt");
    EXPECT_ERROR(nq_edge_list_read_file(NULL, &h), NQ_NULL_ARGUMENT, "`path`");
    CHECK(h == NULL);
    nq_edge_list_free(NULL);

    CHECK(rmdir(dir) == 0);
    nq_bqm_free(bqm);
    return finish("qubo_formats");
}
