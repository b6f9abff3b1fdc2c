//! `aws-spec`: see the library crate `aws_spec` for everything it does.

use std::process::ExitCode;

use aws_spec::cli::{Cli, refuse_old_version_flag};
use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    if let Err(message) = refuse_old_version_flag(&args) {
        Cli::command()
            .error(clap::error::ErrorKind::UnknownArgument, message)
            .exit();
    }
    let command = Cli::parse_from(args)
        .into_command()
        .unwrap_or_else(|error| error.exit());
    aws_spec::exit(aws_spec::execute(command))
}
