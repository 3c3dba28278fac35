//! Benchmark series: Mackey–Glass (delay differential equation integrated by RK4 with cubic
//! Hermite interpolation of the delayed term), the standard NARMA10 recurrence, and Lorenz-63
//! (RK4 with sub-steps).

use crate::Result;
use crate::error::{ArgumentError, check};
use crate::rng;
use rand::RngExt as _;

/// Largest number of integration steps (samples × sub-steps) a generator takes.
pub const MAX_INTEGRATION_STEPS: u64 = 1 << 28;

fn positive(argument: &'static str, v: f64) -> Result<()> {
    check::finite(argument, v)?;
    if v <= 0.0 {
        return Err(ArgumentError::Invalid {
            argument,
            reason: format!("is {v}, must be > 0"),
        }
        .into());
    }
    Ok(())
}

fn steps(n: usize, substeps: usize) -> Result<usize> {
    if substeps == 0 {
        return Err(ArgumentError::Invalid {
            argument: "substeps",
            reason: "is 0, must be at least 1".into(),
        }
        .into());
    }
    check::at_most_implied(
        "n_timesteps",
        n as u64,
        |n| n as u128 * substeps as u128,
        MAX_INTEGRATION_STEPS as u128,
    )?;
    Ok(n * substeps)
}

/// Mackey–Glass: `dx/dt = a·x(t−τ) / (1 + x(t−τ)^power) − b·x(t)` with `x(t) = x0` for `t ≤ 0`,
/// sampled every `h` from `t = 0` (`n` samples, the first is `x0`). Integrated by classical RK4
/// with step `h / substeps`; the delayed values between grid points come from cubic Hermite
/// interpolation of the computed solution and its derivative (fourth order, as RK4).
/// Needs `τ ≥ h / substeps`.
#[allow(clippy::too_many_arguments)]
pub fn mackey_glass(
    n: usize,
    tau: f64,
    a: f64,
    b: f64,
    power: f64,
    x0: f64,
    h: f64,
    substeps: usize,
) -> Result<Vec<f64>> {
    positive("tau", tau)?;
    positive("h", h)?;
    for (name, v) in [("a", a), ("b", b), ("n", power), ("x0", x0)] {
        check::finite(name, v)?;
    }
    let total = steps(n, substeps)?;
    let dt = h / substeps as f64;
    if tau < dt {
        return Err(ArgumentError::Invalid {
            argument: "tau",
            reason: format!("is {tau}, must be at least the integration step h / substeps = {dt}"),
        }
        .into());
    }
    let rhs = |x: f64, xd: f64| a * xd / (1.0 + xd.powf(power)) - b * x;
    // The solution and its derivative on the grid t_k = k·dt.
    let mut xs = crate::alloc::with_capacity::<f64>("mackey_glass", total + 1)?;
    let mut fs = crate::alloc::with_capacity::<f64>("mackey_glass", total + 1)?;
    let delayed = |xs: &[f64], fs: &[f64], t: f64| -> f64 {
        let td = t - tau;
        if td <= 0.0 {
            return x0;
        }
        let k = ((td / dt).floor() as usize).min(xs.len() - 1);
        if k + 1 >= xs.len() {
            return xs[k];
        }
        let s = td / dt - k as f64;
        let (h00, h10, h01, h11) = (
            (1.0 + 2.0 * s) * (1.0 - s) * (1.0 - s),
            s * (1.0 - s) * (1.0 - s),
            s * s * (3.0 - 2.0 * s),
            s * s * (s - 1.0),
        );
        h00 * xs[k] + h10 * dt * fs[k] + h01 * xs[k + 1] + h11 * dt * fs[k + 1]
    };
    xs.push(x0);
    fs.push(rhs(x0, x0));
    let mut out = crate::alloc::with_capacity::<f64>("mackey_glass", n)?;
    for k in 0..total {
        if k % substeps == 0 {
            out.push(xs[k]);
        }
        let t = k as f64 * dt;
        let x = xs[k];
        let (d0, dh, d1) = (
            delayed(&xs, &fs, t),
            delayed(&xs, &fs, t + dt / 2.0),
            delayed(&xs, &fs, t + dt),
        );
        let k1 = fs[k];
        let k2 = rhs(x + dt / 2.0 * k1, dh);
        let k3 = rhs(x + dt / 2.0 * k2, dh);
        let k4 = rhs(x + dt * k3, d1);
        let _ = d0;
        let next = x + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        xs.push(next);
        fs.push(rhs(next, delayed(&xs, &fs, t + dt)));
    }
    Ok(out)
}

/// NARMA10 in its standard form (Atiya & Parlos 2000): `y(t+1) = 0.3·y(t) + 0.05·y(t)·Σ_{i=0..9} y(t−i)
/// + 1.5·u(t−9)·u(t) + 0.1`, `y(t) = 0` for `t < 10`. `u` is the input (for instance uniform on
/// [0, 0.5], see [`narma10_input`]); returns `y`, as long as `u`.
pub fn narma10(u: &[f64]) -> Result<Vec<f64>> {
    check::all_finite("u", u)?;
    let mut y = crate::alloc::filled("narma10", 0.0, u.len())?;
    for t in 9..u.len().saturating_sub(1) {
        let sum: f64 = y[t - 9..=t].iter().sum();
        y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * sum + 1.5 * u[t - 9] * u[t] + 0.1;
    }
    Ok(y)
}

/// `n` values uniform on `[0, 0.5)`, the usual NARMA10 input, from `rng::stream(seed, 0)`.
pub fn narma10_input(n: usize, seed: u64) -> Result<Vec<f64>> {
    let mut rng = rng::stream(seed, 0);
    let mut u = crate::alloc::with_capacity("u", n)?;
    u.extend((0..n).map(|_| rng.random_range(0.0..0.5)));
    Ok(u)
}

/// Lorenz-63: `ẋ = σ(y − x)`, `ẏ = x(ρ − z) − y`, `ż = xy − βz`, sampled every `h` from `x0`
/// (`n` rows of `(x, y, z)`, row-major; the first is `x0`), integrated by RK4 with step
/// `h / substeps`.
#[allow(clippy::too_many_arguments)]
pub fn lorenz(
    n: usize,
    sigma: f64,
    rho: f64,
    beta: f64,
    x0: [f64; 3],
    h: f64,
    substeps: usize,
) -> Result<Vec<f64>> {
    positive("h", h)?;
    for (name, v) in [("sigma", sigma), ("rho", rho), ("beta", beta)] {
        check::finite(name, v)?;
    }
    check::all_finite("x0", &x0)?;
    steps(n, substeps)?;
    let f = |s: [f64; 3]| {
        [
            sigma * (s[1] - s[0]),
            s[0] * (rho - s[2]) - s[1],
            s[0] * s[1] - beta * s[2],
        ]
    };
    let add = |s: [f64; 3], k: [f64; 3], c: f64| [s[0] + c * k[0], s[1] + c * k[1], s[2] + c * k[2]];
    let dt = h / substeps as f64;
    let mut out = crate::alloc::with_capacity("lorenz", n.saturating_mul(3))?;
    let mut s = x0;
    for i in 0..n {
        out.extend_from_slice(&s);
        if i + 1 == n {
            break;
        }
        for _ in 0..substeps {
            let k1 = f(s);
            let k2 = f(add(s, k1, dt / 2.0));
            let k3 = f(add(s, k2, dt / 2.0));
            let k4 = f(add(s, k3, dt));
            for j in 0..3 {
                s[j] += dt / 6.0 * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j]);
            }
        }
    }
    Ok(out)
}
