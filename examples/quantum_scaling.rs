//! Closed TFIM chains N = 10…24 with matrix-free Pauli storage and Krylov propagation: wall time
//! and peak memory (the `VmHWM` of this process) per size. `cargo run --release --example
//! quantum_scaling -- 10 24 1.0` runs N = 10..=24 to t = 1.0 with 11 outputs.

use neuroquant::control::Control;
use neuroquant::quantum::*;
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
                    / 1024.0
            })
        })
        .unwrap_or(f64::NAN)
}

fn main() -> neuroquant::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let lo: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let hi: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let t_end: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let krylov_dim: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(30);
    println!("N,dim,seconds,matvecs,peak_rss_mib,M(t_end)");
    for n in lo..=hi {
        let mut h = PauliSum::new(n)?;
        for i in 0..n - 1 {
            h.add_term("ZZ", &[i, i + 1], -1.0)?;
        }
        h.add_per_site("X", &vec![-1.0; n])?;
        let mut m = PauliSum::new(n)?;
        m.add_per_site("Z", &vec![1.0 / n as f64; n])?;
        let t: Vec<f64> = (0..=10).map(|k| k as f64 * t_end / 10.0).collect();
        let start = Instant::now();
        let hamiltonian = Hamiltonian::new(Operator::from_pauli(&h, Storage::MatrixFree)?)?;
        let m = Operator::from_pauli(&m, Storage::MatrixFree)?;
        let psi0 = ket_basis(1 << n, 0)?;
        let r = sesolve(
            &hamiltonian,
            &psi0,
            &t,
            &[m],
            &SolverOptions::default().krylov_dim(krylov_dim),
            &Control::default(),
        )?;
        println!(
            "{n},{},{:.3},{},{:.0},{:.10}",
            1u64 << n,
            start.elapsed().as_secs_f64(),
            r.stats.matvecs,
            peak_rss_mib(),
            r.expect[0][10].re
        );
    }
    Ok(())
}
