//! Builds a CreateStreamSessionAdminShell request and parses a canned response, printing both.

use gameliftstreams::operation::create_stream_session_admin_shell::{
    CreateStreamSessionAdminShell, CreateStreamSessionAdminShellError,
    CreateStreamSessionAdminShellInput,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input = CreateStreamSessionAdminShellInput::builder()
        .identifier("sg-1AB2C3De4")
        .stream_session_identifier("ABC123def4567")
        .build()?;
    // The endpoint comes from the model's rule set: a region is all it takes.
    let endpoint = gameliftstreams::endpoint::resolve(
        &gameliftstreams::endpoint::EndpointParams::for_region("us-west-2"),
    )?;
    let request = CreateStreamSessionAdminShell::build_request(&input, &endpoint.url)?;
    println!("{} {}", request.method(), request.uri());
    assert_eq!(
        request.uri().to_string(),
        "https://gameliftstreams.us-west-2.api.aws/streamgroups/sg-1AB2C3De4/streamsessions/ABC123def4567/access"
    );

    let mut headers = gameliftstreams::http::HeaderMap::new();
    headers.insert("x-amzn-requestid", "req-1".parse()?);
    let output = CreateStreamSessionAdminShell::parse_response(
        200,
        &headers,
        br#"{"SessionId":"sess-1","StreamUrl":"wss://ssm.example/stream","TokenValue":"t0k3n"}"#,
    )?;
    println!(
        "session {} at {}",
        output.session_id().unwrap_or("?"),
        output.stream_url().unwrap_or("?")
    );
    println!("{output:?}");
    assert_eq!(output.session_id(), Some("sess-1"));
    assert!(!format!("{output:?}").contains("t0k3n"));

    headers.insert("x-amzn-errortype", "ThrottlingException".parse()?);
    match CreateStreamSessionAdminShell::parse_response(
        429,
        &headers,
        br#"{"Message":"slow down"}"#,
    ) {
        Err(CreateStreamSessionAdminShellError::ThrottlingException(e)) => {
            println!("throttled: {e}")
        }
        other => return Err(format!("expected throttling, got {other:?}").into()),
    }
    let invalid = CreateStreamSessionAdminShellInput::builder()
        .identifier("not valid")
        .build();
    if let Err(violations) = invalid {
        println!("{violations}");
    }
    Ok(())
}
