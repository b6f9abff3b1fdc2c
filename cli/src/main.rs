//! `aws-spec`: see the library crate `aws_spec` for everything it does.

use std::process::ExitCode;

use aws_spec::cli::Cli;
use clap::Parser;

fn main() -> ExitCode {
    let command = Cli::parse()
        .into_command()
        .unwrap_or_else(|error| error.exit());
    aws_spec::exit(aws_spec::execute(command))
}
