//! Compile tests (trybuild): what compiles and routes, and the errors without the opt-in,
//! for an opaque `impl IntoResponse` (which names `impl IntoApiResponse`), and for a
//! newcomer's first two mistakes, whose errors name the type and the trait it lacks.

#[test]
fn custom_extractors() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/compile/custom_extractor.rs");
    cases.compile_fail("tests/compile/extractor_without_opt_in.rs");
    cases.compile_fail("tests/compile/impl_into_response.rs");
}

/// A body without `ToSchema` (request or response) and an error type without
/// `OperationOutput`: the expected stderr names the type and the trait.
#[test]
fn undocumentable_types_are_named() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile/body_without_to_schema.rs");
    cases.compile_fail("tests/compile/response_without_to_schema.rs");
    cases.compile_fail("tests/compile/error_without_operation_output.rs");
}
