//! Properties of the model file formats over random models: every writer's output reads back to
//! the same model, and mutated files (bytes flipped, inserted, deleted, truncated) never panic a
//! reader; whatever a reader accepts is a valid model with valid labels.

use neuroquant::qubo::formats::{self, Format, LabelledBqm};
use neuroquant::qubo::{Bqm, Vartype};
use proptest::prelude::*;
use serde_json::{Value, json};

/// (vartype, n, linear, pairs, offset, label kind); biases are multiples of 1/64 in [-8, 8] so
/// COO's six decimals hold them exactly.
type Spec = (Vartype, usize, Vec<i32>, Vec<(u32, u32, i32)>, i32, u8);

fn spec() -> impl Strategy<Value = Spec> {
    (0usize..7).prop_flat_map(|n| {
        let pairs = if n < 2 {
            prop::collection::vec((Just(0u32), Just(0u32), -512..512i32), 0..1).boxed()
        } else {
            prop::collection::vec((0..n as u32, 0..n as u32, -512..512i32), 0..12).boxed()
        };
        (
            prop_oneof![Just(Vartype::Spin), Just(Vartype::Binary)],
            Just(n),
            prop::collection::vec(-512..512i32, n),
            pairs,
            -512..512i32,
            0u8..5,
        )
    })
}

fn build((vt, n, lin, pairs, off, _): &Spec) -> Bqm {
    let mut bqm = Bqm::with_variables(*vt, *n).unwrap();
    let lin: Vec<f64> = lin.iter().map(|&x| x as f64 / 64.0).collect();
    bqm.add_linear_from(&lin).unwrap();
    bqm.set_offset(*off as f64 / 64.0).unwrap();
    for &(u, v, b) in pairs {
        if u != v {
            bqm.add_quadratic(u, v, b as f64 / 64.0).unwrap();
        }
    }
    bqm
}

/// Distinct labels of one kind: range, ints out of order, strings, tuples, or mixed types
/// (which Python cannot sort).
fn labels(kind: u8, n: usize) -> Option<Vec<Value>> {
    let l: Vec<Value> = (0..n)
        .map(|i| {
            let r = (n - 1 - i) as i64;
            match kind {
                1 => json!(r * 3 + 1),
                2 => json!(format!("v{r}é")),
                3 => json!([r % 2, format!("x{i}")]),
                4 => [json!(i), json!(format!("s{i}")), json!([i, "t"])][i % 3].clone(),
                _ => json!(i),
            }
        })
        .collect();
    if kind == 0 { None } else { Some(l) }
}

/// Checks the invariants of a model through the public API only.
fn assert_valid(read: &LabelledBqm) -> Result<(), TestCaseError> {
    let b = &read.bqm;
    let n = b.num_variables();
    prop_assert!(b.offset().is_finite());
    prop_assert!(b.linear().iter().all(|x| x.is_finite()));
    let mut directions = 0;
    for v in 0..n as u32 {
        let (nbrs, biases) = b.neighborhood(v).unwrap();
        prop_assert!(nbrs.windows(2).all(|w| w[0] < w[1]), "sorted neighbours");
        for (&u, &x) in nbrs.iter().zip(biases) {
            prop_assert!((u as usize) < n && u != v && x.is_finite());
            prop_assert_eq!(b.quadratic(u, v).unwrap().map(f64::to_bits), Some(x.to_bits()));
        }
        directions += nbrs.len();
    }
    prop_assert_eq!(directions, 2 * b.num_interactions());
    prop_assert_eq!(b.iter_quadratic().count(), b.num_interactions());
    if let Some(l) = &read.labels {
        prop_assert_eq!(l.len(), n);
        // Labels are accepted back by a writer only if they are valid and unique.
        prop_assert!(formats::write_dimodbqm(b, Some(l)).is_ok());
    }
    Ok(())
}

/// Models equal up to relabelling: the variable labelled `L` in one has the biases of the
/// variable labelled `L` in the other.
fn same_labelled(a: &Bqm, la: &[Value], b: &Bqm, lb: &[Value]) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.num_variables(), b.num_variables());
    prop_assert_eq!(
        (a.vartype(), a.offset(), a.num_interactions()),
        (b.vartype(), b.offset(), b.num_interactions())
    );
    let map: Vec<u32> = la
        .iter()
        .map(|l| lb.iter().position(|m| m == l).unwrap() as u32)
        .collect();
    for (i, &j) in map.iter().enumerate() {
        prop_assert_eq!(a.linear()[i], b.linear()[j as usize]);
    }
    for (u, v, x) in a.iter_quadratic() {
        prop_assert_eq!(b.quadratic(map[u as usize], map[v as usize]).unwrap(), Some(x));
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

/// Bytes biased towards the ones that keep text files parseable, so mutations reach deep.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        any::<u8>(),
        prop::sample::select(b"0123456789 \n-.eE#cp,[]{}\"".to_vec())
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        prop_oneof![
            4 => (any::<prop::sample::Index>(), byte()).prop_map(|(i, b)| Mutation::Set(i, b)),
            2 => (any::<prop::sample::Index>(), byte()).prop_map(|(i, b)| Mutation::Insert(i, b)),
            1 => any::<prop::sample::Index>().prop_map(Mutation::Delete),
            1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        ],
        1..5,
    )
}

fn mutate(mut bytes: Vec<u8>, ops: &[Mutation]) -> Vec<u8> {
    for op in ops {
        let len = bytes.len();
        match op {
            Mutation::Set(i, b) if len > 0 => bytes[i.index(len)] = *b,
            Mutation::Insert(i, b) => bytes.insert(i.index(len + 1), *b),
            Mutation::Delete(i) if len > 0 => {
                bytes.remove(i.index(len));
            }
            Mutation::Truncate(i) => bytes.truncate(i.index(len + 1)),
            _ => {}
        }
    }
    bytes
}

fn reads_or_rejects(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    for vartype in [None, Some(Vartype::Spin)] {
        if let Ok(read) = formats::read(format, bytes, vartype) {
            assert_valid(&read)?;
            // What was accepted writes and reads back to itself.
            let again = formats::write(format, &read.bqm, read.labels.as_deref()).unwrap();
            let back = formats::read(format, &again, None).unwrap();
            if format != Format::Coo && format != Format::DimodJson {
                prop_assert_eq!(&back, &read);
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn dimodbqm_round_trips_with_labels(s in spec()) {
        let bqm = build(&s);
        let labels = labels(s.5, s.1);
        let back = formats::read_dimodbqm(&formats::write_dimodbqm(&bqm, labels.as_deref()).unwrap()).unwrap();
        prop_assert_eq!(&back.bqm, &bqm);
        // Labels equal to 0..n (e.g. no variables, or a single 0) come back as `None`.
        let range = |l: &Vec<Value>| l.iter().enumerate().all(|(i, v)| *v == json!(i));
        prop_assert_eq!(back.labels, labels.filter(|l| !range(l)));
    }

    #[test]
    fn dimod_json_round_trips_up_to_the_sorted_order(s in spec()) {
        let bqm = build(&s);
        let labels = labels(s.5, s.1).unwrap_or_else(|| (0..s.1).map(Value::from).collect());
        let back = formats::read_dimod_json(&formats::write_dimod_json(&bqm, Some(&labels)).unwrap()).unwrap();
        let back_labels = back.labels.clone().unwrap_or_else(|| (0..s.1).map(Value::from).collect());
        same_labelled(&bqm, &labels, &back.bqm, &back_labels)?;
    }

    #[test]
    fn qbsolv_round_trips_as_binary(s in spec()) {
        let bqm = build(&s);
        let mut binary = bqm.clone();
        binary.change_vartype(Vartype::Binary).unwrap();
        let back = formats::read_qbsolv(&formats::write_qbsolv(&bqm).unwrap()).unwrap();
        prop_assert_eq!(back, binary);
    }

    #[test]
    fn coo_round_trips_the_listed_variables(s in spec()) {
        let bqm = build(&s);
        let mut back = formats::read_coo(&formats::write_coo(&bqm, true), None).unwrap();
        prop_assert!(back.num_variables() <= bqm.num_variables());
        back.add_variables(bqm.num_variables() - back.num_variables()).unwrap();
        let mut expected = bqm.clone();
        expected.set_offset(0.0).unwrap();
        prop_assert_eq!(back, expected);
    }

    #[test]
    fn mutated_files_never_panic(s in spec(), format in prop::sample::select(Format::ALL.to_vec()), ops in mutations()) {
        let bqm = build(&s);
        let labels = if format.has_labels() { labels(s.5, s.1) } else { None };
        let bytes = formats::write(format, &bqm, labels.as_deref()).unwrap();
        reads_or_rejects(format, &mutate(bytes, &ops))?;
    }

    #[test]
    fn mutated_edge_lists_never_panic(edges in prop::collection::vec((1u32..6, 1u32..6, -3i32..4), 0..8), ops in mutations()) {
        let edges: Vec<_> = edges.into_iter().filter(|e| e.0 != e.1).collect();
        let mut text = format!("5 {}\n", edges.len());
        for (i, j, w) in &edges {
            text += &format!("{i} {j} {w}\n");
        }
        let g = formats::read_edge_list(&text).unwrap();
        prop_assert_eq!(g.edges.len(), edges.len());
        if let Ok(text) = String::from_utf8(mutate(text.into_bytes(), &ops))
            && let Ok(g) = formats::read_edge_list(&text)
        {
            prop_assert!(g.edges.iter().all(|&(i, j, w)| i != j && (i.max(j) as usize) < g.num_nodes && w.is_finite()));
        }
    }
}
