//! Compile tests (trybuild): what compiles and routes, and the error without the opt-in.

#[test]
fn custom_extractors() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/compile/custom_extractor.rs");
    cases.compile_fail("tests/compile/extractor_without_opt_in.rs");
}
