//! Which file each build compiles an exercise from, on a folder laid out
//! like an exercises package. (Tests of their own rather than unit tests:
//! the exercise runner includes src/lib.rs by path, and would run them
//! again.)

use std::path::PathBuf;

use exercise_build::{Build, declarations, modules, source};

#[test]
fn build_values_round_trip_and_bad_ones_say_what_to_use() {
    for build in [
        Build::Starter,
        Build::Solution,
        Build::Wrong(1),
        Build::Wrong(12),
    ] {
        assert_eq!(Build::parse(&build.to_string()), Ok(build));
    }
    assert_eq!(Build::parse(""), Ok(Build::Starter));
    for bad in ["wrong-0", "wrong-", "wrong", "solutions", "Starter"] {
        let err = Build::parse(bad).unwrap_err();
        assert!(
            err.contains("use `starter`, `solution` or `wrong-K`"),
            "{err}"
        );
    }
}

#[test]
fn each_build_takes_its_file_and_missing_variants_fall_back_to_the_solution() {
    let dir = tempdir();
    let p = dir.as_path();
    for file in [
        "src/etag.rs",
        "src/cache.rs",
        "solutions/etag.rs",
        "solutions/cache.rs",
        "wrong/etag/b-second.rs",
        "wrong/etag/a-first.rs",
        "wrong/etag/notes.md",
    ] {
        std::fs::create_dir_all(p.join(file).parent().unwrap()).unwrap();
        std::fs::write(p.join(file), "").unwrap();
    }
    assert_eq!(modules(p).unwrap(), ["cache", "etag"]);
    assert_eq!(source(p, "etag", Build::Starter), p.join("src/etag.rs"));
    assert_eq!(
        source(p, "etag", Build::Solution),
        p.join("solutions/etag.rs")
    );
    assert_eq!(
        source(p, "etag", Build::Wrong(1)),
        p.join("wrong/etag/a-first.rs")
    );
    assert_eq!(
        source(p, "etag", Build::Wrong(2)),
        p.join("wrong/etag/b-second.rs")
    );
    assert_eq!(
        source(p, "etag", Build::Wrong(3)),
        p.join("solutions/etag.rs"),
        "no third variant: the solution"
    );
    assert_eq!(
        source(p, "cache", Build::Wrong(1)),
        p.join("solutions/cache.rs"),
        "no variants at all: the solution"
    );

    let text = declarations(p, Build::Wrong(2)).unwrap();
    let wrong = p.join("wrong/etag/b-second.rs");
    let cache = p.join("solutions/cache.rs");
    assert!(
        text.contains(&format!(
            "#[path = {:?}]\npub mod cache;\n\n#[path = {:?}]\npub mod etag;\n",
            cache.to_str().unwrap(),
            wrong.to_str().unwrap()
        )),
        "{text}"
    );
    std::fs::remove_dir_all(p).unwrap();
}

#[test]
fn a_file_that_cannot_be_a_module_is_refused() {
    let dir = tempdir();
    std::fs::create_dir_all(dir.join("solutions")).unwrap();
    let err = modules(&dir).unwrap_err();
    assert!(err.contains("holds no solutions"), "{err}");
    std::fs::write(dir.join("solutions/topic-bus.rs"), "").unwrap();
    let err = modules(&dir).unwrap_err();
    assert!(err.contains("lowercase letters, digits and `_`"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh folder (this crate has no dependencies, so no `tempfile`).
fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "exercise-build-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
