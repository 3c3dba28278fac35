//! PyQUBO-like text of an expression, printed with an explicit stack so any depth prints.

use super::node::{Expr, Kind, Node};
use crate::qubo::Vartype;
use std::fmt;

impl fmt::Display for Expr {
    /// PyQUBO-like text: `(Binary('x') + 2 * Spin('s'))`. Iterative, so any depth prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        enum Item<'a> {
            /// An expression; `true` when it is a term of an enclosing sum (no parentheses).
            E(&'a Expr, bool),
            S(&'static str),
            Tail(&'a Node),
        }
        let is_sum = |e: &Expr| matches!(e.0.kind, Kind::Add);
        let mut stack = vec![Item::E(self, false)];
        while let Some(item) = stack.pop() {
            let (node, inner) = match item {
                Item::S(s) => {
                    f.write_str(s)?;
                    continue;
                }
                Item::Tail(node) => {
                    match &node.kind {
                        Kind::Pow(k) if is_sum(&node.children[0]) => write!(f, "**{k}")?,
                        Kind::Pow(k) => write!(f, ")**{k}")?,
                        Kind::Labelled { label, .. } | Kind::Penalized { label } => {
                            write!(f, ", label='{}')", escape(label))?
                        }
                        _ => {}
                    }
                    continue;
                }
                Item::E(e, inner) => (&*e.0, inner),
            };
            match &node.kind {
                Kind::Num(v) => write!(f, "{v}")?,
                Kind::Var { label, vartype } => {
                    let name = match vartype {
                        Vartype::Binary => "Binary",
                        Vartype::Spin => "Spin",
                    };
                    write!(f, "{name}('{}')", escape(label))?
                }
                Kind::Placeholder(label) => write!(f, "Placeholder('{}')", escape(label))?,
                Kind::Add => {
                    if !inner {
                        f.write_str("(")?;
                        stack.push(Item::S(")"));
                    }
                    for (i, c) in node.children.iter().enumerate().rev() {
                        stack.push(Item::E(c, is_sum(c)));
                        if i > 0 {
                            stack.push(Item::S(" + "));
                        }
                    }
                }
                Kind::Mul(scale) => {
                    for (i, c) in node.children.iter().enumerate().rev() {
                        stack.push(Item::E(c, false));
                        if i > 0 || *scale != 1.0 {
                            stack.push(Item::S(" * "));
                        }
                    }
                    if *scale != 1.0 {
                        write!(f, "{scale}")?;
                    }
                }
                Kind::Pow(_) => {
                    if !is_sum(&node.children[0]) {
                        f.write_str("(")?;
                    }
                    stack.push(Item::Tail(node));
                    stack.push(Item::E(&node.children[0], false));
                }
                Kind::Labelled { condition, .. } => {
                    let name = if condition.is_some() {
                        "Constraint("
                    } else {
                        "SubH("
                    };
                    f.write_str(name)?;
                    stack.push(Item::Tail(node));
                    stack.push(Item::E(&node.children[0], false));
                }
                Kind::Penalized { .. } => {
                    f.write_str("WithPenalty(")?;
                    stack.push(Item::Tail(node));
                    stack.push(Item::E(&node.children[1], false));
                    stack.push(Item::S(", "));
                    stack.push(Item::E(&node.children[0], false));
                }
            }
        }
        Ok(())
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('\'', "\\'")
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
