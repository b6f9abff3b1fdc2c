//! The write route's Lambda TOKEN authorizer (binary `widget-authorizer`).
//!
//! API Gateway sends it the `Authorization` header (`Bearer <token>`, already checked
//! against the route's validation expression). It allows the call when the token's
//! SHA-256 equals `WRITE_TOKEN_SHA256` (hex), so the function never holds the token
//! itself; anything else is `Unauthorized`, which API Gateway answers with 401. The
//! API key is checked by API Gateway separately: the route needs both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The variable holding the hex SHA-256 of the accepted bearer token.
pub const TOKEN_SHA256_ENV: &str = "WRITE_TOKEN_SHA256";

/// The principal the authorizer reports for an accepted token.
pub const PRINCIPAL: &str = "widget-writer";

/// A TOKEN authorizer event.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    /// The `Authorization` header.
    pub authorization_token: String,
    /// The ARN of the method being called.
    pub method_arn: String,
}

/// The policy answer API Gateway expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizerResponse {
    /// Who the caller is (`$context.authorizer.principalId`).
    pub principal_id: String,
    /// What the caller may invoke.
    pub policy_document: PolicyDocument,
    /// Passed to the integration as `$context.authorizer.<key>`.
    pub context: BTreeMap<String, String>,
}

/// An IAM policy document with one statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// `2012-10-17`.
    pub version: String,
    /// The statements.
    pub statement: Vec<Statement>,
}

/// One policy statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// `execute-api:Invoke`.
    pub action: String,
    /// `Allow`.
    pub effect: String,
    /// The method ARNs.
    pub resource: Vec<String>,
}

/// The token was missing or wrong. Its message must be exactly `Unauthorized`: that
/// is what makes API Gateway answer 401 rather than 500.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Unauthorized")]
pub struct Unauthorized;

/// The hex SHA-256 of `token` (what `WRITE_TOKEN_SHA256` holds; Terraform's `sha256()`).
pub fn token_sha256(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Allows exactly the called method when the bearer token hashes to `expected_sha256`.
/// The answer is cached per token (the authorizer's TTL) and only the write route uses
/// this authorizer, so allowing the one method ARN is enough.
pub fn authorize(
    request: &TokenRequest,
    expected_sha256: &str,
) -> Result<AuthorizerResponse, Unauthorized> {
    let token = request
        .authorization_token
        .strip_prefix("Bearer ")
        .ok_or(Unauthorized)?;
    let got = token_sha256(token);
    let expected = expected_sha256.trim().to_ascii_lowercase();
    // Compare every byte: the time taken does not tell how much of the digest matched.
    let same = got.len() == expected.len()
        && got
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if expected.is_empty() || !same {
        return Err(Unauthorized);
    }
    Ok(AuthorizerResponse {
        principal_id: PRINCIPAL.to_owned(),
        policy_document: PolicyDocument {
            version: "2012-10-17".to_owned(),
            statement: vec![Statement {
                action: "execute-api:Invoke".to_owned(),
                effect: "Allow".to_owned(),
                resource: vec![request.method_arn.clone()],
            }],
        },
        context: BTreeMap::from([("scope".to_owned(), "widgets:write".to_owned())]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARN: &str = "arn:aws:execute-api:eu-west-1:123456789012:abc123/live/PUT/widget";

    fn request(header: &str) -> TokenRequest {
        serde_json::from_value(serde_json::json!({
            "type": "TOKEN",
            "authorizationToken": header,
            "methodArn": ARN,
        }))
        .unwrap()
    }

    #[test]
    fn the_right_token_is_allowed_on_the_called_method_only() {
        let expected = token_sha256("s3cret");
        let answer = authorize(&request("Bearer s3cret"), &expected).unwrap();
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            serde_json::json!({
                "principalId": "widget-writer",
                "policyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [ARN]}],
                },
                "context": {"scope": "widgets:write"},
            })
        );
    }

    #[test]
    fn anything_else_is_unauthorized() {
        let expected = token_sha256("s3cret");
        for header in ["Bearer wrong", "s3cret", "Basic s3cret", "Bearer ", ""] {
            assert_eq!(
                authorize(&request(header), &expected),
                Err(Unauthorized),
                "{header}"
            );
        }
        // No configured hash: nothing is allowed.
        assert_eq!(authorize(&request("Bearer s3cret"), ""), Err(Unauthorized));
        assert_eq!(Unauthorized.to_string(), "Unauthorized");
    }

    #[test]
    fn the_hash_is_terraforms_sha256() {
        // terraform console: sha256("s3cret")
        assert_eq!(
            token_sha256("s3cret"),
            "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0"
        );
    }
}
