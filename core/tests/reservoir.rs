//! Reservoir computing against oracles: dense eigenvalues for the spectral radius, an
//! independent dense implementation of the update, exact least squares for the ridge readout,
//! the published recurrences for the datasets, analytic memory capacity of a delay line, a
//! hand-stepped LIF neuron; save → load → continue bit for bit; bad input changes nothing.

use nalgebra::{DMatrix, DVector};
use neuroquant::ErrorKind;
use neuroquant::control::Control;
use neuroquant::reservoir::*;

fn lcg(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
}

fn random_csr(rows: usize, cols: usize, density: f64, seed: u64) -> Csr {
    let mut r = lcg(seed);
    let dense: Vec<f64> = (0..rows * cols)
        .map(|_| {
            let keep = (r() + 1.0) / 2.0 < density;
            let v = r();
            if keep { v } else { 0.0 }
        })
        .collect();
    Csr::from_dense("m", rows, cols, &dense).unwrap()
}

fn dense_rho(m: &Csr) -> f64 {
    let n = m.rows();
    DMatrix::from_row_slice(n, n, &m.to_dense())
        .complex_eigenvalues()
        .iter()
        .map(|z| z.norm())
        .fold(0.0, f64::max)
}

mod spectral {
    use super::*;

    #[test]
    fn matches_dense_eigenvalues_on_random_sparse_matrices() {
        let c = Control::default();
        for (n, density, seed) in [
            (80, 0.1, 1),
            (150, 0.05, 2),
            (200, 0.2, 3),
            (120, 0.5, 4),
            (300, 0.02, 5),
        ] {
            let m = random_csr(n, n, density, seed);
            let rho = spectral_radius(&m, DEFAULT_TOL, DEFAULT_MAX_RESTARTS, &c).unwrap();
            let exact = dense_rho(&m);
            assert!((rho - exact).abs() <= 1e-9 * exact, "n={n}: {rho} vs {exact}");
        }
    }

    #[test]
    fn known_spectra_including_invariant_start_vectors() {
        let c = Control::default();
        // A scaled cyclic shift: every eigenvalue has modulus 3, and the all-ones start vector is
        // an eigenvector (Arnoldi breaks down at once).
        let n = 100;
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            d[i * n + (i + 1) % n] = 3.0;
        }
        let m = Csr::from_dense("m", n, n, &d).unwrap();
        assert!((spectral_radius(&m, DEFAULT_TOL, DEFAULT_MAX_RESTARTS, &c).unwrap() - 3.0).abs() < 1e-12);
        // Diagonal with a unique largest |λ| = 7 that ones barely sees, plus a rotation block.
        let mut d = vec![0.0; n * n];
        for i in 0..n {
            d[i * n + i] = 0.5 + (i as f64) / n as f64;
        }
        d[(n - 1) * n + (n - 1)] = -7.0;
        d[1] = 6.0;
        d[n] = -6.0;
        let m = Csr::from_dense("m", n, n, &d).unwrap();
        let rho = spectral_radius(&m, DEFAULT_TOL, DEFAULT_MAX_RESTARTS, &c).unwrap();
        assert!(
            (rho - dense_rho(&m)).abs() < 1e-9 * 7.0,
            "{rho} vs {}",
            dense_rho(&m)
        );
        assert!((rho - 7.0).abs() < 1e-9);
        // lr·W + (1 − lr)·I for a diagonal W.
        let w = Csr::from_dense("w", 3, 3, &[2.0, 0.0, 0.0, 0.0, -4.0, 0.0, 0.0, 0.0, 1.0]).unwrap();
        let e = effective_spectral_radius(&w, 0.5, &c).unwrap();
        assert!((e - 1.5).abs() < 1e-12, "{e}");
    }

    #[test]
    fn a_drawn_reservoir_is_scaled_to_sr() {
        let r = Reservoir::new(
            ReservoirParams::default()
                .units(300)
                .sr(1.25)
                .input_dim(1)
                .seed(7),
        )
        .unwrap();
        assert!((dense_rho(r.w()) - 1.25).abs() < 1e-9);
    }
}

/// The update written out densely, one formula per line, as ReservoirPy states it.
fn slow_run(r: &Reservoir, inputs: &[f64], fb: &[f64], steps: usize, external: bool) -> Vec<f64> {
    let (n, d, k) = (r.units(), r.input_dim(), r.fb_dim());
    let (w, win, wfb) = (r.w().to_dense(), r.win().to_dense(), r.wfb().to_dense());
    let mut x = vec![0.0; n];
    let mut s = vec![0.0; n];
    let mut out = Vec::new();
    for t in 0..steps {
        let mut next = vec![0.0; n];
        let mut snext = vec![0.0; n];
        for i in 0..n {
            let mut pre = 0.0;
            for j in 0..n {
                pre += w[i * n + j] * x[j];
            }
            for j in 0..d {
                pre += win[i * d + j] * inputs[t * d + j];
            }
            for j in 0..k {
                pre += wfb[i * k + j] * fb[t * k + j];
            }
            pre += r.bias()[i];
            let lr = r.lr()[i];
            if external {
                snext[i] = (1.0 - lr) * s[i] + lr * pre;
                next[i] = snext[i].tanh();
            } else {
                next[i] = (1.0 - lr) * x[i] + lr * pre.tanh();
            }
        }
        x = next;
        s = snext;
        out.extend_from_slice(&x);
    }
    out
}

mod update {
    use super::*;

    fn close(a: &[f64], b: &[f64], tol: f64) {
        assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert!((x - y).abs() <= tol, "element {i}: {x} vs {y}");
        }
    }

    #[test]
    fn states_follow_the_update_equation() {
        let mut g = lcg(9);
        let steps = 60;
        let inputs: Vec<f64> = (0..steps * 2).map(|_| g()).collect();
        let fb: Vec<f64> = (0..steps * 3).map(|_| g()).collect();
        let lr: Vec<f64> = (0..40).map(|i| 0.1 + 0.02 * i as f64).collect();
        let bias: Vec<f64> = (0..40).map(|_| 0.1 * g()).collect();
        for external in [false, true] {
            let eq = if external {
                Equation::External
            } else {
                Equation::Internal
            };
            let params = ReservoirParams::default()
                .units(40)
                .input_dim(2)
                .fb_dim(3)
                .sr(0.9)
                .lr(lr.clone())
                .bias(bias.clone())
                .equation(eq)
                .input_connectivity(0.5)
                .fb_connectivity(0.5)
                .seed(11);
            let mut r = Reservoir::new(params).unwrap();
            let mut out = vec![0.0; steps * 40];
            r.run_into(&inputs, &fb, steps, &mut out, &Control::default())
                .unwrap();
            close(&out, &slow_run(&r, &inputs, &fb, steps, external), 1e-13);
        }
        // Scalar lr and injected weights, used as given.
        let w = random_csr(30, 30, 0.2, 4);
        let win = random_csr(30, 1, 1.0, 5);
        let mut r = Reservoir::with_weights(
            ReservoirParams::default().lr(0.3).sr(5.0).input_scaling(100.0),
            Weights::new().w(w.clone()).win(win.clone()),
        )
        .unwrap();
        assert_eq!(r.w(), &w, "an injected W is not rescaled");
        assert_eq!(r.win(), &win, "an injected Win is not rescaled");
        let u: Vec<f64> = (0..50).map(|_| g()).collect();
        let got = r.run(&u, 50).unwrap();
        close(&got, &slow_run(&r, &u, &[], 50, false), 1e-13);
    }

    #[test]
    fn noise_has_its_gain_and_is_reproducible() {
        // W = 0, Win = 0, lr = 1: the state is the noise alone.
        let zero = Csr::from_dense("w", 200, 200, &vec![0.0; 200 * 200]).unwrap();
        let zin = Csr::zeros(200, 1).unwrap();
        let make = |seed: u64| {
            Reservoir::with_weights(
                ReservoirParams::default().noise_rc(0.3).seed(seed),
                Weights::new().w(zero.clone()).win(zin.clone()),
            )
            .unwrap()
        };
        let mut r = make(5);
        let x = r.run(&vec![0.0; 100], 100).unwrap();
        let var = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
        assert!((var - 0.09).abs() < 0.005, "variance {var}");
        // Same seed, same noise; another seed, another.
        assert_eq!(make(5).run(&vec![0.0; 100], 100).unwrap(), x);
        assert_ne!(make(6).run(&vec![0.0; 100], 100).unwrap(), x);
        // Weights are a function of the seed only (value stability of the initialiser).
        let a = Reservoir::new(ReservoirParams::default().units(50).input_dim(2).seed(1)).unwrap();
        let b = Reservoir::new(ReservoirParams::default().units(50).input_dim(2).seed(1)).unwrap();
        assert_eq!(a.w(), b.w());
        assert_eq!(a.w().nnz(), 250);
        assert_eq!(a.win().nnz(), 10);
    }

    #[test]
    fn bad_input_changes_nothing() {
        let mut r = Reservoir::new(ReservoirParams::default().units(10).input_dim(1).seed(1)).unwrap();
        r.step(&[0.5], &[]).unwrap();
        let before = r.clone();
        let e = r.step(&[f64::NAN], &[]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        assert_eq!(e.to_string(), "argument `u`: element 0 is NaN, must be finite");
        assert_eq!(
            r.step(&[1.0, 2.0], &[]).unwrap_err().kind(),
            ErrorKind::DimensionMismatch
        );
        let e = r.run(&[0.1, f64::INFINITY, 0.2], 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument `inputs`: element 1 is inf, must be finite"
        );
        assert!(r.run(&[0.1, 0.2], 3).is_err());
        assert_eq!(r, before);
        // A diverging run (identity activation, huge W) is refused and rolled back.
        let w = Csr::from_dense("w", 2, 2, &[1e200, 0.0, 0.0, 1e200]).unwrap();
        let win = Csr::from_dense("w", 2, 1, &[1.0, 1.0]).unwrap();
        let mut r = Reservoir::with_weights(
            ReservoirParams::default().activation(Activation::Identity),
            Weights::new().w(w).win(win),
        )
        .unwrap();
        let before = r.clone();
        let e = r.run(&[1.0; 5], 5).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        assert!(e.to_string().contains("non-finite at step 2"), "{e}");
        assert_eq!(r, before);
        // Parameter rules.
        for (p, msg) in [
            (
                ReservoirParams::default().units(0),
                "argument `units`: is 0, must be at least 1",
            ),
            (
                ReservoirParams::default().lr(1.5),
                "argument `lr`: is 1.5, must be in (0, 1]",
            ),
            (
                ReservoirParams::default().lr(vec![0.5, 0.0]),
                "argument `lr`: element 1 is 0, must be in (0, 1]",
            ),
            (
                ReservoirParams::default().sr(-1.0),
                "argument `sr`: is -1, must be > 0",
            ),
            (
                ReservoirParams::default().rc_connectivity(0.0),
                "argument `rc_connectivity`: is 0, must be in (0, 1]",
            ),
            (
                ReservoirParams::default().noise_rc(-0.1),
                "argument `noise_rc`: is -0.1, must be >= 0",
            ),
            (
                ReservoirParams::default().units(5),
                "argument `input_dim`: is None: give input_dim or an injected Win",
            ),
            (
                ReservoirParams::default().units(5).input_dim(1).lr(vec![0.5; 3]),
                "argument `lr`: length 3 does not match, expected 5",
            ),
            (
                ReservoirParams::default().units(1 << 23),
                "argument `units`: 8388608 exceeds the limit of 4194304",
            ),
        ] {
            assert_eq!(Reservoir::new(p).unwrap_err().to_string(), msg);
        }
    }
}

/// Least squares by SVD on the augmented system `[X 1]·[W; b] = Y` (the oracle).
fn lstsq(x: &[f64], y: &[f64], rows: usize, d: usize, o: usize) -> (Vec<f64>, Vec<f64>) {
    let a = DMatrix::from_fn(rows, d + 1, |i, j| if j < d { x[i * d + j] } else { 1.0 });
    let b = DMatrix::from_row_slice(rows, o, y);
    let sol = a.svd(true, true).solve(&b, 1e-14).unwrap();
    let w = (0..d * o).map(|k| sol[(k / o, k % o)]).collect();
    let bias = (0..o).map(|j| sol[(d, j)]).collect();
    (w, bias)
}

mod ridge {
    use super::*;

    fn data(rows: usize, d: usize, o: usize, offset: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut g = lcg(seed);
        let x: Vec<f64> = (0..rows * d).map(|_| offset + g()).collect();
        let y: Vec<f64> = (0..rows)
            .flat_map(|i| {
                let row: Vec<f64> = x[i * d..(i + 1) * d].to_vec();
                (0..o).map(move |j| {
                    row.iter()
                        .enumerate()
                        .map(|(k, v)| v * ((k + j) as f64 * 0.3).sin())
                        .sum::<f64>()
                        + j as f64
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|v| v + 0.01 * g())
            .collect();
        (x, y)
    }

    #[test]
    fn zero_ridge_is_exact_least_squares_even_far_from_the_origin() {
        for offset in [0.0, 1e6] {
            let (rows, d, o) = (500, 8, 2);
            let (x, y) = data(rows, d, o, offset, 3);
            // Streamed in uneven pieces, as several series would be.
            let mut stats = RidgeStats::new(d, o).unwrap();
            for (a, b) in [(0, 7), (7, 300), (300, 500)] {
                stats.add(&x[a * d..b * d], &y[a * o..b * o], b - a).unwrap();
            }
            let ro = stats.solve(0.0, true).unwrap();
            let (w, b) = lstsq(&x, &y, rows, d, o);
            let pred = ro.run(&x, rows).unwrap();
            let exact: Vec<f64> = (0..rows)
                .flat_map(|i| {
                    (0..o)
                        .map(|j| b[j] + (0..d).map(|k| x[i * d + k] * w[k * o + j]).sum::<f64>())
                        .collect::<Vec<_>>()
                })
                .collect();
            let err = pred
                .iter()
                .zip(&exact)
                .map(|(p, e)| (p - e).abs())
                .fold(0.0, f64::max);
            assert!(
                err < 1e-7,
                "offset {offset}: predictions differ from lstsq by {err}"
            );
        }
    }

    #[test]
    fn the_bias_is_not_penalised_and_the_path_matches_direct_solves() {
        let (rows, d, o) = (300, 5, 1);
        let (x, y) = data(rows, d, o, 2.0, 4);
        let mut stats = RidgeStats::new(d, o).unwrap();
        stats.add(&x, &y, rows).unwrap();
        let path = stats.path(true).unwrap();
        for lambda in [1e-6, 0.1, 10.0, 1e4] {
            // Oracle: centre, solve (XcᵀXc + λI) w = Xcᵀyc densely, b = ȳ − x̄ᵀw.
            let mx: Vec<f64> = (0..d)
                .map(|k| (0..rows).map(|i| x[i * d + k]).sum::<f64>() / rows as f64)
                .collect();
            let my = y.iter().sum::<f64>() / rows as f64;
            let xc = DMatrix::from_fn(rows, d, |i, k| x[i * d + k] - mx[k]);
            let yc = DVector::from_fn(rows, |i, _| y[i] - my);
            let a = xc.transpose() * &xc + DMatrix::identity(d, d) * lambda;
            let w = a.lu().solve(&(xc.transpose() * yc)).unwrap();
            let b = my - (0..d).map(|k| mx[k] * w[k]).sum::<f64>();
            for ro in [
                stats.solve(lambda, true).unwrap(),
                path.solve(&stats, lambda).unwrap(),
            ] {
                for k in 0..d {
                    assert!(
                        (ro.wout()[k] - w[k]).abs() < 1e-9 * (1.0 + w[k].abs()),
                        "λ={lambda}"
                    );
                }
                assert!(
                    (ro.bias()[0] - b).abs() < 1e-8,
                    "λ={lambda}: bias {} vs {b}",
                    ro.bias()[0]
                );
            }
        }
        // A huge ridge sends W to 0 and the bias to the mean: it was not penalised.
        let ro = stats.solve(1e15, true).unwrap();
        assert!((ro.bias()[0] - y.iter().sum::<f64>() / rows as f64).abs() < 1e-6);
    }

    #[test]
    fn singular_systems_fall_back_to_the_minimum_norm_solution() {
        // Two identical columns: XᵀX is singular at ridge 0.
        let rows = 50;
        let mut g = lcg(1);
        let mut x = Vec::new();
        let mut y = Vec::new();
        for _ in 0..rows {
            let v = g();
            x.extend([v, v]);
            y.push(2.0 * v);
        }
        let mut stats = RidgeStats::new(2, 1).unwrap();
        stats.add(&x, &y, rows).unwrap();
        let ro = stats.solve(0.0, false).unwrap();
        assert!(
            (ro.wout()[0] - 1.0).abs() < 1e-9 && (ro.wout()[1] - 1.0).abs() < 1e-9,
            "{:?}",
            ro.wout()
        );
    }

    #[test]
    fn nearly_dependent_features_get_the_minimum_norm_solution() {
        // Column 1 is 0.1 × column 0 up to rounding: the scatter matrix has an eigenvalue at
        // rounding level that is not exactly zero, and must be cut, not inverted.
        let rows = 80;
        let mut g = lcg(4);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for _ in 0..rows {
            let (v, w) = (g(), g());
            x.extend([v, 0.1 * v, w]);
            y.push(2.0 * v + 0.5 * w);
        }
        let mut stats = RidgeStats::new(3, 1).unwrap();
        stats.add(&x, &y, rows).unwrap();
        // Minimum norm: w0 + 0.1·w1 = 2 with the smallest (w0, w1), i.e. 2·(1, 0.1) / 1.01.
        let want = [2.0 / 1.01, 0.2 / 1.01, 0.5];
        for fit_bias in [false, true] {
            let ro = stats.solve(0.0, fit_bias).unwrap();
            for (got, want) in ro.wout().iter().zip(want) {
                assert!((got - want).abs() < 1e-8, "fit_bias {fit_bias}: {:?}", ro.wout());
            }
        }
    }

    #[test]
    fn cross_validation_scores_like_brute_force_and_ignores_thread_count() {
        let (rows, d, o) = (400, 6, 2);
        let (x, y) = data(rows, d, o, 0.5, 8);
        let k = 4;
        let folds: Vec<RidgeStats> = (0..k)
            .map(|f| {
                let (a, b) = (f * rows / k, (f + 1) * rows / k);
                let mut s = RidgeStats::new(d, o).unwrap();
                s.add(&x[a * d..b * d], &y[a * o..b * o], b - a).unwrap();
                s
            })
            .collect();
        let ridges = [1e-8, 1e-2, 1.0, 100.0];
        let cv = ridge_cv(&folds, &ridges, true, &Control::default().with_num_threads(1)).unwrap();
        let cv2 = ridge_cv(&folds, &ridges, true, &Control::default().with_num_threads(2)).unwrap();
        assert_eq!(cv, cv2, "1 vs 2 threads");
        for (ri, &lambda) in ridges.iter().enumerate() {
            let mut sse = 0.0;
            for f in 0..k {
                let mut train = RidgeStats::new(d, o).unwrap();
                for (j, s) in folds.iter().enumerate() {
                    if j != f {
                        train.merge(s);
                    }
                }
                let ro = train.solve(lambda, true).unwrap();
                let (a, b) = (f * rows / k, (f + 1) * rows / k);
                let pred = ro.run(&x[a * d..b * d], b - a).unwrap();
                sse += pred
                    .iter()
                    .zip(&y[a * o..b * o])
                    .map(|(p, t)| (p - t).powi(2))
                    .sum::<f64>();
            }
            let brute = sse / (rows * o) as f64;
            assert!(
                (cv.errors[ri] - brute).abs() < 1e-9 * brute.max(1e-12),
                "λ={lambda}: {} vs {brute}",
                cv.errors[ri]
            );
        }
        assert_eq!(
            cv.best,
            ridges[(0..4)
                .min_by(|&a, &b| cv.errors[a].total_cmp(&cv.errors[b]))
                .unwrap()]
        );
    }

    #[test]
    fn rls_converges_to_the_ridge_solution() {
        let (rows, d, o) = (2000, 4, 1);
        let (x, y) = data(rows, d, o, 0.0, 12);
        let alpha = 1e-3;
        let mut rls = Rls::new(RlsParams::default().alpha(alpha).fit_bias(false), d, o).unwrap();
        rls.partial_fit(&x, &y, rows).unwrap();
        let mut stats = RidgeStats::new(d, o).unwrap();
        stats.add(&x, &y, rows).unwrap();
        // With P₀ = I/alpha and no forgetting, RLS is exactly ridge with λ = alpha.
        let ro = stats.solve(alpha, false).unwrap();
        for k in 0..d {
            assert!(
                (rls.readout().wout()[k] - ro.wout()[k]).abs() < 1e-8,
                "{:?} vs {:?}",
                rls.readout().wout(),
                ro.wout()
            );
        }
        // NLMS tracks the same weights on this noise-light problem.
        let mut lms = Lms::new(LmsParams::default(), d, o).unwrap();
        for _ in 0..3 {
            lms.partial_fit(&x, &y, rows).unwrap();
        }
        for k in 0..d {
            assert!(
                (lms.readout().wout()[k] - ro.wout()[k]).abs() < 0.05,
                "{:?} vs {:?}",
                lms.readout().wout(),
                ro.wout()
            );
        }
    }

    #[test]
    fn rls_with_forgetting_is_the_exponentially_weighted_ridge_solution() {
        // P_t⁻¹ = λ^t·alpha·I + Σ λ^(t−i)·x_i·x_iᵀ and w_t = P_t·Σ λ^(t−i)·x_i·y_i exactly.
        let (rows, d, o) = (300, 3, 2);
        let (x, y) = data(rows, d, o, 0.1, 21);
        let (alpha, lambda) = (1e-2, 0.97);
        let params = RlsParams::default()
            .alpha(alpha)
            .forgetting(lambda)
            .fit_bias(false);
        let mut rls = Rls::new(params, d, o).unwrap();
        rls.partial_fit(&x, &y, rows).unwrap();
        let mut a = DMatrix::<f64>::identity(d, d) * (alpha * lambda.powi(rows as i32));
        let mut b = DMatrix::<f64>::zeros(d, o);
        for t in 0..rows {
            let g = lambda.powi((rows - 1 - t) as i32);
            let xt = DVector::from_row_slice(&x[t * d..(t + 1) * d]);
            let yt = DMatrix::from_row_slice(1, o, &y[t * o..(t + 1) * o]);
            a += &xt * xt.transpose() * g;
            b += &xt * yt * g;
        }
        let w = a.lu().solve(&b).unwrap();
        for i in 0..d {
            for j in 0..o {
                let got = rls.readout().wout()[i * o + j];
                assert!(
                    (got - w[(i, j)]).abs() < 1e-8,
                    "({i},{j}): {got} vs {}",
                    w[(i, j)]
                );
            }
        }
    }

    #[test]
    fn lms_and_nlms_take_their_textbook_steps() {
        // Two samples by hand: e = Woutᵀx + b − y; LMS: W −= η·x·eᵀ, b −= η·e; NLMS: η / (ε + ‖x‖² + 1).
        let x = [0.5, -1.0, 2.0, 0.25, 1.5, -0.5];
        let y = [1.0, -2.0];
        for rule in [LmsRule::Lms, LmsRule::Nlms] {
            let (eta, eps) = (0.1, 1e-3);
            let params = LmsParams::default().learning_rate(eta).eps(eps).rule(rule);
            let mut lms = Lms::new(params, 3, 1).unwrap();
            lms.partial_fit(&x, &y, 2).unwrap();
            let (mut w, mut b) = ([0.0f64; 3], 0.0f64);
            for t in 0..2 {
                let xt = &x[t * 3..(t + 1) * 3];
                let e = w.iter().zip(xt).map(|(a, c)| a * c).sum::<f64>() + b - y[t];
                let step = match rule {
                    LmsRule::Lms => eta,
                    _ => eta / (eps + xt.iter().map(|v| v * v).sum::<f64>() + 1.0),
                };
                for k in 0..3 {
                    w[k] -= step * xt[k] * e;
                }
                b -= step * e;
            }
            let got = lms.readout();
            for k in 0..3 {
                assert!(
                    (got.wout()[k] - w[k]).abs() < 1e-14,
                    "{rule:?}: {:?} vs {w:?}",
                    got.wout()
                );
            }
            assert!(
                (got.bias()[0] - b).abs() < 1e-14,
                "{rule:?}: bias {:?} vs {b}",
                got.bias()
            );
        }
    }
}

mod datasets {
    use super::*;

    #[test]
    fn narma10_follows_the_standard_recurrence() {
        let u = narma10_input(500, 3).unwrap();
        assert!(u.iter().all(|v| (0.0..0.5).contains(v)));
        let y = narma10(&u).unwrap();
        for t in 9..499 {
            let s: f64 = (0..10).map(|i| y[t - i]).sum();
            let expect = 0.3 * y[t] + 0.05 * y[t] * s + 1.5 * u[t - 9] * u[t] + 0.1;
            assert!(
                (y[t + 1] - expect).abs() <= 1e-15 * expect.abs(),
                "{} vs {expect}",
                y[t + 1]
            );
        }
        assert!(y[..10].iter().all(|v| *v == 0.0));
    }

    /// Mackey–Glass by Euler steps of 1e-4 with exact grid delays (an independent, slow oracle).
    fn euler_mg(n: usize) -> Vec<f64> {
        let dt = 1e-3;
        let per = 1000;
        let lag = 17 * per;
        let mut x = vec![1.2f64];
        for k in 0..n * per {
            let xd = if k >= lag { x[k - lag] } else { 1.2 };
            let xk = x[k];
            // Heun (trapezoid) for second order at this tiny step.
            let f = |x: f64, xd: f64| 0.2 * xd / (1.0 + xd.powi(10)) - 0.1 * x;
            let xd1 = if k + 1 >= lag { x[k + 1 - lag] } else { 1.2 };
            let pred = xk + dt * f(xk, xd);
            x.push(xk + dt / 2.0 * (f(xk, xd) + f(pred, xd1)));
        }
        (0..n).map(|i| x[i * per]).collect()
    }

    #[test]
    fn mackey_glass_solves_the_delay_equation() {
        let mg = mackey_glass(120, 17.0, 0.2, 0.1, 10.0, 1.2, 1.0, 10).unwrap();
        let oracle = euler_mg(120);
        let err = mg
            .iter()
            .zip(&oracle)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(err < 1e-5, "max difference {err}");
        assert!(mackey_glass(10, 0.05, 0.2, 0.1, 10.0, 1.2, 1.0, 10).is_err());
    }

    #[test]
    fn lorenz_converges_with_the_step() {
        // RK4 is fourth order: halving the step divides the error by about 16.
        let run = |sub| lorenz(41, 10.0, 28.0, 8.0 / 3.0, [1.0, 1.0, 1.0], 0.025, sub).unwrap();
        let (a, b, fine) = (run(10), run(20), run(160));
        let err = |x: &[f64]| {
            x.iter()
                .zip(&fine)
                .map(|(p, q)| (p - q).abs())
                .fold(0.0, f64::max)
        };
        assert!(err(&a) < 1e-5, "{}", err(&a));
        let ratio = err(&a) / err(&b);
        assert!((12.0..20.0).contains(&ratio), "error ratio {ratio}");
        // The first step against its Taylor expansion: ẋ = σ(y − x) = 0 at (1, 1, 1).
        assert_eq!(&a[..3], &[1.0, 1.0, 1.0]);
    }
}

mod metrics {
    use super::*;

    #[test]
    fn norms_follow_their_definitions() {
        let y = [1.0, 2.0, 3.0, 4.0];
        let p = [1.5, 2.0, 3.0, 4.0];
        let r = (0.25f64 / 4.0).sqrt();
        let var: f64 = 1.25;
        assert!((nrmse(&y, &p, Norm::Std).unwrap() - r / var.sqrt()).abs() < 1e-15);
        assert!((nrmse(&y, &p, Norm::Var).unwrap() - r / var).abs() < 1e-15);
        assert!((nrmse(&y, &p, Norm::Minmax).unwrap() - r / 3.0).abs() < 1e-15);
        assert!((nrmse(&y, &p, Norm::Mean).unwrap() - r / 2.5).abs() < 1e-15);
        assert!((nrmse(&y, &p, Norm::Q1q3).unwrap() - r / 1.5).abs() < 1e-15);
        assert!((nmse(&y, &p).unwrap() - 0.0625 / 1.25).abs() < 1e-15);
        assert!((rsquare(&y, &p).unwrap() - (1.0 - 0.0625 / 1.25)).abs() < 1e-15);
        assert_eq!(
            valid_time(&[0.0, 1.0, 0.0, 1.0], &[0.0, 1.0, 0.9, 1.0], 1, 0.4).unwrap(),
            2
        );
        assert!(nrmse(&y, &p[..3], Norm::Std).is_err());
    }

    #[test]
    fn a_delay_line_remembers_exactly_its_length() {
        // Identity activation, W a shift, input into unit 0: x_t[i] = u_{t−i}.
        let n = 8;
        let mut w = vec![0.0; n * n];
        for i in 1..n {
            w[i * n + i - 1] = 1.0;
        }
        let mut win = vec![0.0; n];
        win[0] = 1.0;
        let r = Reservoir::with_weights(
            ReservoirParams::default().activation(Activation::Identity),
            Weights::new()
                .w(Csr::from_dense("w", n, n, &w).unwrap())
                .win(Csr::from_dense("win", n, 1, &win).unwrap()),
        )
        .unwrap();
        let series: Vec<f64> = {
            let mut g = lcg(2);
            (0..2000).map(|_| 0.8 * g()).collect()
        };
        let mc = memory_capacity(&r, 12, &series, 400, 1e-10).unwrap();
        for (k, m) in mc.iter().enumerate() {
            let expect = if k + 1 < n { 1.0 } else { 0.0 };
            assert!((m - expect).abs() < 0.02, "MC_{} = {m}", k + 1);
        }
    }
}

mod models {
    use super::*;

    fn sine(n: usize) -> Vec<f64> {
        (0..n)
            .map(|t| (t as f64 * 0.1).sin() * (t as f64 * 0.023).cos())
            .collect()
    }

    fn trained(seed: u64, noise: f64) -> Esn {
        let s = sine(1200);
        let params = EsnParams::default()
            .reservoir(
                ReservoirParams::default()
                    .units(100)
                    .sr(0.9)
                    .lr(0.5)
                    .input_connectivity(1.0)
                    .input_scaling(0.5)
                    .input_dim(1)
                    .noise_rc(noise)
                    .seed(seed),
            )
            .ridge(1e-7);
        let mut esn = Esn::new(params, 1).unwrap();
        esn.fit(
            &[Series {
                inputs: &s[..999],
                targets: &s[1..1000],
                steps: 999,
            }],
            100,
        )
        .unwrap();
        esn
    }

    #[test]
    fn forecasts_a_quasi_periodic_signal() {
        let s = sine(1200);
        let mut esn = trained(1, 0.0);
        let one = esn.run(&s[999..1099], 100).unwrap();
        let e1 = one
            .iter()
            .zip(&s[1000..1100])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(e1 < 1e-3, "one-step error {e1}");
        let mut esn = trained(1, 0.0);
        let f = esn.forecast(50).unwrap();
        let err = f
            .iter()
            .zip(&s[1000..1050])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(err < 0.05, "closed-loop error {err}");
        // generate = teacher-forced warm-up on true inputs then free run.
        let mut esn = trained(1, 0.0);
        esn.reset();
        let g = esn.generate(20, &s[900..1000], 100).unwrap();
        let err = g
            .iter()
            .zip(&s[1001..1021])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(err < 0.05, "generate error {err}");
    }

    #[test]
    fn save_load_continues_bit_for_bit() {
        for noise in [0.0, 1e-4] {
            let mut esn = trained(3, noise);
            esn.run(&sine(20), 20).unwrap();
            let bytes = esn.to_bytes().unwrap();
            let mut back = Esn::from_bytes(&bytes).unwrap();
            assert_eq!(back, esn);
            let u = sine(30);
            assert_eq!(back.run(&u, 30).unwrap(), esn.run(&u, 30).unwrap());
            assert_eq!(back.forecast(10).unwrap(), esn.forecast(10).unwrap());
            let mut r = esn.reservoir().clone();
            let mut rb = Reservoir::from_bytes(&r.to_bytes().unwrap()).unwrap();
            assert_eq!(rb.run(&u, 30).unwrap(), r.run(&u, 30).unwrap());
        }
    }

    #[test]
    fn damaged_files_are_errors_never_panics() {
        let esn = trained(4, 0.0);
        let bytes = esn.to_bytes().unwrap();
        for cut in [0, 8, 17, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(
                Esn::from_bytes(&bytes[..cut]).unwrap_err().kind(),
                ErrorKind::Format
            );
        }
        let mut g = lcg(5);
        for _ in 0..300 {
            let mut b = bytes.clone();
            let i = ((g() + 1.0) / 2.0 * (b.len() - 1) as f64) as usize;
            b[i] ^= 1 << (((g() + 1.0) * 4.0) as u32 % 8);
            let _ = Esn::from_bytes(&b);
        }
        assert_eq!(
            Reservoir::from_bytes(&bytes).unwrap_err().kind(),
            ErrorKind::Format
        );
    }

    #[test]
    fn cv_picks_a_ridge_and_ignores_thread_count() {
        let s = sine(1500);
        let make = || {
            Esn::new(
                EsnParams::default()
                    .reservoir(ReservoirParams::default().units(60).sr(0.9).input_dim(1).seed(2)),
                1,
            )
            .unwrap()
        };
        let series: Vec<Series<'_>> = (0..4)
            .map(|k| Series {
                inputs: &s[k * 350..k * 350 + 349],
                targets: &s[k * 350 + 1..k * 350 + 350],
                steps: 349,
            })
            .collect();
        let (mut a, mut b) = (make(), make());
        let ca = a
            .fit_cv(
                &series,
                50,
                &[1e-10, 1e-6, 1e-2, 10.0],
                4,
                &Control::default().with_num_threads(1),
            )
            .unwrap();
        let cb = b
            .fit_cv(
                &series,
                50,
                &[1e-10, 1e-6, 1e-2, 10.0],
                4,
                &Control::default().with_num_threads(2),
            )
            .unwrap();
        assert_eq!(ca, cb);
        assert_eq!(a, b);
        assert!(ca.errors[3] > ca.errors[1], "{:?}", ca.errors);
        assert_eq!(a.params().ridge, ca.best);
    }

    #[test]
    fn feedback_training_is_teacher_forced() {
        // The readout of a network with feedback equals a ridge fit on the states of its
        // reservoir driven by the inputs and the true previous targets.
        let s = sine(400);
        let (u, y) = (&s[..399], &s[1..400]);
        let params = EsnParams::default()
            .reservoir(
                ReservoirParams::default()
                    .units(40)
                    .sr(0.8)
                    .input_dim(1)
                    .fb_dim(1)
                    .fb_connectivity(0.5)
                    .seed(9),
            )
            .ridge(1e-6);
        let mut esn = Esn::new(params, 1).unwrap();
        let mut r = esn.reservoir().clone();
        esn.fit(
            &[Series {
                inputs: u,
                targets: y,
                steps: 399,
            }],
            20,
        )
        .unwrap();
        let mut fb = vec![0.0];
        fb.extend_from_slice(&y[..398]);
        let mut states = vec![0.0; 399 * 40];
        r.run_into(u, &fb, 399, &mut states, &Control::default()).unwrap();
        let mut stats = RidgeStats::new(40, 1).unwrap();
        stats.add(&states[20 * 40..], &y[20..], 379).unwrap();
        let expect = stats.solve(1e-6, true).unwrap();
        assert_eq!(esn.readout().unwrap(), &expect);
        assert_eq!(esn.last_output(), &[y[398]]);
    }

    #[test]
    fn untrained_and_mismatched_calls_are_refused() {
        let mut esn = Esn::new(
            EsnParams::default().reservoir(ReservoirParams::default().units(10).input_dim(2).seed(1)),
            1,
        )
        .unwrap();
        assert_eq!(
            esn.step(&[0.0, 0.0]).unwrap_err().to_string(),
            "esn is not fitted: call fit (or partial_fit) first"
        );
        let e = esn
            .fit(
                &[Series {
                    inputs: &[0.0; 20],
                    targets: &[0.0; 10],
                    steps: 10,
                }],
                10,
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no training samples: all 1 series are at most warmup = 10 steps long"
        );
        esn.fit(
            &[Series {
                inputs: &[0.1; 20],
                targets: &[0.0; 10],
                steps: 10,
            }],
            0,
        )
        .unwrap();
        assert!(
            esn.forecast(3)
                .unwrap_err()
                .to_string()
                .contains("needs outputs == input_dim")
        );
        let e = Esn::new(EsnParams::default().ridge(-1.0), 1).unwrap_err();
        assert_eq!(e.to_string(), "argument `ridge`: is -1, must be >= 0");
    }
}

mod nvar_and_lsm {
    use super::*;

    #[test]
    fn nvar_features_are_delays_then_sorted_monomials() {
        let mut nv = Nvar::new(
            NvarParams::default()
                .delay(2)
                .order(2)
                .strides(2)
                .input_dim(2)
                .constant(true),
        )
        .unwrap();
        assert_eq!(nv.output_dim(), 1 + 4 + 10);
        let xs = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]];
        let mut last = Vec::new();
        for x in &xs {
            last = nv.step(x).unwrap().to_vec();
        }
        // Linear: x_t, x_{t−2}; then i ≤ j products.
        let lin = [7.0, 8.0, 3.0, 4.0];
        let mut expect = vec![1.0];
        expect.extend(lin);
        for i in 0..4 {
            for j in i..4 {
                expect.push(lin[i] * lin[j]);
            }
        }
        assert_eq!(last, expect);
        let nv3 = Nvar::new(NvarParams::default().delay(3).order(3).input_dim(2)).unwrap();
        assert_eq!(nv3.output_dim(), 6 + 56);
        assert!(Nvar::new(NvarParams::default().delay(1000).order(5).input_dim(10)).is_err());
    }

    #[test]
    fn a_single_lif_neuron_matches_its_hand_stepped_potential() {
        for (reset, refractory) in [
            (Reset::Subtract, 0),
            (Reset::Zero, 0),
            (Reset::None, 0),
            (Reset::Subtract, 2),
        ] {
            let w = Csr::zeros(1, 1).unwrap();
            let win = Csr::from_dense("win", 1, 1, &[0.45]).unwrap();
            let params = LsmParams::default()
                .beta(0.8)
                .threshold(1.0)
                .reset(reset)
                .refractory(refractory);
            let mut lsm = Lsm::with_weights(params, w, win).unwrap();
            let out = lsm.run(&[1u8; 30], 30).unwrap();
            // Independent loop written from the documented equations.
            let (mut v, mut spk, mut refr) = (0.0f64, false, 0usize);
            let mut expect = Vec::new();
            for _ in 0..30 {
                let mut nv = 0.8 * v;
                match reset {
                    Reset::Subtract if spk => nv -= 1.0,
                    Reset::Zero if spk => nv = 0.0,
                    _ => {}
                }
                if refr > 0 {
                    refr -= 1;
                    v = nv;
                    spk = false;
                } else {
                    v = nv + 0.45;
                    spk = v > 1.0;
                    if spk {
                        refr = refractory;
                    }
                }
                expect.push(u8::from(spk));
            }
            assert_eq!(out, expect, "{reset:?} refractory {refractory}");
            assert!(expect.contains(&1));
        }
        let c = spike_counts(&[1, 0, 1, 1, 0, 1, 0, 0], 2, 2).unwrap();
        assert_eq!(c, vec![2.0, 1.0, 0.0, 1.0]);
        let tr = filtered_traces(&[1, 0, 1], 1, 0.5).unwrap();
        assert_eq!(tr, vec![1.0, 0.5, 1.25]);
        let mut lsm = Lsm::new(LsmParams::default().units(50).input_dim(3).seed(2)).unwrap();
        assert!(
            lsm.run(&[0, 2, 0], 1)
                .unwrap_err()
                .to_string()
                .contains("must be 0 or 1")
        );
        let raster = lsm.run(&[1u8; 300], 100).unwrap();
        assert!(raster.contains(&1));
        // Inhibitory fraction: the first 10 sources have negative outgoing weights.
        let w = lsm.w().unwrap();
        for i in 0..50 {
            for k in w.indptr()[i]..w.indptr()[i + 1] {
                assert_eq!(w.data()[k] < 0.0, (w.indices()[k] as usize) < 10);
            }
        }
    }
}

/// SPEC §6 for the seeded routines (weights with `sr` scaling, noise, the liquid's weights, the
/// NARMA10 input): 1 thread vs 2 threads give the same bits, and fixed seeds give fixed values.
/// The fingerprints are change detectors, not evidence of correctness (the oracles above check
/// the distributions, the update and the scaling): the values for a fixed seed are part of the
/// reproducibility contract, so any change to them must be deliberate.
mod stability {
    use super::*;

    fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(f)
    }

    /// FNV-1a over the bits of the values.
    fn fingerprint(values: impl IntoIterator<Item = u64>) -> u64 {
        let mut h: u64 = 0xcbf29ce484222325;
        for v in values {
            for b in v.to_le_bytes() {
                h = (h ^ b as u64).wrapping_mul(0x100000001b3);
            }
        }
        h
    }

    fn csr_bits(m: &Csr) -> Vec<u64> {
        (m.indptr().iter().map(|&p| p as u64))
            .chain(m.indices().iter().map(|&j| j as u64))
            .chain(m.data().iter().map(|v| v.to_bits()))
            .collect()
    }

    fn drawn_reservoir() -> Vec<u64> {
        let params = ReservoirParams::default()
            .units(Some(60))
            .input_dim(Some(2))
            .fb_dim(1)
            .sr(Some(0.9))
            .lr(Scaling::Uniform(0.4))
            .noise_rc(0.01)
            .noise_in(0.02)
            .noise_fb(0.03)
            .seed(Some(7));
        let mut r = Reservoir::new(params).unwrap();
        let u: Vec<f64> = (0..40).map(|t| (0.3 * t as f64).sin()).collect();
        let fb: Vec<f64> = (0..20).map(|t| (0.2 * t as f64).cos()).collect();
        let mut states = vec![0.0; 20 * 60];
        r.run_into(&u, &fb, 20, &mut states, &Control::default()).unwrap();
        let mut bits = csr_bits(r.w());
        bits.extend(csr_bits(r.win()));
        bits.extend(csr_bits(r.wfb()));
        bits.extend(states.iter().map(|v| v.to_bits()));
        bits
    }

    fn liquid() -> Vec<u64> {
        let params = LsmParams::default()
            .units(50)
            .input_dim(3)
            .refractory(2)
            .seed(Some(11));
        let mut lsm = Lsm::new(params).unwrap();
        let raster: Vec<u8> = (0..300).map(|k| ((k * 7 + k / 5) % 3 == 0) as u8).collect();
        let spikes = lsm.run(&raster, 100).unwrap();
        let mut bits = csr_bits(&lsm.w().unwrap());
        bits.extend(csr_bits(&lsm.win().unwrap()));
        bits.extend(spikes.iter().map(|&s| s as u64));
        bits.extend(lsm.potential().iter().map(|v| v.to_bits()));
        bits
    }

    fn narma_input() -> Vec<u64> {
        narma10_input(500, 3)
            .unwrap()
            .iter()
            .map(|v| v.to_bits())
            .collect()
    }

    #[test]
    fn one_and_two_threads_give_the_same_bits() {
        for (name, f) in [
            ("reservoir", drawn_reservoir as fn() -> Vec<u64>),
            ("lsm", liquid),
            ("narma10_input", narma_input),
        ] {
            assert_eq!(with_threads(1, f), with_threads(2, f), "{name}");
        }
    }

    #[test]
    fn the_ridge_fit_is_the_same_on_one_and_two_threads_and_solves_the_normal_equations() {
        let mut next = lcg(21);
        let (rows, d, o) = (3000, 300, 2);
        let x: Vec<f64> = (0..rows * d).map(|_| next() - 0.5).collect();
        let y: Vec<f64> = (0..rows * o).map(|_| next() - 0.5).collect();
        let fit = |threads: usize| {
            let mut s = RidgeStats::new(d, o).unwrap();
            let c = Control::default().with_num_threads(threads);
            s.add_with(&x, &y, rows, &c).unwrap();
            s.solve(1e-3, true).unwrap()
        };
        let (one, two) = (fit(1), with_threads(2, || fit(2)));
        let bits = |r: &Readout| {
            r.wout()
                .iter()
                .chain(r.bias())
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(bits(&one), bits(&two));
        // The oracle: the centred normal equations, solved densely by nalgebra.
        let xm = DMatrix::from_row_slice(rows, d, &x);
        let ym = DMatrix::from_row_slice(rows, o, &y);
        let mx = xm.row_mean();
        let my = ym.row_mean();
        let xc = DMatrix::from_fn(rows, d, |i, j| xm[(i, j)] - mx[j]);
        let yc = DMatrix::from_fn(rows, o, |i, j| ym[(i, j)] - my[j]);
        let a = xc.transpose() * &xc + DMatrix::identity(d, d) * 1e-3;
        let w = a.cholesky().unwrap().solve(&(xc.transpose() * &yc));
        let worst = (0..d * o)
            .map(|k| (one.wout()[k] - w[(k / o, k % o)]).abs())
            .fold(0.0, f64::max);
        assert!(worst < 1e-10, "worst weight error {worst:e}");
    }

    #[test]
    fn values_for_fixed_seeds_are_unchanged() {
        let got = [
            fingerprint(drawn_reservoir()),
            fingerprint(liquid()),
            fingerprint(narma_input()),
        ];
        assert_eq!(got, CHANGE_DETECTORS, "fingerprints {got:?}");
    }
    const CHANGE_DETECTORS: [u64; 3] = [5460574445171194797, 1948177206388013917, 7678788153980621942];
}

/// Every loop a caller can make long looks at the `Control`: an interrupt stops it with
/// `Interrupted` and the model as it was before the call; a deadline stops it within
/// milliseconds.
mod control {
    use super::*;
    use neuroquant::spike::SpikeRaster;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    fn liquid() -> Lsm {
        Lsm::new(
            LsmParams::default()
                .units(400)
                .input_dim(8)
                .rc_connectivity(0.25)
                .seed(4),
        )
        .unwrap()
    }

    fn input_spikes(steps: usize, d: usize) -> Vec<u8> {
        let mut next = lcg(9);
        (0..steps * d).map(|_| u8::from(next() < 0.3)).collect()
    }

    /// Runs `f` under an interrupt that answers "stop" from its `stop_at`-th question on;
    /// returns the result and the number of questions.
    fn asked<T>(
        stop_at: usize,
        f: impl FnOnce(&Control<'_>) -> neuroquant::Result<T>,
    ) -> (neuroquant::Result<T>, usize) {
        let calls = AtomicUsize::new(0);
        let stop = || calls.fetch_add(1, Ordering::SeqCst) + 1 >= stop_at;
        let r = f(&Control::default().with_interrupt(&stop));
        (r, calls.load(Ordering::SeqCst))
    }

    #[test]
    fn lsm_runs_stop_on_interrupt_and_change_nothing() {
        let mut lsm = liquid();
        let per = lsm.steps_between_checks();
        assert!((1..200).contains(&per), "{per} steps between looks");
        let steps = 10 * per + 3;
        let s = input_spikes(steps, 8);
        lsm.run(&s[..8 * 7], 7).unwrap();
        let before = lsm.clone();
        let (r, calls) = asked(3, |c| lsm.run_with(&s, steps, c));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 3, "asked once every {per} steps, stopped at the third");
        assert_eq!(lsm.potential(), before.potential());
        assert_eq!(lsm.spikes(), before.spikes());
        assert_eq!(lsm, before);
        // Never stopping: the same result as an uncontrolled run, and asked every `per` steps.
        let (r, calls) = asked(usize::MAX, |c| lsm.run_with(&s, steps, c));
        assert_eq!(r.unwrap(), before.clone().run(&s, steps).unwrap());
        assert_eq!(calls, (steps - 1) / per);
        // The bit-packed path.
        let mut lsm = before.clone();
        let raster = SpikeRaster::from_dense(steps, 8, &s).unwrap();
        let (r, calls) = asked(2, |c| lsm.run_raster_with(&raster, c));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 2);
        assert_eq!(lsm.potential(), before.potential());
        assert_eq!(lsm.spikes(), before.spikes());
    }

    #[test]
    fn a_deadline_stops_a_long_lsm_run_within_milliseconds() {
        let mut lsm = liquid();
        let steps = 4000;
        let s = input_spikes(steps, 8);
        let t0 = Instant::now();
        lsm.clone().run(&s, steps).unwrap();
        let full = t0.elapsed();
        let t0 = Instant::now();
        let r = lsm.run_with(&s, steps, &Control::default().with_timeout(full / 20));
        let stopped = t0.elapsed();
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert!(
            stopped < full / 20 + Duration::from_millis(30).max(full / 4),
            "stopped after {stopped:?} with a {:?} deadline (full run {full:?})",
            full / 20
        );
        let raster = SpikeRaster::from_dense(steps, 8, &s).unwrap();
        let t0 = Instant::now();
        let r = lsm.run_raster_with(&raster, &Control::default().with_timeout(full / 20));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert!(t0.elapsed() < full / 20 + Duration::from_millis(30).max(full / 4));
    }

    fn esn() -> (Esn, Vec<f64>) {
        let u: Vec<f64> = (0..3000).map(|t| (t as f64 * 0.07).sin()).collect();
        let params = EsnParams::default()
            .reservoir(
                ReservoirParams::default()
                    .units(300)
                    .sr(0.9)
                    .lr(0.5)
                    .rc_connectivity(0.5)
                    .input_dim(1)
                    .seed(5),
            )
            .ridge(1e-6);
        let mut esn = Esn::new(params, 1).unwrap();
        esn.fit(
            &[Series {
                inputs: &u[..499],
                targets: &u[1..500],
                steps: 499,
            }],
            50,
        )
        .unwrap();
        (esn, u)
    }

    #[test]
    fn esn_loops_stop_on_interrupt_and_change_nothing() {
        let (mut esn, u) = esn();
        let before = esn.clone();
        let steps = 2999;
        let stopped = |r: neuroquant::Result<Vec<f64>>, calls: usize| {
            assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
            assert_eq!(calls, 2);
        };
        let (r, calls) = asked(2, |c| esn.run_with(&u[..steps], None, steps, c));
        stopped(r, calls);
        assert_eq!(esn.reservoir().state(), before.reservoir().state());
        let (r, calls) = asked(2, |c| esn.forecast_with(steps, c));
        stopped(r, calls);
        let (r, calls) = asked(2, |c| esn.generate_with(steps, &[], 0, c));
        stopped(r, calls);
        // Stopped during the warm-up.
        let (r, calls) = asked(2, |c| esn.generate_with(5, &u[..steps], steps, c));
        stopped(r, calls);
        assert_eq!(esn.reservoir().state(), before.reservoir().state());
        assert_eq!(esn.last_output(), before.last_output());
        // The reservoir alone.
        let mut r = esn.reservoir().clone();
        let mut out = vec![0.0; steps * r.units()];
        let (res, calls) = asked(2, |c| r.run_into(&u[..steps], &[], steps, &mut out, c));
        assert_eq!(res.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 2);
        assert_eq!(r.state(), before.reservoir().state());
        assert_eq!(r.steps(), before.reservoir().steps());
        // Never stopping: equal to the uncontrolled calls.
        let (g, _) = asked(usize::MAX, |c| esn.generate_with(40, &u[..100], 100, c));
        assert_eq!(g.unwrap(), before.clone().generate(40, &u[..100], 100).unwrap());
    }

    #[test]
    fn readouts_and_nvar_stop_on_interrupt_and_change_nothing() {
        let mut next = lcg(3);
        let (rows, d, o) = (6000, 40, 2);
        let x: Vec<f64> = (0..rows * d).map(|_| next() - 0.5).collect();
        let y: Vec<f64> = (0..rows * o).map(|_| next() - 0.5).collect();
        // Ridge statistics: one look per product of rows_per_batch rows.
        let mut stats = RidgeStats::new(d, o).unwrap();
        stats.add(&x[..100 * d], &y[..100 * o], 100).unwrap();
        let before = stats.clone();
        let (r, calls) = asked(2, |c| stats.add_with(&x, &y, rows, c));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 2);
        assert_eq!(stats, before);
        let (r, _) = asked(usize::MAX, |c| stats.add_with(&x, &y, rows, c));
        r.unwrap();
        let mut plain = before.clone();
        plain.add(&x, &y, rows).unwrap();
        assert_eq!(
            stats, plain,
            "a control that never stops changes nothing in the result"
        );
        // RLS and LMS: a stop leaves the weights (and RLS's P) as they were.
        let mut rls = Rls::new(RlsParams::default().alpha(1e-3), d, o).unwrap();
        rls.partial_fit(&x[..10 * d], &y[..10 * o], 10).unwrap();
        let before = rls.clone();
        let (r, calls) = asked(3, |c| rls.partial_fit_with(&x, &y, rows, c));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 3);
        assert_eq!(rls, before);
        let (r, _) = asked(usize::MAX, |c| rls.partial_fit_with(&x, &y, rows, c));
        assert_eq!(r.unwrap(), before.clone().partial_fit(&x, &y, rows).unwrap());
        let mut lms = Lms::new(LmsParams::default(), d, o).unwrap();
        let before = lms.clone();
        let big: Vec<f64> = x.iter().cycle().take(20 * rows * d).copied().collect();
        let bigy: Vec<f64> = y.iter().cycle().take(20 * rows * o).copied().collect();
        let (r, calls) = asked(1, |c| lms.partial_fit_with(&big, &bigy, 20 * rows, c));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 1);
        assert_eq!(lms, before);
        // NVAR: the delay line is as before.
        let mut nvar = Nvar::new(NvarParams::default().input_dim(d).delay(2).order(2)).unwrap();
        nvar.run(&x[..5 * d], 5).unwrap();
        let before = nvar.clone();
        let (r, calls) = asked(2, |c| nvar.run_with(&x, rows, c));
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(calls, 2);
        assert_eq!(nvar, before);
        let (r, _) = asked(usize::MAX, |c| nvar.run_with(&x, rows, c));
        assert_eq!(r.unwrap(), before.clone().run(&x, rows).unwrap());
    }
}
