//! Build a small max-cut model, evaluate every assignment, and print the best cut.
//!
//! Run: `cargo run --release --example bqm`

use neuroquant::qubo::{Bqm, Vartype};

fn main() -> neuroquant::Result<()> {
    // Max-cut on a 5-cycle with one chord, as an Ising model: E = Σ_{(u,v)} s_u s_v, so each cut
    // edge contributes -1 and the cut size is (|E| - E) / 2.
    let edges: [(u32, u32); 6] = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 2)];
    let mut bqm = Bqm::with_variables(Vartype::Spin, 5)?;
    let (rows, cols): (Vec<u32>, Vec<u32>) = edges.iter().copied().unzip();
    bqm.add_quadratic_from(&rows, &cols, &vec![1.0; edges.len()])?;

    let n = bqm.num_variables();
    let samples: Vec<i8> = (0..1u32 << n)
        .flat_map(|m| (0..n).map(move |i| if m >> i & 1 == 1 { 1 } else { -1 }))
        .collect();
    let energies = bqm.energies_vec(&samples)?;
    let (best, e) = energies
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))
        .expect("at least one sample");
    let cut = (edges.len() as f64 - e) / 2.0;
    println!("model: {n} variables, {} couplers", bqm.num_interactions());
    println!(
        "best assignment {:?}: energy {e}, cut size {cut}",
        &samples[best * n..(best + 1) * n]
    );
    Ok(())
}
