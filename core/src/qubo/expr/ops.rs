//! Arithmetic on expressions: `+ − ×` between expressions, references and `f64`, negation and
//! `Sum`. Each operator builds one node (see [`Expr`]'s folding rules), so it is O(1).

use super::node::Expr;

macro_rules! expr_ops {
    ($($trait:ident $method:ident $body:expr;)*) => {$(
        impl std::ops::$trait<&Expr> for &Expr {
            type Output = Expr;
            fn $method(self, rhs: &Expr) -> Expr {
                let f: fn(&Expr, &Expr) -> Expr = $body;
                f(self, rhs)
            }
        }
        impl std::ops::$trait<Expr> for Expr {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                (&self).$method(&rhs)
            }
        }
        impl std::ops::$trait<&Expr> for Expr {
            type Output = Expr;
            fn $method(self, rhs: &Expr) -> Expr {
                (&self).$method(rhs)
            }
        }
        impl std::ops::$trait<Expr> for &Expr {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                self.$method(&rhs)
            }
        }
    )*};
}

macro_rules! scalar_ops {
    ($($trait:ident $method:ident;)*) => {$(
        impl std::ops::$trait<f64> for Expr {
            type Output = Expr;
            fn $method(self, rhs: f64) -> Expr {
                (&self).$method(&Expr::num(rhs))
            }
        }
        impl std::ops::$trait<f64> for &Expr {
            type Output = Expr;
            fn $method(self, rhs: f64) -> Expr {
                self.$method(&Expr::num(rhs))
            }
        }
        impl std::ops::$trait<Expr> for f64 {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                (&Expr::num(self)).$method(&rhs)
            }
        }
        impl std::ops::$trait<&Expr> for f64 {
            type Output = Expr;
            fn $method(self, rhs: &Expr) -> Expr {
                (&Expr::num(self)).$method(rhs)
            }
        }
    )*};
}

expr_ops! {
    Add add |a, b| a.add_expr(b);
    Sub sub |a, b| a.add_expr(&b.scale(-1.0));
    Mul mul |a, b| a.mul_expr(b);
}

scalar_ops! {
    Add add;
    Sub sub;
}

impl std::ops::Mul<&Expr> for f64 {
    type Output = Expr;
    fn mul(self, rhs: &Expr) -> Expr {
        rhs.scale(self)
    }
}

impl std::ops::Mul<Expr> for f64 {
    type Output = Expr;
    fn mul(self, rhs: Expr) -> Expr {
        rhs.scale(self)
    }
}

impl std::ops::Mul<f64> for &Expr {
    type Output = Expr;
    fn mul(self, rhs: f64) -> Expr {
        self.scale(rhs)
    }
}

impl std::ops::Mul<f64> for Expr {
    type Output = Expr;
    fn mul(self, rhs: f64) -> Expr {
        self.scale(rhs)
    }
}

impl std::ops::Neg for &Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.scale(-1.0)
    }
}

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.scale(-1.0)
    }
}

impl std::iter::Sum for Expr {
    fn sum<I: Iterator<Item = Expr>>(iter: I) -> Expr {
        Expr::sum(iter)
    }
}
