//! Declares this package's exercise modules, one per file in `solutions/`,
//! in `$OUT_DIR/exercises.rs`, which src/lib.rs includes. Each module is
//! compiled from your starter in `src/`, unless `cargo exercises verify`
//! asks (through `LABKIT_EXERCISE_BUILD`) for the reference solution or a
//! known-wrong variant instead. The rules are in labs/exercise-build.

fn main() {
    exercise_build::generate();
}
