//! Reading a lab's pcap file back with Wireshark's own dissectors.
//!
//! A decoder we wrote is checked best against one we did not: `tshark`, the
//! command-line Wireshark, reads the files [`super::pcap`] writes. Tests use
//! these helpers so that "tshark is missing" is one clear failure that says
//! how to install it, never a silent skip.

use std::path::Path;
use std::process::Command;

/// Why tshark could not answer.
#[derive(Debug, thiserror::Error)]
pub enum TsharkError {
    #[error("cannot run tshark ({0}); install it with `sudo apt-get install tshark`")]
    Missing(std::io::Error),
    #[error("tshark {args} failed: {stderr}")]
    Failed { args: String, stderr: String },
}

/// Runs `tshark -r FILE ARGS...` and returns its output lines.
pub fn run(file: &Path, args: &[&str]) -> Result<Vec<String>, TsharkError> {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args(args)
        .output()
        .map_err(TsharkError::Missing)?;
    if !out.status.success() {
        return Err(TsharkError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// The values of `fields` for every packet matching `filter`, with TCP
/// `port` decoded as `protocol` (lab servers listen on random ports, so
/// tshark must be told what they speak). Empty fields are left out of a row.
pub fn fields(
    file: &Path,
    port: u16,
    protocol: &str,
    filter: &str,
    fields: &[&str],
) -> Result<Vec<Vec<String>>, TsharkError> {
    let decode_as = format!("tcp.port=={port},{protocol}");
    let mut args = vec!["-d", &decode_as, "-Y", filter, "-T", "fields"];
    for field in fields {
        args.extend(["-e", field]);
    }
    Ok(run(file, &args)?
        .into_iter()
        .map(|line| {
            line.split('\t')
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect())
}
