/* The D-Wave backend from C, against the local SAPI test server (`make c-test` runs this program
 * as `nq-sapi-testserver -- ./dwave_*`, which sets DWAVE_API_ENDPOINT and DWAVE_API_TOKEN):
 * a QPU sampler created from the environment and one from explicit settings, both used with
 * nq_sampler_sample and checked against an exact enumeration written here in C; a Leap hybrid
 * sampler; an embedding sampler on a model that is not a subgraph of the QPU; a fallback to simulated
 * annealing when the service is unreachable; and the error paths (bad token, unknown solver,
 * parameters outside the solver's ranges refused before any request, no token in any message). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

/* POSTs a scenario (JSON) to the test server's control route ($NQ_SAPI_CONTROL, set by
 * nq-sapi-testserver): plain HTTP/1.0 over a socket to 127.0.0.1. Returns 1 on a 200 answer. */
static int set_scenario(const char *json) {
    const char *control = getenv("NQ_SAPI_CONTROL");
    unsigned port = 0;
    if (!control || sscanf(control, "http://127.0.0.1:%u/", &port) != 1) return 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char request[1024];
    int n = snprintf(request, sizeof request,
                     "POST /_nq/scenario HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s", strlen(json), json);
    char answer[64] = {0};
    int ok = n > 0 && (size_t)n < sizeof request &&
             connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
             write(fd, request, (size_t)n) == n && read(fd, answer, sizeof answer - 1) > 0 &&
             strstr(answer, " 200 ") != NULL;
    close(fd);
    return ok;
}

/* One Chimera unit cell (qubits 0-3 coupled to 4-7), frustrated by mixed couplers. */
enum { N = 8 };
static double h[N] = {0.5, -0.25, 0.0, 0.75, -0.5, 0.25, -1.0, 0.125};
static double coupler(int q, int r) { return ((q + r) % 3) ? -1.0 : 0.75; }

static double ising_energy(const int8_t *s) {
    double e = 0.0;
    for (int q = 0; q < N; q++) e += h[q] * s[q];
    for (int q = 0; q < 4; q++)
        for (int r = 4; r < 8; r++) e += coupler(q, r) * s[q] * s[r];
    return e;
}

static double exact_ground(void) {
    double best = INFINITY;
    int8_t s[N];
    for (uint32_t code = 0; code < (1u << N); code++) {
        for (int k = 0; k < N; k++) s[k] = ((code >> k) & 1u) ? 1 : -1;
        double e = ising_energy(s);
        if (e < best) best = e;
    }
    return best;
}

static NqBqm *cell_model(void) {
    NqBqm *bqm = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, N, &bqm));
    for (uint32_t q = 0; q < N; q++) OK(nq_bqm_add_linear(bqm, q, h[q]));
    for (uint32_t q = 0; q < 4; q++)
        for (uint32_t r = 4; r < 8; r++) OK(nq_bqm_add_quadratic(bqm, q, r, coupler((int)q, (int)r)));
    return bqm;
}

/* The lowest energy of a sample set, with each row's energy recomputed here. */
static double best_energy(const NqSampleSet *set, size_t width, double (*energy)(const int8_t *)) {
    size_t rows = 0;
    OK(nq_sampleset_num_rows(set, &rows));
    CHECK(rows > 0);
    int8_t *samples = malloc(rows * width);
    double *energies = malloc(rows * sizeof *energies);
    OK(nq_sampleset_samples(set, samples, rows * width));
    OK(nq_sampleset_energies(set, energies, rows));
    double best = INFINITY;
    for (size_t i = 0; i < rows; i++) {
        if (energy) CHECK(fabs(energy(samples + i * width) - energies[i]) < 1e-9);
        if (energies[i] < best) best = energies[i];
    }
    free(samples);
    free(energies);
    return best;
}

/* The info JSON of `set` (an empty string, and a failed check, when it cannot be read). */
static char *info_json(const NqSampleSet *set) {
    size_t size = 0;
    OK(nq_sampleset_info_json_size(set, &size));
    char *json = calloc(size + 1, 1);
    if (size > 0) OK(nq_sampleset_info_json(set, json, size));
    return json;
}

/* K5 with distinct fields: needs chains on Chimera (K4,4 cells hold no triangle). */
enum { K = 5 };
static double k5_energy(const int8_t *s) {
    double e = 0.0;
    for (int u = 0; u < K; u++) {
        e += 0.1 * (u - 2) * s[u];
        for (int v = u + 1; v < K; v++) e += s[u] * s[v];
    }
    return e;
}

int main(void) {
    const char *endpoint = getenv("DWAVE_API_ENDPOINT");
    const char *token = getenv("DWAVE_API_TOKEN");
    if (!endpoint || !token) {
        fprintf(stderr, "dwave: run under `nq-sapi-testserver -- ./dwave` (no DWAVE_API_ENDPOINT/TOKEN)\n");
        return 1;
    }
    const double ground = exact_ground();
    NqBqm *bqm = cell_model();

    /* 1. From the environment: NULL settings, default parameters. */
    NqSampler *qpu = NULL;
    OK(nq_sampler_new_dwave(NULL, NULL, &qpu));
    NqSampleSet *set = NULL;
    OK(nq_sampler_sample(qpu, bqm, NULL, &set));
    /* One read (the solver's default): any state, with its energy right. */
    CHECK(best_energy(set, N, ising_energy) >= ground - 1e-9);
    char *info = info_json(set);
    CHECK(strstr(info, "\"problem_id\"") != NULL);
    CHECK(strstr(info, "\"qpu_access_time\"") != NULL);
    CHECK(strstr(info, token) == NULL);
    free(info);
    nq_sampleset_free(set);

    /* 2. From explicit settings, with parameters: 250 reads split over three problems. */
    NqDWaveSettings settings;
    OK(nq_dwave_settings_default(&settings, sizeof settings));
    settings.endpoint = endpoint;
    settings.token = token;
    settings.solver = "{\"qpu\": true}";
    settings.request_timeout = 10.0;
    settings.has_request_timeout = 1;
    NqDWaveQpuParams params;
    OK(nq_dwave_qpu_params_default(&params, sizeof params));
    params.num_reads = 250;
    params.has_num_reads = 1;
    params.answer_mode = NQ_ANSWER_MODE_RAW;
    params.has_answer_mode = 1;
    params.label = "c example";
    NqSampler *explicit_qpu = NULL;
    OK(nq_sampler_new_dwave(&settings, &params, &explicit_qpu));
    set = NULL;
    OK(nq_sampler_sample(explicit_qpu, bqm, NULL, &set));
    size_t rows = 0, width = 0;
    OK(nq_sampleset_num_rows(set, &rows));
    OK(nq_sampleset_num_variables(set, &width));
    CHECK(rows == 250 && width == N);
    CHECK(fabs(best_energy(set, N, ising_energy) - ground) < 1e-9);
    info = info_json(set);
    CHECK(strstr(info, "\"problem_ids\"") != NULL);
    free(info);
    nq_sampleset_free(set);

    /* 3. Refused before any request: annealing_time outside the solver's range; anneal_offsets
     * of the wrong length; a model that is not on the working graph. */
    params.annealing_time = 1e6;
    params.has_annealing_time = 1;
    NqSampler *bad = NULL;
    OK(nq_sampler_new_dwave(&settings, &params, &bad));
    set = NULL;
    EXPECT_ERROR(nq_sampler_sample(bad, bqm, NULL, &set), NQ_INVALID_ARGUMENT, "annealing_time");
    CHECK(set == NULL);
    nq_sampler_free(bad);
    params.has_annealing_time = 0;
    double offsets[2] = {0.0, 0.1};
    params.anneal_offsets = offsets;
    params.anneal_offsets_len = 2;
    bad = NULL;
    OK(nq_sampler_new_dwave(&settings, &params, &bad));
    EXPECT_ERROR(nq_sampler_sample(bad, bqm, NULL, &set), NQ_INVALID_ARGUMENT, "anneal_offsets");
    nq_sampler_free(bad);
    params.anneal_offsets = NULL;
    params.anneal_offsets_len = 0;
    params.num_reads = 0;
    EXPECT_ERROR(nq_sampler_new_dwave(&settings, &params, &bad), NQ_INVALID_ARGUMENT, "num_reads");
    NqBqm *triangle = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, 3, &triangle));
    OK(nq_bqm_add_quadratic(triangle, 0, 1, 1.0));
    EXPECT_ERROR(nq_sampler_sample(qpu, triangle, NULL, &set), NQ_INVALID_ARGUMENT, "coupler");
    nq_bqm_free(triangle);

    /* 4. Authentication and solver errors: structured, and the token never in the message. */
    NqDWaveSettings wrong = settings;
    wrong.token = "a-wrong-secret-token";
    EXPECT_ERROR(nq_sampler_new_dwave(&wrong, NULL, &bad), NQ_NETWORK, "authentication");
    char msg[512];
    nq_last_error_message(msg, sizeof msg);
    CHECK(strstr(msg, "a-wrong-secret-token") == NULL);
    wrong = settings;
    wrong.solver = "Advantage_system4.1";
    EXPECT_ERROR(nq_sampler_new_dwave(&wrong, NULL, &bad), NQ_INVALID_ARGUMENT, "no solver matches");
    wrong = settings;
    wrong.request_timeout = -1.0;
    EXPECT_ERROR(nq_sampler_new_dwave(&wrong, NULL, &bad), NQ_INVALID_ARGUMENT, "request_timeout");
    NqDWaveSettings small;
    EXPECT_ERROR(nq_dwave_settings_default(&small, 4), NQ_INVALID_ARGUMENT, "struct_size");

    /* 5. Leap hybrid: the cell model, labels are indices here; default time limit. */
    NqDWaveSettings one_retry = settings;
    one_retry.solver = NULL; /* the default: the least-loaded hybrid BQM solver */
    one_retry.http_retry_total = 1;
    one_retry.has_http_retry_total = 1;
    NqSampler *hybrid = NULL;
    OK(nq_sampler_new_leap_hybrid(&one_retry, NULL, &hybrid));
    set = NULL;
    OK(nq_sampler_sample(hybrid, bqm, NULL, &set));
    CHECK(fabs(best_energy(set, N, ising_energy) - ground) < 1e-9);
    info = info_json(set);
    CHECK(strstr(info, "\"leap_hybrid\"") != NULL && strstr(info, "\"problem_data_id\"") != NULL);
    free(info);
    nq_sampleset_free(set);
    NqLeapHybridParams hp;
    OK(nq_leap_hybrid_params_default(&hp, sizeof hp));
    hp.time_limit = 0.0;
    hp.has_time_limit = 1;
    EXPECT_ERROR(nq_sampler_new_leap_hybrid(&settings, &hp, &bad), NQ_INVALID_ARGUMENT, "time_limit");

    /* 6. Embedding: K5 through chains found with a fixed seed. */
    NqDWaveEmbeddingParams ep;
    OK(nq_dwave_embedding_params_default(&ep, sizeof ep));
    ep.random_seed = 7;
    ep.has_random_seed = 1;
    params.num_reads = 50;
    NqSampler *embedded = NULL;
    OK(nq_sampler_new_dwave_embedding(&settings, &params, &ep, NULL, NULL, 0, &embedded));
    CHECK(embedded != NULL);
    NqBqm *k5 = NULL;
    OK(nq_bqm_new(NQ_VARTYPE_SPIN, K, &k5));
    for (uint32_t u = 0; u < K; u++) {
        OK(nq_bqm_add_linear(k5, u, 0.1 * ((int)u - 2)));
        for (uint32_t v = u + 1; v < K; v++) OK(nq_bqm_add_quadratic(k5, u, v, 1.0));
    }
    set = NULL;
    OK(nq_sampler_sample(embedded, k5, NULL, &set));
    double k5_ground = INFINITY;
    for (uint32_t code = 0; code < (1u << K); code++) {
        int8_t s[K];
        for (int k = 0; k < K; k++) s[k] = ((code >> k) & 1u) ? 1 : -1;
        if (k5_energy(s) < k5_ground) k5_ground = k5_energy(s);
    }
    CHECK(fabs(best_energy(set, K, k5_energy) - k5_ground) < 1e-9);
    nq_sampleset_free(set);
    /* A fixed embedding whose chain {2, 3} is not connected (same side of the cell) is refused
     * when sampling. */
    uint32_t chains[] = {0, 4, 1, 2, 3, 5};
    size_t chain_offsets[] = {0, 1, 2, 3, 5, 6};
    NqSampler *fixed = NULL;
    OK(nq_sampler_new_dwave_embedding(&settings, &params, &ep, chains, chain_offsets, K, &fixed));
    EXPECT_ERROR(nq_sampler_sample(fixed, k5, NULL, &set), NQ_INVALID_ARGUMENT, "embedding");
    nq_sampler_free(fixed);
    size_t bad_offsets[] = {1, 1, 2, 3, 5, 6};
    EXPECT_ERROR(nq_sampler_new_dwave_embedding(&settings, &params, &ep, chains, bad_offsets, K, &fixed),
                 NQ_INVALID_ARGUMENT, "chain_offsets");
    nq_bqm_free(k5);

    /* 7. Fallback: the hybrid sampler answers while the service does; when every connection is
     * dropped, simulated annealing answers and the info says why. */
    NqDWaveSettings down = settings;
    down.endpoint = "http://127.0.0.1:9/sapi/"; /* discard port: nothing listens */
    down.http_retry_total = 0;
    down.has_http_retry_total = 1;
    NqSampler *unreachable = NULL;
    EXPECT_ERROR(nq_sampler_new_leap_hybrid(&down, NULL, &unreachable), NQ_NETWORK, "127.0.0.1:9");
    NqSaParams sa;
    OK(nq_sa_params_default(&sa, sizeof sa));
    sa.reads.num_reads = 50;
    sa.reads.seed = 3;
    sa.reads.has_seed = 1;
    NqSampler *local = NULL;
    OK(nq_sampler_new_simulated_annealing(&sa, &local));
    NqSampler *fallback = NULL;
    NqFallbackParams fb;
    OK(nq_fallback_params_default(&fb, sizeof fb));
    fb.timeout_ms = 30000;
    fb.has_timeout_ms = 1;
    OK(nq_sampler_new_fallback(hybrid, local, &fb, &fallback));
    set = NULL;
    OK(nq_sampler_sample(fallback, bqm, NULL, &set));
    info = info_json(set);
    CHECK(strstr(info, "\"answered_by\":\"primary\"") != NULL);
    free(info);
    nq_sampleset_free(set);
    CHECK(set_scenario("{\"faults\": [{\"route\": \"any\", \"times\": 1000, \"drop\": true}]}"));
    set = NULL;
    OK(nq_sampler_sample(fallback, bqm, NULL, &set));
    info = info_json(set);
    CHECK(strstr(info, "\"answered_by\":\"fallback\"") != NULL);
    CHECK(strstr(info, "transport error") != NULL);
    free(info);
    CHECK(fabs(best_energy(set, N, ising_energy) - ground) < 1e-9);
    nq_sampleset_free(set);
    CHECK(set_scenario("{}"));

    nq_sampler_free(fallback);
    nq_sampler_free(local);
    nq_sampler_free(embedded);
    nq_sampler_free(hybrid);
    nq_sampler_free(explicit_qpu);
    nq_sampler_free(qpu);
    nq_bqm_free(bqm);
    return finish("dwave");
}
