//! The model file: how a router's spec model travels from the user's crate to `aws-spec`.
//!
//! `aws-spec` builds a small loader program that calls the user's router function and
//! `axum_aws::AwsRouter::export_model`, which writes a [`ModelFile`] to the path
//! `aws-spec` names; `aws-spec` then reads it back with [`ModelFile::read`]. The loader
//! is compiled against the user's axum-aws and `aws-spec` against its own, so the two
//! can be different releases: this module is the contract between them.
//!
//! # Format
//!
//! One JSON object (UTF-8) with these fields, written in this order:
//!
//! | Field | JSON type | Holds |
//! |---|---|---|
//! | `format_version` | number | the writer's [`FORMAT_VERSION`] |
//! | `writer` | string | the crate that wrote the file and its version, `"<name> <version>"`, e.g. `"axum-aws 0.1.0"` |
//! | `spec` | object | the [`ApiSpec`], as its serde `Serialize` implementation writes it |
//! | `diagnostics` | array, left out when empty | [`RouteDiagnostics`]: what the writer found while it built the model and the reader reports (a route's declared operation naming another route, what its handler left undocumented) |
//!
//! The diagnostics travel beside the model, not inside it: they are not documentation
//! and no document renders them. Reading a file puts them back on the routes'
//! operations, where the checks and `lint` of the reading side find them.
//!
//! `format_version` and `writer` keep their names, types and place (first) in every
//! format version. [`ModelFile::read`] reads the file once, in one pass: the header
//! fields first, then the model only if their version is this one. A file of another
//! format version is reported as that ([`ReadError::OtherVersion`], one line naming both
//! versions and the writer), never as a model that does not parse; its model is skipped
//! unparsed.
//!
//! # When the version is bumped: the rule
//!
//! **Every change to the model's serialized shape bumps [`FORMAT_VERSION`] and updates
//! the shape snapshot, in the same commit.** A shape change is any change anywhere under
//! [`ApiSpec`]: a field or enum variant added, removed, renamed or retyped, a serde
//! default or representation changed. Serde ignores fields it does not know, so without
//! the bump a reader of the old shape would drop what a newer writer sent, silently.
//! Changes that leave the JSON as it was (docs, methods, checks, rendering) keep the
//! version.
//!
//! The shape is pinned by a snapshot test, as cargo-dist pins its manifest's schema:
//! `the_model_file_shape_is_pinned` (axum-aws's integration tests, `roundtrip.rs`)
//! writes a model file whose model sets every field and uses every variant, to
//! `snapshots/…model-file-format-<FORMAT_VERSION>.snap`. A shape change fails it; the
//! fix is the bump (a new snapshot file, the old one deleted) together with the new
//! field in that test's model — never an edited snapshot of the same version.
//!
//! # Example
//!
//! ```
//! use axum_aws_spec::exchange::{FORMAT_VERSION, ModelFile};
//! use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
//!
//! let spec = ApiSpec::new(
//!     Info::new("", ""),
//!     ApiSettings::default(),
//!     vec![RouteMeta::new(Method::Get, "/health")],
//! );
//! let path = std::env::temp_dir().join(format!("exchange-doc-{}.json", std::process::id()));
//! ModelFile::new("axum-aws 0.1.0", spec.clone()).write(&path)?;
//!
//! let text = std::fs::read_to_string(&path)?;
//! assert!(text.starts_with(&format!(r#"{{"format_version":{FORMAT_VERSION},"writer":"axum-aws 0.1.0","spec":{{"#)));
//! let model = ModelFile::read(&path)?;
//! assert_eq!(model.spec, spec);
//! std::fs::remove_file(&path)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer as _, Serialize};

use crate::ApiSpec;
use crate::doc::DeclaredFor;

/// The format version this crate writes and reads. See the [module docs](self) for when
/// it changes.
///
/// ```
/// assert_eq!(axum_aws_spec::exchange::FORMAT_VERSION, 6);
/// ```
pub const FORMAT_VERSION: u32 = 6;

/// A spec model as it travels in a model file: the format version, the writer and the
/// model.
///
/// ```
/// use axum_aws_spec::exchange::{FORMAT_VERSION, ModelFile};
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info};
///
/// let spec = ApiSpec::new(Info::new("", ""), ApiSettings::default(), Vec::new());
/// let model = ModelFile::new("axum-aws 0.1.0", spec);
/// assert_eq!(model.format_version, FORMAT_VERSION);
/// assert_eq!(model.writer, "axum-aws 0.1.0");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Fields")]
#[non_exhaustive]
pub struct ModelFile {
    /// The format version the file was written in ([`FORMAT_VERSION`] for a new one).
    pub format_version: u32,
    /// The crate that wrote the file and its version: `"<name> <version>"`.
    pub writer: String,
    /// The model (its routes' diagnostics on their operations).
    pub spec: ApiSpec,
    /// The routes' diagnostics, as they travel beside the model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<RouteDiagnostics>,
}

/// What the model's writer found on one route and the reader reports: diagnostics,
/// which travel beside the model rather than in it.
///
/// ```
/// use axum_aws_spec::doc::{DeclaredFor, Operation};
/// use axum_aws_spec::exchange::ModelFile;
/// use axum_aws_spec::{ApiSettings, ApiSpec, Info, Method, RouteMeta};
///
/// let mut route = RouteMeta::new(Method::Get, "/a");
/// let mut operation = Operation::default();
/// operation.undocumented.push("my_crate::Session".into());
/// route.operation = Some(operation);
/// let spec = ApiSpec::new(Info::new("", ""), ApiSettings::default(), vec![route]);
/// let model = ModelFile::new("axum-aws 0.1.0", spec);
/// assert_eq!(model.diagnostics[0].route, 0);
/// assert_eq!(model.diagnostics[0].undocumented, ["my_crate::Session"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RouteDiagnostics {
    /// The route's index in the model's routes.
    pub route: usize,
    /// The methods and path its separately declared operation names, when they are not
    /// the route's ([`Operation::declared_for`](crate::doc::Operation)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_for: Option<DeclaredFor>,
    /// What its handler's types left undocumented
    /// ([`Operation::undocumented`](crate::doc::Operation)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undocumented: Vec<String>,
}

/// The diagnostics on `spec`'s routes.
fn diagnostics_of(spec: &ApiSpec) -> Vec<RouteDiagnostics> {
    spec.routes
        .iter()
        .enumerate()
        .filter_map(|(route, meta)| {
            let operation = meta.operation.as_ref()?;
            (operation.declared_for.is_some() || !operation.undocumented.is_empty()).then(|| {
                RouteDiagnostics {
                    route,
                    declared_for: operation.declared_for.clone(),
                    undocumented: operation.undocumented.clone(),
                }
            })
        })
        .collect()
}

/// Puts `diagnostics` back on `spec`'s routes (a diagnostic for a route the model lacks
/// is dropped: the file was not written by [`ModelFile::new`]).
fn attach(spec: &mut ApiSpec, diagnostics: &[RouteDiagnostics]) {
    for found in diagnostics {
        if let Some(route) = spec.routes.get_mut(found.route) {
            let operation = route.operation.get_or_insert_with(Default::default);
            operation.declared_for.clone_from(&found.declared_for);
            operation.undocumented.clone_from(&found.undocumented);
        }
    }
}

/// A model file's fields as serde reads them, before the diagnostics are put back.
#[derive(Deserialize)]
struct Fields {
    format_version: u32,
    writer: String,
    spec: ApiSpec,
    #[serde(default)]
    diagnostics: Vec<RouteDiagnostics>,
}

impl From<Fields> for ModelFile {
    fn from(mut fields: Fields) -> Self {
        attach(&mut fields.spec, &fields.diagnostics);
        Self {
            format_version: fields.format_version,
            writer: fields.writer,
            spec: fields.spec,
            diagnostics: fields.diagnostics,
        }
    }
}

impl ModelFile {
    /// A model file of this crate's [`FORMAT_VERSION`]; `writer` is `"<name> <version>"`
    /// of the crate that builds the model, e.g. `"axum-aws 0.1.0"`.
    ///
    /// ```
    /// use axum_aws_spec::exchange::ModelFile;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info};
    ///
    /// let spec = ApiSpec::new(Info::new("", ""), ApiSettings::default(), Vec::new());
    /// let model = ModelFile::new(concat!("my-writer ", "1.0.0"), spec);
    /// assert_eq!(model.writer, "my-writer 1.0.0");
    /// ```
    pub fn new(writer: impl Into<String>, spec: ApiSpec) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            writer: writer.into(),
            diagnostics: diagnostics_of(&spec),
            spec,
        }
    }

    /// Writes the model file to `path` (created or truncated).
    ///
    /// # Errors
    /// The file cannot be created or written.
    ///
    /// ```
    /// use axum_aws_spec::exchange::ModelFile;
    /// use axum_aws_spec::{ApiSettings, ApiSpec, Info};
    ///
    /// let spec = ApiSpec::new(Info::new("", ""), ApiSettings::default(), Vec::new());
    /// let path = std::env::temp_dir().join(format!("exchange-write-{}.json", std::process::id()));
    /// ModelFile::new("axum-aws 0.1.0", spec).write(&path)?;
    /// assert!(std::fs::read_to_string(&path)?.contains(r#""writer":"axum-aws 0.1.0""#));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write(&self, path: impl AsRef<Path>) -> io::Result<()> {
        std::fs::write(path, serde_json::to_vec(self)?)
    }

    /// Reads a model file: its `format_version` and `writer` first, then, if the version
    /// is [`FORMAT_VERSION`], the model.
    ///
    /// # Errors
    /// [`ReadError`]: the file cannot be read, is not a model file, is of another format
    /// version, or its model does not parse.
    ///
    /// ```
    /// use axum_aws_spec::exchange::{ModelFile, ReadError};
    ///
    /// let path = std::env::temp_dir().join(format!("exchange-read-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{"format_version": 999, "writer": "axum-aws 9.0.0", "spec": []}"#)?;
    /// let error = ModelFile::read(&path).unwrap_err();
    /// assert!(matches!(error, ReadError::OtherVersion { format_version: 999, .. }));
    /// assert!(error.to_string().contains("spec model format 999, written by axum-aws 9.0.0"));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Self, ReadError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        // One pass over the text: the header fields, then the model only if their
        // version is this one (another version's model is skipped unparsed).
        let mut header = None;
        let mut json = serde_json::Deserializer::from_slice(&bytes);
        let read = json
            .deserialize_map(Reader {
                header: &mut header,
            })
            .and_then(|model| json.end().map(|()| model));
        match (read, header) {
            (Ok(model), _) => Ok(model),
            (Err(_), Some((format_version, writer))) if format_version != FORMAT_VERSION => {
                Err(ReadError::OtherVersion {
                    path: path.to_path_buf(),
                    format_version,
                    writer,
                })
            }
            (Err(e), Some((_, writer))) => Err(ReadError::Model {
                path: path.to_path_buf(),
                writer,
                reason: e.to_string(),
            }),
            (Err(e), None) => Err(ReadError::NotAModelFile {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        }
    }
}

/// The fields of a model file's object.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    FormatVersion,
    Writer,
    Spec,
    Diagnostics,
    #[serde(other)]
    Other,
}

/// Reads a model file's object in one pass. `format_version` and `writer` come first (the
/// writer puts them there); once both are read they go to `header`, and the model is read
/// only if their version is [`FORMAT_VERSION`]. A model file of another version is an
/// error here, told apart by `header`.
struct Reader<'a> {
    header: &'a mut Option<(u32, String)>,
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = ModelFile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `format_version` and `writer`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ModelFile, A::Error> {
        let mut format_version = None;
        let mut writer = None;
        let mut spec = None;
        let mut diagnostics = Vec::new();
        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::FormatVersion => format_version = Some(map.next_value::<u32>()?),
                Field::Writer => writer = Some(map.next_value::<String>()?),
                Field::Spec => {
                    let (Some(version), Some(name)) = (format_version, &writer) else {
                        return Err(de::Error::custom(
                            "`spec` before `format_version` and `writer`",
                        ));
                    };
                    *self.header = Some((version, name.clone()));
                    if version != FORMAT_VERSION {
                        return Err(de::Error::custom("another format version"));
                    }
                    spec = Some(map.next_value::<ApiSpec>()?);
                }
                Field::Diagnostics => diagnostics = map.next_value()?,
                // A field a later format may add: skipped, as serde skips them.
                Field::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let format_version =
            format_version.ok_or_else(|| de::Error::missing_field("format_version"))?;
        let writer = writer.ok_or_else(|| de::Error::missing_field("writer"))?;
        *self.header = Some((format_version, writer.clone()));
        if format_version != FORMAT_VERSION {
            return Err(de::Error::custom("another format version"));
        }
        Ok(ModelFile::from(Fields {
            format_version,
            writer,
            spec: spec.ok_or_else(|| de::Error::missing_field("spec"))?,
            diagnostics,
        }))
    }
}

/// Why [`ModelFile::read`] failed.
///
/// ```
/// use axum_aws_spec::exchange::{ModelFile, ReadError};
///
/// let error = ModelFile::read("/nonexistent/model.json").unwrap_err();
/// assert!(matches!(&error, ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound));
/// assert!(error.to_string().starts_with(r#"cannot read the spec model file "/nonexistent/model.json": "#));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The file cannot be read (it is missing, or not readable).
    #[non_exhaustive]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// The file is not a model file: not JSON, or without a `format_version` number and
    /// a `writer` string.
    #[non_exhaustive]
    NotAModelFile {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said.
        reason: String,
    },
    /// A model file of another format version than [`FORMAT_VERSION`]: its model is not
    /// read, since the writer and this reader disagree on its shape.
    #[non_exhaustive]
    OtherVersion {
        /// The file.
        path: PathBuf,
        /// The file's format version.
        format_version: u32,
        /// The file's writer, `"<name> <version>"`.
        writer: String,
    },
    /// A model file of this format version whose model does not parse.
    #[non_exhaustive]
    Model {
        /// The file.
        path: PathBuf,
        /// The file's writer, `"<name> <version>"`.
        writer: String,
        /// What the JSON parser said.
        reason: String,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, source } => {
                write!(f, "cannot read the spec model file {path:?}: {source}")
            }
            Self::NotAModelFile { path, reason } => write!(
                f,
                "{path:?} is not a spec model file ({reason}); expected a JSON object with \
                 `format_version` and `writer`, as axum-aws's `AwsRouter::export_model` writes"
            ),
            Self::OtherVersion {
                path,
                format_version,
                writer,
            } => write!(
                f,
                "{path:?} is spec model format {format_version}, written by {writer}; \
                 axum-aws-spec {} reads format {FORMAT_VERSION}: read it with the release \
                 that matches {writer}",
                env!("CARGO_PKG_VERSION")
            ),
            Self::Model {
                path,
                writer,
                reason,
            } => write!(
                f,
                "{path:?}: the spec model written by {writer} does not parse as format \
                 {FORMAT_VERSION} ({reason})"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::LambdaProxy;
    use crate::{ApiSettings, Info, Method, RouteMeta};

    /// A file in a fresh directory for one test.
    fn scratch_file(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "axum-aws-spec-exchange-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("model.json")
    }

    fn spec() -> ApiSpec {
        let mut health = RouteMeta::new(Method::Get, "/health");
        health.integration = Some(LambdaProxy::new("${api_invoke_arn}").into());
        let widgets = RouteMeta::new(Method::Post, "/widgets/{id}");
        ApiSpec::new(
            Info::new("", ""),
            ApiSettings::default(),
            vec![health, widgets],
        )
    }

    #[test]
    fn a_written_model_reads_back_equal() {
        let path = scratch_file("round_trip");
        let written = ModelFile::new("axum-aws 0.1.0", spec());
        written.write(&path).unwrap();
        let read = ModelFile::read(&path).unwrap();
        assert_eq!(read, written);
        assert_eq!(read.format_version, FORMAT_VERSION);
        assert_eq!(read.writer, "axum-aws 0.1.0");
        assert_eq!(read.spec.routes.len(), 2);
    }

    #[test]
    fn the_header_comes_first() {
        let path = scratch_file("header_first");
        ModelFile::new("axum-aws 0.1.0", spec())
            .write(&path)
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(r#"{"format_version":6,"writer":"axum-aws 0.1.0","spec":{"#),
            "{text}"
        );
    }

    #[test]
    fn another_format_version_is_a_skew_even_if_its_model_would_not_parse() {
        let path = scratch_file("skew");
        // A future shape: `routes` is no longer a list.
        std::fs::write(
            &path,
            r#"{"format_version":7,"writer":"axum-aws 0.2.0","spec":{"routes":{"GET /":{}}}}"#,
        )
        .unwrap();
        let error = ModelFile::read(&path).unwrap_err();
        let ReadError::OtherVersion {
            format_version,
            writer,
            ..
        } = &error
        else {
            panic!("not a skew: {error:?}");
        };
        assert_eq!((*format_version, writer.as_str()), (7, "axum-aws 0.2.0"));
        assert_eq!(
            error.to_string(),
            format!(
                "{path:?} is spec model format 7, written by axum-aws 0.2.0; axum-aws-spec {} \
                 reads format 6: read it with the release that matches axum-aws 0.2.0",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn an_older_format_version_is_a_skew_too() {
        let path = scratch_file("older");
        std::fs::write(&path, r#"{"writer":"axum-aws 0.0.1","format_version":0}"#).unwrap();
        let error = ModelFile::read(&path).unwrap_err();
        assert!(
            matches!(error, ReadError::OtherVersion { format_version: 0, ref writer, .. } if writer == "axum-aws 0.0.1"),
            "{error:?}"
        );
    }

    #[test]
    fn a_bare_spec_or_other_text_is_not_a_model_file() {
        let path = scratch_file("not_a_model");
        // What the loader used to print: the spec without the header.
        let bare = serde_json::to_string(&spec()).unwrap();
        for text in [
            bare.as_str(),
            "starting up\n{}",
            "",
            r#"{"format_version":"1"}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            let error = ModelFile::read(&path).unwrap_err();
            assert!(
                matches!(error, ReadError::NotAModelFile { .. }),
                "{text:?}: {error:?}"
            );
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("{path:?} is not a spec model file (")),
                "{message}"
            );
            assert!(
                message.ends_with("; expected a JSON object with `format_version` and `writer`, as axum-aws's `AwsRouter::export_model` writes"),
                "{message}"
            );
        }
    }

    #[test]
    fn a_model_that_does_not_parse_names_its_writer() {
        let path = scratch_file("bad_model");
        std::fs::write(
            &path,
            r#"{"format_version":6,"writer":"axum-aws 0.1.0","spec":{"routes":7}}"#,
        )
        .unwrap();
        let error = ModelFile::read(&path).unwrap_err();
        assert!(
            matches!(error, ReadError::Model { ref writer, .. } if writer == "axum-aws 0.1.0"),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "{path:?}: the spec model written by axum-aws 0.1.0 does not parse as format 6 ("
            )),
            "{message}"
        );
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let path = scratch_file("missing");
        let error = ModelFile::read(&path).unwrap_err();
        assert!(
            matches!(&error, ReadError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound),
            "{error:?}"
        );
        assert!(std::error::Error::source(&error).is_some());
    }
}
