//! Problem generators.
