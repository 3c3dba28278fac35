//! The C header states each parameter's meaning in the words of the core: every keyword of a
//! sampler's parameters is a field of its C struct whose comment contains the core's doc, every
//! field is a keyword (or one of its companions: `has_*`, `*_len`), and every enum constant's
//! comment contains the core variant's doc. So a parameter or a doc cannot drift between C and
//! the core (which Python reads directly).

use crate::convert::CEnum;
use nq::anneal::{
    ExactMode, ExactParams, InitialStatesGenerator, ParallelTemperingParams, PathIntegralParams,
    ProposalAcceptance, PtOutput, ReadParams, SimulatedAnnealingParams, SteepestDescentParams, TabuParams,
};
use nq::params::{KeywordArgs, NamedEnum};
use nq::qubo::Vartype;

fn header() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../include/neuroquant.h");
    std::fs::read_to_string(path).expect("include/neuroquant.h is committed")
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fields of `typedef struct name { … }` with their comments.
fn fields(header: &str, name: &str) -> Vec<(String, String)> {
    let start = header
        .find(&format!("typedef struct {name} {{"))
        .unwrap_or_else(|| panic!("struct {name} is in the header"));
    let end = start + header[start..].find(&format!("}} {name};")).expect("struct end");
    let mut out = Vec::new();
    let mut comment = String::new();
    for line in header[start..end].lines().skip(1) {
        let line = line.trim();
        if let Some(c) = line.strip_prefix("//") {
            comment.push_str(c);
            comment.push(' ');
        } else if let Some(decl) = line.strip_suffix(';') {
            let field = decl
                .split(|c: char| c.is_whitespace() || c == '*')
                .rfind(|w| !w.is_empty())
                .expect("a field name");
            let field = field.split('[').next().unwrap_or(field);
            out.push((field.to_owned(), normalize(&comment)));
            comment.clear();
        }
    }
    out
}

fn check_struct<P: KeywordArgs>(header: &str, name: &str) {
    let mut all = fields(header, name);
    if all.iter().any(|(f, _)| f == "reads") {
        all.extend(fields(header, "NqReadParams"));
    }
    // Keywords whose C form is several arrays are documented on the first.
    let field_of = |k: &str| match k {
        "schedule" => "schedule_s".to_owned(),
        k => k.to_owned(),
    };
    for k in P::keywords() {
        let (_, comment) = all
            .iter()
            .find(|(f, _)| *f == field_of(k.name()))
            .unwrap_or_else(|| panic!("{name} has no field for keyword `{}`", k.name()));
        assert!(
            comment.contains(&normalize(k.doc())),
            "{name}.{}: the comment\n  {comment}\ndoes not contain the core's doc\n  {}",
            k.name(),
            normalize(k.doc())
        );
    }
    // Every field is a keyword, or a companion of one: its `has_*` flag, an array's `*_len`, or
    // the extra arrays and counts of a keyword whose C form is several arrays.
    let keyword = |f: &str| P::keywords().iter().any(|k| k.name() == f);
    let array_of = |f: &str| match f {
        "schedule_s" | "schedule_beta" | "schedule_sweeps" => Some("schedule"),
        "num_initial_states" => Some("initial_states"),
        _ => None,
    };
    for (f, _) in &all {
        let base = f
            .strip_prefix("has_")
            .or_else(|| f.strip_suffix("_len"))
            .unwrap_or(f);
        let base = base.strip_suffix("_per_element").unwrap_or(base);
        let allowed = matches!(f.as_str(), "struct_size" | "reads")
            || keyword(base)
            || array_of(base).is_some_and(keyword);
        assert!(allowed, "{name}.{f} is not a keyword of the core parameters");
    }
}

fn check_enum<E: CEnum + NamedEnum>(header: &str, c_type: &str) {
    for &(constant, code, value) in E::CODES {
        let define = format!("#define {constant} ({c_type}){code}");
        let at = header
            .find(&define)
            .unwrap_or_else(|| panic!("`{define}` is in the header"));
        let comment: String = header[..at]
            .lines()
            .rev()
            .take_while(|l| l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .map(|l| l.trim_start().trim_start_matches("//").to_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let doc = E::VARIANTS
            .iter()
            .find(|(v, _, _)| *v == value)
            .map(|&(_, _, doc)| normalize(doc))
            .expect("a documented variant");
        assert!(
            normalize(&comment).contains(&doc),
            "{constant}: the comment\n  {comment}\ndoes not contain the core's doc\n  {doc}"
        );
    }
    assert_eq!(E::CODES.len(), E::VARIANTS.len(), "{c_type} maps every variant");
}

#[test]
fn c_parameters_are_the_core_keywords_with_the_core_docs() {
    let h = header();
    check_struct::<ReadParams>(&h, "NqReadParams");
    check_struct::<SimulatedAnnealingParams>(&h, "NqSaParams");
    check_struct::<SteepestDescentParams>(&h, "NqSteepestDescentParams");
    check_struct::<TabuParams>(&h, "NqTabuParams");
    check_struct::<ExactParams>(&h, "NqExactParams");
    check_struct::<ParallelTemperingParams>(&h, "NqPtParams");
    check_struct::<PathIntegralParams>(&h, "NqSqaParams");
    check_struct::<nq::anneal::FallbackParams>(&h, "NqFallbackParams");
    check_struct::<nq::spike::EncoderParams>(&h, "NqEncoderParams");
    check_struct::<nq::spike::RateParams>(&h, "NqRateParams");
    check_struct::<nq::spike::LatencyParams>(&h, "NqLatencyParams");
    check_struct::<nq::spike::DeltaParams>(&h, "NqDeltaParams");
    check_struct::<nq::reservoir::EsnParams>(&h, "NqEsnParams");
    check_struct::<nq::reservoir::LsmParams>(&h, "NqLsmParams");
    check_struct::<nq::dwave::DWaveConfig>(&h, "NqDWaveSettings");
    check_struct::<nq::dwave::QpuParams>(&h, "NqDWaveQpuParams");
    check_struct::<nq::dwave::HybridParams>(&h, "NqLeapHybridParams");
    check_struct::<nq::dwave::EmbeddingCompositeParams>(&h, "NqDWaveEmbeddingParams");
    check_struct::<nq::quantum::SolverOptions>(&h, "NqSolverOptions");
}

#[test]
fn c_enum_constants_carry_the_core_docs() {
    let h = header();
    check_enum::<InitialStatesGenerator>(&h, "NqInitialStatesGenerator");
    check_enum::<ProposalAcceptance>(&h, "NqProposalAcceptance");
    check_enum::<nq::anneal::BetaScheduleType>(&h, "NqBetaScheduleType");
    check_enum::<ExactMode>(&h, "NqExactMode");
    check_enum::<PtOutput>(&h, "NqPtOutput");
    check_enum::<Vartype>(&h, "NqVartype");
    check_enum::<nq::spike::EncoderKind>(&h, "NqEncoderKind");
    check_enum::<nq::reservoir::Activation>(&h, "NqActivation");
    check_enum::<nq::reservoir::Equation>(&h, "NqEquation");
    check_enum::<nq::reservoir::Distribution>(&h, "NqDistribution");
    check_enum::<nq::reservoir::NoiseType>(&h, "NqNoiseType");
    check_enum::<nq::reservoir::Reset>(&h, "NqReset");
    check_enum::<nq::dwave::AnswerMode>(&h, "NqAnswerMode");
    check_enum::<nq::quantum::Method>(&h, "NqMethod");
    check_enum::<nq::quantum::DepolarizingConvention>(&h, "NqDepolarizingConvention");
}
