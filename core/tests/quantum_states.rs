//! Metrics, coherence, channels, annealing, oscillators, batches, bad input and the container
//! kinds of the quantum area, against the closed forms of shared/notes/hamiltonian_anchors.md
//! §1.6, §4 and §5.

use neuroquant::ErrorKind;
use neuroquant::anneal::Sampler;
use neuroquant::control::Control;
use neuroquant::quantum::*;
use neuroquant::qubo::{Bqm, Vartype};
use std::f64::consts::{FRAC_1_SQRT_2, LN_2, PI};

fn c(re: f64) -> C64 {
    C64::new(re, 0.0)
}

fn dm(entries: &[f64]) -> Vec<C64> {
    entries.iter().map(|&x| c(x)).collect()
}

fn ket(s: &[C64]) -> QState<'_> {
    QState::new("a", s, s.len()).unwrap()
}

#[test]
fn metrics_match_qutips_documented_values() {
    let zero = [c(1.0), c(0.0)];
    let one = [c(0.0), c(1.0)];
    let plus = [c(FRAC_1_SQRT_2), c(FRAC_1_SQRT_2)];
    assert!((fidelity(ket(&zero), ket(&plus)).unwrap() - FRAC_1_SQRT_2).abs() < 1e-8);
    assert!((fidelity_squared(ket(&zero), ket(&plus)).unwrap() - 0.5).abs() < 1e-12);
    let a = dm(&[0.75, 0.0, 0.0, 0.25]);
    let b = dm(&[0.5, 0.0, 0.0, 0.5]);
    let (qa, qb) = (QState::new("a", &a, 2).unwrap(), QState::new("b", &b, 2).unwrap());
    assert!((fidelity(qa, qb).unwrap() - ((3.0f64 / 8.0).sqrt() + (1.0f64 / 8.0).sqrt())).abs() < 1e-12);
    assert!((tracedist(ket(&zero), ket(&plus)).unwrap() - FRAC_1_SQRT_2).abs() < 1e-12);
    assert!((tracedist(ket(&zero), ket(&one)).unwrap() - 1.0).abs() < 1e-12);
    assert!((hilbert_dist(ket(&zero), ket(&one)).unwrap() - 2.0).abs() < 1e-12);
    assert!((hilbert_dist(qa, qb).unwrap() - 0.125).abs() < 1e-12);
    let f = fidelity(qa, qb).unwrap();
    assert!((bures_dist(qa, qb).unwrap() - (2.0 * (1.0 - f)).sqrt()).abs() < 1e-12);
    assert!((bures_angle(qa, qb).unwrap() - f.acos()).abs() < 1e-12);
    // Mixed arguments: a ket against a density matrix.
    let pd = ket2dm(&plus);
    assert!((fidelity(ket(&zero), QState::new("b", &pd, 2).unwrap()).unwrap() - FRAC_1_SQRT_2).abs() < 1e-12);
    // Entropies and purity.
    let half = QState::new("rho", &b, 2).unwrap();
    assert!((entropy_vn(half, std::f64::consts::E).unwrap() - LN_2).abs() < 1e-12);
    assert!((entropy_vn(half, 2.0).unwrap() - 1.0).abs() < 1e-12);
    assert!(entropy_vn(ket(&plus), 2.0).unwrap().abs() < 1e-12);
    let quarter: Vec<C64> = (0..16).map(|k| c(if k % 5 == 0 { 0.25 } else { 0.0 })).collect();
    let q4 = QState::new("rho", &quarter, 4).unwrap();
    assert!((purity(q4).unwrap() - 0.25).abs() < 1e-12);
    assert!((entropy_linear(q4).unwrap() - 0.75).abs() < 1e-12);
    assert!(entropy_vn(half, 1.0).is_err());
}

#[test]
fn concurrence_of_bell_and_werner_states() {
    let s = FRAC_1_SQRT_2;
    let bell = [c(s), c(0.0), c(0.0), c(s)];
    assert!((concurrence(ket(&bell)).unwrap() - 1.0).abs() < 1e-12);
    let phi = ket2dm(&bell);
    for p in [0.2, 0.5, 0.7, 1.0] {
        let w: Vec<C64> = (0..16)
            .map(|k| phi[k] * p + if k % 5 == 0 { c((1.0 - p) / 4.0) } else { c(0.0) })
            .collect();
        let got = concurrence(QState::new("rho", &w, 4).unwrap()).unwrap();
        assert!(
            (got - ((3.0 * p - 1.0) / 2.0).max(0.0)).abs() < 1e-10,
            "p={p}: {got}"
        );
    }
    let product = [c(1.0), c(0.0), c(0.0), c(0.0)];
    assert!(concurrence(ket(&product)).unwrap().abs() < 1e-12);
    assert!(concurrence(ket(&[c(1.0), c(0.0)])).is_err());
}

#[test]
fn coherence_of_standard_states() {
    let plus = [c(FRAC_1_SQRT_2), c(FRAC_1_SQRT_2)];
    assert!((coherence_l1(ket(&plus)).unwrap() - 1.0).abs() < 1e-12);
    assert!((coherence_relative_entropy(ket(&plus), std::f64::consts::E).unwrap() - LN_2).abs() < 1e-12);
    assert!((coherence_relative_entropy(ket(&plus), 2.0).unwrap() - 1.0).abs() < 1e-12);
    for d in [2usize, 3, 4, 8] {
        let psi = vec![c(1.0 / (d as f64).sqrt()); d];
        assert!((coherence_l1(ket(&psi)).unwrap() - (d - 1) as f64).abs() < 1e-12);
        assert!(
            (coherence_relative_entropy(ket(&psi), std::f64::consts::E).unwrap() - (d as f64).ln()).abs()
                < 1e-12
        );
        assert!((robustness_of_coherence(ket(&psi)).unwrap() - (d - 1) as f64).abs() < 1e-12);
        let r = ket2dm(&psi);
        assert!((coherence_l1(QState::new("rho", &r, d).unwrap()).unwrap() - (d - 1) as f64).abs() < 1e-12);
        let mixed: Vec<C64> = (0..d * d)
            .map(|k| c(if k % (d + 1) == 0 { 1.0 / d as f64 } else { 0.0 }))
            .collect();
        let m = QState::new("rho", &mixed, d).unwrap();
        assert_eq!(coherence_l1(m).unwrap(), 0.0);
        assert!(coherence_relative_entropy(m, 2.0).unwrap().abs() < 1e-12);
    }
    let theta: f64 = 0.7;
    let q = [c((theta / 2.0).cos()), c((theta / 2.0).sin())];
    assert!((coherence_l1(ket(&q)).unwrap() - 0.6442176872).abs() < 1e-10);
    assert!((coherence_relative_entropy(ket(&q), std::f64::consts::E).unwrap() - 0.3620732142).abs() < 1e-10);
    // A mixed qubit: robustness = l1; visibility = 2|ρ01| = l1; P² + V² < 1 (mixed), = 1 (pure).
    let r = vec![c(0.7), C64::new(0.1, 0.2), C64::new(0.1, -0.2), c(0.3)];
    let qr = QState::new("rho", &r, 2).unwrap();
    let l1 = coherence_l1(qr).unwrap();
    assert!((robustness_of_coherence(qr).unwrap() - l1).abs() < 1e-15);
    assert!((visibility(qr, 0, 1).unwrap() - l1).abs() < 1e-15);
    let (v, p) = (visibility(qr, 0, 1).unwrap(), predictability(qr, 0, 1).unwrap());
    assert!(v * v + p * p < 1.0 - 1e-3);
    let (v, p) = (
        visibility(ket(&q), 0, 1).unwrap(),
        predictability(ket(&q), 0, 1).unwrap(),
    );
    assert!((v * v + p * p - 1.0).abs() < 1e-12);
    // Robustness of a mixed qutrit has no closed form: an error, not a guess.
    let mixed3 = vec![
        c(0.5),
        c(0.1),
        c(0.0),
        c(0.1),
        c(0.3),
        c(0.0),
        c(0.0),
        c(0.0),
        c(0.2),
    ];
    let e = robustness_of_coherence(QState::new("rho", &mixed3, 3).unwrap()).unwrap_err();
    assert!(e.to_string().contains("closed form"), "{e}");
    assert!((visibility_from_intensities(3.0, 1.0).unwrap() - 0.5).abs() < 1e-15);
    assert!(visibility_from_intensities(1.0, 2.0).is_err());
}

fn bloch(r: &[C64]) -> [f64; 3] {
    [2.0 * r[1].re, -2.0 * r[1].im, r[0].re - r[3].re]
}

#[test]
fn channels_closed_forms_and_trace_preservation() {
    // A generic qubit state with Bloch vector (x, y, z).
    let (x, y, z) = (0.3, -0.4, 0.5);
    let rho = vec![
        c((1.0 + z) / 2.0),
        C64::new(x / 2.0, -y / 2.0),
        C64::new(x / 2.0, y / 2.0),
        c((1.0 - z) / 2.0),
    ];
    let p = 0.2;
    let cases: Vec<(Channel, [f64; 3])> = vec![
        (
            Channel::dephasing(p).unwrap(),
            [(1.0 - 2.0 * p) * x, (1.0 - 2.0 * p) * y, z],
        ),
        (
            Channel::phase_damping(p).unwrap(),
            [(1.0 - p).sqrt() * x, (1.0 - p).sqrt() * y, z],
        ),
        (
            Channel::amplitude_damping(p).unwrap(),
            [(1.0 - p).sqrt() * x, (1.0 - p).sqrt() * y, p + (1.0 - p) * z],
        ),
        (
            Channel::depolarizing(p, DepolarizingConvention::MaximallyMixed).unwrap(),
            [(1.0 - p) * x, (1.0 - p) * y, (1.0 - p) * z],
        ),
        (
            Channel::depolarizing(p, DepolarizingConvention::NielsenChuang).unwrap(),
            [
                (1.0 - 4.0 * p / 3.0) * x,
                (1.0 - 4.0 * p / 3.0) * y,
                (1.0 - 4.0 * p / 3.0) * z,
            ],
        ),
    ];
    for (ch, want) in cases {
        assert!(ch.completeness_deviation() < 1e-14, "{ch:?}");
        let mut r = rho.clone();
        ch.apply(&mut r, 1, 0).unwrap();
        let got = bloch(&r);
        for k in 0..3 {
            assert!((got[k] - want[k]).abs() < 1e-14, "{ch:?}: {got:?} vs {want:?}");
        }
        assert!((r[0].re + r[3].re - 1.0).abs() < 1e-14);
    }
    // On qubit 1 of two: the other qubit's marginal is untouched, trace kept.
    let psi = [c(0.5), c(0.5), C64::new(0.0, 0.5), c(-0.5)];
    let mut r2 = ket2dm(&psi);
    let before = partial_trace(&r2, 2, &[0]).unwrap();
    Channel::amplitude_damping(0.3)
        .unwrap()
        .apply(&mut r2, 2, 1)
        .unwrap();
    let after = partial_trace(&r2, 2, &[0]).unwrap();
    for k in 0..4 {
        assert!((before[k] - after[k]).norm() < 1e-14);
    }
    // T1/T2: ρ11 e^{−t/T1}, |ρ01| e^{−t/T2}; and the Lindblad operators give the same.
    let (t1, t2, t) = (2.0, 1.5, 0.8);
    let plus1 = ket2dm(&[c(0.6), c(0.8)]);
    let mut r = plus1.clone();
    Channel::t1_t2(t1, t2, t).unwrap().apply(&mut r, 1, 0).unwrap();
    assert!((r[3].re - 0.64 * (-t / t1).exp()).abs() < 1e-14);
    assert!((r[1].norm() - 0.48 * (-t / t2).exp()).abs() < 1e-14);
    let c_ops = t1_t2_lindblad(t1, t2, 1, 0).unwrap();
    let zero_h =
        Hamiltonian::new(Operator::from_pauli(&PauliSum::new(1).unwrap(), Storage::MatrixFree).unwrap())
            .unwrap();
    let m = mesolve(
        &zero_h,
        &plus1,
        &[0.0, t],
        &c_ops,
        &[],
        &SolverOptions::default(),
        &Control::default(),
    )
    .unwrap();
    for (k, (got, want)) in m.final_state.iter().zip(&r).enumerate().take(4) {
        assert!((got - want).norm() < 1e-9, "{k}: {} vs {}", got, want);
    }
    assert!(
        Channel::t1_t2(1.0, 2.5, 0.1)
            .unwrap_err()
            .to_string()
            .contains("t2")
    );
    assert!(Channel::dephasing(1.5).is_err());
    assert!(Channel::from_kraus(vec![[c(1.0), c(0.0), c(0.0), c(0.5)]]).is_err());
}

#[test]
fn states_tensor_partial_trace_expectation() {
    let a = [c(0.6), c(0.8)];
    let b = [c(FRAC_1_SQRT_2), C64::new(0.0, FRAC_1_SQRT_2)];
    let ab = tensor(&a, &b, false).unwrap();
    assert!((ab[1] - C64::new(0.0, 0.6 * FRAC_1_SQRT_2)).norm() < 1e-15); // |0⟩⊗|1⟩ = index 1
    let rho = tensor(&ket2dm(&a), &ket2dm(&b), true).unwrap();
    let direct = ket2dm(&ab);
    for k in 0..16 {
        assert!((rho[k] - direct[k]).norm() < 1e-15);
    }
    let ra = partial_trace(&ab, 2, &[0]).unwrap();
    let rb = partial_trace(&rho, 2, &[1]).unwrap();
    for k in 0..4 {
        assert!((ra[k] - ket2dm(&a)[k]).norm() < 1e-15 && (rb[k] - ket2dm(&b)[k]).norm() < 1e-15);
    }
    // ⟨Z⊗I⟩ = 0.36 − 0.64 through the operator, ket and density matrix alike.
    let mut z = PauliSum::new(2).unwrap();
    z.add_term("Z", &[0], 1.0).unwrap();
    let z = Operator::from_pauli(&z, Storage::MatrixFree).unwrap();
    assert!((z.expect(&ab).unwrap().re + 0.28).abs() < 1e-15);
    assert!((z.expect(&rho).unwrap().re + 0.28).abs() < 1e-15);
    let mut v = vec![c(3.0), c(4.0)];
    normalize(&mut v, false).unwrap();
    assert!((v[0].re - 0.6).abs() < 1e-15);
    assert!(normalize(&mut [c(0.0)], false).is_err());
    assert!(partial_trace(&ab, 2, &[0, 0]).is_err());
}

#[test]
fn operators_agree_across_storages_and_the_bqm_bridge() {
    // A Pauli sum with X, Y, Z strings: CSR, dense and matrix-free apply the same matrix, and
    // that matrix is the Kronecker product built by hand.
    let mut s = PauliSum::new(3).unwrap();
    s.add_term("XY", &[0, 2], 0.7).unwrap();
    s.add_term("ZZ", &[1, 2], -1.1).unwrap();
    s.add_term("Y", &[1], C64::new(0.3, 0.0)).unwrap();
    s.add_string("ZIX", 0.4).unwrap();
    s.add_term("X", &[1], -0.25).unwrap(); // a pure bit-flip group (the kernel's constant path)
    let ops: Vec<Operator> = [Storage::MatrixFree, Storage::Csr, Storage::Dense]
        .iter()
        .map(|&st| Operator::from_pauli(&s, st).unwrap())
        .collect();
    let x: Vec<C64> = (0..8)
        .map(|k| C64::new(k as f64 * 0.1 - 0.3, 0.05 * k as f64))
        .collect();
    let kron = |ps: [&str; 3]| -> Vec<C64> {
        let m = |p: &str| -> [C64; 4] {
            match p {
                "I" => [c(1.0), c(0.0), c(0.0), c(1.0)],
                "X" => [c(0.0), c(1.0), c(1.0), c(0.0)],
                "Y" => [c(0.0), C64::new(0.0, -1.0), C64::new(0.0, 1.0), c(0.0)],
                _ => [c(1.0), c(0.0), c(0.0), c(-1.0)],
            }
        };
        let (a, b, d) = (m(ps[0]), m(ps[1]), m(ps[2]));
        let mut out = vec![c(0.0); 64];
        for i in 0..8 {
            for j in 0..8 {
                let bit = |v: usize, k: usize| (v >> (2 - k)) & 1;
                out[i * 8 + j] = a[bit(i, 0) * 2 + bit(j, 0)]
                    * b[bit(i, 1) * 2 + bit(j, 1)]
                    * d[bit(i, 2) * 2 + bit(j, 2)];
            }
        }
        out
    };
    let mut want = vec![c(0.0); 64];
    for (ps, coef) in [
        (["X", "I", "Y"], 0.7),
        (["I", "Z", "Z"], -1.1),
        (["I", "Y", "I"], 0.3),
        (["Z", "I", "X"], 0.4),
        (["I", "X", "I"], -0.25),
    ] {
        for (w, v) in want.iter_mut().zip(kron(ps)) {
            *w += v * coef;
        }
    }
    for op in &ops {
        assert!(op.is_hermitian());
        let mut y = vec![c(0.0); 8];
        op.apply(&x, &mut y).unwrap();
        for i in 0..8 {
            let e: C64 = (0..8).map(|j| want[i * 8 + j] * x[j]).sum();
            assert!((y[i] - e).norm() < 1e-14, "{:?} row {i}", op.storage());
        }
    }
    let mut nh = PauliSum::new(1).unwrap();
    nh.add_term("X", &[0], C64::new(0.0, 1.0)).unwrap();
    assert!(!nh.is_hermitian(1e-12));
    let nh = Operator::from_pauli(&nh, Storage::Csr).unwrap();
    assert_eq!(
        Hamiltonian::new(nh).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    // The Ising Hamiltonian of a Bqm: ⟨b|H|b⟩ = E(sample b) − offset.
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    bqm.add_linear(0, 1.5).unwrap();
    bqm.add_linear(2, -0.5).unwrap();
    bqm.add_quadratic(0, 1, -2.0).unwrap();
    bqm.add_quadratic(1, 2, 3.0).unwrap();
    bqm.set_offset(0.25).unwrap();
    let mut spin = bqm.clone();
    spin.change_vartype(Vartype::Spin).unwrap();
    let h = Operator::from_pauli(&PauliSum::from_bqm(&bqm).unwrap(), Storage::MatrixFree).unwrap();
    let d = h.diagonal();
    for (b, db) in d.iter().enumerate().take(8) {
        let sample: Vec<i8> = (0..3)
            .map(|q| if (b >> (2 - q)) & 1 == 0 { 1 } else { 0 })
            .collect();
        let e = bqm.energy(&sample).unwrap() - spin.offset();
        assert!((db.re - e).abs() < 1e-12, "b={b}: {} vs {e}", db.re);
    }
}

#[test]
fn quantum_annealing_of_a_small_bqm() {
    // A frustrated 4-spin model with a unique ground state; ExactSolver gives its energy.
    let mut bqm = Bqm::with_variables(Vartype::Spin, 4).unwrap();
    for (u, v, j) in [(0, 1, 1.0), (1, 2, -0.5), (2, 3, 1.0), (0, 3, -1.0), (0, 2, 0.5)] {
        bqm.add_quadratic(u, v, j).unwrap();
    }
    bqm.add_linear(0, 0.3).unwrap();
    let exact = neuroquant::anneal::ExactSolver::default().sample(&bqm).unwrap();
    let e_min = exact.energies().iter().copied().fold(f64::INFINITY, f64::min);
    let lin = AnnealSchedule::Linear { scale: 1.0 };
    let slow = anneal_bqm(&bqm, &lin, 200.0, &SolverOptions::default(), &Control::default()).unwrap();
    assert!((slow.ground_energy - e_min).abs() < 1e-12);
    assert!(
        slow.ground_state_probability > 0.95,
        "{}",
        slow.ground_state_probability
    );
    let total: f64 = slow.probabilities.iter().sum();
    assert!((total - 1.0).abs() < 1e-8, "{total}");
    // Sudden limit: the state stays |+…+⟩, every z-string has probability 2^-n.
    let sudden = anneal_bqm(&bqm, &lin, 1e-6, &SolverOptions::default(), &Control::default()).unwrap();
    for p in &sudden.probabilities {
        assert!((p - 1.0 / 16.0).abs() < 1e-6);
    }
    // A slower anneal is closer to adiabatic.
    let medium = anneal_bqm(&bqm, &lin, 5.0, &SolverOptions::default(), &Control::default()).unwrap();
    assert!(medium.ground_state_probability < slow.ground_state_probability);
    // Tabulated schedule equal to the linear one gives the same answer.
    let table = AnnealSchedule::Table {
        s: vec![0.0, 1.0],
        a: vec![1.0, 0.0],
        b: vec![0.0, 1.0],
    };
    let t = anneal_bqm(&bqm, &table, 5.0, &SolverOptions::default(), &Control::default()).unwrap();
    assert!((t.ground_state_probability - medium.ground_state_probability).abs() < 1e-9);
    assert!(anneal_bqm(&bqm, &lin, -1.0, &SolverOptions::default(), &Control::default()).is_err());
}

#[test]
fn kuramoto_two_oscillators_lock_at_arcsin() {
    // dφ/dt = Δω − K sin φ for φ = θ2 − θ1: locks at φ* = arcsin(Δω/K) when |Δω| ≤ K.
    let mut k = Kuramoto::new(vec![0.0, 0.5], 1.0, vec![0.0, 0.0], None).unwrap();
    let tr = k.run(0.01, 5000, 100, &Control::default()).unwrap();
    let phi = k.phases[1] - k.phases[0];
    assert!((phi - 0.5f64.asin()).abs() < 1e-8, "{phi}");
    assert!((tr.order.last().unwrap() - (0.5 * 0.5f64.asin()).cos()).abs() < 1e-8);
    assert_eq!(tr.times.len(), 51);
    // Uncoupled: free rotation, exactly θ(0) + ω t.
    let mut free = Kuramoto::new(vec![1.0, -2.0, 0.5], 0.0, vec![0.1, 0.2, 0.3], None).unwrap();
    free.run(0.1, 100, 10, &Control::default()).unwrap();
    for (p, w, p0) in [
        (free.phases[0], 1.0, 0.1),
        (free.phases[1], -2.0, 0.2),
        (free.phases[2], 0.5, 0.3),
    ] {
        assert!((p - (p0 + w * 10.0)).abs() < 1e-10);
    }
    // The adjacency form with all-ones equals the mean-field form.
    let w = vec![0.3, -0.2, 0.1, 0.4];
    let th = vec![0.0, 1.0, 2.0, 3.0];
    let mut a = Kuramoto::new(w.clone(), 2.0, th.clone(), None).unwrap();
    let mut b = Kuramoto::new(w, 2.0, th, Some(vec![1.0; 16])).unwrap();
    a.run(0.01, 300, 300, &Control::default()).unwrap();
    b.run(0.01, 300, 300, &Control::default()).unwrap();
    for i in 0..4 {
        assert!((a.phases[i] - b.phases[i]).abs() < 1e-12);
    }
    assert!(Kuramoto::new(vec![], 1.0, vec![], None).is_err());
    assert!(Kuramoto::new(vec![1.0], 1.0, vec![f64::NAN], None).is_err());
}

#[test]
fn kuramoto_stop_keeps_the_steps_done_and_says_so() {
    let mut k = Kuramoto::new(vec![0.0, 0.5], 1.0, vec![0.0, 0.0], None).unwrap();
    assert!(!k.run(0.01, 10, 5, &Control::default()).unwrap().interrupted);
    let t0 = k.time;
    // Stopped before the first step: the initial record only, nothing advanced.
    let stop = || true;
    let tr = k
        .run(0.01, 1000, 10, &Control::default().with_interrupt(&stop))
        .unwrap();
    assert!(tr.interrupted);
    assert_eq!(tr.times, vec![t0]);
    assert_eq!(k.time, t0);
}

#[test]
fn phase_state_follows_its_stated_rules() {
    let mut s = PhaseState::new(2.0, 0.1, 0.9, 0.95).unwrap();
    s.evolve(1.0).unwrap();
    assert!((s.coherence - 0.9 * (-0.5f64).exp()).abs() < 1e-15);
    assert!((s.phase - 2.1).abs() < 1e-15);
    assert_eq!(s.uncertainty, 1.0);
    let before = s;
    assert!(s.evolve(-1.0).is_err());
    assert!(s.evolve(f64::NAN).is_err());
    assert_eq!(s, before);
    let b = PhaseState::new(1.0, 2.1 - PI / 3.0, 0.5, 0.0).unwrap();
    assert!((interference(&s, &b) - 0.5 * s.coherence * 0.5).abs() < 1e-12);
    assert!(PhaseState::new(0.0, 0.0, 0.5, 0.5).is_err());
    assert!(PhaseState::new(1.0, 0.0, 1.5, 0.5).is_err());
    let back = PhaseState::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(back, s);
}

fn tfim(n: usize) -> Hamiltonian {
    let mut s = PauliSum::new(n).unwrap();
    for i in 0..n - 1 {
        s.add_term("ZZ", &[i, i + 1], -1.0).unwrap();
    }
    s.add_per_site("X", &vec![-1.0; n]).unwrap();
    Hamiltonian::new(Operator::from_pauli(&s, Storage::MatrixFree).unwrap()).unwrap()
}

#[test]
fn batches_equal_lone_runs_and_threads_do_not_change_results() {
    // N = 16: vectors of 2^16 run the parallel kernels.
    let n = 16;
    let h = tfim(n);
    let mut z = PauliSum::new(n).unwrap();
    z.add_term("Z", &[0], 1.0).unwrap();
    let z = Operator::from_pauli(&z, Storage::MatrixFree).unwrap();
    let t = [0.0, 0.5, 1.0];
    let o = SolverOptions::default();
    let one = sesolve(
        &h,
        &ket_basis(1 << n, 0).unwrap(),
        &t,
        std::slice::from_ref(&z),
        &o,
        &Control::default().with_num_threads(1),
    )
    .unwrap();
    let two = sesolve(
        &h,
        &ket_basis(1 << n, 0).unwrap(),
        &t,
        std::slice::from_ref(&z),
        &o,
        &Control::default().with_num_threads(2),
    )
    .unwrap();
    assert_eq!(
        one.final_state, two.final_state,
        "bit-identical on 1 and 2 threads"
    );
    assert_eq!(one.expect, two.expect);
    let small = tfim(6);
    let mut z6 = PauliSum::new(6).unwrap();
    z6.add_term("Z", &[2], 1.0).unwrap();
    let z6 = Operator::from_pauli(&z6, Storage::MatrixFree).unwrap();
    let states: Vec<Vec<C64>> = (0..5).map(|b| ket_basis(64, b * 7).unwrap()).collect();
    let batch = sesolve_batch(
        &small,
        &states,
        &t,
        std::slice::from_ref(&z6),
        &o,
        &Control::default().with_num_threads(2),
    )
    .unwrap();
    for (s, r) in states.iter().zip(&batch) {
        let lone = sesolve(&small, s, &t, std::slice::from_ref(&z6), &o, &Control::default()).unwrap();
        assert_eq!(&lone, r);
    }
    let hs: Vec<Hamiltonian> = (0..3).map(|_| tfim(6)).collect();
    let sweep = sesolve_sweep(&hs, &states[1], &t, &[z6], &o, &Control::default()).unwrap();
    assert_eq!(sweep[0], batch[1]);
}

#[test]
fn bad_input_is_refused_and_names_the_argument() {
    let h = tfim(3);
    let psi = ket_basis(8, 0).unwrap();
    let o = SolverOptions::default();
    let ctl = Control::default();
    let e = sesolve(&h, &[c(1.0); 8], &[0.0, 1.0], &[], &o, &ctl).unwrap_err();
    assert!(
        e.to_string().contains("psi0") && e.to_string().contains("normal"),
        "{e}"
    );
    let e = sesolve(&h, &psi[..4], &[0.0], &[], &o, &ctl).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DimensionMismatch);
    let e = sesolve(&h, &psi, &[1.0, 0.0], &[], &o, &ctl).unwrap_err();
    assert!(e.to_string().contains("tlist"), "{e}");
    let e = sesolve(&h, &psi, &[0.0, f64::NAN], &[], &o, &ctl).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonFinite);
    let mut nan = psi.clone();
    nan[3] = C64::new(f64::NAN, 0.0);
    assert_eq!(
        sesolve(&h, &nan, &[0.0], &[], &o, &ctl).unwrap_err().kind(),
        ErrorKind::NonFinite
    );
    assert!(
        SolverOptions::default()
            .atol(0.0)
            .validate()
            .unwrap_err()
            .to_string()
            .contains("atol")
    );
    assert!(SolverOptions::default().krylov_dim(1).validate().is_err());
    // A coefficient that turns NaN fails, naming the coefficient.
    let mut x = PauliSum::new(3).unwrap();
    x.add_term("X", &[0], 1.0).unwrap();
    let td = tfim(3)
        .with_term(
            Operator::from_pauli(&x, Storage::Csr).unwrap(),
            Coefficient::real(|t| if t > 0.5 { f64::NAN } else { 1.0 }),
        )
        .unwrap();
    let e = sesolve(&td, &psi, &[0.0, 1.0], &[], &o, &ctl).unwrap_err();
    assert!(e.to_string().contains("coefficient 0"), "{e}");
    assert!(
        sesolve(
            &td,
            &psi,
            &[0.0, 1.0],
            &[],
            &o.clone().method(Method::Krylov),
            &ctl
        )
        .is_err()
    );
    // A step budget too small is an error naming nsteps.
    let e = sesolve(&td, &psi, &[0.0, 0.4], &[], &o.clone().nsteps(2), &ctl).unwrap_err();
    assert!(e.to_string().contains("nsteps"), "{e}");
    // mesolve: non-Hermitian or non-unit-trace ρ0.
    let mut rho = ket2dm(&psi);
    rho[1] = c(0.5);
    assert!(
        mesolve(&h, &rho, &[0.0], &[], &[], &o, &ctl)
            .unwrap_err()
            .to_string()
            .contains("Hermitian")
    );
    let rho2: Vec<C64> = ket2dm(&psi).iter().map(|v| v * 2.0).collect();
    assert!(
        mesolve(&h, &rho2, &[0.0], &[], &[], &o, &ctl)
            .unwrap_err()
            .to_string()
            .contains("trace")
    );
    // Operators: bad CSR arrays.
    assert!(Operator::from_csr(2, vec![0, 1], vec![0], vec![c(1.0)]).is_err());
    assert!(
        Operator::from_csr(2, vec![0, 1, 1], vec![5], vec![c(1.0)])
            .unwrap_err()
            .kind()
            == ErrorKind::IndexOutOfRange
    );
    assert!(Operator::from_dense(2, vec![c(1.0); 3]).is_err());
    assert!(
        Operator::from_pauli(&PauliSum::new(40).unwrap(), Storage::MatrixFree)
            .unwrap_err()
            .kind()
            == ErrorKind::LimitExceeded
    );
}

#[test]
fn a_stopped_run_returns_the_outputs_so_far() {
    let h = tfim(10);
    let psi = ket_basis(1 << 10, 0).unwrap();
    let t: Vec<f64> = (0..=100).map(|k| k as f64 * 0.1).collect();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let stop = || calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) > 40;
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |p: neuroquant::control::Progress| seen.lock().unwrap().push(p.completed);
    let ctl = Control::default().with_interrupt(&stop).with_progress(&progress);
    let r = sesolve(
        &h,
        &psi,
        &t,
        &[],
        &SolverOptions::default().method(Method::Dop853),
        &ctl,
    )
    .unwrap();
    assert!(r.interrupted);
    assert!(!r.times.is_empty() && r.times.len() < t.len());
    assert_eq!(r.states.as_ref().unwrap().len(), r.times.len());
    assert!(!seen.lock().unwrap().is_empty());
    // Stopped at once: only the initial time is reported.
    let never = || true;
    let r = sesolve(
        &h,
        &psi,
        &[0.5, 1.0],
        &[],
        &SolverOptions::default(),
        &Control::default().with_interrupt(&never),
    )
    .unwrap();
    assert!(r.interrupted);
    assert_eq!(r.times, vec![0.5]);
    // A batch stopped before any state is done is an Interrupted error.
    let e = sesolve_batch(
        &h,
        std::slice::from_ref(&psi),
        &[0.5, 1.0],
        &[],
        &SolverOptions::default(),
        &Control::default().with_interrupt(&never),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    // An interrupt raised while a batch item runs stops that item within a step (each item
    // checks the batch's interrupt and deadline, not only the batch between items).
    let long: Vec<f64> = (0..=2000).map(|k| k as f64 * 0.05).collect();
    let o = SolverOptions::default().store_states(Some(false));
    for sweep in [false, true] {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let third = || calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 2;
        let c = Control::default().with_interrupt(&third);
        let r = if sweep {
            sesolve_sweep(std::slice::from_ref(&h), &psi, &long, &[], &o, &c)
        } else {
            sesolve_batch(&h, std::slice::from_ref(&psi), &long, &[], &o, &c)
        }
        .unwrap();
        assert!(
            r[0].interrupted && r[0].times.len() < long.len(),
            "sweep={sweep}: {} of {} outputs, interrupted = {}",
            r[0].times.len(),
            long.len(),
            r[0].interrupted
        );
    }
}

#[test]
fn container_round_trips_and_rejects_corruption() {
    let mut s = PauliSum::new(4).unwrap();
    s.add_term("XYZ", &[0, 2, 3], C64::new(0.5, -0.25)).unwrap();
    s.add_per_site("Z", &[1.0, 2.0, 3.0, 4.0]).unwrap();
    let bytes = s.to_bytes();
    assert_eq!(PauliSum::from_bytes(&bytes).unwrap(), s);
    for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(PauliSum::from_bytes(&bytes[..cut]).is_err());
    }
    let psi = ket_basis(4, 2).unwrap();
    let b = state_to_bytes(&psi, 4).unwrap();
    assert_eq!(state_from_bytes(&b).unwrap(), (psi.clone(), 4, false));
    let r = ket2dm(&psi);
    assert_eq!(
        state_from_bytes(&state_to_bytes(&r, 4).unwrap()).unwrap(),
        (r, 4, true)
    );
    assert_eq!(PauliSum::from_bytes(&b).unwrap_err().kind(), ErrorKind::Format);
    // Any finite intermediate state can be saved (a 2^13 ket is past the metrics' limit).
    let big: Vec<C64> = (0..1 << 13).map(|k| C64::new(k as f64, -1.0)).collect();
    let (back, dim, dm) = state_from_bytes(&state_to_bytes(&big, 1 << 13).unwrap()).unwrap();
    assert!(back == big && dim == 1 << 13 && !dm);
    let e = state_to_bytes(&psi[..3], 4).unwrap_err();
    assert!(
        e.kind() == ErrorKind::InvalidArgument && e.to_string().contains("state"),
        "{e}"
    );
    let mut nan = psi.clone();
    nan[1] = C64::new(f64::NAN, 0.0);
    assert!(state_to_bytes(&nan, 4).unwrap_err().to_string().contains("state"));
    assert!(state_to_bytes(&psi, 0).unwrap_err().to_string().contains("dim"));
    let mut flipped = bytes.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0xff;
    let _ = PauliSum::from_bytes(&flipped); // never panics
    let o = SolverOptions::default().atol(1e-9).method(Method::Tsit5);
    assert_eq!(SolverOptions::from_bytes(&o.to_bytes().unwrap()).unwrap(), o);
}

#[test]
fn kuramoto_saved_mid_run_resumes_bit_for_bit() {
    let w = vec![0.3, -0.2, 0.1, 0.4, 0.0];
    let th = vec![0.0, 1.0, 2.0, 3.0, 4.0];
    let adj: Vec<f64> = (0..25).map(|k| f64::from((k % 3) as u8) * 0.5).collect();
    for adjacency in [None, Some(adj)] {
        let mut whole = Kuramoto::new(w.clone(), 1.5, th.clone(), adjacency.clone()).unwrap();
        whole.run(0.01, 200, 50, &Control::default()).unwrap();
        let mut first = Kuramoto::new(w.clone(), 1.5, th.clone(), adjacency).unwrap();
        first.run(0.01, 120, 50, &Control::default()).unwrap();
        let bytes = first.to_bytes();
        let mut resumed = Kuramoto::from_bytes(&bytes).unwrap();
        assert_eq!(resumed, first);
        resumed.run(0.01, 80, 50, &Control::default()).unwrap();
        assert_eq!(resumed.phases, whole.phases);
        assert_eq!(resumed.time.to_bits(), whole.time.to_bits());
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(
                Kuramoto::from_bytes(&bytes[..cut]).unwrap_err().kind(),
                ErrorKind::Format
            );
        }
    }
    let p = PhaseState::new(1.0, 0.0, 1.0, 0.0).unwrap();
    assert_eq!(
        Kuramoto::from_bytes(&p.to_bytes()).unwrap_err().kind(),
        ErrorKind::Format
    );
}
