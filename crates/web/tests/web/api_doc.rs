//! The API's document and its router are one table: every operation the router serves is
//! described, with its parameters, its request schema and its error responses, and answers at
//! the method the document names.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use super::{Client, send};

/// Operations that take no request body (the path says everything).
const BODILESS: [(&str, &str); 4] = [
    ("delete", "/api/v1/session"),
    ("post", "/api/v1/meetings/{id}/adopt"),
    ("post", "/api/v1/reviews/{id}/lock"),
    ("post", "/api/v1/programme/pushes/{id}"),
];

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.push((method.clone(), path.clone(), op.clone()));
            }
        }
    }
    out
}

fn refers_to_error_body(response: &Value) -> bool {
    response["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .is_some_and(|r| r.ends_with("/ApiErrorBody"))
}

#[tokio::test]
async fn every_route_is_a_documented_operation_with_its_request_schema_and_errors() {
    let (_, doc) = dangvu_web::api::router();
    let doc = serde_json::to_value(&doc).unwrap();
    let ops = operations(&doc);
    assert!(ops.len() >= 54, "only {} operations", ops.len());
    let mut faults = Vec::new();
    for (method, path, op) in &ops {
        let at = format!("{} {path}", method.to_uppercase());
        if op["description"].as_str().unwrap_or_default().is_empty()
            && op["summary"].as_str().unwrap_or_default().is_empty()
        {
            faults.push(format!("{at}: no description"));
        }
        // Every `{param}` of the path is declared.
        let declared: Vec<&str> = op["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter_map(|p| p["name"].as_str()).collect())
            .unwrap_or_default();
        for seg in path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                && !declared.contains(&name)
            {
                faults.push(format!("{at}: path parameter {name} undeclared"));
            }
        }
        let writes = method != "get";
        let bodiless = BODILESS.contains(&(method.as_str(), path.as_str()));
        if writes && !bodiless {
            // A JSON body, or a file sent as the body (imports).
            let content = &op["requestBody"]["content"];
            let schema = if content["application/json"].is_object() {
                &content["application/json"]["schema"]
            } else {
                &content["application/octet-stream"]["schema"]
            };
            if !schema.is_object() {
                faults.push(format!("{at}: no request schema"));
            }
        }
        let responses = op["responses"].as_object().expect("responses");
        let errors = responses
            .iter()
            .filter(|(code, _)| code.starts_with('4'))
            .collect::<Vec<_>>();
        if errors.is_empty() || !errors.iter().all(|(_, r)| refers_to_error_body(r)) {
            faults.push(format!(
                "{at}: error responses missing or without ApiErrorBody"
            ));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    // The document served is the router's own.
    let db = dangvu_testkit::TestDb::new(dangvu_store::Backend::Sqlite).await;
    let app = db.app();
    let admin = Client::admin(&app).await;
    let served = super::get(&admin, "/api/v1/openapi.json").await.json();
    assert_eq!(served["paths"], doc["paths"]);
    // Each operation is routed at the method the document names (never 405).
    for (method, path, _) in &ops {
        if path == "/api/v1/session" {
            continue;
        }
        let uri = concrete(path);
        let req = Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", admin.csrf.as_str())
            .body(Body::from("{}"))
            .unwrap();
        let r = send(&admin, req).await;
        assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(
            r.status.is_success() || r.json()["error"].is_string(),
            "{method} {uri}: {} {}",
            r.status,
            r.body
        );
    }
    // A body that is not a JSON object gets the API's error with a Vietnamese message, at
    // every operation that reads one, before anything else is looked at.
    for (method, path, _) in &ops {
        let file_body = path.contains("/import/") || path.ends_with("/file");
        if method == "get" || BODILESS.contains(&(method.as_str(), path.as_str())) || file_body {
            continue;
        }
        let uri = concrete(path);
        for bad in ["{\"name\": ", "[1, 2]"] {
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-csrf-token", admin.csrf.as_str())
                .body(Body::from(bad))
                .unwrap();
            let r = send(&admin, req).await;
            assert_eq!(
                r.status,
                StatusCode::BAD_REQUEST,
                "{method} {uri} {bad}: {}",
                r.body
            );
            let j = r.json();
            assert_eq!(j["error"], "invalid_input", "{method} {uri}");
            assert_eq!(
                j["fields"]["json"], "không đọc được: cần một đối tượng JSON hợp lệ",
                "{method} {uri}"
            );
        }
    }
    db.cleanup().await;
}

/// A documented path with every parameter an id nobody uses.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "999999" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}
