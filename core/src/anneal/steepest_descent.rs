//! Steepest descent with dwave-samplers' semantics (`SteepestDescentSolver`): from each initial
//! state, repeatedly flip the spin whose flip lowers the energy most (lowest index on ties) until
//! no flip lowers it. Deterministic given the initial states; also usable as a post-pass that
//! polishes another sampler's rows ([`SteepestDescent::polish`]).

use super::initial_states::{ReadParams, ReadPlan, read_setters};
use super::reads::{Stopwatch, WORK_BETWEEN_CHECKS, base_info, run_reads, sample_set};
use super::spin_model::{SpinModel, vartype_to_spins};
use super::{Column, Control, SampleSet, Sampler};
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::{Keyword, KeywordArgs, params, params_container};
use crate::qubo::Bqm;
use crate::rng;

const NAME: &str = "steepest_descent";

params! {
    /// Greedy steepest descent with dwave-samplers' semantics (`SteepestDescentSolver`): from
    /// each initial state, flip the variable that lowers the energy most (lowest index on ties)
    /// until no flip lowers it; adds the per-row vector `num_steps`.
    pub struct SteepestDescentParams {
        /// Reads, seed (for random initial states) and initial states.
        group reads: ReadParams = ReadParams::default(),
        /// Find the best flip with a priority queue, O(degree log n) per step instead of O(n):
        /// faster on large sparse models, same result.
        keyword large_sparse_opt: bool = false,
    }
}

read_setters!(SteepestDescentParams);
params_container!(SteepestDescentParams, "steepest_descent_params");

impl SteepestDescentParams {
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// Greedy steepest descent (dwave's `SteepestDescentSolver`); adds the per-row vector
/// `num_steps` (flips made).
///
/// ```
/// use neuroquant::anneal::{InitialStates, Sampler, SteepestDescent, SteepestDescentParams};
/// use neuroquant::qubo::{Bqm, Vartype};
/// let mut bqm = Bqm::with_variables(Vartype::Spin, 2)?;
/// bqm.add_linear(0, 1.0)?;
/// bqm.add_quadratic(0, 1, -2.0)?;
/// let sd = SteepestDescent::new(
///     SteepestDescentParams::default().initial_states(InitialStates::new(1, 2, vec![1, -1])?),
/// )?;
/// let set = sd.sample(&bqm)?;
/// // From E(+,-) = 3, flipping s0 gains 6 and s1 gains 4: one step to E(-,-) = -3.
/// assert_eq!(set.sample(0), &[-1, -1]);
/// assert_eq!(set.energies(), &[-3.0]);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SteepestDescent {
    params: SteepestDescentParams,
}

impl SteepestDescent {
    /// A solver with validated `params`.
    pub fn new(params: SteepestDescentParams) -> Result<Self> {
        params.validate()?;
        Ok(SteepestDescent { params })
    }

    /// The parameters.
    pub fn params(&self) -> &SteepestDescentParams {
        &self.params
    }

    /// Runs a descent from every row of `samples` (dwave's `SteepestDescentComposite`): the result
    /// keeps the rows' order, occurrence counts, vectors and info, with the descended states,
    /// their energies, and a `num_steps` vector. `samples` must match `bqm` in width and vartype.
    pub fn polish(&self, bqm: &Bqm, samples: &SampleSet) -> Result<SampleSet> {
        self.polish_with(bqm, samples, &Control::default())
    }

    /// [`polish`](Self::polish), honouring `control` (a stop leaves the rows not yet descended out
    /// and sets `info.interrupted`).
    pub fn polish_with(&self, bqm: &Bqm, samples: &SampleSet, control: &Control<'_>) -> Result<SampleSet> {
        if samples.vartype() != bqm.vartype() {
            return Err(ArgumentError::Invalid {
                argument: "samples",
                reason: format!(
                    "vartype {} differs from the model's {}",
                    samples.vartype(),
                    bqm.vartype()
                ),
            }
            .into());
        }
        check::len("samples", bqm.num_variables(), samples.num_variables())?;
        let model = SpinModel::new(bqm)?;
        let n = model.num_variables();
        let mut start = samples.samples().to_vec();
        vartype_to_spins(&mut start, bqm.vartype());
        let heap = self.params.large_sparse_opt;
        let done = run_reads(
            NAME,
            samples.len(),
            n,
            control,
            || Workspace::new(n),
            |ws, r, spins| {
                spins.copy_from_slice(&start[r * n..(r + 1) * n]);
                descend(&model, spins, ws, heap, control).map(|steps| (r, steps))
            },
        )?;
        // The rows that completed (all of them unless stopped), with their counts and vectors.
        let rows: Vec<usize> = done.extras.iter().map(|&(r, _)| r).collect();
        let kept = samples.select(&rows)?;
        let fresh = sample_set(bqm, done.spins, rows.len())?;
        let mut rebuilt = SampleSet::new(
            bqm.vartype(),
            n,
            fresh.samples().to_vec(),
            fresh.energies().to_vec(),
            Some(kept.num_occurrences().to_vec()),
        )?;
        for (name, column) in kept.vectors() {
            rebuilt.set_vector(name, column.clone())?;
        }
        let steps = done.extras.iter().map(|&(_, s)| s as i64).collect();
        rebuilt.set_vector("num_steps", Column::I64(steps))?;
        *rebuilt.info_mut() = kept.info().clone();
        rebuilt.info_mut().interrupted |= done.interrupted;
        Ok(rebuilt)
    }
}

impl Sampler for SteepestDescent {
    fn name(&self) -> &'static str {
        NAME
    }

    fn parameters(&self) -> &'static [Keyword] {
        SteepestDescentParams::keywords()
    }

    fn run(&self, bqm: &Bqm, control: &Control<'_>) -> Result<SampleSet> {
        let mut clock = Stopwatch::start();
        let p = &self.params;
        let model = SpinModel::new(bqm)?;
        let plan = ReadPlan::new(bqm, &p.reads)?;
        let seed = rng::resolve_seed(p.reads.seed);
        let n = model.num_variables();
        clock.sampling();
        let done = run_reads(
            NAME,
            plan.num_reads,
            n,
            control,
            || Workspace::new(n),
            |ws, r, spins| {
                let mut rng = rng::stream(seed, r as u64);
                plan.fill(r, &mut rng, spins);
                descend(&model, spins, ws, p.large_sparse_opt, control)
            },
        )?;
        clock.postprocessing();
        let rows = done.extras.len();
        let mut set = sample_set(bqm, done.spins, rows)?;
        set.set_vector(
            "num_steps",
            Column::I64(done.extras.iter().map(|&s| s as i64).collect()),
        )?;
        *set.info_mut() = base_info(NAME, Some(seed), done.interrupted);
        set.info_mut().timing = clock.timing();
        Ok(set)
    }
}

/// Per-worker buffers.
pub(crate) struct Workspace {
    fields: Vec<f64>,
    heap: MinHeap,
}

impl Workspace {
    pub(crate) fn new(n: usize) -> Result<Self> {
        Ok(Workspace {
            fields: crate::alloc::filled("fields", 0.0, n)?,
            heap: MinHeap::with_capacity(n)?,
        })
    }
}

/// Descends `spins` in place; returns the number of flips, or `None` if a stop was seen.
pub(crate) fn descend(
    model: &SpinModel,
    spins: &mut [i8],
    ws: &mut Workspace,
    use_heap: bool,
    control: &Control<'_>,
) -> Option<u64> {
    let n = spins.len();
    let fields = &mut ws.fields;
    model.fields(spins, fields);
    let delta = |spins: &[i8], fields: &[f64], v: usize| -2.0 * f64::from(spins[v]) * fields[v];
    let mut steps = 0u64;
    let mut work = 0usize;
    if use_heap {
        let heap = &mut ws.heap;
        heap.reset((0..n).map(|v| delta(spins, fields, v)));
        while let Some((v, d)) = heap.min() {
            if d >= 0.0 {
                break;
            }
            model.flip(v, spins, fields);
            heap.update(v, delta(spins, fields, v));
            let (nbrs, _) = model.row(v);
            for &j in nbrs {
                heap.update(j as usize, delta(spins, fields, j as usize));
            }
            steps += 1;
            // Heap updates cost `O(log n)` each, one per neighbour plus the flipped spin's.
            work += (nbrs.len() + 1) * 8;
            if work >= WORK_BETWEEN_CHECKS {
                work = 0;
                if control.should_stop() {
                    return None;
                }
            }
        }
    } else {
        loop {
            let mut best = None;
            let mut best_delta = 0.0;
            for v in 0..n {
                let d = delta(spins, fields, v);
                if d < best_delta {
                    best_delta = d;
                    best = Some(v);
                }
            }
            let Some(v) = best else { break };
            model.flip(v, spins, fields);
            steps += 1;
            work += n;
            if work >= WORK_BETWEEN_CHECKS {
                work = 0;
                if control.should_stop() {
                    return None;
                }
            }
        }
    }
    Some(steps)
}

/// An indexed binary min-heap of `(key, index)` ordered by key then index, so its minimum is the
/// lowest-index spin among those with the most negative energy change, as in the linear scan.
#[derive(Debug, Clone, Default)]
pub(crate) struct MinHeap {
    keys: Vec<f64>,
    heap: Vec<u32>,
    pos: Vec<u32>,
}

impl MinHeap {
    fn with_capacity(n: usize) -> Result<Self> {
        Ok(MinHeap {
            keys: crate::alloc::with_capacity("descent heap", n)?,
            heap: crate::alloc::with_capacity("descent heap", n)?,
            pos: crate::alloc::with_capacity("descent heap", n)?,
        })
    }

    fn less(&self, a: u32, b: u32) -> bool {
        let (ka, kb) = (self.keys[a as usize], self.keys[b as usize]);
        ka < kb || (ka == kb && a < b)
    }

    fn reset(&mut self, keys: impl Iterator<Item = f64>) {
        self.keys.clear();
        self.keys.extend(keys);
        let n = self.keys.len();
        self.heap.clear();
        self.heap.extend(0..n as u32);
        self.pos.clear();
        self.pos.extend(0..n as u32);
        for i in (0..n / 2).rev() {
            self.sift_down(i);
        }
    }

    fn min(&self) -> Option<(usize, f64)> {
        self.heap.first().map(|&v| (v as usize, self.keys[v as usize]))
    }

    fn update(&mut self, v: usize, key: f64) {
        let old = self.keys[v];
        self.keys[v] = key;
        let i = self.pos[v] as usize;
        if key < old {
            self.sift_up(i);
        } else {
            self.sift_down(i);
        }
    }

    fn place(&mut self, i: usize, v: u32) {
        self.heap[i] = v;
        self.pos[v as usize] = i as u32;
    }

    fn sift_up(&mut self, mut i: usize) {
        let v = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            let p = self.heap[parent];
            if !self.less(v, p) {
                break;
            }
            self.place(i, p);
            i = parent;
        }
        self.place(i, v);
    }

    fn sift_down(&mut self, mut i: usize) {
        let n = self.heap.len();
        let v = self.heap[i];
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && self.less(self.heap[r], self.heap[l]) {
                r
            } else {
                l
            };
            if !self.less(self.heap[c], v) {
                break;
            }
            self.place(i, self.heap[c]);
            i = c;
        }
        self.place(i, v);
    }
}
