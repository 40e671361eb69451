//! Opens an admin shell on a GameLift Streams stream session: calls
//! `CreateStreamSessionAdminShell` and prints the session id and stream URL.
//!
//! ```sh
//! cargo run -p gameliftstreams --example admin_shell --features blocking -- \
//!     --region us-west-2 --stream-group sg-1AB2C3De4 --stream-session ABC123def4567 \
//!     [--endpoint URL] [--print-plugin-command]
//! ```
//!
//! Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
//! The token the service returns is a credential valid for 60 seconds, so it is printed only
//! inside the Session Manager plugin command, and only with `--print-plugin-command`.
//!
//! (This file is hand-written; it lives beside the model so that `generated/` stays entirely
//! generated, and the generated `Cargo.toml` lists it.)

use gameliftstreams::client::{blocking::Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: admin_shell --region REGION --stream-group ID --stream-session ID [--endpoint URL] [--print-plugin-command]";

struct Args {
    region: Option<String>,
    endpoint: Option<String>,
    stream_group: String,
    stream_session: String,
    print_plugin_command: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut region, mut endpoint, mut group, mut session, mut print) =
        (None, None, None, None, false);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--region" => region = Some(value()?),
            "--endpoint" => endpoint = Some(value()?),
            "--stream-group" => group = Some(value()?),
            "--stream-session" => session = Some(value()?),
            "--print-plugin-command" => print = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(Args {
        region,
        endpoint,
        stream_group: group.ok_or_else(|| format!("--stream-group is required\n{USAGE}"))?,
        stream_session: session.ok_or_else(|| format!("--stream-session is required\n{USAGE}"))?,
        print_plugin_command: print,
    })
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut config = Config::builder();
    if let Some(region) = args.region.or_else(|| std::env::var("AWS_REGION").ok()) {
        config = config.region(region);
    }
    if let Some(endpoint) = args.endpoint {
        config = config.endpoint_url(endpoint);
    }
    let client = Client::new(config.build());
    let result = client
        .create_stream_session_admin_shell()
        .identifier(args.stream_group)
        .stream_session_identifier(args.stream_session)
        .send_with_metadata();
    match result {
        Ok(sent) => {
            let output = sent.output;
            println!("SessionId: {}", output.session_id().unwrap_or("-"));
            println!("StreamUrl: {}", output.stream_url().unwrap_or("-"));
            if let Some(id) = &sent.request_id {
                println!(
                    "RequestId: {id} ({} attempt{})",
                    sent.attempts,
                    if sent.attempts == 1 { "" } else { "s" }
                );
            }
            if args.print_plugin_command {
                let response = format!(
                    r#"{{"SessionId":"{}","StreamUrl":"{}","TokenValue":"{}"}}"#,
                    output.session_id().unwrap_or_default(),
                    output.stream_url().unwrap_or_default(),
                    output.token_value().unwrap_or_default()
                );
                let region = client.config().region().unwrap_or("us-west-2");
                println!("session-manager-plugin '{response}' {region} StartSession");
            } else {
                println!("(the session token is valid for 60 seconds; --print-plugin-command prints the Session Manager plugin command with it)");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
