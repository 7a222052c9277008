//! The book's chapter order, read from `book/SUMMARY.md`, and the check that
//! `exercises.toml` follows it.
//!
//! A chapter lives in a folder named `<number>-<slug>` (`book/03-realtime`),
//! and the slug is the prefix of its exercises' names (`realtime-replay`).
//! `cargo exercises` suggests the next exercise in the manifest's order, so
//! that order must be the order in which a reader meets the chapters.

use std::path::Path;

use crate::manifest::Exercise;

/// Where the book's table of contents is, from the repository's root.
pub const SUMMARY: &str = "book/SUMMARY.md";

/// The chapter slugs linked from a `SUMMARY.md`, in its order, each once:
/// `[...](01-rest/index.md)` gives `rest`.
pub fn book_order(summary: &str) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::new();
    for (_, after) in summary
        .match_indices("](")
        .map(|(i, _)| summary.split_at(i + 2))
    {
        let link = after.split(')').next().unwrap_or("");
        let Some(folder) = Path::new(link).components().next() else {
            continue;
        };
        let folder = folder.as_os_str().to_string_lossy();
        let Some((number, slug)) = folder.split_once('-') else {
            continue;
        };
        if !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
            && !slug.is_empty()
            && !slugs.iter().any(|s| s == slug)
        {
            slugs.push(slug.to_string());
        }
    }
    slugs
}

/// Where `exercises` (in the manifest's order) stray from `chapters` (the
/// book's order): `(exercise, problem)` pairs.
pub fn check_order(exercises: &[Exercise], chapters: &[String]) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    // The exercise whose chapter is the furthest into the book so far.
    let mut furthest: Option<(usize, &Exercise)> = None;
    for ex in exercises {
        let Some(at) = chapters.iter().position(|c| *c == ex.chapter) else {
            problems.push((
                ex.name.clone(),
                format!(
                    "the book has no chapter `{}`: {SUMMARY} links no folder `NN-{}/`",
                    ex.chapter, ex.chapter
                ),
            ));
            continue;
        };
        match furthest {
            Some((before, other)) if at < before => problems.push((
                ex.name.clone(),
                format!(
                    "exercises.toml lists it after `{}`, but its chapter ({}, chapter {}) comes before {} (chapter {}) in {SUMMARY}: list the exercises in the book's order",
                    other.name,
                    ex.chapter,
                    at + 1,
                    other.chapter,
                    before + 1
                ),
            )),
            Some((before, _)) if at == before => {}
            _ => furthest = Some((at, ex)),
        }
    }
    problems
}
