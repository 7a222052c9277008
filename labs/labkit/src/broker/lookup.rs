//! A snapshot of the environment that broker resolution reads: variables
//! (`MQTT_URL`, `DOCKER_HOST`, `HOME`, ...) and the directories searched for
//! broker programs.
//!
//! Resolution never reads `std::env` directly. The public constructors take
//! [`Lookup::from_process`]; tests build their own with [`Lookup::empty`] and
//! [`Lookup::var`], so they can run in parallel without changing the
//! process's environment under each other's feet.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Directories where Debian and others put daemons; an ordinary user's
/// `PATH` often lacks them, yet `mosquitto` lives in `/usr/sbin`.
const SBIN_DIRS: [&str; 3] = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

/// When set, the only directories (`:`-separated, like `PATH`) searched
/// for broker programs, nginx, chromium and chromedriver, instead of `PATH`
/// and the `sbin` directories.
pub const PROGRAMS_VAR: &str = "LABKIT_PROGRAMS_PATH";

/// The environment variables and program search path that broker
/// resolution is allowed to see.
///
/// Public for tests: labkit's own (`tests/broker_resolve.rs`,
/// `tests/nginx.rs`) hand [`super::Finder`] or [`crate::nginx::start_with`]
/// an empty or edited one to see what a reader without a program or with a
/// bad `MQTT_URL` gets. Labs never need it.
#[derive(Clone, Default)]
pub struct Lookup {
    vars: BTreeMap<String, String>,
    search_path: Vec<PathBuf>,
}

impl std::fmt::Debug for Lookup {
    /// Variable names only: their values may hold passwords (`REDIS_URL`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lookup")
            .field("vars", &self.vars.keys().collect::<Vec<_>>())
            .field("search_path", &self.search_path)
            .finish()
    }
}

impl Lookup {
    /// This process's environment: its variables, and `PATH` followed by
    /// the usual `sbin` directories; or, when [`PROGRAMS_VAR`] is set, only
    /// the directories it lists (a Mosquitto built under `~/opt`, or a test
    /// that shows what a machine without nginx gets).
    pub fn from_process() -> Self {
        let vars: BTreeMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        if let Some(dirs) = std::env::var_os(PROGRAMS_VAR) {
            let search_path = std::env::split_paths(&dirs).collect();
            return Lookup { vars, search_path };
        }
        let mut search_path: Vec<PathBuf> = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect())
            .unwrap_or_default();
        for dir in SBIN_DIRS {
            if !search_path.iter().any(|d| d == Path::new(dir)) {
                search_path.push(PathBuf::from(dir));
            }
        }
        Lookup { vars, search_path }
    }

    /// No variables and no directories: nothing will be found.
    pub fn empty() -> Self {
        Lookup::default()
    }

    /// The same lookup with `name` set to `value`.
    #[must_use]
    pub fn var(mut self, name: &str, value: &str) -> Self {
        self.vars.insert(name.to_owned(), value.to_owned());
        self
    }

    /// The same lookup with `name` unset.
    #[must_use]
    pub fn without(mut self, name: &str) -> Self {
        self.vars.remove(name);
        self
    }

    /// The same lookup searching only `dirs` for programs.
    #[must_use]
    pub fn search_path(mut self, dirs: impl IntoIterator<Item = impl Into<PathBuf>>) -> Self {
        self.search_path = dirs.into_iter().map(Into::into).collect();
        self
    }

    /// A variable's value; an empty value counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The first executable file called `name` in the search path.
    pub fn find_program(&self, name: &str) -> Option<PathBuf> {
        self.search_path
            .iter()
            .map(|dir| dir.join(name))
            .find(|p| is_executable(p))
    }

    /// Whether the reader (or a test) set [`PROGRAMS_VAR`]: programs are
    /// then looked for in its folders only, never in a package's own folder
    /// (PostgreSQL's `/usr/lib/postgresql/<version>/bin`).
    pub fn only_listed_folders(&self) -> bool {
        self.get(PROGRAMS_VAR).is_some()
    }

    /// The search path joined as a `PATH` value, for child processes that
    /// look up helpers themselves (RabbitMQ's script runs `erl`).
    pub(crate) fn path_value(&self) -> OsString {
        std::env::join_paths(&self.search_path).unwrap_or_default()
    }
}

fn is_executable(path: &Path) -> bool {
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}
