"""neuroquant.quantum against QuTiP 5.3.1 (the peer) and the closed forms of
shared/notes/hamiltonian_anchors.md: solvers, metrics, coherence, channels, bad input, pickling."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import neuroquant as nq

warnings.filterwarnings("ignore", message="matplotlib not found")
qt = pytest.importorskip("qutip")
q = nq.quantum

TIGHT = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000, "progress_bar": ""}


def _site(o, i, n):
    ops = [qt.qeye(2)] * n
    ops[i] = o
    return qt.tensor(ops)


def tfim_qutip(n, h=1.0):
    H = sum(-_site(qt.sigmaz(), i, n) * _site(qt.sigmaz(), i + 1, n) for i in range(n - 1))
    H = H + sum(-h * _site(qt.sigmax(), i, n) for i in range(n))
    M = sum(_site(qt.sigmaz(), i, n) for i in range(n)) / n
    return H, M


def tfim_pauli(n, h=1.0):
    H = q.PauliSum(n)
    for i in range(n - 1):
        H.add_term("ZZ", [i, i + 1], -1.0)
    H.add_per_site("X", [-h] * n)
    M = q.PauliSum(n)
    M.add_per_site("Z", [1.0 / n] * n)
    return H, M


T = np.linspace(0.0, 10.0, 101)
REF10 = {10: 0.2599592331, 20: 0.0348662309, 50: 0.0006422246, 100: -0.2801058124}


def test_sesolve_tfim_n10_matches_references_and_qutip_for_every_input_form():
    H, M = tfim_qutip(10)
    p0 = qt.tensor([qt.basis(2, 0)] * 10)
    peer = np.real(qt.sesolve(H, p0, T, e_ops=[M], options=TIGHT).expect[0])
    Hp, Mp = tfim_pauli(10)
    forms = [
        (H, M),  # Qobj
        (H.full(), M.full()),  # numpy
        (H.data_as("csr_matrix"), sp.csr_matrix(M.data_as("csr_matrix"))),  # scipy.sparse
        (Hp, Mp),  # PauliSum (matrix-free)
        (Hp.to_operator("csr"), Mp.to_operator("dense")),
    ]
    for h, m in forms:
        r = q.sesolve(h, p0, T, e_ops=[m])
        assert r.expect[0].dtype == np.float64  # Hermitian e_op: real, as QuTiP
        for k, v in REF10.items():
            assert abs(r.expect[0][k] - v) < 1e-8
        assert np.max(np.abs(r.expect[0] - peer)) < 1e-8
        assert r.states == []  # e_ops given: states not stored (QuTiP's rule)
    r = q.sesolve(Hp, q.basis(1024, 0), T[:3], options={"store_states": True, "method": "diag"})
    assert len(r.states) == 3 and r.states[0].shape == (1024,)
    assert r.stats["method"] == "diag"


def test_mesolve_matches_qutip_with_dephasing_and_decay():
    n = 4
    H, M = tfim_qutip(n, h=0.7)
    c_ops = [np.sqrt(0.1) * _site(qt.sigmaz(), i, n) for i in range(n)] + [np.sqrt(0.05) * _site(qt.sigmam(), 0, n)]
    rho0 = qt.ket2dm(qt.tensor([qt.basis(2, 0)] * n))
    t = np.linspace(0, 5, 26)
    peer = qt.mesolve(H, rho0, t, c_ops=c_ops, e_ops=[M, _site(qt.sigmax(), 1, n)], options=TIGHT)
    ours = q.mesolve(H, rho0, t, c_ops=c_ops, e_ops=[M, _site(qt.sigmax(), 1, n)])
    for k in range(2):
        assert np.max(np.abs(ours.expect[k] - np.real(peer.expect[k]))) < 1e-8
    assert ours.final_state.shape == (16, 16)
    assert abs(np.trace(ours.final_state) - 1) < 1e-10
    # A ket with no c_ops runs sesolve, as QuTiP does.
    r = q.mesolve(H, qt.tensor([qt.basis(2, 0)] * n), t, e_ops=[M])
    assert r.final_state.shape == (16,)


def test_time_dependent_coefficients_as_function_string_and_array():
    n = 6
    H0 = sum(-_site(qt.sigmaz(), i, n) * _site(qt.sigmaz(), i + 1, n) for i in range(n - 1))
    H1 = sum(-_site(qt.sigmax(), i, n) for i in range(n))
    M = sum(_site(qt.sigmaz(), i, n) for i in range(n)) / n
    p0 = qt.tensor([qt.basis(2, 0)] * n)
    t = np.linspace(0, 5, 51)
    peer = np.real(qt.sesolve([H0, [H1, lambda t, w: np.cos(w * t)]], p0, t, e_ops=[M], args={"w": 1.3}, options=TIGHT).expect[0])
    fine = np.linspace(0, 5, 5001)
    for coef in (lambda t, w: np.cos(w * t), lambda t, args: np.cos(args["w"] * t), "cos(w*t)", ("spline", fine, np.cos(1.3 * fine))):
        r = q.sesolve([H0, [H1, coef]], p0, t, e_ops=[M], args={"w": 1.3})
        assert np.max(np.abs(r.expect[0] - peer)) < 1e-8, coef
    for method in ("tsit5", "dop853"):
        r = q.sesolve([H0, [H1, "cos(w*t)"]], p0, t, e_ops=[M], args={"w": 1.3}, options={"method": method})
        assert np.max(np.abs(r.expect[0] - peer)) < 1e-7


def test_rabi_and_landau_zener():
    om, de = 1.0, 0.5
    H = 0.5 * de * qt.sigmaz() + 0.5 * om * qt.sigmax()
    t = np.linspace(0, 20, 201)
    r = q.sesolve(H, qt.basis(2, 0), t, e_ops=[qt.basis(2, 1).proj()], options={"atol": 1e-13})
    w = np.hypot(om, de)
    assert np.max(np.abs(r.expect[0] - om**2 / w**2 * np.sin(w * t / 2) ** 2)) < 1e-10
    lz = q.sesolve([0.25 * qt.sigmax(), [0.5 * qt.sigmaz(), lambda t: t]], qt.basis(2, 0), [-60.0, 60.0], e_ops=[qt.basis(2, 0).proj()])
    assert abs(lz.expect[0][-1] - 0.6723622415) < 1e-7


def _rand_states(seed):
    rng = np.random.default_rng(seed)
    out = []
    for dim in (2, 4, 5):
        for _ in range(3):
            k = rng.normal(size=dim) + 1j * rng.normal(size=dim)
            k /= np.linalg.norm(k)
            a = rng.normal(size=(dim, dim)) + 1j * rng.normal(size=(dim, dim))
            rho = a @ a.conj().T
            rho /= np.trace(rho)
            out.append((dim, k, rho))
    return out


def test_metrics_equal_qutip_on_random_states():
    states = _rand_states(7)
    for (d1, k1, r1), (d2, k2, r2) in zip(states, states[1:] + states[:1]):
        if d1 != d2:
            continue
        for a, b in ((k1, k2), (k1, r2), (r1, k2), (r1, r2)):
            qa = qt.Qobj(a) if a.ndim == 2 else qt.Qobj(a[:, None])
            qb = qt.Qobj(b) if b.ndim == 2 else qt.Qobj(b[:, None])
            for ours, theirs in (
                (q.fidelity, qt.fidelity),
                (q.tracedist, qt.tracedist),
                (q.hilbert_dist, qt.hilbert_dist),
                (q.bures_dist, qt.bures_dist),
                (q.bures_angle, qt.bures_angle),
            ):
                # QuTiP's bures_* turn kets into projectors and take a numerical sqrtm, whose
                # rank-deficient eigenvalues cost it ~1e-8; there the closed form is the oracle.
                pure = a.ndim == 1 or b.ndim == 1
                # tracedist: QuTiP sums sqrt|eig(D^dag D)|, where the zero eigenvalues of a
                # rank-2 difference of projectors add ~1e-8.
                # The same for fidelity(ket, dm) (eigenvalues of the rank-1 P B P). Mixed pairs agree
                # to 1e-10; with a ket the closed forms below are the 1e-12 oracle.
                tol = 1e-7 if pure and ours is not q.hilbert_dist else 1e-10
                assert abs(ours(a, b) - np.real(theirs(qa, qb))) < tol, (ours.__name__, d1)
            if a.ndim == 1:
                f = abs(np.vdot(a, b)) if b.ndim == 1 else np.sqrt(np.real(np.vdot(a, b @ a)))
                assert abs(q.fidelity(a, b) - f) < 1e-12
                assert abs(q.bures_dist(a, b) - np.sqrt(2 * (1 - f))) < 1e-12
                assert abs(q.bures_angle(a, b) - np.arccos(min(f, 1.0))) < 1e-12
                if b.ndim == 1:
                    assert abs(q.tracedist(a, b) - np.sqrt(1 - f**2)) < 1e-12
            assert abs(q.fidelity_squared(a, b) - qt.fidelity(qa, qb) ** 2) < tol
        q1 = qt.Qobj(r1)
        assert abs(q.entropy_vn(r1) - qt.entropy_vn(q1)) < 1e-10
        assert abs(q.entropy_vn(r1, base=2) - qt.entropy_vn(q1, base=2)) < 1e-10
        assert abs(q.entropy_linear(r1) - qt.entropy_linear(q1)) < 1e-10
        assert abs(q.purity(r1) - q1.purity()) < 1e-10
        if d1 == 4:
            q1.dims = [[2, 2], [2, 2]]
            assert abs(q.concurrence(r1) - qt.concurrence(q1)) < 1e-10
    assert abs(q.fidelity(q.basis(2, 0), np.array([1, 1]) / np.sqrt(2)) - 0.70710678) < 1e-8


def test_coherence_of_standard_states_and_bad_arguments():
    plus = np.array([1, 1]) / np.sqrt(2)
    assert abs(q.coherence_l1(plus) - 1) < 1e-12
    assert abs(q.coherence_relative_entropy(plus, base=2) - 1) < 1e-12
    d = 4
    psi = np.ones(d) / 2
    assert abs(q.robustness_of_coherence(q.ket2dm(psi)) - (d - 1)) < 1e-12
    assert abs(q.visibility(q.ket2dm(plus)) - 1) < 1e-12
    assert q.predictability(q.ket2dm(plus)) < 1e-12
    with pytest.raises(nq.InvalidArgumentError, match="closed form"):
        q.robustness_of_coherence(np.diag([0.5, 0.3, 0.2]) + 0.05 * (np.ones((3, 3)) - np.eye(3)))
    with pytest.raises(nq.InvalidArgumentError, match="base"):
        q.entropy_vn(np.eye(2) / 2, base=1.0)
    with pytest.raises(nq.DimensionMismatchError):
        q.fidelity(plus, np.eye(4) / 4)
    with pytest.raises(nq.NonFiniteError):
        q.purity(np.array([np.nan, 1.0]))


def test_channels_and_t1_t2_against_qutip_mesolve():
    rho = np.array([[0.7, 0.1 - 0.2j], [0.1 + 0.2j, 0.3]])
    for ch in (q.Channel.dephasing(0.2), q.Channel.amplitude_damping(0.3), q.Channel.depolarizing(0.4, "nielsen_chuang"), q.Channel.depolarizing(0.4, "maximally_mixed")):
        assert ch.completeness_deviation() < 1e-14
        assert abs(np.trace(ch.apply(rho)) - 1) < 1e-14
    out = q.Channel.depolarizing(1.0, "maximally_mixed").apply(rho)
    assert np.allclose(out, np.eye(2) / 2, atol=1e-14)
    with pytest.raises(nq.InvalidArgumentError, match="convention"):
        q.Channel.depolarizing(0.1, "symmetric")
    with pytest.raises(nq.InvalidArgumentError, match="t2"):
        q.Channel.t1_t2(1.0, 2.5, 0.1)
    # T1/T2 relaxation: our channel, our Lindblad operators, and QuTiP with sigmap() agree.
    t1, t2, t = 2.0, 1.5, 0.8
    ours = q.Channel.t1_t2(t1, t2, t).apply(rho)
    c_ops = q.t1_t2_lindblad(t1, t2)
    me = q.mesolve(np.zeros((2, 2)), rho, [0, t], c_ops=c_ops)
    tphi = 1 / (1 / t2 - 1 / (2 * t1))
    peer = qt.mesolve(qt.qzero(2), qt.Qobj(rho), [0, t], c_ops=[qt.sigmap() / np.sqrt(t1), qt.sigmaz() / np.sqrt(2 * tphi)], options=TIGHT)
    assert np.allclose(ours, me.final_state, atol=1e-9)
    assert np.allclose(ours, peer.final_state.full(), atol=1e-8)


def test_bad_input_names_the_argument():
    H, M = tfim_qutip(3)
    with pytest.raises(nq.InvalidArgumentError, match="normal"):
        q.sesolve(H, np.ones(8), [0, 1])
    with pytest.raises(nq.InvalidArgumentError, match="Hermitian"):
        q.sesolve(np.array([[0, 1], [0, 0]]), q.basis(2, 0), [0, 1])
    with pytest.raises(nq.InvalidArgumentError, match="tlist"):
        q.sesolve(H, q.basis(8, 0), [1, 0])
    with pytest.raises(nq.InvalidArgumentError, match="atol"):
        q.sesolve(H, q.basis(8, 0), [0, 1], options={"atol": -1})
    with pytest.raises(nq.InvalidArgumentError, match="not a parameter"):
        q.sesolve(H, q.basis(8, 0), [0, 1], options={"atoll": 1e-9})
    with pytest.raises(nq.DimensionMismatchError):
        q.sesolve(H, q.basis(4, 0), [0, 1])
    with pytest.raises(nq.InvalidArgumentError, match="trace"):
        q.mesolve(H, np.eye(8), [0, 1], c_ops=[_site(qt.sigmaz(), 0, 3)])

    def broken(t):
        raise RuntimeError("coefficient failed")

    with pytest.raises(RuntimeError, match="coefficient failed"):
        q.sesolve([H, [_site(qt.sigmax(), 0, 3), broken]], q.basis(8, 0), [0, 1])
    with pytest.raises(nq.InvalidArgumentError, match="paulis"):
        q.PauliSum(2).add_term("ZQ", [0, 1])
    with pytest.raises(nq.LimitExceededError):
        q.PauliSum(40).to_operator()


def test_progress_interrupt_threads_and_batches():
    Hp, Mp = tfim_pauli(8)
    seen = []
    r = q.sesolve(Hp, q.basis(256, 0), T, e_ops=[Mp], progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][1] == len(T)
    r1 = q.sesolve(Hp, q.basis(256, 0), T, e_ops=[Mp], options={"method": "dop853"}, interrupt_function=lambda: len(seen) > 0 and seen.append((0, 0)) is None and len(seen) > 150)
    assert r1.interrupted and 1 <= len(r1.times) < len(T)
    one = q.sesolve(Hp, q.basis(256, 0), T[:5], e_ops=[Mp], num_threads=1)
    two = q.sesolve(Hp, q.basis(256, 0), T[:5], e_ops=[Mp], num_threads=2)
    assert np.array_equal(one.expect[0], two.expect[0])
    states = [q.basis(256, b) for b in (0, 3, 17)]
    batch = q.sesolve_batch(Hp, states, T[:5], e_ops=[Mp], num_threads=2)
    for s, b in zip(states, batch):
        assert np.array_equal(q.sesolve(Hp, s, T[:5], e_ops=[Mp]).expect[0], b.expect[0])
    assert abs(r.expect[0][0] - 1.0) < 1e-15


def test_quantum_annealing_matches_the_exact_solver():
    bqm = nq.qubo.Bqm(4, "SPIN")
    for u, v, j in [(0, 1, 1.0), (1, 2, -0.5), (2, 3, 1.0), (0, 3, -1.0), (0, 2, 0.5)]:
        bqm.add_quadratic(u, v, j)
    bqm.add_linear(0, 0.3)
    exact = nq.anneal.Exact().sample(bqm)
    out = q.anneal_bqm(bqm, 200.0)
    assert abs(out["ground_energy"] - min(exact.energies)) < 1e-12
    assert out["ground_state_probability"] > 0.95
    sudden = q.anneal_bqm(bqm, 1e-6, schedule=(np.array([0.0, 1.0]), np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    assert np.allclose(sudden["probabilities"], 1 / 16, atol=1e-6)


def test_oscillators_and_pickling():
    k = q.Kuramoto([0.0, 0.5], 1.0, [0.0, 0.0])
    times, R, psi = k.run(0.01, 5000, record_every=100)
    assert len(times) == 51
    assert abs((k.phases[1] - k.phases[0]) - np.arcsin(0.5)) < 1e-8
    s = q.PhaseState(2.0, phase=0.1, coherence=0.9, uncertainty=0.95)
    s.evolve(1.0)
    assert abs(s.coherence - 0.9 * np.exp(-0.5)) < 1e-15 and s.uncertainty == 1.0
    with pytest.raises(nq.InvalidArgumentError):
        s.evolve(-1.0)
    s2 = pickle.loads(pickle.dumps(s))
    assert (s2.energy, s2.phase, s2.coherence) == (s.energy, s.phase, s.coherence)
    assert abs(q.interference(s, s2) - s.coherence**2) < 1e-15
    Hp, Mp = tfim_pauli(4)
    for obj in (Hp, Hp.to_operator(), Hp.to_operator("csr"), q.operator(np.diag([1.0, -1.0]))):
        back = pickle.loads(pickle.dumps(obj))
        if isinstance(obj, q.Operator):
            assert back.storage == obj.storage
            assert np.array_equal(back.full(), obj.full())
        else:
            assert back.to_bytes() == obj.to_bytes()


def test_kuramoto_run_reports_a_stop_like_sesolve_and_the_samplers():
    # A stop is reported on the result (``interrupted``, as ``sesolve``'s Result and the
    # samplers' ``info["interrupted"]``), never silently as a completed run. Oracle: the
    # uninterrupted run; the stopped network resumed for the remaining steps equals it bit for bit.
    w, th, dt, steps = [0.3, -0.2], [0.0, 1.0], 1e-4, 1_500_000
    whole = q.Kuramoto(w, 1.5, th)
    full = whole.run(dt, steps, record_every=100_000)
    times, R, psi = full
    assert not full.interrupted and len(full) == 3 and len(times) == 16
    assert full[0] is full.times and full[-1] is full.mean_phase and np.array_equal(full[1], full.order)
    assert np.array_equal(R, full.order) and np.array_equal(psi, full.mean_phase)
    with pytest.raises(IndexError):
        full[3]
    calls = []
    part = q.Kuramoto(w, 1.5, th)
    stopped = part.run(dt, steps, record_every=100_000, interrupt_function=lambda: calls.append(0) is None and len(calls) >= 2)
    assert stopped.interrupted and "interrupted=True" in repr(stopped)
    done = round(part.time / dt)
    assert 0 < done < steps and 1 <= len(stopped.times) < len(times)
    assert np.array_equal(stopped.times, times[: len(stopped.times)]) and np.array_equal(stopped.order, R[: len(stopped.times)])
    assert not part.run(dt, steps - done, record_every=steps).interrupted
    assert np.array_equal(part.phases, whole.phases)
    # A deadline stops it too, within milliseconds, and keeps the steps done.
    slow = q.Kuramoto(w, 1.5, th)
    late = slow.run(dt, 10**12, record_every=10**9, timeout=0.05)
    assert late.interrupted and 0 < slow.time < 10**12 * dt
    with pytest.raises(nq.InvalidArgumentError, match="timeout"):
        slow.run(dt, 10, timeout=-1.0)

    def boom() -> bool:
        raise KeyError("from interrupt_function")

    with pytest.raises(KeyError):
        slow.run(dt, 10, interrupt_function=boom)


def test_save_and_resume_mid_stream():
    # A Kuramoto network pickled half-way continues bit for bit as the uninterrupted run.
    w, th = [0.3, -0.2, 0.1, 0.4], [0.0, 1.0, 2.0, 3.0]
    whole = q.Kuramoto(w, 1.5, th)
    whole.run(0.01, 200, record_every=200)
    part = q.Kuramoto(w, 1.5, th)
    part.run(0.01, 120, record_every=120)
    resumed = pickle.loads(pickle.dumps(part))
    resumed.run(0.01, 80, record_every=80)
    assert np.array_equal(resumed.phases, whole.phases) and resumed.time == whole.time
    with pytest.raises(nq.FormatError):
        q.Kuramoto.from_bytes(part.to_bytes()[:-3])
    # A TFIM ket saved after t = 0.5 and evolved on to t = 1 equals the one-shot run (QuTiP's
    # sesolve as the oracle for the final magnetization).
    H, M = tfim_pauli(6)
    psi0 = np.zeros(64, complex)
    psi0[0] = 1.0
    one = q.sesolve(H, psi0, [0.0, 1.0], e_ops=[M])
    half = q.sesolve(H, psi0, [0.0, 0.5], options={"store_states": True})
    saved = q.state_to_bytes(half.final_state)
    back = q.state_from_bytes(saved)
    assert back.shape == (64,) and np.array_equal(back, half.final_state)
    rest = q.sesolve(H, back, [0.5, 1.0], e_ops=[M])
    Hq, Mq = tfim_qutip(6)
    ref = qt.sesolve(Hq, qt.basis([2] * 6, [0] * 6), [0.0, 1.0], e_ops=[Mq], options=TIGHT).expect[0][-1]
    assert abs(rest.expect[0][-1] - ref) < 1e-9 and abs(one.expect[0][-1] - ref) < 1e-9
    rho = np.outer(back, back.conj())
    rho_back = q.state_from_bytes(q.state_to_bytes(rho))
    assert rho_back.shape == (64, 64) and np.array_equal(rho_back, rho)
    bad = back.copy()
    bad[3] = np.nan
    with pytest.raises(nq.InvalidArgumentError, match="state"):
        q.state_to_bytes(bad)
    with pytest.raises(nq.FormatError):
        q.state_from_bytes(saved[: len(saved) // 2])
