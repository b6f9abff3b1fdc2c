use axum_aws::ApiSpec;

use crate::scenarios;

#[test]
fn spec_model_round_trips_through_json() {
    for (name, router) in scenarios::all() {
        let spec = router.spec(scenarios::info());
        let json = serde_json::to_string(&spec).unwrap();
        let back: ApiSpec = serde_json::from_str(&json).unwrap();
        assert_eq!(back, spec, "{name}");
        assert_eq!(
            back.render_private().unwrap().to_json(),
            spec.render_private().unwrap().to_json(),
            "{name}"
        );
    }
}

#[test]
fn placeholders_list_every_variable_with_its_routes() {
    let spec = scenarios::composition().spec(scenarios::info());
    let placeholders = spec.placeholders();
    let names: Vec<&str> = placeholders.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "api_invoke_arn",
            "apigw_role_arn",
            "export_state_machine_arn",
            "region",
            "user_pool_arn",
            "widgets_invoke_arn"
        ]
    );
    let users: Vec<&str> = placeholders["widgets_invoke_arn"]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        users,
        [
            "GET /v1/widgets",
            "GET /v1/widgets/{name}",
            "PUT /v1/widgets/{name}"
        ]
    );
    // Every placeholder the private document uses is listed, and nothing else.
    let private = spec.render_private().unwrap().to_json();
    let mut in_document: Vec<String> = private
        .match_indices("${")
        .filter(|(i, _)| *i == 0 || &private[i - 1..*i] != "$")
        .map(|(i, _)| private[i + 2..i + private[i..].find('}').unwrap()].to_owned())
        .collect();
    in_document.sort();
    in_document.dedup();
    assert_eq!(in_document, names);
}
