"""neuroquant.dwave and the D-Wave classes of neuroquant.ocean against the local SAPI test server,
with D-Wave's own packages as oracles: the ``qp`` coders byte for byte against
dwave-cloud-client's, and ``nq.ocean.DWaveSampler`` / ``LeapHybridSampler`` /
``EmbeddingComposite`` against dwave-system's classes on the same server (structure, properties,
``info`` layout, default time limits), with answers checked against dimod's exact solver."""

from __future__ import annotations

import base64
import copy
import struct
import time
from collections.abc import Iterator

import dimod
import dwave.graphs
import numpy as np
import pytest
from dwave.cloud import Client
from dwave.cloud.coders import decode_qp as peer_decode_qp
from dwave.cloud.coders import decode_qp_numpy as peer_decode_qp_numpy
from dwave.cloud.coders import encode_problem_as_qp

import neuroquant as nq
import neuroquant.ocean as ocean
from _sapi import HYBRID_SOLVER, MISSING_QUBITS, QPU_SOLVER, SapiServer


@pytest.fixture(scope="module")
def server() -> Iterator[SapiServer]:
    s = SapiServer()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_dwave_config(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ("DWAVE_API_TOKEN", "DWAVE_API_ENDPOINT", "DWAVE_API_REGION", "DWAVE_API_SOLVER",
                 "DWAVE_API_PROXY", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path))


@pytest.fixture(scope="module")
def peer_solver(server: SapiServer) -> Iterator[object]:
    server.scenario()
    with Client(endpoint=server.endpoint, token=server.token) as c:
        yield c.get_solver(QPU_SOLVER)


def solver_description(server: SapiServer, name: str = QPU_SOLVER) -> dict:
    """The solver description as SAPI sends it (what dwave-cloud-client's ``solver.data`` was
    read from)."""
    import json
    import urllib.request

    req = urllib.request.Request(server.endpoint + f"solvers/remote/{name}/", headers={"X-Auth-Token": server.token})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def exact_ground(bqm: dimod.BinaryQuadraticModel) -> float:
    return float(dimod.ExactSolver().sample(bqm).first.energy)


H = {0: 0.5, 1: -0.25, 2: 0.0, 3: 0.75, 4: -0.5, 5: 0.25, 6: -1.0, 7: 0.125}
J = {(q, r): (-1.0 if (q + r) % 3 else 0.75) for q in range(4) for r in range(4, 8)}


# ---- qp coders, byte for byte against dwave-cloud-client -----------------------------------------

def random_problem(solver: object, rng: np.random.Generator, density: float) -> tuple[dict, dict]:
    nodes = sorted(solver.nodes)  # type: ignore[attr-defined]
    active = {q for q in nodes if rng.random() < density}
    linear = {q: float(rng.normal()) for q in active if rng.random() < 0.7}
    linear.update({q: 0.0 for q in list(active)[:3]})
    quadratic: dict[tuple[int, int], float] = {}
    for u, v in solver.edges:  # type: ignore[attr-defined]
        if u in active and v in active and rng.random() < 0.6:
            # Both directions of some couplers: the two are summed by both encoders.
            key = (u, v) if rng.random() < 0.5 else (v, u)
            quadratic[key] = quadratic.get(key, 0.0) + float(rng.normal())
    return linear, quadratic


@pytest.mark.parametrize("seed", range(6))
def test_encode_qp_bytes_equal_dwave_cloud_client(server: SapiServer, peer_solver: object, seed: int) -> None:
    rng = np.random.default_rng(seed)
    linear, quadratic = random_problem(peer_solver, rng, density=[0.05, 0.3, 1.0][seed % 3])
    offset = float(rng.normal())
    ours = nq.dwave.encode_qp(solver_description(server), linear, quadratic, offset)
    theirs = encode_problem_as_qp(peer_solver, linear, quadratic, offset)
    assert ours["format"] == theirs["format"] == "qp"
    # Identical base64 text, hence identical bytes (NaN for inactive qubits included).
    assert ours["lin"] == theirs["lin"]
    assert ours["quad"] == theirs["quad"]
    assert ours["offset"] == theirs["offset"]


def test_encode_qp_refuses_what_the_solver_lacks(server: SapiServer) -> None:
    data = solver_description(server)
    with pytest.raises(nq.InvalidArgumentError, match="quadratic"):
        nq.dwave.encode_qp(data, {}, {(0, 1): 1.0})
    with pytest.raises(nq.InvalidArgumentError, match="linear"):
        nq.dwave.encode_qp(data, {100000: 1.0}, {})  # type: ignore[attr-defined]
    with pytest.raises(nq.InvalidArgumentError, match="working qubit"):
        nq.dwave.encode_qp(data, {MISSING_QUBITS[0]: 1.0}, {})  # type: ignore[attr-defined]


def synthetic_answer(rng: np.random.Generator, num_variables: int, k: int, rows: int, histogram: bool,
                     offset: float) -> dict:
    active = np.sort(rng.choice(num_variables, size=k, replace=False)).astype("<i4")
    bits = rng.integers(0, 2, size=(rows, k), dtype=np.uint8)
    packed = np.packbits(bits, axis=1)  # most significant bit first, rows padded to bytes
    answer = {
        "format": "qp",
        "num_variables": num_variables,
        "active_variables": base64.b64encode(active.tobytes()).decode(),
        "energies": base64.b64encode(rng.normal(size=rows).astype("<f8").tobytes()).decode(),
        "solutions": base64.b64encode(packed.tobytes()).decode(),
        "timing": {"qpu_access_time": int(rng.integers(1, 10**6))},
    }
    if histogram:
        answer["num_occurrences"] = base64.b64encode(rng.integers(1, 50, size=rows).astype("<i4").tobytes()).decode()
    if offset:
        answer["offset"] = offset
    return answer


@pytest.mark.parametrize("problem_type", ["ising", "qubo"])
@pytest.mark.parametrize("shape", [(128, 125, 7, True), (20, 13, 1, False), (64, 8, 30, True), (9, 1, 4, False)])
def test_decode_qp_equals_dwave_cloud_client(problem_type: str, shape: tuple) -> None:
    num_variables, k, rows, histogram = shape
    rng = np.random.default_rng(num_variables * 31 + k)
    answer = synthetic_answer(rng, num_variables, k, rows, histogram, offset=0.0 if histogram else 1.25)
    message = {"type": problem_type, "answer": answer}
    ours = nq.dwave.decode_qp(copy.deepcopy(message))
    theirs = peer_decode_qp_numpy(copy.deepcopy(message))
    plain = peer_decode_qp(copy.deepcopy(message))
    assert np.array_equal(ours["solutions"], theirs["solutions"])
    assert np.array_equal(ours["energies"], theirs["energies"])
    assert np.array_equal(ours["energies"], np.asarray(plain["energies"]))
    assert np.array_equal(ours["active_variables"], theirs["active_variables"])
    expected_occ = theirs["num_occurrences"] if histogram else np.ones(rows)
    assert np.array_equal(ours["num_occurrences"], expected_occ)
    assert ours["num_variables"] == num_variables and ours["timing"] == answer["timing"]
    # The pure-Python decoder agrees on every active qubit (it fills inactive spins differently).
    active = ours["active_variables"]
    assert np.array_equal(ours["solutions"][:, active], np.asarray(plain["solutions"])[:, active])


def test_decode_qp_of_a_server_answer_equals_dwave_cloud_client(server: SapiServer, peer_solver: object) -> None:
    import json
    import urllib.request

    server.scenario()
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J, offset=0.5)
    future = peer_solver.sample_bqm(bqm, num_reads=30)  # type: ignore[attr-defined]
    future.result()
    req = urllib.request.Request(server.endpoint + f"problems/{future.id}/", headers={"X-Auth-Token": server.token})
    with urllib.request.urlopen(req) as resp:
        message = json.loads(resp.read())
    ours = nq.dwave.decode_qp(copy.deepcopy(message))
    theirs = peer_decode_qp_numpy(copy.deepcopy(message))
    assert np.array_equal(ours["solutions"], theirs["solutions"])
    assert np.array_equal(ours["energies"], theirs["energies"])
    assert np.array_equal(ours["num_occurrences"], theirs["num_occurrences"])


def test_decode_qp_rejects_malformed_answers() -> None:
    rng = np.random.default_rng(0)
    answer = synthetic_answer(rng, 16, 10, 3, True, 0.0)
    truncated = dict(answer, solutions=base64.b64encode(b"\x00" * 5).decode())
    with pytest.raises(nq.FormatError, match="solutions"):
        nq.dwave.decode_qp({"type": "ising", "answer": truncated})
    outside = dict(answer, active_variables=base64.b64encode(struct.pack("<i", 99) * 10).decode())
    with pytest.raises(nq.FormatError, match="active variable"):
        nq.dwave.decode_qp({"type": "ising", "answer": outside})
    with pytest.raises(nq.InvalidArgumentError, match="type"):
        nq.dwave.decode_qp({"type": "bqm", "answer": answer})


# ---- nq.ocean against dwave-system on the same server --------------------------------------------

def test_ocean_dwave_sampler_mirrors_dwave_system(server: SapiServer) -> None:
    from dwave.system import DWaveSampler as PeerSampler

    server.scenario()
    ours = ocean.DWaveSampler(endpoint=server.endpoint, token=server.token, solver=QPU_SOLVER)
    with PeerSampler(endpoint=server.endpoint, token=server.token, solver=QPU_SOLVER) as theirs:
        assert ours.nodelist == theirs.nodelist
        assert ours.edgelist == theirs.edgelist
        assert ours.properties == theirs.properties
        assert set(ours.parameters) == set(theirs.parameters) - {"warnings"}
        assert ours.adjacency == theirs.adjacency
        peer_result = theirs.sample_ising(H, J, num_reads=20)
        peer_result.resolve()
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J, offset=-2.0)
    result = ours.sample(bqm, num_reads=50, answer_mode="histogram")
    assert isinstance(result, dimod.SampleSet)
    assert list(result.variables) == sorted(bqm.variables)
    assert result.first.energy == pytest.approx(exact_ground(bqm))
    assert bqm.energies(result) == pytest.approx(result.record.energy)
    assert result.record.num_occurrences.sum() == 50
    # info as dwave-system fills it: SAPI's timing (same keys) and the problem id.
    assert set(result.info) == set(peer_result.info)
    assert set(result.info["timing"]) == set(peer_result.info["timing"])
    problems = server.problems()
    assert result.info["problem_id"] == problems[-1]["id"]
    assert problems[-1]["params"] == {"num_reads": 50, "answer_mode": "histogram"}
    # dimod semantics: every variable of the model is sent, also one without bias or coupler.
    lonely = dimod.BinaryQuadraticModel({0: 0.0, 100: 0.0, 4: 1.0}, {(0, 4): -1.0}, 0.0, "BINARY")
    result = ours.sample(lonely, num_reads=5)
    assert list(result.variables) == [0, 4, 100]
    assert bqm.vartype is dimod.SPIN and result.vartype is dimod.BINARY


def test_ocean_dwave_sampler_refuses_before_any_request(server: SapiServer) -> None:
    server.scenario()
    sampler = ocean.DWaveSampler(endpoint=server.endpoint, token=server.token)
    assert sampler.solver == QPU_SOLVER
    server.scenario()
    with pytest.raises(dimod.exceptions.BinaryQuadraticModelStructureError, match="EmbeddingComposite"):
        sampler.sample(dimod.BinaryQuadraticModel.from_ising({}, {(0, 1): 1.0}))
    with pytest.raises(nq.InvalidArgumentError, match="annealing_time"):
        sampler.sample(dimod.BinaryQuadraticModel.from_ising(H, J), annealing_time=1e6)
    with pytest.raises(nq.InvalidArgumentError, match="anneal_offsets"):
        sampler.sample(dimod.BinaryQuadraticModel.from_ising(H, J), anneal_offsets=[0.0, 0.1])
    assert "submit" not in server.routes()


def qubit_ordered(h: dict, j: dict) -> dimod.BinaryQuadraticModel:
    """A SPIN model whose variables are listed in qubit order (dimod's constructor lists the
    quadratic terms' variables first)."""
    bqm = dimod.BinaryQuadraticModel("SPIN")
    bqm.add_linear_from(sorted(h.items()))
    bqm.add_quadratic_from(j)
    return bqm


def test_native_sampler_splits_reads_and_reports_sapi_info(server: SapiServer) -> None:
    server.scenario()
    sampler = nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token, num_reads=250,
                                    answer_mode="raw")
    # The native sampler reads variable i as qubit i; from_dimod_bqm keeps dimod's variable order
    # (issue 10), so the model is built with its qubits in order.
    model = nq.qubo.Bqm.from_dimod_bqm(qubit_ordered(H, J))
    assert list(model.variables) == list(range(8))
    result = sampler.sample(model)
    assert len(result) == 250
    extra = result.info["extra"]
    assert len(extra["problem_ids"]) == 3 and extra["problem_id"] == extra["problem_ids"][0]
    assert [p["params"]["num_reads"] for p in server.problems()] == [100, 100, 50]
    assert min(result.energies) == pytest.approx(exact_ground(dimod.BinaryQuadraticModel.from_ising(H, J)))
    assert sampler.params == {"num_reads": 250, "answer_mode": "raw"}
    # A model whose integer labels are not in qubit order (dimod keeps the order they came in) is
    # refused with the way out, never sent to the wrong qubits; sample_qubits too.
    reversed_h = dict(reversed(list(H.items())))
    shuffled = nq.qubo.Bqm.from_dimod_bqm(dimod.BinaryQuadraticModel.from_ising(reversed_h, J))
    assert list(shuffled.variables) != list(range(len(shuffled.variables)))
    before = len(server.problems())
    with pytest.raises(nq.InvalidArgumentError, match="qubit order"):
        sampler.sample(shuffled)
    with pytest.raises(nq.InvalidArgumentError, match="qubit order"):
        sampler.sample_qubits(shuffled, list(range(8)))
    assert len(server.problems()) == before


def test_token_never_shown_and_errors_are_structured(server: SapiServer) -> None:
    server.scenario()
    secret = "very-secret-token-value"
    with pytest.raises(nq.NetworkError) as info:
        nq.dwave.DWaveSampler(endpoint=server.endpoint, token=secret)
    assert "authentication" in str(info.value) and secret not in str(info.value)
    assert secret not in repr(info.value)
    sampler = nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token, num_reads=3)
    assert server.token not in repr(sampler) and "num_reads=3" in repr(sampler)
    with pytest.raises(nq.InvalidArgumentError, match="no solver matches"):
        nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token, solver="Advantage_system4.1")
    with pytest.raises(nq.InvalidArgumentError, match="request_timeout"):
        nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token, request_timeout=-1.0)
    with pytest.raises(nq.InvalidArgumentError, match="no_such_parameter"):
        nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token, no_such_parameter=1)


def test_polling_timeout_and_interrupt_cancel(server: SapiServer) -> None:
    # The native sampler reads variable i as qubit i; from_dimod_bqm keeps dimod's variable order
    # (issue 10), so the model is built with its qubits in order.
    model = nq.qubo.Bqm.from_dimod_bqm(qubit_ordered(H, J))
    assert list(model.variables) == list(range(8))
    server.scenario(solve_delay_ms=60_000, max_poll_wait_ms=100)
    slow = nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token, polling_timeout=0.5)
    with pytest.raises(nq.TimeoutError):
        slow.sample(model)
    server.scenario(solve_delay_ms=60_000)
    sampler = nq.dwave.DWaveSampler(endpoint=server.endpoint, token=server.token)
    t0 = time.monotonic()
    with pytest.raises(nq.StoppedError):
        sampler.sample(model, interrupt_function=lambda: time.monotonic() - t0 > 0.3)
    assert time.monotonic() - t0 < 2.0
    assert [p["status"] for p in server.problems()] == ["CANCELLED"]


def test_ocean_hybrid_sampler_mirrors_dwave_system(server: SapiServer) -> None:
    from dwave.system import LeapHybridSampler as PeerHybrid

    server.scenario()
    bqm = dimod.generators.gnp_random_bqm(12, 0.5, "BINARY", random_state=5)
    bqm.relabel_variables({i: f"zone{i}" for i in range(12)})
    bqm.offset = 3.0
    ours = ocean.LeapHybridSampler(endpoint=server.endpoint, token=server.token)
    with PeerHybrid(endpoint=server.endpoint, token=server.token) as theirs:
        assert ours.properties == theirs.properties
        assert ours.min_time_limit(bqm) == pytest.approx(theirs.min_time_limit(bqm))
        peer_info = theirs.sample(bqm).info
    result = ours.sample(bqm)
    assert set(result.variables) == set(bqm.variables)
    assert result.first.energy == pytest.approx(exact_ground(bqm))
    assert bqm.energies(result) == pytest.approx(result.record.energy)
    assert set(result.info) == set(peer_info)
    (_, problem) = [p for p in server.problems() if p["type"] == "bqm"]
    assert problem["params"]["time_limit"] == pytest.approx(ours.min_time_limit(bqm))
    assert result.info["problem_id"] == problem["id"]
    with pytest.raises(nq.InvalidArgumentError, match="time_limit"):
        ours.sample(bqm, time_limit=1e-3)


def test_ocean_embedding_composite(server: SapiServer) -> None:
    from dwave.system import DWaveSampler as PeerSampler
    from dwave.system import EmbeddingComposite as PeerComposite

    server.scenario()
    k6 = dimod.BinaryQuadraticModel.from_ising({v: 0.1 * (i - 2) for i, v in enumerate("abcdef")},
                                               {(u, v): 1.0 for u in "abcdef" for v in "abcdef" if u < v})
    composite = ocean.EmbeddingComposite(ocean.DWaveSampler(endpoint=server.endpoint, token=server.token))
    result = composite.sample(k6, num_reads=40, return_embedding=True,
                              embedding_parameters={"random_seed": 3})
    assert result.first.energy == pytest.approx(exact_ground(k6))
    assert bqm_energies_match(k6, result)
    assert "chain_break_fraction" in result.record.dtype.names
    assert set(result.info) >= {"timing", "problem_id", "embedding_context"}
    embedding = result.info["embedding_context"]["embedding"]
    chimera = dwave.graphs.chimera_graph(4, 4, 4)
    chimera.remove_nodes_from(MISSING_QUBITS)
    # dwave-system's own checker accepts the embedding.
    from dwave.embedding import is_valid_embedding

    assert is_valid_embedding(embedding, dimod.to_networkx_graph(k6), chimera)
    with PeerSampler(endpoint=server.endpoint, token=server.token) as peer_child:
        peer = PeerComposite(peer_child).sample(k6, num_reads=10)
        assert set(peer.info) <= set(result.info)


def bqm_energies_match(bqm: dimod.BinaryQuadraticModel, result: dimod.SampleSet) -> bool:
    return bool(np.allclose(bqm.energies(result), result.record.energy))


def test_find_embedding_is_valid_and_seeded() -> None:
    from dwave.embedding import is_valid_embedding
    import networkx as nx

    chimera = dwave.graphs.chimera_graph(4, 4, 4)
    chimera.remove_edges_from([e for e in list(chimera.edges) if set(e) & set(MISSING_QUBITS)])
    k5 = [(u, v) for u in range(5) for v in range(u + 1, 5)]
    chains = nq.dwave.find_embedding(5, k5, 128, list(chimera.edges), random_seed=11)
    again = nq.dwave.find_embedding(5, k5, 128, list(chimera.edges), random_seed=11)
    assert chains == again
    assert is_valid_embedding(dict(enumerate(chains)), nx.complete_graph(5), chimera)


def hvac_model() -> nq.qubo.Bqm:
    # 3 zones x 4 slots, the Rust test's instance: 12 binary variables, small enough to enumerate.
    return nq.qubo.hvac(
        rated_power_kw=[2.0, 3.0, 1.0], delivered_kwh=[1.5, 2.0, 1.0], comfort_weight=[1.0, 0.5, 2.0],
        demand_kwh=[[1.0, 0.5, 1.5, 0.0], [2.0, 1.0, 0.5, 1.0], [0.5, 0.5, 1.0, 1.0]],
        price_per_kwh=[0.3, 0.1, 0.2, 0.4], peak_limit_kw=[4.0, 5.0, 3.0, 6.0], comfort="per_slot",
    ).bqm


def test_hvac_through_fallback_from_the_hybrid_solver_then_locally_when_the_server_is_down() -> None:
    srv = SapiServer()
    srv.scenario()
    primary = nq.dwave.LeapHybridSampler(endpoint=srv.endpoint, token=srv.token, http_retry_total=1)
    fallback = nq.anneal.FallbackSampler(primary, nq.anneal.SimulatedAnnealing(num_reads=100, seed=1))
    model = hvac_model()
    ground = min(nq.anneal.Exact(mode="ground_states").sample(model).energies)
    result = fallback.sample(model)
    assert result.info["extra"]["fallback"]["answered_by"] == "primary"
    assert result.info["sampler"] == primary.name == "leap_hybrid"
    assert min(result.energies) == pytest.approx(ground)
    assert result.info["extra"]["problem_id"] == srv.problems()[0]["id"]
    srv.close()
    result = fallback.sample(model)
    report = result.info["extra"]["fallback"]
    assert report["answered_by"] == "fallback"
    assert "transport error" in report["reason"]
    assert result.info["sampler"] == "simulated_annealing"
    assert min(result.energies) == pytest.approx(ground)


def test_run_pipeline_plans_on_the_hybrid_solver_when_a_token_is_configured(
    server: SapiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    kw = dict(days=4, seed=5, train_days=3, units=50)
    server.scenario()
    monkeypatch.setenv("DWAVE_API_ENDPOINT", server.endpoint)
    monkeypatch.setenv("DWAVE_API_TOKEN", server.token)
    r = nq.building.run_pipeline(**kw)
    assert r["answered_by"] == {"leap_hybrid": r["plans"]} and r["plans"] == 24
    assert r["sampler_note"] == f"D-Wave {HYBRID_SOLVER} first, tabu as fallback"
    assert len(server.problems()) >= r["plans"]
    assert r["exact_match"]
    off = nq.building.run_pipeline(dwave="off", **kw)
    assert off["answered_by"] == {"tabu": 24} and off["sampler_note"] == 'tabu (dwave="off")'
    monkeypatch.delenv("DWAVE_API_TOKEN")
    local = nq.building.run_pipeline(**kw)
    assert local["sampler_note"] == "tabu (no D-Wave token configured)"
    # Same plans from the local sampler whichever way it was chosen.
    np.testing.assert_array_equal(local["on"], off["on"])
    with pytest.raises(nq.InvalidArgumentError, match="dwave"):
        nq.building.run_pipeline(dwave="always", **kw)
