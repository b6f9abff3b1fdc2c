//! A request body whose type does not derive `ToSchema`: the error names the type and
//! the trait, not only the handler.

use axum::Json;
use axum::extract::Path;
use axum_aws::AwsRouter;
use axum_aws::routing::post;

#[derive(serde::Deserialize, serde::Serialize)]
struct Note {
    text: String,
}

async fn add_note(Path(_order): Path<String>, Json(note): Json<Note>) -> String {
    note.text
}

fn main() {
    let _router: AwsRouter = AwsRouter::new().route("/orders/{order}/notes", post(add_note));
}
