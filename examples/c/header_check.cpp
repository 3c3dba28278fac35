// The header compiles as C++ and the library links from C++ (extern "C" through cpp_compat).
#include <cstdio>
#include <memory>
#include <vector>

#include "neuroquant.h"

int main() {
    NqBqm *raw = nullptr;
    if (nq_bqm_new(NQ_VARTYPE_SPIN, 2, &raw) != NQ_OK) return 1;
    std::unique_ptr<NqBqm, decltype(&nq_bqm_free)> bqm(raw, &nq_bqm_free);
    if (nq_bqm_add_quadratic(bqm.get(), 0, 1, -1.0) != NQ_OK) return 1;
    std::vector<int8_t> samples{1, 1, 1, -1};
    std::vector<double> energies(2);
    if (nq_bqm_energies(bqm.get(), samples.data(), samples.size(), energies.data(), energies.size()) != NQ_OK)
        return 1;
    if (energies[0] != -1.0 || energies[1] != 1.0) return 1;
    std::printf("header_check (C++): ok\n");
    return 0;
}
