//! Numbers printed for people: "41.2 µs", "3.50 MiB", "12.5k", "3.25x".
//!
//! Every lab prints through these, so a reader moving between chapters sees
//! the same units with the same precision: three significant digits, which is
//! more than a shared machine can measure reproducibly anyway.

use std::time::Duration;

/// How many times `a` is `b`: the labs report "HTTP costs 10x raw TCP".
///
/// Infinite when `b` is zero and `a` is not; NaN when both are zero.
pub fn ratio(a: f64, b: f64) -> f64 {
    a / b
}

/// How many times `a` took `b`: "MQTT connect took 2.0x raw TCP".
///
/// Infinite when `b` is zero and `a` is not; NaN when both are zero.
pub fn duration_ratio(a: Duration, b: Duration) -> f64 {
    ratio(a.as_secs_f64(), b.as_secs_f64())
}

/// A ratio for a table, three significant digits: "3.25x", "10.0x",
/// "0.908x", "1230x"; "n/a" when undefined.
pub fn fmt_ratio(r: f64) -> String {
    if !r.is_finite() {
        return "n/a".to_string();
    }
    format!("{}x", three_digits(r))
}

/// A byte count in binary units: "512 B", "1.50 KiB", "3.42 MiB".
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{} {}", three_digits(value), UNITS[unit])
}

/// A duration in the unit that suits it: "850 ns", "41.2 µs", "4.56 ms",
/// "1.20 s".
pub fn human_duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns < 1_000.0 {
        format!("{ns} ns")
    } else if ns < 1_000_000.0 {
        format!("{} µs", three_digits(ns / 1_000.0))
    } else if ns < 1_000_000_000.0 {
        format!("{} ms", three_digits(ns / 1_000_000.0))
    } else {
        format!("{} s", three_digits(ns / 1_000_000_000.0))
    }
}

/// A time given in microseconds (as in [`super::LatencySummary`]), printed
/// like [`human_duration`]; "n/a" when not a number.
pub fn human_micros(us: f64) -> String {
    if !us.is_finite() || us < 0.0 {
        return "n/a".to_string();
    }
    human_duration(Duration::from_nanos((us * 1_000.0).round() as u64))
}

/// A count or a rate with a metric suffix: "999", "12.5k", "3.40M"; "n/a"
/// when not a number. Write the unit after it: `format!("{} msg/s", ..)`.
pub fn human_count(n: f64) -> String {
    if !n.is_finite() {
        return "n/a".to_string();
    }
    let abs = n.abs();
    if abs < 1_000.0 && n.fract() == 0.0 {
        format!("{n:.0}")
    } else if abs < 1_000.0 {
        three_digits(n)
    } else if abs < 1e6 {
        format!("{}k", three_digits(n / 1e3))
    } else if abs < 1e9 {
        format!("{}M", three_digits(n / 1e6))
    } else {
        format!("{}G", three_digits(n / 1e9))
    }
}

/// Three significant digits, no exponent: 0.123, 1.23, 12.3, 123, 12345.
fn three_digits(x: f64) -> String {
    let abs = x.abs();
    let decimals = if abs == 0.0 || abs >= 100.0 {
        0
    } else if abs >= 10.0 {
        1
    } else if abs >= 1.0 {
        2
    } else {
        3
    };
    format!("{x:.decimals$}")
}
