//! SPEC §5 for the model file formats: every malformed input is rejected with an error naming
//! the line (text) or byte offset (binary); repeated entries and self-loops follow dimod.

use neuroquant::qubo::formats::{
    self, Format, read_coo, read_dimod_json, read_dimodbqm, read_edge_list, read_qbsolv, write_dimod_json,
    write_dimodbqm,
};
use neuroquant::qubo::{Bqm, MAX_VARIABLES, Vartype};
use neuroquant::{ErrorKind, Result};
use serde_json::json;

/// The call must fail with `kind` and a message containing every one of `mentions`.
#[track_caller]
fn rejects<T: std::fmt::Debug>(r: Result<T>, kind: ErrorKind, mentions: &[&str]) {
    let e = r.unwrap_err();
    assert_eq!(e.kind(), kind, "{e}");
    for m in mentions {
        assert!(e.to_string().contains(m), "`{e}` does not mention `{m}`");
    }
}

const F: ErrorKind = ErrorKind::Format;

// ---- qbsolv ----

#[test]
fn qbsolv_structure_errors_name_the_line() {
    rejects(
        read_qbsolv("c only comments\n"),
        F,
        &["line 2", "no `p qubo` line"],
    );
    rejects(
        read_qbsolv("0 0 1.0\np qubo 0 1 1 0\n"),
        F,
        &["line 1", "before the `p qubo`"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 0 0\np qubo 0 2 0 0\n"),
        F,
        &["line 2", "second `p`"],
    );
    rejects(
        read_qbsolv("p cnf 0 2 0 0\n"),
        F,
        &["line 1", "`cnf` is not `qubo`"],
    );
    rejects(read_qbsolv("p qubo 0 2 0\n"), F, &["line 1", "expected `p qubo"]);
    rejects(
        read_qbsolv("p qubo 0 2 1 0\n0 0\n"),
        F,
        &["line 2", "expected `i j bias`"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 1 0\n0 0 1 extra\n"),
        F,
        &["line 2", "extra tokens"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 1 0\n0 0 x\n"),
        F,
        &["line 2", "not a number"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 1 0\n-1 -1 2\n"),
        F,
        &["line 2", "not a non-negative integer"],
    );
}

#[test]
fn qbsolv_counts_must_match_the_header() {
    rejects(
        read_qbsolv("p qubo 0 2 1 0\n"),
        F,
        &["line 2", "declares 1 diagonal entries, the file holds 0"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 0 1\n"),
        F,
        &["declares 1 couplers, the file holds 0"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 0 0\n1 1 1.0\n"),
        F,
        &["line 2", "more than the 0 diagonal"],
    );
    rejects(
        read_qbsolv("p qubo 0 3 0 1\n0 1 1\n1 2 1\n"),
        F,
        &["line 3", "more than the 1 couplers"],
    );
    rejects(
        read_qbsolv("p qubo 0 2 0 1\n0 2 1.0\n"),
        F,
        &["line 2", "index 2 is out of range", "2 variables"],
    );
}

#[test]
fn qbsolv_non_finite_biases_are_rejected() {
    for bad in ["nan", "inf", "-inf", "1e999"] {
        rejects(
            read_qbsolv(&format!("p qubo 0 2 0 1\n0 1 {bad}\n")),
            F,
            &["line 2", "bias"],
        );
    }
    // Finite entries whose sum overflows.
    rejects(
        read_qbsolv("p qubo 0 2 0 2\n0 1 1e308\n1 0 1e308\n"),
        ErrorKind::NonFinite,
        &["pair (0, 1)"],
    );
    rejects(read_qbsolv("p qubo 0 1 0 0\nc offset nan\n"), F, &["line 2"]);
}

#[test]
fn qbsolv_oversized_declarations_are_rejected_before_allocating() {
    let too_many = format!("p qubo 0 {} 0 0\n", MAX_VARIABLES as u64 + 1);
    rejects(read_qbsolv(&too_many), F, &["line 1", "maxNodes"]);
    // 2^31 - 1 variables are allowed by the model, but not from a 25-byte file: a limit, not a
    // malformed file. Nor from a 40-byte file whose one entry names index 2^31 - 2.
    let huge = format!("p qubo 0 {MAX_VARIABLES} 0 0\n");
    rejects(
        read_qbsolv(&huge),
        ErrorKind::LimitExceeded,
        &[
            "line 1",
            "2147483647 variables (maxNodes) exceed the limit of 1048960",
        ],
    );
    let named = format!("p qubo 0 {MAX_VARIABLES} 0 1\n0 {} 1\n", MAX_VARIABLES - 1);
    rejects(
        read_qbsolv(&named),
        ErrorKind::LimitExceeded,
        &["line 1", "maxNodes"],
    );
    // Counts are not allocated from: a header claiming 10^18 entries fails only at the end.
    rejects(read_qbsolv("p qubo 0 2 1000000000000000000 0\n"), F, &["holds 0"]);
    // A sparse model whose entries reach a high index is fine.
    let sparse = read_qbsolv("p qubo 0 200000 0 1\n0 199999 1.0\n").unwrap();
    assert_eq!(sparse.num_variables(), 200_000);
}

#[test]
fn qbsolv_repeated_entries_are_summed_and_either_order_is_one_pair() {
    // dimod.BQM.from_qubo({(0, 1): 1, (1, 0): 2, (0, 0): 3}) sums to {0: 3}, {(0, 1): 3}; the
    // diagonal entries of qbsolv are linear biases, and a repeated diagonal entry adds up too.
    let bqm = read_qbsolv("p qubo 0 2 2 2\n0 1 1\n1 0 2\n0 0 3\n0 0 0.5\n").unwrap();
    assert_eq!(bqm.linear(), &[3.5, 0.0]);
    assert_eq!(bqm.quadratic(0, 1).unwrap(), Some(3.0));
    assert_eq!(bqm.num_interactions(), 1);
    // Comments (either case), blank lines and CRLF line ends are fine; the topology is ignored.
    let bqm = read_qbsolv("C x\r\n\r\np qubo unconstrained 2 0 1\r\nc\r\n0 1 -2\r\n").unwrap();
    assert_eq!(bqm.quadratic(1, 0).unwrap(), Some(-2.0));
    rejects(
        read_qbsolv("p qubo 0 1 0 0\nc offset 1\nc offset 2\n"),
        F,
        &["line 3", "second `c offset`"],
    );
}

// ---- rudy / G-set edge lists ----

#[test]
fn edge_list_errors_name_the_line() {
    rejects(read_edge_list(""), F, &["line 1", "no `num_nodes num_edges`"]);
    rejects(read_edge_list("3\n"), F, &["line 1", "num_nodes num_edges"]);
    rejects(
        read_edge_list("3 1\n0 1 1\n"),
        F,
        &["line 2", "node 0 is out of range", "1..=3"],
    );
    rejects(read_edge_list("3 1\n1 4 1\n"), F, &["line 2", "node 4"]);
    rejects(
        read_edge_list("3 1\n2 2 1\n"),
        F,
        &["line 2", "self-loop on node 2"],
    );
    rejects(read_edge_list("3 1\n1 2 nan\n"), F, &["line 2", "not finite"]);
    rejects(
        read_edge_list("3 2\n1 2 1\n"),
        F,
        &["line 3", "declares 2 edges, the file holds 1"],
    );
    rejects(
        read_edge_list("3 1\n1 2 1\n2 3 1\n"),
        F,
        &["line 3", "more than the 1 edges"],
    );
    rejects(read_edge_list("3 1\n1 2\n"), F, &["line 2", "i j weight"]);
    rejects(
        read_edge_list(&format!("{} 0\n", MAX_VARIABLES as u64 + 1)),
        F,
        &["line 1", "num_nodes"],
    );
    rejects(
        read_edge_list(&format!("{MAX_VARIABLES} 0\n")),
        ErrorKind::LimitExceeded,
        &["line 1", "2147483647 nodes (num_nodes) exceed the limit"],
    );
}

#[test]
fn edge_lists_keep_parallel_edges_and_skip_blank_lines() {
    let g = read_edge_list("\n4 3\n1 2 1.5\n\n2 1 -1\n4 3 2\n").unwrap();
    assert_eq!(g.num_nodes, 4);
    assert_eq!(g.edges, vec![(0, 1, 1.5), (1, 0, -1.0), (3, 2, 2.0)]);
}

// ---- COO ----

#[test]
fn coo_vartype_must_be_known_and_consistent() {
    rejects(
        read_coo("0 1 1.0\n", None),
        ErrorKind::InvalidArgument,
        &["`vartype`", "no `# vartype=` header"],
    );
    rejects(
        read_coo("# vartype=SPIN\n0 1 1\n", Some(Vartype::Binary)),
        ErrorKind::InvalidArgument,
        &["`vartype`", "BINARY contradicts", "line 1 says vartype=SPIN"],
    );
    rejects(
        read_coo("# vartype=SPIN\n# vartype: BINARY\n", None),
        F,
        &["line 2", "contradicts", "line 1"],
    );
    rejects(
        read_coo("# vartype=ISING\n", None),
        F,
        &["line 1", "`ISING` is not SPIN or BINARY"],
    );
    // dimod's pattern: any comment with `vartype=` or `vartype:`; other comments are ignored.
    let bqm = read_coo("#   the vartype is: vartype:\tBINARY\n# a comment\n1 1 2\n", None).unwrap();
    assert_eq!((bqm.vartype(), bqm.linear()), (Vartype::Binary, &[0.0, 2.0][..]));
}

#[test]
fn coo_line_errors_name_the_line() {
    let spin = Some(Vartype::Spin);
    rejects(
        read_coo("0 1 1\n0 1\n", spin),
        F,
        &["line 2", "expected `i j bias`"],
    );
    rejects(
        read_coo("0 -1 1\n", spin),
        F,
        &["line 1", "not a non-negative integer"],
    );
    rejects(read_coo("0 1 nan\n", spin), F, &["line 1", "not finite"]);
    rejects(read_coo("0 1 1.0.0\n", spin), F, &["line 1", "not a number"]);
    rejects(
        read_coo(&format!("0 {} 1\n", MAX_VARIABLES), spin),
        F,
        &["line 1", "exceeds the limit"],
    );
    rejects(
        formats::read(Format::Coo, b"0 1 1\n\xff\n", spin),
        F,
        &["line 2", "UTF-8"],
    );
}

#[test]
fn coo_repeated_entries_are_summed() {
    // dimod's coo.load: `i i b` lines go through add_variable (summed), others add_interaction
    // (summed, either order). Numbers dimod's pattern would silently skip (1e-1) are read.
    let bqm = read_coo("0 0 1\n1 0 2\n0 1 0.5\n0 0 -3\n2 1 1e-1\n", Some(Vartype::Spin)).unwrap();
    assert_eq!(bqm.linear(), &[-2.0, 0.0, 0.0]);
    assert_eq!(bqm.quadratic(0, 1).unwrap(), Some(2.5));
    assert_eq!(bqm.quadratic(1, 2).unwrap(), Some(0.1));
}

// ---- dimod JSON ----

fn doc(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v = json!({
        "type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"}, "use_bytes": false,
        "index_type": "int32", "bias_type": "float64", "num_variables": 2, "num_interactions": 1,
        "variable_labels": [0, 1], "variable_type": "SPIN", "offset": 0.0, "info": {},
        "linear_biases": [1.0, 2.0], "quadratic_biases": [3.0], "quadratic_head": [0], "quadratic_tail": [1]
    });
    edit(&mut v);
    v.to_string()
}

#[test]
fn json_syntax_and_type_errors_name_the_line() {
    rejects(read_dimod_json("{\"version\": "), F, &["line 1"]);
    rejects(
        read_dimod_json("{\n\"version\": {\"bqm_schema\": \"3.0.0\"},\n\"offset\": NaN}"),
        F,
        &["line 3"],
    );
    let text = doc(|v| v["quadratic_head"] = json!([0.5]));
    rejects(read_dimod_json(&text), F, &["line 1", "column", "expected u32"]);
    let text = doc(|v| v["quadratic_head"] = json!([-1]));
    rejects(read_dimod_json(&text), F, &["line 1", "expected u32"]);
    rejects(
        read_dimod_json(&doc(|_| {}).replace("1.0", "1e999")),
        F,
        &["line 1", "out of range"],
    );
    rejects(
        read_dimod_json(&doc(|v| v["offset"] = json!("x"))),
        F,
        &["line 1", "expected f64"],
    );
}

#[test]
fn json_versions_and_encodings_are_checked() {
    rejects(
        read_dimod_json(&doc(|v| {
            v.as_object_mut().unwrap().remove("version").map(|_| ()).unwrap()
        })),
        F,
        &["`version`", "missing"],
    );
    for bad in ["1.0.0", "4.0.0", "x"] {
        let text = doc(|v| v["version"]["bqm_schema"] = json!(bad));
        rejects(
            read_dimod_json(&text),
            F,
            &["unsupported dimod bqm_schema version", bad],
        );
    }
    assert!(read_dimod_json(&doc(|v| v["version"]["bqm_schema"] = json!("2.0.0"))).is_ok());
    rejects(
        read_dimod_json(&doc(|v| v["use_bytes"] = json!(true))),
        F,
        &["`use_bytes`", "not supported"],
    );
    rejects(
        read_dimod_json(&doc(|v| v["variable_type"] = json!("ISING"))),
        F,
        &["`variable_type`"],
    );
}

#[test]
fn json_inconsistent_documents_name_the_field() {
    type Edit = fn(&mut serde_json::Value);
    let cases: [(Edit, &str); 8] = [
        (
            |v| v["quadratic_tail"] = json!([1, 0]),
            "`quadratic_tail`: length 2 differs",
        ),
        (
            |v| v["quadratic_head"] = json!([]),
            "`quadratic_head`: length 0 differs",
        ),
        (
            |v| v["variable_labels"] = json!([0]),
            "`variable_labels`: 1 labels for 2 variables",
        ),
        (
            |v| v["num_variables"] = json!(3),
            "`num_variables`: 3 contradicts",
        ),
        (
            |v| v["num_interactions"] = json!(2),
            "`num_interactions`: 2 contradicts",
        ),
        (
            |v| v["quadratic_tail"] = json!([2]),
            "`quadratic_tail[0]`: index 2 is out of range, must be < 2",
        ),
        (
            |v| v["variable_labels"] = json!(["a", "a"]),
            "`variable_labels[1]`: label \"a\" repeats",
        ),
        (
            |v| v["variable_labels"] = json!([null, 1]),
            "`variable_labels[0]`: null (None)",
        ),
    ];
    for (edit, msg) in cases {
        rejects(read_dimod_json(&doc(edit)), F, &[msg]);
    }
}

#[test]
fn json_repeated_pairs_are_summed_and_self_loops_folded_as_dimod_does() {
    // dimod 0.12.23: BQM.from_numpy_vectors([1, 2], ([0, 1, 0], [0, 0, 1], [3, 4, 5]), 0, 'BINARY')
    // == BinaryQuadraticModel({0: 4.0, 1: 2.0}, {(1, 0): 9.0}, 0.0, 'BINARY'), and with
    // ([0, 1], [0, 0], [3, 4]) and 'SPIN': ({0: 1.0, 1: 2.0}, {(1, 0): 4.0}, 3.0, 'SPIN').
    let binary = doc(|v| {
        v["variable_type"] = json!("BINARY");
        v["num_interactions"] = json!(3);
        v["quadratic_head"] = json!([0, 1, 0]);
        v["quadratic_tail"] = json!([0, 0, 1]);
        v["quadratic_biases"] = json!([3, 4, 5]);
    });
    let b = read_dimod_json(&binary).unwrap().bqm;
    assert_eq!(
        (b.linear(), b.quadratic(0, 1).unwrap(), b.offset()),
        (&[4.0, 2.0][..], Some(9.0), 0.0)
    );
    let spin = doc(|v| {
        v["num_interactions"] = json!(2);
        v["quadratic_head"] = json!([0, 1]);
        v["quadratic_tail"] = json!([0, 0]);
        v["quadratic_biases"] = json!([3, 4]);
    });
    let b = read_dimod_json(&spin).unwrap().bqm;
    assert_eq!(
        (b.linear(), b.quadratic(0, 1).unwrap(), b.offset()),
        (&[1.0, 2.0][..], Some(4.0), 3.0)
    );
}

// ---- DIMODBQM ----

/// SPIN, linear [1, 2, 3], pairs (0, 1): -1 and (1, 2): 0.5, offset 0.5. Layout: header to 192,
/// offset 192..200, linear records 200..236 (start i32, bias f64), neighbourhoods: 0 -> [1] at
/// 236, 1 -> [0, 2] at 248 and 260, 2 -> [1] at 272, end 284.
fn small() -> (Bqm, Vec<u8>) {
    let mut bqm = Bqm::with_variables(Vartype::Spin, 3).unwrap();
    bqm.add_linear_from(&[1.0, 2.0, 3.0]).unwrap();
    bqm.add_quadratic(0, 1, -1.0).unwrap();
    bqm.add_quadratic(1, 2, 0.5).unwrap();
    bqm.set_offset(0.5).unwrap();
    let bytes = write_dimodbqm(&bqm, None).unwrap();
    assert_eq!(bytes.len(), 284);
    (bqm, bytes)
}

fn patched(at: usize, with: &[u8]) -> Vec<u8> {
    let mut b = small().1;
    b[at..at + with.len()].copy_from_slice(with);
    b
}

/// A file with the given header JSON and body.
fn with_header(version: [u8; 2], header: &str, body: &[u8]) -> Vec<u8> {
    let mut h = format!("{header}\n").into_bytes();
    h.resize((14 + h.len()).next_multiple_of(64) - 14, b' ');
    let mut out = b"DIMODBQM".to_vec();
    out.extend_from_slice(&version);
    out.extend_from_slice(&(h.len() as u32).to_le_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(body);
    out
}

fn header(n: u64, m: u64) -> String {
    format!(
        r#"{{"dtype": "float64", "itype": "int32", "ntype": "int32", "shape": [{n}, {m}], "type": "BinaryQuadraticModel", "variables": false, "vartype": "SPIN"}}"#
    )
}

#[test]
fn dimodbqm_magic_version_and_truncation() {
    let (bqm, bytes) = small();
    assert_eq!(read_dimodbqm(&bytes).unwrap().bqm, bqm);
    rejects(read_dimodbqm(b"DIMODCQM\x02\x00"), F, &["not a DIMODBQM file"]);
    rejects(read_dimodbqm(b"NQMODEL\0"), F, &["not a DIMODBQM file"]);
    rejects(
        read_dimodbqm(&patched(8, &[3, 0])),
        F,
        &["unsupported DIMODBQM version 3.0", "1.x and 2.x"],
    );
    rejects(read_dimodbqm(&patched(8, &[0, 1])), F, &["version 0.1"]);
    for k in 0..bytes.len() {
        let e = read_dimodbqm(&bytes[..k]).unwrap_err();
        assert_eq!(e.kind(), F, "prefix {k}: {e}");
    }
    rejects(
        read_dimodbqm(&bytes[..100]),
        F,
        &["truncated data: 100 bytes present, 192 required"],
    );
    rejects(
        read_dimodbqm(&bytes[..250]),
        F,
        &["truncated data: 250 bytes present, 284 required"],
    );
    let mut longer = bytes.clone();
    longer.push(0);
    rejects(read_dimodbqm(&longer), F, &["byte offset 284", "1 bytes follow"]);
}

#[test]
fn dimodbqm_header_errors() {
    rejects(
        read_dimodbqm(&patched(14, b"x")),
        F,
        &["byte offset 14", "header is not valid"],
    );
    let body = [0u8; 8];
    rejects(
        read_dimodbqm(&with_header(
            [2, 0],
            &header(0, 0).replace("float64", "float16"),
            &body,
        )),
        F,
        &["dtype \"float16\""],
    );
    rejects(
        read_dimodbqm(&with_header(
            [2, 0],
            &header(0, 0).replace("\"int32\", \"ntype", "\"int128\", \"ntype"),
            &body,
        )),
        F,
        &["itype"],
    );
    rejects(
        read_dimodbqm(&with_header(
            [2, 0],
            &header(0, 0).replace("SPIN", "ISING"),
            &body,
        )),
        F,
        &["vartype"],
    );
    rejects(
        read_dimodbqm(&with_header([2, 0], &header(0, 0).replace("false", "[]"), &body)),
        F,
        &["`variables`"],
    );
    rejects(
        read_dimodbqm(&with_header([2, 0], r#"{"dtype": "float64"}"#, &body)),
        F,
        &["missing field"],
    );
}

#[test]
fn dimodbqm_oversized_shapes_fail_before_allocating() {
    let body = [0u8; 8];
    rejects(
        read_dimodbqm(&with_header([2, 0], &header(MAX_VARIABLES as u64 + 1, 0), &body)),
        F,
        &["exceed the limit"],
    );
    rejects(
        read_dimodbqm(&with_header([2, 0], &header(3, 4), &body)),
        F,
        &["4 interactions are more than 3 variables can have"],
    );
    // 2^31 - 1 variables with an 8-byte body: the data it implies is absent, nothing allocated.
    rejects(
        read_dimodbqm(&with_header(
            [2, 0],
            &header(MAX_VARIABLES as u64, 1 << 40),
            &body,
        )),
        F,
        &["truncated data"],
    );
    rejects(
        read_dimodbqm(&with_header([2, 0], &header(1 << 30, 0), &body)),
        F,
        &["truncated data", "200 bytes present"],
    );
}

#[test]
fn dimodbqm_body_errors_name_the_offset() {
    let nan = f64::NAN.to_le_bytes();
    rejects(
        read_dimodbqm(&patched(192, &nan)),
        F,
        &["byte offset 192", "the offset is not finite"],
    );
    rejects(
        read_dimodbqm(&patched(216, &nan)),
        F,
        &["byte offset 216", "linear bias of variable 1"],
    );
    rejects(
        read_dimodbqm(&patched(200, &1i32.to_le_bytes())),
        F,
        &["byte offset 200", "start 1 of variable 0"],
    );
    rejects(
        read_dimodbqm(&patched(212, &5i32.to_le_bytes())),
        F,
        &["byte offset 212", "start 5 of variable 1"],
    );
    rejects(
        read_dimodbqm(&patched(236, &7i32.to_le_bytes())),
        F,
        &["byte offset 236", "neighbour 7 of variable 0"],
    );
    rejects(
        read_dimodbqm(&patched(236, &0i32.to_le_bytes())),
        F,
        &["byte offset 236", "self-loop"],
    );
    rejects(
        read_dimodbqm(&patched(236, &(-1i32).to_le_bytes())),
        F,
        &["byte offset 236", "neighbour -1"],
    );
    rejects(
        read_dimodbqm(&patched(240, &nan)),
        F,
        &["byte offset 240", "bias of pair (0, 1) is not finite"],
    );
    rejects(
        read_dimodbqm(&patched(260, &0i32.to_le_bytes())),
        F,
        &["byte offset 260", "not strictly increasing"],
    );
    rejects(
        read_dimodbqm(&patched(276, &0.25f64.to_le_bytes())),
        F,
        &["byte offset 272", "pair (1, 2) is not listed identically"],
    );
    // Variable 2 lists 0 instead of 1: (0, 2) is not in 0's list.
    rejects(
        read_dimodbqm(&patched(272, &0i32.to_le_bytes())),
        F,
        &["byte offset 272", "pair (0, 2)"],
    );
}

#[test]
fn dimodbqm_label_sections_are_checked() {
    let (bqm, _) = small();
    let labels = [json!("a"), json!("b"), json!(["c", 1])];
    let bytes = write_dimodbqm(&bqm, Some(&labels)).unwrap();
    assert_eq!(read_dimodbqm(&bytes).unwrap().labels.unwrap(), labels);
    let mut bad = bytes.clone();
    bad[284..288].copy_from_slice(b"VARZ");
    rejects(read_dimodbqm(&bad), F, &["byte offset 284", "`VARS` section"]);
    let text = String::from_utf8_lossy(&bytes[292..]).into_owned();
    let cases = [
        ("\"b\"", "\"a\"", "offset 292", "label 1: label \"a\" repeats"),
        (", [\"c\", 1]", "          ", "offset 292", "2 labels for 3"),
        // the JSON error points into the list: `nul` ends at byte 296
        ("\"a\"", "nul", "offset 296", "labels are not valid"),
    ];
    for (from, to, at, msg) in cases {
        let mut bad = bytes.clone();
        let edited = text.replacen(from, to, 1);
        bad[292..].copy_from_slice(edited.as_bytes());
        rejects(read_dimodbqm(&bad), F, &[at, msg]);
    }
    rejects(read_dimodbqm(&bytes[..300]), F, &["truncated"]);
    // Version 1 keeps the labels in the header.
    let v1 = with_header([1, 0], &header(0, 0).replace("false", "[\"x\"]"), &[0; 8]);
    rejects(read_dimodbqm(&v1), F, &["1 labels for 0 variables"]);
}

#[test]
fn writers_check_their_labels() {
    let (bqm, _) = small();
    rejects(
        write_dimodbqm(&bqm, Some(&[json!(0)])),
        ErrorKind::DimensionMismatch,
        &["`labels`"],
    );
    rejects(
        write_dimod_json(&bqm, Some(&[json!(0), json!(0.0), json!(2)])),
        ErrorKind::InvalidArgument,
        &["`labels`", "element 1"],
    );
    rejects(
        write_dimod_json(&bqm, Some(&[json!(0), json!({"a": 1}), json!(2)])),
        ErrorKind::InvalidArgument,
        &["dict"],
    );
    let named = [json!("x"), json!("y"), json!("z")];
    for format in [Format::Qbsolv, Format::Coo, Format::Neuroquant] {
        let expected = if format == Format::Coo {
            // dimod's coo.dumps writes any non-negative integer labels, nothing else.
            "non-negative integer labels only, got label \"x\" at index 0"
        } else {
            "index labels 0..n only"
        };
        rejects(
            formats::write(format, &bqm, Some(&named)),
            ErrorKind::InvalidArgument,
            &[expected],
        );
        // Labels equal to 0..n are index labels.
        assert!(formats::write(format, &bqm, Some(&[json!(0), json!(1.0), json!(2)])).is_ok());
    }
    assert!(formats::write(Format::Coo, &bqm, Some(&[json!(10), json!(3), json!(99)])).is_ok());
    for bad in [[json!(1), json!(1), json!(2)], [json!(-1), json!(0), json!(2)]] {
        rejects(
            formats::write(Format::Coo, &bqm, Some(&bad)),
            ErrorKind::InvalidArgument,
            &["`labels`"],
        );
    }
}

// ---- dispatch and files ----

#[test]
fn a_given_vartype_must_match_the_file() {
    let (bqm, bytes) = small();
    assert_eq!(
        formats::read(Format::DimodBqm, &bytes, Some(Vartype::Spin))
            .unwrap()
            .bqm,
        bqm
    );
    rejects(
        formats::read(Format::DimodBqm, &bytes, Some(Vartype::Binary)),
        ErrorKind::InvalidArgument,
        &["dimodbqm file holds a SPIN model"],
    );
    let q = formats::write(Format::Qbsolv, &bqm, None).unwrap();
    rejects(
        formats::read(Format::Qbsolv, &q, Some(Vartype::Spin)),
        ErrorKind::InvalidArgument,
        &["BINARY"],
    );
}

#[test]
fn missing_and_unwritable_files_are_io_errors() {
    let dir = std::env::temp_dir().join(format!("nq-formats-missing-{}", std::process::id()));
    let missing = dir.join("nope.qubo");
    rejects(
        formats::read_path(&missing, Format::Qbsolv, None),
        ErrorKind::Io,
        &["nope.qubo"],
    );
    rejects(
        formats::read_edge_list_path(&missing),
        ErrorKind::Io,
        &["nope.qubo"],
    );
    let (bqm, _) = small();
    rejects(
        formats::write_path(&missing, Format::DimodBqm, &bqm, None),
        ErrorKind::Io,
        &["nope.qubo"],
    );
    assert!(!missing.exists());
}

#[test]
fn format_names_parse() {
    for f in Format::ALL {
        assert_eq!(f.name().parse::<Format>().unwrap(), f);
    }
    rejects(
        "lp".parse::<Format>().map_err(neuroquant::Error::from),
        ErrorKind::InvalidArgument,
        &["`format`", "qbsolv"],
    );
}
