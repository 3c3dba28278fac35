//! Ridge regression readouts from streamed statistics: per batch of rows the centred scatter
//! matrices are formed by one product and merged with the running ones by Chan, Golub & LeVeque's
//! pairwise update, so no `XᵀX − n·μμᵀ` cancellation ever happens and memory is O(D²) whatever
//! the number of series or steps. The bias is not penalised (ReservoirPy 0.4's choice); the
//! solve is a Cholesky factorisation with an eigendecomposition fallback (minimum-norm solution)
//! when `XᵀX + λI` is not positive definite; one eigendecomposition serves any number of ridge
//! values, and K-fold cross-validation scores them from the folds' statistics alone.

use super::error::ReservoirError;
use super::readout::Readout;
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};
use crate::params::params;
use faer::linalg::matmul::triangular::BlockStructure;
use faer::prelude::Solve as _;
use faer::{Accum, Mat, MatMut, MatRef, Par, Side};

params! {
    /// A ridge-regression readout (ReservoirPy's Ridge): Wout minimises Σ‖y − Woutᵀx − b‖² + ridge·‖Wout‖²,
    /// with the bias b not penalised.
    pub struct RidgeParams {
        /// Ridge (L2) penalty of the weights, >= 0.
        keyword ridge: f64 = 0.0,
        /// Fit an unpenalised bias (intercept).
        keyword fit_bias: bool = true,
    }
}

crate::params::params_container!(RidgeParams, "ridge_params");

impl RidgeParams {
    fn check(&self) -> Result<()> {
        check_ridge(self.ridge)
    }
}

/// Largest number of features (or outputs) of a ridge readout: its `D × D` statistics take
/// `8·D²` bytes (2 GiB at the limit).
pub const MAX_FEATURES: usize = 16384;
/// Most rows per product when accumulating (bounds the centred copy to `ROWS_PER_BATCH × D`).
const ROWS_PER_BATCH: usize = 2048;

/// Rows per product for `d` features: [`ROWS_PER_BATCH`], or fewer for wide inputs, so that one
/// product (`rows·d²/2` multiply-adds) stays near 2^29, tens of milliseconds, between two looks
/// at the `Control`; never fewer than 256, where the product stays efficient.
fn rows_per_batch(d: usize) -> usize {
    ((1usize << 29) / d.saturating_mul(d).max(1)).clamp(256, ROWS_PER_BATCH)
}

/// Columns per panel of the Gram product: fixed, so that its arithmetic does not depend on the
/// number of threads.
const PANEL: usize = 128;

/// `sxx[i, j] += Σ_k xv[k, i]·xv[k, j]` for `i >= j` (the lower triangle of `xvᵀ·xv`, BLAS's
/// syrk), in column panels of [`PANEL`] computed in parallel on the current rayon pool: panel
/// `p` is a triangular product for its diagonal block and a plain one below it. Each panel is
/// computed the same way whatever the pool, so the result is bit-identical on 1 or N threads.
fn gram_lower_add(sxx: MatMut<'_, f64>, xv: MatRef<'_, f64>) {
    use faer::linalg::matmul::{matmul, triangular};
    use rayon::prelude::*;
    let d = xv.ncols();
    let mut panels = Vec::with_capacity(d.div_ceil(PANEL));
    let (mut rest, mut c0) = (sxx, 0);
    while c0 < d {
        let w = PANEL.min(d - c0);
        let (panel, right) = rest.split_at_col_mut(w);
        panels.push((c0, panel));
        (rest, c0) = (right, c0 + w);
    }
    panels.into_par_iter().with_max_len(1).for_each(|(c0, panel)| {
        let w = panel.ncols();
        let (top, below) = panel.split_at_row_mut(c0 + w);
        let cols = xv.subcols(c0, w);
        triangular::matmul(
            top.subrows_mut(c0, w),
            BlockStructure::TriangularLower,
            Accum::Add,
            cols.transpose(),
            BlockStructure::Rectangular,
            cols,
            BlockStructure::Rectangular,
            1.0,
            Par::Seq,
        );
        if below.nrows() > 0 {
            let rows = xv.subcols(c0 + w, d - c0 - w).transpose();
            matmul(below, Accum::Add, rows, cols, 1.0, Par::Seq);
        }
    });
}

/// The sufficient statistics of a least-squares fit: sample count, means, and centred scatter
/// matrices `Σ(x−x̄)(x−x̄)ᵀ`, `Σ(x−x̄)(y−ȳ)ᵀ`, `Σ(y−ȳ)(y−ȳ)ᵀ`.
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeStats {
    n: u64,
    mean_x: Vec<f64>,
    mean_y: Vec<f64>,
    sxx: Mat<f64>,
    sxy: Mat<f64>,
    syy: Mat<f64>,
}

impl RidgeStats {
    /// Empty statistics for `features` inputs and `outputs` targets.
    pub fn new(features: usize, outputs: usize) -> Result<Self> {
        check::at_most("features", features as u64, MAX_FEATURES as u64)?;
        check::at_most("outputs", outputs as u64, MAX_FEATURES as u64)?;
        let bytes = 8 * (features * features + features * outputs + outputs * outputs);
        // Fallible first: faer's constructors abort on a refused allocation.
        crate::alloc::with_capacity::<u8>("ridge statistics", bytes)?;
        Ok(RidgeStats {
            n: 0,
            mean_x: vec![0.0; features],
            mean_y: vec![0.0; outputs],
            sxx: Mat::zeros(features, features),
            sxy: Mat::zeros(features, outputs),
            syy: Mat::zeros(outputs, outputs),
        })
    }

    /// Input features D.
    pub fn features(&self) -> usize {
        self.mean_x.len()
    }

    /// Outputs.
    pub fn outputs(&self) -> usize {
        self.mean_y.len()
    }

    /// Samples accumulated.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether no sample was accumulated.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Means of the inputs.
    pub fn mean_x(&self) -> &[f64] {
        &self.mean_x
    }

    /// Means of the targets.
    pub fn mean_y(&self) -> &[f64] {
        &self.mean_y
    }

    /// Adds `rows` samples: `x` is `rows × features`, `y` is `rows × outputs`, both row-major.
    /// The Gram product runs on the current rayon pool (see [`add_with`](Self::add_with)).
    pub fn add(&mut self, x: &[f64], y: &[f64], rows: usize) -> Result<()> {
        self.add_with(x, y, rows, &Control::default())
    }

    /// [`add`](Self::add) under `control`, looked at between products of at most 2048 rows
    /// (fewer for more than 512 features: about 2^29 multiply-adds each): a stop returns
    /// `Stopped` and leaves the statistics as they were.
    /// The Gram product runs on `control`'s threads (the current rayon pool when unset), with
    /// the same result on any number of them.
    pub fn add_with(&mut self, x: &[f64], y: &[f64], rows: usize, control: &Control<'_>) -> Result<()> {
        let (d, o) = (self.features(), self.outputs());
        check::len_rows("x", "rows", rows, d, x.len())?;
        check::len_rows("y", "rows", rows, o, y.len())?;
        check::all_finite("x", x)?;
        check::all_finite("y", y)?;
        if rows == 0 {
            return Ok(());
        }
        // One centred copy of a batch, row-major and reused: no per-batch allocation, and the
        // copy is a sequential pass (the product reads it transposed through strides).
        let per = rows_per_batch(d);
        let cap = per.min(rows);
        let mut xc = crate::alloc::filled("x", 0.0, cap * d)?;
        let mut yc = crate::alloc::filled("y", 0.0, cap * o)?;
        let cost = per.saturating_mul(d).saturating_mul(d + o);
        control.install(|| {
            super::controlled(self, rows.div_ceil(per), cost, control, "ridge fit", |s, k| {
                let (start, b) = (k * per, per.min(rows - k * per));
                s.add_batch(
                    &x[start * d..(start + b) * d],
                    &y[start * o..(start + b) * o],
                    b,
                    &mut xc[..b * d],
                    &mut yc[..b * o],
                );
                Ok(())
            })
        })??;
        // Only the lower triangle of `sxx` was accumulated.
        for j in 0..d {
            for i in j + 1..d {
                self.sxx[(j, i)] = self.sxx[(i, j)];
            }
        }
        Ok(())
    }

    /// Merges one batch of `b` rows into the statistics (Chan, Golub & LeVeque): the batch is
    /// centred on its own mean into `xc`, `yc`, its scatter added straight into the lower
    /// triangle of `sxx` (half the multiply-adds of a full product, BLAS's syrk) and into `sxy`,
    /// `syy`, plus the rank-one correction `na·nb/n · δδᵀ` of the two means.
    fn add_batch(&mut self, x: &[f64], y: &[f64], b: usize, xc: &mut [f64], yc: &mut [f64]) {
        let (d, o) = (self.features(), self.outputs());
        let centre = |v: &[f64], w: usize, c: &mut [f64]| -> Vec<f64> {
            let mut m = vec![0.0; w];
            for row in v.chunks_exact(w.max(1)).take(b) {
                m.iter_mut().zip(row).for_each(|(a, x)| *a += x);
            }
            m.iter_mut().for_each(|a| *a /= b as f64);
            if w > 0 {
                for (dst, row) in c.chunks_exact_mut(w).zip(v.chunks_exact(w)) {
                    for ((t, &x), &mu) in dst.iter_mut().zip(row).zip(&m) {
                        *t = x - mu;
                    }
                }
            }
            m
        };
        let (mx, my) = (centre(x, d, xc), centre(y, o, yc));
        let xv = MatRef::from_row_major_slice(xc, b, d);
        let yv = MatRef::from_row_major_slice(yc, b, o);
        gram_lower_add(self.sxx.as_mut(), xv);
        faer::linalg::matmul::matmul(self.sxy.as_mut(), Accum::Add, xv.transpose(), yv, 1.0, Par::Seq);
        faer::linalg::matmul::matmul(self.syy.as_mut(), Accum::Add, yv.transpose(), yv, 1.0, Par::Seq);
        let (na, nb) = (self.n as f64, b as f64);
        let n = na + nb;
        let f = na * nb / n;
        let dx: Vec<f64> = mx.iter().zip(&self.mean_x).map(|(b, a)| b - a).collect();
        let dy: Vec<f64> = my.iter().zip(&self.mean_y).map(|(b, a)| b - a).collect();
        if f != 0.0 {
            for j in 0..d {
                for i in j..d {
                    self.sxx[(i, j)] += f * dx[i] * dx[j];
                }
            }
            for j in 0..o {
                for i in 0..d {
                    self.sxy[(i, j)] += f * dx[i] * dy[j];
                }
                for i in 0..o {
                    self.syy[(i, j)] += f * dy[i] * dy[j];
                }
            }
        }
        self.shift_means(&dx, &dy, nb, n);
        self.n += b as u64;
    }

    /// Moves the means by `nb / n` times the differences `dx`, `dy` of the added samples'
    /// means (`nb` of `n` samples are new).
    fn shift_means(&mut self, dx: &[f64], dy: &[f64], nb: f64, n: f64) {
        self.mean_x.iter_mut().zip(dx).for_each(|(m, d)| *m += d * nb / n);
        self.mean_y.iter_mut().zip(dy).for_each(|(m, d)| *m += d * nb / n);
    }

    /// Adds the samples summarised by `other` (Chan, Golub & LeVeque's pairwise update).
    pub fn merge(&mut self, other: &RidgeStats) {
        debug_assert_eq!(self.features(), other.features());
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let f = na * nb / n;
        let dx: Vec<f64> = other
            .mean_x
            .iter()
            .zip(&self.mean_x)
            .map(|(b, a)| b - a)
            .collect();
        let dy: Vec<f64> = other
            .mean_y
            .iter()
            .zip(&self.mean_y)
            .map(|(b, a)| b - a)
            .collect();
        let (d, o) = (dx.len(), dy.len());
        for j in 0..d {
            for i in 0..d {
                self.sxx[(i, j)] += other.sxx[(i, j)] + f * dx[i] * dx[j];
            }
        }
        for j in 0..o {
            for i in 0..d {
                self.sxy[(i, j)] += other.sxy[(i, j)] + f * dx[i] * dy[j];
            }
            for i in 0..o {
                self.syy[(i, j)] += other.syy[(i, j)] + f * dy[i] * dy[j];
            }
        }
        self.shift_means(&dx, &dy, nb, n);
        self.n += other.n;
    }

    /// The (`A`, `B`) of the normal equations `A·W = B` without the ridge: centred when the bias
    /// is fitted, raw moments otherwise.
    fn normal_equations(&self, fit_bias: bool) -> (Mat<f64>, Mat<f64>) {
        let (mut a, mut b) = (self.sxx.clone(), self.sxy.clone());
        if !fit_bias {
            let n = self.n as f64;
            let (mx, my) = (&self.mean_x, &self.mean_y);
            for j in 0..a.ncols() {
                for i in 0..a.nrows() {
                    a[(i, j)] += n * mx[i] * mx[j];
                }
            }
            for j in 0..b.ncols() {
                for i in 0..b.nrows() {
                    b[(i, j)] += n * mx[i] * my[j];
                }
            }
        }
        (a, b)
    }

    /// The readout minimising `Σ‖y − Wᵀx − b‖² + ridge·‖W‖²` (the bias unpenalised; `b = 0`
    /// without `fit_bias`).
    pub fn solve(&self, ridge: f64, fit_bias: bool) -> Result<Readout> {
        check_ridge(ridge)?;
        if self.n == 0 {
            return Err(ReservoirError::NotFitted {
                what: "ridge statistics (no samples)",
            }
            .into());
        }
        let (mut a, b) = self.normal_equations(fit_bias);
        for i in 0..a.nrows() {
            a[(i, i)] += ridge;
        }
        // A Cholesky factor with a pivot at rounding level means a numerically singular system,
        // whose "solution" is noise: take the eigendecomposition route then too.
        let amax = (0..a.nrows()).map(|i| a[(i, i)].abs()).fold(0.0, f64::max);
        let llt = a.llt(Side::Lower).ok().filter(|llt| {
            let l = llt.L();
            let lmin = (0..l.nrows())
                .map(|i| l[(i, i)] * l[(i, i)])
                .fold(f64::INFINITY, f64::min);
            lmin > amax * a.nrows() as f64 * f64::EPSILON
        });
        let w = match llt {
            Some(llt) => llt.solve(&b),
            None => {
                // Not positive definite (ridge = 0 with dependent features): minimum-norm
                // solution through the eigendecomposition.
                let eig = a
                    .self_adjoint_eigen(Side::Lower)
                    .map_err(|e| ReservoirError::Singular {
                        reason: format!("{e:?}"),
                    })?;
                let (u, s) = (eig.U(), eig.S().column_vector());
                let smax = (0..s.nrows()).map(|i| s[i].abs()).fold(0.0, f64::max);
                let cut = smax * a.nrows() as f64 * f64::EPSILON;
                let mut c = Mat::zeros(b.nrows(), b.ncols());
                faer::linalg::matmul::matmul(
                    c.as_mut(),
                    Accum::Replace,
                    u.transpose(),
                    b.as_ref(),
                    1.0,
                    Par::Seq,
                );
                for i in 0..c.nrows() {
                    let inv = if s[i] > cut { 1.0 / s[i] } else { 0.0 };
                    for j in 0..c.ncols() {
                        c[(i, j)] *= inv;
                    }
                }
                let mut w = Mat::zeros(b.nrows(), b.ncols());
                faer::linalg::matmul::matmul(w.as_mut(), Accum::Replace, u, c.as_ref(), 1.0, Par::Seq);
                w
            }
        };
        Ok(self.readout(w.as_ref(), fit_bias))
    }

    fn readout(&self, w: MatRef<'_, f64>, fit_bias: bool) -> Readout {
        let (d, o) = (w.nrows(), w.ncols());
        let wout: Vec<f64> = (0..d * o).map(|k| w[(k / o, k % o)]).collect();
        let bias = if fit_bias {
            (0..o)
                .map(|j| self.mean_y[j] - (0..d).map(|i| self.mean_x[i] * w[(i, j)]).sum::<f64>())
                .collect()
        } else {
            vec![0.0; o]
        };
        Readout::from_parts(wout, bias, d, o)
    }

    /// One eigendecomposition of the (centred) scatter matrix, from which the readout for any
    /// ridge value costs `O(D²·outputs)`.
    pub fn path(&self, fit_bias: bool) -> Result<RidgePath> {
        if self.n == 0 {
            return Err(ReservoirError::NotFitted {
                what: "ridge statistics (no samples)",
            }
            .into());
        }
        let (a, b) = self.normal_equations(fit_bias);
        let eig = a
            .self_adjoint_eigen(Side::Lower)
            .map_err(|e| ReservoirError::Singular {
                reason: format!("{e:?}"),
            })?;
        let u = eig.U().to_owned();
        let s: Vec<f64> = (0..a.nrows())
            .map(|i| eig.S().column_vector()[i].max(0.0))
            .collect();
        let mut c = Mat::zeros(b.nrows(), b.ncols());
        faer::linalg::matmul::matmul(
            c.as_mut(),
            Accum::Replace,
            u.transpose(),
            b.as_ref(),
            1.0,
            Par::Seq,
        );
        Ok(RidgePath { u, s, c, fit_bias })
    }
}

fn check_ridge(ridge: f64) -> Result<()> {
    check::finite("ridge", ridge)?;
    if ridge < 0.0 {
        return Err(ArgumentError::Invalid {
            argument: "ridge",
            reason: format!("is {ridge}, must be >= 0"),
        }
        .into());
    }
    Ok(())
}

/// The eigendecomposition `A = U·diag(s)·Uᵀ` of the normal equations and `C = Uᵀ·B`, so that
/// `W(λ) = U·diag(1/(s + λ))·C`.
#[derive(Debug, Clone)]
pub struct RidgePath {
    u: Mat<f64>,
    s: Vec<f64>,
    c: Mat<f64>,
    fit_bias: bool,
}

impl RidgePath {
    /// The eigenvalues of `XᵀX` (centred when the bias is fitted), ascending.
    pub fn eigenvalues(&self) -> &[f64] {
        &self.s
    }

    /// `diag(1/(s + λ))·C` (`W = U·Z`), zero where `s + λ` vanishes (minimum-norm).
    fn z(&self, ridge: f64) -> Mat<f64> {
        let smax = self.s.iter().copied().fold(0.0, f64::max);
        let cut = smax * self.s.len() as f64 * f64::EPSILON;
        let mut z = self.c.clone();
        for i in 0..z.nrows() {
            let d = self.s[i] + ridge;
            let inv = if d > cut { 1.0 / d } else { 0.0 };
            for j in 0..z.ncols() {
                z[(i, j)] *= inv;
            }
        }
        z
    }

    /// The readout for `ridge` (with the statistics the path was made from).
    pub fn solve(&self, stats: &RidgeStats, ridge: f64) -> Result<Readout> {
        check_ridge(ridge)?;
        let z = self.z(ridge);
        let mut w = Mat::zeros(z.nrows(), z.ncols());
        faer::linalg::matmul::matmul(
            w.as_mut(),
            Accum::Replace,
            self.u.as_ref(),
            z.as_ref(),
            1.0,
            Par::Seq,
        );
        Ok(stats.readout(w.as_ref(), self.fit_bias))
    }
}

/// The result of [`ridge_cv`]: the mean squared validation error of each ridge value (over every
/// validation sample and output) and the best value.
#[derive(Debug, Clone, PartialEq)]
pub struct RidgeCv {
    /// The ridge values tried, as given.
    pub ridges: Vec<f64>,
    /// Mean squared validation error of each.
    pub errors: Vec<f64>,
    /// The ridge value with the smallest error (the first of equals).
    pub best: f64,
}

/// K-fold cross-validation of ridge values: fold `k` is validated by the readout trained on all
/// the other folds; each fold costs one eigendecomposition whatever the number of ridge values,
/// and its validation error comes from its statistics alone (no sample is kept). Folds run in
/// parallel under `control`; the errors are combined in fold order, so the result does not
/// depend on the thread count.
pub fn ridge_cv(
    folds: &[RidgeStats],
    ridges: &[f64],
    fit_bias: bool,
    control: &Control<'_>,
) -> Result<RidgeCv> {
    use rayon::prelude::*;
    if folds.len() < 2 {
        return Err(ArgumentError::Invalid {
            argument: "folds",
            reason: format!("has {} fold(s), must have at least 2", folds.len()),
        }
        .into());
    }
    if ridges.is_empty() {
        return Err(ArgumentError::Invalid {
            argument: "ridges",
            reason: "is empty, must hold at least one ridge value".into(),
        }
        .into());
    }
    for &r in ridges {
        check_ridge(r)?;
    }
    let (d, o) = (folds[0].features(), folds[0].outputs());
    for f in folds {
        check::len("folds", d, f.features())?;
        check::len("folds", o, f.outputs())?;
    }
    let per_fold: Vec<Result<Vec<f64>>> = control.install(|| {
        (0..folds.len())
            .into_par_iter()
            .map(|k| {
                if control.should_stop() {
                    return Err(ReservoirError::Stopped { what: "ridge_cv" }.into());
                }
                let mut train = RidgeStats::new(d, o)?;
                for (j, f) in folds.iter().enumerate() {
                    if j != k {
                        train.merge(f);
                    }
                }
                fold_errors(&train, &folds[k], ridges, fit_bias)
            })
            .collect()
    })?;
    let mut sse = vec![0.0; ridges.len()];
    for errs in per_fold {
        sse.iter_mut().zip(errs?).for_each(|(a, e)| *a += e);
    }
    let total = folds.iter().map(|f| f.n).sum::<u64>() as f64 * o.max(1) as f64;
    let errors: Vec<f64> = sse.iter().map(|s| s / total).collect();
    let best = (0..ridges.len())
        .min_by(|&a, &b| errors[a].total_cmp(&errors[b]))
        .map(|i| ridges[i])
        .expect("at least one ridge value");
    Ok(RidgeCv {
        ridges: ridges.to_vec(),
        errors,
        best,
    })
}

/// Sum of squared validation errors on `valid` of the readout trained on `train`, per ridge value:
/// `tr(Syy) − 2·tr(WᵀSxy) + tr(WᵀSxxW) + n·‖ȳ − b − Wᵀx̄‖²` with the validation statistics.
fn fold_errors(train: &RidgeStats, valid: &RidgeStats, ridges: &[f64], fit_bias: bool) -> Result<Vec<f64>> {
    if valid.n == 0 {
        return Ok(vec![0.0; ridges.len()]);
    }
    if train.n == 0 {
        return Err(ReservoirError::NoSamples { series: 0, warmup: 0 }.into());
    }
    let path = train.path(fit_bias)?;
    let u = path.u.as_ref();
    let (d, o) = (train.features(), train.outputs());
    // The validation statistics in the eigenbasis.
    let mut t = Mat::zeros(d, d);
    faer::linalg::matmul::matmul(
        t.as_mut(),
        Accum::Replace,
        u.transpose(),
        valid.sxx.as_ref(),
        1.0,
        Par::Seq,
    );
    let mut a = Mat::zeros(d, d);
    faer::linalg::matmul::matmul(a.as_mut(), Accum::Replace, t.as_ref(), u, 1.0, Par::Seq);
    let mut g = Mat::zeros(d, o);
    faer::linalg::matmul::matmul(
        g.as_mut(),
        Accum::Replace,
        u.transpose(),
        valid.sxy.as_ref(),
        1.0,
        Par::Seq,
    );
    let ux_t: Vec<f64> = (0..d)
        .map(|i| (0..d).map(|k| u[(k, i)] * train.mean_x[k]).sum())
        .collect();
    let ux_v: Vec<f64> = (0..d)
        .map(|i| (0..d).map(|k| u[(k, i)] * valid.mean_x[k]).sum())
        .collect();
    let tr_syy: f64 = (0..o).map(|j| valid.syy[(j, j)]).sum();
    let n = valid.n as f64;
    let mut out = Vec::with_capacity(ridges.len());
    for &ridge in ridges {
        let z = path.z(ridge);
        let mut az = Mat::zeros(d, o);
        faer::linalg::matmul::matmul(az.as_mut(), Accum::Replace, a.as_ref(), z.as_ref(), 1.0, Par::Seq);
        let mut sse = tr_syy;
        for j in 0..o {
            let mut cross = 0.0;
            let mut quad = 0.0;
            let (mut wx_t, mut wx_v) = (0.0, 0.0);
            for i in 0..d {
                cross += z[(i, j)] * g[(i, j)];
                quad += z[(i, j)] * az[(i, j)];
                wx_t += z[(i, j)] * ux_t[i];
                wx_v += z[(i, j)] * ux_v[i];
            }
            let b = if fit_bias { train.mean_y[j] - wx_t } else { 0.0 };
            let r = valid.mean_y[j] - b - wx_v;
            sse += -2.0 * cross + quad + n * r * r;
        }
        out.push(sse.max(0.0));
    }
    Ok(out)
}
