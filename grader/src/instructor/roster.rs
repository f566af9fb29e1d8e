//! The class roster (`grade --roster FILE`): a CSV file that maps each submission folder to the
//! student's identities in the learning management system, so that the Canvas and Moodle exports
//! match students by id instead of by folder name.
//!
//! The header names the columns, in any order and any subset of `folder` (required), `id`,
//! `name`, `email`, `sis_id`, `login` and `section`; case, spaces and `_` do not matter, and the
//! names Canvas exports (`Student`, `SIS User ID`, `SIS Login ID`) are understood too.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// One student as the roster knows them; empty where the roster has no such column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    /// The LMS's own user id (Canvas's `ID`).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// The institution's id (Canvas's `SIS User ID`, Moodle's `ID number`).
    pub sis_id: String,
    /// The login (Canvas's `SIS Login ID`).
    pub login: String,
    /// Section.
    pub section: String,
}

/// The roster: people by submission folder name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    /// By folder name.
    pub people: BTreeMap<String, Person>,
}

/// The column a header cell names, if any.
fn column(header: &str) -> Option<&'static str> {
    let key: String = header.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    Some(match key.as_str() {
        "folder" | "submission" | "directory" => "folder",
        "id" | "userid" | "canvasid" => "id",
        "name" | "student" | "fullname" => "name",
        "email" | "emailaddress" => "email",
        "sisid" | "sisuserid" | "idnumber" => "sis_id",
        "login" | "sisloginid" | "username" => "login",
        "section" => "section",
        _ => return None,
    })
}

impl Roster {
    /// Reads the roster at `path`; every problem names the file and the line.
    pub fn load(path: &Path) -> Result<Roster> {
        let text = std::fs::read(path).with_context(|| format!("reading the roster {}", path.display()))?;
        Roster::parse(&text).with_context(|| format!("in the roster {}", path.display()))
    }

    /// Parses roster CSV text.
    pub fn parse(text: &[u8]) -> Result<Roster> {
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text);
        let headers = reader.headers().context("line 1: no header")?.clone();
        let columns: Vec<Option<&str>> = headers.iter().map(column).collect();
        let Some(folder_at) = columns.iter().position(|c| *c == Some("folder")) else {
            bail!(
                "line 1: no `folder` column (the header is {:?}); the roster needs the name of each \
                 student's submission folder",
                headers.iter().collect::<Vec<_>>()
            );
        };
        for (i, c) in columns.iter().enumerate() {
            if c.is_some() && columns[..i].contains(c) {
                bail!("line 1: two columns mean {:?}", c.unwrap_or_default());
            }
        }
        let mut roster = Roster::default();
        for (n, record) in reader.records().enumerate() {
            let line = n + 2;
            let record = record.with_context(|| format!("line {line}"))?;
            let folder = record.get(folder_at).unwrap_or_default().to_string();
            if folder.is_empty() {
                bail!("line {line}: the folder is empty");
            }
            let mut person = Person::default();
            for (value, c) in record.iter().zip(&columns) {
                let slot = match c {
                    Some("id") => &mut person.id,
                    Some("name") => &mut person.name,
                    Some("email") => &mut person.email,
                    Some("sis_id") => &mut person.sis_id,
                    Some("login") => &mut person.login,
                    Some("section") => &mut person.section,
                    _ => continue,
                };
                *slot = value.to_string();
            }
            if roster.people.insert(folder.clone(), person).is_some() {
                bail!("line {line}: the folder {folder:?} is on the roster twice");
            }
        }
        Ok(roster)
    }

    /// Who is on one side only: (graded folders the roster does not list, roster folders nobody
    /// submitted), each sorted.
    pub fn unmatched<'a>(
        &'a self,
        graded: impl IntoIterator<Item = &'a String>,
    ) -> (Vec<String>, Vec<String>) {
        let graded: std::collections::BTreeSet<&String> = graded.into_iter().collect();
        let unlisted =
            graded.iter().filter(|g| !self.people.contains_key(**g)).map(|g| g.to_string()).collect();
        let absent = self.people.keys().filter(|f| !graded.contains(f)).cloned().collect();
        (unlisted, absent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_subset_of_columns_in_any_order_with_canvas_names() {
        let text = "\u{feff}SIS User ID, Folder ,Student,Section\nS1,alice,\"Doe, Alice\",A\nS2,bob,Bob,B\n";
        let roster = Roster::parse(text.as_bytes()).unwrap();
        assert_eq!(roster.people.len(), 2);
        let alice = &roster.people["alice"];
        assert_eq!(
            (alice.sis_id.as_str(), alice.name.as_str(), alice.section.as_str()),
            ("S1", "Doe, Alice", "A")
        );
        assert_eq!(alice.email, "");
    }

    #[test]
    fn bad_rosters_are_refused_with_the_line() {
        let err = |text: &str| format!("{:#}", Roster::parse(text.as_bytes()).unwrap_err());
        assert!(err("name,email\nA,a@x\n").contains("no `folder` column"));
        assert!(
            err("folder,id\nalice,1\nalice,2\n")
                .contains("line 3: the folder \"alice\" is on the roster twice")
        );
        assert!(err("folder,id\n,1\n").contains("line 2: the folder is empty"));
        assert!(err("folder,id\nalice,1,extra\n").contains("line 2"));
        assert!(err("folder,sis_id,SIS User ID\nalice,1,2\n").contains("two columns"));
    }

    #[test]
    fn both_kinds_of_unmatched_are_found() {
        let roster = Roster::parse(b"folder\nalice\ncarol\n").unwrap();
        let graded = ["alice".to_string(), "bob".to_string()];
        assert_eq!(roster.unmatched(&graded), (vec!["bob".into()], vec!["carol".into()]));
    }
}
