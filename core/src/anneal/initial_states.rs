//! Initial states of local samplers and how they are extended to `num_reads` (dimod's
//! `Initialized.parse_initial_states` semantics).

use super::spin_model::vartype_to_spins;
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::params::{FromValue, ToValue, Value, params, value_mismatch};
use crate::qubo::Bqm;
use crate::rng::Rng;
use rand_core::Rng as _;

/// Largest `num_states × num_variables` (one byte each) of [`InitialStates`]. What a sampler
/// produces is bounded by [`MAX_SAMPLE_SET_BYTES`](super::MAX_SAMPLE_SET_BYTES).
pub const MAX_SAMPLE_VALUES: u64 = 1 << 32;

/// Largest number of spins one read may simulate at once (parallel-tempering replicas × variables,
/// Trotter slices × variables): each costs about 10 bytes of workspace, so a read stays under
/// about 2.7 GB. Exceeding it is a `LimitExceeded` error naming `num_replicas` (or `betas`) or
/// `trotter` with the caller's value and the largest allowed for the model.
pub const MAX_READ_SPINS: u64 = 1 << 28;

crate::params::named_enum! {
    /// How initial states are extended when fewer than `num_reads` are given (dimod's
    /// `initial_states_generator`).
    pub enum InitialStatesGenerator("initial_states_generator") {
        /// Uniformly random states fill the missing reads.
        Random = "random",
        /// The given states are repeated in order.
        Tile = "tile",
        /// No extension: fewer states than reads is an error.
        None = "none",
    }
}

/// Starting states for the reads: `num_states` rows of `num_variables` values each (row-major), in
/// the vartype of the model they will be used with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialStates {
    num_states: usize,
    num_variables: usize,
    samples: Vec<i8>,
}

impl InitialStates {
    /// `num_states` rows of `num_variables` values; `samples.len()` must equal the product.
    ///
    /// ```
    /// use neuroquant::anneal::InitialStates;
    /// let s = InitialStates::new(2, 3, vec![1, -1, 1, -1, -1, -1])?;
    /// assert_eq!(s.state(1), &[-1, -1, -1]);
    /// assert!(InitialStates::new(2, 3, vec![1, -1]).is_err());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn new(num_states: usize, num_variables: usize, samples: Vec<i8>) -> Result<Self> {
        check::at_most(
            "initial_states",
            num_states as u64,
            MAX_SAMPLE_VALUES / num_variables.max(1) as u64,
        )?;
        check::len("initial_states", num_states * num_variables, samples.len())?;
        Ok(InitialStates {
            num_states,
            num_variables,
            samples,
        })
    }

    /// `num_states` rows split from `samples`, whose length must be a multiple of `num_states`
    /// (the form a C caller passes: a flat array and a row count).
    ///
    /// ```
    /// use neuroquant::anneal::InitialStates;
    /// assert_eq!(InitialStates::from_rows(2, vec![1, -1, 1, 1])?.num_variables(), 2);
    /// assert!(InitialStates::from_rows(2, vec![1, -1, 1]).is_err());
    /// # Ok::<(), neuroquant::Error>(())
    /// ```
    pub fn from_rows(num_states: usize, samples: Vec<i8>) -> Result<Self> {
        match samples.len().checked_div(num_states) {
            Some(cols) if cols * num_states == samples.len() => InitialStates::new(num_states, cols, samples),
            _ => Err(ArgumentError::Invalid {
                argument: "initial_states",
                reason: format!(
                    "{} values do not split into {num_states} states of equal length",
                    samples.len()
                ),
            }
            .into()),
        }
    }

    /// Number of rows.
    pub fn num_states(&self) -> usize {
        self.num_states
    }

    /// Values per row.
    pub fn num_variables(&self) -> usize {
        self.num_variables
    }

    /// All rows, row-major.
    pub fn samples(&self) -> &[i8] {
        &self.samples
    }

    /// Row `i`.
    ///
    /// # Panics
    /// If `i >= num_states()`.
    pub fn state(&self, i: usize) -> &[i8] {
        &self.samples[i * self.num_variables..(i + 1) * self.num_variables]
    }
}

impl FromValue for InitialStates {
    fn expected() -> String {
        "an integer array of shape (num_states, num_variables) or (num_variables,)".into()
    }

    /// A 2-D array (one row per state) or a 1-D array (one state), of integers or of floats
    /// that are exactly integers (so `numpy.sign(x)` works); whether the values belong to the
    /// model's vartype is checked when sampling.
    fn from_value(argument: &'static str, value: &Value) -> Result<Self> {
        fn rows_cols(argument: &'static str, shape: &[usize], value: &Value) -> Result<(usize, usize)> {
            match *shape {
                [c] => Ok((1, c)),
                [r, c] => Ok((r, c)),
                _ => Err(value_mismatch::<InitialStates>(argument, value)),
            }
        }
        fn small(argument: &'static str, index: usize, x: f64) -> Result<i8> {
            if x.fract() == 0.0 && (-128.0..=127.0).contains(&x) {
                Ok(x as i8)
            } else {
                Err(ArgumentError::Invalid {
                    argument,
                    reason: format!("element {index} is {x}, not a spin or binary value"),
                }
                .into())
            }
        }
        let (shape, values): (Vec<usize>, Vec<i8>) = match value {
            Value::I8s { shape, data } => (shape.clone(), data.clone()),
            Value::Ints { shape, data } => (
                shape.clone(),
                data.iter()
                    .enumerate()
                    .map(|(i, &x)| {
                        i8::try_from(x).map_err(|_| {
                            ArgumentError::Invalid {
                                argument,
                                reason: format!("element {i} is {x}, not a spin or binary value"),
                            }
                            .into()
                        })
                    })
                    .collect::<Result<_>>()?,
            ),
            Value::Floats { shape, data } => (
                shape.clone(),
                data.iter()
                    .enumerate()
                    .map(|(i, &x)| small(argument, i, x))
                    .collect::<Result<_>>()?,
            ),
            Value::List(rows) => {
                // A list of rows, or one row.
                let nested = rows.iter().any(|r| matches!(r, Value::List(_)));
                let rows: Vec<Vec<Value>> = if nested {
                    rows.iter()
                        .map(|r| {
                            r.elements()
                                .ok_or_else(|| value_mismatch::<InitialStates>(argument, value))
                        })
                        .collect::<Result<_>>()?
                } else {
                    vec![rows.clone()]
                };
                let cols = rows.first().map_or(0, Vec::len);
                let mut values = Vec::with_capacity(rows.len() * cols);
                for row in &rows {
                    check::len(argument, cols, row.len())?;
                    for x in row {
                        let index = values.len();
                        values.push(small(argument, index, f64::from_value(argument, x)?)?);
                    }
                }
                (
                    if nested {
                        vec![rows.len(), cols]
                    } else {
                        vec![cols]
                    },
                    values,
                )
            }
            other => return Err(value_mismatch::<InitialStates>(argument, other)),
        };
        let (rows, cols) = rows_cols(argument, &shape, value)?;
        InitialStates::new(rows, cols, values)
    }
}

impl ToValue for InitialStates {
    fn to_value(&self) -> Value {
        Value::I8s {
            shape: vec![self.num_states, self.num_variables],
            data: self.samples.clone(),
        }
    }
}

params! {
    /// How many reads a sampler runs and where they start: the parameters every sampler of
    /// independent reads shares (dwave-samplers' names).
    pub struct ReadParams {
        /// Number of reads (independent runs). None: the number of initial states, else 1.
        keyword num_reads: Option<usize> = None,
        /// Random seed. None: drawn from the operating system and reported in `info["seed"]`.
        keyword seed: Option<u64> = None,
        /// Starting states, one row per read, in the model's vartype.
        keyword initial_states: Option<InitialStates> = None,
        /// How the reads without a given initial state start.
        keyword initial_states_generator: InitialStatesGenerator = InitialStatesGenerator::Random,
    }
}

impl ReadParams {
    fn check(&self) -> Result<()> {
        if self.num_reads == Some(0) {
            return Err(ArgumentError::Invalid {
                argument: "num_reads",
                reason: "is 0, must be at least 1".into(),
            }
            .into());
        }
        Ok(())
    }
}

/// Adds the [`ReadParams`] setters (`num_reads`, `seed`, `initial_states`,
/// `initial_states_generator`) to a parameter struct with a `reads` group.
macro_rules! read_setters {
    ($name:ident) => {
        impl $name {
            /// Sets `reads.num_reads`.
            #[must_use]
            pub fn num_reads(mut self, num_reads: impl Into<Option<usize>>) -> Self {
                self.reads.num_reads = num_reads.into();
                self
            }

            /// Sets `reads.seed`.
            #[must_use]
            pub fn seed(mut self, seed: impl Into<Option<u64>>) -> Self {
                self.reads.seed = seed.into();
                self
            }

            /// Sets `reads.initial_states`.
            #[must_use]
            pub fn initial_states(
                mut self,
                states: impl Into<Option<$crate::anneal::InitialStates>>,
            ) -> Self {
                self.reads.initial_states = states.into();
                self
            }

            /// Sets `reads.initial_states_generator`.
            #[must_use]
            pub fn initial_states_generator(
                mut self,
                generator: $crate::anneal::InitialStatesGenerator,
            ) -> Self {
                self.reads.initial_states_generator = generator;
                self
            }
        }
    };
}

pub(crate) use read_setters;

/// Where each read starts: resolved `num_reads`, the given rows in SPIN form, the generator.
#[derive(Debug, Clone)]
pub(crate) struct ReadPlan {
    pub(crate) num_reads: usize,
    n: usize,
    given: Vec<i8>,
    num_given: usize,
    generator: InitialStatesGenerator,
}

impl ReadPlan {
    /// Resolves `num_reads` (default: the number of initial states, else 1) and checks the
    /// initial states against `bqm` (width, values in its vartype) and the generator.
    pub(crate) fn new(bqm: &Bqm, reads: &ReadParams) -> Result<Self> {
        let (num_reads, initial_states, generator) = (
            reads.num_reads,
            reads.initial_states.as_ref(),
            reads.initial_states_generator,
        );
        let n = bqm.num_variables();
        let num_given = match initial_states {
            None => 0,
            Some(s) => {
                check::len("initial_states", n, s.num_variables)?;
                bqm.check_values("initial_states", &s.samples)?;
                s.num_states
            }
        };
        let num_reads = check_num_reads(num_reads, num_given, n)?;
        match generator {
            InitialStatesGenerator::None if num_given < num_reads => {
                return Err(ArgumentError::Invalid {
                    argument: "initial_states",
                    reason: format!(
                        "{num_given} states given for {num_reads} reads with initial_states_generator \"none\""
                    ),
                }
                .into());
            }
            InitialStatesGenerator::Tile if num_given == 0 => {
                return Err(ArgumentError::Invalid {
                    argument: "initial_states",
                    reason: "no states given: initial_states_generator \"tile\" needs at least one".into(),
                }
                .into());
            }
            _ => {}
        }
        // Only the states the reads use are copied (a few given for many reads, or many given
        // for a few reads).
        let num_given = num_given.min(num_reads);
        let mut given = crate::alloc::with_capacity("initial states", num_given * n)?;
        if let Some(s) = initial_states {
            given.extend_from_slice(&s.samples[..num_given * n]);
        }
        vartype_to_spins(&mut given, bqm.vartype());
        Ok(ReadPlan {
            num_reads,
            n,
            given,
            num_given,
            generator,
        })
    }

    /// Writes the SPIN starting state of read `r` to `out`, drawing random spins from `rng` when
    /// the read has no given state.
    pub(crate) fn fill(&self, r: usize, rng: &mut Rng, out: &mut [i8]) {
        let n = self.n;
        let row = if r < self.num_given {
            Some(r)
        } else if self.generator == InitialStatesGenerator::Tile {
            Some(r % self.num_given)
        } else {
            None
        };
        match row {
            Some(i) => out.copy_from_slice(&self.given[i * n..(i + 1) * n]),
            None => random_spins(rng, out),
        }
    }
}

/// `num_reads` if given (at least 1), else the number of initial states, else 1; at most
/// [`SampleSet::max_rows`](super::SampleSet::max_rows) for a model of `n` variables (the error
/// names `num_reads`, or `initial_states` when their count set it).
pub(crate) fn check_num_reads(num_reads: Option<usize>, num_given: usize, n: usize) -> Result<usize> {
    let reads = match num_reads {
        Some(0) => {
            return Err(ArgumentError::Invalid {
                argument: "num_reads",
                reason: "is 0, must be at least 1".into(),
            }
            .into());
        }
        Some(r) => r,
        None => num_given.max(1),
    };
    let argument = if num_reads.is_some() {
        "num_reads"
    } else {
        "initial_states"
    };
    super::sampleset::check_rows(argument, reads as u64, 1, n)?;
    Ok(reads)
}

/// Uniformly random spins, 64 per generator draw.
pub(crate) fn random_spins(rng: &mut Rng, out: &mut [i8]) {
    for chunk in out.chunks_mut(64) {
        let mut bits = rng.next_u64();
        for s in chunk {
            *s = if bits & 1 == 1 { 1 } else { -1 };
            bits >>= 1;
        }
    }
}
