//! Binary quadratic model: energies against an independent dense evaluation, vartype conversion
//! invariants, bulk building, serialization, and SPEC §5 bad input.

use neuroquant::ErrorKind;
use neuroquant::qubo::{Bqm, Vartype};
use proptest::prelude::*;

/// Independent oracle: a dense upper-triangular matrix and a plain double loop.
#[derive(Debug, Clone)]
struct Dense {
    n: usize,
    linear: Vec<f64>,
    quad: Vec<f64>, // n*n, only u < v used
    offset: f64,
}

impl Dense {
    fn energy(&self, s: &[i8]) -> f64 {
        let mut e = self.offset;
        for u in 0..self.n {
            e += self.linear[u] * s[u] as f64;
            for v in u + 1..self.n {
                e += self.quad[u * self.n + v] * s[u] as f64 * s[v] as f64;
            }
        }
        e
    }
}

/// (vartype, num_variables, linear, triplets, offset).
type ModelSpec = (Vartype, usize, Vec<f64>, Vec<(u32, u32, f64)>, f64);

/// A random model given as triplets (possibly repeated, either order, including self-loops).
fn model() -> impl Strategy<Value = ModelSpec> {
    (1usize..9).prop_flat_map(|n| {
        (
            prop_oneof![Just(Vartype::Spin), Just(Vartype::Binary)],
            Just(n),
            prop::collection::vec(-10.0..10.0f64, n),
            prop::collection::vec((0..n as u32, 0..n as u32, -10.0..10.0f64), 0..30),
            -10.0..10.0f64,
        )
    })
}

fn build(vt: Vartype, n: usize, lin: &[f64], trip: &[(u32, u32, f64)], off: f64) -> (Bqm, Dense) {
    let mut bqm = Bqm::with_variables(vt, n).unwrap();
    let mut d = Dense {
        n,
        linear: lin.to_vec(),
        quad: vec![0.0; n * n],
        offset: off,
    };
    bqm.add_linear_from(lin).unwrap();
    bqm.set_offset(off).unwrap();
    for &(u, v, b) in trip {
        bqm.add_quadratic(u, v, b).unwrap();
        let (a, c) = (u.min(v) as usize, u.max(v) as usize);
        if a == c {
            match vt {
                Vartype::Binary => d.linear[a] += b,
                Vartype::Spin => d.offset += b,
            }
        } else {
            d.quad[a * n + c] += b;
        }
    }
    (bqm, d)
}

fn all_samples(vt: Vartype, n: usize) -> Vec<i8> {
    let [lo, hi] = vt.values();
    let mut out = Vec::with_capacity(n << n);
    for m in 0..(1u32 << n) {
        for i in 0..n {
            out.push(if m >> i & 1 == 1 { hi } else { lo });
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #[test]
    fn energies_match_the_dense_oracle((vt, n, lin, trip, off) in model()) {
        let (bqm, dense) = build(vt, n, &lin, &trip, off);
        let samples = all_samples(vt, n);
        let energies = bqm.energies_vec(&samples).unwrap();
        for (row, e) in samples.chunks(n).zip(&energies) {
            prop_assert!(close(*e, dense.energy(row)), "{} vs {}", e, dense.energy(row));
            prop_assert_eq!(*e, bqm.energy(row).unwrap());
        }
        let pairs = (0..n).flat_map(|u| (u + 1..n).map(move |v| (u, v)));
        let stored: Vec<_> = bqm.iter_quadratic().collect();
        prop_assert_eq!(stored.len(), bqm.num_interactions());
        for (u, v) in pairs {
            let touched = trip.iter().any(|&(a, b, _)| (a.min(b) as usize, a.max(b) as usize) == (u, v));
            let q = bqm.quadratic(u as u32, v as u32).unwrap();
            prop_assert_eq!(q.is_some(), touched);
            prop_assert_eq!(bqm.quadratic(v as u32, u as u32).unwrap(), q);
            if let Some(b) = q {
                prop_assert!(close(b, dense.quad[u * n + v]));
            }
        }
    }

    #[test]
    fn vartype_conversion_keeps_every_energy((vt, n, lin, trip, off) in model()) {
        let (bqm, _) = build(vt, n, &lin, &trip, off);
        let other = match vt { Vartype::Spin => Vartype::Binary, Vartype::Binary => Vartype::Spin };
        let mut conv = bqm.clone();
        conv.change_vartype(other).unwrap();
        prop_assert_eq!(conv.vartype(), other);
        let ours = all_samples(vt, n);
        // The same assignment in the other vartype: s = 2x - 1.
        let theirs: Vec<i8> = ours.iter().map(|&x| match vt {
            Vartype::Binary => 2 * x - 1,
            Vartype::Spin => (x + 1) / 2,
        }).collect();
        let e1 = bqm.energies_vec(&ours).unwrap();
        let e2 = conv.energies_vec(&theirs).unwrap();
        for (a, b) in e1.iter().zip(&e2) {
            prop_assert!(close(*a, *b), "{} vs {}", a, b);
        }
        let mut back = conv.clone();
        back.change_vartype(vt).unwrap();
        for (a, b) in bqm.linear().iter().zip(back.linear()) {
            prop_assert!(close(*a, *b));
        }
    }

    #[test]
    fn bulk_building_equals_one_pair_at_a_time((vt, n, lin, trip, off) in model()) {
        let (one, _) = build(vt, n, &lin, &trip, off);
        let mut bulk = Bqm::with_variables(vt, n).unwrap();
        bulk.add_linear_from(&lin).unwrap();
        bulk.set_offset(off).unwrap();
        let rows: Vec<u32> = trip.iter().map(|t| t.0).collect();
        let cols: Vec<u32> = trip.iter().map(|t| t.1).collect();
        let bs: Vec<f64> = trip.iter().map(|t| t.2).collect();
        bulk.add_quadratic_from(&rows, &cols, &bs).unwrap();
        prop_assert_eq!(bulk.num_interactions(), one.num_interactions());
        // Sums happen in input order in both paths, so the models are identical bit for bit.
        prop_assert_eq!(&bulk, &one);
    }

    #[test]
    fn serialization_round_trips((vt, n, lin, trip, off) in model()) {
        let (bqm, _) = build(vt, n, &lin, &trip, off);
        let bytes = bqm.to_bytes();
        prop_assert_eq!(bqm.serialized_len(), bytes.len());
        let back = Bqm::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back, bqm);
    }

    #[test]
    fn mutated_files_never_panic(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bqm = Bqm::with_variables(Vartype::Binary, 4).unwrap();
        bqm.add_quadratic_from(&[0, 1, 2], &[1, 2, 3], &[1.0, -2.0, 3.5]).unwrap();
        let mut bytes = bqm.to_bytes();
        for (i, b) in flips {
            let k = i.index(bytes.len());
            bytes[k] = b;
        }
        // Either an error or a valid model; never a panic.
        if let Ok(m) = Bqm::from_bytes(&bytes) {
            prop_assert!(m.linear().iter().all(|x| x.is_finite()));
        }
    }
}

#[test]
fn empty_model_has_offset_energy() {
    let mut bqm = Bqm::new(Vartype::Spin);
    bqm.set_offset(2.5).unwrap();
    let mut out = [0.0; 3];
    bqm.energies::<i8>(&[], &mut out).unwrap();
    assert_eq!(out, [2.5; 3]);
    assert_eq!(bqm.energies_vec::<i8>(&[]).unwrap(), Vec::<f64>::new());
}

#[test]
fn dimod_conversion_example() {
    // qubo_anchors.md §1: BINARY {a:1,b:-2},{ab:4},0.5 -> SPIN {a:1.5,b:0},{ab:1}, offset 1.0.
    let mut bqm = Bqm::with_variables(Vartype::Binary, 2).unwrap();
    bqm.add_linear_from(&[1.0, -2.0]).unwrap();
    bqm.add_quadratic(0, 1, 4.0).unwrap();
    bqm.set_offset(0.5).unwrap();
    bqm.change_vartype(Vartype::Spin).unwrap();
    assert_eq!(bqm.linear(), &[1.5, 0.0]);
    assert_eq!(bqm.quadratic(0, 1).unwrap(), Some(1.0));
    assert_eq!(bqm.offset(), 1.0);
}

#[test]
fn large_batches_are_thread_count_independent() {
    let n = 64;
    let mut bqm = Bqm::with_variables(Vartype::Spin, n).unwrap();
    let rows: Vec<u32> = (0..n as u32)
        .flat_map(|u| (u + 1..n as u32).map(move |_| u))
        .collect();
    let cols: Vec<u32> = (0..n as u32).flat_map(|u| u + 1..n as u32).collect();
    let biases: Vec<f64> = (0..rows.len())
        .map(|k| ((k * 7919) % 201) as f64 / 10.0 - 10.0)
        .collect();
    bqm.add_quadratic_from(&rows, &cols, &biases).unwrap();
    let mut x = 12345u64;
    let samples: Vec<i8> = (0..n * 2000)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if x >> 63 == 1 { 1 } else { -1 }
        })
        .collect();
    let pool = |t| rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap();
    let one = pool(1).install(|| bqm.energies_vec(&samples).unwrap());
    let two = pool(2).install(|| bqm.energies_vec(&samples).unwrap());
    assert_eq!(one, two);
}

// ---- SPEC §5: bad input gets a clear error and changes nothing ----

fn reference() -> Bqm {
    let mut bqm = Bqm::with_variables(Vartype::Spin, 3).unwrap();
    bqm.add_linear_from(&[1.0, -1.0, 0.5]).unwrap();
    bqm.add_quadratic(0, 1, 2.0).unwrap();
    bqm.set_offset(0.25).unwrap();
    bqm
}

#[track_caller]
fn rejected<T: std::fmt::Debug>(
    f: impl FnOnce(&mut Bqm) -> neuroquant::Result<T>,
    kind: ErrorKind,
    mentions: &str,
) {
    let mut bqm = reference();
    let err = f(&mut bqm).unwrap_err();
    assert_eq!(err.kind(), kind, "{err}");
    assert!(
        err.to_string().contains(mentions),
        "{err:?} does not mention {mentions}"
    );
    assert_eq!(bqm, reference(), "the model changed on error");
}

#[test]
fn non_finite_biases_are_rejected() {
    rejected(|b| b.add_linear(0, f64::NAN), ErrorKind::NonFinite, "`bias`");
    rejected(|b| b.set_linear(0, f64::INFINITY), ErrorKind::NonFinite, "`bias`");
    rejected(
        |b| b.add_quadratic(0, 2, f64::NAN),
        ErrorKind::NonFinite,
        "`bias`",
    );
    rejected(
        |b| b.set_offset(f64::NEG_INFINITY),
        ErrorKind::NonFinite,
        "`offset`",
    );
    rejected(
        |b| b.add_linear_from(&[0.0, f64::NAN, 0.0]),
        ErrorKind::NonFinite,
        "element 1",
    );
    rejected(
        |b| b.add_quadratic_from(&[0, 1], &[2, 2], &[1.0, f64::NAN]),
        ErrorKind::NonFinite,
        "`biases`",
    );
}

#[test]
fn overflowing_sums_are_rejected() {
    let mut bqm = reference();
    bqm.set_linear(0, f64::MAX).unwrap();
    let before = bqm.clone();
    let err = bqm.add_linear(0, f64::MAX).unwrap_err();
    assert!(err.to_string().contains("variable 0"), "{err}");
    assert_eq!(
        bqm.add_linear_from(&[f64::MAX, 0.0, 0.0]).unwrap_err().kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(bqm, before);
    let mut bqm = reference();
    bqm.add_quadratic(0, 2, f64::MAX).unwrap();
    let before = bqm.clone();
    assert_eq!(
        bqm.add_quadratic(2, 0, f64::MAX).unwrap_err().kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(
        bqm.add_quadratic_from(&[1, 2], &[2, 0], &[1.0, f64::MAX])
            .unwrap_err()
            .kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(
        bqm.change_vartype(Vartype::Binary).unwrap_err().kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(bqm, before);
}

#[test]
fn indices_out_of_range_are_rejected() {
    rejected(|b| b.add_linear(3, 1.0), ErrorKind::IndexOutOfRange, "index 3");
    rejected(|b| b.add_quadratic(0, 7, 1.0), ErrorKind::IndexOutOfRange, "`v`");
    rejected(|b| b.quadratic(9, 0), ErrorKind::IndexOutOfRange, "`u`");
    rejected(
        |b| b.add_quadratic_from(&[0, 1], &[1, 3], &[1.0, 1.0]),
        ErrorKind::IndexOutOfRange,
        "`cols`",
    );
    rejected(
        |b| b.set_quadratic(1, 1, 1.0),
        ErrorKind::InvalidArgument,
        "distinct",
    );
}

#[test]
fn mismatched_lengths_are_rejected() {
    rejected(
        |b| b.add_linear_from(&[1.0]),
        ErrorKind::DimensionMismatch,
        "`biases`",
    );
    rejected(
        |b| b.add_quadratic_from(&[0], &[1, 2], &[1.0]),
        ErrorKind::DimensionMismatch,
        "`cols`",
    );
    rejected(|b| b.energy(&[1i8, 1]), ErrorKind::DimensionMismatch, "`samples`");
    rejected(
        |b| b.energies_vec(&[1i8, 1, 1, 1]),
        ErrorKind::DimensionMismatch,
        "`samples`",
    );
    rejected(
        |b| b.energies(&[1i8; 6], &mut [0.0; 3]),
        ErrorKind::DimensionMismatch,
        "expected 9",
    );
}

#[test]
fn values_outside_the_vartype_are_rejected() {
    rejected(
        |b| b.energy(&[1i8, 0, 1]),
        ErrorKind::InvalidArgument,
        "variable 1 has value 0",
    );
    rejected(
        |b| b.energies_vec(&[1i64, 1, 1, 1, 1, 2]),
        ErrorKind::InvalidArgument,
        "sample 1, variable 2",
    );
    let bin = Bqm::with_variables(Vartype::Binary, 2).unwrap();
    let err = bin.energy(&[-1i8, 1]).unwrap_err();
    assert!(err.to_string().contains("[0, 1]"), "{err}");
    let mut out = [7.0];
    assert!(bin.energies(&[1i8, 3], &mut out).is_err());
    assert_eq!(out, [7.0], "output written on error");
}

#[test]
fn oversized_models_are_rejected() {
    rejected(
        |b| b.add_variables(usize::MAX),
        ErrorKind::LimitExceeded,
        "`num_variables`",
    );
    assert!(Bqm::with_variables(Vartype::Spin, neuroquant::qubo::MAX_VARIABLES + 1).is_err());
}

#[test]
fn corrupt_files_are_rejected_with_a_location() {
    let bytes = reference().to_bytes();
    for cut in [0, 7, 15, 40, bytes.len() - 1] {
        let err = Bqm::from_bytes(&bytes[..cut]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Format, "{err}");
    }
    let mut wrong = bytes.clone();
    wrong[..8].copy_from_slice(b"DIMODBQM");
    assert!(Bqm::from_bytes(&wrong).unwrap_err().to_string().contains("magic"));
    // A pair out of order is named with its byte offset.
    let mut bqm = reference();
    bqm.add_quadratic(1, 2, 1.0).unwrap();
    let mut bytes = bqm.to_bytes();
    let hlen = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[16..16 + hlen]).unwrap();
    let rows = header["arrays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "quadratic_row")
        .unwrap();
    let at = 16 + hlen + rows["offset"].as_u64().unwrap() as usize;
    bytes[at..at + 4].copy_from_slice(&5u32.to_le_bytes());
    let err = Bqm::from_bytes(&bytes).unwrap_err();
    assert!(err.to_string().contains(&format!("offset {at}")), "{err}");
}

// ---- transformations and measures ----

proptest! {
    #[test]
    fn fixing_variables_keeps_energies((vt, n, lin, trip, off) in model(), pick in prop::collection::vec(any::<bool>(), 8), vals in prop::collection::vec(any::<bool>(), 8)) {
        let (bqm, _) = build(vt, n, &lin, &trip, off);
        let [lo, hi] = vt.values();
        let fixed: Vec<u32> = (0..n as u32).filter(|&v| pick[v as usize]).collect();
        let values: Vec<i8> = fixed.iter().map(|&v| if vals[v as usize] { hi } else { lo }).collect();
        let mut reduced = bqm.clone();
        reduced.fix_variables(&fixed, &values).unwrap();
        let kept: Vec<usize> = (0..n).filter(|&v| !pick[v]).collect();
        prop_assert_eq!(reduced.num_variables(), kept.len());
        // Every assignment of the kept variables, completed with the fixed values.
        for sample in all_samples(vt, kept.len()).chunks(kept.len().max(1)).take(1 << kept.len()) {
            let mut full = vec![lo; n];
            for (&v, &x) in fixed.iter().zip(&values) {
                full[v as usize] = x;
            }
            for (k, &v) in kept.iter().enumerate() {
                full[v] = sample[k];
            }
            let e_full = bqm.energy(&full).unwrap();
            let e_red = if kept.is_empty() { reduced.offset() } else { reduced.energy(&sample[..kept.len()]).unwrap() };
            prop_assert!(close(e_full, e_red), "{} vs {}", e_full, e_red);
        }
        let pairs = reduced.iter_quadratic().count();
        prop_assert_eq!(pairs, reduced.num_interactions());
    }

    #[test]
    fn normalize_scales_energies_into_the_range((vt, n, lin, trip, off) in model()) {
        let (bqm, _) = build(vt, n, &lin, &trip, off);
        let mut norm = bqm.clone();
        let scalar = norm.normalize((-1.0, 1.0), Some((-0.5, 2.0))).unwrap();
        prop_assert!(norm.linear().iter().all(|a| (-1.0 - 1e-12..=1.0 + 1e-12).contains(a)));
        prop_assert!(norm.iter_quadratic().all(|(_, _, b)| (-0.5 - 1e-12..=2.0 + 1e-12).contains(&b)));
        let samples = all_samples(vt, n);
        for (a, b) in bqm.energies_vec(&samples).unwrap().iter().zip(norm.energies_vec(&samples).unwrap()) {
            prop_assert!(close(a * scalar, b));
        }
    }

    #[test]
    fn maximum_energy_delta_bounds_every_single_flip((vt, n, lin, trip, off) in model()) {
        let (bqm, _) = build(vt, n, &lin, &trip, off);
        let bound = bqm.maximum_energy_delta();
        let samples = all_samples(vt, n);
        let energies = bqm.energies_vec(&samples).unwrap();
        let [lo, hi] = vt.values();
        let mut largest = 0.0f64;
        for (k, row) in samples.chunks(n).enumerate() {
            for v in 0..n {
                let mut flipped = row.to_vec();
                flipped[v] = if row[v] == lo { hi } else { lo };
                largest = largest.max((bqm.energy(&flipped).unwrap() - energies[k]).abs());
            }
        }
        prop_assert!(largest <= bound * (1.0 + 1e-12) + 1e-12, "{} > {}", largest, bound);
    }

    #[test]
    fn dense_matrices_follow_dimods_convention(n in 1usize..7, entries in prop::collection::vec(prop_oneof![Just(0.0), -5.0..5.0f64], 49)) {
        let m: Vec<f64> = entries[..n * n].to_vec();
        let bqm = Bqm::from_dense(Vartype::Binary, n, &m).unwrap();
        // Independent: x'Mx over every assignment.
        let samples = all_samples(Vartype::Binary, n);
        for (row, e) in samples.chunks(n).zip(bqm.energies_vec(&samples).unwrap()) {
            let mut want = 0.0;
            for i in 0..n { for j in 0..n { want += m[i * n + j] * row[i] as f64 * row[j] as f64; } }
            prop_assert!(close(want, e));
        }
        let stored = (0..n).flat_map(|u| (u + 1..n).map(move |v| (u, v)))
            .filter(|&(u, v)| m[u * n + v] != 0.0 || m[v * n + u] != 0.0).count();
        prop_assert_eq!(bqm.num_interactions(), stored);
    }
}

#[test]
fn maximum_energy_delta_matches_dimods_example() {
    // dimod docstring: Q = {(0, 0): -1, (0, 1): 1, (1, 2): -4.5} -> 5.5.
    let mut bqm = Bqm::with_variables(Vartype::Binary, 3).unwrap();
    bqm.add_quadratic_from(&[0, 0, 1], &[0, 1, 2], &[-1.0, 1.0, -4.5])
        .unwrap();
    assert_eq!(bqm.maximum_energy_delta(), 5.5);
    assert_eq!(Bqm::new(Vartype::Spin).maximum_energy_delta(), 0.0);
    assert_eq!(bqm.degrees(), vec![1, 2, 1]);
}

#[test]
fn memory_is_twelve_bytes_per_stored_coupler_direction() {
    let n = 300u32;
    let rows: Vec<u32> = (0..n).flat_map(|u| (u + 1..n).map(move |_| u)).collect();
    let cols: Vec<u32> = (0..n).flat_map(|u| u + 1..n).collect();
    let mut bqm = Bqm::with_variables(Vartype::Binary, n as usize).unwrap();
    // Chunked input: several calls, never a dense copy.
    for k in 0..4 {
        let lo = rows.len() * k / 4;
        let hi = rows.len() * (k + 1) / 4;
        bqm.add_quadratic_from(&rows[lo..hi], &cols[lo..hi], &vec![1.0; hi - lo])
            .unwrap();
    }
    let directions = 2 * bqm.num_interactions();
    let per_variable = 8 + 48;
    assert!(
        bqm.nbytes() <= 12 * directions + per_variable * n as usize,
        "{} bytes",
        bqm.nbytes()
    );
}

#[test]
fn transformations_reject_bad_input_and_change_nothing() {
    rejected(|b| b.fix_variable(0, 0), ErrorKind::InvalidArgument, "value 0");
    rejected(
        |b| b.fix_variable(5, 1),
        ErrorKind::IndexOutOfRange,
        "`variables`",
    );
    rejected(
        |b| b.fix_variables(&[1, 1], &[1, 1]),
        ErrorKind::InvalidArgument,
        "twice",
    );
    rejected(
        |b| b.fix_variables(&[1], &[1, 1]),
        ErrorKind::DimensionMismatch,
        "`values`",
    );
    rejected(|b| b.scale(f64::NAN), ErrorKind::NonFinite, "`scalar`");
    rejected(|b| b.scale(f64::MAX), ErrorKind::NonFinite, "scaling");
    rejected(
        |b| b.normalize((0.0, 1.0), None),
        ErrorKind::InvalidArgument,
        "low < 0 < high",
    );
    rejected(
        |b| b.normalize((-1.0, 1.0), Some((-1.0, f64::NAN))),
        ErrorKind::NonFinite,
        "quadratic_range",
    );
    rejected(|b| b.remove_interaction(0, 9), ErrorKind::IndexOutOfRange, "`v`");
    let mut bqm = reference();
    assert!(bqm.remove_interaction(1, 0).unwrap());
    assert!(!bqm.remove_interaction(1, 0).unwrap());
    assert_eq!(bqm.num_interactions(), 0);
    assert!(Bqm::from_dense(Vartype::Spin, 2, &[0.0, 1.0, f64::NAN, 0.0]).is_err());
    assert!(Bqm::from_dense(Vartype::Spin, 2, &[0.0; 3]).is_err());
}

proptest! {
    /// Truncating equals building the model from the part of the input inside the kept range.
    #[test]
    fn truncate_keeps_exactly_the_leading_variables((vt, n, lin, trip, off) in model(), keep in 0usize..10) {
        let (mut bqm, _) = build(vt, n, &lin, &trip, off);
        bqm.truncate(keep);
        let k = keep.min(n);
        let inside: Vec<(u32, u32, f64)> =
            trip.iter().copied().filter(|&(u, v, _)| (u as usize) < k && (v as usize) < k).collect();
        let lin_k = lin[..k].to_vec();
        let mut off_k = off;
        // Self-loops outside the range fold into a dropped linear bias (BINARY) or the offset (SPIN).
        for &(u, v, b) in &trip {
            if u == v && u as usize >= k && vt == Vartype::Spin {
                off_k += b;
            }
        }
        let (expected, _) = build(vt, k, &lin_k, &inside, off_k);
        prop_assert_eq!(bqm.num_variables(), k);
        prop_assert_eq!(bqm.num_interactions(), expected.num_interactions());
        prop_assert_eq!(bqm.iter_quadratic().collect::<Vec<_>>(), expected.iter_quadratic().collect::<Vec<_>>());
        prop_assert_eq!(bqm.linear(), expected.linear());
        prop_assert!((bqm.offset() - expected.offset()).abs() < 1e-9);
    }
}
