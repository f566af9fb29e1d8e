//! Builds the book's HTML into a folder: `cargo run -p nnlab-book --example build-html -- <OUT>
//! [BOOK]`, BOOK being the book's folder (default: the workbook's `book/`; `grader release` builds
//! the student edition's). The browser check of `.ci/run` serves OUT on localhost and opens every
//! chapter.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1) else {
        eprintln!("usage: cargo run -p nnlab-book --example build-html -- <OUT> [BOOK]");
        return ExitCode::from(2);
    };
    // mdbook resolves a relative build folder against the book's own folder, not ours.
    let out = std::env::current_dir().map(|dir| dir.join(out)).unwrap_or_default();
    let source =
        std::env::args_os().nth(2).map_or_else(|| nnlab_book::workbook_root().join("book"), Into::into);
    let built = mdbook_driver::MDBook::load(source).and_then(|mut book| {
        book.config.build.build_dir = out.clone();
        book.build()?;
        nnlab_book::search::tidy(&out)
    });
    match built {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the book does not build: {e:#}");
            ExitCode::FAILURE
        }
    }
}
