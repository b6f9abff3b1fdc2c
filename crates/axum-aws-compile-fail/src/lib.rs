//! axum-aws's compile-fail tests, in a package of their own so that trybuild checks
//! the cases against axum-aws and the few crates they use, not every test dependency
//! of axum-aws. The cases and their expected errors are in `tests/cases/`; the passing
//! counterpart (a custom extractor with the opt-in) is an ordinary test of axum-aws.
//!
//! ```text
//! cargo test -p axum-aws-compile-fail
//! TRYBUILD=overwrite cargo test -p axum-aws-compile-fail   # after a deliberate change
//! ```
