//! Compile tests (trybuild): what compiles and routes, and the errors without the opt-in
//! and for an opaque `impl IntoResponse` (which names `impl IntoApiResponse`).

#[test]
fn custom_extractors() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/compile/custom_extractor.rs");
    cases.compile_fail("tests/compile/extractor_without_opt_in.rs");
    cases.compile_fail("tests/compile/impl_into_response.rs");
}
