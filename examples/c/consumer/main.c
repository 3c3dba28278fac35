/* A program outside this repository would write: it sees only an installed neuroquant (header,
 * library, pkg-config or CMake files). Built by `make c-install-check` four ways (pkg-config and
 * CMake, shared and static); prints nq_version() on stdout, which the driver compares with the
 * package version, and exits non-zero on a failed check. */
#include <stdio.h>
#include <string.h>

/* A library hiding its own symbols may include the header this way; NQ_API keeps neuroquant's
 * functions default-visible (without it, the shared link fails: "hidden symbol isn't defined"). */
#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif
#include <neuroquant.h>
#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#if !defined(NQ_VERSION_MAJOR) || !defined(NQ_VERSION_MINOR) || !defined(NQ_VERSION_PATCH) || \
    NQ_VERSION_NUMBER != ((NQ_VERSION_MAJOR << 16) | (NQ_VERSION_MINOR << 8) | NQ_VERSION_PATCH)
#error "neuroquant.h lacks consistent NQ_VERSION_* macros"
#endif

int main(void) {
    char from_macros[32];
    snprintf(from_macros, sizeof from_macros, "%d.%d.%d", NQ_VERSION_MAJOR, NQ_VERSION_MINOR, NQ_VERSION_PATCH);
    if (strcmp(from_macros, NQ_VERSION) != 0 || strcmp(nq_version(), NQ_VERSION) != 0) {
        fprintf(stderr, "version mismatch: macros %s, NQ_VERSION %s, nq_version() %s\n", from_macros,
                NQ_VERSION, nq_version());
        return 1;
    }

    /* E(s) = 0.5 + s0 - 2 s1 + 3 s0 s1 (SPIN): E(+1,-1) = 0.5 + 1 + 2 - 3 = 0.5,
     * E(-1,-1) = 0.5 - 1 + 2 + 3 = 4.5. */
    NqBqm *bqm = NULL;
    const double linear[2] = {1.0, -2.0};
    const int8_t samples[4] = {1, -1, -1, -1};
    double energies[2] = {0.0, 0.0};
    NqStatus st = nq_bqm_new(NQ_VARTYPE_SPIN, 2, &bqm);
    if (st == NQ_OK) st = nq_bqm_add_linear_array(bqm, linear, 2);
    if (st == NQ_OK) st = nq_bqm_add_quadratic(bqm, 0, 1, 3.0);
    if (st == NQ_OK) st = nq_bqm_set_offset(bqm, 0.5);
    if (st == NQ_OK) st = nq_bqm_energies(bqm, samples, 4, energies, 2);
    nq_bqm_free(bqm);
    if (st != NQ_OK) {
        char msg[256];
        nq_last_error_message(msg, sizeof msg);
        fprintf(stderr, "%s: %s\n", nq_status_name(st), msg);
        return 1;
    }
    if (energies[0] != 0.5 || energies[1] != 4.5) {
        fprintf(stderr, "energies %g, %g; expected 0.5, 4.5\n", energies[0], energies[1]);
        return 1;
    }
    printf("%s\n", nq_version());
    return 0;
}
