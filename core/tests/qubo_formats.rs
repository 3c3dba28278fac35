//! Model file formats against dimod's own files (core/tests/data/dimod, written by
//! make_fixtures.py with dimod 0.12): our writers must produce dimod's bytes exactly, and models
//! read from dimod's files must give dimod's energies. Also the real benchmark files in
//! ../shared/data/qubo when present (Beasley OR-Library in qbsolv format, G-set edge lists),
//! checked against an independent parse written here.

use neuroquant::qubo::formats::{
    self, Format, LabelledBqm, read_coo, read_dimod_json, read_dimodbqm, read_edge_list, read_qbsolv,
    write_coo, write_dimod_json, write_dimodbqm, write_qbsolv,
};
use neuroquant::qubo::{Bqm, Vartype};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dimod")
}

fn fixture(name: &str) -> Vec<u8> {
    let p = fixture_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

fn energies() -> HashMap<String, Value> {
    serde_json::from_slice(&fixture("energies.json")).unwrap()
}

/// Models written by make_fixtures.py with every format.
const MODELS: [&str; 12] = [
    "spin_range",
    "binary_range",
    "empty_spin",
    "empty_binary_offset",
    "no_interactions",
    "odd_floats",
    "labels_strings",
    "labels_ints_unordered",
    "labels_numbers",
    "labels_tuples",
    "labels_nested",
    "labels_mixed",
];
/// Models with non-negative integer labels, which dimod's COO writer accepts.
const COO_MODELS: [&str; 7] = [
    "spin_range",
    "binary_range",
    "empty_spin",
    "empty_binary_offset",
    "no_interactions",
    "odd_floats",
    "labels_ints_unordered",
];

/// Sum of the absolute values of every bias: the scale of the rounding error an energy may
/// carry when the terms are added in another order than dimod's.
fn scale(b: &Bqm) -> f64 {
    b.offset().abs()
        + b.linear().iter().map(|x| x.abs()).sum::<f64>()
        + b.iter_quadratic().map(|t| t.2.abs()).sum::<f64>()
}

/// Checks the model's energies against the ones dimod computed for the fixture's samples. Our
/// variable `i` is the fixture variable with the same label (`labels[i]`, or `i` for range
/// labels); our variables absent from the fixture must have no bias.
#[track_caller]
fn assert_dimod_energies(read: &LabelledBqm, entry: &Value) {
    assert_dimod_energies_of(read, entry, true)
}

/// As [`assert_dimod_energies`]; with `all_present` false, dimod variables we lack are allowed
/// (COO text omits variables without bias; the energies then show they had none).
#[track_caller]
fn assert_dimod_energies_of(read: &LabelledBqm, entry: &Value, all_present: bool) {
    let bqm = &read.bqm;
    let n = bqm.num_variables();
    assert_eq!(bqm.vartype().name(), entry["vartype"].as_str().unwrap());
    let their_labels = entry["labels"].as_array().unwrap();
    let ours: Vec<Value> = match &read.labels {
        Some(l) => l.clone(),
        None => (0..n).map(Value::from).collect(),
    };
    let position: Vec<Option<usize>> = ours
        .iter()
        .map(|l| their_labels.iter().position(|t| t == l))
        .collect();
    if all_present {
        assert_eq!(
            position.iter().flatten().count(),
            their_labels.len(),
            "every dimod variable is ours"
        );
    }
    for (i, p) in position.iter().enumerate() {
        if p.is_none() {
            assert_eq!(bqm.linear()[i], 0.0);
            assert_eq!(bqm.degree(i as u32).unwrap(), 0);
        }
    }
    let low = bqm.vartype().values()[0];
    let tol = 1e-12 * (1.0 + scale(bqm));
    let samples = entry["samples"].as_array().unwrap();
    let want = entry["energies"].as_array().unwrap();
    assert_eq!(samples.len(), want.len());
    for (s, e) in samples.iter().zip(want) {
        let s: Vec<i8> = s
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap() as i8)
            .collect();
        let x: Vec<i8> = position.iter().map(|p| p.map_or(low, |p| s[p])).collect();
        let got = bqm.energy(&x).unwrap();
        let e = e.as_f64().unwrap();
        assert!((got - e).abs() <= tol, "energy {got} vs dimod {e} for {s:?}");
    }
}

#[test]
fn dimodbqm_files_read_with_dimod_energies_and_write_back_byte_identical() {
    let energies = energies();
    for name in MODELS {
        let bytes = fixture(&format!("{name}.bqm"));
        let read = read_dimodbqm(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_dimod_energies(&read, &energies[name]);
        let expect_labels = name.starts_with("labels_");
        assert_eq!(read.labels.is_some(), expect_labels, "{name}");
        let ours = write_dimodbqm(&read.bqm, read.labels.as_deref()).unwrap();
        assert!(ours == bytes, "{name}: our DIMODBQM bytes differ from dimod's");
    }
}

#[test]
fn other_dimodbqm_header_variants_are_read() {
    let energies = energies();
    for name in [
        "float32_labels",
        "float32_range",
        "v1_labels",
        "v1_range",
        "ignore_labels",
    ] {
        let read = read_dimodbqm(&fixture(&format!("{name}.bqm"))).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_dimod_energies(&read, &energies[name]);
    }
    // float32 biases are widened exactly: 1.1f32 is 1.100000023841858 (dimod's JSON shows it too).
    let read = read_dimodbqm(&fixture("float32_labels.bqm")).unwrap();
    assert_eq!(read.bqm.linear()[0], 1.1f32 as f64);
    // The same model in version 1 and version 2 reads identically.
    assert_eq!(
        read_dimodbqm(&fixture("v1_labels.bqm")).unwrap(),
        read_dimodbqm(&fixture("labels_strings.bqm")).unwrap()
    );
    assert_eq!(read_dimodbqm(&fixture("ignore_labels.bqm")).unwrap().labels, None);
}

#[test]
fn json_documents_match_dimod_text_and_energies() {
    let energies = energies();
    for name in MODELS {
        let text = fixture_text(&format!("{name}.json"));
        let read = read_dimod_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_dimod_energies(&read, &energies[name]);
        // From the model in dimod's variable order (as to_file stores it), the writer must sort
        // the labels and renumber the pairs exactly as to_serializable does.
        let native = read_dimodbqm(&fixture(&format!("{name}.bqm"))).unwrap();
        let ours = write_dimod_json(&native.bqm, native.labels.as_deref()).unwrap();
        assert_eq!(ours, text, "{name}");
        // Already sorted: writing what we read gives the same text again, except that reading
        // adds the biases to zero, so -0.0 becomes 0.0 (dimod's from_serializable does the same:
        // BQM.from_serializable(json.loads(s)).to_serializable() shows 0.0 for a -0.0 bias).
        let again = text.replace("-0.0,", "0.0,");
        assert_eq!(
            write_dimod_json(&read.bqm, read.labels.as_deref()).unwrap(),
            again,
            "{name}"
        );
    }
}

#[test]
fn coo_text_matches_dimod_dumps_and_reads_with_dimod_energies() {
    let energies = energies();
    for name in COO_MODELS {
        let native = read_dimodbqm(&fixture(&format!("{name}.bqm"))).unwrap();
        let bare = fixture_text(&format!("{name}.coo"));
        let header = fixture_text(&format!("{name}.header.coo"));
        let dumped = fixture(&format!("{name}.dump.coo"));
        if native.labels.is_none() {
            assert_eq!(write_coo(&native.bqm, false), bare, "{name}");
            assert_eq!(write_coo(&native.bqm, true), header, "{name}");
            assert_eq!(
                formats::write(Format::Coo, &native.bqm, None).unwrap(),
                dumped,
                "{name}"
            );
        }
        // COO holds no offset: compare with dimod's energies minus it.
        let mut entry = energies[name].clone();
        let offset = native.bqm.offset();
        for e in entry["energies"].as_array_mut().unwrap() {
            *e = Value::from(e.as_f64().unwrap() - offset);
        }
        let vt = native.bqm.vartype();
        for (text, given) in [(&bare, Some(vt)), (&header, None), (&header, Some(vt))] {
            let bqm = read_coo(text, given).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(bqm.offset(), 0.0);
            assert_dimod_energies_of(&LabelledBqm { bqm, labels: None }, &entry, false);
        }
    }
}

#[test]
fn qbsolv_files_read_with_dimod_energies() {
    let energies = energies();
    for name in ["binary_range", "no_interactions", "empty_binary_offset"] {
        let bqm = read_qbsolv(&fixture_text(&format!("{name}.qubo"))).unwrap();
        let read = LabelledBqm { bqm, labels: None };
        assert_dimod_energies(&read, &energies[&format!("qbsolv:{name}")]);
        assert_eq!(read_qbsolv(&write_qbsolv(&read.bqm).unwrap()).unwrap(), read.bqm);
    }
}

#[test]
fn every_format_round_trips_through_files() {
    let dir = std::env::temp_dir().join(format!("nq-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let native = read_dimodbqm(&fixture("binary_range.bqm")).unwrap().bqm;
    for format in Format::ALL {
        let path = dir.join(format!("model.{format}"));
        formats::write_path(&path, format, &native, None).unwrap();
        let back = formats::read_path(&path, format, None).unwrap();
        let mut expected = native.clone();
        if format == Format::Coo {
            expected.set_offset(0.0).unwrap(); // COO holds no offset
        }
        assert_eq!(back.bqm, expected, "{format}");
        assert_eq!(back.labels, None);
    }
    let labelled = read_dimodbqm(&fixture("labels_tuples.bqm")).unwrap();
    let path = dir.join("labelled.bqm");
    formats::write_path(&path, Format::DimodBqm, &labelled.bqm, labelled.labels.as_deref()).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), fixture("labels_tuples.bqm"));
    assert_eq!(
        formats::read_path(&path, Format::DimodBqm, None).unwrap(),
        labelled
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- the benchmark files in ../shared/data/qubo ----

/// The benchmark file `rel`, or `None` when it is absent. Rust tests cannot be marked skipped, so
/// the skip is announced on the terminal's stderr (not the captured output, which a passing test
/// hides), and `NQ_REQUIRE_SHARED=1` (set by `make test` when `../shared` exists) turns it into
/// a failure.
fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/qubo")
        .join(rel);
    if p.exists() {
        return Some(p);
    }
    assert!(
        std::env::var_os("NQ_REQUIRE_SHARED").is_none_or(|v| v != "1"),
        "{} is absent but NQ_REQUIRE_SHARED=1",
        p.display()
    );
    // Written to the stream itself: `eprintln!` output is captured by the test harness.
    let _ = writeln!(
        std::io::stderr(),
        "\nSKIPPED: {} is absent; the test using it checks nothing",
        p.display()
    );
    None
}

/// Independent parse of a qbsolv file: header counts, and the biases summed per index/pair.
struct Qubo {
    max_nodes: usize,
    n_nodes: usize,
    n_links: usize,
    diagonal_lines: usize,
    link_lines: usize,
    linear: Vec<f64>,
    pairs: HashMap<(u32, u32), f64>,
}

fn parse_qubo(text: &str) -> Qubo {
    let mut q = None::<Qubo>;
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        match w.first() {
            None | Some(&"c") => {}
            Some(&"p") => {
                let n: usize = w[3].parse().unwrap();
                q = Some(Qubo {
                    max_nodes: n,
                    n_nodes: w[4].parse().unwrap(),
                    n_links: w[5].parse().unwrap(),
                    diagonal_lines: 0,
                    link_lines: 0,
                    linear: vec![0.0; n],
                    pairs: HashMap::new(),
                })
            }
            Some(_) => {
                let q = q.as_mut().unwrap();
                let (i, j, v): (u32, u32, f64) = (
                    w[0].parse().unwrap(),
                    w[1].parse().unwrap(),
                    w[2].parse().unwrap(),
                );
                if i == j {
                    q.diagonal_lines += 1;
                    q.linear[i as usize] += v;
                } else {
                    q.link_lines += 1;
                    *q.pairs.entry((i.min(j), i.max(j))).or_default() += v;
                }
            }
        }
    }
    q.unwrap()
}

#[test]
fn beasley_files_parse_with_their_header_counts_and_round_trip() {
    let Some(dir) = shared("beasley") else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 50);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let q = parse_qubo(&text);
        assert_eq!(
            (q.diagonal_lines, q.link_lines),
            (q.n_nodes, q.n_links),
            "{}",
            path.display()
        );
        let bqm = formats::read_path(&path, Format::Qbsolv, Some(Vartype::Binary))
            .unwrap()
            .bqm;
        assert_eq!(bqm.num_variables(), q.max_nodes);
        assert_eq!(bqm.linear(), &q.linear[..]);
        assert_eq!(bqm.num_interactions(), q.pairs.len());
        for (u, v, b) in bqm.iter_quadratic() {
            assert_eq!(q.pairs[&(u, v)], b);
        }
        for format in Format::ALL {
            let mut back = formats::read(format, &formats::write(format, &bqm, None).unwrap(), None).unwrap();
            if format == Format::Coo {
                // COO text does not list trailing variables without bias (dimod's either).
                back.bqm
                    .add_variables(bqm.num_variables() - back.bqm.num_variables())
                    .unwrap();
            }
            assert_eq!(back.bqm, bqm, "{} via {format}", path.display());
        }
    }
}

#[test]
fn gset_graphs_have_their_published_sizes_and_weights() {
    for k in 1..=10 {
        let Some(path) = shared(&format!("gset/G{k}.txt")) else {
            return;
        };
        let g = formats::read_edge_list_path(&path).unwrap();
        // G1-G10: 800 nodes, 19176 edges; G1-G5 unit weights, G6-G10 the same graphs with +-1.
        assert_eq!((g.num_nodes, g.edges.len()), (800, 19176), "G{k}");
        let pos = g.edges.iter().filter(|e| e.2 == 1.0).count();
        let neg = g.edges.iter().filter(|e| e.2 == -1.0).count();
        assert_eq!(pos + neg, g.edges.len());
        if k <= 5 {
            assert_eq!(neg, 0, "G{k}");
        } else {
            assert!(pos > 0 && neg > 0, "G{k}");
        }
        // Against an independent parse of the same file (1-based there, 0-based here).
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        lines.next();
        for (line, &(i, j, w)) in lines.zip(&g.edges) {
            let t: Vec<f64> = line.split_whitespace().map(|x| x.parse().unwrap()).collect();
            assert_eq!((t[0], t[1], t[2]), (i as f64 + 1.0, j as f64 + 1.0, w));
        }
    }
    // G6-G10 are G1-G5 with signed weights (checked on these files: same edge lines).
    for k in 1..=5 {
        let (Some(a), Some(b)) = (
            shared(&format!("gset/G{k}.txt")),
            shared(&format!("gset/G{}.txt", k + 5)),
        ) else {
            return;
        };
        let a = read_edge_list(&std::fs::read_to_string(a).unwrap()).unwrap();
        let b = formats::read_edge_list_path(b).unwrap();
        let topology = |g: &formats::EdgeList| g.edges.iter().map(|e| (e.0, e.1)).collect::<Vec<_>>();
        assert_eq!(topology(&a), topology(&b), "G{} has G{k}'s edges", k + 5);
    }
}

#[test]
fn numbers_are_written_as_python_writes_them() {
    // floats.json: doubles with Python's repr(x) (json.dumps, to_file headers, our qbsolv) and
    // "%f" % x (dimod's COO writer), computed by CPython in make_fixtures.py.
    let cases: Vec<Value> = serde_json::from_slice(&fixture("floats.json")).unwrap();
    assert!(cases.len() > 250);
    for case in cases {
        let x = case["x"].as_f64().unwrap();
        let mut bqm = Bqm::with_variables(Vartype::Binary, 1).unwrap();
        bqm.set_offset(x).unwrap();
        bqm.set_linear(0, x).unwrap();
        let json = write_dimod_json(&bqm, None).unwrap();
        let repr = json
            .split("\"offset\": ")
            .nth(1)
            .unwrap()
            .split(", \"info\"")
            .next()
            .unwrap();
        assert_eq!(repr, case["repr"].as_str().unwrap(), "repr of {x:e}");
        assert_eq!(
            write_coo(&bqm, false),
            format!("0 0 {}", case["f"].as_str().unwrap()),
            "%f of {x:e}"
        );
        let qubo = write_qbsolv(&bqm).unwrap();
        assert!(
            qubo.contains(&format!("\n0 0 {}\n", case["repr"].as_str().unwrap())),
            "{qubo}"
        );
        assert_eq!(read_qbsolv(&qubo).unwrap(), bqm, "qbsolv round trip of {x:e}");
    }
}
