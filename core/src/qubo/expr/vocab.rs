//! PyQUBO's ready-made building blocks: logic gates (`Not`, `And`, `Or`, `Xor`), logical
//! constraints (`NotConst`, `AndConst`, `OrConst`, `XorConst`) and encoded integers
//! (`LogEncInteger`, `UnaryEncInteger`, `OneHotEncInteger`, `OrderEncInteger`), with PyQUBO
//! 1.5's exact Hamiltonians and variable names (`label[i]`), so models built from them compile
//! to the same quadratic model as PyQUBO's.

use super::node::Expr;
use crate::Result;
use crate::error::ArgumentError;
use crate::qubo::MAX_VARIABLES;
use crate::qubo::expr::Condition;

impl Expr {
    /// Logical NOT of a binary expression: `1 − a`.
    pub fn not(a: &Expr) -> Expr {
        1.0 - a
    }

    /// Logical AND of binary expressions: `a · b`.
    pub fn and(a: &Expr, b: &Expr) -> Expr {
        a * b
    }

    /// Logical OR of binary expressions: `NOT(AND(NOT a, NOT b))`, as PyQUBO builds it.
    pub fn or(a: &Expr, b: &Expr) -> Expr {
        Expr::not(&Expr::and(&Expr::not(a), &Expr::not(b)))
    }

    /// Logical XOR of binary expressions: `AND(NOT(AND(a, b)), OR(a, b))`, as PyQUBO builds it.
    pub fn xor(a: &Expr, b: &Expr) -> Expr {
        Expr::and(&Expr::not(&Expr::and(a, b)), &Expr::or(a, b))
    }

    /// PyQUBO's `NotConst(a, b, label)`: a sub-Hamiltonian `2ab − a − b + 1`, 0 exactly when
    /// `b = NOT a` (for binary `a`, `b`), 1 otherwise.
    pub fn not_const(a: &Expr, b: &Expr, label: &str) -> Expr {
        Expr::subh(2.0 * a * b - a - b + 1.0, label)
    }

    /// PyQUBO's `AndConst(a, b, c, label)`: a sub-Hamiltonian `ab − 2(a + b)c + 3c`, 0 exactly
    /// when `c = a AND b`, positive otherwise.
    pub fn and_const(a: &Expr, b: &Expr, c: &Expr, label: &str) -> Expr {
        Expr::subh(a * b - 2.0 * (a + b) * c + 3.0 * c, label)
    }

    /// PyQUBO's `OrConst(a, b, c, label)`: a sub-Hamiltonian `ab + (a + b)(1 − 2c) + c`, 0
    /// exactly when `c = a OR b`, positive otherwise.
    pub fn or_const(a: &Expr, b: &Expr, c: &Expr, label: &str) -> Expr {
        Expr::subh(a * b + (a + b) * (1.0 - 2.0 * c) + c, label)
    }

    /// PyQUBO's `XorConst(a, b, c, label)`: a sub-Hamiltonian over an auxiliary binary
    /// `aux_<label>`, `2ab − 2(a + b)c − 4(a + b)aux + 4·aux·c + a + b + c + 4aux`, whose minimum
    /// over `aux` is 0 exactly when `c = a XOR b`.
    pub fn xor_const(a: &Expr, b: &Expr, c: &Expr, label: &str) -> Expr {
        let aux = Expr::binary(format!("aux_{label}"));
        let h =
            2.0 * a * b - 2.0 * (a + b) * c - 4.0 * (a + b) * &aux + 4.0 * &aux * c + a + b + c + 4.0 * &aux;
        Expr::subh(h, label)
    }
}

/// How an [`EncodedInteger`] writes its value with binary variables (PyQUBO's four encodings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `lower + Σ_{i<d} 2^i x_i + (span − (2^d − 1)) x_d`, `d = ⌊log2 span⌋`: every value of
    /// `[lower, upper]` reachable, no constraint.
    Log,
    /// `lower + Σ x_i` over `span` variables, no constraint.
    Unary,
    /// `lower + Σ i x_i` over `span + 1` variables with the penalty `strength · (Σ x_i − 1)²`
    /// (constraint `<label>_const`).
    OneHot,
    /// `lower + Σ x_i` over `span` variables with the penalty `strength · Σ (x_{i+1} − x_i x_{i+1})`
    /// (constraints `<label>_order_<i>`): the bits are sorted, 1s first.
    Order,
}

impl Encoding {
    /// PyQUBO's class name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Log => "LogEncInteger",
            Encoding::Unary => "UnaryEncInteger",
            Encoding::OneHot => "OneHotEncInteger",
            Encoding::Order => "OrderEncInteger",
        }
    }

    /// Whether the encoding carries a penalty (and so takes a strength).
    pub fn has_penalty(self) -> bool {
        matches!(self, Encoding::OneHot | Encoding::Order)
    }
}

/// An integer variable over `[lower, upper]` encoded with binary variables `label[0]`,
/// `label[1]`, … (PyQUBO's `*EncInteger` classes).
///
/// `expr` is what takes part in a Hamiltonian: a sub-Hamiltonian named `label` holding the
/// encoded value (decoding reports the integer's value under `label`), wrapped for
/// [`Encoding::OneHot`] and [`Encoding::Order`] in [`Expr::with_penalty`] so the encoding's
/// constraint is added (once per occurrence, PyQUBO's rule).
///
/// ```
/// use neuroquant::qubo::expr::{EncodedInteger, Encoding, Expr};
/// let a = EncodedInteger::new(Encoding::OneHot, "a", 1, 3, Expr::num(5.0))?;
/// assert_eq!(a.bits.len(), 3);
/// let model = (&a.expr - 2.0).pow(2).compile(5.0)?;
/// let bound = model.bind_named([])?;
/// // a = 2 is the one-hot state (0, 1, 0): energy 0, the penalty satisfied.
/// let x = model.sample_from_labels([("a[0]", 0), ("a[1]", 1), ("a[2]", 0)], neuroquant::qubo::Vartype::Binary)?;
/// assert_eq!(bound.decode(&x)?.energy, 0.0);
/// # Ok::<(), neuroquant::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct EncodedInteger {
    /// The encoding.
    pub encoding: Encoding,
    /// The label (of the sub-Hamiltonian and the prefix of the bits' labels).
    pub label: String,
    /// Smallest value.
    pub lower: i64,
    /// Largest value.
    pub upper: i64,
    /// The binary variables `label[i]`.
    pub bits: Vec<Expr>,
    /// The integer as an expression (with its penalty, for the encodings that have one).
    pub expr: Expr,
    /// The penalty alone (`strength` times the encoding's constraints), if the encoding has one.
    pub penalty: Option<Expr>,
}

impl EncodedInteger {
    /// An integer over `[lower, upper]` (`lower < upper`; at most [`MAX_VARIABLES`] bits) in the
    /// given encoding; `strength` (a number or a placeholder expression) scales the penalty of
    /// the one-hot and order encodings and is ignored by the others.
    pub fn new(
        encoding: Encoding,
        label: &str,
        lower: i64,
        upper: i64,
        strength: Expr,
    ) -> Result<EncodedInteger> {
        if lower >= upper {
            return Err(ArgumentError::Invalid {
                argument: "value_range",
                reason: format!("({lower}, {upper}): upper must be larger than lower"),
            }
            .into());
        }
        let span = upper as i128 - lower as i128;
        let n = match encoding {
            Encoding::Log => (127 - span.leading_zeros()) as i128 + 1,
            Encoding::Unary | Encoding::Order => span,
            Encoding::OneHot => span + 1,
        };
        if n > MAX_VARIABLES as i128 {
            return Err(ArgumentError::Invalid {
                argument: "value_range",
                reason: format!(
                    "({lower}, {upper}) needs {n} binary variables in the {} encoding, the limit is {MAX_VARIABLES}",
                    encoding.name()
                ),
            }
            .into());
        }
        let n = n as usize;
        let bits: Vec<Expr> = (0..n).map(|i| Expr::binary(format!("{label}[{i}]"))).collect();
        let low = Expr::num(lower as f64);
        let (value, penalty) = match encoding {
            Encoding::Log => {
                let d = n - 1;
                let mut terms: Vec<Expr> = vec![low];
                terms.extend(
                    bits[..d]
                        .iter()
                        .enumerate()
                        .map(|(i, x)| x.scale(2f64.powi(i as i32))),
                );
                let top = span as f64 - (2f64.powi(d as i32) - 1.0);
                terms.push(bits[d].scale(top));
                (Expr::sum(terms), None)
            }
            Encoding::Unary => (Expr::sum(std::iter::once(low).chain(bits.iter().cloned())), None),
            Encoding::OneHot => {
                let mut terms = vec![low];
                terms.extend(bits.iter().enumerate().map(|(i, x)| x.scale(i as f64)));
                let one = Expr::constraint(
                    (Expr::sum(bits.iter().cloned()) - 1.0).pow(2),
                    format!("{label}_const"),
                    Condition::default(),
                );
                (Expr::sum(terms), Some(one * &strength))
            }
            Encoding::Order => {
                let mut order = Vec::with_capacity(n.saturating_sub(1));
                for i in 0..n.saturating_sub(1) {
                    let (a, b) = (&bits[i], &bits[i + 1]);
                    order.push(Expr::constraint(
                        b - a * b,
                        format!("{label}_order_{i}"),
                        Condition::default(),
                    ));
                }
                let value = Expr::sum(std::iter::once(low).chain(bits.iter().cloned()));
                (value, Some(Expr::sum(order) * &strength))
            }
        };
        let value = Expr::subh(value, label);
        let expr = match &penalty {
            Some(p) => Expr::with_penalty(value, p.clone(), label),
            None => value,
        };
        Ok(EncodedInteger {
            encoding,
            label: label.to_string(),
            lower,
            upper,
            bits,
            expr,
            penalty,
        })
    }

    /// One-hot encoding: the bit that is 1 exactly when the value is `k` (PyQUBO's `equal_to`).
    pub fn equal_to(&self, k: i64) -> Result<Expr> {
        self.require(Encoding::OneHot, "equal_to")?;
        self.in_range("k", k, self.lower, self.upper)?;
        Ok(self.bits[(k - self.lower) as usize].clone())
    }

    /// Order encoding: the bit that is 1 exactly when the value is more than `k` (PyQUBO's
    /// `more_than`), for `lower ≤ k < upper`. (PyQUBO refuses `k = lower` and fails with an
    /// `IndexError` at `k = upper`, where the answer would always be false.)
    pub fn more_than(&self, k: i64) -> Result<Expr> {
        self.require(Encoding::Order, "more_than")?;
        self.in_range("k", k, self.lower, self.upper - 1)?;
        Ok(self.bits[(k - self.lower) as usize].clone())
    }

    /// Order encoding: `1 − bit`, 1 exactly when the value is less than `k` (PyQUBO's
    /// `less_than`), for `lower < k ≤ upper`. (PyQUBO accepts `k = lower`, where the answer is
    /// always false, and returns "less than upper" there; it refuses `k = upper`.)
    pub fn less_than(&self, k: i64) -> Result<Expr> {
        self.require(Encoding::Order, "less_than")?;
        self.in_range("k", k, self.lower + 1, self.upper)?;
        Ok(1.0 - &self.bits[(k - self.lower - 1) as usize])
    }

    fn require(&self, encoding: Encoding, method: &str) -> Result<()> {
        if self.encoding == encoding {
            return Ok(());
        }
        Err(ArgumentError::Invalid {
            argument: "self",
            reason: format!(
                "{method} is defined for {} only, this is a {}",
                encoding.name(),
                self.encoding.name()
            ),
        }
        .into())
    }

    fn in_range(&self, argument: &'static str, k: i64, lo: i64, hi: i64) -> Result<()> {
        if (lo..=hi).contains(&k) {
            return Ok(());
        }
        Err(ArgumentError::Invalid {
            argument,
            reason: format!(
                "{k} is outside [{lo}, {hi}] for {}('{}', ({}, {}))",
                self.encoding.name(),
                self.label,
                self.lower,
                self.upper
            ),
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubo::Vartype;

    /// A gate's truth table.
    type Truth = fn(bool, bool) -> bool;

    /// The compiled energy of every state, checked against the encoding's definition evaluated
    /// independently (value from the bits, penalty by counting).
    #[test]
    fn encodings_take_every_value_and_penalize_exactly_the_invalid_states() {
        for (enc, lo, hi) in [
            (Encoding::Log, -2, 4),
            (Encoding::Log, 0, 8),
            (Encoding::Unary, 1, 4),
            (Encoding::OneHot, 1, 3),
            (Encoding::Order, 0, 3),
        ] {
            let a = EncodedInteger::new(enc, "a", lo, hi, Expr::num(7.0)).unwrap();
            let model = a.expr.compile(5.0).unwrap();
            let bound = model.bind_named([]).unwrap();
            let n = a.bits.len();
            let mut seen = std::collections::BTreeSet::new();
            for s in 0..(1u32 << n) {
                let bits: Vec<i8> = (0..n).map(|i| ((s >> i) & 1) as i8).collect();
                let labels: Vec<(String, i64)> =
                    (0..n).map(|i| (format!("a[{i}]"), bits[i] as i64)).collect();
                let x = model
                    .sample_from_labels(labels.iter().map(|(l, v)| (l.as_str(), *v)), Vartype::Binary)
                    .unwrap();
                let d = bound.decode(&x).unwrap();
                let ones: i64 = bits.iter().map(|&b| b as i64).sum();
                let (value, penalty) = match enc {
                    Encoding::Log => {
                        let dd = n - 1;
                        let v: i64 = (0..dd).map(|i| (bits[i] as i64) << i).sum::<i64>()
                            + bits[dd] as i64 * ((hi - lo) - ((1 << dd) - 1));
                        (lo + v, 0)
                    }
                    Encoding::Unary => (lo + ones, 0),
                    Encoding::OneHot => {
                        let v: i64 = (0..n).map(|i| i as i64 * bits[i] as i64).sum();
                        (lo + v, (ones - 1) * (ones - 1))
                    }
                    Encoding::Order => {
                        let p: i64 = (0..n - 1).map(|i| (bits[i + 1] * (1 - bits[i])) as i64).sum();
                        (lo + ones, p)
                    }
                };
                assert_eq!(d.energy, value as f64 + 7.0 * penalty as f64, "{enc:?} {bits:?}");
                if penalty == 0 {
                    seen.insert(value);
                }
            }
            assert_eq!(
                seen,
                (lo..=hi).collect(),
                "{enc:?} reaches every value of the range"
            );
        }
    }

    /// PyQUBO's rule: once per occurrence in the expanded expression (`a + a` twice, `a**2`
    /// twice, `3a` once).
    #[test]
    fn the_penalty_is_added_once_per_occurrence_as_pyqubo() {
        let a = EncodedInteger::new(Encoding::OneHot, "a", 0, 2, Expr::num(1.0)).unwrap();
        let value = a.expr.as_penalized().unwrap().1.clone();
        let p = a.penalty.clone().unwrap();
        let twice = (&a.expr + &a.expr + a.expr.pow(2) + 3.0 * &a.expr)
            .compile(5.0)
            .unwrap();
        let once = (2.0 * &value + value.pow(2) + 3.0 * &value + 5.0 * &p)
            .compile(5.0)
            .unwrap();
        let (b1, b2) = (
            twice.bind_named([]).unwrap().into_bqm(),
            once.bind_named([]).unwrap().into_bqm(),
        );
        assert_eq!(b1.linear(), b2.linear());
        assert_eq!(b1.offset(), b2.offset());
    }

    #[test]
    fn logic_gates_have_their_truth_tables() {
        let (a, b, c) = (Expr::binary("a"), Expr::binary("b"), Expr::binary("c"));
        let gates: [(&str, Expr, Truth); 3] = [
            ("and", Expr::and(&a, &b), |x, y| x & y),
            ("or", Expr::or(&a, &b), |x, y| x | y),
            ("xor", Expr::xor(&a, &b), |x, y| x ^ y),
        ];
        for (name, g, truth) in gates {
            let h = g + 0.0 * &a + 0.0 * &b;
            let model = h.compile(5.0).unwrap();
            let bound = model.bind_named([]).unwrap();
            for (x, y) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let s = model
                    .sample_from_labels([("a", x), ("b", y)], Vartype::Binary)
                    .unwrap();
                let want = truth(x == 1, y == 1) as i32 as f64;
                assert_eq!(bound.decode(&s).unwrap().energy, want, "{name}({x}, {y})");
            }
        }
        // The constraint forms: 0 exactly when c is the gate's output (min over XorConst's aux).
        let consts: [(Expr, Truth); 3] = [
            (Expr::and_const(&a, &b, &c, "k"), |x, y| x & y),
            (Expr::or_const(&a, &b, &c, "k"), |x, y| x | y),
            (Expr::xor_const(&a, &b, &c, "k"), |x, y| x ^ y),
        ];
        for (h, truth) in consts {
            let model = h.compile(5.0).unwrap();
            let bound = model.bind_named([]).unwrap();
            let has_aux = model.labels().any(|l| l == "aux_k");
            for s in 0..8 {
                let (x, y, z) = (s & 1, (s >> 1) & 1, (s >> 2) & 1);
                let mut best = f64::INFINITY;
                for aux in 0..=(has_aux as i64) {
                    let mut pairs = vec![("a", x as i64), ("b", y as i64), ("c", z as i64)];
                    if has_aux {
                        pairs.push(("aux_k", aux));
                    }
                    let sample = model.sample_from_labels(pairs, Vartype::Binary).unwrap();
                    best = best.min(bound.decode(&sample).unwrap().energy);
                }
                let ok = truth(x == 1, y == 1) == (z == 1);
                assert_eq!(best == 0.0, ok, "state {x}{y}{z}: min energy {best}");
                assert!(best >= 0.0);
            }
        }
        let not = Expr::not_const(&a, &b, "n").compile(5.0).unwrap();
        let bound = not.bind_named([]).unwrap();
        for (x, y) in [(0i64, 0i64), (0, 1), (1, 0), (1, 1)] {
            let s = not
                .sample_from_labels([("a", x), ("b", y)], Vartype::Binary)
                .unwrap();
            assert_eq!(bound.decode(&s).unwrap().energy, (x == y) as i32 as f64);
        }
    }

    #[test]
    fn bad_ranges_and_methods_are_refused_naming_the_argument() {
        let e = EncodedInteger::new(Encoding::Log, "a", 3, 3, Expr::num(1.0)).unwrap_err();
        assert!(e.to_string().contains("value_range") && e.to_string().contains("upper must be larger"));
        let e = EncodedInteger::new(Encoding::OneHot, "a", 0, i64::MAX, Expr::num(1.0)).unwrap_err();
        assert!(e.to_string().contains("binary variables"), "{e}");
        let o = EncodedInteger::new(Encoding::Order, "o", 0, 4, Expr::num(1.0)).unwrap();
        assert!(
            o.equal_to(1)
                .unwrap_err()
                .to_string()
                .contains("OneHotEncInteger only")
        );
        assert!(o.more_than(4).unwrap_err().to_string().contains("outside [0, 3]"));
        assert!(o.less_than(0).unwrap_err().to_string().contains("outside [1, 4]"));
        assert_eq!(o.more_than(2).unwrap().to_string(), "Binary('o[2]')");
        assert_eq!(o.less_than(2).unwrap().to_string(), "(1 + -1 * Binary('o[1]'))");
    }
}
