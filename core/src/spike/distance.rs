//! Spike-train distances: van Rossum (streaming, O(1) per spike) and Victor–Purpura.

use super::{SpikeError, WORK_BETWEEN_CHECKS};
use crate::Result;
use crate::control::Control;
use crate::error::{ArgumentError, check};

fn invalid(argument: &'static str, reason: String) -> crate::Error {
    ArgumentError::Invalid { argument, reason }.into()
}

/// Which train a spike belongs to in a [`VanRossum`] stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Train {
    /// The first train.
    A,
    /// The second train.
    B,
}

/// The van Rossum distance computed as spikes arrive, O(1) time and memory per spike.
///
/// Both trains are filtered with the causal kernel `e^{−t/τ}` and `D² = (2/τ)∫(f − g)² dt` over
/// all time, Elephant's normalisation: one unmatched spike gives `D = 1` (divide by √2 for the
/// `(1/τ)∫` of van Rossum 2001). The state is the difference trace `d = f − g` at the last
/// spike time and the integral so far: between spikes `d` decays, contributing
/// `d²·(τ/2)(1 − e^{−2Δ/τ})`, and the tail after the last spike adds `d²·τ/2`.
///
/// ```
/// use neuroquant::spike::{Train, VanRossum};
/// let mut vr = VanRossum::new(10.0)?;
/// vr.push(Train::A, 0.0)?;
/// assert!((vr.distance() - 1.0).abs() < 1e-15);
/// vr.push(Train::B, 0.0)?;
/// assert_eq!(vr.distance(), 0.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct VanRossum {
    tau: f64,
    last: f64,
    d: f64,
    integral: f64,
    started: bool,
}

impl VanRossum {
    /// A stream with time constant `tau` (> 0, finite, in the spike times' unit).
    pub fn new(tau: f64) -> Result<Self> {
        check::finite("tau", tau)?;
        if tau <= 0.0 {
            return Err(invalid("tau", format!("is {tau}, must be > 0")));
        }
        Ok(VanRossum {
            tau,
            last: 0.0,
            d: 0.0,
            integral: 0.0,
            started: false,
        })
    }

    /// Adds a spike of `train` at time `t` (not earlier than the previous spike of either train).
    ///
    /// Errors (state unchanged): a non-finite time; a time before the previous spike.
    pub fn push(&mut self, train: Train, t: f64) -> Result<()> {
        check::finite("t", t)?;
        if self.started && t < self.last {
            return Err(invalid(
                "t",
                format!("is {t}, before the previous spike at {}", self.last),
            ));
        }
        if self.started {
            let decay = (-(t - self.last) / self.tau).exp();
            // ∫_0^Δ d² e^{−2s/τ} ds = d² τ/2 (1 − e^{−2Δ/τ})
            self.integral += self.d * self.d * self.tau / 2.0 * (1.0 - decay * decay);
            self.d *= decay;
        }
        self.started = true;
        self.last = t;
        self.d += match train {
            Train::A => 1.0,
            Train::B => -1.0,
        };
        Ok(())
    }

    /// The distance between the trains pushed so far (as if no further spike came).
    pub fn distance(&self) -> f64 {
        let total = self.integral + self.d * self.d * self.tau / 2.0;
        (2.0 / self.tau * total).max(0.0).sqrt()
    }

    /// Starts again with no spikes.
    pub fn reset(&mut self) {
        *self = VanRossum::new(self.tau).expect("tau was checked");
    }
}

fn sorted_finite(argument: &'static str, t: &[f64]) -> Result<()> {
    check::all_finite(argument, t)?;
    if let Some(i) = (1..t.len()).find(|&i| t[i] < t[i - 1]) {
        return Err(invalid(
            argument,
            format!(
                "element {i} ({}) is before element {} ({}); spike times must be sorted",
                t[i],
                i - 1,
                t[i - 1]
            ),
        ));
    }
    Ok(())
}

/// The van Rossum distance between two sorted spike-time arrays (Elephant's normalisation,
/// see [`VanRossum`]), in O(n + m).
///
/// Errors: unsorted or non-finite times; `tau` not > 0.
pub fn van_rossum(a: &[f64], b: &[f64], tau: f64) -> Result<f64> {
    sorted_finite("a", a)?;
    sorted_finite("b", b)?;
    let mut vr = VanRossum::new(tau)?;
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i] <= b[j]) {
            vr.push(Train::A, a[i])?;
            i += 1;
        } else {
            vr.push(Train::B, b[j])?;
            j += 1;
        }
    }
    Ok(vr.distance())
}

/// The Victor–Purpura distance (Victor & Purpura 1996): the cheapest edit of `a` into `b` when
/// inserting or deleting a spike costs 1 and moving one by `Δt` costs `q·|Δt|`. Dynamic
/// programming in O(n·m) time and O(m) memory; the times need not be sorted for the result to be
/// defined, but are taken in the given order, as Elephant does.
///
/// Errors: non-finite times; `q` negative or non-finite.
pub fn victor_purpura(a: &[f64], b: &[f64], q: f64) -> Result<f64> {
    victor_purpura_with(a, b, q, &Control::default())
}

/// [`victor_purpura`] under `control`, which it consults about every 2²⁰ cells of the table (a
/// stop is [`SpikeError::Interrupted`]).
pub fn victor_purpura_with(a: &[f64], b: &[f64], q: f64, control: &Control) -> Result<f64> {
    check::all_finite("a", a)?;
    check::all_finite("b", b)?;
    check::finite("q", q)?;
    if q < 0.0 {
        return Err(invalid("q", format!("is {q}, must be >= 0")));
    }
    let mut prev: Vec<f64> = (0..=b.len()).map(|j| j as f64).collect();
    let mut row = vec![0.0; b.len() + 1];
    let rows_between_checks = (WORK_BETWEEN_CHECKS / (b.len() + 1)).max(1);
    for (i, &ta) in a.iter().enumerate() {
        if i % rows_between_checks == 0 && control.should_stop() {
            return Err(SpikeError::Interrupted {
                what: "victor_purpura",
            }
            .into());
        }
        row[0] = (i + 1) as f64;
        for (j, &tb) in b.iter().enumerate() {
            row[j + 1] = (prev[j + 1] + 1.0)
                .min(row[j] + 1.0)
                .min(prev[j] + q * (ta - tb).abs());
        }
        std::mem::swap(&mut prev, &mut row);
    }
    Ok(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form of the distance by double sums (Houghton & Kreuz 2012), O(nm).
    fn closed_form(a: &[f64], b: &[f64], tau: f64) -> f64 {
        let k = |x: &[f64], y: &[f64]| -> f64 {
            x.iter()
                .map(|s| y.iter().map(|t| (-(s - t).abs() / tau).exp()).sum::<f64>())
                .sum()
        };
        (k(a, a) + k(b, b) - 2.0 * k(a, b)).max(0.0).sqrt()
    }

    #[test]
    fn streaming_matches_the_closed_form() {
        let a = [0.0, 1.5, 3.0, 3.1, 9.0];
        let b = [0.2, 3.0, 4.0, 20.0];
        for tau in [0.1, 1.0, 7.0] {
            let got = van_rossum(&a, &b, tau).unwrap();
            assert!((got - closed_form(&a, &b, tau)).abs() < 1e-12, "{tau}: {got}");
        }
        assert_eq!(van_rossum(&[], &[], 1.0).unwrap(), 0.0);
        assert!((van_rossum(&[5.0], &[], 2.0).unwrap() - 1.0).abs() < 1e-15);
        assert!(van_rossum(&[2.0, 1.0], &[], 1.0).is_err());
        let mut vr = VanRossum::new(1.0).unwrap();
        vr.push(Train::A, 2.0).unwrap();
        let before = vr.clone();
        assert!(vr.push(Train::B, 1.0).is_err());
        assert_eq!(vr, before);
    }

    #[test]
    fn victor_purpura_by_hand() {
        // One shift of 0.5 at q = 1 costs 0.5; at q = 10 it costs 5 > 2 (delete + insert).
        assert_eq!(victor_purpura(&[1.0], &[1.5], 1.0).unwrap(), 0.5);
        assert_eq!(victor_purpura(&[1.0], &[1.5], 10.0).unwrap(), 2.0);
        // q = 0: the count difference.
        assert_eq!(victor_purpura(&[1.0, 2.0, 3.0], &[7.0], 0.0).unwrap(), 2.0);
        assert_eq!(victor_purpura(&[], &[1.0, 2.0], 1.0).unwrap(), 2.0);
        assert!(victor_purpura(&[1.0], &[1.0], -1.0).is_err());
    }
}
