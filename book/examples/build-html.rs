//! Builds the book's HTML into a folder: `cargo run -p nnlab-book --example build-html -- <OUT>`.
//! The browser check of `.ci/run` serves that folder on localhost and opens every chapter.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: cargo run -p nnlab-book --example build-html -- <OUT>");
        return ExitCode::from(2);
    };
    // mdbook resolves a relative build folder against the book's own folder, not ours.
    let out = std::env::current_dir().map(|dir| dir.join(out)).unwrap_or_default();
    let built = mdbook_driver::MDBook::load(nnlab_book::workbook_root().join("book")).and_then(|mut book| {
        book.config.build.build_dir = out;
        book.build()
    });
    match built {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the book does not build: {e:#}");
            ExitCode::FAILURE
        }
    }
}
