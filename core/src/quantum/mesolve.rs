//! `mesolve`: the Lindblad master equation
//! `dρ/dt = −i[H, ρ] + Σ_k (c_k ρ c_k† − ½{c_k† c_k, ρ})` in matrix form — never the n²×n²
//! superoperator. Matrix-free (Pauli) Hamiltonians never take a matrix product: their
//! diagonal is an elementwise factor `−i(h_i − h_j)` and each flip mask `x` adds
//! `−i(A[i,i^x] ρ[i^x,j] − ρ[i,j^x] A[j^x,j])`, read from two contiguous rows of ρ (see
//! [`Liouvillian`]). CSR and dense parts take one product: with `X = −iHρ` the commutator is
//! `X + X†` (ρ is Hermitian). Jump operators are sorted once:
//! - diagonal ones (σz, number operators, any diagonal matrix) and the `c†c` of Pauli strings
//!   (`|a|²·I`) fold, with `H0`'s diagonal, into one elementwise mask `M`, so `ρ_ij ← M_ij ρ_ij`
//!   covers them all (dephasing of N qubits costs one multiply per entry, not N);
//! - Pauli strings that flip bits (σx, σy, products) are signed permutations of ρ's entries;
//! - any other operator takes two sparse products, `c ρ c† = (c (c ρ)†)†`, plus `c†c ρ`.

use super::hamiltonian::{check_dm, check_ket, check_tlist};
use super::krylov::{KrylovSettings, propagate_general};
use super::options::{Method, SolverOptions};
use super::rk::{Pair, integrate};
use super::sesolve::{Collector, SolveResult, check_e_ops, rk_settings, store_states};
use super::{C64, Hamiltonian, Operator, par};
use crate::Result;
use crate::control::Control;
use crate::error::check;
use crate::quantum::pauli::invalid;

/// The dissipative part, prepared once.
struct Dissipator {
    /// `M_ij`: the diagonal jumps' `d_i conj(d_j)` summed, minus `½(k_i + k_j)` with `k` the
    /// diagonal of every diagonal `c†c`.
    mask: Option<Vec<C64>>,
    /// Bit-flipping Pauli jumps: (|a|², x, z).
    flips: Vec<(f64, u64, u64)>,
    /// Other jumps: (c, c†c).
    general: Vec<(Operator, Operator)>,
}

impl Dissipator {
    fn new(dim: usize, c_ops: &[Operator]) -> Result<Self> {
        let mut mask: Option<Vec<C64>> = None;
        let mut kdiag = vec![0.0f64; dim];
        let mut flips = Vec::new();
        let mut general = Vec::new();
        for c in c_ops {
            check::len("c_ops", dim, c.dim())?;
            if let Some((a, x, z)) = c.single_pauli() {
                flips.push((a.norm_sqr(), x, z));
                kdiag.iter_mut().for_each(|k| *k += a.norm_sqr());
            } else if c.is_diagonal() {
                let d = c.diagonal();
                let m = mask_of(&mut mask, dim)?;
                for i in 0..dim {
                    for j in 0..dim {
                        m[i * dim + j] += d[i] * d[j].conj();
                    }
                }
                for (k, di) in kdiag.iter_mut().zip(&d) {
                    *k += di.norm_sqr();
                }
            } else {
                let cdc = c.adjoint()?.matmul(c)?;
                general.push((c.clone(), cdc));
            }
        }
        if kdiag.iter().any(|&k| k != 0.0) {
            let m = mask_of(&mut mask, dim)?;
            for i in 0..dim {
                for j in 0..dim {
                    m[i * dim + j] -= C64::new(0.5 * (kdiag[i] + kdiag[j]), 0.0);
                }
            }
        }
        Ok(Dissipator { mask, flips, general })
    }
}

/// The `dim²` mask, allocated (zero) on first use.
fn mask_of(mask: &mut Option<Vec<C64>>, dim: usize) -> Result<&mut Vec<C64>> {
    Ok(match mask {
        Some(m) => m,
        None => mask.insert(crate::alloc::filled(
            "lindblad mask",
            C64::new(0.0, 0.0),
            dim * dim,
        )?),
    })
}

/// One off-diagonal group of a matrix-free Hamiltonian operator `A`: the entries `A[r, r ^ x]`.
/// In the commutator, `(Aρ − ρA)_ij = A[i, i^x] ρ[i^x, j] − ρ[i, j^x] A[j^x, j]`.
enum Flip {
    /// `A[r, r ^ x] = a` for every `r` (strings of X only).
    Const { x: usize, a: C64 },
    /// `left[i] = A[i, i ^ x]`, `right[j] = A[j ^ x, j]` (strings with Y or Z factors).
    Varying {
        x: usize,
        left: Vec<C64>,
        right: Vec<C64>,
    },
}

/// Which operator of `H(t) = H0 + Σ_k c_k(t) H_k`: `None` for `H0`, `Some(k)` for `H_k`.
type Term = Option<usize>;

/// The Lindbladian `L(t)ρ`, prepared once. Matrix-free (Pauli) parts of `H` are folded into
/// one elementwise pass over ρ, row by row:
/// - `H0`'s diagonal `h` joins the diagonal jumps in one complex mask,
///   `M_ij = D_ij − i(h_i − h_j)`;
/// - the diagonals of the `H_k` give `−i(e_i − e_j) ρ_ij` with `e = Σ_k c_k(t) diag(H_k)`,
///   formed once per evaluation (`dim` values);
/// - each off-diagonal group (a flip mask `x`) adds `−i c (A[i,i^x] ρ[i^x,j] − ρ[i,j^x] A[j^x,j])`,
///   two contiguous rows of ρ per output row;
/// - bit-flipping Pauli jumps are signed permutations of ρ's entries.
///
/// CSR and dense parts of `H` (and the `−½c†cρ` of general jumps) go through one product
/// `W = −i H ρ` and `W + W†`; general jumps then add `c ρ c†`.
struct Liouvillian {
    n: usize,
    diss: Dissipator,
    /// The diagonals of time-dependent matrix-free `H_k`.
    td_diag: Vec<(usize, Vec<C64>)>,
    /// The off-diagonal groups of matrix-free operators.
    flips: Vec<(Term, Flip)>,
    /// Operators applied as products (CSR, dense, or every one when not folding).
    rest: Vec<Term>,
}

/// Per-evaluation scratch of [`Liouvillian::apply`], allocated once per solve.
struct Scratch {
    /// `W` and a second `dim²` buffer (empty when no product is needed).
    w: Vec<C64>,
    w2: Vec<C64>,
    /// `−i e` (empty without time-dependent diagonals).
    e: Vec<C64>,
    /// The factor of each flip at the current time.
    factors: Vec<C64>,
}

impl Liouvillian {
    /// `fold = false` sends every Hamiltonian operator through the product path (the plain
    /// form, kept for operators without Pauli structure and as the tests' reference).
    fn new(h: &Hamiltonian, c_ops: &[Operator], fold: bool) -> Result<Self> {
        let n = h.dim();
        let mut diss = Dissipator::new(n, c_ops)?;
        let mut td_diag = Vec::new();
        let mut flips = Vec::new();
        let mut rest = Vec::new();
        let ops =
            std::iter::once((None, &h.h0)).chain(h.terms.iter().enumerate().map(|(k, (o, _))| (Some(k), o)));
        for (term, op) in ops {
            let Some((diag, groups)) = op.pauli_parts().filter(|_| fold) else {
                rest.push(term);
                continue;
            };
            if let Some(d) = diag {
                match term {
                    None => {
                        let m = mask_of(&mut diss.mask, n)?;
                        for i in 0..n {
                            let row = &mut m[i * n..(i + 1) * n];
                            for (o, dj) in row.iter_mut().zip(&d) {
                                *o += C64::new(0.0, -1.0) * (d[i] - dj);
                            }
                        }
                    }
                    Some(k) => td_diag.push((k, d)),
                }
            }
            for (x, terms) in groups {
                let flip = if terms.iter().all(|t| t.1 == 0) {
                    Flip::Const {
                        x: x as usize,
                        a: terms.iter().map(|t| t.0).sum(),
                    }
                } else {
                    let entry = |c: u64| -> C64 {
                        terms
                            .iter()
                            .map(|&(coef, z)| {
                                if (c & z).count_ones() & 1 == 1 {
                                    -coef
                                } else {
                                    coef
                                }
                            })
                            .sum()
                    };
                    Flip::Varying {
                        x: x as usize,
                        // A[i, i^x]: the sign is read at the column i^x; A[j^x, j]: at j.
                        left: (0..n as u64).map(|i| entry(i ^ x)).collect(),
                        right: (0..n as u64).map(entry).collect(),
                    }
                };
                flips.push((term, flip));
            }
        }
        Ok(Liouvillian {
            n,
            diss,
            td_diag,
            flips,
            rest,
        })
    }

    fn scratch(&self) -> Scratch {
        let n = self.n;
        let products = !self.rest.is_empty() || !self.diss.general.is_empty();
        let zero = C64::new(0.0, 0.0);
        Scratch {
            w: if products { vec![zero; n * n] } else { Vec::new() },
            w2: if self.diss.general.is_empty() {
                Vec::new()
            } else {
                vec![zero; n * n]
            },
            e: if self.td_diag.is_empty() {
                Vec::new()
            } else {
                vec![zero; n]
            },
            factors: vec![zero; self.flips.len()],
        }
    }

    /// `y = L(t) x` (`x`, `y` row-major `n × n`; `cs` the coefficients at `t`).
    fn apply(&self, h: &Hamiltonian, cs: &[C64], x: &[C64], y: &mut [C64], s: &mut Scratch) {
        let n = self.n;
        let zero = C64::new(0.0, 0.0);
        let minus_i = C64::new(0.0, -1.0);
        let coef = |t: Term| t.map_or(C64::new(1.0, 0.0), |k| cs[k]);
        // −i e: the time-dependent diagonal.
        if !s.e.is_empty() {
            s.e.fill(zero);
            for (k, d) in &self.td_diag {
                let c = minus_i * cs[*k];
                for (o, dv) in s.e.iter_mut().zip(d) {
                    *o += c * dv;
                }
            }
        }
        for ((t, flip), f) in self.flips.iter().zip(&mut s.factors) {
            *f = minus_i * coef(*t);
            if let Flip::Const { a, .. } = flip {
                *f *= a;
            }
        }
        // The product path: W = −i H_rest x − ½ Σ c†c x, y = W + W†.
        let init = s.w.is_empty();
        if !init {
            let w = &mut s.w;
            w.fill(zero);
            for &t in &self.rest {
                let op = t.map_or(&h.h0, |k| &h.terms[k].0);
                op.apply_rows_add(minus_i * coef(t), x, w);
            }
            for (_, cdc) in &self.diss.general {
                cdc.apply_rows_add(C64::new(-0.5, 0.0), x, w);
            }
            add_adjoint_pair(w, y, n);
        }
        // The elementwise pass, in blocks of rows.
        let rows_per = TILE.min(n.max(1));
        let (e, factors) = (&s.e[..], &s.factors[..]);
        // With real coefficients H(t) is Hermitian (every operator is), so is the Hamiltonian and
        // diagonal-jump part of L(t)x for a Hermitian x: the pass computes columns j ≤ i only
        // (rounded up to a multiple of 8) and the upper triangle is mirrored.
        let half = cs.iter().all(|c| c.im == 0.0);
        par::for_each_row(y, rows_per * n, |b, block| {
            let pass = Pass {
                init,
                half,
                e,
                factors,
            };
            if crate::cpu::avx2() {
                // SAFETY: the CPU supports AVX2 (checked at run time).
                #[cfg(target_arch = "x86_64")]
                unsafe {
                    self.rows_avx2(b * rows_per, block, x, &pass)
                }
            } else {
                self.rows(b * rows_per, block, x, &pass)
            }
        });
        if half {
            mirror_lower(y, n);
        }
        // General jumps: c x c† = (c (c x)†)†
        for (c, _) in &self.diss.general {
            let (w, w2) = (&mut s.w, &mut s.w2);
            w.fill(zero);
            c.apply_rows_add(C64::new(1.0, 0.0), x, w);
            adjoint_in_place(w, w2, n);
            w.fill(zero);
            c.apply_rows_add(C64::new(1.0, 0.0), w2, w);
            for i in 0..n {
                for j in 0..n {
                    y[i * n + j] += w[j * n + i].conj();
                }
            }
        }
    }

    /// Rows `i0..` of the elementwise part.
    #[inline(always)]
    fn rows(&self, i0: usize, block: &mut [C64], x: &[C64], pass: &Pass<'_>) {
        for (di, row) in block.chunks_mut(self.n).enumerate() {
            self.row_pass(i0 + di, row, x, pass);
        }
    }

    /// [`rows`](Self::rows) compiled for AVX2 (the same operations in the same order: no FMA,
    /// so results are bit-identical to the baseline build).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn rows_avx2(&self, i0: usize, block: &mut [C64], x: &[C64], pass: &Pass<'_>) {
        self.rows(i0, block, x, pass)
    }

    /// Row `i` of the elementwise part: `row (=|+=) M_i∘x_i + (e_i − e)∘x_i + flips`.
    #[inline(always)]
    fn row_pass(&self, i: usize, row: &mut [C64], x: &[C64], pass: &Pass<'_>) {
        let n = self.n;
        let (init, e, factors) = (pass.init, pass.e, pass.factors);
        // Columns 0..m: the lower triangle (and up to 7 more) when mirroring.
        let cols = if pass.half {
            (i + 1).next_multiple_of(8).min(n)
        } else {
            n
        };
        let row = &mut row[..cols];
        let own_row = &x[i * n..(i + 1) * n];
        let own = &own_row[..cols];
        match (&self.diss.mask, init) {
            (Some(m), true) => {
                for ((o, &mv), &xv) in row.iter_mut().zip(&m[i * n..(i + 1) * n]).zip(own) {
                    *o = mv * xv;
                }
            }
            (Some(m), false) => {
                for ((o, &mv), &xv) in row.iter_mut().zip(&m[i * n..(i + 1) * n]).zip(own) {
                    *o += mv * xv;
                }
            }
            (None, true) => row.fill(C64::new(0.0, 0.0)),
            (None, false) => {}
        }
        if !e.is_empty() {
            let ei = e[i];
            for ((o, &ej), &xv) in row.iter_mut().zip(e).zip(own) {
                *o += (ei - ej) * xv;
            }
        }
        for ((_, flip), &f) in self.flips.iter().zip(factors) {
            match flip {
                Flip::Const { x: fx, a: _ } => {
                    let src = &x[(i ^ fx) * n..(i ^ fx) * n + cols];
                    add_flip_difference(f, src, own_row, *fx, row);
                }
                Flip::Varying { x: fx, left, right } => {
                    let src = &x[(i ^ fx) * n..(i ^ fx) * n + cols];
                    let l = f * left[i];
                    for (j, o) in row.iter_mut().enumerate() {
                        *o += l * src[j] - f * own_row[j ^ fx] * right[j];
                    }
                }
            }
        }
        for &(g, fx, fz) in &self.diss.flips {
            let si = i as u64 ^ fx;
            let sign_i = if (si & fz).count_ones() & 1 == 1 { -g } else { g };
            let src = &x[si as usize * n..(si as usize + 1) * n];
            for (j, o) in row.iter_mut().enumerate() {
                let sj = j as u64 ^ fx;
                let v = src[sj as usize];
                *o += if (sj & fz).count_ones() & 1 == 1 {
                    -sign_i * v
                } else {
                    sign_i * v
                };
            }
        }
    }
}

/// The per-evaluation settings of the elementwise pass.
struct Pass<'a> {
    /// Write (rather than add to) the output rows.
    init: bool,
    /// Compute the lower triangle only (the caller mirrors it).
    half: bool,
    /// `−i e`, the time-dependent diagonal (empty: none).
    e: &'a [C64],
    /// The factor of each flip.
    factors: &'a [C64],
}

/// `y_ij = conj(y_ji)` for `j > i`, tile by tile.
fn mirror_lower(y: &mut [C64], n: usize) {
    for i0 in (0..n).step_by(TILE) {
        let i1 = (i0 + TILE).min(n);
        let (top, bottom) = y.split_at_mut(i1 * n);
        for i in i0..i1 {
            for j in i + 1..i1 {
                top[i * n + j] = top[j * n + i].conj();
            }
        }
        for j0 in (i1..n).step_by(TILE) {
            let j1 = (j0 + TILE).min(n);
            for i in i0..i1 {
                for (j, o) in top[i * n + j0..i * n + j1].iter_mut().enumerate() {
                    *o = bottom[(j0 + j - i1) * n + i].conj();
                }
            }
        }
    }
}

/// Rows per block of the elementwise pass and tile size of `W + W†`.
const TILE: usize = 32;

/// `y = w + w†`, in blocks of `TILE` rows with `w†` read tile by tile.
fn add_adjoint_pair(w: &[C64], y: &mut [C64], n: usize) {
    let rows_per = TILE.min(n.max(1));
    par::for_each_row(y, rows_per * n, |b, block| {
        let i0 = b * rows_per;
        for j0 in (0..n).step_by(TILE) {
            let j1 = (j0 + TILE).min(n);
            for (di, row) in block.chunks_mut(n).enumerate() {
                let i = i0 + di;
                for (j, o) in row[j0..j1].iter_mut().enumerate() {
                    let j = j0 + j;
                    *o = w[i * n + j] + w[j * n + i].conj();
                }
            }
        }
    });
}

/// `row[j] += f · (src[j] − own[j ^ x])` for `j < row.len()` (`x ≠ 0`, `own.len()` a power of
/// two above `x`, `row.len()` = `src.len()` a multiple of 8 or `own.len()`). With
/// `2^b` the lowest bit of `x`, an aligned chunk of `2^(b+1)` entries reads the chunk at
/// `j0 ^ x` with its halves swapped: two contiguous runs, unrolled for the short ones. A real
/// or imaginary `f` (the usual `−i·a` with `a` real) costs two real multiplies per entry.
#[inline(always)]
fn add_flip_difference(f: C64, src: &[C64], own: &[C64], x: usize, row: &mut [C64]) {
    if f.re == 0.0 {
        flip_difference::<1>(f, src, own, x, row)
    } else if f.im == 0.0 {
        flip_difference::<0>(f, src, own, x, row)
    } else {
        flip_difference::<2>(f, src, own, x, row)
    }
}

/// `o += f · (a − b)` with `f` real (`KIND` 0), imaginary (1) or general (2).
#[inline(always)]
fn flip_term<const KIND: u8>(f: C64, o: &mut C64, a: C64, b: C64) {
    let d = a - b;
    match KIND {
        0 => {
            o.re += f.re * d.re;
            o.im += f.re * d.im;
        }
        1 => {
            o.re -= f.im * d.im;
            o.im += f.im * d.re;
        }
        _ => *o += f * d,
    }
}

#[inline(always)]
fn flip_difference<const KIND: u8>(f: C64, src: &[C64], own: &[C64], x: usize, row: &mut [C64]) {
    match 1usize << x.trailing_zeros() {
        1 => flip_chunks::<KIND, 1>(f, src, own, x, row),
        2 => flip_chunks::<KIND, 2>(f, src, own, x, row),
        4 => flip_chunks::<KIND, 4>(f, src, own, x, row),
        run => {
            // Chunks of 2·run, the last one possibly cut short by a shortened row.
            let high = x & !(2 * run - 1);
            for (c, (out, a)) in row.chunks_mut(2 * run).zip(src.chunks(2 * run)).enumerate() {
                let s = (c * 2 * run) ^ high;
                let (lo, hi) = own[s..s + 2 * run].split_at(run);
                let cut = out.len().min(run);
                let (o_lo, o_hi) = out.split_at_mut(cut);
                for ((o, &av), &bv) in o_lo.iter_mut().zip(&a[..cut]).zip(hi) {
                    flip_term::<KIND>(f, o, av, bv);
                }
                for ((o, &av), &bv) in o_hi.iter_mut().zip(&a[cut..]).zip(lo) {
                    flip_term::<KIND>(f, o, av, bv);
                }
            }
        }
    }
}

/// [`flip_difference`] for the lowest bit of `x` equal to `R` (1, 2 or 4): fixed-size chunks.
#[inline(always)]
fn flip_chunks<const KIND: u8, const R: usize>(f: C64, src: &[C64], own: &[C64], x: usize, row: &mut [C64]) {
    let high = x & !(2 * R - 1);
    for (c, (out, a)) in row
        .chunks_exact_mut(2 * R)
        .zip(src.chunks_exact(2 * R))
        .enumerate()
    {
        let s = (c * 2 * R) ^ high;
        let lo: &[C64; R] = own[s..s + R].try_into().expect("run");
        let hi: &[C64; R] = own[s + R..s + 2 * R].try_into().expect("run");
        let (o_lo, o_hi) = out.split_at_mut(R);
        let (o_lo, o_hi): (&mut [C64; R], &mut [C64; R]) =
            (o_lo.try_into().expect("run"), o_hi.try_into().expect("run"));
        let (a_lo, a_hi) = a.split_at(R);
        for t in 0..R {
            flip_term::<KIND>(f, &mut o_lo[t], a_lo[t], hi[t]);
            flip_term::<KIND>(f, &mut o_hi[t], a_hi[t], lo[t]);
        }
    }
}

/// Evolves `rho0` (a `dim × dim` row-major density matrix, or a ket, turned into `|ψ⟩⟨ψ|`)
/// under `h` with jump operators `c_ops` (rates inside, as in QuTiP: `c = √γ·L`), reporting
/// `Tr(e ρ)` for each of `e_ops` at every time of `tlist`. With no `c_ops` and a ket it runs
/// [`sesolve`](super::sesolve) (as QuTiP does). States are density matrices, row-major.
pub fn mesolve(
    h: &Hamiltonian,
    rho0: &[C64],
    tlist: &[f64],
    c_ops: &[Operator],
    e_ops: &[Operator],
    options: &SolverOptions,
    control: &Control<'_>,
) -> Result<SolveResult> {
    options.validate()?;
    let n = h.dim();
    if rho0.len() == n && c_ops.is_empty() {
        return super::sesolve(h, rho0, tlist, e_ops, options, control);
    }
    let rho = if rho0.len() == n {
        check_ket("rho0", rho0, n)?;
        super::state::ket2dm(rho0)
    } else {
        check::at_most("dim", n as u64, super::operator::MAX_DENSE_DIM as u64)?;
        check_dm("rho0", rho0, n)?;
        rho0.to_vec()
    };
    check_tlist(tlist)?;
    check_e_ops(e_ops, n)?;
    let method = match options.method {
        Method::Auto if h.is_time_dependent() => Method::Dop853,
        Method::Auto => Method::Krylov,
        Method::Diag => {
            return Err(invalid(
                "method",
                "\"diag\" is for sesolve; mesolve uses \"krylov\", \"dop853\" or \"tsit5\"".into(),
            ));
        }
        Method::Krylov if h.is_time_dependent() => {
            return Err(invalid(
                "method",
                "\"krylov\" needs a time-independent Hamiltonian; use \"dop853\" or \"tsit5\"".into(),
            ));
        }
        m => m,
    };
    let liou = Liouvillian::new(h, c_ops, true)?;
    control.install(|| {
        let mut col = Collector::new(e_ops, tlist, store_states(options, e_ops), method);
        let mut cs = Vec::with_capacity(h.terms.len());
        let mut scratch = liou.scratch();
        let outcome = {
            let mut out = |k: usize, s: &[C64]| col.record(k, s);
            match method {
                Method::Krylov => {
                    let scratch = std::sync::Mutex::new(scratch);
                    let apply = |x: &[C64], y: &mut [C64]| {
                        let mut s = scratch.lock().unwrap_or_else(|e| e.into_inner());
                        liou.apply(h, &[], x, y, &mut s);
                    };
                    let settings = KrylovSettings {
                        dim: options.krylov_dim,
                        tol: options.atol,
                    };
                    propagate_general(&apply, &rho, tlist, settings, control, &mut out)
                }
                _ => {
                    let pair = if method == Method::Tsit5 {
                        Pair::Tsit5
                    } else {
                        Pair::Dop853
                    };
                    let mut rhs = |t: f64, x: &[C64], y: &mut [C64]| -> Result<()> {
                        h.coefficients(t, &mut cs)?;
                        liou.apply(h, &cs, x, y, &mut scratch);
                        Ok(())
                    };
                    integrate(
                        pair,
                        &mut rhs,
                        &rho,
                        tlist,
                        rk_settings(options),
                        control,
                        &mut out,
                    )
                }
            }
        };
        col.finish(outcome)
    })?
}

fn adjoint_in_place(src: &[C64], dst: &mut [C64], n: usize) {
    for i in 0..n {
        for j in 0..n {
            dst[j * n + i] = src[i * n + j].conj();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantum::{Coefficient, PauliSum, Storage};

    /// Uniform in [−1, 1) from splitmix64.
    fn uniform(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }

    fn pauli(nq: usize, terms: &[(&str, &[usize], f64)], storage: Storage) -> Operator {
        let mut p = PauliSum::new(nq).unwrap();
        for &(s, sites, c) in terms {
            p.add_term(s, &sites.iter().map(|q| q % nq).collect::<Vec<_>>(), c)
                .unwrap();
        }
        Operator::from_pauli(&p, storage).unwrap()
    }

    fn matmul(a: &[C64], b: &[C64], n: usize) -> Vec<C64> {
        let mut c = vec![C64::new(0.0, 0.0); n * n];
        for i in 0..n {
            for k in 0..n {
                for j in 0..n {
                    c[i * n + j] += a[i * n + k] * b[k * n + j];
                }
            }
        }
        c
    }

    fn dagger(a: &[C64], n: usize) -> Vec<C64> {
        let mut d = vec![C64::new(0.0, 0.0); n * n];
        for i in 0..n {
            for j in 0..n {
                d[j * n + i] = a[i * n + j].conj();
            }
        }
        d
    }

    /// The Lindbladian from dense matrices, term by term as written.
    fn dense_reference(h: &Hamiltonian, cs: &[C64], c_ops: &[Operator], rho: &[C64]) -> Vec<C64> {
        let n = h.dim();
        let mut hd = h.h0.dense_entries().unwrap();
        for ((op, _), &c) in h.terms.iter().zip(cs) {
            for (o, v) in hd.iter_mut().zip(op.dense_entries().unwrap()) {
                *o += c * v;
            }
        }
        let (hr, rh) = (matmul(&hd, rho, n), matmul(rho, &hd, n));
        let mut y: Vec<C64> = hr
            .iter()
            .zip(&rh)
            .map(|(a, b)| C64::new(0.0, -1.0) * (a - b))
            .collect();
        for c in c_ops {
            let cd = c.dense_entries().unwrap();
            let cdag = dagger(&cd, n);
            let sandwich = matmul(&matmul(&cd, rho, n), &cdag, n);
            let cdc = matmul(&cdag, &cd, n);
            let (l, r) = (matmul(&cdc, rho, n), matmul(rho, &cdc, n));
            for k in 0..n * n {
                y[k] += sandwich[k] - 0.5 * (l[k] + r[k]);
            }
        }
        y
    }

    #[test]
    fn folded_rhs_equals_plain_and_dense_reference() {
        for nq in [3, 6] {
            let n = 1 << nq;
            let mf = Storage::MatrixFree;
            // H0: diagonal (ZZ, Z, I), X-only groups (X, XX), groups with Y/Z factors (Y, XY, XZ, YY).
            let h0 = pauli(
                nq,
                &[
                    ("ZZ", &[0, 1], -0.8),
                    ("Z", &[2], 0.25),
                    ("I", &[0], 0.1),
                    ("X", &[2], 0.6),
                    ("XX", &[0, 1], 0.35),
                    ("Y", &[1], 0.3),
                    ("XY", &[0, 2], 0.45),
                    ("XZ", &[1, 2], -0.35),
                    ("YY", &[0, 1], 0.2),
                ],
                mf,
            );
            // H1 (matrix-free, time-dependent): diagonal and both kinds of groups.
            let h1 = pauli(
                nq,
                &[
                    ("X", &[0], 0.5),
                    ("X", &[1], -0.4),
                    ("X", &[nq - 1], 0.3),
                    ("Z", &[1], 0.7),
                    ("ZY", &[0, 2], 0.15),
                ],
                mf,
            );
            // H2 (CSR: the product path even when folding).
            let h2 = pauli(nq, &[("XX", &[0, 2], 0.9), ("Z", &[0], -0.3)], Storage::Csr);
            let h = Hamiltonian::new(h0)
                .unwrap()
                .with_term(h1, Coefficient::real(f64::cos))
                .unwrap()
                .with_term(h2, Coefficient::real(f64::sin))
                .unwrap();
            let c_ops = vec![
                pauli(nq, &[("Z", &[0], 0.3f64.sqrt())], mf),
                pauli(nq, &[("X", &[1], 0.4)], mf),
                pauli(nq, &[("Y", &[2], 0.25)], mf),
                pauli(nq, &[("ZZ", &[1, 2], 0.2), ("Z", &[0], 0.1)], Storage::Csr),
                pauli(nq, &[("X", &[0], 0.3), ("Z", &[1], 0.2)], Storage::Dense),
            ];
            let mut state = 12345 + nq as u64;
            // A random Hermitian ρ (positivity is irrelevant to the identity).
            let mut rho = vec![C64::new(0.0, 0.0); n * n];
            for i in 0..n {
                for j in 0..=i {
                    let v = if i == j {
                        C64::new(uniform(&mut state), 0.0)
                    } else {
                        C64::new(uniform(&mut state), uniform(&mut state))
                    };
                    rho[i * n + j] = v;
                    rho[j * n + i] = v.conj();
                }
            }
            let folded = Liouvillian::new(&h, &c_ops, true).unwrap();
            assert!(folded.diss.mask.is_some() && !folded.td_diag.is_empty());
            assert!(folded.flips.iter().any(|f| matches!(f.1, Flip::Const { .. })));
            assert!(folded.flips.iter().any(|f| matches!(f.1, Flip::Varying { .. })));
            assert_eq!(folded.rest, vec![Some(1)]);
            let plain = Liouvillian::new(&h, &c_ops, false).unwrap();
            assert!(plain.flips.is_empty() && plain.rest.len() == 3);
            let cs = [C64::new(0.7, 0.0), C64::new(-1.3, 0.0)];
            let want = dense_reference(&h, &cs, &c_ops, &rho);
            for (name, l) in [("folded", &folded), ("plain", &plain)] {
                let err = max_error(l, &h, &cs, &rho, &want);
                assert!(err <= 1e-13, "{name} N={nq}: max |L ρ − reference| = {err:e}");
            }
            // A complex coefficient (H(t) not Hermitian; the folded form is exact for any ρ and
            // c, the product form assumes both Hermitian): the general-factor paths.
            let hc = Hamiltonian::new(h.h0.clone())
                .unwrap()
                .with_term(h.terms[0].0.clone(), Coefficient::real(f64::cos))
                .unwrap();
            let l = Liouvillian::new(&hc, &c_ops, true).unwrap();
            assert!(l.rest.is_empty());
            for cs in [[C64::new(0.7, 0.2)], [C64::new(0.0, 0.4)]] {
                let want = dense_reference(&hc, &cs, &c_ops, &rho);
                let err = max_error(&l, &hc, &cs, &rho, &want);
                assert!(
                    err <= 1e-13,
                    "folded N={nq}, c = {}: max |L ρ − reference| = {err:e}",
                    cs[0]
                );
            }
        }
    }

    fn max_error(l: &Liouvillian, h: &Hamiltonian, cs: &[C64], rho: &[C64], want: &[C64]) -> f64 {
        let mut y = vec![C64::new(0.0, 0.0); rho.len()];
        let mut s = l.scratch();
        l.apply(h, cs, rho, &mut y, &mut s);
        y.iter()
            .zip(want)
            .map(|(a, b)| (a - b).norm())
            .fold(0.0, f64::max)
    }
}
