//! The one error the checking core defines, in a module of its own: both the value model
//! (`value.rs`, which decodes arguments) and the probe protocol (`probe.rs`, which reports them)
//! need it, and neither should have to import the other to get it.

use std::fmt;

/// A case's inputs could not be turned into the function's arguments: a fault of the grader or
/// the fixture, never of the student. The text says which input and why, and is shown as is.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_shown_as_is() {
        let e = InputError("input `x` is missing".into());
        assert_eq!(e.to_string(), "input `x` is missing");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "input `x` is missing");
    }
}
