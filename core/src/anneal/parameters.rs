//! The keyword parameters of each sampler, as dimod's `Sampler.parameters` lists them (names
//! and defaults follow dwave-samplers and OpenJij), kept together so the wrappers of every
//! surface describe the samplers the same way.

use super::ParameterInfo;

// Entries several samplers share, worded once.
const NUM_READS: ParameterInfo = ParameterInfo {
    name: "num_reads",
    description: "number of reads; default: number of initial states, else 1",
};
const SEED: ParameterInfo = ParameterInfo {
    name: "seed",
    description: "random seed; default: drawn and reported in info",
};
const INITIAL_STATES: ParameterInfo = ParameterInfo {
    name: "initial_states",
    description: "starting states, one per read",
};
const INITIAL_STATES_GENERATOR: ParameterInfo = ParameterInfo {
    name: "initial_states_generator",
    description: "\"random\" (default), \"tile\" or \"none\"",
};
const RANDOMIZE_ORDER: ParameterInfo = ParameterInfo {
    name: "randomize_order",
    description: "random instead of sequential spin order; default false",
};
const PROPOSAL_ACCEPTANCE: ParameterInfo = ParameterInfo {
    name: "proposal_acceptance_criteria",
    description: "\"Metropolis\" (default) or \"Gibbs\"",
};

/// Parameters of dwave's `SimulatedAnnealingSampler`, for dimod's `parameters`.
pub(crate) const SA_PARAMETERS: &[ParameterInfo] = &[
    NUM_READS,
    ParameterInfo {
        name: "num_sweeps",
        description: "sweeps per read; default 1000",
    },
    ParameterInfo {
        name: "num_sweeps_per_beta",
        description: "sweeps at each inverse temperature; default 1",
    },
    ParameterInfo {
        name: "beta_range",
        description: "[hot, cold] inverse temperatures; default: dwave-samplers' heuristic",
    },
    ParameterInfo {
        name: "beta_schedule_type",
        description: "\"geometric\" (default), \"linear\" or \"custom\"",
    },
    ParameterInfo {
        name: "beta_schedule",
        description: "explicit inverse temperatures for beta_schedule_type \"custom\"",
    },
    SEED,
    INITIAL_STATES,
    INITIAL_STATES_GENERATOR,
    RANDOMIZE_ORDER,
    PROPOSAL_ACCEPTANCE,
    ParameterInfo {
        name: "interrupt_function",
        description: "called between reads and every few ms; true stops and returns the reads done",
    },
];

/// Parameters of dwave's `SteepestDescentSolver`.
pub(crate) const SD_PARAMETERS: &[ParameterInfo] = &[
    NUM_READS,
    ParameterInfo {
        name: "seed",
        description: "random seed for generated initial states",
    },
    INITIAL_STATES,
    INITIAL_STATES_GENERATOR,
    ParameterInfo {
        name: "large_sparse_opt",
        description: "priority-queue search for the best flip (same result); default false",
    },
];

/// Parameters of dwave's `TabuSampler`.
pub(crate) const TABU_PARAMETERS: &[ParameterInfo] = &[
    NUM_READS,
    SEED,
    INITIAL_STATES,
    INITIAL_STATES_GENERATOR,
    ParameterInfo {
        name: "tenure",
        description: "tabu tenure, < num_variables; default min(20, n // 4)",
    },
    ParameterInfo {
        name: "timeout",
        description: "milliseconds per read; default 20; None for no limit",
    },
    ParameterInfo {
        name: "num_restarts",
        description: "restarts per read; default 1000000",
    },
    ParameterInfo {
        name: "energy_threshold",
        description: "stop a read at this energy or below",
    },
    ParameterInfo {
        name: "coefficient_z_first",
        description: "evaluations of the first search per variable; default 10000 (n <= 500) or 25000",
    },
    ParameterInfo {
        name: "coefficient_z_restart",
        description: "evaluations of restarted searches per variable; default coefficient_z_first / 4",
    },
    ParameterInfo {
        name: "lower_bound_z",
        description: "minimum evaluations per search; default 500000",
    },
];

/// Parameters of the exact solver.
pub(crate) const EXACT_PARAMETERS: &[ParameterInfo] = &[
    ParameterInfo {
        name: "mode",
        description: "\"all_states\" (default) or \"ground_states\"",
    },
    ParameterInfo {
        name: "max_ground_states",
        description: "cap on ground states returned; default 1000",
    },
];

/// Parameters of parallel tempering (no Ocean counterpart).
pub(crate) const PT_PARAMETERS: &[ParameterInfo] = &[
    ParameterInfo {
        name: "num_reads",
        description: "number of independent runs; default: number of initial states, else 1",
    },
    ParameterInfo {
        name: "num_replicas",
        description: "temperatures in the geometric ladder; default 16",
    },
    ParameterInfo {
        name: "num_sweeps",
        description: "sweeps per replica; default 1000",
    },
    ParameterInfo {
        name: "swap_interval",
        description: "sweeps between exchange rounds; default 1",
    },
    ParameterInfo {
        name: "beta_range",
        description: "[hot, cold] ends of the ladder; default: dwave-samplers' heuristic",
    },
    ParameterInfo {
        name: "betas",
        description: "explicit non-decreasing ladder (overrides num_replicas, beta_range)",
    },
    SEED,
    INITIAL_STATES,
    INITIAL_STATES_GENERATOR,
    RANDOMIZE_ORDER,
    PROPOSAL_ACCEPTANCE,
    ParameterInfo {
        name: "output",
        description: "\"best\" (lowest energy seen, default) or \"coldest\" (final coldest replica)",
    },
];

/// Parameters of path-integral annealing (OpenJij's `SQASampler` names).
pub(crate) const SQA_PARAMETERS: &[ParameterInfo] = &[
    NUM_READS,
    ParameterInfo {
        name: "beta",
        description: "inverse temperature of the default schedule; default 5.0",
    },
    ParameterInfo {
        name: "gamma",
        description: "transverse field strength; default 1.0",
    },
    ParameterInfo {
        name: "trotter",
        description: "Trotter slices; default 4",
    },
    ParameterInfo {
        name: "num_sweeps",
        description: "length of the default quartic schedule; default 1000",
    },
    ParameterInfo {
        name: "schedule",
        description: "list of (s, beta, sweeps) steps, 0 <= s <= 1",
    },
    SEED,
    ParameterInfo {
        name: "initial_states",
        description: "starting states, one per read (copied to every slice)",
    },
    INITIAL_STATES_GENERATOR,
    ParameterInfo {
        name: "return_all_slices",
        description: "return every Trotter slice instead of the best; default false",
    },
];
