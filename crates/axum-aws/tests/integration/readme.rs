//! The README's first example is `examples/first_service.rs`: the README shows that
//! file's code, and cargo compiles the example with the tests.

use std::path::Path;

/// The first fenced block of `lang` in `markdown`.
fn first_block<'a>(markdown: &'a str, lang: &str) -> Option<&'a str> {
    let fence = format!("```{lang}\n");
    let start = markdown.find(&fence)? + fence.len();
    let end = start + markdown[start..].find("```\n")?;
    Some(&markdown[start..end])
}

#[test]
fn the_first_example_is_an_example_that_compiles() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(crate_dir.join("../../README.md")).unwrap();
    let example = std::fs::read_to_string(crate_dir.join("examples/first_service.rs")).unwrap();
    let block = first_block(&readme, "rust").expect("the README has a rust block");
    assert!(
        example.contains(block),
        "README.md's first rust block is not in examples/first_service.rs; copy it there \
         (the example is what compiles):\n{block}"
    );
    // Both requirements a newcomer meets first are shown.
    assert!(block.contains("ToSchema)]"), "{block}");
    assert!(block.contains("impl OperationOutput for"), "{block}");
}
