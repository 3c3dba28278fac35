"""The D-Wave backend: samplers on D-Wave's Solver API (SAPI) with Ocean's configuration, names and
formats, as native ``neuroquant.anneal.Sampler`` subclasses (they compose with
``neuroquant.anneal.FallbackSampler``), the minor-embedding finder, and SAPI's ``qp`` coders.

- ``DWaveSampler(**settings_and_params)``: a structured QPU sampler (variables are qubits).
- ``LeapHybridSampler(**settings, time_limit=None, label=None)``: Leap hybrid BQM solvers.
- ``EmbeddingSampler(child, embedding=None, **params)``: any model on a QPU through chains.
- ``find_embedding``, ``encode_qp``, ``decode_qp``.

Connection settings follow Ocean (``endpoint``, ``token``, ``solver``, ``region``, ``proxy``,
``request_timeout``, ``polling_timeout``, ...; then ``DWAVE_API_*``; then dwave.conf). For
``dimod`` samplers mirroring dwave-system, see ``neuroquant.ocean.DWaveSampler``,
``LeapHybridSampler`` and ``EmbeddingComposite``.
"""

from neuroquant._neuroquant import (
    DWaveSampler,
    EmbeddingSampler,
    LeapHybridSampler,
    decode_qp,
    encode_qp,
    find_embedding,
)

__all__ = [
    "DWaveSampler",
    "EmbeddingSampler",
    "LeapHybridSampler",
    "decode_qp",
    "encode_qp",
    "find_embedding",
]
