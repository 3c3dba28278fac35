//! Oracles for `sesolve` / `mesolve`: the reference values of shared/notes/hamiltonian_anchors.md
//! §3 (TFIM magnetizations, computed there with scipy expm_multiply and exact diagonalisation),
//! and the analytic results of §5 (Rabi, Landau–Zener, free-fermion ground energies).

use neuroquant::control::Control;
use neuroquant::quantum::*;

/// H = −J Σ Z_i Z_{i+1} − h Σ X_i (open, or periodic with the (N−1, 0) bond).
fn tfim(n: usize, j: f64, h: f64, periodic: bool) -> PauliSum {
    let mut s = PauliSum::new(n).unwrap();
    for i in 0..n - 1 {
        s.add_term("ZZ", &[i, i + 1], -j).unwrap();
    }
    if periodic {
        s.add_term("ZZ", &[n - 1, 0], -j).unwrap();
    }
    s.add_per_site("X", &vec![-h; n]).unwrap();
    s
}

/// M = Σ Z_i / N.
fn magnetization(n: usize) -> Operator {
    let mut m = PauliSum::new(n).unwrap();
    m.add_per_site("Z", &vec![1.0 / n as f64; n]).unwrap();
    Operator::from_pauli(&m, Storage::MatrixFree).unwrap()
}

fn tlist() -> Vec<f64> {
    (0..=100).map(|k| k as f64 * 0.1).collect()
}

fn assert_reference(r: &SolveResult, reference: &[(usize, f64)], tol: f64) {
    for &(k, want) in reference {
        let got = r.expect[0][k].re;
        assert!(
            (got - want).abs() <= tol,
            "M(t={}) = {got:.12}, reference {want:.10} (tolerance {tol:e})",
            r.times[k]
        );
    }
}

const CLOSED_10: [(usize, f64); 5] = [
    (0, 1.0),
    (10, 0.2599592331),
    (20, 0.0348662309),
    (50, 0.0006422246),
    (100, -0.2801058124),
];
const CLOSED_14: [(usize, f64); 5] = [
    (0, 1.0),
    (10, 0.2837838705),
    (20, 0.0524745328),
    (50, 0.0004780486),
    (100, 0.0000804321),
];
const DEPHASED_8: [(usize, f64); 5] = [
    (0, 1.0),
    (10, 0.2637801308),
    (20, 0.0442841752),
    (50, 0.0009557490),
    (100, -0.0002319733),
];

// The references are printed to 1e-10, so "≤ 1e-8" leaves 5e-11 of their own rounding.
const TOL: f64 = 1e-8;

#[test]
fn tfim_closed_n10_every_method_and_storage() {
    let psi0 = ket_basis(1 << 10, 0).unwrap();
    let o = SolverOptions::default();
    for storage in [Storage::MatrixFree, Storage::Csr, Storage::Dense] {
        let h = Hamiltonian::new(Operator::from_pauli(&tfim(10, 1.0, 1.0, false), storage).unwrap()).unwrap();
        let methods: &[Method] = if storage == Storage::MatrixFree {
            &[Method::Krylov, Method::Diag]
        } else {
            &[Method::Krylov]
        };
        for &method in methods {
            let r = sesolve(
                &h,
                &psi0,
                &tlist(),
                &[magnetization(10)],
                &o.clone().method(method),
                &Control::default(),
            )
            .unwrap();
            assert_reference(&r, &CLOSED_10, TOL);
            assert_eq!(r.method, method);
        }
    }
    // The ODE path too (time-independent H through DOP853 at tight tolerances).
    let h = Hamiltonian::new(Operator::from_pauli(&tfim(10, 1.0, 1.0, false), Storage::MatrixFree).unwrap())
        .unwrap();
    let r = sesolve(
        &h,
        &psi0,
        &tlist(),
        &[magnetization(10)],
        &o.clone().method(Method::Dop853).atol(1e-12).rtol(1e-12),
        &Control::default(),
    )
    .unwrap();
    assert_reference(&r, &CLOSED_10, TOL);
}

#[test]
fn tfim_closed_n14_krylov() {
    let h = Hamiltonian::new(Operator::from_pauli(&tfim(14, 1.0, 1.0, false), Storage::MatrixFree).unwrap())
        .unwrap();
    let psi0 = ket_basis(1 << 14, 0).unwrap();
    let r = sesolve(
        &h,
        &psi0,
        &tlist(),
        &[magnetization(14)],
        &SolverOptions::default(),
        &Control::default(),
    )
    .unwrap();
    assert_reference(&r, &CLOSED_14, TOL);
    assert!(
        r.states.is_none(),
        "states are not stored when e_ops are given (QuTiP's rule)"
    );
    let norm: f64 = r.final_state.iter().map(|a| a.norm_sqr()).sum();
    assert!((norm - 1.0).abs() < 1e-10, "norm drift {:e}", norm - 1.0);
}

#[test]
fn tfim_dephased_n8_mesolve() {
    let n = 8;
    let h = Hamiltonian::new(Operator::from_pauli(&tfim(n, 1.0, 1.0, false), Storage::MatrixFree).unwrap())
        .unwrap();
    let c_ops: Vec<Operator> = (0..n)
        .map(|i| {
            let mut z = PauliSum::new(n).unwrap();
            z.add_term("Z", &[i], 0.1f64.sqrt()).unwrap();
            Operator::from_pauli(&z, Storage::MatrixFree).unwrap()
        })
        .collect();
    let rho0 = ket2dm(&ket_basis(1 << n, 0).unwrap());
    let r = mesolve(
        &h,
        &rho0,
        &tlist(),
        &c_ops,
        &[magnetization(n)],
        &SolverOptions::default(),
        &Control::default(),
    )
    .unwrap();
    assert_reference(&r, &DEPHASED_8, TOL);
    let d = 1 << n;
    let trace: f64 = (0..d).map(|i| r.final_state[i * d + i].re).sum();
    assert!((trace - 1.0).abs() < 1e-10, "trace drift {:e}", trace - 1.0);
}

#[test]
fn dephasing_through_every_jump_path_agrees() {
    // The same dephasing as a matrix-free Pauli (diagonal mask), a CSR diagonal, and a dense
    // operator taken as a general jump (two sparse products): one answer.
    let n = 3;
    let h = Hamiltonian::new(Operator::from_pauli(&tfim(n, 1.0, 0.7, false), Storage::MatrixFree).unwrap())
        .unwrap();
    let rho0 = ket2dm(&ket_basis(1 << n, 0).unwrap());
    let t: Vec<f64> = (0..=20).map(|k| k as f64 * 0.25).collect();
    let run = |storage: Storage, flip: bool| {
        let c: Vec<Operator> = (0..n)
            .map(|i| {
                let mut z = PauliSum::new(n).unwrap();
                z.add_term(if flip { "X" } else { "Z" }, &[i], 0.3).unwrap();
                Operator::from_pauli(&z, storage).unwrap()
            })
            .collect();
        mesolve(
            &h,
            &rho0,
            &t,
            &c,
            &[magnetization(n)],
            &SolverOptions::default(),
            &Control::default(),
        )
        .unwrap()
        .expect[0]
            .clone()
    };
    for flip in [false, true] {
        let a = run(Storage::MatrixFree, flip);
        let b = run(Storage::Csr, flip);
        let c = run(Storage::Dense, flip);
        for k in 0..t.len() {
            assert!(
                (a[k] - b[k]).norm() < 1e-9 && (a[k] - c[k]).norm() < 1e-9,
                "flip={flip} t={} {} {} {}",
                t[k],
                a[k],
                b[k],
                c[k]
            );
        }
    }
}

#[test]
fn time_dependent_cos_field_n10() {
    // H(t) = −Σ ZZ − cos(t) Σ X; references M(5) = 0.1991665123, M(10) = 0.0138468789.
    let n = 10;
    let h0 = Operator::from_pauli(&tfim(n, 1.0, 0.0, false), Storage::MatrixFree).unwrap();
    let mut x = PauliSum::new(n).unwrap();
    x.add_per_site("X", &vec![-1.0; n]).unwrap();
    let x = Operator::from_pauli(&x, Storage::MatrixFree).unwrap();
    let psi0 = ket_basis(1 << n, 0).unwrap();
    let t = tlist();
    let samples: Vec<C64> = t.iter().map(|&s| C64::new(s.cos(), 0.0)).collect();
    for (coef, method, tol) in [
        (Coefficient::real(f64::cos), Method::Dop853, 1e-8),
        (Coefficient::real(f64::cos), Method::Tsit5, 1e-6),
        // A cubic spline through cos on the 0.1 grid is itself off by ~1e-6.
        (
            Coefficient::sampled(&t, &samples, 3).unwrap(),
            Method::Dop853,
            2e-5,
        ),
    ] {
        let h = Hamiltonian::new(h0.clone())
            .unwrap()
            .with_term(x.clone(), coef)
            .unwrap();
        let r = sesolve(
            &h,
            &psi0,
            &t,
            &[magnetization(n)],
            &SolverOptions::default().method(method),
            &Control::default(),
        )
        .unwrap();
        assert!(
            (r.expect[0][50].re - 0.1991665123).abs() < tol,
            "{method:?} M(5) = {}",
            r.expect[0][50].re
        );
        assert!(
            (r.expect[0][100].re - 0.0138468789).abs() < tol,
            "{method:?} M(10) = {}",
            r.expect[0][100].re
        );
    }
}

fn qubit_op(s: &str, c: f64) -> PauliSum {
    let mut p = PauliSum::new(1).unwrap();
    p.add_term(s, &[0], c).unwrap();
    p
}

/// Rabi's qubit, H = Δ/2 σz + Ω/2 σx with Ω = 1, Δ = 0.5 (matrix-free), and P1 = (I − σz)/2.
fn rabi() -> (Hamiltonian, Operator) {
    let mut hs = qubit_op("Z", RABI_DELTA / 2.0);
    hs.add_term("X", &[0], RABI_OMEGA / 2.0).unwrap();
    let h = Hamiltonian::new(Operator::from_pauli(&hs, Storage::MatrixFree).unwrap()).unwrap();
    let mut p1 = qubit_op("I", 0.5);
    p1.add_term("Z", &[0], -0.5).unwrap();
    (h, Operator::from_pauli(&p1, Storage::Csr).unwrap())
}

const RABI_OMEGA: f64 = 1.0;
const RABI_DELTA: f64 = 0.5;

/// P1(t) from |0⟩ under [`rabi`]: Ω²/(Ω²+Δ²) sin²(√(Ω²+Δ²) t/2).
fn rabi_p1(t: f64) -> f64 {
    let w2 = RABI_OMEGA * RABI_OMEGA + RABI_DELTA * RABI_DELTA;
    RABI_OMEGA * RABI_OMEGA / w2 * (w2.sqrt() * t / 2.0).sin().powi(2)
}

#[test]
fn rabi_oscillation_to_1e10() {
    let t: Vec<f64> = (0..=200).map(|k| k as f64 * 0.1).collect();
    for method in [Method::Krylov, Method::Diag, Method::Dop853] {
        let o = SolverOptions::default().method(method).atol(1e-13).rtol(1e-13);
        rabi_within(&t, &o, 1e-10);
    }
}

/// Solves the Rabi problem (`rabi()` from |0⟩) at `t` with `o` and asserts P1 within `tol` of
/// the analytic curve at every output; returns the result.
fn rabi_within(t: &[f64], o: &SolverOptions, tol: f64) -> SolveResult {
    let (h, p1) = rabi();
    let r = sesolve(
        &h,
        &ket_basis(2, 0).unwrap(),
        t,
        std::slice::from_ref(&p1),
        o,
        &Control::default(),
    )
    .unwrap();
    for (k, &tk) in t.iter().enumerate() {
        let exact = rabi_p1(tk);
        assert!(
            (r.expect[0][k].re - exact).abs() < tol,
            "{:?} t={tk}: {} vs {exact}",
            o.method,
            r.expect[0][k].re
        );
    }
    r
}

#[test]
fn dop853_dense_output_between_steps() {
    // DOP853 steps over output times and fills them from its 7th-order dense output: 2001
    // outputs on [0, 20] in far fewer steps, each within 1e-9 of the analytic Rabi curve (the
    // outputs are not step ends, so a wrong interpolation coefficient shows at once).
    let t: Vec<f64> = (0..=2000).map(|k| k as f64 * 0.01).collect();
    let o = SolverOptions::default()
        .method(Method::Dop853)
        .atol(1e-11)
        .rtol(1e-11);
    let r = rabi_within(&t, &o, 1e-9);
    assert!(r.stats.steps < 200, "{} steps for 2000 outputs", r.stats.steps);
    assert_eq!(r.times, t);
    let norm: f64 = r.final_state.iter().map(|c| c.norm_sqr()).sum();
    assert!((norm - 1.0).abs() < 1e-10);
}

#[test]
fn landau_zener_window() {
    // H(t) = (v t/2) σz + (Δ/2) σx, v = 1, Δ = 0.5, t ∈ [−60, 60] from |0⟩: P(stay) = 0.6723622415.
    let h = Hamiltonian::new(Operator::from_pauli(&qubit_op("X", 0.25), Storage::Dense).unwrap())
        .unwrap()
        .with_term(
            Operator::from_pauli(&qubit_op("Z", 0.5), Storage::Dense).unwrap(),
            Coefficient::real(|t| t),
        )
        .unwrap();
    let mut p0 = qubit_op("I", 0.5);
    p0.add_term("Z", &[0], 0.5).unwrap();
    let p0 = Operator::from_pauli(&p0, Storage::Dense).unwrap();
    let r = sesolve(
        &h,
        &ket_basis(2, 0).unwrap(),
        &[-60.0, 60.0],
        &[p0],
        &SolverOptions::default().atol(1e-12).rtol(1e-12),
        &Control::default(),
    )
    .unwrap();
    assert!(
        (r.expect[0][1].re - 0.6723622415).abs() < 1e-7,
        "{}",
        r.expect[0][1].re
    );
    // and the asymptotic formula exp(−πΔ²/(2v)) to the finite-window accuracy
    assert!((r.expect[0][1].re - (-std::f64::consts::PI * 0.25 / 2.0).exp()).abs() < 5e-3);
}

#[test]
fn tfim_free_fermion_ground_energies() {
    let cases = [
        (10, 1.0, false, -12.381489999655),
        (8, 2.0, false, -16.885141493),
        (10, 1.0, true, -12.784906443),
        (8, 2.0, true, -17.018164470),
    ];
    for (n, h, periodic, e0) in cases {
        let op = Operator::from_pauli(&tfim(n, 1.0, h, periodic), Storage::Csr).unwrap();
        let (w, _) = op.eigh().unwrap();
        // The printed references carry 9–12 decimals; the closed forms themselves are exact.
        let exact = free_fermion_e0(n, 1.0, h, periodic);
        assert!(
            (w[0] - exact).abs() < 1e-10,
            "n={n} h={h} periodic={periodic}: {} vs {exact}",
            w[0]
        );
        assert!(
            (exact - e0).abs() < 1e-8,
            "closed form {exact} vs the notes' {e0}"
        );
    }
}

/// Periodic, N even: −Σ_m √(J² + h² − 2Jh cos k_m), k_m = (2m−1)π/N. Open: −Σ singular values
/// of the bidiagonal (h on the diagonal, J above), from the eigenvalues of BᵀB.
fn free_fermion_e0(n: usize, j: f64, h: f64, periodic: bool) -> f64 {
    if periodic {
        -(1..=n)
            .map(|m| {
                (j * j + h * h - 2.0 * j * h * ((2 * m - 1) as f64 * std::f64::consts::PI / n as f64).cos())
                    .sqrt()
            })
            .sum::<f64>()
    } else {
        // BᵀB is tridiagonal: diag h² (+ J² from the second row on), off-diagonal hJ.
        let mut s = PauliSum::new(1).unwrap(); // unused: keep the helper independent of the code under test
        let _ = &mut s;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i * n + i] = h * h + if i > 0 { j * j } else { 0.0 };
            if i + 1 < n {
                a[i * n + i + 1] = h * j;
                a[(i + 1) * n + i] = h * j;
            }
        }
        -jacobi_eigenvalues(n, a)
            .iter()
            .map(|l| l.max(0.0).sqrt())
            .sum::<f64>()
    }
}

/// Cyclic Jacobi for a real symmetric matrix: an independent, slow eigenvalue solver.
fn jacobi_eigenvalues(n: usize, mut a: Vec<f64>) -> Vec<f64> {
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&k| k != i).map(move |k| (i, k)))
            .map(|(i, k)| a[i * n + k].powi(2))
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
            }
        }
    }
    (0..n).map(|i| a[i * n + i]).collect()
}

#[test]
fn norm_drift_over_100_time_units() {
    let h = Hamiltonian::new(Operator::from_pauli(&tfim(8, 1.0, 1.0, false), Storage::MatrixFree).unwrap())
        .unwrap();
    let psi0 = ket_basis(1 << 8, 0).unwrap();
    // Krylov at its defaults; the ODE methods (not norm-preserving by construction) at tight
    // tolerances, where their drift per 100 time units stays below 1e-10 too.
    for (method, tol) in [
        (Method::Krylov, 1e-10),
        (Method::Dop853, 1e-13),
        (Method::Tsit5, 1e-13),
    ] {
        let o = SolverOptions::default().method(method).atol(tol).rtol(tol);
        let r = sesolve(&h, &psi0, &[0.0, 100.0], &[], &o, &Control::default()).unwrap();
        let norm: f64 = r.final_state.iter().map(|a| a.norm_sqr()).sum::<f64>().sqrt();
        assert!(
            (norm - 1.0).abs() < 1e-10,
            "{method:?}: ‖ψ‖ − 1 = {:e}",
            norm - 1.0
        );
    }
}
