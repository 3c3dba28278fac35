/* Minimal test harness shared by the C examples: CHECK(cond), OK(call) (the call must return
 * NQ_OK; otherwise its status and message are printed), EXPECT_ERROR(call, status, needle) (the call
 * must fail with `status` and a message containing `needle`), and finish(name) for main's exit code. */
#ifndef NQ_EXAMPLES_CHECK_H
#define NQ_EXAMPLES_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "neuroquant.h"

static int failures = 0;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

#define OK(call)                                                               \
    do {                                                                       \
        NqStatus s_ = (call);                                                  \
        if (s_ != NQ_OK) {                                                     \
            char m_[512];                                                      \
            nq_last_error_message(m_, sizeof m_);                              \
            fprintf(stderr, "%s:%d: %s failed: %s: %s\n", __FILE__, __LINE__,  \
                    #call, nq_status_name(s_), m_);                            \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static void expect_error(NqStatus got, NqStatus status, const char *needle, int line) {
    char msg[512];
    size_t len = nq_last_error_message(msg, sizeof msg);
    if (got != status || len == 0 || strstr(msg, needle) == NULL) {
        fprintf(stderr, "line %d: expected %s mentioning '%s', got %s: %s\n", line,
                nq_status_name(status), needle, nq_status_name(got), msg);
        failures++;
    }
}
#define EXPECT_ERROR(call, status, needle) expect_error((call), (status), (needle), __LINE__)

/* Samples under a control with an interrupt callback and a timeout (0: none): the common case of
 * the examples, written once. */
static inline NqStatus sample_controlled(const NqSampler *sampler, const NqBqm *bqm, NqInterruptFn interrupt,
                                  void *userdata, uint64_t timeout_ms, NqSampleSet **out) {
    NqControl control;
    NqStatus st = nq_control_default(&control, sizeof control);
    if (st != NQ_OK) {
        return st;
    }
    control.interrupt = interrupt;
    control.interrupt_userdata = userdata;
    control.timeout_ms = timeout_ms;
    return nq_sampler_sample(sampler, bqm, &control, out);
}

/* main's exit code: 0 when every check passed. */
static int finish(const char *name) {
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif
