//! Through trybuild, the errors of handlers axum-aws cannot document: a custom extractor
//! without the opt-in, an opaque `impl IntoResponse` (which names `impl IntoApiResponse`),
//! and a newcomer's first mistakes, whose errors name the type and the trait it lacks.

/// A custom extractor without `OperationInput`, and an opaque `impl IntoResponse`.
#[test]
fn custom_extractors_without_the_opt_in() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/cases/extractor_without_opt_in.rs");
    cases.compile_fail("tests/cases/impl_into_response.rs");
}

/// A body without `ToSchema` (request or response) and an error type without
/// `OperationOutput`: the expected stderr names the type and the trait.
#[test]
fn undocumentable_types_are_named() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/cases/body_without_to_schema.rs");
    cases.compile_fail("tests/cases/response_without_to_schema.rs");
    cases.compile_fail("tests/cases/error_without_operation_output.rs");
}
