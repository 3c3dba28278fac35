//! Initial states of local samplers and how they are extended to `num_reads` (dimod's
//! `Initialized.parse_initial_states` semantics).

use super::spin_model::vartype_to_spins;
use crate::Result;
use crate::error::{ArgumentError, check};
use crate::qubo::Bqm;
use crate::rng::Rng;
use rand_core::Rng as _;
use serde::{Deserialize, Serialize};

/// Largest `num_states × num_variables` (one byte each) of [`InitialStates`]. What a sampler
/// produces is bounded by [`MAX_SAMPLE_SET_BYTES`](super::MAX_SAMPLE_SET_BYTES).
pub const MAX_SAMPLE_VALUES: u64 = 1 << 32;

/// Largest number of spins one read may simulate at once (parallel-tempering replicas × variables,
/// Trotter slices × variables): each costs about 10 bytes of workspace, so a read stays under
/// about 2.7 GB. Exceeding it is a `LimitExceeded` error naming `num_replicas` (or `betas`) or
/// `trotter` with the caller's value and the largest allowed for the model.
pub const MAX_READ_SPINS: u64 = 1 << 28;

/// How initial states are extended when fewer than `num_reads` are given (dimod's
/// `initial_states_generator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitialStatesGenerator {
    /// Uniformly random states fill the missing reads (the default).
    #[default]
    Random,
    /// The given states are repeated in order.
    Tile,
    /// No extension: fewer states than reads is an error.
    None,
}

impl InitialStatesGenerator {
    /// dimod's name: `"random"`, `"tile"` or `"none"`.
    pub const fn name(self) -> &'static str {
        match self {
            InitialStatesGenerator::Random => "random",
            InitialStatesGenerator::Tile => "tile",
            InitialStatesGenerator::None => "none",
        }
    }
}

impl std::str::FromStr for InitialStatesGenerator {
    type Err = ArgumentError;

    /// Parses dimod's names.
    ///
    /// ```
    /// use neuroquant::anneal::InitialStatesGenerator;
    /// assert_eq!("tile".parse::<InitialStatesGenerator>().unwrap(), InitialStatesGenerator::Tile);
    /// assert!("zeros".parse::<InitialStatesGenerator>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "random" => Ok(InitialStatesGenerator::Random),
            "tile" => Ok(InitialStatesGenerator::Tile),
            "none" => Ok(InitialStatesGenerator::None),
            _ => Err(ArgumentError::Invalid {
                argument: "initial_states_generator",
                reason: format!("{s:?} is not a generator, must be \"random\", \"tile\" or \"none\""),
            }),
        }
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
    pub(crate) fn new(
        bqm: &Bqm,
        num_reads: Option<usize>,
        initial_states: Option<&InitialStates>,
        generator: InitialStatesGenerator,
    ) -> Result<Self> {
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
