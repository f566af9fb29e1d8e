//! Writes the book's generated pages and figures (`cargo run -p nnlab-book`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let root = nnlab_book::workbook_root();
    let files = match nnlab_book::generate(&root) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let src = root.join("book/src");
    for file in files {
        let path = src.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.content.as_str()) {
            continue;
        }
        let written = std::fs::create_dir_all(path.parent().expect("files live in folders"))
            .and_then(|()| std::fs::write(&path, &file.content));
        if let Err(e) = written {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote book/src/{}", file.path.display());
    }
    ExitCode::SUCCESS
}
