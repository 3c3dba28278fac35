//! Expressions in the container (kind `"expr"`): round trips checked against direct evaluation
//! of random trees (brute force over every assignment) and against compiling the original
//! expression (random DAGs with shared nodes, constraints, custom conditions, labels that
//! fail to compile); sharing kept (2⁴⁰ leaves in 41 nodes, compiled to the analytic 2⁴⁰·x);
//! 100 000-deep chains; the documented layout read by a test-side parser; hostile and mutated
//! files rejected at the right byte offset, never a panic.

mod expr_support;
use expr_support::*;

use neuroquant::format::FormatError;
use neuroquant::qubo::expr::{CompiledModel, Condition, CustomCondition, Expr};
use neuroquant::qubo::{Bqm, Vartype};
use neuroquant::{Error, ErrorKind};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

// --- a test-side reader/writer of the documented container layout ---------------------------

/// A container split into its JSON header and data section (ARCHITECTURE.md).
#[derive(Clone)]
struct File {
    header: Value,
    data: Vec<u8>,
}

fn split(bytes: &[u8]) -> File {
    assert_eq!(&bytes[..8], b"NQMODEL\0");
    let h = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    File {
        header: serde_json::from_slice(&bytes[16..16 + h]).unwrap(),
        data: bytes[16 + h..].to_vec(),
    }
}

fn header_bytes(header: &Value) -> Vec<u8> {
    let mut json = serde_json::to_vec(header).unwrap();
    json.resize((16 + json.len()).next_multiple_of(8) - 16, b' ');
    json
}

impl File {
    fn join(&self) -> Vec<u8> {
        let json = header_bytes(&self.header);
        let mut out = b"NQMODEL\0".to_vec();
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        out.extend_from_slice(&self.data);
        out
    }

    fn entry(&self, name: &str) -> &Value {
        self.header["arrays"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no array {name}"))
    }

    fn itemsize(&self, name: &str) -> usize {
        match self.entry(name)["dtype"].as_str().unwrap() {
            "|i1" => 1,
            "<u4" => 4,
            _ => 8,
        }
    }

    /// Byte offset of element `index` of `name` in the joined file.
    fn offset_of(&self, name: &str, index: usize) -> u64 {
        let start = self.entry(name)["offset"].as_u64().unwrap();
        (16 + header_bytes(&self.header).len()) as u64 + start + (index * self.itemsize(name)) as u64
    }

    fn len(&self, name: &str) -> usize {
        self.entry(name)["shape"][0].as_u64().unwrap() as usize
    }

    fn raw(&self, name: &str, index: usize) -> &[u8] {
        let size = self.itemsize(name);
        let at = self.entry(name)["offset"].as_u64().unwrap() as usize + index * size;
        &self.data[at..at + size]
    }

    fn get(&self, name: &str, index: usize) -> u64 {
        let raw = self.raw(name, index);
        let mut b = [0u8; 8];
        b[..raw.len()].copy_from_slice(raw);
        u64::from_le_bytes(b)
    }

    /// Overwrites element `index` of `name` with the low bytes of `value`.
    fn set(&mut self, name: &str, index: usize, value: u64) {
        let size = self.itemsize(name);
        let at = self.entry(name)["offset"].as_u64().unwrap() as usize + index * size;
        self.data[at..at + size].copy_from_slice(&value.to_le_bytes()[..size]);
    }

    fn set_f64(&mut self, name: &str, index: usize, value: f64) {
        self.set(name, index, value.to_bits());
    }

    fn children(&self, node: usize) -> Vec<u64> {
        (self.get("child_ptr", node)..self.get("child_ptr", node + 1))
            .map(|k| self.get("child_index", k as usize))
            .collect()
    }

    fn label(&self, j: usize) -> String {
        let start = if j == 0 {
            0
        } else {
            self.get("label_end", j - 1) as usize
        };
        let end = self.get("label_end", j) as usize;
        String::from_utf8((start..end).map(|k| self.get("label_bytes", k) as u8).collect()).unwrap()
    }
}

/// The byte offset of a `Corrupt` error (panics on any other error).
fn corrupt_offset<T: std::fmt::Debug>(r: neuroquant::Result<T>) -> (u64, String) {
    match r.unwrap_err() {
        Error::Format(FormatError::Corrupt { offset, reason }) => (offset, reason),
        e => panic!("expected a corrupt-data error, got {e:?}"),
    }
}

// --- random DAGs: a program over a bank of registers, so sub-expressions are shared ----------

#[derive(Debug, Clone)]
enum Op {
    Add(prop::sample::Index, prop::sample::Index),
    Sub(prop::sample::Index, prop::sample::Index),
    Mul(prop::sample::Index, prop::sample::Index),
    Scale(prop::sample::Index, i8),
    Pow(prop::sample::Index, u32),
    Sum(Vec<prop::sample::Index>),
    Product(Vec<prop::sample::Index>),
    /// Condition 0..5: default, equal, at most, at least, custom; label: unique unless `dup`.
    Constraint(prop::sample::Index, u8, bool),
    SubH(prop::sample::Index, bool),
}

fn op() -> impl Strategy<Value = Op> {
    use prop::sample::Index as I;
    let idx = any::<I>;
    prop_oneof![
        3 => (idx(), idx()).prop_map(|(a, b)| Op::Add(a, b)),
        2 => (idx(), idx()).prop_map(|(a, b)| Op::Sub(a, b)),
        3 => (idx(), idx()).prop_map(|(a, b)| Op::Mul(a, b)),
        1 => (idx(), any::<i8>()).prop_map(|(a, c)| Op::Scale(a, c)),
        1 => (idx(), 0..4u32).prop_map(|(a, k)| Op::Pow(a, k)),
        1 => prop::collection::vec(idx(), 0..5).prop_map(Op::Sum),
        1 => prop::collection::vec(idx(), 0..4).prop_map(Op::Product),
        2 => (idx(), 0..5u8, prop::bool::weighted(0.1)).prop_map(|(a, c, d)| Op::Constraint(a, c, d)),
        1 => (idx(), prop::bool::weighted(0.1)).prop_map(|(a, d)| Op::SubH(a, d)),
    ]
}

/// (operations, add a spin named like a binary — a vartype conflict compile reports).
type Program = (Vec<Op>, bool);

fn program() -> impl Strategy<Value = Program> {
    (prop::collection::vec(op(), 1..14), prop::bool::weighted(0.05))
}

/// The expression of a program (its last register) and the custom payloads it used.
fn run(p: &Program) -> (Expr, Vec<CustomCondition>) {
    let mut regs: Vec<Expr> = Vec::new();
    for i in 0..BINARIES {
        regs.push(Expr::binary(format!("b{i}")));
    }
    for i in 0..SPINS {
        regs.push(Expr::spin(format!("s{i}")));
    }
    for i in 0..PLACEHOLDERS {
        regs.push(Expr::placeholder(format!("P{i}")));
    }
    regs.push(Expr::num(1.5));
    regs.push(Expr::num(-2.0));
    if p.1 {
        regs.push(Expr::spin("b0"));
    }
    let mut custom = Vec::new();
    for (k, op) in p.0.iter().enumerate() {
        let r = |i: &prop::sample::Index| regs[i.index(regs.len())].clone();
        let label = |dup: bool| if dup { "dup".to_string() } else { format!("c{k}") };
        let e = match op {
            Op::Add(a, b) => r(a) + r(b),
            Op::Sub(a, b) => r(a) - r(b),
            Op::Mul(a, b) => r(a) * r(b),
            Op::Scale(a, c) => r(a).scale(*c as f64 / 4.0),
            Op::Pow(a, k) => r(a).pow(*k),
            Op::Sum(v) => Expr::sum(v.iter().map(r).collect::<Vec<_>>()),
            Op::Product(v) => Expr::product(v.iter().map(r).collect::<Vec<_>>()),
            Op::Constraint(a, c, dup) => {
                let condition = match c {
                    0 => Condition::default(),
                    1 => Condition::equal(1.0, 0.25).unwrap(),
                    2 => Condition::at_most(-0.5, 0.0).unwrap(),
                    3 => Condition::at_least(2.0, 1e-9).unwrap(),
                    _ => {
                        let payload: CustomCondition = Arc::new(k as u64);
                        custom.push(payload.clone());
                        Condition::Custom(payload)
                    }
                };
                Expr::constraint(r(a), label(*dup), condition)
            }
            Op::SubH(a, dup) => Expr::subh(r(a), label(*dup)),
        };
        regs.push(e);
    }
    (regs.pop().unwrap(), custom)
}

/// Both models alike in every observable way, and binding the same placeholder values gives
/// the same `Bqm` (or the same error).
fn same_model(a: &CompiledModel, b: &CompiledModel, values: &[f64]) -> Result<(), TestCaseError> {
    prop_assert!(a.labels().eq(b.labels()));
    prop_assert_eq!(a.declared_vartypes(), b.declared_vartypes());
    prop_assert_eq!(a.num_expression_variables(), b.num_expression_variables());
    prop_assert_eq!(a.auxiliary_pairs(), b.auxiliary_pairs());
    prop_assert!(a.placeholders().eq(b.placeholders()));
    prop_assert_eq!(a.num_interactions(), b.num_interactions());
    prop_assert_eq!(a.labelled().len(), b.labelled().len());
    for ((la, ca), (lb, cb)) in a.labelled().zip(b.labelled()) {
        prop_assert_eq!(la, lb);
        match (ca, cb) {
            (Some(Condition::Custom(p)), Some(Condition::Custom(q))) => prop_assert!(Arc::ptr_eq(p, q)),
            _ => prop_assert_eq!(format!("{ca:?}"), format!("{cb:?}")),
        }
    }
    let feed: Vec<f64> = a
        .placeholders()
        .map(|p| values[p[1..].parse::<usize>().unwrap()])
        .collect();
    match (a.bind(&feed), b.bind(&feed)) {
        (Ok(x), Ok(y)) => prop_assert_eq!(x.into_bqm(), y.into_bqm()),
        (x, y) => prop_assert_eq!(x.err().map(|e| e.to_string()), y.err().map(|e| e.to_string())),
    }
    Ok(())
}

fn payloads_identical(a: &[CustomCondition], b: &[CustomCondition]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(p, q)| Arc::ptr_eq(p, q))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A reloaded random tree compiles to the original's model, whose energy is the expression's
    /// value for every assignment (evaluated directly on the test-side tree), prints the same,
    /// and writes the same bytes again.
    #[test]
    fn reloaded_trees_compile_to_the_expression(a in ast(), p0 in -2..=2i32, p1 in -2..=2i32) {
        let expr = build(&a, &mut 0);
        let bytes = expr.to_bytes().unwrap();
        let back = Expr::from_bytes(&bytes).unwrap();
        prop_assert_eq!(back.to_string(), expr.to_string());
        prop_assert_eq!(back.to_bytes().unwrap(), bytes);
        let model = back.compile(1e7).unwrap();
        let phs = [p0 as f64, p1 as f64];
        same_model(&expr.compile(1e7).unwrap(), &model, &phs)?;
        let feed: Vec<f64> = model.placeholders().map(|p| phs[p[1..].parse::<usize>().unwrap()]).collect();
        let bound = model.bind(&feed).unwrap();
        for (bins, spins) in assignments() {
            let mut constraints = Vec::new();
            let want = eval(&a, &bins, &spins, &phs, &mut constraints);
            let d = bound.decode(&sample(&model, &bins, &spins)).unwrap();
            prop_assert_eq!(d.energy, want);
            prop_assert_eq!(d.values, constraints);
        }
    }

    /// A reloaded random DAG (shared nodes, all condition kinds, custom payloads, sub-
    /// Hamiltonians, labels that fail to compile) compiles exactly as the original, prints the
    /// same, keeps its custom payloads and writes the same bytes again.
    #[test]
    fn reloaded_dags_compile_identically(p in program(), v0 in -3.0..3.0f64, v1 in -3.0..3.0f64) {
        let (expr, custom) = run(&p);
        let (bytes, written) = expr.to_bytes_with_custom().unwrap();
        // The payloads of the reachable custom conditions, each once (a program may leave some
        // constraints unused).
        prop_assert!(written.iter().all(|w| custom.iter().any(|c| Arc::ptr_eq(w, c))));
        if !written.is_empty() {
            prop_assert_eq!(expr.to_bytes().unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
        let back = Expr::from_bytes_with_custom(&bytes, &written).unwrap();
        prop_assert_eq!(back.to_string(), expr.to_string());
        let (again, payloads) = back.to_bytes_with_custom().unwrap();
        prop_assert_eq!(again, bytes);
        prop_assert!(payloads_identical(&payloads, &written));
        match (expr.compile(5.0), back.compile(5.0)) {
            (Ok(a), Ok(b)) => same_model(&a, &b, &[v0, v1])?,
            (a, b) => prop_assert_eq!(a.err().map(|e| e.to_string()), b.err().map(|e| e.to_string())),
        }
    }

    /// Files with bytes flipped, inserted, deleted or truncated, or one array element set to
    /// random bits, never panic the reader; what it accepts writes back to itself and compiles
    /// or fails with an error.
    #[test]
    fn mutated_files_never_panic(p in program(), ops in mutations(), element in element_mutation()) {
        let (expr, _) = run(&p);
        let (bytes, custom) = expr.to_bytes_with_custom().unwrap();
        for mutated in [mutate(bytes.clone(), &ops), mutate_element(&bytes, &element)] {
            if let Ok(e) = Expr::from_bytes_with_custom(&mutated, &custom) {
                let (again, payloads) = e.to_bytes_with_custom().unwrap();
                let reread = Expr::from_bytes_with_custom(&again, &payloads).unwrap();
                prop_assert_eq!(reread.to_bytes_with_custom().unwrap().0, again);
                if small_exponents(&e) {
                    let _ = e.compile(5.0);
                }
            }
        }
    }
}

/// Whether every power has exponent ≤ 64: expanding `(P0 + P1)^k` costs O(k²) monomials, as
/// it would for the same expression built in code, so a mutated exponent of 2³¹ is not compiled.
fn small_exponents(e: &Expr) -> bool {
    let text = e.to_string();
    text.split("**").skip(1).all(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().is_ok_and(|k| k <= 64)
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    use prop::sample::Index as I;
    prop::collection::vec(
        prop_oneof![
            4 => (any::<I>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
            2 => (any::<I>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
            1 => any::<I>().prop_map(Mutation::Delete),
            1 => any::<I>().prop_map(Mutation::Truncate),
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

const ARRAYS: [&str; 10] = [
    "node_kind",
    "node_number",
    "node_integer",
    "child_ptr",
    "child_index",
    "label_end",
    "label_bytes",
    "condition_kind",
    "condition_value",
    "condition_atol",
];

/// (array, element, value): small values most of the time, so the change stays plausible.
type ElementMutation = (prop::sample::Index, prop::sample::Index, u64);

fn element_mutation() -> impl Strategy<Value = ElementMutation> {
    (
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop_oneof![3 => 0..16u64, 1 => any::<u64>()],
    )
}

fn mutate_element(bytes: &[u8], (a, i, v): &ElementMutation) -> Vec<u8> {
    let mut f = split(bytes);
    let name = ARRAYS[a.index(ARRAYS.len())];
    let len = f.len(name);
    if len > 0 {
        f.set(name, i.index(len), *v);
    }
    f.join()
}

// --- fixed cases ------------------------------------------------------------------------------

#[test]
fn the_file_follows_the_documented_layout() {
    // H = Constraint((x + s)², "c", at_most(1, 0.5)) + 3·P·x, read by the test-side parser.
    let (x, s, p) = (Expr::binary("x"), Expr::spin("s"), Expr::placeholder("P"));
    let c = Expr::constraint((&x + &s).pow(2), "c", Condition::at_most(1.0, 0.5).unwrap());
    let h = &c + 3.0 * &p * &x;
    let f = split(&h.to_bytes().unwrap());
    assert_eq!(f.header["kind"], "expr");
    assert_eq!(f.header["kind_version"], 1);
    assert_eq!(
        f.header["meta"],
        json!({"num_nodes": 8, "num_labels": 4, "num_constraints": 1, "num_custom": 0})
    );
    // Post-order, children first, root last; x is one node used twice.
    let kinds: Vec<u64> = (0..8).map(|i| f.get("node_kind", i)).collect();
    assert_eq!(kinds, [1, 2, 4, 6, 8, 3, 5, 4]);
    let children: Vec<Vec<u64>> = (0..8).map(|i| f.children(i)).collect();
    assert_eq!(
        children,
        [
            vec![],
            vec![],
            vec![0, 1],
            vec![2],
            vec![3],
            vec![],
            vec![5, 0],
            vec![4, 6]
        ]
    );
    let labels: Vec<String> = (0..4).map(|j| f.label(j)).collect();
    assert_eq!(labels, ["x", "s", "c", "P"]);
    let integers: Vec<u64> = (0..8).map(|i| f.get("node_integer", i)).collect();
    assert_eq!(integers, [0, 1, 0, 2, 2, 3, 0, 0]);
    assert_eq!(f64::from_bits(f.get("node_number", 6)), 3.0);
    assert_eq!(f.get("condition_kind", 0), 1);
    assert_eq!(f64::from_bits(f.get("condition_value", 0)), 1.0);
    assert_eq!(f64::from_bits(f.get("condition_atol", 0)), 0.5);
}

#[test]
fn shared_subexpressions_are_written_once() {
    // e = x; e = e + e forty times: 2⁴⁰ leaves in 41 nodes; it compiles to 2⁴⁰·x.
    let mut e = Expr::binary("x");
    for _ in 0..40 {
        e = &e + &e;
    }
    let bytes = e.to_bytes().unwrap();
    assert!(bytes.len() < 4096, "{} bytes", bytes.len());
    let f = split(&bytes);
    assert_eq!(f.header["meta"]["num_nodes"], 41);
    let t = Instant::now();
    let back = Expr::from_bytes(&bytes).unwrap();
    // Generous bound (loaded machine): an exponential reader would take hours.
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let bqm = back.compile(5.0).unwrap().bind(&[]).unwrap().into_bqm();
    assert_eq!(bqm.linear(), &[2f64.powi(40)]);

    // PyQUBO style: one one-hot sum referenced by many constraints is stored once.
    let xs: Vec<Expr> = (0..100).map(|i| Expr::binary(format!("x{i}"))).collect();
    let one_hot = (Expr::sum(xs.clone()) - 1.0).pow(2);
    let h = Expr::sum((0..50).map(|k| Expr::placeholder(format!("A{k}")) * &one_hot));
    let f = split(&h.to_bytes().unwrap());
    // 100 variables, their sum, −1, sum − 1, the power, 50 × (placeholder, product), the root.
    assert_eq!(f.header["meta"]["num_nodes"], 100 + 1 + 1 + 1 + 1 + 100 + 1);
}

#[test]
fn deep_chains_round_trip_without_recursion() {
    // Horner chain p_{k+1} = p_k·x + 1, depth 100 000: p_N = (N + 1)·x + 1.
    let x = Expr::binary("x");
    let depth = 100_000;
    let mut p = &x + 1.0;
    for _ in 0..depth {
        p = (&p * &x) + 1.0;
    }
    let bytes = p.to_bytes().unwrap();
    let back = Expr::from_bytes(&bytes).unwrap();
    let bqm = back.compile(5.0).unwrap().bind(&[]).unwrap().into_bqm();
    assert_eq!(bqm.linear(), &[(depth + 1) as f64]);
    assert_eq!(bqm.offset(), 1.0);
    assert_eq!(back.to_bytes().unwrap(), bytes);
    drop(back);
    // A chain of constraints and powers, 100 000 deep.
    let mut q = x.clone();
    for k in 0..100_000 {
        q = Expr::constraint(
            Expr::product([q, x.clone()]).pow(3),
            format!("c{k}"),
            Condition::default(),
        );
    }
    let back = Expr::from_bytes(&q.to_bytes().unwrap()).unwrap();
    assert_eq!(back.as_labelled().unwrap().0, "c99999");
    assert_eq!(back.to_string().len(), q.to_string().len());
}

/// A small expression with every node kind, for the hostile-file cases:
/// nodes 0 x, 1 s, 2 x + s, 3 P, 4 (x + s)·P, 5 Constraint(…, "c"), 6 (x + s)², 7 root = 5 + 6;
/// labels x, s, P, c; `child_ptr` = [0, 0, 0, 2, 2, 4, 5, 6, 8].
fn specimen() -> (Expr, File) {
    let (x, s, p) = (Expr::binary("x"), Expr::spin("s"), Expr::placeholder("P"));
    let xs = &x + &s;
    let c = Expr::constraint(&xs * &p, "c", Condition::default());
    let h = &c + xs.pow(2);
    let bytes = h.to_bytes().unwrap();
    (h, split(&bytes))
}

#[test]
fn specimen_is_what_the_hostile_cases_expect() {
    let (h, f) = specimen();
    let kinds: Vec<u64> = (0..f.len("node_kind")).map(|i| f.get("node_kind", i)).collect();
    assert_eq!(kinds, [1, 2, 4, 3, 5, 8, 6, 4]);
    assert_eq!(f.children(7), [5, 6]);
    let ptr: Vec<u64> = (0..9).map(|i| f.get("child_ptr", i)).collect();
    assert_eq!(ptr, [0, 0, 0, 2, 2, 4, 5, 6, 8]);
    let labels: Vec<String> = (0..4).map(|j| f.label(j)).collect();
    assert_eq!(labels, ["x", "s", "P", "c"]);
    assert_eq!(Expr::from_bytes(&f.join()).unwrap().to_string(), h.to_string());
}

#[test]
fn hostile_files_are_rejected_at_the_offending_byte() {
    let (_, f) = specimen();
    let check = |f: &File, array: &str, index: usize, words: &str| {
        let (offset, reason) = corrupt_offset(Expr::from_bytes(&f.join()));
        assert_eq!(offset, f.offset_of(array, index), "{reason}");
        assert!(reason.contains(words), "{reason:?} lacks {words:?}");
    };
    // A child pointing forward (node 2 = x + s refers to node 5).
    let k = f.get("child_ptr", 2) as usize;
    let mut g = f.clone();
    g.set("child_index", k, 5);
    check(&g, "child_index", k, "precede");
    // A cycle attempt: node 6 is its own child.
    let k = f.get("child_ptr", 6) as usize;
    let mut g = f.clone();
    g.set("child_index", k, 6);
    check(&g, "child_index", k, "precede");
    // Label index out of range (4 labels: x, s, P, c).
    let mut g = f.clone();
    g.set("node_integer", 1, 4);
    check(&g, "node_integer", 1, "label index 4");
    // Unknown kind, a number where none belongs, an exponent beyond u32.
    let mut g = f.clone();
    g.set("node_kind", 3, 10); // 9 is WithPenalty (kind version 1)
    check(&g, "node_kind", 3, "unknown kind 10");
    let mut g = f.clone();
    g.set_f64("node_number", 2, 1.0);
    check(&g, "node_number", 2, "must be 0");
    let mut g = f.clone();
    g.set("node_integer", 6, 1 << 32);
    check(&g, "node_integer", 6, "exponent");
    // Arity: a variable turned into a sum has no children.
    let mut g = f.clone();
    g.set("node_kind", 0, 4);
    check(&g, "child_ptr", 0, "children");
    // child_ptr decreasing, or not ending at the end of child_index.
    let mut g = f.clone();
    g.set("child_ptr", 4, 1);
    check(&g, "child_ptr", 4, "below");
    let mut g = f.clone();
    g.set("child_ptr", 8, 1);
    check(&g, "child_ptr", 0, "child_ptr must run");
    // A node nothing refers to: the root's second child replaced by an earlier node.
    let k = f.get("child_ptr", 7) as usize + 1;
    let mut g = f.clone();
    g.set("child_index", k, 4);
    check(&g, "node_kind", 6, "no later node");
    // Conditions: NaN value, negative tolerance, unknown kind, custom with a value.
    let mut g = f.clone();
    g.set_f64("condition_value", 0, f64::NAN);
    check(&g, "condition_value", 0, "finite");
    let mut g = f.clone();
    g.set_f64("condition_atol", 0, -1.0);
    check(&g, "condition_value", 0, "atol");
    let mut g = f.clone();
    g.set("condition_kind", 0, 7);
    check(&g, "condition_kind", 0, "unknown kind 7");
    // Labels: invalid UTF-8, ends out of order.
    let mut g = f.clone();
    g.set("label_bytes", 1, 0xff);
    check(&g, "label_bytes", 1, "UTF-8");
    let mut g = f.clone();
    g.set("label_end", 1, 0);
    check(&g, "label_end", 1, "label 1 ends at 0");
    // A huge declared count with little data: the header's count, and an array's shape.
    let mut g = f.clone();
    g.header["meta"]["num_nodes"] = json!(1u64 << 40);
    check(&g, "node_kind", 0, "declares 1099511627776");
    let mut g = f.clone();
    let arrays = g.header["arrays"].as_array_mut().unwrap();
    let entry = arrays.iter_mut().find(|a| a["name"] == "child_index").unwrap();
    entry["shape"] = json!([1u64 << 59]);
    entry["nbytes"] = json!(1u64 << 61);
    let e = Expr::from_bytes(&g.join()).unwrap_err();
    assert!(matches!(e, Error::Format(FormatError::Truncated { .. })), "{e}");
}

#[test]
fn every_truncation_is_rejected() {
    let (_, f) = specimen();
    let bytes = f.join();
    for cut in 0..bytes.len() {
        let e = Expr::from_bytes(&bytes[..cut]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Format, "prefix of {cut} bytes: {e}");
    }
}

#[test]
fn other_kinds_and_versions_are_rejected() {
    let bqm = Bqm::with_variables(Vartype::Spin, 2).unwrap();
    let e = Expr::from_bytes(&bqm.to_bytes()).unwrap_err();
    assert!(matches!(e, Error::Format(FormatError::WrongKind { .. })), "{e}");
    let (_, f) = specimen();
    let e = Bqm::from_bytes(&f.join()).unwrap_err();
    assert!(matches!(e, Error::Format(FormatError::WrongKind { .. })), "{e}");
    let mut g = f.clone();
    g.header["kind_version"] = json!(2);
    let e = Expr::from_bytes(&g.join()).unwrap_err();
    assert!(e.to_string().contains("unsupported expr version 2"), "{e}");
    let mut g = f.clone();
    g.header["meta"]["extra"] = json!(1);
    assert_eq!(Expr::from_bytes(&g.join()).unwrap_err().kind(), ErrorKind::Format);
}

#[test]
fn custom_conditions_travel_beside_the_file() {
    let x = Expr::binary("x");
    let mine: CustomCondition = Arc::new("mine");
    let h = Expr::constraint(&x - 1.0, "custom one", Condition::Custom(mine.clone())) + &x;
    let m = h.to_bytes().unwrap_err().to_string();
    assert!(
        m.contains("\"custom one\"") && m.contains("custom condition"),
        "{m}"
    );
    let (bytes, payloads) = h.to_bytes_with_custom().unwrap();
    assert!(payloads_identical(&payloads, std::slice::from_ref(&mine)));
    assert_eq!(split(&bytes).get("condition_kind", 0), 3);
    // Without its payload the file names the constraint; with too many it says how many.
    let e = Expr::from_bytes(&bytes).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.to_string().contains("\"custom one\"") && e.to_string().contains("#0"),
        "{e}"
    );
    let other: CustomCondition = Arc::new(2u8);
    let e = Expr::from_bytes_with_custom(&bytes, &[mine.clone(), other]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DimensionMismatch);
    assert!(e.to_string().contains("`custom`"), "{e}");
    let back = Expr::from_bytes_with_custom(&bytes, &payloads).unwrap();
    let model = back.compile(5.0).unwrap();
    let (label, condition) = model.labelled().next().unwrap();
    assert_eq!(label, "custom one");
    assert!(matches!(condition, Some(Condition::Custom(p)) if Arc::ptr_eq(p, &mine)));
}
