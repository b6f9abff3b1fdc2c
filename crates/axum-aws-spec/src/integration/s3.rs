//! S3 `GetObject`, `PutObject`, `DeleteObject` and `ListObjectsV2` (path-style requests).

use super::vtl;
use super::{
    AwsService, ContentHandling, Integration, IntegrationOptions, IntegrationResponse, shared_knobs,
};
use crate::resolved::{ServiceAction, ServiceResource};
use crate::value_kind::Knob;
use crate::{Method, TemplateValue};
use serde::{Deserialize, Serialize};

/// A bucket name or object key: fixed (Terraform placeholders allowed) or taken from a
/// path parameter of the route.
///
/// ```
/// use axum_aws::integration::PathPart;
///
/// let bucket = PathPart::from("${uploads_bucket}");
/// let key = PathPart::param("key"); // `/files/{key}` or `/files/{*key}`
/// assert_ne!(bucket, key);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathPart {
    /// A fixed name.
    Fixed(TemplateValue),
    /// A path parameter, mapped through `requestParameters` into `{name}` in the URI.
    Param(String),
}

impl PathPart {
    /// The route's path parameter `name`.
    pub fn param(name: impl Into<String>) -> Self {
        Self::Param(name.into())
    }

    fn uri_text(&self) -> String {
        match self {
            Self::Fixed(value) => value.as_str().to_owned(),
            Self::Param(name) => format!("{{{name}}}"),
        }
    }
}

impl From<&str> for PathPart {
    fn from(value: &str) -> Self {
        Self::Fixed(value.into())
    }
}

impl From<String> for PathPart {
    fn from(value: String) -> Self {
        Self::Fixed(value.into())
    }
}

impl From<TemplateValue> for PathPart {
    fn from(value: TemplateValue) -> Self {
        Self::Fixed(value)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Action {
    Get,
    Put,
    Delete,
    List,
}

/// An S3 object operation, called path-style:
/// `arn:aws:apigateway:{region}:s3:path/{bucket}/{key}`.
///
/// Path parameters used for the bucket or key are mapped through `requestParameters`
/// (`integration.request.path.key` ← `method.request.path.key`), so keys with `/` work
/// with a greedy route (`/files/{*key}`).
///
/// | action | method | success | passes through |
/// |---|---|---|---|
/// | [`get_object`](Self::get_object) | GET | 200, the object | `Content-Type`, `ETag`, `Last-Modified` from S3 |
/// | [`put_object`](Self::put_object) | PUT | 200 | the client's `Content-Type` to S3, `ETag` back |
/// | [`delete_object`](Self::delete_object) | DELETE | 204 | |
/// | [`list_objects`](Self::list_objects) | GET | 200, S3's XML | `prefix`, `max-keys`, `continuation-token`, `start-after` query parameters |
///
/// Errors: S3's 404 → 404, 403 → 403, other 4xx → 400, 5xx → 500, each with a JSON
/// `{"message"}`. For binary objects either list their media types in
/// [`ApiSettings::binary_media_types`](crate::ApiSettings) (bytes pass through), or use
/// [`base64`](Self::base64).
///
/// ```
/// use axum_aws::integration::{PathPart, S3};
/// use axum_aws::routing::{get, put};
/// use axum_aws::{AwsRouter, Info};
///
/// let router: AwsRouter = AwsRouter::new()
///     .route("/files/{*key}", get(|| async { "" }).integration(S3::get_object("${region}", "${bucket}", PathPart::param("key"))))
///     .route("/files/{*key}", put(|| async { "" }).integration(S3::put_object("${region}", "${bucket}", PathPart::param("key"))))
///     .default_credentials("${apigw_s3_role_arn}");
/// let private = router.spec(Info::new("files", "1")).render_private()?.to_json();
/// assert!(private.contains("arn:aws:apigateway:${region}:s3:path/${bucket}/{key}"));
/// assert!(private.contains("\"integration.request.path.key\": \"method.request.path.key\""));
/// # Ok::<(), axum_aws::SpecErrors>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[must_use]
pub struct S3 {
    region: TemplateValue,
    action: Action,
    bucket: PathPart,
    key_prefix: String,
    key: Option<PathPart>,
    base64: bool,
    #[serde(default)]
    pub(super) options: IntegrationOptions,
}

impl S3 {
    fn new(
        region: impl Into<TemplateValue>,
        action: Action,
        bucket: impl Into<PathPart>,
        key: Option<PathPart>,
    ) -> Self {
        Self {
            region: region.into(),
            action,
            bucket: bucket.into(),
            key_prefix: String::new(),
            key,
            base64: false,
            options: IntegrationOptions::default(),
        }
    }

    /// `GetObject`: answers with the object and its `Content-Type`.
    pub fn get_object(
        region: impl Into<TemplateValue>,
        bucket: impl Into<PathPart>,
        key: impl Into<PathPart>,
    ) -> Self {
        Self::new(region, Action::Get, bucket, Some(key.into()))
    }

    /// `PutObject`: stores the request body with the request's `Content-Type`.
    pub fn put_object(
        region: impl Into<TemplateValue>,
        bucket: impl Into<PathPart>,
        key: impl Into<PathPart>,
    ) -> Self {
        Self::new(region, Action::Put, bucket, Some(key.into()))
    }

    /// `DeleteObject`: answers 204.
    pub fn delete_object(
        region: impl Into<TemplateValue>,
        bucket: impl Into<PathPart>,
        key: impl Into<PathPart>,
    ) -> Self {
        Self::new(region, Action::Delete, bucket, Some(key.into()))
    }

    /// `ListObjectsV2` of the bucket: answers with S3's XML listing.
    pub fn list_objects(region: impl Into<TemplateValue>, bucket: impl Into<PathPart>) -> Self {
        Self::new(region, Action::List, bucket, None)
    }

    /// Puts a fixed prefix in front of the key (`uploads/` + `{key}`).
    ///
    /// ```
    /// use axum_aws::integration::{PathPart, S3};
    ///
    /// let upload = S3::put_object("${region}", "${bucket}", PathPart::param("name")).key_prefix("uploads/");
    /// # let _ = upload;
    /// ```
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// The client sends (`put_object`) or receives (`get_object`) the object
    /// base64-encoded: API Gateway decodes it before S3 (`CONVERT_TO_BINARY`) or encodes
    /// S3's bytes (`CONVERT_TO_TEXT`). No effect on the other actions.
    ///
    /// ```
    /// use axum_aws::integration::{PathPart, S3};
    ///
    /// let download = S3::get_object("${region}", "${bucket}", PathPart::param("key")).base64();
    /// # let _ = download;
    /// ```
    pub fn base64(mut self) -> Self {
        self.base64 = true;
        self
    }

    /// The action's success response (with S3's headers the client reads); S3's errors
    /// as 404, 403, 400 and 500.
    pub(super) fn generated_responses(&self) -> Vec<IntegrationResponse> {
        let header = |name: &str| format!("integration.response.header.{name}");
        let success = match self.action {
            Action::Get => {
                let mut ok = IntegrationResponse::default_status(200)
                    .header("Content-Type", header("Content-Type"))
                    .header("ETag", header("ETag"))
                    .header("Last-Modified", header("Last-Modified"));
                if self.base64 {
                    ok = ok.content_handling(ContentHandling::ConvertToText);
                }
                ok
            }
            Action::Put => IntegrationResponse::default_status(200).header("ETag", header("ETag")),
            Action::Delete => IntegrationResponse::default_status(204),
            Action::List => IntegrationResponse::default_status(200)
                .header("Content-Type", header("Content-Type")),
        };
        vec![
            success,
            error("404", 404, "not found"),
            error("403", 403, "forbidden"),
            error("4(?!0[34])\\d{2}", 400, "bad request"),
            error("5\\d{2}", 500, "storage error"),
        ]
    }

    fn uri(&self) -> String {
        let mut path = self.bucket.uri_text();
        if let Some(key) = &self.key {
            path.push('/');
            path.push_str(&self.key_prefix);
            path.push_str(&key.uri_text());
        }
        vtl::arn(&self.region, "s3", "path", &path)
    }
}

fn error(pattern: &str, status: u16, message: &str) -> IntegrationResponse {
    IntegrationResponse::new(pattern, status).template(
        "application/json",
        format!("{{\"message\": \"{message}\"}}"),
    )
}

shared_knobs!(S3);

impl From<S3> for AwsService {
    fn from(value: S3) -> Self {
        let mut generated = IntegrationOptions::default();
        for part in std::iter::once(&value.bucket).chain(&value.key) {
            if let PathPart::Param(name) = part {
                generated.request_parameters.insert(
                    format!("integration.request.path.{name}"),
                    format!("method.request.path.{name}").into(),
                );
            }
        }
        let method = match value.action {
            Action::Get => Method::Get,
            Action::Put => {
                generated.request_parameters.insert(
                    "integration.request.header.Content-Type".into(),
                    "method.request.header.Content-Type".into(),
                );
                if value.base64 {
                    generated.content_handling = Some(ContentHandling::ConvertToBinary);
                }
                Method::Put
            }
            Action::Delete => Method::Delete,
            Action::List => {
                generated.request_parameters.insert(
                    "integration.request.querystring.list-type".into(),
                    "'2'".into(),
                );
                for name in ["prefix", "max-keys", "continuation-token", "start-after"] {
                    generated.request_parameters.insert(
                        format!("integration.request.querystring.{name}"),
                        format!("method.request.querystring.{name}").into(),
                    );
                }
                Method::Get
            }
        };
        generated.responses = value.generated_responses();
        let uri = value.uri();
        vtl::service(method, uri, generated, value.options)
    }
}

impl From<S3> for Integration {
    fn from(value: S3) -> Self {
        Self::S3(value)
    }
}

impl S3 {
    /// Calls `visit` with each template value and the knob it is.
    pub(crate) fn visit_knobs(&self, visit: &mut dyn FnMut(Knob, &TemplateValue)) {
        // Every field named: a new one does not compile until it is classified.
        let Self {
            region,
            action: _,
            bucket,
            key_prefix: _,
            key,
            base64: _,
            options,
        } = self;
        visit(Knob::S3Region, region);
        if let PathPart::Fixed(bucket) = bucket {
            visit(Knob::S3Bucket, bucket);
        }
        if let Some(PathPart::Fixed(key)) = key {
            visit(Knob::S3Key, key);
        }
        options.visit_knobs(visit);
    }
}

impl S3 {
    /// The object action on the bucket's keys (`s3:ListBucket` on the bucket to list it).
    pub(crate) fn service_action(&self) -> ServiceAction<'_> {
        let action = match self.action {
            Action::Get => "s3:GetObject",
            Action::Put => "s3:PutObject",
            Action::Delete => "s3:DeleteObject",
            Action::List => "s3:ListBucket",
        };
        ServiceAction {
            actions: vec![action.to_owned()],
            resource: ServiceResource::Bucket {
                bucket: &self.bucket,
                key_prefix: &self.key_prefix,
                key: self.key.as_ref(),
            },
            region: Some(&self.region),
            role: self.options.credentials.as_ref(),
        }
    }
}
