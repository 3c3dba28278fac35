"""The local SAPI test server is faithful: D-Wave's own client (dwave-cloud-client) and sampler
package (dwave-system), pinned in requirements-dev.txt, run against it for the scenarios the
neuroquant client is tested on (answers, pending→completed, FAILED, CANCELLED, 401, 429 with
Retry-After, 5xx, slow answers, malformed bodies, hybrid uploads, embedding). Every answer is
checked against an oracle (dimod's exact solver, the model's own energies), not against our
client, so a server that drifted from what D-Wave's client speaks fails here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import dimod
import dwave.graphs
import pytest
from dwave.cloud import Client
from dwave.cloud.exceptions import SAPIError
from dwave.cloud.api.exceptions import RequestError
from dwave.cloud.exceptions import (
    CanceledFutureError,
    InvalidAPIResponseError,
    PollingTimeout,
    SolverAuthenticationError,
    SolverFailureError,
    SolverNotFoundError,
)

from _sapi import (
    HYBRID_SOLVER,
    MISSING_QUBITS,
    PEGASUS_MISSING_QUBITS,
    PEGASUS_SOLVER,
    QPU_SOLVER,
    SapiServer,
)


@pytest.fixture(scope="module")
def server() -> Iterator[SapiServer]:
    s = SapiServer()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_dwave_config(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    # No user configuration leaks into the peers: no config file, no DWAVE_* variables.
    for name in ("DWAVE_API_TOKEN", "DWAVE_API_ENDPOINT", "DWAVE_API_REGION", "DWAVE_API_SOLVER",
                 "DWAVE_API_PROXY", "DWAVE_CONFIG_FILE", "DWAVE_PROFILE", "DWAVE_API_CLIENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path))


def client(server: SapiServer, **kwargs: object) -> Client:
    options: dict[str, object] = dict(endpoint=server.endpoint, token=server.token, http_retry_backoff_factor=0.01)
    options.update(kwargs)
    return Client(**options)


# One Chimera unit cell (K4,4 between qubits 0-3 and 4-7), frustrated by mixed couplers.
H = {0: 0.5, 1: -0.25, 2: 0.0, 3: 0.75, 4: -0.5, 5: 0.25, 6: -1.0, 7: 0.125}
J = {(q, r): (-1.0 if (q + r) % 3 else 0.75) for q in range(4) for r in range(4, 8)}


def exact_ground(bqm: dimod.BinaryQuadraticModel) -> float:
    return float(dimod.ExactSolver().sample(bqm).first.energy)


def test_solver_list_and_properties_as_dwave_cloud_client_reads_them(server: SapiServer) -> None:
    server.scenario()
    with client(server) as c:
        names = {s.name for s in c.get_solvers()}
        assert names == {QPU_SOLVER, PEGASUS_SOLVER, HYBRID_SOLVER}
        qpu = c.get_solver(QPU_SOLVER)
        assert qpu.qpu and not qpu.hybrid
        assert qpu.properties["topology"] == {"type": "chimera", "shape": [4, 4, 4]}
        # Working graph: dwave-graphs' C(4,4,4) less the missing qubits and their couplers.
        chimera = dwave.graphs.chimera_graph(4, 4, 4)
        chimera.remove_nodes_from(MISSING_QUBITS)
        assert set(qpu.nodes) == set(chimera.nodes)
        assert {tuple(sorted(e)) for e in qpu.undirected_edges} == {tuple(sorted(e)) for e in chimera.edges}
        # The Pegasus solver: dwave-graphs' P(4) (Advantage's offsets, fabric only) less its
        # missing qubits, with Pegasus' topology record.
        peg = c.get_solver(PEGASUS_SOLVER)
        assert peg.properties["topology"] == {"type": "pegasus", "shape": [4]}
        pegasus = dwave.graphs.pegasus_graph(4)
        pegasus.remove_nodes_from(PEGASUS_MISSING_QUBITS)
        assert set(peg.nodes) == set(pegasus.nodes)
        assert {tuple(sorted(e)) for e in peg.undirected_edges} == {tuple(sorted(e)) for e in pegasus.edges}
        # Ocean's feature filters select the same solvers by category, least loaded first.
        assert [s.name for s in c.get_solvers(qpu=True)] == [QPU_SOLVER, PEGASUS_SOLVER]
        assert c.get_solver(qpu=True).name == QPU_SOLVER
        assert [s.name for s in c.get_solvers(topology__type="pegasus")] == [PEGASUS_SOLVER]
        assert [s.name for s in c.get_solvers(hybrid=True)] == [HYBRID_SOLVER]
        assert set(c.get_solver(hybrid=True).supported_problem_types) == {"bqm"}
    log = server.log()
    assert all(entry["token_ok"] for entry in log)
    assert any("application/vnd.dwave.sapi.solver-definition-list+json" in (e["accept"] or "") for e in log)


@pytest.mark.parametrize("problem_type", ["ising", "qubo"])
def test_qpu_answers_reach_the_exact_ground_state(server: SapiServer, problem_type: str) -> None:
    server.scenario()
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J, offset=1.5)
    if problem_type == "qubo":
        bqm = bqm.change_vartype("BINARY", inplace=False)
    with client(server) as c:
        solver = c.get_solver(QPU_SOLVER)
        future = solver.sample_bqm(bqm, num_reads=40, answer_mode="histogram")
        sampleset = future.sampleset
        sampleset.resolve()
        # The energies the server reports (plus the offset dwave-cloud-client adds) are the
        # model's energies of the returned samples, and the best is the exact ground state.
        assert list(sampleset.variables) == list(range(8))
        energies = bqm.energies(sampleset)
        assert energies == pytest.approx(sampleset.record.energy, abs=1e-9)
        assert sampleset.first.energy == pytest.approx(exact_ground(bqm), abs=1e-9)
        assert sampleset.record.num_occurrences.sum() == 40
        assert sampleset.info["problem_id"] == future.id
        assert sampleset.info["timing"]["qpu_access_time"] > 0
        assert set(sampleset.vartype.value) == ({-1, 1} if problem_type == "ising" else {0, 1})
    submit = [e for e in server.log() if e["route"] == "submit"]
    assert len(submit) == 1 and submit[0]["status"] == 200
    assert "application/vnd.dwave.sapi.problems+json" in submit[0]["accept"]
    (problem,) = server.problems()
    assert problem["type"] == problem_type and problem["params"]["num_reads"] == 40


def test_raw_answer_mode_and_the_num_reads_limit(server: SapiServer) -> None:
    server.scenario()
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        solver = c.get_solver(QPU_SOLVER)
        result = solver.sample_bqm(bqm, num_reads=100, answer_mode="raw").sampleset
        assert len(result) == 100 and set(result.record.num_occurrences) == {1}
        assert bqm.energies(result) == pytest.approx(result.record.energy)
        # dwave-cloud-client does not split reads above the solver's limit (our client does):
        # the server fails such a problem, naming the property, as SAPI does.
        assert solver.properties["num_reads_range"] == [1, 100]
        with pytest.raises(SolverFailureError, match="num_reads_range"):
            solver.sample_bqm(bqm, num_reads=250).result()


def test_pending_then_completed(server: SapiServer) -> None:
    server.scenario(pending_polls=3)
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        assert future.sampleset.first.energy == pytest.approx(exact_ground(bqm))
        assert future.remote_status == "COMPLETED"
    routes = server.routes()
    assert routes.count("status") >= 3
    # The status messages carry no answer: one fetch of the problem after the polls.
    assert routes.count("problem") == 1


def test_failed_problem_raises_solver_failure_with_the_server_message(server: SapiServer) -> None:
    server.scenario(fail="Qubit out of range: 999")
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        with pytest.raises(SolverFailureError, match="Qubit out of range: 999"):
            future.result()


def test_cancelled_problem_raises_canceled_future(server: SapiServer) -> None:
    server.scenario(cancel=True)
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        with pytest.raises(CanceledFutureError):
            future.result()


def test_client_cancel_reaches_the_server(server: SapiServer) -> None:
    # A slow problem stays PENDING; dwave-cloud-client's cancel() sends DELETE and the
    # problem ends CANCELLED on the server.
    server.scenario(pending_polls=1000, max_poll_wait_ms=50)
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        future.wait_id(timeout=10)
        future.cancel()
        with pytest.raises(CanceledFutureError):
            future.result()
    assert "cancel" in server.routes()
    assert [p["status"] for p in server.problems()] == ["CANCELLED"]


def test_bad_token_is_an_authentication_error(server: SapiServer) -> None:
    server.scenario()
    with Client(endpoint=server.endpoint, token="not-the-token") as c:
        with pytest.raises(SolverAuthenticationError):
            c.get_solvers()
    assert [e["status"] for e in server.log()] == [401]


def test_unknown_solver_is_not_found(server: SapiServer) -> None:
    server.scenario()
    with client(server) as c:
        with pytest.raises(SolverNotFoundError):
            c.get_solver("Advantage_system4.1")


def test_429_with_retry_after_is_honoured_on_reads(server: SapiServer) -> None:
    # urllib3 (under dwave-cloud-client) retries idempotent requests on 429 after Retry-After.
    server.scenario(faults=[{"route": "solvers", "times": 1, "status": 429,
                             "headers": {"Retry-After": "1"}, "body": '{"error_code": 429, "error_msg": "slow down"}'}])
    with client(server) as c:
        t0 = time.monotonic()
        assert {s.name for s in c.get_solvers()} == {QPU_SOLVER, PEGASUS_SOLVER, HYBRID_SOLVER}
        assert time.monotonic() - t0 >= 0.95
    statuses = [e["status"] for e in server.log() if e["route"] == "solvers"]
    assert statuses[:2] == [429, 200] and set(statuses[1:]) == {200}


def test_429_on_submission_reaches_dwave_cloud_client(server: SapiServer) -> None:
    # dwave-cloud-client does not retry a POST (our client does, honouring Retry-After): the
    # server's 429 on a submission is a well-formed SAPI error the peer reports with its code.
    server.scenario(faults=[{"route": "submit", "times": 1, "status": 429, "headers": {"Retry-After": "1"},
                             "body": '{"error_code": 429, "error_msg": "Too many requests"}'}])
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        solver = c.get_solver(QPU_SOLVER)
        with pytest.raises(SAPIError) as info:
            solver.sample_bqm(bqm, num_reads=10).result()
        assert info.value.error_code == 429


def test_5xx_while_polling_is_transient(server: SapiServer) -> None:
    # dwave-cloud-client treats 5xx on a status poll as transient and polls again.
    server.scenario(pending_polls=1, faults=[{"route": "status", "times": 2, "status": 503,
                                              "body": '{"error_code": 503, "error_msg": "busy"}'}])
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    with client(server) as c:
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        assert future.sampleset.first.energy == pytest.approx(exact_ground(bqm))
    statuses = [e["status"] for e in server.log() if e["route"] == "status"]
    assert statuses[:2] == [503, 503] and statuses[-1] == 200


def test_html_error_page_from_a_proxy(server: SapiServer) -> None:
    server.scenario(faults=[{"route": "solvers", "times": 1, "status": 502, "content_type": "text/html",
                             "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}])
    with client(server) as c:
        with pytest.raises(RequestError) as info:
            c.get_solvers()
        assert getattr(info.value, "error_code", 502) == 502


def test_slow_answer_completes_and_polling_timeout_expires(server: SapiServer) -> None:
    bqm = dimod.BinaryQuadraticModel.from_ising(H, J)
    server.scenario(solve_delay_ms=800)
    with client(server) as c:
        t0 = time.monotonic()
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        assert future.sampleset.first.energy == pytest.approx(exact_ground(bqm))
        assert time.monotonic() - t0 >= 0.75
    server.scenario(solve_delay_ms=60_000, max_poll_wait_ms=100)
    with client(server, polling_timeout=0.5) as c:
        future = c.get_solver(QPU_SOLVER).sample_bqm(bqm, num_reads=10)
        with pytest.raises(PollingTimeout):
            future.result()


@pytest.mark.parametrize(
    "fault",
    [
        {"body": "{not json", "content_type": "application/vnd.dwave.sapi.solver-definition-list+json"},
        {"body": '{"unexpected": "object"}', "content_type": "application/vnd.dwave.sapi.solver-definition-list+json"},
        {"body": "[]", "content_type": "text/plain"},
    ],
    ids=["bad-json", "wrong-shape", "wrong-media-type"],
)
def test_malformed_bodies_are_rejected(server: SapiServer, fault: dict[str, object]) -> None:
    server.scenario(faults=[{"route": "solvers", "times": 5, "status": 200, **fault}])
    with client(server) as c:
        with pytest.raises((InvalidAPIResponseError, RequestError, ValueError)):
            c.get_solvers()


def test_hybrid_upload_and_bq_answer_with_labels(server: SapiServer) -> None:
    server.scenario()
    # String labels, binary: the HVAC-like shape of a small assignment problem.
    bqm = dimod.generators.gnp_random_bqm(12, 0.5, "BINARY", random_state=3)
    bqm.relabel_variables({i: f"zone{i}" for i in range(12)})
    with client(server) as c:
        solver = c.get_solver(HYBRID_SOLVER)
        future = solver.sample_bqm(bqm, time_limit=3)
        sampleset = future.sampleset
        assert set(sampleset.variables) == set(bqm.variables)
        assert sampleset.first.energy == pytest.approx(exact_ground(bqm))
        assert bqm.energies(sampleset) == pytest.approx(sampleset.record.energy)
        assert sampleset.info["problem_id"] == future.id
    routes = server.routes()
    # dwave-cloud-client's multipart upload: initiate, parts, combine, then submit by reference.
    for route in ("upload_init", "upload_part", "combine", "submit"):
        assert route in routes, route
    (problem,) = server.problems()
    assert problem["type"] == "bqm" and problem["params"]["time_limit"] == 3


def test_dwave_system_samplers_against_the_server(server: SapiServer) -> None:
    from dwave.system import DWaveSampler, EmbeddingComposite, LeapHybridSampler

    server.scenario()
    with DWaveSampler(endpoint=server.endpoint, token=server.token, solver=QPU_SOLVER) as qpu:
        assert qpu.nodelist == sorted(set(range(128)) - set(MISSING_QUBITS))
        assert (0, 4) in qpu.edgelist and all(u < v for u, v in qpu.edgelist)
        assert "annealing_time" in qpu.parameters and "num_reads" in qpu.parameters
        assert qpu.properties["chip_id"] == QPU_SOLVER
        result = qpu.sample_ising(H, J, num_reads=20)
        assert result.first.energy == pytest.approx(exact_ground(dimod.BQM.from_ising(H, J)))
        assert result.info["problem_id"] and result.info["timing"]["qpu_access_time"] > 0
        # K5 needs chains on Chimera: minorminer + dwave-system's embedding and unembedding. The
        # embedding is seeded: like a real QPU, the server's annealer (2000 sweeps) reaches the
        # logical ground state through most random embeddings but not all (5 of 200 seeds miss it).
        k5 = dimod.BinaryQuadraticModel.from_ising({v: 0.1 * i for i, v in enumerate("abcde")},
                                                   {(u, v): 1.0 for u in "abcde" for v in "abcde" if u < v})
        seeded = {"random_seed": 1}
        embedded = EmbeddingComposite(qpu).sample(k5, num_reads=20, embedding_parameters=seeded)
        assert embedded.first.energy == pytest.approx(exact_ground(k5))
        assert "chain_break_fraction" in embedded.record.dtype.names
    # The Pegasus solver through dwave-system: K8 embedded by minorminer, answered at the ground
    # state (the server solves what it receives on its Pegasus graph).
    with DWaveSampler(endpoint=server.endpoint, token=server.token, solver=PEGASUS_SOLVER) as peg:
        assert peg.properties["topology"]["type"] == "pegasus"
        assert not set(PEGASUS_MISSING_QUBITS) & set(peg.nodelist)
        k8 = dimod.generators.ran_r(1, 8, seed=11)
        embedded = EmbeddingComposite(peg).sample(k8, num_reads=30, embedding_parameters=seeded)
        assert embedded.first.energy == pytest.approx(exact_ground(k8))
    with LeapHybridSampler(endpoint=server.endpoint, token=server.token, solver=HYBRID_SOLVER) as hybrid:
        assert hybrid.properties["category"] == "hybrid"
        bqm = dimod.generators.gnp_random_bqm(10, 0.5, "SPIN", random_state=7)
        result = hybrid.sample(bqm)
        assert result.first.energy == pytest.approx(exact_ground(bqm))
        assert result.info["problem_id"]
        minimum = hybrid.min_time_limit(bqm)
    (hybrid_problem,) = [p for p in server.problems() if p["type"] == "bqm"]
    # LeapHybridSampler's default time_limit: the solver's minimum for the model's size,
    # interpolated in the server's properties["minimum_time_limit"].
    assert hybrid_problem["params"]["time_limit"] == pytest.approx(minimum)
