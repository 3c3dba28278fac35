"""The D-Wave backend's local work, neuroquant vs D-Wave's own Python packages, at equal work:

1. `qp` encoding of a QPU problem (all 125 working qubits of the test server's Chimera C(4,4,4)
   with random biases on every coupler): ``nq.dwave.encode_qp`` vs dwave-cloud-client's
   ``encode_problem_as_qp``; checked first: identical ``lin`` and ``quad`` text.
2. `qp` answer decoding (1000 rows over 125 active qubits, histogram): ``nq.dwave.decode_qp`` vs
   dwave-cloud-client's ``decode_qp_numpy`` (the one its client uses); checked first: identical
   solutions, energies and occurrences.
3. Finding an embedding of K8 into the C(4,4,4) working graph: ``nq.dwave.find_embedding`` vs
   minorminer's ``find_embedding`` (what dwave-system's ``EmbeddingComposite`` calls); checked
   first: both embeddings are valid (dwave-system's ``is_valid_embedding``). Not equal work in
   the strict sense (different heuristics, each with its own defaults); the row says so.

No network: the solver description is the test server's (``nq-sapi-testserver``), read once.
1 thread vs 1 thread.

Run alone: python benches/compare/run.py --only dwave [--quick]
"""

from __future__ import annotations

import common  # noqa: F401  (first: pins implicit thread pools to one thread)

import base64
import copy
import json
import sys
import urllib.request
from pathlib import Path

import numpy as np

from common import AccuracyError, Row, interleaved

PEERS = ["dwave-cloud-client", "minorminer", "dwave-system"]
ROOT = Path(__file__).resolve().parents[2]


def _solver_description() -> dict:
    sys.path.insert(0, str(ROOT / "python" / "tests"))
    from _sapi import SapiServer  # the test server, as the tests start it

    server = SapiServer()
    try:
        req = urllib.request.Request(server.endpoint + "solvers/remote/NQ_Chimera_C4/",
                                     headers={"X-Auth-Token": server.token})
        with urllib.request.urlopen(req) as resp:
            return json.loads(resp.read())
    finally:
        server.close()


def run(quick: bool = False) -> list[Row]:
    import neuroquant as nq
    from dwave.cloud.coders import decode_qp_numpy, encode_problem_as_qp
    from dwave.cloud.solver import StructuredSolver
    from dwave.embedding import is_valid_embedding
    import minorminer
    import networkx as nx

    repeat = 3 if quick else 7
    data = _solver_description()
    solver = StructuredSolver(client=None, data=data)
    rng = np.random.default_rng(1)
    linear = {q: float(rng.normal()) for q in solver.nodes}
    quadratic = {tuple(e): float(rng.normal()) for e in solver.edges}
    rows: list[Row] = []

    ours = nq.dwave.encode_qp(data, linear, quadratic, 0.5)
    theirs = encode_problem_as_qp(solver, linear, quadratic, 0.5)
    if (ours["lin"], ours["quad"]) != (theirs["lin"], theirs["quad"]):
        raise AccuracyError("encode_qp: bytes differ from dwave-cloud-client's")
    loops = 20 if quick else 200

    def enc_ours() -> None:
        for _ in range(loops):
            nq.dwave.encode_qp(data, linear, quadratic, 0.5)

    def enc_peer() -> None:
        for _ in range(loops):
            encode_problem_as_qp(solver, linear, quadratic, 0.5)

    t = interleaved({"ours": enc_ours, "peer": enc_peer}, repeat)
    rows.append(Row("dwave qp encode", f"{len(linear)} qubits, {len(quadratic)} couplers, x{loops}",
                    t["ours"], "dwave-cloud-client encode_problem_as_qp", t["peer"], "identical bytes",
                    accuracy="identical lin/quad base64"))

    num_rows = 200 if quick else 1000
    active = np.array(sorted(solver.nodes), dtype="<i4")
    bits = rng.integers(0, 2, size=(num_rows, len(active)), dtype=np.uint8)
    answer = {
        "format": "qp", "num_variables": 128,
        "active_variables": base64.b64encode(active.tobytes()).decode(),
        "energies": base64.b64encode(rng.normal(size=num_rows).astype("<f8").tobytes()).decode(),
        "solutions": base64.b64encode(np.packbits(bits, axis=1).tobytes()).decode(),
        "num_occurrences": base64.b64encode(np.ones(num_rows, "<i4").tobytes()).decode(),
        "timing": {},
    }
    message = {"type": "ising", "answer": answer}
    a = nq.dwave.decode_qp(copy.deepcopy(message))
    b = decode_qp_numpy(copy.deepcopy(message))
    if not (np.array_equal(a["solutions"], b["solutions"]) and np.array_equal(a["energies"], b["energies"])):
        raise AccuracyError("decode_qp: result differs from dwave-cloud-client's")
    t = interleaved({"ours": lambda: nq.dwave.decode_qp(copy.deepcopy(message)),
                     "peer": lambda: decode_qp_numpy(copy.deepcopy(message))}, repeat)
    rows.append(Row("dwave qp decode", f"{num_rows} rows x {len(active)} qubits", t["ours"],
                    "dwave-cloud-client decode_qp_numpy", t["peer"], "identical arrays",
                    accuracy="identical solutions and energies"))

    size = 6 if quick else 8
    source = [(u, v) for u in range(size) for v in range(u + 1, size)]
    target = nx.Graph()
    target.add_nodes_from(solver.nodes)
    target.add_edges_from(solver.edges)
    chains = nq.dwave.find_embedding(size, source, 128, list(target.edges), random_seed=1)
    ours_emb = dict(enumerate(chains))
    peer_emb = minorminer.find_embedding(source, list(target.edges), random_seed=1)
    for name, emb in (("ours", ours_emb), ("minorminer", peer_emb)):
        if not (emb and is_valid_embedding(emb, nx.complete_graph(size), target)):
            raise AccuracyError(f"K{size} embedding by {name} is not valid")
    t = interleaved({
        "ours": lambda: nq.dwave.find_embedding(size, source, 128, list(target.edges), random_seed=1),
        "peer": lambda: minorminer.find_embedding(source, list(target.edges), random_seed=1),
    }, repeat)
    qubits = lambda e: sum(len(c) for c in e.values())  # noqa: E731
    rows.append(Row("dwave find_embedding", f"K{size} into C(4,4,4) less 3 qubits", t["ours"],
                    "minorminer find_embedding", t["peer"], "a valid embedding",
                    accuracy=f"both valid; qubits used: ours {qubits(ours_emb)}, minorminer {qubits(peer_emb)} "
                             "(different heuristics, each with its defaults)"))
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
