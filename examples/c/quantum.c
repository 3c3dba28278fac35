/* The quantum area through the C ABI: build the transverse-field Ising chain as a Pauli sum, evolve
 * |0...0> with nq_sesolve and compare the magnetization with the reference values of the notes
 * (scipy expm_multiply), check a Rabi oscillation against its closed form, run nq_mesolve with
 * dephasing (coherence decays as exp(-2*gamma*t)), the metrics and coherence measures on raw
 * arrays, the channels (closed forms, trace preservation), the phase state, serialization, an
 * interrupt, and the error paths (a status and a message naming the argument; outputs untouched).
 * Then what a controller does between its ticks: evolve a state chunk by chunk, save it mid-stream
 * and resume (equal to the one-shot run), a Kuramoto network saved and resumed bit for bit, and
 * quantum annealing of a small Bqm (sudden limit: uniform; slow: the ground state). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

enum { N = 8, DIM = 1 << N, T = 11 };

static int calls = 0;
static int stop_after_a_few(void *userdata) {
    (void)userdata;
    return ++calls > 3;
}

static void tfim_and_magnetization(void) {
    NqPauliSum *h = NULL, *m = NULL;
    OK(nq_pauli_sum_new(N, &h));
    OK(nq_pauli_sum_new(N, &m));
    for (size_t i = 0; i + 1 < N; i++) {
        size_t sites[2] = {i, i + 1};
        OK(nq_pauli_sum_add_term(h, "ZZ", sites, 2, -1.0, 0.0));
    }
    double field[N], weights[N];
    for (int i = 0; i < N; i++) {
        field[i] = -1.0;
        weights[i] = 1.0 / N;
    }
    OK(nq_pauli_sum_add_per_site(h, "X", field, N));
    OK(nq_pauli_sum_add_per_site(m, "Z", weights, N));
    size_t terms = 0;
    OK(nq_pauli_sum_num_terms(h, &terms));
    CHECK(terms == 2 * N - 1);

    NqOperator *hop = NULL, *mop = NULL;
    OK(nq_operator_from_pauli(h, NQ_STORAGE_MATRIX_FREE, &hop));
    OK(nq_operator_from_pauli(m, NQ_STORAGE_CSR, &mop));
    size_t dim = 0;
    OK(nq_operator_dim(hop, &dim));
    CHECK(dim == DIM);

    static double psi0[2 * DIM], final_state[2 * DIM];
    psi0[0] = 1.0;
    double tlist[T], expect[2 * T];
    for (int k = 0; k < T; k++) tlist[k] = 0.1 * k;
    const NqOperator *e_ops[1] = {mop};
    NqSolverOptions opts;
    OK(nq_solver_options_default(&opts, sizeof opts));
    CHECK(opts.atol == 1e-12 && opts.method == NQ_METHOD_AUTO && opts.krylov_dim == 50);
    OK(nq_sesolve(hop, psi0, 2 * DIM, tlist, T, e_ops, 1, &opts, NULL, expect, final_state, NULL));
    CHECK(fabs(expect[0] - 1.0) < 1e-12);
    /* The same run by exact diagonalisation and by DOP853 agrees to 1e-9. */
    double expect2[2 * T];
    opts.method = NQ_METHOD_DIAG;
    OK(nq_sesolve(hop, psi0, 2 * DIM, tlist, T, e_ops, 1, &opts, NULL, expect2, final_state, NULL));
    for (int k = 0; k < T; k++) CHECK(fabs(expect[2 * k] - expect2[2 * k]) < 1e-9);
    opts.method = NQ_METHOD_DOP853;
    OK(nq_sesolve(hop, psi0, 2 * DIM, tlist, T, e_ops, 1, &opts, NULL, expect2, final_state, NULL));
    for (int k = 0; k < T; k++) CHECK(fabs(expect[2 * k] - expect2[2 * k]) < 1e-9);
    double norm = 0;
    for (int i = 0; i < 2 * DIM; i++) norm += final_state[i] * final_state[i];
    CHECK(fabs(norm - 1.0) < 1e-10);
    /* Reference (notes section 3, N = 8 is not tabulated: check t = 10 for N = 10 instead below). */

    /* Interrupted: NQ_INTERRUPTED, outputs untouched. */
    NqControl control;
    OK(nq_control_default(&control, sizeof control));
    control.interrupt = stop_after_a_few;
    double untouched[2 * T];
    for (int k = 0; k < 2 * T; k++) untouched[k] = 7.0;
    opts.method = NQ_METHOD_DOP853;
    NqStatus st = nq_sesolve(hop, psi0, 2 * DIM, tlist, T, e_ops, 1, &opts, &control, untouched, final_state, NULL);
    CHECK(st == NQ_INTERRUPTED);
    for (int k = 0; k < 2 * T; k++) CHECK(untouched[k] == 7.0);

    /* Bad input: an unnormalised state, an odd length, a bad method code. */
    psi0[0] = 2.0;
    EXPECT_ERROR(nq_sesolve(hop, psi0, 2 * DIM, tlist, T, e_ops, 1, NULL, NULL, expect, final_state, NULL),
                 NQ_INVALID_ARGUMENT, "psi0");
    psi0[0] = 1.0;
    EXPECT_ERROR(nq_sesolve(hop, psi0, 2 * DIM - 1, tlist, T, e_ops, 1, NULL, NULL, expect, final_state, NULL),
                 NQ_INVALID_ARGUMENT, "psi0");
    opts.method = 99;
    EXPECT_ERROR(nq_sesolve(hop, psi0, 2 * DIM, tlist, T, e_ops, 1, &opts, NULL, expect, final_state, NULL),
                 NQ_INVALID_ARGUMENT, "method");
    size_t bad_sites[2] = {0, 0};
    EXPECT_ERROR(nq_pauli_sum_add_term(h, "ZZ", bad_sites, 2, 1.0, 0.0), NQ_INVALID_ARGUMENT, "sites");
    size_t good_sites[2] = {0, 1};
    EXPECT_ERROR(nq_pauli_sum_add_term(h, "ZQ", good_sites, 2, 1.0, 0.0), NQ_INVALID_ARGUMENT, "paulis");
    EXPECT_ERROR(nq_pauli_sum_add_term(NULL, "Z", bad_sites, 1, 1.0, 0.0), NQ_NULL_ARGUMENT, "sum");

    /* Serialization round trip. */
    size_t size = 0, written = 0;
    OK(nq_pauli_sum_serialized_size(h, &size));
    uint8_t *buf = malloc(size);
    OK(nq_pauli_sum_to_bytes(h, buf, size, &written));
    NqPauliSum *back = NULL;
    OK(nq_pauli_sum_from_bytes(buf, written, &back));
    size_t back_terms = 0;
    OK(nq_pauli_sum_num_terms(back, &back_terms));
    CHECK(back_terms == terms);
    buf[written - 1] ^= 0xff;
    nq_pauli_sum_free(back);
    back = NULL;
    (void)nq_pauli_sum_from_bytes(buf, written / 2, &back); /* truncated: an error, never a crash */
    CHECK(back == NULL);
    free(buf);

    nq_operator_free(hop);
    nq_operator_free(mop);
    nq_pauli_sum_free(h);
    nq_pauli_sum_free(m);
}

static void tfim_reference_n10(void) {
    /* Notes section 3: M(t=1) = 0.2599592331, M(t=10) = -0.2801058124 for N = 10. */
    enum { n = 10, d = 1 << n };
    NqPauliSum *h = NULL, *m = NULL;
    OK(nq_pauli_sum_new(n, &h));
    OK(nq_pauli_sum_new(n, &m));
    for (size_t i = 0; i + 1 < n; i++) {
        size_t sites[2] = {i, i + 1};
        OK(nq_pauli_sum_add_term(h, "ZZ", sites, 2, -1.0, 0.0));
    }
    for (size_t i = 0; i < n; i++) {
        OK(nq_pauli_sum_add_term(h, "X", &i, 1, -1.0, 0.0));
        OK(nq_pauli_sum_add_term(m, "Z", &i, 1, 1.0 / n, 0.0));
    }
    NqOperator *hop = NULL, *mop = NULL;
    OK(nq_operator_from_pauli(h, NQ_STORAGE_MATRIX_FREE, &hop));
    OK(nq_operator_from_pauli(m, NQ_STORAGE_MATRIX_FREE, &mop));
    static double psi0[2 * d], fin[2 * d];
    psi0[0] = 1.0;
    double tlist[3] = {0.0, 1.0, 10.0}, expect[6];
    const NqOperator *e_ops[1] = {mop};
    OK(nq_sesolve(hop, psi0, 2 * d, tlist, 3, e_ops, 1, NULL, NULL, expect, fin, NULL));
    CHECK(fabs(expect[2] - 0.2599592331) < 1e-8);
    CHECK(fabs(expect[4] + 0.2801058124) < 1e-8);
    nq_operator_free(hop);
    nq_operator_free(mop);
    nq_pauli_sum_free(h);
    nq_pauli_sum_free(m);
}

static void rabi_and_dephasing(void) {
    /* H = X/2 from |0>: P1(t) = sin^2(t/2). */
    double hx[8] = {0, 0, 0.5, 0, 0.5, 0, 0, 0};
    NqOperator *h = NULL, *p1 = NULL;
    OK(nq_operator_from_dense(2, hx, 8, &h));
    double proj1[8] = {0, 0, 0, 0, 0, 0, 1, 0};
    OK(nq_operator_from_dense(2, proj1, 8, &p1));
    double psi0[4] = {1, 0, 0, 0}, fin[4], tlist[5] = {0, 0.5, 1, 2, 3}, expect[10];
    const NqOperator *e_ops[1] = {p1};
    OK(nq_sesolve(h, psi0, 4, tlist, 5, e_ops, 1, NULL, NULL, expect, fin, NULL));
    for (int k = 0; k < 5; k++) CHECK(fabs(expect[2 * k] - pow(sin(tlist[k] / 2), 2)) < 1e-10);

    /* Dephasing sqrt(gamma) Z on |+><+| with H = 0: |rho01| = 0.5 exp(-2 gamma t). */
    double zero[8] = {0};
    NqOperator *h0 = NULL, *cz = NULL;
    OK(nq_operator_from_dense(2, zero, 8, &h0));
    const double g = 0.1;
    double z[8] = {sqrt(g), 0, 0, 0, 0, 0, -sqrt(g), 0};
    OK(nq_operator_from_dense(2, z, 8, &cz));
    double rho0[8] = {0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0}, rho_t[8];
    double tl[2] = {0, 3.0};
    const NqOperator *c_ops[1] = {cz};
    double states[16];
    OK(nq_mesolve(h0, rho0, 8, tl, 2, c_ops, 1, NULL, 0, NULL, NULL, NULL, rho_t, states));
    CHECK(fabs(rho_t[2] - 0.5 * exp(-2 * g * 3.0)) < 1e-10);
    CHECK(fabs(rho_t[0] + rho_t[6] - 1.0) < 1e-12);
    CHECK(states[0] == 0.5 && fabs(states[10] - rho_t[2]) < 1e-15);
    double bad_rho[8] = {1, 0, 0, 0, 0, 0, 1, 0};
    EXPECT_ERROR(nq_mesolve(h0, bad_rho, 8, tl, 2, c_ops, 1, NULL, 0, NULL, NULL, NULL, rho_t, NULL),
                 NQ_INVALID_ARGUMENT, "trace");
    nq_operator_free(h);
    nq_operator_free(p1);
    nq_operator_free(h0);
    nq_operator_free(cz);
}

static void metrics_coherence_channels(void) {
    const double s = sqrt(0.5);
    double zero[4] = {1, 0, 0, 0}, plus[4] = {s, 0, s, 0}, f = 0;
    OK(nq_fidelity(zero, 4, plus, 4, 2, &f));
    CHECK(fabs(f - s) < 1e-12);
    OK(nq_fidelity_squared(zero, 4, plus, 4, 2, &f));
    CHECK(fabs(f - 0.5) < 1e-12);
    OK(nq_tracedist(zero, 4, plus, 4, 2, &f));
    CHECK(fabs(f - s) < 1e-12);
    double one[4] = {0, 0, 1, 0};
    OK(nq_hilbert_dist(zero, 4, one, 4, 2, &f));
    CHECK(fabs(f - 2.0) < 1e-12);
    double mixed[8] = {0.5, 0, 0, 0, 0, 0, 0.5, 0};
    OK(nq_entropy_vn(mixed, 8, 2, 2.0, &f));
    CHECK(fabs(f - 1.0) < 1e-12);
    OK(nq_purity(mixed, 8, 2, &f));
    CHECK(fabs(f - 0.5) < 1e-12);
    OK(nq_coherence_l1(plus, 4, 2, &f));
    CHECK(fabs(f - 1.0) < 1e-12);
    OK(nq_coherence_relative_entropy(plus, 4, 2, 2.0, &f));
    CHECK(fabs(f - 1.0) < 1e-12);
    double bell[8] = {s, 0, 0, 0, 0, 0, s, 0};
    OK(nq_concurrence(bell, 8, 4, &f));
    CHECK(fabs(f - 1.0) < 1e-12);
    OK(nq_visibility(plus, 4, 2, 0, 1, &f));
    CHECK(fabs(f - 1.0) < 1e-12);
    f = 42.0;
    EXPECT_ERROR(nq_fidelity(zero, 4, plus, 3, 2, &f), NQ_INVALID_ARGUMENT, "b");
    EXPECT_ERROR(nq_entropy_vn(mixed, 8, 2, 1.0, &f), NQ_INVALID_ARGUMENT, "base");
    CHECK(f == 42.0);

    /* Channels on a qubit with Bloch vector (x, y, z) = (0.3, -0.4, 0.5). */
    const double x = 0.3, y = -0.4, zz = 0.5, p = 0.2;
    double rho[8] = {(1 + zz) / 2, 0, x / 2, -y / 2, x / 2, y / 2, (1 - zz) / 2, 0};
    double r[8];
    memcpy(r, rho, sizeof r);
    OK(nq_channel_apply(NQ_CHANNEL_AMPLITUDE_DAMPING, p, 0, r, 8, 1, 0));
    CHECK(fabs((r[0] - r[6]) - (p + (1 - p) * zz)) < 1e-14);
    CHECK(fabs(2 * r[2] - sqrt(1 - p) * x) < 1e-14);
    memcpy(r, rho, sizeof r);
    OK(nq_channel_apply(NQ_CHANNEL_DEPOLARIZING, p, NQ_DEPOLARIZING_NIELSEN_CHUANG, r, 8, 1, 0));
    CHECK(fabs((r[0] - r[6]) - (1 - 4 * p / 3) * zz) < 1e-14);
    memcpy(r, rho, sizeof r);
    OK(nq_channel_apply(NQ_CHANNEL_DEPOLARIZING, p, NQ_DEPOLARIZING_MAXIMALLY_MIXED, r, 8, 1, 0));
    CHECK(fabs((r[0] - r[6]) - (1 - p) * zz) < 1e-14);
    CHECK(fabs(r[0] + r[6] - 1.0) < 1e-14);
    memcpy(r, rho, sizeof r);
    OK(nq_channel_t1_t2_apply(2.0, 1.5, 0.8, r, 8, 1, 0));
    CHECK(fabs(r[6] - (1 - zz) / 2 * exp(-0.8 / 2.0)) < 1e-14);
    double kraus[32];
    size_t nk = 0;
    OK(nq_channel_kraus(NQ_CHANNEL_DEPOLARIZING, p, NQ_DEPOLARIZING_MAXIMALLY_MIXED, kraus, 32, &nk));
    CHECK(nk == 4);
    double sum[4] = {0}; /* real parts of the diagonal of sum K^dag K */
    for (size_t k = 0; k < nk; k++) {
        const double *K = kraus + 8 * k;
        for (int col = 0; col < 2; col++)
            for (int row = 0; row < 2; row++) {
                double re = K[2 * (2 * row + col)], im = K[2 * (2 * row + col) + 1];
                sum[col] += re * re + im * im;
            }
    }
    CHECK(fabs(sum[0] - 1.0) < 1e-14 && fabs(sum[1] - 1.0) < 1e-14);
    EXPECT_ERROR(nq_channel_apply(NQ_CHANNEL_DEPHASING, 1.5, 0, r, 8, 1, 0), NQ_INVALID_ARGUMENT, "p");
    EXPECT_ERROR(nq_channel_apply(7, 0.1, 0, r, 8, 1, 0), NQ_INVALID_ARGUMENT, "kind");
    EXPECT_ERROR(nq_channel_t1_t2_apply(1.0, 2.5, 0.1, r, 8, 1, 0), NQ_INVALID_ARGUMENT, "t2");
}

static void phase_state(void) {
    NqPhaseState a = {2.0, 0.1, 0.9, 0.95}, b = {1.0, 0.1, 0.5, 0.0};
    OK(nq_phase_state_evolve(&a, 1.0));
    CHECK(fabs(a.coherence - 0.9 * exp(-0.5)) < 1e-15 && fabs(a.phase - 2.1) < 1e-15 && a.uncertainty == 1.0);
    NqPhaseState before = a;
    EXPECT_ERROR(nq_phase_state_evolve(&a, -1.0), NQ_INVALID_ARGUMENT, "dt");
    CHECK(memcmp(&a, &before, sizeof a) == 0);
    double i = 0;
    OK(nq_interference(&a, &b, &i));
    CHECK(fabs(i - cos(2.0) * a.coherence * 0.5) < 1e-14);
    uint8_t buf[512];
    size_t written = 0;
    OK(nq_phase_state_to_bytes(&a, buf, sizeof buf, &written));
    NqPhaseState c;
    OK(nq_phase_state_from_bytes(buf, written, &c));
    CHECK(memcmp(&a, &c, sizeof a) == 0);
}

/* A controller's stream: TFIM N = 8 evolved tick by tick (0.1 each) from the previous tick's
 * final state, saved to bytes and restored half-way, equals one nq_sesolve over [0, 1]. */
static void streaming_save_resume(void) {
    NqPauliSum *h = NULL, *m = NULL;
    OK(nq_pauli_sum_new(N, &h));
    OK(nq_pauli_sum_new(N, &m));
    for (size_t i = 0; i + 1 < N; i++) {
        size_t sites[2] = {i, i + 1};
        OK(nq_pauli_sum_add_term(h, "ZZ", sites, 2, -1.0, 0.0));
    }
    double field[N], weights[N];
    for (int i = 0; i < N; i++) {
        field[i] = -1.0;
        weights[i] = 1.0 / N;
    }
    OK(nq_pauli_sum_add_per_site(h, "X", field, N));
    OK(nq_pauli_sum_add_per_site(m, "Z", weights, N));
    NqOperator *hop = NULL, *mop = NULL;
    OK(nq_operator_from_pauli(h, NQ_STORAGE_MATRIX_FREE, &hop));
    OK(nq_operator_from_pauli(m, NQ_STORAGE_MATRIX_FREE, &mop));
    const NqOperator *e_ops[1] = {mop};
    static double psi0[2 * DIM], one_shot[2 * DIM], state[2 * DIM], next[2 * DIM];
    psi0[0] = 1.0;
    double whole[2] = {0.0, 1.0}, expect[4];
    OK(nq_sesolve(hop, psi0, 2 * DIM, whole, 2, e_ops, 1, NULL, NULL, expect, one_shot, NULL));
    memcpy(state, psi0, sizeof state);
    double last_m = 0.0;
    for (int tick = 0; tick < 10; tick++) {
        double span[2] = {0.1 * tick, 0.1 * (tick + 1)}, e[4];
        OK(nq_sesolve(hop, state, 2 * DIM, span, 2, e_ops, 1, NULL, NULL, e, next, NULL));
        memcpy(state, next, sizeof state);
        last_m = e[2];
        if (tick == 4) {
            /* Save mid-stream, wipe, restore. */
            size_t size = 0, written = 0, dim = 0;
            uint8_t is_dm = 9;
            OK(nq_quantum_state_serialized_size(state, 2 * DIM, DIM, &size));
            uint8_t *buf = malloc(size);
            OK(nq_quantum_state_to_bytes(state, 2 * DIM, DIM, buf, size, &written));
            CHECK(written == size);
            memset(state, 0, sizeof state);
            OK(nq_quantum_state_info(buf, written, &dim, &is_dm));
            CHECK(dim == DIM && is_dm == 0);
            EXPECT_ERROR(nq_quantum_state_from_bytes(buf, written, state, 2 * DIM - 2), NQ_INVALID_ARGUMENT,
                         "out_len");
            CHECK(state[0] == 0.0);
            OK(nq_quantum_state_from_bytes(buf, written, state, 2 * DIM));
            EXPECT_ERROR(nq_quantum_state_info(buf, written / 2, &dim, &is_dm), NQ_FORMAT, "");
            EXPECT_ERROR(nq_quantum_state_to_bytes(state, 2 * DIM, DIM, buf, size - 1, &written),
                         NQ_BUFFER_TOO_SMALL, "buf");
            free(buf);
        }
    }
    /* Each tick is accurate to the Krylov tolerance, so the stream and the one-shot run agree. */
    double diff = 0.0;
    for (int i = 0; i < 2 * DIM; i++) diff = fmax(diff, fabs(state[i] - one_shot[i]));
    CHECK(diff < 1e-9);
    CHECK(fabs(last_m - expect[2]) < 1e-9);
    /* A density matrix round trip. */
    double rho[8] = {0.75, 0, 0.1, -0.2, 0.1, 0.2, 0.25, 0}, rho_back[8];
    uint8_t small[1024];
    size_t written = 0, dim = 0;
    uint8_t is_dm = 0;
    OK(nq_quantum_state_to_bytes(rho, 8, 2, small, sizeof small, &written));
    OK(nq_quantum_state_info(small, written, &dim, &is_dm));
    CHECK(dim == 2 && is_dm == 1);
    OK(nq_quantum_state_from_bytes(small, written, rho_back, 8));
    CHECK(memcmp(rho, rho_back, sizeof rho) == 0);
    EXPECT_ERROR(nq_quantum_state_to_bytes(rho, 6, 2, small, sizeof small, &written), NQ_INVALID_ARGUMENT, "state");
    nq_operator_free(hop);
    nq_operator_free(mop);
    nq_pauli_sum_free(h);
    nq_pauli_sum_free(m);
}

static void kuramoto(void) {
    /* Two oscillators, detuning 0.5, K = 1: the phase difference locks at asin(0.5) and
     * R = cos(asin(0.5) / 2). */
    double w[2] = {0.0, 0.5}, th[2] = {0.0, 0.0};
    NqKuramoto *k = NULL;
    OK(nq_kuramoto_new(w, 2, 1.0, th, 2, NULL, 0, &k));
    double times[51], order[51], psi[51];
    size_t records = 0;
    OK(nq_kuramoto_run(k, 0.01, 5000, 100, NULL, times, order, psi, 51, &records, NULL));
    CHECK(records == 51 && fabs(times[50] - 50.0) < 1e-9);
    double ph[2];
    OK(nq_kuramoto_phases(k, ph, 2));
    CHECK(fabs(ph[1] - ph[0] - asin(0.5)) < 1e-8);
    CHECK(fabs(order[50] - cos(0.5 * asin(0.5))) < 1e-8);
    double r = 0, mean = 0;
    OK(nq_kuramoto_order_parameter(k, &r, &mean));
    CHECK(r == order[50] && mean == psi[50]);
    nq_kuramoto_free(k);

    /* Saved mid-run and resumed: bit for bit the uninterrupted run (ring adjacency). */
    enum { n = 6 };
    double wf[n] = {0.3, -0.2, 0.1, 0.4, 0.0, -0.1}, t0[n] = {0, 1, 2, 3, 4, 5}, adj[n * n] = {0};
    for (int i = 0; i < n; i++) adj[i * n + (i + 1) % n] = adj[((i + 1) % n) * n + i] = 1.0;
    NqKuramoto *a = NULL, *b = NULL, *c = NULL;
    OK(nq_kuramoto_new(wf, n, 2.0, t0, n, adj, n * n, &a));
    OK(nq_kuramoto_new(wf, n, 2.0, t0, n, adj, n * n, &b));
    OK(nq_kuramoto_run(a, 0.01, 300, 300, NULL, NULL, NULL, NULL, 0, &records, NULL));
    CHECK(records == 2);
    OK(nq_kuramoto_run(b, 0.01, 170, 170, NULL, NULL, NULL, NULL, 0, &records, NULL));
    size_t size = 0, written = 0, count = 0;
    OK(nq_kuramoto_serialized_size(b, &size));
    uint8_t *buf = malloc(size);
    OK(nq_kuramoto_to_bytes(b, buf, size, &written));
    nq_kuramoto_free(b);
    OK(nq_kuramoto_from_bytes(buf, written, &c));
    OK(nq_kuramoto_num_oscillators(c, &count));
    CHECK(count == n);
    OK(nq_kuramoto_run(c, 0.01, 130, 130, NULL, NULL, NULL, NULL, 0, &records, NULL));
    double pa[n], pc[n], ta = 0, tc = 0;
    OK(nq_kuramoto_phases(a, pa, n));
    OK(nq_kuramoto_phases(c, pc, n));
    OK(nq_kuramoto_time(a, &ta));
    OK(nq_kuramoto_time(c, &tc));
    CHECK(memcmp(pa, pc, sizeof pa) == 0 && ta == tc);
    NqKuramoto *bad = NULL;
    EXPECT_ERROR(nq_kuramoto_from_bytes(buf, written - 1, &bad), NQ_FORMAT, "");
    CHECK(bad == NULL);
    free(buf);

    /* A stop through NqControl, reported as the samplers do: with out_interrupted, NQ_OK, the
     * steps done kept and their records written (the rest NaN), *out_interrupted = 1; without
     * it, NQ_INTERRUPTED and nothing changed. The interrupt is asked every few milliseconds of
     * work: here it answers "stop" on its second question, so the run stops part-way. */
    {
        enum { steps = 400000, every = 1000, cap = steps / every + 1 };
        static double st[cap], so[cap], sp[cap];
        NqKuramoto *s = NULL;
        OK(nq_kuramoto_new(wf, n, 2.0, t0, n, adj, n * n, &s));
        NqControl control;
        OK(nq_control_default(&control, sizeof control));
        control.interrupt = stop_after_a_few;
        control.num_threads = 1;
        double before = -1.0, after = -1.0;
        OK(nq_kuramoto_time(s, &before));
        calls = 2; /* stop_after_a_few stops from its 4th call on: the 2nd question here */
        EXPECT_ERROR(nq_kuramoto_run(s, 1e-4, steps, every, &control, st, so, sp, cap, &records, NULL),
                     NQ_INTERRUPTED, "");
        OK(nq_kuramoto_time(s, &after));
        CHECK(after == before);
        calls = 2;
        uint8_t stopped = 7;
        records = 0;
        OK(nq_kuramoto_run(s, 1e-4, steps, every, &control, st, so, sp, cap, &records, &stopped));
        CHECK(stopped == 1);
        OK(nq_kuramoto_time(s, &after));
        size_t done = (size_t)llround(after / 1e-4);
        CHECK(done > 0 && done < steps);
        CHECK(records == done / every + 1 && records < cap);
        CHECK(fabs(st[records - 1] - (double)((records - 1) * every) * 1e-4) < 1e-9);
        CHECK(isnan(st[records]) && isnan(so[cap - 1]) && isnan(sp[records]));
        /* A complete run reports 0. */
        stopped = 7;
        OK(nq_kuramoto_run(s, 1e-4, 10, 5, NULL, NULL, NULL, NULL, 0, &records, &stopped));
        CHECK(stopped == 0 && records == 3);
        nq_kuramoto_free(s);
    }

    /* Bad input, nothing changed. */
    EXPECT_ERROR(nq_kuramoto_run(a, -0.01, 10, 1, NULL, NULL, NULL, NULL, 0, &records, NULL), NQ_INVALID_ARGUMENT, "dt");
    EXPECT_ERROR(nq_kuramoto_run(a, 0.01, 10, 1, NULL, times, NULL, NULL, 5, &records, NULL), NQ_INVALID_ARGUMENT,
                 "capacity");
    EXPECT_ERROR(nq_kuramoto_run(a, 0.01, 10, 0, NULL, NULL, NULL, NULL, 0, &records, NULL), NQ_INVALID_ARGUMENT,
                 "record_every");
    OK(nq_kuramoto_time(a, &ta));
    CHECK(fabs(ta - 3.0) < 1e-12);
    EXPECT_ERROR(nq_kuramoto_new(wf, n, 1.0, t0, n - 1, NULL, 0, &bad), NQ_DIMENSION_MISMATCH, "phases");
    EXPECT_ERROR(nq_kuramoto_new(wf, n, 1.0, t0, n, adj, 5, &bad), NQ_DIMENSION_MISMATCH, "adjacency");
    EXPECT_ERROR(nq_kuramoto_phases(a, pa, n + 1), NQ_INVALID_ARGUMENT, "len");
    nq_kuramoto_free(a);
    nq_kuramoto_free(c);
    nq_kuramoto_free(NULL);
}

/* Quantum annealing of the SPIN chain h = (0.5, 0, 0), J01 = J12 = -1: unique ground state
 * (-1, -1, -1) at -2.5. */
static void quantum_annealing(void) {
    NqBqm *bqm = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 3, &bqm));
    OK(nq_bqm_add_linear(bqm, 0, 0.5));
    OK(nq_bqm_add_quadratic(bqm, 0, 1, -1.0));
    OK(nq_bqm_add_quadratic(bqm, 1, 2, -1.0));
    double p[8], e[8], ge = 0, gp = 0;
    /* Slow (adiabatic) linear anneal: the ground state with high probability. */
    OK(nq_quantum_anneal_bqm(bqm, 1.0, NULL, NULL, NULL, 0, 100.0, NULL, NULL, p, e, 8, &ge, &gp));
    CHECK(fabs(ge + 2.5) < 1e-12);
    CHECK(gp > 0.95 && fabs(p[7] - gp) < 1e-12); /* basis state 7 = |111> = spins (-1, -1, -1) */
    double total = 0;
    for (int b = 0; b < 8; b++) {
        total += p[b];
        int8_t sample[3];
        for (int q = 0; q < 3; q++) sample[q] = ((b >> (2 - q)) & 1) ? -1 : 1;
        double direct = 0;
        OK(nq_bqm_energy(bqm, sample, 3, &direct));
        CHECK(fabs(direct - e[b]) < 1e-12);
    }
    CHECK(fabs(total - 1.0) < 1e-9);
    /* Sudden limit (anneal time 1e-4, tabulated schedule): the state stays |+++>, uniform. */
    double s[3] = {0, 0.5, 1}, A[3] = {1, 0.5, 0}, B[3] = {0, 0.5, 1};
    OK(nq_quantum_anneal_bqm(bqm, 0.0, s, A, B, 3, 1e-4, NULL, NULL, p, e, 8, &ge, &gp));
    for (int b = 0; b < 8; b++) CHECK(fabs(p[b] - 0.125) < 1e-6);
    EXPECT_ERROR(nq_quantum_anneal_bqm(bqm, 1.0, NULL, NULL, NULL, 0, 10.0, NULL, NULL, p, e, 4, &ge, &gp),
                 NQ_INVALID_ARGUMENT, "out_len");
    EXPECT_ERROR(nq_quantum_anneal_bqm(bqm, 1.0, NULL, NULL, NULL, 0, -1.0, NULL, NULL, p, e, 8, &ge, &gp),
                 NQ_INVALID_ARGUMENT, "anneal_time");
    double s_bad[3] = {0, 0.7, 0.5};
    EXPECT_ERROR(nq_quantum_anneal_bqm(bqm, 0.0, s_bad, A, B, 3, 1.0, NULL, NULL, p, e, 8, &ge, &gp),
                 NQ_INVALID_ARGUMENT, "s");
    nq_bqm_free(bqm);
}

int main(void) {
    tfim_and_magnetization();
    tfim_reference_n10();
    rabi_and_dephasing();
    metrics_coherence_channels();
    phase_state();
    streaming_save_resume();
    kuramoto();
    quantum_annealing();
    return finish("quantum");
}
