"""Hamiltonian evolution, neuroquant vs scipy `expm_multiply` and QuTiP 5.3.1, at matched accuracy
(SPEC §7; shared/notes/hamiltonian_anchors.md §3 has the workloads and the peer figures).

Rows (1 thread vs 1 thread):
1. closed TFIM N=14 (quick: 12), t in [0, 10], 101 outputs, M = <sum Z>/N: ours (`sesolve`,
   matrix-free Pauli sum, Krylov, default options) vs `expm_multiply` on the sparse H, all outputs
   in one call. Asserted first: max |M_ours - M_expm| <= 1e-8 over the 101 times (and, at N=14,
   the notes' reference values to 1e-8). Target <= 0.34x expm_multiply.
2. the same against `qutip.sesolve` at tight tolerances (atol 1e-12, rtol 1e-10), same check.
3. TFIM N=8 (quick: 6) with dephasing sqrt(0.1) Z_i: ours (`mesolve`, matrix form, DOP853 at
   atol 3e-8, rtol 3e-7, stepping over output times with its dense output: tolerances that meet
   the row's 1e-8 with a few-fold margin, 2e-9 at N=8; the Z jumps and H's ZZ diagonal are one
   elementwise mask, the X flips two contiguous rows of rho each, lower triangle only) vs
   `qutip.mesolve` at its defaults. Asserted first: ours within 1e-8 of
   `expm_multiply` on QuTiP's Liouvillian (the oracle); QuTiP's own error is reported. Target
   <= 0.2x qutip.mesolve. (Arnoldi Krylov, the default, is exact to 1e-14 but its Gram-Schmidt
   over 50 vectors of n² entries costs about 2x DOP853's cheap right-hand sides here, measured.)
4. TFIM N=10 with h(t) = cos t: ours (DOP853 at atol 3e-11, rtol 3e-10, the coefficient given as
   samples on a 10001-point grid, so the solver runs without Python callbacks) vs `qutip.sesolve`
   tight with a function coefficient. Asserted first: both within 1e-8 of each other at every
   output. Target <= 30 ms.
The scaling table for closed chains N = 10...24 (time and peak memory) is not a side-by-side row:
`benches/compare/quantum_scaling.py` prints it (BENCHMARKS.md records it as prose).

Run alone: python benches/compare/run.py --only quantum [--quick]
"""

from __future__ import annotations

import common  # noqa: F401  (first: pins implicit thread pools to one thread)

import warnings

import numpy as np

from common import AccuracyError, Row, best_of

PEERS = ["qutip", "scipy"]

REF14 = {10: 0.2837838705, 20: 0.0524745328, 50: 0.0004780486, 100: 0.0000804321}
T = np.linspace(0.0, 10.0, 101)


def _tfim_sparse(n: int):
    import scipy.sparse as sp

    X = sp.csr_matrix([[0, 1], [1, 0]], dtype=complex)
    Z = sp.csr_matrix([[1, 0], [0, -1]], dtype=complex)

    def site(op, i):
        return sp.kron(sp.kron(sp.identity(2**i, format="csr"), op), sp.identity(2 ** (n - i - 1), format="csr"), format="csr")

    H = sp.csr_matrix((2**n, 2**n), dtype=complex)
    for i in range(n - 1):
        H = H - site(Z, i) @ site(Z, i + 1)
    for i in range(n):
        H = H - site(X, i)
    mdiag = sum(site(Z, i).diagonal().real for i in range(n)) / n
    return H.tocsr(), mdiag


def _tfim_ours(n: int, h: float = 1.0):
    import neuroquant as nq

    H = nq.quantum.PauliSum(n)
    for i in range(n - 1):
        H.add_term("ZZ", [i, i + 1], -1.0)
    if h:
        H.add_per_site("X", [-h] * n)
    M = nq.quantum.PauliSum(n)
    M.add_per_site("Z", [1.0 / n] * n)
    return H, M


def _tfim_qutip(n: int, h: float = 1.0):
    import qutip as qt

    def op(o, i):
        ops = [qt.qeye(2)] * n
        ops[i] = o
        return qt.tensor(ops)

    H0 = sum(-op(qt.sigmaz(), i) * op(qt.sigmaz(), i + 1) for i in range(n - 1))
    HX = sum(-op(qt.sigmax(), i) for i in range(n))
    M = sum(op(qt.sigmaz(), i) for i in range(n)) / n
    return H0, HX, M, op


def closed_rows(quick: bool) -> list[Row]:
    import qutip as qt
    import scipy.sparse.linalg as spla

    import neuroquant as nq

    n = 12 if quick else 14
    Hs, md = _tfim_sparse(n)
    psi0 = np.zeros(2**n, complex)
    psi0[0] = 1.0
    H, M = _tfim_ours(n)
    H, M = H.to_operator(), M.to_operator()

    def ours():
        return nq.quantum.sesolve(H, psi0, T, e_ops=[M]).expect[0]

    def expm():
        states = spla.expm_multiply(-1j * Hs, psi0, start=0.0, stop=10.0, num=101, endpoint=True)
        return (np.abs(states) ** 2) @ md

    m_ours, m_expm = ours(), expm()
    err = float(np.max(np.abs(m_ours - m_expm)))
    if err > 1e-8:
        raise AccuracyError(f"closed N={n}: max |ours - expm_multiply| = {err:.2e} > 1e-8")
    if n == 14:
        ref = max(abs(m_ours[k] - v) for k, v in REF14.items())
        if ref > 1e-8:
            raise AccuracyError(f"closed N=14: {ref:.2e} from the notes' reference values")
    qH, qX, qM, _ = _tfim_qutip(n)
    p0 = qt.tensor([qt.basis(2, 0)] * n)
    tight = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000, "progress_bar": ""}

    def peer_qutip():
        return np.real(qt.sesolve(qH + qX, p0, T, e_ops=[qM], options=tight).expect[0])

    m_qutip = peer_qutip()
    err_q = float(np.max(np.abs(m_qutip - m_expm)))
    t_ours = best_of(ours)
    return [
        Row(
            "closed evolution",
            f"TFIM N={n} (dim {2**n}), t in [0,10], 101 outputs, matrix-free Krylov",
            t_ours,
            "scipy expm_multiply",
            best_of(expm),
            "≤ 0.34× expm_multiply",
            f"asserted: max |ΔM| vs expm_multiply {err:.1e} ≤ 1e-8",
        ),
        Row(
            "closed evolution",
            f"TFIM N={n}, same outputs, vs QuTiP tight (atol 1e-12, rtol 1e-10)",
            t_ours,
            "qutip.sesolve",
            best_of(peer_qutip, 1),
            "",
            f"ours {err:.1e}, QuTiP {err_q:.1e} from expm_multiply",
        ),
    ]


def open_row(quick: bool) -> Row:
    import qutip as qt
    import scipy.sparse.linalg as spla

    import neuroquant as nq

    n = 6 if quick else 8
    qH0, qX, qM, op = _tfim_qutip(n)
    qH = qH0 + qX
    cops = [np.sqrt(0.1) * op(qt.sigmaz(), i) for i in range(n)]
    rho0 = qt.ket2dm(qt.tensor([qt.basis(2, 0)] * n))
    L = qt.liouvillian(qH, cops).data_as("csr_matrix")
    v0 = rho0.full().ravel(order="F")
    d = 2**n
    mdiag = np.real(np.diag(qM.full()))
    rv = spla.expm_multiply(L, v0, start=0.0, stop=10.0, num=101, endpoint=True)
    oracle = np.array([np.real(np.diag(r.reshape(d, d, order="F"))) @ mdiag for r in rv])
    H, M = _tfim_ours(n)
    H, M = H.to_operator(), M.to_operator()
    c_ops = []
    for i in range(n):
        z = nq.quantum.PauliSum(n)
        z.add_term("Z", [i], np.sqrt(0.1))
        c_ops.append(z.to_operator())
    r0 = rho0.full()

    opts = {"method": "dop853", "atol": 3e-8, "rtol": 3e-7}

    def ours():
        return nq.quantum.mesolve(H, r0, T, c_ops=c_ops, e_ops=[M], options=opts).expect[0]

    def peer():
        return np.real(qt.mesolve(qH, rho0, T, c_ops=cops, e_ops=[qM], options={"progress_bar": ""}).expect[0])

    err = float(np.max(np.abs(ours() - oracle)))
    if err > 1e-8:
        raise AccuracyError(f"dephased N={n}: max |ours - expm_multiply(L)| = {err:.2e} > 1e-8")
    err_peer = float(np.max(np.abs(peer() - oracle)))
    return Row(
        "open evolution",
        f"TFIM N={n} + dephasing √0.1·Z_i, t in [0,10], 101 outputs (matrix form, DOP853 atol 3e-8, rtol 3e-7)",
        best_of(ours, 1 if not quick else 3),
        "qutip.mesolve (defaults)",
        best_of(peer, 1),
        "≤ 0.2× qutip.mesolve",
        f"asserted: ours {err:.1e} ≤ 1e-8 from expm_multiply(L); QuTiP default {err_peer:.1e}",
    )


def time_dependent_row(quick: bool) -> Row:
    import qutip as qt

    import neuroquant as nq

    n = 8 if quick else 10
    H0, H1 = _tfim_ours(n, h=0.0)[0], nq.quantum.PauliSum(n)
    H1.add_per_site("X", [-1.0] * n)
    M = _tfim_ours(n)[1].to_operator()
    grid = np.linspace(0.0, 10.0, 10001)
    H = [H0.to_operator(), [H1.to_operator(), ("spline", grid, np.cos(grid))]]
    psi0 = np.zeros(2**n, complex)
    psi0[0] = 1.0

    def ours():
        return nq.quantum.sesolve(H, psi0, T, e_ops=[M], options={"atol": 3e-11, "rtol": 3e-10}).expect[0]

    qH0, qX, qM, _ = _tfim_qutip(n)
    p0 = qt.tensor([qt.basis(2, 0)] * n)
    tight = {"atol": 1e-12, "rtol": 1e-10, "nsteps": 100000, "progress_bar": ""}

    def peer():
        return np.real(qt.sesolve([qH0, [qX, lambda t: np.cos(t)]], p0, T, e_ops=[qM], options=tight).expect[0])

    err = float(np.max(np.abs(ours() - peer())))
    if err > 1e-8:
        raise AccuracyError(f"h(t)=cos t N={n}: max |ours - qutip tight| = {err:.2e} > 1e-8")
    return Row(
        "time-dependent",
        f"TFIM N={n} with h(t) = cos t, t in [0,10], 101 outputs (DOP853 atol 3e-11, rtol 3e-10, sampled coefficient)",
        best_of(ours),
        "qutip.sesolve tight, function coefficient",
        best_of(peer, 1),
        "≤ 30 ms",
        f"asserted: max |ΔM| vs QuTiP tight {err:.1e} ≤ 1e-8",
    )


def run(quick: bool = False) -> list[Row]:
    warnings.filterwarnings("ignore")
    rows = closed_rows(quick)
    rows.append(open_row(quick))
    rows.append(time_dependent_row(quick))
    return rows
