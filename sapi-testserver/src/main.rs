//! `nq-sapi-testserver [--port N] [--scenario JSON] [-- COMMAND ARGS...]`: runs the local SAPI
//! test server on 127.0.0.1. It prints `NQ_SAPI_ENDPOINT=<url>` on its first line of output.
//! With a command, it runs the command with `DWAVE_API_ENDPOINT`, `DWAVE_API_TOKEN` and
//! `NQ_SAPI_CONTROL` set, stops when the command ends and exits with its status; without one,
//! it serves until stdin closes (so a parent that dies takes the server with it).

use neuroquant_sapi_testserver::{DEFAULT_TOKEN, Scenario, Server};
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut port = 0u16;
    let mut scenario = Scenario::default();
    let mut command: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--port" => {
                port = args
                    .get(i + 1)
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| usage("--port needs a number"));
                i += 2;
            }
            "--scenario" => {
                let text = args.get(i + 1).unwrap_or_else(|| usage("--scenario needs JSON"));
                let v: serde_json::Value =
                    serde_json::from_str(text).unwrap_or_else(|e| usage(&format!("--scenario: {e}")));
                scenario = Scenario::from_json(&v).unwrap_or_else(|e| usage(&e));
                i += 2;
            }
            "--" => {
                command = args[i + 1..].to_vec();
                break;
            }
            other => usage(&format!("unknown argument {other:?}")),
        }
    }
    let token = scenario.token.clone();
    let server = Server::start_on(port, scenario).unwrap_or_else(|e| {
        eprintln!("nq-sapi-testserver: cannot listen: {e}");
        std::process::exit(2)
    });
    let endpoint = server.endpoint();
    println!("NQ_SAPI_ENDPOINT={endpoint}");
    let _ = std::io::stdout().flush();
    if command.is_empty() {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        return;
    }
    let status = std::process::Command::new(&command[0])
        .args(&command[1..])
        .env("DWAVE_API_ENDPOINT", &endpoint)
        .env(
            "DWAVE_API_TOKEN",
            if token.is_empty() { DEFAULT_TOKEN } else { &token },
        )
        .env(
            "NQ_SAPI_CONTROL",
            format!("http://127.0.0.1:{}/_nq/", server.port()),
        )
        .status()
        .unwrap_or_else(|e| {
            eprintln!("nq-sapi-testserver: cannot run {:?}: {e}", command[0]);
            std::process::exit(2)
        });
    drop(server);
    std::process::exit(status.code().unwrap_or(1));
}

fn usage(message: &str) -> ! {
    eprintln!(
        "nq-sapi-testserver: {message}\nusage: nq-sapi-testserver [--port N] [--scenario JSON] [-- COMMAND ARGS...]"
    );
    std::process::exit(2)
}
