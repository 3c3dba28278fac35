//! The Bernoulli kernel of rate coding.
//!
//! A probability `p` becomes a 32-bit threshold `thr = ⌊clamp(p, 0, 1)·2³²⌋` (all ones, plus a
//! certainty flag, for `p >= 1`); a channel spikes when a uniform 32-bit `u < thr`, or when it is
//! certain, so `P(spike) = thr / 2³²` (`P ≤ p < P + 2⁻³²`), exactly 0 for `p <= 0` and exactly 1
//! for `p >= 1`.
//!
//! The comparison is bit-serial and 64 channels wide: the thresholds of a 64-channel word are
//! stored as bit planes (bit `c` of plane `j` is bit `j` of channel `c`'s threshold), and each
//! random word drawn supplies one bit of `u` to all 64 channels, from the most significant bit
//! down; a channel is decided at the first bit where `u` and its threshold differ (a spike when
//! the threshold's bit is 1). About 7 random words decide 64 channels, where drawing 32 bits per
//! channel would take 32.
//!
//! Work items and streams (the documented, stable definition; SPEC §6): step `t`, channel block
//! `k` (1024 channels = 16 words = 4 groups of 4 words) and lane `l ∈ 0..4` draw from
//! `rng::stream(seed, 4·(t·blocks + k) + l)`. Lane `l` serves word `4g + l` of group `g`, groups
//! in order. The four lanes of a group draw in lockstep, one word each per threshold bit: always
//! for bits 31..24, then for each further bit while any channel of the group is undecided. Words
//! missing from the last group of a row draw too (their channels count as decided). The result
//! does not depend on the thread count.
//!
//! The four lanes run in one AVX2 register where the CPU has AVX2 (runtime detection), else in
//! portable scalar code; both compute the definition above exactly (tested against each other
//! and against a channel-by-channel implementation). Only the 16 most significant planes are
//! built up front: a channel still undecided after them (a chance of 2⁻¹⁶ per channel) is
//! finished from the low 16 bits of its threshold.

use crate::rng;

/// Channels of one work item.
pub(super) const BLOCK: usize = 1024;
const WORDS: usize = BLOCK / 64;
const LANES: usize = 4;
const GROUPS: usize = WORDS / LANES;
/// Threshold bits compared by every group before it checks whether it is done.
const ALWAYS: usize = 8;

/// The thresholds of one block of channels, ready for [`Block::draw_row`].
#[derive(Clone)]
pub(super) struct Block {
    /// `planes[g][j][l]`: bit `c` is bit `16 + j` of the threshold of channel `c` of word
    /// `4g + l`.
    planes: [[[u64; LANES]; 16]; GROUPS],
    /// The low 16 bits of each channel's threshold, per word, filled on demand (`low_ready`).
    low: [[u16; 64]; WORDS],
    /// Words whose `low` is filled.
    low_ready: u16,
    /// The affine map of the data set last.
    gain: f64,
    offset: f64,
    /// Channels with `p >= 1`, per word.
    certain: [u64; WORDS],
    /// Channels present, per lane (a partial last word, words missing from the last group).
    valid: [[u64; LANES]; GROUPS],
    /// Words present.
    words: usize,
}

impl Default for Block {
    fn default() -> Self {
        Block {
            planes: [[[0; LANES]; 16]; GROUPS],
            low: [[0; 64]; WORDS],
            low_ready: 0,
            gain: 1.0,
            offset: 0.0,
            certain: [0; WORDS],
            valid: [[0; LANES]; GROUPS],
            words: 0,
        }
    }
}

/// The parts of the threshold of `gain·x + offset`: its high and low 16 bits, and whether the
/// probability is 1. `c = clamp(p)`, `y = c·2¹⁶` (exact), `hi = ⌊y⌋`, `lo = ⌊(y − hi)·2¹⁶⌋`
/// (both steps exact), so `hi·2¹⁶ + lo = ⌊c·2³²⌋`; `c = 1` gives all ones.
#[inline(always)]
fn threshold_parts(x: f64, gain: f64, offset: f64) -> (u16, u16, bool) {
    let p = gain * x + offset;
    // The same operations, in the same order, as the SSE2 path (maxpd/minpd, cvttpd2dq).
    let c = if p > 0.0 { p } else { 0.0 };
    let c = if c < 1.0 { c } else { 1.0 };
    let y = c * 65536.0;
    let h = y as i32;
    let l = ((y - f64::from(h)) * 65536.0) as i32;
    let sure = h >> 16;
    ((h - sure) as u16, (l | -sure) as u16, sure == 1)
}

/// High halves, low halves and certainty mask of up to 64 thresholds (missing channels: 0).
fn thresholds_scalar(xs: &[f64], gain: f64, offset: f64, hi: &mut [u16; 64], lo: &mut [u16; 64]) -> u64 {
    *hi = [0; 64];
    *lo = [0; 64];
    let mut sure = 0u64;
    for (c, &x) in xs.iter().enumerate() {
        let (h, l, s) = threshold_parts(x, gain, offset);
        hi[c] = h;
        lo[c] = l;
        sure |= u64::from(s) << c;
    }
    sure
}

/// The 16 bit planes of 64 16-bit values: bit `c` of plane `j` is bit `j` of `hi[c]`, through
/// the 64 × 32 transpose of Hacker's Delight §7-3 (upper halves of the planes).
fn planes_scalar(hi: &[u16; 64]) -> [u64; 16] {
    let thr: [u32; 64] = std::array::from_fn(|c| u32::from(hi[c]) << 16);
    let all = bit_planes(&thr);
    std::array::from_fn(|j| all[16 + j])
}

/// The 32 bit planes of 64 thresholds: bit `c` of plane `j` is bit `j` of `thr[c]`. Hacker's
/// Delight §7-3 (recursive block swaps); its first round just packs `thr[k]` and `thr[k + 32]`
/// into one word since the upper halves are zero.
pub(super) fn bit_planes(thr: &[u32; 64]) -> [u64; 32] {
    let mut m: [u64; 32] = std::array::from_fn(|k| u64::from(thr[k]) | u64::from(thr[k + 32]) << 32);
    let mut j = 16;
    let mut mask: u64 = 0x0000_ffff_0000_ffff;
    while j != 0 {
        let mut k = 0;
        while k < 32 {
            let t = ((m[k] >> j) ^ m[k + j]) & mask;
            m[k + j] ^= t;
            m[k] ^= t << j;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        mask ^= mask << j;
    }
    m
}

/// [`thresholds_scalar`] and [`planes_scalar`] of 64 channels with SSE2 (part of the x86_64
/// baseline): two channels per conversion, and the planes read eight at a time with `pmovmskb`
/// (the top bit of 16 bytes), doubling the bytes between reads.
#[cfg(target_arch = "x86_64")]
fn word_sse2(xs: &[f64; 64], gain: f64, offset: f64) -> ([u64; 16], u64) {
    use std::arch::x86_64::*;
    let mut hi = [0u16; 64];
    let mut sure = 0u64;
    let mut planes = [0u64; 16];
    // SAFETY: SSE2 is part of the x86_64 baseline, so every intrinsic here is available; the
    // unaligned loads read `xs[c..c + 2]` (c + 2 <= 64) and `hi[16g..16g + 16]` (g < 4), the
    // stores write `hi[8q..8q + 8]` (q < 8), all inside their arrays.
    unsafe {
        let g = _mm_set1_pd(gain);
        let o = _mm_set1_pd(offset);
        let zero = _mm_setzero_pd();
        let one = _mm_set1_pd(1.0);
        let k16 = _mm_set1_pd(65536.0);
        let bias = _mm_set1_epi32(32768);
        let flip = _mm_set1_epi16(i16::MIN);
        for q in 0..8 {
            let mut h4 = [_mm_setzero_si128(); 4];
            for (r, h) in h4.iter_mut().enumerate() {
                let c = q * 8 + r * 2;
                let v = _mm_loadu_pd(xs.as_ptr().add(c));
                let p = _mm_add_pd(_mm_mul_pd(v, g), o);
                let cl = _mm_min_pd(_mm_max_pd(p, zero), one);
                let y = _mm_mul_pd(cl, k16);
                sure |= (_mm_movemask_pd(_mm_cmpge_pd(cl, one)) as u64) << c;
                *h = _mm_cvttpd_epi32(y);
            }
            // Eight 32-bit lanes; a probability of 1 gives 65536, which saturates to 0xffff
            // (its threshold's high half) in the signed pack below.
            let ha = _mm_unpacklo_epi64(h4[0], h4[1]);
            let hb = _mm_unpacklo_epi64(h4[2], h4[3]);
            // 32 → 16 bits: SSE2 packs with signed saturation only, so bias into i16 and back.
            let pack = |a, b| {
                _mm_xor_si128(
                    _mm_packs_epi32(_mm_sub_epi32(a, bias), _mm_sub_epi32(b, bias)),
                    flip,
                )
            };
            _mm_storeu_si128(hi.as_mut_ptr().add(q * 8).cast(), pack(ha, hb));
        }
        let m8 = _mm_set1_epi16(0xff);
        for g in 0..4 {
            let a = _mm_loadu_si128(hi.as_ptr().add(g * 16).cast());
            let b = _mm_loadu_si128(hi.as_ptr().add(g * 16 + 8).cast());
            let mut hb = _mm_packus_epi16(_mm_srli_epi16(a, 8), _mm_srli_epi16(b, 8));
            let mut lb = _mm_packus_epi16(_mm_and_si128(a, m8), _mm_and_si128(b, m8));
            for j in (8..16).rev() {
                planes[j] |= u64::from(_mm_movemask_epi8(hb) as u16) << (16 * g);
                hb = _mm_add_epi8(hb, hb);
            }
            for j in (0..8).rev() {
                planes[j] |= u64::from(_mm_movemask_epi8(lb) as u16) << (16 * g);
                lb = _mm_add_epi8(lb, lb);
            }
        }
    }
    (planes, sure)
}

/// [`word_sse2`] with four channels per conversion and 32 per `vpmovmskb`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn word_avx2(xs: &[f64; 64], gain: f64, offset: f64) -> ([u64; 16], u64) {
    use std::arch::x86_64::*;
    let mut hi = [0u16; 64];
    let mut sure = 0u64;
    let mut planes = [0u64; 16];
    // SAFETY: the caller checked that the CPU has AVX2; the unaligned loads read `xs[c..c + 4]`
    // (c + 4 <= 64) and `hi[32g..32g + 32]` (g < 2), the stores write `hi`/`lo[8q..8q + 8]`
    // (q < 8), all inside their arrays.
    unsafe {
        let g = _mm256_set1_pd(gain);
        let o = _mm256_set1_pd(offset);
        let zero = _mm256_setzero_pd();
        let one = _mm256_set1_pd(1.0);
        let k16 = _mm256_set1_pd(65536.0);
        let bias = _mm_set1_epi32(32768);
        let flip = _mm_set1_epi16(i16::MIN);
        for q in 0..8 {
            let mut h2 = [_mm_setzero_si128(); 2];
            for (r, h) in h2.iter_mut().enumerate() {
                let c = q * 8 + r * 4;
                let v = _mm256_loadu_pd(xs.as_ptr().add(c));
                let p = _mm256_add_pd(_mm256_mul_pd(v, g), o);
                let cl = _mm256_min_pd(_mm256_max_pd(p, zero), one);
                let y = _mm256_mul_pd(cl, k16);
                sure |= (_mm256_movemask_pd(_mm256_cmp_pd::<_CMP_GE_OQ>(cl, one)) as u64) << c;
                *h = _mm256_cvttpd_epi32(y);
            }
            let [ha, hb] = h2;
            let pack = |a, b| {
                _mm_xor_si128(
                    _mm_packs_epi32(_mm_sub_epi32(a, bias), _mm_sub_epi32(b, bias)),
                    flip,
                )
            };
            _mm_storeu_si128(hi.as_mut_ptr().add(q * 8).cast(), pack(ha, hb));
        }
        let m8 = _mm256_set1_epi16(0xff);
        for g in 0..2 {
            let a = _mm256_loadu_si256(hi.as_ptr().add(g * 32).cast());
            let b = _mm256_loadu_si256(hi.as_ptr().add(g * 32 + 16).cast());
            // packus works within 128-bit lanes: the bytes come out as a[0..8] b[0..8] a[8..16]
            // b[8..16]; the permute puts the channels back in order.
            let order = |x| _mm256_permute4x64_epi64::<0b11_01_10_00>(x);
            let mut hb = order(_mm256_packus_epi16(
                _mm256_srli_epi16(a, 8),
                _mm256_srli_epi16(b, 8),
            ));
            let mut lb = order(_mm256_packus_epi16(
                _mm256_and_si256(a, m8),
                _mm256_and_si256(b, m8),
            ));
            for j in (8..16).rev() {
                planes[j] |= u64::from(_mm256_movemask_epi8(hb) as u32) << (32 * g);
                hb = _mm256_add_epi8(hb, hb);
            }
            for j in (0..8).rev() {
                planes[j] |= u64::from(_mm256_movemask_epi8(lb) as u32) << (32 * g);
                lb = _mm256_add_epi8(lb, lb);
            }
        }
    }
    (planes, sure)
}

impl Block {
    /// The thresholds of `clamp(gain·x + offset)` for the (at most [`BLOCK`]) values `xs`.
    /// `wide`: AVX2 was detected ([`crate::cpu::avx2`]).
    pub(super) fn set(&mut self, xs: &[f64], gain: f64, offset: f64, wide: bool) {
        debug_assert!(xs.len() <= BLOCK);
        self.words = xs.len().div_ceil(64);
        self.valid = [[0; LANES]; GROUPS];
        self.low_ready = 0;
        self.gain = gain;
        self.offset = offset;
        for (w, chunk) in xs.chunks(64).enumerate() {
            let (planes, sure) = Self::word(chunk, gain, offset, wide);
            for (j, &plane) in planes.iter().enumerate() {
                self.planes[w / LANES][j][w % LANES] = plane;
            }
            self.certain[w] = sure;
            self.valid[w / LANES][w % LANES] = if chunk.len() == 64 {
                !0
            } else {
                (1u64 << chunk.len()) - 1
            };
        }
    }

    /// The high planes and certainty mask of one word.
    fn word(xs: &[f64], gain: f64, offset: f64, wide: bool) -> ([u64; 16], u64) {
        #[cfg(target_arch = "x86_64")]
        if let Ok(full) = <&[f64; 64]>::try_from(xs) {
            if wide {
                // SAFETY: `wide` is true only when AVX2 was detected on this CPU.
                return unsafe { word_avx2(full, gain, offset) };
            }
            return word_sse2(full, gain, offset);
        }
        let _ = wide;
        Self::word_scalar(xs, gain, offset)
    }

    fn word_scalar(xs: &[f64], gain: f64, offset: f64) -> ([u64; 16], u64) {
        let (mut hi, mut lo) = ([0u16; 64], [0u16; 64]);
        let sure = thresholds_scalar(xs, gain, offset, &mut hi, &mut lo);
        (planes_scalar(&hi), sure)
    }

    /// Draws one row of this block (step `t`, block `k`: `item = t·blocks + k`) into `out`
    /// (the block's words of that row), as the module documentation defines.
    /// `xs` are the values given to [`Block::set`] (read only for the rare channels still
    /// undecided after 16 bits).
    pub(super) fn draw_row(&mut self, xs: &[f64], seed: u64, item: u64, out: &mut [u64], wide: bool) {
        debug_assert_eq!(out.len(), self.words);
        let mut lanes = Lanes::new(seed, item);
        #[cfg(target_arch = "x86_64")]
        if wide {
            // SAFETY: `wide` is true only when AVX2 was detected on this CPU (`crate::cpu::avx2`).
            unsafe { self.draw_row_avx2(xs, &mut lanes, out) };
            return;
        }
        let _ = wide;
        self.draw_row_scalar(xs, &mut lanes, out);
    }

    fn draw_row_scalar(&mut self, xs: &[f64], lanes: &mut Lanes, out: &mut [u64]) {
        for g in 0..self.words.div_ceil(LANES) {
            let p = &self.planes[g];
            let mut undecided = self.valid[g];
            let mut spike = [0u64; LANES];
            let mut j = 16;
            while j > 0 && (j > 16 - ALWAYS || undecided.iter().any(|&u| u != 0)) {
                j -= 1;
                compare(&lanes.next(), &p[j], &mut undecided, &mut spike);
            }
            self.finish(xs, g, lanes, undecided, spike, out);
        }
    }

    /// The low 16 planes of the group's undecided channels (rare), then the words out.
    fn finish(
        &mut self,
        xs: &[f64],
        g: usize,
        lanes: &mut Lanes,
        mut undecided: [u64; LANES],
        mut spike: [u64; LANES],
        out: &mut [u64],
    ) {
        for (l, &u) in undecided.iter().enumerate() {
            let w = LANES * g + l;
            if u != 0 && self.low_ready >> w & 1 == 0 {
                let chunk = &xs[64 * w..(64 * w + 64).min(xs.len())];
                let mut hi = [0u16; 64];
                thresholds_scalar(chunk, self.gain, self.offset, &mut hi, &mut self.low[w]);
                self.low_ready |= 1 << w;
            }
        }
        let mut j = 16;
        while j > 0 && undecided.iter().any(|&u| u != 0) {
            j -= 1;
            let plane: [u64; LANES] = std::array::from_fn(|l| {
                let w = LANES * g + l;
                if w >= self.words {
                    return 0;
                }
                let mut bits = 0u64;
                let mut u = undecided[l];
                while u != 0 {
                    let c = u.trailing_zeros();
                    bits |= u64::from((self.low[w][c as usize] >> j) & 1) << c;
                    u &= u - 1;
                }
                bits
            });
            compare(&lanes.next(), &plane, &mut undecided, &mut spike);
        }
        for (l, o) in out.iter_mut().enumerate().skip(LANES * g).take(LANES) {
            *o = spike[l - LANES * g] | self.certain[l];
        }
    }

    /// [`Self::draw_row_scalar`] with the four lanes in one AVX2 register.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn draw_row_avx2(&mut self, xs: &[f64], lanes: &mut Lanes, out: &mut [u64]) {
        use std::arch::x86_64::*;
        // Unaligned 32-byte loads and stores of 32-byte arrays.
        macro_rules! load {
            ($a:expr) => {
                _mm256_loadu_si256(($a as &[u64; LANES]).as_ptr().cast())
            };
        }
        fn store(x: __m256i) -> [u64; LANES] {
            // SAFETY: `[u64; 4]` and `__m256i` have the same size and no invalid bit patterns.
            unsafe { std::mem::transmute::<__m256i, [u64; LANES]>(x) }
        }
        // SAFETY: this function runs only where AVX2 was detected; every load reads a whole
        // `[u64; 4]` (`load!`).
        unsafe {
            let mut s0 = load!(&lanes.s[0]);
            let mut s1 = load!(&lanes.s[1]);
            let mut s2 = load!(&lanes.s[2]);
            let mut s3 = load!(&lanes.s[3]);
            for g in 0..self.words.div_ceil(LANES) {
                let p = &self.planes[g];
                let mut undecided = load!(&self.valid[g]);
                let mut spike = _mm256_setzero_si256();
                let mut j = 16;
                while j > 0 && (j > 16 - ALWAYS || _mm256_testz_si256(undecided, undecided) == 0) {
                    j -= 1;
                    let pj = load!(&p[j]);
                    // xoshiro256++, four streams side by side (as `Lanes::next`).
                    let sum = _mm256_add_epi64(s0, s3);
                    let rot = _mm256_or_si256(_mm256_slli_epi64(sum, 23), _mm256_srli_epi64(sum, 41));
                    let r = _mm256_add_epi64(rot, s0);
                    let t = _mm256_slli_epi64(s1, 17);
                    s2 = _mm256_xor_si256(s2, s0);
                    s3 = _mm256_xor_si256(s3, s1);
                    s1 = _mm256_xor_si256(s1, s2);
                    s0 = _mm256_xor_si256(s0, s3);
                    s2 = _mm256_xor_si256(s2, t);
                    s3 = _mm256_or_si256(_mm256_slli_epi64(s3, 45), _mm256_srli_epi64(s3, 19));
                    // As `compare`.
                    let diff = _mm256_xor_si256(r, pj);
                    spike = _mm256_or_si256(spike, _mm256_and_si256(undecided, _mm256_and_si256(diff, pj)));
                    undecided = _mm256_andnot_si256(diff, undecided);
                }
                if _mm256_testz_si256(undecided, undecided) != 0 {
                    let spike = store(spike);
                    for (w, o) in out.iter_mut().enumerate().skip(LANES * g).take(LANES) {
                        *o = spike[w - LANES * g] | self.certain[w];
                    }
                } else {
                    lanes.s = [store(s0), store(s1), store(s2), store(s3)];
                    self.finish(xs, g, lanes, store(undecided), store(spike), out);
                    s0 = load!(&lanes.s[0]);
                    s1 = load!(&lanes.s[1]);
                    s2 = load!(&lanes.s[2]);
                    s3 = load!(&lanes.s[3]);
                }
            }
            lanes.s = [store(s0), store(s1), store(s2), store(s3)];
        }
    }
}

/// One threshold bit for four words: channels where the random bit and the threshold bit differ
/// are decided, with a spike where the threshold's bit is 1.
#[inline(always)]
fn compare(r: &[u64; LANES], plane: &[u64; LANES], undecided: &mut [u64; LANES], spike: &mut [u64; LANES]) {
    for l in 0..LANES {
        let diff = r[l] ^ plane[l];
        spike[l] |= undecided[l] & diff & plane[l];
        undecided[l] &= !diff;
    }
}

/// The four generators of one work item: `s[i][l]` is state word `i` of lane `l`'s
/// xoshiro256++ (`rng::stream(seed, 4·item + l)`).
struct Lanes {
    s: [[u64; LANES]; 4],
}

impl Lanes {
    fn new(seed: u64, item: u64) -> Self {
        let states: [[u64; 4]; LANES] =
            std::array::from_fn(|l| rng::stream_state(seed, LANES as u64 * item + l as u64));
        Lanes {
            s: std::array::from_fn(|i| std::array::from_fn(|l| states[l][i])),
        }
    }

    /// The next output of each lane (xoshiro256++, Blackman & Vigna).
    #[inline(always)]
    fn next(&mut self) -> [u64; LANES] {
        let [s0, s1, s2, s3] = &mut self.s;
        std::array::from_fn(|l| {
            let result = s0[l].wrapping_add(s3[l]).rotate_left(23).wrapping_add(s0[l]);
            let t = s1[l] << 17;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = s3[l].rotate_left(45);
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng as _;

    fn uniforms(n: usize, seed: u64) -> Vec<f64> {
        let mut g = rng::stream(seed, 0);
        (0..n)
            .map(|_| (g.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
            .collect()
    }

    #[test]
    fn lanes_are_the_documented_streams() {
        let mut lanes = Lanes::new(77, 5);
        let mut refs: Vec<_> = (0..4).map(|l| rng::stream(77, 20 + l)).collect();
        for _ in 0..40 {
            let got = lanes.next();
            for (l, r) in refs.iter_mut().enumerate() {
                assert_eq!(got[l], r.next_u64());
            }
        }
    }

    #[test]
    fn threshold_parts_are_the_floor_of_p_times_two_to_the_32() {
        let mut xs = uniforms(2000, 1);
        xs.extend([
            0.0,
            1.0,
            -0.5,
            1.5,
            0.5,
            1.0 - f64::EPSILON,
            2f64.powi(-32),
            3.0 * 2f64.powi(-33),
        ]);
        for &x in &xs {
            let (h, l, s) = threshold_parts(x, 1.0, 0.0);
            let c = x.clamp(0.0, 1.0);
            let exact = ((c * 2f64.powi(32)).floor() as u64).min(u64::from(u32::MAX));
            assert_eq!((u64::from(h) << 16) | u64::from(l), exact, "{x}");
            assert_eq!(s, x >= 1.0, "{x}");
        }
    }

    #[test]
    fn vector_and_scalar_thresholds_agree() {
        // Full words take the SSE2 path on x86_64; the scalar path is the definition.
        let mut xs = uniforms(64 * 50, 2);
        for (i, x) in xs.iter_mut().enumerate() {
            match i % 13 {
                0 => *x = 1.0,
                1 => *x = 0.0,
                2 => *x = -*x,
                3 => *x += 1.0,
                _ => {}
            }
        }
        for (gain, offset) in [(1.0, 0.0), (0.9, 0.05), (-2.0, 1.0), (3.0, -0.5)] {
            for chunk in xs.chunks(64) {
                let b = Block::word_scalar(chunk, gain, offset);
                for wide in [false, crate::cpu::avx2()] {
                    assert_eq!(Block::word(chunk, gain, offset, wide), b);
                }
            }
        }
    }

    #[test]
    fn planes_hold_the_threshold_bits() {
        let xs = uniforms(64, 3);
        let (mut hi, mut lo) = ([0u16; 64], [0u16; 64]);
        thresholds_scalar(&xs, 1.0, 0.0, &mut hi, &mut lo);
        let (planes, _) = Block::word(&xs, 1.0, 0.0, crate::cpu::avx2());
        for (c, &x) in xs.iter().enumerate() {
            let thr = (x * 2f64.powi(32)).floor() as u64;
            for (j, plane) in planes.iter().enumerate() {
                assert_eq!((plane >> c) & 1, (thr >> (16 + j)) & 1);
            }
            assert_eq!(u64::from(lo[c]), thr & 0xffff);
        }
        let a: [u32; 64] = std::array::from_fn(|c| (c as u32).wrapping_mul(0x9e37_79b9));
        let b = bit_planes(&a);
        for (j, plane) in b.iter().enumerate() {
            for (c, &t) in a.iter().enumerate() {
                assert_eq!((plane >> c) & 1, u64::from(t >> j) & 1);
            }
        }
    }

    /// Values whose thresholds equal the random words the lanes will draw (`x = thr/2³²` is
    /// exact), so that every channel stays undecided through the 16 high planes and the low-bit
    /// path, with its on-demand low halves, decides it (channel `c` at low bit `c mod 17`, never
    /// for `c mod 17 = 16`: a tie, no spike).
    fn adversarial_values(seed: u64, item: u64) -> Vec<f64> {
        let mut lanes = Lanes::new(seed, item);
        let mut thr = vec![0u64; BLOCK];
        for g in 0..GROUPS {
            let draws: Vec<[u64; LANES]> = (0..32).map(|_| lanes.next()).collect();
            for l in 0..LANES {
                for c in 0..64 {
                    let mut v = 0u64;
                    for (k, d) in draws.iter().enumerate() {
                        let bit = (d[l] >> c) & 1;
                        let bit = if k == 16 + c % 17 { bit ^ 1 } else { bit };
                        v |= bit << (31 - k);
                    }
                    thr[64 * (LANES * g + l) + c] = v;
                }
            }
        }
        thr.iter().map(|&t| t as f64 / 2f64.powi(32)).collect()
    }

    #[test]
    fn vector_and_scalar_draws_agree_including_the_low_bits() {
        // (block, the values it was set from; none for the adversarial block, whose low
        // halves are given)
        let mut cases = Vec::new();
        for (xs, gain, offset) in [
            (adversarial_values(3, 11), 1.0, 0.0),
            (uniforms(1024, 5), 1.1, -0.05),
            (uniforms(1000, 6), 1.1, -0.05),
            (uniforms(70, 7), 1.1, -0.05),
            (uniforms(64, 8), 1.1, -0.05),
            (uniforms(3, 9), 1.1, -0.05),
        ] {
            let mut b = Block::default();
            b.set(&xs, gain, offset, crate::cpu::avx2());
            cases.push((b, xs));
        }
        for (b, xs) in &cases {
            let mut scalar = vec![0u64; b.words];
            let mut lanes = Lanes::new(3, 11);
            b.clone().draw_row_scalar(xs, &mut lanes, &mut scalar);
            let mut wide = vec![0u64; b.words];
            b.clone().draw_row(xs, 3, 11, &mut wide, crate::cpu::avx2());
            assert_eq!(scalar, wide);
            let mut plain = vec![0u64; b.words];
            b.clone().draw_row(xs, 3, 11, &mut plain, false);
            assert_eq!(scalar, plain);
        }
    }

    #[test]
    fn draws_are_u_below_the_threshold_channel_by_channel() {
        // The definition, channel by channel: u is the lane's random bits for that channel, most
        // significant first, taken from the words the group drew (8 always, then while any
        // channel of the group is undecided), and the channel spikes when u < thr.
        for xs in [adversarial_values(2, 1), uniforms(1000, 4)] {
            let mut b = Block::default();
            b.set(&xs, 1.0, 0.0, crate::cpu::avx2());
            let mut out = vec![0u64; b.words];
            b.draw_row(&xs, 2, 1, &mut out, crate::cpu::avx2());
            let mut lanes = Lanes::new(2, 1);
            for g in 0..b.words.div_ceil(LANES) {
                let thr = |l: usize, c: usize| -> u64 {
                    xs.get(64 * (LANES * g + l) + c).map_or(0, |&x| {
                        ((x.clamp(0.0, 1.0) * 2f64.powi(32)).floor() as u64).min(u64::from(u32::MAX))
                    })
                };
                let lanes_present = (0..LANES).filter(|&l| LANES * g + l < b.words).count();
                let mut draws: Vec<[u64; LANES]> = Vec::new();
                let undecided = |draws: &Vec<[u64; LANES]>| {
                    (0..lanes_present).any(|l| {
                        (0..64).any(|c| {
                            (b.valid[g][l] >> c) & 1 == 1
                                && (0..draws.len())
                                    .all(|k| (draws[k][l] >> c) & 1 == (thr(l, c) >> (31 - k)) & 1)
                        })
                    })
                };
                while draws.len() < 32 && (draws.len() < ALWAYS || undecided(&draws)) {
                    draws.push(lanes.next());
                }
                for l in 0..lanes_present {
                    for c in 0..64 {
                        if (b.valid[g][l] >> c) & 1 == 0 {
                            continue;
                        }
                        // Decided at the first drawn bit that differs from the threshold's; a
                        // spike when that bit of the threshold is 1 (u < thr).
                        let t = thr(l, c);
                        let decided_at =
                            (0..draws.len()).find(|&k| (draws[k][l] >> c) & 1 != (t >> (31 - k)) & 1);
                        let expected = decided_at.is_some_and(|k| (t >> (31 - k)) & 1 == 1);
                        let certain = (b.certain[LANES * g + l] >> c) & 1 == 1;
                        assert_eq!(
                            (out[LANES * g + l] >> c) & 1 == 1,
                            expected || certain,
                            "group {g} lane {l} channel {c}"
                        );
                    }
                }
            }
        }
    }
}
