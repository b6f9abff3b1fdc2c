//! The widget, its color, and the errors the API answers with.

use std::fmt;
use std::str::FromStr;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::store::StoreError;

/// What a widget name must look like (also the request model's `pattern`, so API Gateway
/// rejects a bad name before the function runs).
pub const NAME_PATTERN: &str = "^[A-Za-z0-9._-]{1,64}$";

/// A widget: a unique name and a color.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Widget {
    /// Unique name: 1–64 letters, digits, `.`, `_` or `-`.
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$", min_length = 1, max_length = 64)]
    pub name: String,
    /// Its color.
    pub color: Color,
}

impl Widget {
    /// A widget named `name` of `color`.
    pub fn new(name: impl Into<String>, color: Color) -> Self {
        Self {
            name: name.into(),
            color,
        }
    }
}

/// Whether `name` is a valid widget name (see [`NAME_PATTERN`]).
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The colors a widget comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    /// `red`
    Red,
    /// `orange`
    Orange,
    /// `yellow`
    Yellow,
    /// `green`
    Green,
    /// `blue`
    Blue,
    /// `purple`
    Purple,
    /// `black`
    Black,
    /// `white`
    White,
}

impl Color {
    /// Every color, in declaration order.
    pub const ALL: [Color; 8] = [
        Color::Red,
        Color::Orange,
        Color::Yellow,
        Color::Green,
        Color::Blue,
        Color::Purple,
        Color::Black,
        Color::White,
    ];

    /// The lower-case name (`red`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Orange => "orange",
            Self::Yellow => "yellow",
            Self::Green => "green",
            Self::Blue => "blue",
            Self::Purple => "purple",
            Self::Black => "black",
            Self::White => "white",
        }
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A color name that is not one of [`Color::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid color {0:?}: expected one of red, orange, yellow, green, blue, purple, black, white"
)]
pub struct InvalidColor(pub String);

impl FromStr for Color {
    type Err = InvalidColor;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| InvalidColor(s.to_owned()))
    }
}

/// The body of every error answer: `{"message": "…"}` (the shape API Gateway's own
/// errors and the direct DynamoDB route use too).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub message: String,
}

/// An error answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 404: no widget of that name (the body is the direct DynamoDB route's).
    #[error("not found")]
    NotFound,
    /// 400: a query parameter is missing or malformed (an unknown color, a bad limit or lastKey).
    #[error("{0}")]
    BadRequest(String),
    /// 415: the body is not declared as JSON.
    #[error("expected a JSON body (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// 422: the body is JSON but not a widget.
    #[error("invalid widget: {0}")]
    InvalidBody(String),
    /// 500: the store failed (logged, not shown).
    #[error("internal error")]
    Store(#[from] StoreError),
}

impl ApiError {
    /// The status code of this answer.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::InvalidBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<InvalidColor> for ApiError {
    fn from(value: InvalidColor) -> Self {
        Self::BadRequest(value.to_string())
    }
}

/// Each route states the errors it answers (`.responds::<ErrorBody>(…)`): not every
/// route answers every kind.
impl axum_aws::doc::OperationOutput for ApiError {
    fn operation_output(_: &mut axum_aws::doc::DocContext) {}
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Store(error) = &self {
            tracing::error!(error = %error, "widget store failed");
        }
        let body = ErrorBody {
            message: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_pattern() {
        for ok in ["a", "widget-1", "W_2.v3", &"x".repeat(64)] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "has space", "slash/y", "é", &"x".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn colors_round_trip_and_reject_unknown_ones() {
        for color in Color::ALL {
            assert_eq!(color.as_str().parse::<Color>(), Ok(color));
            assert_eq!(
                serde_json::to_value(color).unwrap(),
                serde_json::json!(color.as_str())
            );
        }
        let error = "mauve".parse::<Color>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid color \"mauve\": expected one of red, orange, yellow, green, blue, purple, black, white"
        );
    }
}
