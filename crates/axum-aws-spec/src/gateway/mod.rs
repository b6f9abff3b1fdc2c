//! Targets: what a spec is checked against and rendered for.
//!
//! The model ([`ApiSpec`]) says what the API is; a target says what one gateway (or
//! document) makes of it. Each target is one module that checks what its gateway cannot
//! express and renders the document; it is the only module that writes that gateway's
//! extensions. Adding a target is one module plus its line in [`Target`] and in the two
//! `match`es below.
//!
//! - [`Target::Rest`] ([`rest`]): the private spec of an API Gateway REST API, OpenAPI
//!   3.0.1 with `x-amazon-apigateway-*`, for `templatefile()`.
//! - [`Target::OpenApi`] ([`openapi`]): the public spec, clean OpenAPI for docs and client
//!   generators.
//! - [`Target::Kong`] ([`kong`]): a decK declarative file for Kong Gateway OSS
//!   ([`Checked::render_kong`]).
//! - [`Target::HttpApi`] ([`http_api`]): the private spec of an API Gateway HTTP API
//!   (v2), for `aws_apigatewayv2_api`'s `body` ([`Checked::render_http_api`]); its public
//!   spec ([`Checked::render_public_for`]) documents what an HTTP API sends.
//!
//! [`ApiSpec::check_for`] runs the target-neutral checks and those of every target asked
//! for, once, and reports every problem at once; the [`Checked`] spec it returns renders
//! each target without checking again.

pub(crate) mod extensions;
pub(crate) mod http_api;
pub(crate) mod kong;
pub(crate) mod openapi;
pub(crate) mod rest;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::error::{SpecError, SpecErrors};
use crate::integration::{Integration, generic_integrations};
use crate::render::Syntax;
use crate::resolved::Resolved;
pub use kong::{KongConfig, KongFormat, KongOptions};

use crate::{ApiSpec, HttpApi, PrivateSpec, PublicSpec, PublicVersion};

/// A gateway or document a spec is checked against and rendered for.
///
/// ```
/// use axum_aws_spec::Target;
///
/// assert_eq!("rest".parse::<Target>(), Ok(Target::Rest));
/// assert_eq!(Target::OpenApi.to_string(), "openapi");
/// assert_eq!("kong".parse::<Target>(), Ok(Target::Kong));
/// assert_eq!("http-api".parse::<Target>(), Ok(Target::HttpApi));
/// assert!("kong2".parse::<Target>().unwrap_err().to_string().contains("rest, openapi, kong, http-api"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Target {
    /// API Gateway REST API (the private spec).
    Rest,
    /// Plain OpenAPI (the public spec).
    OpenApi,
    /// Kong Gateway OSS (a decK declarative file).
    Kong,
    /// API Gateway HTTP API, v2 (its private spec).
    HttpApi,
}

impl Target {
    /// Every target, in the order their checks report. A slice, not an array: a new
    /// target is not a breaking change.
    ///
    /// ```
    /// use axum_aws_spec::Target;
    ///
    /// let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
    /// assert_eq!(names, ["rest", "openapi", "kong", "http-api"]);
    /// ```
    pub const ALL: &'static [Target] =
        &[Target::Rest, Target::OpenApi, Target::Kong, Target::HttpApi];

    /// The name `aws-spec --target` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rest => "rest",
            Self::OpenApi => "openapi",
            Self::Kong => "kong",
            Self::HttpApi => "http-api",
        }
    }

    /// What this target cannot express in `checked`'s spec, each naming its route.
    fn problems(self, checked: &Checked<'_>) -> Vec<SpecError> {
        match self {
            Self::Rest => rest::problems(checked.spec, &checked.generic, &checked.gateway),
            // Plain OpenAPI expresses everything the neutral checks let through.
            Self::OpenApi => Vec::new(),
            Self::Kong => kong::problems(checked.spec),
            Self::HttpApi => http_api::problems(checked.spec),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A target name that is not one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownTarget {
    /// The name as given.
    pub name: String,
}

impl fmt::Display for UnknownTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
        write!(
            f,
            "no target {:?}; choose one of {}",
            self.name,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownTarget {}

impl FromStr for Target {
    type Err = UnknownTarget;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .iter()
            .copied()
            .find(|target| target.name() == name)
            .ok_or_else(|| UnknownTarget {
                name: name.to_owned(),
            })
    }
}

/// A spec whose checks passed, with what the checks found out (each route's path, parsed
/// once): render its targets from here without checking again.
///
/// ```
/// use axum_aws_spec::integration::LambdaProxy;
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, PublicVersion, RouteMeta, Target};
///
/// let mut route = RouteMeta::new(Method::Get, "/files/{*path}");
/// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
/// let spec = ApiSpec::new(Info::new("Files", "1"), ApiSettings::default(), vec![route]);
///
/// let checked = spec.check_for(&[Target::Rest, Target::OpenApi])?; // every check of both, once
/// let private = checked.render_private()?;
/// let public = checked.render_public(PublicVersion::V30)?;
/// assert!(private.to_json().contains("\"/files/{path+}\""));
/// assert!(public.to_json().contains("\"/files/{path}\""));
/// assert!(checked.warnings_for(&private).is_empty());
/// # Ok::<(), axum_aws_spec::SpecErrors>(())
/// ```
#[derive(Debug)]
pub struct Checked<'a> {
    spec: &'a ApiSpec,
    /// Each route's resource path in API Gateway's spelling (`{rest+}`), `None` where the
    /// path is invalid (only in a spec some of whose checks failed).
    gateway: Vec<Option<&'a str>>,
    /// Each route's integration with its typed AWS-service action lowered to the generic
    /// `aws` integration a REST API runs, once, for the neutral checks' placeholders and
    /// the REST checks and rendering; the routes themselves stay as declared.
    generic: Vec<Option<Cow<'a, Integration>>>,
    /// The targets whose checks passed.
    targets: Vec<Target>,
    /// What the spec means, resolved once for every target.
    resolved: Resolved<'a>,
}

impl<'a> Checked<'a> {
    /// The spec.
    pub fn spec(&self) -> &'a ApiSpec {
        self.spec
    }

    /// What the spec means, resolved by the checks: each path's CORS policy, each
    /// route's security, validation, statuses and integration intent, the spec's Lambda
    /// functions, service actions and placeholders (see [`resolved`](crate::resolved)).
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/health");
    /// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// let checked = spec.check_for(&[Target::Rest])?;
    /// let functions = checked.resolved().lambda_functions();
    /// assert_eq!(functions[0].function().as_str(), "${api_invoke_arn}");
    /// assert_eq!(functions[0].routes().len(), 1);
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    pub fn resolved(&self) -> &Resolved<'a> {
        &self.resolved
    }

    /// The private spec for an API Gateway REST API.
    ///
    /// # Errors
    /// What the REST checks find, if they did not run yet ([`Target::Rest`] was not
    /// among the targets given to [`ApiSpec::check_for`]); never otherwise.
    pub fn render_private(&self) -> Result<PrivateSpec, SpecErrors> {
        self.ensure(Target::Rest)?;
        Ok(PrivateSpec::new(rest::render(self, Syntax::Json)))
    }

    /// The private spec for an API Gateway REST API as YAML: the document of
    /// [`render_private`](Self::render_private), placeholders and escapes alike, written
    /// as YAML (for `templatefile()` too).
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/health");
    /// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// let yaml = spec.check_for(&[Target::Rest])?.render_private_yaml()?;
    /// assert!(yaml.contains("\nopenapi: 3.0.1\n"));
    /// assert!(yaml.contains("        uri: ${api_invoke_arn}\n"));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// As [`render_private`](Self::render_private).
    pub fn render_private_yaml(&self) -> Result<String, SpecErrors> {
        self.ensure(Target::Rest)?;
        Ok(rest::render(self, Syntax::Yaml))
    }

    /// The public spec, in the given OpenAPI version, of the API as an API Gateway REST
    /// API serves it ([`render_public_for`](Self::render_public_for) with [`Target::Rest`]).
    ///
    /// # Errors
    /// None today: plain OpenAPI has no checks beyond the neutral ones.
    pub fn render_public(&self, version: PublicVersion) -> Result<PublicSpec, SpecErrors> {
        self.render_public_for(Target::Rest, version)
    }

    /// The public spec of the API as `gateway` serves it: what that gateway sends itself
    /// (a REST API's integration responses, an HTTP API passing a service's own answer
    /// through, each gateway's refusals of unauthorized requests) is what it documents.
    /// [`Target::OpenApi`] reads as [`Target::Rest`].
    ///
    /// ```
    /// use axum_aws_spec::auth::{Authorizer, Security};
    /// use axum_aws_spec::integration::{Queue, SqsSendMessage};
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, PublicVersion, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Post, "/orders");
    /// let queue = SqsSendMessage::new("${region}", Queue::url("${orders_queue_url}")).credentials("${role_arn}");
    /// route.integration = Some(queue.into());
    /// route.security = Some(Security::from(Authorizer::iam()));
    /// let spec = ApiSpec::new(Info::new("Orders", "1"), ApiSettings::default(), vec![route]);
    /// let checked = spec.check_for(&[Target::Rest, Target::HttpApi, Target::OpenApi])?;
    ///
    /// let rest = checked.render_public_for(Target::Rest, PublicVersion::V30)?.to_value();
    /// let http = checked.render_public_for(Target::HttpApi, PublicVersion::V30)?.to_value();
    /// let (rest, http) = (&rest["paths"]["/orders"]["post"]["responses"], &http["paths"]["/orders"]["post"]["responses"]);
    /// assert!(rest["500"].is_object()); // SQS's errors, mapped by the integration responses
    /// assert!(http.get("500").is_none() && http["default"].is_object()); // SQS's own status
    /// assert!(http["200"].get("content").is_none()); // SQS's own answer
    /// assert!(rest["403"].is_object() && http["403"].is_object()); // unsigned requests
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// None today: plain OpenAPI has no checks beyond the neutral ones.
    pub fn render_public_for(
        &self,
        gateway: Target,
        version: PublicVersion,
    ) -> Result<PublicSpec, SpecErrors> {
        self.ensure(Target::OpenApi)?;
        Ok(PublicSpec {
            text: openapi::render(self, version, gateway, Syntax::Json),
            info: self.spec.info.clone(),
        })
    }

    /// The public spec of the API as `gateway` serves it
    /// ([`render_public_for`](Self::render_public_for)), as YAML.
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, PublicVersion, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/health");
    /// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// let checked = spec.check_for(&[Target::Rest, Target::OpenApi])?;
    /// let yaml = checked.render_public_yaml_for(Target::Rest, PublicVersion::V30)?;
    /// assert!(yaml.contains("\nopenapi: 3.0.3\n"));
    /// assert!(yaml.contains("\n  /health:\n"));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// None today: plain OpenAPI has no checks beyond the neutral ones.
    pub fn render_public_yaml_for(
        &self,
        gateway: Target,
        version: PublicVersion,
    ) -> Result<String, SpecErrors> {
        self.ensure(Target::OpenApi)?;
        Ok(openapi::render(self, version, gateway, Syntax::Yaml))
    }

    /// The decK declarative file for Kong Gateway OSS: a [`KongFormat`], or
    /// [`KongOptions`] for the id namespace and placeholder consumers.
    ///
    /// ```
    /// use axum_aws_spec::integration::Mock;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, KongFormat, Method, RouteMeta, Target};
    ///
    /// let mut health = RouteMeta::new(Method::Get, "/health");
    /// health.integration = Some(Mock::new(200).body("application/json", r#"{"ok":true}"#).into());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![health]);
    /// let kong = spec.check_for(&[Target::Kong])?.render_kong(KongFormat::Json)?;
    /// assert!(kong.text().contains(r#""name": "request-termination""#));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// What the Kong checks find, if they did not run yet ([`Target::Kong`] was not among
    /// the targets given to [`ApiSpec::check_for`]), and an upstream URL Kong cannot
    /// take ([`KongOptions::upstream_url`]).
    pub fn render_kong(&self, options: impl Into<KongOptions>) -> Result<KongConfig, SpecErrors> {
        self.ensure(Target::Kong)?;
        let options = options.into();
        SpecErrors::from_vec(kong::option_problems(&options))?;
        Ok(kong::render(self, &options))
    }

    /// The private spec for an API Gateway HTTP API (v2): import it with
    /// `aws_apigatewayv2_api`'s `body = templatefile(...)`, or `aws-spec deploy --target http-api`.
    ///
    /// ```
    /// use axum_aws_spec::auth::{Grant, JwtAuthorizer, Security};
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/orders/{id}");
    /// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    /// let users = JwtAuthorizer::cognito("users", "${region}", "${user_pool_id}", ["${app_client_id}"]);
    /// route.security = Some(Security::from(Grant::new(users).scopes(["orders/read"])));
    /// let spec = ApiSpec::new(Info::new("Orders", "1"), ApiSettings::default(), vec![route]);
    ///
    /// let http = spec.check_for(&[Target::HttpApi])?.render_http_api()?.to_json();
    /// assert!(http.contains(r#""payloadFormatVersion": "2.0""#));
    /// assert!(http.contains(r#""type": "jwt""#));
    /// // What an HTTP API cannot do is an error naming the route:
    /// let mut mock = RouteMeta::new(Method::Get, "/health");
    /// mock.integration = Some(axum_aws_spec::integration::Mock::new(200).into());
    /// let spec = ApiSpec::new(Info::new("Orders", "1"), ApiSettings::default(), vec![mock]);
    /// let errors = spec.check_for(&[Target::HttpApi]).unwrap_err().to_string();
    /// assert!(errors.contains("GET /health: mock integration"));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// What the HTTP API checks find, if they did not run yet ([`Target::HttpApi`] was
    /// not among the targets given to [`ApiSpec::check_for`]); never otherwise.
    pub fn render_http_api(&self) -> Result<PrivateSpec<HttpApi>, SpecErrors> {
        self.ensure(Target::HttpApi)?;
        Ok(PrivateSpec::new(http_api::render(self, Syntax::Json)))
    }

    /// The private spec for an API Gateway HTTP API as YAML: the document of
    /// [`render_http_api`](Self::render_http_api) written as YAML.
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/health");
    /// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    /// let spec = ApiSpec::new(Info::new("Demo", "1"), ApiSettings::default(), vec![route]);
    /// let yaml = spec.check_for(&[Target::HttpApi])?.render_http_api_yaml()?;
    /// assert!(yaml.contains("        payloadFormatVersion: '2.0'\n"));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// As [`render_http_api`](Self::render_http_api).
    pub fn render_http_api_yaml(&self) -> Result<String, SpecErrors> {
        self.ensure(Target::HttpApi)?;
        Ok(http_api::render(self, Syntax::Yaml))
    }

    /// Runs `target`'s checks unless they already passed.
    fn ensure(&self, target: Target) -> Result<(), SpecErrors> {
        if self.targets.contains(&target) {
            return Ok(());
        }
        SpecErrors::from_vec(target.problems(self))
    }

    /// Each route's resource path, API Gateway spelling.
    pub(crate) fn gateway_paths(&self) -> &[Option<&'a str>] {
        &self.gateway
    }

    /// Each route's integration, typed service actions lowered ([`generic_integrations`]).
    pub(crate) fn generic_integrations(&self) -> &[Option<Cow<'a, Integration>>] {
        &self.generic
    }
}

impl ApiSpec {
    /// Runs the target-neutral checks and the checks of each of `targets`, once, and
    /// reports every problem at once, each naming its route.
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta, Target};
    ///
    /// let mut route = RouteMeta::new(Method::Get, "/a/x-{id}");
    /// route.integration = Some(LambdaProxy::new("${fn_arn}").into());
    /// let spec = ApiSpec::new(Info::new("t", "1"), ApiSettings::default(), vec![route]);
    /// let errors = spec.check_for(&[Target::Rest]).unwrap_err();
    /// assert!(errors.to_string().contains("GET /a/x-{id}: path segment \"x-{id}\""));
    /// ```
    ///
    /// # Errors
    /// Every problem found.
    pub fn check_for(&self, targets: &[Target]) -> Result<Checked<'_>, SpecErrors> {
        let generic = generic_integrations(&self.routes);
        let resolved = self.resolve();
        let (mut errors, gateway) = self.neutral_checks(&generic, &resolved);
        let mut checked = Checked {
            spec: self,
            generic,
            gateway,
            targets: Vec::new(),
            resolved,
        };
        for target in targets {
            if !checked.targets.contains(target) {
                errors.extend(target.problems(&checked));
                checked.targets.push(*target);
            }
        }
        SpecErrors::from_vec(errors)?;
        Ok(checked)
    }

    /// Renders the private spec for an API Gateway REST API, after every check.
    ///
    /// # Errors
    /// Every problem found (target-neutral and REST-specific), each naming its route.
    pub fn render_private(&self) -> Result<PrivateSpec, SpecErrors> {
        self.check_for(&[Target::Rest])?.render_private()
    }

    /// Renders the private spec for an API Gateway HTTP API (v2), after every check.
    ///
    /// ```
    /// use axum_aws_spec::integration::LambdaProxy;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
    ///
    /// let mut route = RouteMeta::new(Method::Any, "/{*path}");
    /// route.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
    /// let spec = ApiSpec::new(Info::new("Files", "1"), ApiSettings::default(), vec![route]);
    /// let http = spec.render_http_api()?.to_json();
    /// assert!(http.contains(r#""/{path+}""#));
    /// assert!(http.contains("x-amazon-apigateway-any-method"));
    /// # Ok::<(), axum_aws_spec::SpecErrors>(())
    /// ```
    ///
    /// # Errors
    /// Every problem found (target-neutral and HTTP-API-specific), each naming its route.
    pub fn render_http_api(&self) -> Result<PrivateSpec<HttpApi>, SpecErrors> {
        self.check_for(&[Target::HttpApi])?.render_http_api()
    }

    /// Renders the public spec as OpenAPI 3.0.3.
    ///
    /// # Errors
    /// Every problem found by [`check`](Self::check).
    pub fn render_public(&self) -> Result<PublicSpec, SpecErrors> {
        self.render_public_version(PublicVersion::V30)
    }

    /// Renders the public spec in the given OpenAPI version.
    ///
    /// # Errors
    /// Every problem found by [`check`](Self::check).
    pub fn render_public_version(&self, version: PublicVersion) -> Result<PublicSpec, SpecErrors> {
        self.check_for(&[Target::OpenApi])?.render_public(version)
    }
}
