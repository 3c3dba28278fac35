//! The spike area against oracles: the documented definitions written out slowly, closed forms,
//! decode(encode(x)) bounds as proptests, and round trips of the data types and containers.

use neuroquant::control::Control;
use neuroquant::rng;
use neuroquant::spike::*;
use neuroquant::{Error, ErrorKind};
use proptest::prelude::*;

fn dense_strategy() -> impl Strategy<Value = (usize, usize, Vec<i8>)> {
    (0usize..12, 0usize..140).prop_flat_map(|(t, c)| {
        (
            Just(t),
            Just(c),
            proptest::collection::vec(
                prop_oneof![4 => Just(0i8), 2 => Just(1i8), 1 => Just(-1i8)],
                t * c,
            ),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn raster_dense_events_and_bytes_round_trip((t, c, dense) in dense_strategy()) {
        let r = SpikeRaster::from_dense(t, c, &dense).unwrap();
        prop_assert_eq!(r.to_dense::<i8>().unwrap(), dense.clone());
        for step in 0..t {
            let expected: Vec<usize> = (0..c).filter(|&ch| dense[step * c + ch] != 0).collect();
            prop_assert_eq!(r.active(step).collect::<Vec<_>>(), expected);
        }
        let e = r.to_events();
        prop_assert!(e.is_sorted());
        prop_assert_eq!(e.len() as u64, r.count());
        prop_assert_eq!(&SpikeRaster::from_events(&e).unwrap(), &r);
        prop_assert_eq!(&SpikeRaster::from_bytes(&r.to_bytes()).unwrap(), &r);
        prop_assert_eq!(&SpikeEvents::from_bytes(&e.to_bytes()).unwrap(), &e);
        let words = SpikeRaster::from_words(t, c, r.on_words().to_vec(), r.off_words().to_vec()).unwrap();
        prop_assert_eq!(&words, &r);
    }

    /// Multi-quantum send-on-delta tracks any signal within one quantum (Miskowicz 2006).
    #[test]
    fn send_on_delta_decodes_within_a_quantum(
        steps in proptest::collection::vec(-3.0f64..3.0, 1..300),
        quantum in 0.01f64..1.0,
    ) {
        let x: Vec<f64> = steps.iter().scan(0.0, |s, d| { *s += d; Some(*s) }).collect();
        let mut enc = Encoder::new(&EncoderParams::default().encoder(EncoderKind::SendOnDelta).threshold(quantum)).unwrap();
        let mut s = vec![0; x.len()];
        enc.run(&x, &mut s).unwrap();
        let y = enc.decode(&s).unwrap();
        for (a, b) in x.iter().zip(&y) {
            prop_assert!((a - b).abs() < quantum * (1.0 + 1e-9), "{a} vs {b}");
        }
    }

    /// The latency decoder inverts the code up to the rounding of the spike step.
    #[test]
    fn latency_decodes_within_its_rounding(x in 0.02f64..1.0, tau in 1.0f64..30.0) {
        let p = LatencyParams::default().num_steps(10_000).tau(tau);
        let out = latency(&[x], &p).unwrap();
        let step = (0..10_000).find(|&t| out.raster.get(t, 0)).unwrap() as f64;
        // Step 0 holds times in [0, ½]: any input above the inverse of ½.
        let hi = if step == 0.0 { f64::INFINITY } else { latency_decode(step - 0.5, &p).unwrap() };
        let lo = latency_decode(step + 0.5, &p).unwrap();
        prop_assert!(lo <= x * (1.0 + 1e-12) && x <= hi * (1.0 + 1e-12), "{lo} <= {x} <= {hi}");
    }

    /// Phase coding: one spike per cycle, decoded within half a phase step.
    #[test]
    fn phase_decodes_within_half_a_step(values in proptest::collection::vec(0.0f64..=1.0, 1..20), period in 2usize..40) {
        let held: Vec<f64> = values.iter().flat_map(|&v| std::iter::repeat_n(v, period)).collect();
        let mut enc = Encoder::new(&EncoderParams::default().encoder(EncoderKind::Phase).period(period)).unwrap();
        let mut s = vec![0; held.len()];
        enc.run(&held, &mut s).unwrap();
        for cycle in s.chunks(period) {
            prop_assert_eq!(cycle.iter().sum::<i32>(), 1);
        }
        let y = enc.decode(&s).unwrap();
        for (a, b) in held.iter().zip(&y) {
            prop_assert!((a - b).abs() <= 0.5 / (period - 1) as f64 + 1e-12);
        }
    }

    /// Streamed BSA makes the batch BSA's decisions filter length − 1 samples later, for any
    /// filter and threshold, on signals already spanning [0, 1] (where the batch form's per-channel
    /// normalisation is the identity); its decoder puts each spike where the batch decoder does.
    #[test]
    fn streamed_bsa_equals_batch_bsa(
        body in proptest::collection::vec(0.0f64..=1.0, 1..120),
        filter in proptest::collection::vec(0.0f64..0.6, 1..9),
        threshold in 0.0f64..0.5,
    ) {
        let x: Vec<f64> = [0.0, 1.0].into_iter().chain(body).collect();
        let f = filter.len();
        let batch = bsa(&x, 1, &BsaParams::default().filter(Some(filter.clone())).threshold(threshold)).unwrap();
        let b = batch.raster.to_dense::<i32>().unwrap();
        let p = EncoderParams::default().encoder(EncoderKind::Bsa).filter(Some(filter)).threshold(threshold);
        let mut enc = Encoder::new(&p).unwrap();
        let mut s = vec![0; x.len()];
        enc.run(&x, &mut s).unwrap();
        prop_assert!(s[..(f - 1).min(x.len())].iter().all(|&v| v == 0));
        if x.len() >= f {
            let decided = x.len() - (f - 1);
            prop_assert_eq!(&s[f - 1..], &b[..decided]);
            let mut trimmed = batch.clone();
            let kept: Vec<i32> = b[..decided].iter().copied().chain(std::iter::repeat_n(0, f - 1)).collect();
            trimmed.raster = SpikeRaster::from_dense(x.len(), 1, &kept).unwrap();
            for (a, c) in enc.decode(&s).unwrap().iter().zip(bsa_decode(&trimmed)) {
                prop_assert!((a - c).abs() < 1e-12);
            }
        }
    }

    /// Gaussian receptive fields decode within half a field spacing across the covered range.
    #[test]
    fn population_decodes_within_half_a_field(x in proptest::collection::vec(0.0f64..=1.0, 1..50), m in 5usize..16) {
        let p = PopulationParams::default().num_neurons(m).num_steps(100);
        let r = population(&x, &p).unwrap();
        let y = population_decode(&r, &p).unwrap();
        let spacing = 1.0 / (m - 2) as f64;
        for (a, b) in x.iter().zip(&y) {
            prop_assert!((a - b).abs() < spacing / 2.0, "{a} vs {b} (m = {m})");
        }
    }

    /// van Rossum: the streaming form equals the closed form of Houghton & Kreuz (double sums).
    #[test]
    fn van_rossum_streaming_equals_the_closed_form(
        mut a in proptest::collection::vec(0.0f64..50.0, 0..25),
        mut b in proptest::collection::vec(0.0f64..50.0, 0..25),
        tau in 0.1f64..20.0,
    ) {
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        let k = |x: &[f64], y: &[f64]| -> f64 {
            x.iter().map(|s| y.iter().map(|t| (-(s - t).abs() / tau).exp()).sum::<f64>()).sum()
        };
        let closed = (k(&a, &a) + k(&b, &b) - 2.0 * k(&a, &b)).max(0.0).sqrt();
        let d = van_rossum(&a, &b, tau).unwrap();
        prop_assert!((d - closed).abs() <= 1e-9 * (1.0 + closed), "{d} vs {closed}");
        prop_assert!((van_rossum(&b, &a, tau).unwrap() - d).abs() <= 1e-9 * (1.0 + d));
    }

    /// Victor–Purpura is a metric: zero on itself, symmetric, and obeys the triangle inequality.
    #[test]
    fn victor_purpura_is_a_metric(
        a in proptest::collection::vec(0.0f64..10.0, 0..12),
        b in proptest::collection::vec(0.0f64..10.0, 0..12),
        c in proptest::collection::vec(0.0f64..10.0, 0..12),
        q in 0.0f64..5.0,
    ) {
        let d = |x: &[f64], y: &[f64]| victor_purpura(x, y, q).unwrap();
        prop_assert_eq!(d(&a, &a), 0.0);
        prop_assert!((d(&a, &b) - d(&b, &a)).abs() < 1e-12);
        prop_assert!(d(&a, &c) <= d(&a, &b) + d(&b, &c) + 1e-9);
        // Bounded by deleting everything and inserting everything.
        prop_assert!(d(&a, &b) <= (a.len() + b.len()) as f64 + 1e-12);
    }
}

/// The rate kernel as documented (`spike/bernoulli.rs`), written out slowly channel by channel:
/// step `t`, block `k` of 1024 channels, lane `l` draws from `rng::stream(seed, 4·(t·blocks + k) +
/// l)`; lane `l` serves word `4g + l` of each group `g` of four 64-channel words; the lanes draw
/// in lockstep one random word per threshold bit, from the most significant down, for 8 bits
/// always and then while any channel of the group is undecided; a channel is decided at the first
/// bit where the random word's bit `c` differs from its threshold `⌊clamp(p)·2³²⌋`, and spikes when
/// that threshold bit is 1 (or when `p >= 1`).
fn slow_rate(p: &[f64], steps: usize, fst: usize, seed: u64) -> Vec<u8> {
    let c = p.len();
    let words = c.div_ceil(64);
    let blocks = c.div_ceil(1024) as u64;
    let mut out = vec![0u8; steps * c];
    for t in fst..steps {
        for k in 0..blocks as usize {
            let mut lanes: Vec<_> = (0..4)
                .map(|l| rng::stream(seed, 4 * (t as u64 * blocks + k as u64) + l))
                .collect();
            for g in 0..4 {
                let ws: Vec<usize> = (0..4).map(|l| k * 16 + 4 * g + l).collect();
                if ws[0] >= words {
                    break;
                }
                // Threshold and decision of each channel of the group's four words.
                let thr = |ch: usize| -> Option<u64> {
                    p.get(ch)
                        .map(|&x| (x.clamp(0.0, 1.0) * 2f64.powi(32)).floor().min(u32::MAX as f64) as u64)
                };
                let mut decided: Vec<Vec<Option<bool>>> = ws
                    .iter()
                    .map(|&w| {
                        (0..64)
                            .map(|b| {
                                if thr(w * 64 + b).is_some() {
                                    None
                                } else {
                                    Some(false)
                                }
                            })
                            .collect()
                    })
                    .collect();
                for j in (0..32).rev() {
                    let any_open = decided.iter().flatten().any(Option::is_none);
                    if 31 - j >= 8 && !any_open {
                        break;
                    }
                    for (l, g) in lanes.iter_mut().enumerate() {
                        let r = g.next_u64();
                        for (b, d) in decided[l].iter_mut().enumerate() {
                            if let (None, Some(th)) = (*d, thr(ws[l] * 64 + b)) {
                                let (rb, pb) = ((r >> b) & 1, (th >> j) & 1);
                                if rb != pb {
                                    *d = Some(pb == 1);
                                }
                            }
                        }
                    }
                }
                for (l, &w) in ws.iter().enumerate() {
                    for b in 0..64 {
                        if let Some(&x) = p.get(w * 64 + b) {
                            out[t * c + w * 64 + b] = u8::from(x >= 1.0 || decided[l][b] == Some(true));
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn rate_follows_its_documented_streams_on_any_thread_count() {
    let mut g = rng::stream(3, 3);
    let p: Vec<f64> = (0..2500)
        .map(|i| {
            if i % 97 == 0 {
                1.0
            } else {
                (g.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 1.2 - 0.1
            }
        })
        .collect();
    let params = RateParams::default().num_steps(4).first_spike_time(1).seed(42);
    let expected = slow_rate(&p, 4, 1, 42);
    for threads in [1, 2] {
        let got = rate(
            &p,
            p.len(),
            &params,
            &Control::default().with_num_threads(threads),
        )
        .unwrap();
        assert_eq!(got.seed, 42);
        assert_eq!(
            got.raster.to_dense::<u8>().unwrap(),
            expected,
            "{threads} threads"
        );
    }
    // Time-varying data draws row by row from the same streams.
    let rows: Vec<f64> = p.iter().chain(&p).copied().collect();
    let tv = rate(
        &rows,
        p.len(),
        &RateParams::default().seed(42),
        &Control::default(),
    )
    .unwrap();
    assert_eq!(tv.raster.to_dense::<u8>().unwrap(), slow_rate(&p, 2, 0, 42));
}

#[test]
fn rate_frequencies_are_binomial() {
    // 400 steps × 2000 channels per probability: within 5 standard deviations.
    for &p in &[0.003, 0.25, 0.5, 0.8] {
        let x = vec![p; 2000];
        let r = rate(
            &x,
            2000,
            &RateParams::default().num_steps(400).seed(1),
            &Control::default(),
        )
        .unwrap();
        let n = 400.0 * 2000.0;
        let sd = (n * p * (1.0 - p)).sqrt();
        assert!(
            (r.raster.count() as f64 - n * p).abs() < 5.0 * sd,
            "p = {p}: {}",
            r.raster.count()
        );
    }
}

#[test]
fn a_stopped_rate_run_is_an_error() {
    let stop = || true;
    let c = Control::default().with_interrupt(&stop);
    let e = rate(&[0.5; 10], 10, &RateParams::default().num_steps(5), &c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    let e = victor_purpura_with(&[1.0; 10], &[2.0; 10], 1.0, &c).unwrap_err();
    assert_eq!(e.to_string(), "victor_purpura: stopped before completion");
    assert_eq!(
        bsa_with(&[1.0; 10], 1, &BsaParams::default(), &c)
            .unwrap_err()
            .kind(),
        ErrorKind::Interrupted
    );
    let r = SpikeRaster::new(10, 2).unwrap();
    assert_eq!(
        detect_with(&r, &[], &PatternParams::default(), &c)
            .unwrap_err()
            .kind(),
        ErrorKind::Interrupted
    );
    // A deadline stops a long Victor–Purpura table (10⁴ × 10⁴ cells) within milliseconds.
    let long: Vec<f64> = (0..10_000).map(f64::from).collect();
    let c = Control::default().with_timeout(std::time::Duration::from_millis(1));
    let t = std::time::Instant::now();
    let e = victor_purpura_with(&long, &long, 0.5, &c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    assert!(
        t.elapsed() < std::time::Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn streaming_equals_batch_and_survives_a_save_mid_stream() {
    let mut g = rng::stream(8, 0);
    let x: Vec<f64> = (0..600)
        .map(|_| (g.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
        .collect();
    for kind in [
        EncoderKind::Delta,
        EncoderKind::SendOnDelta,
        EncoderKind::StepForward,
        EncoderKind::Tbr,
        EncoderKind::MovingWindow,
        EncoderKind::Rate,
        EncoderKind::Poisson,
        EncoderKind::Phase,
        EncoderKind::Bsa,
    ] {
        let p = EncoderParams::default()
            .encoder(kind)
            .num_channels(3)
            .threshold(0.2)
            .seed(5)
            .window(4);
        let mut batch = vec![0; x.len()];
        Encoder::new(&p).unwrap().run(&x, &mut batch).unwrap();
        let mut enc = Encoder::new(&p).unwrap();
        let mut out = vec![0; x.len()];
        for (i, (xs, o)) in x.chunks(3).zip(out.chunks_mut(3)).enumerate() {
            if i == 77 {
                let bytes = enc.to_bytes().unwrap();
                enc = Encoder::from_bytes(&bytes).unwrap();
                for cut in 0..bytes.len() {
                    assert!(Encoder::from_bytes(&bytes[..cut]).is_err());
                }
                for i in 0..bytes.len() {
                    let mut b = bytes.clone();
                    b[i] ^= 0x41;
                    let _ = Encoder::from_bytes(&b);
                }
            }
            enc.step(xs, o).unwrap();
        }
        assert_eq!(out, batch, "{kind}");
    }
}

/// A change detector, not evidence of correctness: the streaming rate encoder's spikes for a
/// fixed seed are part of the reproducibility contract (their frequencies are checked above and
/// in tests/test_spike.py).
#[test]
fn streaming_rate_spikes_for_a_fixed_seed_are_unchanged() {
    let mut enc = Encoder::new(
        &EncoderParams::default()
            .encoder(EncoderKind::Rate)
            .num_channels(4)
            .seed(2026),
    )
    .unwrap();
    let mut out = vec![0; 64];
    enc.run(&[0.5; 64], &mut out).unwrap();
    let bits = out.iter().fold(0u64, |acc, &s| acc << 1 | s as u64);
    assert_eq!(bits, CHANGE_DETECTOR, "{bits}");
}
const CHANGE_DETECTOR: u64 = 1293127083571710444;

#[test]
fn bad_input_is_refused_before_anything_changes() {
    let mut enc = Encoder::new(
        &EncoderParams::default()
            .encoder(EncoderKind::StepForward)
            .num_channels(2),
    )
    .unwrap();
    let mut out = [7, 7];
    enc.step(&[0.0, 0.0], &mut out).unwrap();
    let before = enc.clone();
    let mut out = [7, 7];
    assert_eq!(
        enc.step(&[1.0], &mut out).unwrap_err().kind(),
        ErrorKind::DimensionMismatch
    );
    assert_eq!(
        enc.step(&[1.0, f64::NAN], &mut out).unwrap_err().kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(
        enc.run(&[1.0, 2.0, f64::INFINITY, 0.0], &mut [0; 4])
            .unwrap_err()
            .kind(),
        ErrorKind::NonFinite
    );
    assert_eq!(enc, before);
    assert_eq!(out, [7, 7]);
    let e = Encoder::new(&EncoderParams::default().num_channels(1 << 30)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "argument `num_channels`: {} exceeds the limit of {}",
            1 << 30,
            MAX_ENCODER_CHANNELS
        )
    );
    let e = Encoder::new(
        &EncoderParams::default()
            .encoder(EncoderKind::MovingWindow)
            .num_channels(1 << 20)
            .window(1 << 20),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    let e: Error = SpikeRaster::new(1 << 40, 1 << 20).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    let e = poisson(&[-1.0], &PoissonParams::default(), &Control::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "argument `rates`: element 0 is -1, must be >= 0 (Hz)"
    );
    assert!(rate(&[0.5; 3], 2, &RateParams::default(), &Control::default()).is_err());
    assert!(delta(&[0.5; 3], 2, &DeltaParams::default()).is_err());
    assert!(bsa(&[1.0], 1, &BsaParams::default().filter(vec![])).is_err());
    assert!(population(&[0.5], &PopulationParams::default().num_neurons(2)).is_err());
    assert!(
        detect(
            &SpikeRaster::new(3, 3).unwrap(),
            &[],
            &PatternParams::default().burst_threshold(-0.1)
        )
        .is_err()
    );
}

// ---- Batch decoders of rate, Poisson and delta coding ----

/// Uniform values in [lo, hi) from a fixed stream.
fn uniforms(n: usize, lo: f64, hi: f64, seed: u64) -> Vec<f64> {
    let mut g = rng::stream(seed, 0);
    (0..n)
        .map(|_| lo + (hi - lo) * ((g.next_u64() >> 11) as f64 / (1u64 << 53) as f64))
        .collect()
}

#[test]
fn rate_decode_recovers_the_clamped_input_within_binomial_bounds() {
    // Inputs beyond both clamps; 2000 steps after 3 silent ones. The decoded value maps back to
    // the spike frequency m = gain·x̂ + offset, an average of n Bernoulli(p) draws with
    // p = clamp(gain·x + offset, 0, 1): within 5 standard deviations √(p(1−p)/n), exact at 0 and 1.
    let (gain, offset, fst, steps) = (0.8, 0.1, 3, 2003);
    let x = uniforms(1500, -0.5, 1.5, 4);
    let encoded = rate(
        &x,
        x.len(),
        &RateParams::default()
            .num_steps(steps)
            .gain(gain)
            .offset(offset)
            .first_spike_time(fst)
            .seed(9),
        &Control::default(),
    )
    .unwrap();
    let p = RateDecodeParams::default()
        .gain(gain)
        .offset(offset)
        .first_spike_time(fst);
    let decoded = rate_decode(&encoded.raster, &p).unwrap();
    let n = (steps - fst) as f64;
    let dense = encoded.raster.to_dense::<u8>().unwrap();
    for (c, (&xi, &d)) in x.iter().zip(&decoded).enumerate() {
        let prob = (gain * xi + offset).clamp(0.0, 1.0);
        let m = gain * d + offset;
        // An independent count from the dense form.
        let count: u32 = (fst..steps).map(|t| u32::from(dense[t * x.len() + c])).sum();
        assert!((m - f64::from(count) / n).abs() < 1e-12, "channel {c}");
        let sd = (prob * (1.0 - prob) / n).sqrt();
        assert!(
            (m - prob).abs() <= 5.0 * sd + 1e-9,
            "channel {c}: x {xi}, p {prob}, m {m}"
        );
        if prob == 0.0 || prob == 1.0 {
            assert_eq!(m, prob, "channel {c}");
        }
    }
    // The score every decoder reports: inside the clamp the NRMSE is the binomial noise over the
    // input's spread, √(mean p(1−p)/n)/(gain·sd(x)) ≈ 0.05 here; spikes per sample is the count
    // over the inputs.
    let inside: Vec<usize> = (0..x.len())
        .filter(|&c| (0.0..=1.0).contains(&(gain * x[c] + offset)))
        .collect();
    let xs: Vec<f64> = inside.iter().map(|&c| x[c]).collect();
    let ds: Vec<f64> = inside.iter().map(|&c| decoded[c]).collect();
    let r = Reconstruction::new(&xs, &ds, encoded.raster.count(), x.len()).unwrap();
    assert!(r.nrmse < 0.08, "{r:?}");
    assert_eq!(
        r.spikes_per_sample,
        encoded.raster.count() as f64 / x.len() as f64
    );
}

#[test]
fn windowed_rate_and_poisson_decoding_equal_the_streaming_decoders() {
    let x = uniforms(3 * 300, 0.0, 1.0, 6);
    for (kind, window) in [
        (EncoderKind::Rate, 5),
        (EncoderKind::Poisson, 1),
        (EncoderKind::Poisson, 7),
    ] {
        let p = EncoderParams::default()
            .encoder(kind)
            .num_channels(3)
            .window(window)
            .gain(0.7)
            .offset(0.2)
            .seed(5);
        let enc = Encoder::new(&p).unwrap();
        let mut spikes = vec![0; x.len()];
        // Rate takes values in [0, 1]; Poisson takes rates in Hz (up to 900 Hz at dt = 1 ms).
        let input: Vec<f64> = if kind == EncoderKind::Rate {
            x.clone()
        } else {
            x.iter().map(|v| v * 900.0).collect()
        };
        enc.clone().run(&input, &mut spikes).unwrap();
        let streamed = enc.decode(&spikes).unwrap();
        let raster = SpikeRaster::from_dense(300, 3, &spikes).unwrap();
        let batch = if kind == EncoderKind::Rate {
            rate_decode(
                &raster,
                &RateDecodeParams::default()
                    .gain(0.7)
                    .offset(0.2)
                    .window(Some(window)),
            )
            .unwrap()
        } else {
            poisson_decode(&raster, &PoissonDecodeParams::default().window(Some(window))).unwrap()
        };
        // Equal wherever the streaming estimate is finite; where a whole window fired (infinite
        // there) the batch one is the largest finite estimate, m = 1 − 1/(2n).
        for (i, (&s, &b)) in streamed.iter().zip(&batch).enumerate() {
            if s.is_finite() {
                assert_eq!(s, b, "{kind} window {window}, value {i}");
            } else {
                let n = (i / 3 + 1).min(window) as f64;
                assert_eq!(
                    b,
                    -(-(1.0 - 0.5 / n)).ln_1p() / 1e-3,
                    "{kind} window {window}, value {i}"
                );
            }
        }
        if kind == EncoderKind::Poisson && window == 1 {
            assert!(
                streamed.iter().any(|v| v.is_infinite()),
                "the saturated case is exercised"
            );
        }
    }
}

#[test]
fn poisson_decode_recovers_rates_in_hz() {
    // 20000 steps of 1 ms: the frequency m estimates 1 − e^{−r·dt} within 5 standard deviations;
    // a channel that fires every step reads the largest finite rate (m = 1 − 1/(2n)).
    let rates = [0.0, 2.0, 40.0, 300.0, 2500.0, 1e9];
    let steps = 20_000;
    let e = poisson(
        &rates,
        &PoissonParams::default().num_steps(steps).seed(3),
        &Control::default(),
    )
    .unwrap();
    let decoded = poisson_decode(&e.raster, &PoissonDecodeParams::default()).unwrap();
    let n = steps as f64;
    for (&r, &d) in rates.iter().zip(&decoded) {
        let p = -(-r * 1e-3f64).exp_m1();
        let m = -(-d * 1e-3f64).exp_m1();
        let sd = (p * (1.0 - p) / n).sqrt();
        assert!(
            (m - p).abs() <= 5.0 * sd + 0.5 / n + 1e-12,
            "rate {r}: decoded {d}"
        );
        assert!(d.is_finite() && d >= 0.0, "rate {r}: decoded {d}");
    }
    assert_eq!(decoded[0], 0.0);
    assert_eq!(decoded[5], -(-(1.0 - 0.5 / n)).ln_1p() / 1e-3);
    // Within 10% where the train is informative.
    for k in 2..5 {
        assert!(
            (decoded[k] / rates[k] - 1.0).abs() < 0.1,
            "{}: {}",
            rates[k],
            decoded[k]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn delta_decode_reconstructs_a_staircase_exactly(
        moves in proptest::collection::vec(-1i32..=1, 1..120),
        channels in 1usize..4,
        scale in -3i32..3,
        padding in any::<bool>(),
    ) {
        // Steps of exactly ±θ (θ a power of two, so the differences are exact): with off spikes
        // every step is one spike and the staircase is rebuilt exactly, from 0, or from the first
        // sample with padding.
        let th = 2f64.powi(scale);
        let rows = moves.len() / channels.max(1);
        prop_assume!(rows > 0);
        let mut x = vec![0.0; rows * channels];
        let mut level = vec![0i32; channels];
        for t in 0..rows {
            for c in 0..channels {
                level[c] += moves[t * channels + c] * if (c + t) % 2 == 0 { 1 } else { -1 };
                x[t * channels + c] = th * f64::from(level[c]) + if padding { 7.0 } else { 0.0 };
            }
        }
        let raster = delta(&x, channels, &DeltaParams::default().threshold(th).off_spike(true).padding(padding)).unwrap();
        let initial = padding.then(|| x[..channels].to_vec());
        let y = delta_decode(&raster, &DeltaDecodeParams::default().threshold(th).initial(initial)).unwrap();
        prop_assert_eq!(&y, &x);
        let r = Reconstruction::new(&x, &y, raster.count(), rows).unwrap();
        prop_assert_eq!(r.rmse, 0.0);
        prop_assert_eq!(r.spikes_per_sample, raster.count() as f64 / rows as f64);
    }

    #[test]
    fn delta_decode_of_any_signal_stays_within_the_spikes_it_missed(
        x in proptest::collection::vec(-5.0f64..5.0, 1..80),
        th in 0.05f64..2.0,
    ) {
        // Any signal: the decoder is the running sum of ±θ over the spikes snnTorch's rule gives
        // for each change d_k = x_k − x_{k−1} (x_{−1} = 0), written out slowly.
        let raster = delta(&x, 1, &DeltaParams::default().threshold(th).off_spike(true)).unwrap();
        let y = delta_decode(&raster, &DeltaDecodeParams::default().threshold(th)).unwrap();
        let mut prev = 0.0;
        let mut slow = 0.0;
        for (t, (&xi, &yi)) in x.iter().zip(&y).enumerate() {
            let d = xi - prev;
            slow += th * if d >= th { 1.0 } else if d <= -th { -1.0 } else { 0.0 };
            prev = xi;
            prop_assert!((yi - slow).abs() <= 1e-12 * (1.0 + slow.abs()), "step {}", t);
        }
    }
}
