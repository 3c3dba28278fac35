/* Hostile-but-legal calls from issue 8 return a documented status instead of aborting or hanging:
 * huge sizes are refused (NQ_LIMIT_EXCEEDED, NQ_DIMENSION_MISMATCH) before anything is allocated
 * from them, allocations a caller can make large are fallible, and runs a caller can make long
 * return within milliseconds of a deadline.
 *
 * Memory cap: under AddressSanitizer (the sanitized builds) every allocation above 2 GiB fails
 * (`max_allocation_size_mb=2048:allocator_may_return_null=1`, set below), so an infallible Rust
 * allocation of that size would abort the program; the plain build (`limits_plain`) runs the
 * same checks under a 2 GiB address-space limit (RLIMIT_AS), which ASan cannot run under. */
#define _XOPEN_SOURCE 700
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "check.h"

#define CAP_BYTES ((rlim_t)2 << 30)

#if defined(__SANITIZE_ADDRESS__)
/* Read by ASan at start-up; ASAN_OPTIONS from the environment still apply on top. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "max_allocation_size_mb=2048:allocator_may_return_null=1";
}
#endif

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A chain of `n` variables with alternating couplings. */
static NqBqm *chain(uint32_t vartype, size_t n) {
    NqBqm *bqm = NULL;
    OK(nq_bqm_new(vartype, n, &bqm));
    for (size_t i = 0; i + 1 < n; i++) OK(nq_bqm_add_quadratic(bqm, (uint32_t)i, (uint32_t)(i + 1), i % 3 ? -1.0 : 1.0));
    return bqm;
}

/* Samples with a 50 ms timeout: the call must come back within 2 s (a generous bound), either
 * with the reads completed (marked interrupted) or NQ_INTERRUPTED when none had completed. */
static void stops_promptly(const char *what, const NqSampler *s, const NqBqm *bqm) {
    NqSampleSet *set = NULL;
    double t0 = now_s();
    NqStatus st = sample_controlled(s, bqm, NULL, NULL, 50, &set);
    double elapsed = now_s() - t0;
    if (elapsed >= 2.0) {
        fprintf(stderr, "%s: took %.2f s after a 50 ms timeout\n", what, elapsed);
        failures++;
    }
    if (st == NQ_OK) {
        NqSampleInfo info;
        OK(nq_sampleset_info(set, &info));
        CHECK(info.interrupted == 1);
        nq_sampleset_free(set);
    } else if (st != NQ_INTERRUPTED) {
        fprintf(stderr, "%s: %s\n", what, nq_status_name(st));
        failures++;
    }
}

/* 1. nq_bqm_energies with a claimed energies_len far beyond the samples: a dimension mismatch,
 *    found before allocating (it used to allocate energies_len doubles first). */
static void energies_with_a_huge_length(void) {
    NqBqm *bqm = chain(NQ_VARTYPE_SPIN, 3);
    const int8_t samples[3] = {1, -1, 1};
    double energies[1] = {7.0};
    EXPECT_ERROR(nq_bqm_energies(bqm, samples, 3, energies, SIZE_MAX / 16), NQ_DIMENSION_MISMATCH, "`samples`");
    EXPECT_ERROR(nq_bqm_energies(bqm, samples, 3, energies, (size_t)1 << 40), NQ_DIMENSION_MISMATCH, "`samples`");
    CHECK(energies[0] == 7.0);
    nq_bqm_free(bqm);
    /* Without variables any row count matches; the energies are then allocated fallibly. */
    NqBqm *empty = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 0, &empty));
    EXPECT_ERROR(nq_bqm_energies(empty, NULL, 0, energies, SIZE_MAX / 16), NQ_LIMIT_EXCEEDED, "could not allocate");
    CHECK(energies[0] == 7.0);
    nq_bqm_free(empty);
}

/* 2. Huge num_reads on every sampler: 160M reads of a 5-variable model (about 6 GB of output) are
 *    refused with the caller's value, before anything is allocated. */
static void huge_num_reads(void) {
    NqBqm *bqm = chain(NQ_VARTYPE_SPIN, 5);
    const size_t reads = 160000000;
    const char *why = "`num_reads`: 160000000 exceeds the limit of 116080197";
    NqSampler *s = NULL;
    NqSampleSet *set = NULL;

    NqSaParams sa;
    OK(nq_sa_params_default(&sa, sizeof sa));
    sa.reads.num_reads = reads;
    sa.reads.has_num_reads = 1;
    OK(nq_sampler_new_simulated_annealing(&sa, &s));
    EXPECT_ERROR(nq_sampler_sample(s, bqm, NULL, &set), NQ_LIMIT_EXCEEDED, why);
    nq_sampler_free(s);

    NqSteepestDescentParams sd;
    OK(nq_steepest_descent_params_default(&sd, sizeof sd));
    sd.reads.num_reads = reads;
    sd.reads.has_num_reads = 1;
    OK(nq_sampler_new_steepest_descent(&sd, &s));
    EXPECT_ERROR(nq_sampler_sample(s, bqm, NULL, &set), NQ_LIMIT_EXCEEDED, why);
    nq_sampler_free(s);

    NqTabuParams tabu;
    OK(nq_tabu_params_default(&tabu, sizeof tabu));
    tabu.reads.num_reads = reads;
    tabu.reads.has_num_reads = 1;
    OK(nq_sampler_new_tabu(&tabu, &s));
    EXPECT_ERROR(nq_sampler_sample(s, bqm, NULL, &set), NQ_LIMIT_EXCEEDED, why);
    nq_sampler_free(s);

    NqPtParams pt;
    OK(nq_pt_params_default(&pt, sizeof pt));
    pt.reads.num_reads = reads;
    pt.reads.has_num_reads = 1;
    OK(nq_sampler_new_parallel_tempering(&pt, &s));
    EXPECT_ERROR(nq_sampler_sample(s, bqm, NULL, &set), NQ_LIMIT_EXCEEDED, why);
    nq_sampler_free(s);

    NqSqaParams sqa;
    OK(nq_sqa_params_default(&sqa, sizeof sqa));
    sqa.reads.num_reads = reads;
    sqa.reads.has_num_reads = 1;
    OK(nq_sampler_new_path_integral(&sqa, &s));
    EXPECT_ERROR(nq_sampler_sample(s, bqm, NULL, &set), NQ_LIMIT_EXCEEDED, why);
    nq_sampler_free(s);
    CHECK(set == NULL);
    nq_bqm_free(bqm);

    /* Within the limit but more than the allocator gives (4.3 GB of rows for 4096 variables):
     * the rows are allocated fallibly, so the cap is a status, not an abort. */
    NqBqm *wide = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 4096, &wide));
    OK(nq_sa_params_default(&sa, sizeof sa));
    sa.reads.num_reads = 1040000;
    sa.reads.has_num_reads = 1;
    OK(nq_sampler_new_simulated_annealing(&sa, &s));
    EXPECT_ERROR(nq_sampler_sample(s, wide, NULL, &set), NQ_LIMIT_EXCEEDED, "could not allocate");
    nq_sampler_free(s);
    nq_bqm_free(wide);
}

/* 3. Path-integral annealing with a huge num_sweeps: the default schedule is computed step by
 *    step, so the run starts at once and stops at the timeout. */
static void path_integral_huge_num_sweeps(void) {
    NqBqm *bqm = chain(NQ_VARTYPE_SPIN, 20);
    NqSqaParams sqa;
    OK(nq_sqa_params_default(&sqa, sizeof sqa));
    sqa.num_sweeps = (size_t)1 << 40;
    sqa.has_num_sweeps = 1;
    NqSampler *s = NULL;
    OK(nq_sampler_new_path_integral(&sqa, &s));
    stops_promptly("sqa, 2^40 sweeps", s, bqm);
    nq_sampler_free(s);
    nq_bqm_free(bqm);
}

/* 4. Tabu without a timeout on a model with no variables: returns no rows, as dwave does (it
 *    used to loop forever). A 10 s timeout only keeps a regression from hanging the test. */
static void tabu_without_variables(void) {
    NqBqm *empty = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_BINARY, 0, &empty));
    NqTabuParams tabu;
    OK(nq_tabu_params_default(&tabu, sizeof tabu));
    tabu.has_timeout = 0;
    tabu.reads.num_reads = 3;
    tabu.reads.has_num_reads = 1;
    NqSampler *s = NULL;
    OK(nq_sampler_new_tabu(&tabu, &s));
    NqSampleSet *set = NULL;
    double t0 = now_s();
    OK(sample_controlled(s, empty, NULL, NULL, 10000, &set));
    CHECK(now_s() - t0 < 2.0);
    size_t rows = 0, width = 1;
    if (set) {
        OK(nq_sampleset_num_rows(set, &rows));
        OK(nq_sampleset_num_variables(set, &width));
    }
    CHECK(rows == 0 && width == 0);
    nq_sampleset_free(set);
    nq_sampler_free(s);
    nq_bqm_free(empty);
}

/* 5. Exact ground states of an all-zero model (every state is one): memory stays at about
 *    max_ground_states rows (the 31-variable case needed > 2 GB), and a deadline stops it. */
static void exact_ground_states(void) {
    NqExactParams p;
    OK(nq_exact_params_default(&p, sizeof p));
    p.mode = NQ_EXACT_GROUND_STATES;
    NqSampler *s = NULL;
    OK(nq_sampler_new_exact(&p, &s));
    NqBqm *zero = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 22, &zero));
    NqSampleSet *set = NULL;
    OK(nq_sampler_sample(s, zero, NULL, &set));
    size_t rows = 0;
    if (set) OK(nq_sampleset_num_rows(set, &rows));
    CHECK(rows == 1000);
    nq_sampleset_free(set);
    nq_bqm_free(zero);
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 31, &zero));
    stops_promptly("exact, 31 variables", s, zero);
    nq_sampler_free(s);
    /* A cap whose rows cannot fit a sample set is refused with the caller's value. */
    p.max_ground_states = SIZE_MAX;
    OK(nq_sampler_new_exact(&p, &s));
    EXPECT_ERROR(nq_sampler_sample(s, zero, NULL, &set), NQ_LIMIT_EXCEEDED, "`max_ground_states`");
    nq_sampler_free(s);
    nq_bqm_free(zero);
}

/* 6. Parallel tempering with a huge swap_interval: Control is checked inside an interval. */
static void pt_huge_swap_interval(void) {
    NqBqm *bqm = chain(NQ_VARTYPE_SPIN, 50);
    NqPtParams pt;
    OK(nq_pt_params_default(&pt, sizeof pt));
    pt.num_sweeps = (size_t)1 << 40;
    pt.swap_interval = (size_t)1 << 40;
    pt.num_replicas = 4;
    NqSampler *s = NULL;
    OK(nq_sampler_new_parallel_tempering(&pt, &s));
    stops_promptly("pt, one huge swap interval", s, bqm);
    nq_sampler_free(s);
    nq_bqm_free(bqm);
}

/* 7. A 40-byte COO / qbsolv / rudy text naming index 2147483646: refused by the bound on the
 *    variables a text implies (2^20 + 16 per byte), not after reserving ~120 GB. */
static void tiny_texts_naming_huge_indices(void) {
    static const char coo[] = "0 2147483646 1\n";
    static const char qbsolv[] = "p qubo 0 2147483647 0 1\n0 2147483646 1\n";
    static const char rudy[] = "2147483647 1\n1 2147483647 1\n";
    NqBqm *bqm = NULL;
    EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)coo, strlen(coo), NQ_FILE_COO, NQ_VARTYPE_SPIN, &bqm),
                 NQ_LIMIT_EXCEEDED, "line 1: 2147483647 variables (index 2147483646 + 1) exceed the limit");
    EXPECT_ERROR(nq_bqm_read_buffer((const uint8_t *)qbsolv, strlen(qbsolv), NQ_FILE_QBSOLV, NQ_VARTYPE_NONE, &bqm),
                 NQ_LIMIT_EXCEEDED, "line 1: 2147483647 variables (maxNodes)");
    CHECK(bqm == NULL);
    NqEdgeList *list = NULL;
    EXPECT_ERROR(nq_edge_list_read_buffer((const uint8_t *)rudy, strlen(rudy), &list), NQ_LIMIT_EXCEEDED,
                 "nodes (num_nodes)");
    CHECK(list == NULL);
}

/* Beyond the list: constructors and errors from defaults. */
static void beyond_the_list(void) {
    /* 2^31 - 1 variables are within MAX_VARIABLES; their 16 GB are allocated fallibly. */
    NqBqm *bqm = NULL;
    EXPECT_ERROR(nq_bqm_new(NQ_VARTYPE_SPIN, 2147483647u, &bqm), NQ_LIMIT_EXCEEDED, "could not allocate");
    CHECK(bqm == NULL);
    /* Simulated annealing on biases of 1e308: the default beta range fails, and says it was the
     * default computed from the model, not a beta_range the caller set. */
    bqm = chain(NQ_VARTYPE_SPIN, 2);
    OK(nq_bqm_add_quadratic(bqm, 0, 1, 1e308));
    NqSaParams sa;
    OK(nq_sa_params_default(&sa, sizeof sa));
    NqSampler *s = NULL;
    OK(nq_sampler_new_simulated_annealing(&sa, &s));
    NqSampleSet *set = NULL;
    EXPECT_ERROR(nq_sampler_sample(s, bqm, NULL, &set), NQ_INVALID_ARGUMENT, "beta_range was not given, and the default computed from the model");
    nq_sampler_free(s);
    nq_bqm_free(bqm);
    /* The largest timeouts C can pass (UINT64_MAX ms) mean no limit; the deadline arithmetic
     * is checked, so no timeout can overflow the clock. */
    bqm = chain(NQ_VARTYPE_BINARY, 30);
    NqTabuParams forever;
    OK(nq_tabu_params_default(&forever, sizeof forever));
    forever.timeout = UINT64_MAX;
    forever.num_restarts = 2;
    OK(nq_sampler_new_tabu(&forever, &s));
    OK(sample_controlled(s, bqm, NULL, NULL, UINT64_MAX, &set));
    nq_sampleset_free(set);
    NqSampler *fallback = NULL;
    NqFallbackParams no_limit;
    OK(nq_fallback_params_default(&no_limit, sizeof no_limit));
    no_limit.timeout_ms = UINT64_MAX;
    no_limit.has_timeout_ms = 1;
    OK(nq_sampler_new_fallback(s, s, &no_limit, &fallback));
    OK(nq_sampler_sample(fallback, bqm, NULL, &set));
    nq_sampleset_free(set);
    nq_sampler_free(fallback);
    nq_sampler_free(s);
    nq_bqm_free(bqm);
    /* Tabu's default timeout: the info says how many reads it ended. */
    bqm = chain(NQ_VARTYPE_BINARY, 30);
    NqTabuParams tabu;
    OK(nq_tabu_params_default(&tabu, sizeof tabu));
    tabu.timeout = 1;
    OK(nq_sampler_new_tabu(&tabu, &s));
    OK(nq_sampler_sample(s, bqm, NULL, &set));
    char json[4096];
    if (set) OK(nq_sampleset_info_json(set, json, sizeof json));
    CHECK(set && strstr(json, "\"timed_out_reads\":1") != NULL);
    nq_sampleset_free(set);
    nq_sampler_free(s);
    nq_bqm_free(bqm);
}

int main(void) {
#if !defined(__SANITIZE_ADDRESS__)
    struct rlimit cap = {CAP_BYTES, CAP_BYTES};
    if (setrlimit(RLIMIT_AS, &cap) != 0) {
        perror("setrlimit");
        return 1;
    }
#endif
    energies_with_a_huge_length();
    huge_num_reads();
    path_integral_huge_num_sweeps();
    tabu_without_variables();
    exact_ground_states();
    pt_huge_swap_interval();
    tiny_texts_naming_huge_indices();
    beyond_the_list();
    return finish("limits");
}
