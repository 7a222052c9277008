//! The measurement math on inputs whose answers are known: percentiles,
//! merging, rates, medians of rounds and the human-readable formats every
//! table uses.

use std::cell::Cell;
use std::time::Duration;

use labkit::measure::{
    Latencies, Rounds, Throughput, duration_ratio, fmt_ratio, human_bytes, human_count,
    human_duration, human_micros, median, median_of, ratio, time_per_op,
};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Within the histogram's 3 significant digits (0.1%).
fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= want * 0.001
}

#[test]
fn percentiles_of_1_to_100_ms() {
    let lat: Latencies = (1..=100).map(ms).collect();
    let s = lat.summary();
    println!("{s:?}");
    assert_eq!(s.count, 100);
    assert!(close(s.p50_us, 50_000.0), "p50 = {} µs", s.p50_us);
    assert!(close(s.p99_us, 99_000.0), "p99 = {} µs", s.p99_us);
    assert_eq!(s.max_us, 100_000.0, "max is exact");
    assert_eq!(s.mean_us, 50_500.0, "mean is exact");
}

#[test]
fn quantiles_never_exceed_the_real_maximum() {
    let lat: Latencies = [Duration::from_nanos(100_000_123)].into_iter().collect();
    assert_eq!(lat.quantile(1.0), Duration::from_nanos(100_000_123));
    assert_eq!(lat.summary().p99_us, lat.summary().max_us);
}

#[test]
fn merging_equals_recording_everything_in_one() {
    let mut odd: Latencies = (1..=100).filter(|n| n % 2 == 1).map(ms).collect();
    let even: Latencies = (1..=100).filter(|n| n % 2 == 0).map(ms).collect();
    odd.merge(&even);
    let all: Latencies = (1..=100).map(ms).collect();
    assert_eq!(odd.len(), 100);
    assert_eq!(odd.summary(), all.summary());
}

#[test]
fn an_empty_set_summarises_to_zeros() {
    let lat = Latencies::new();
    assert!(lat.is_empty());
    let s = lat.summary();
    assert_eq!((s.count, s.p50_us, s.max_us, s.mean_us), (0, 0.0, 0.0, 0.0));
}

#[test]
fn microsecond_samples_keep_their_precision() {
    let lat: Latencies = [4_100, 4_200, 70_000]
        .map(Duration::from_nanos)
        .into_iter()
        .collect();
    let s = lat.summary();
    assert!(close(s.p50_us, 4.2), "p50 = {} µs", s.p50_us);
    assert_eq!(s.max_us, 70.0);
}

#[test]
fn throughput_rates() {
    let t = Throughput::new(10_000, 2_560_000, Duration::from_millis(500));
    assert_eq!(t.msgs_per_sec(), 20_000.0);
    assert_eq!(t.bytes_per_sec(), 5_120_000.0);
    assert_eq!(t.bytes_per_message(), 256.0);
    let s = t.summary();
    assert_eq!((s.messages, s.bytes, s.elapsed_s), (10_000, 2_560_000, 0.5));
}

#[test]
fn undefined_rates_are_nan_not_zero() {
    let t = Throughput::new(5, 10, Duration::ZERO);
    assert!(t.msgs_per_sec().is_nan());
    assert!(Throughput::new(0, 0, ms(1)).bytes_per_message().is_nan());
    assert_eq!(human_count(t.msgs_per_sec()), "n/a");
}

#[test]
fn ratios_and_their_display() {
    assert_eq!(ratio(12.0, 4.0), 3.0);
    assert_eq!(fmt_ratio(ratio(13.0, 4.0)), "3.25x");
    assert_eq!(fmt_ratio(ratio(41.0, 4.1)), "10.0x");
    assert_eq!(fmt_ratio(ratio(1230.0, 1.0)), "1230x");
    assert_eq!(fmt_ratio(ratio(1.0, 0.0)), "n/a");
    assert_eq!(duration_ratio(ms(30), ms(12)), 2.5);
    assert_eq!(fmt_ratio(duration_ratio(ms(9), ms(10))), "0.900x");
    assert_eq!(fmt_ratio(duration_ratio(ms(0), ms(0))), "n/a");
}

#[test]
fn the_median_is_a_sample_that_was_measured() {
    assert_eq!(median(&[5, 1, 4, 2, 3]), Some(3));
    // An even count keeps the upper middle sample, not an average of two.
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(3.0));
    assert_eq!(median::<u32>(&[]), None);
    // Seven rounds whose results are known: the fourth smallest wins.
    let next = Cell::new(0);
    let seven = [70, 10, 60, 20, 50, 30, 40];
    let got = median_of(7, || {
        next.set(next.get() + 1);
        seven[next.get() - 1]
    });
    assert_eq!((got, next.get()), (40, 7));
    assert_eq!(median_of(0, || 9), 9, "zero rounds run one");
}

#[test]
fn time_per_op_runs_the_op_reps_times() {
    let calls = Cell::new(0u32);
    let per_op = time_per_op(1000, || calls.set(calls.get() + 1));
    assert_eq!(calls.get(), 1000);
    assert!(per_op < Duration::from_secs(1));
    time_per_op(0, || calls.set(calls.get() + 1));
    assert_eq!(calls.get(), 1001, "zero reps run one");
}

#[test]
fn interleaved_rounds_keep_one_median_per_thing() {
    let mut rounds = Rounds::new();
    assert_eq!(rounds.medians(), None);
    // A busy moment in the second round slows both things; the median drops it.
    rounds.push([ms(10), ms(20)]);
    rounds.push([ms(90), ms(95)]);
    rounds.push([ms(11), ms(19)]);
    assert_eq!(rounds.len(), 3);
    assert_eq!(rounds.medians(), Some([ms(11), ms(20)]));
}

#[test]
fn human_units() {
    assert_eq!(human_bytes(512), "512 B");
    assert_eq!(human_bytes(1536), "1.50 KiB");
    assert_eq!(human_bytes(3 * 1024 * 1024 + 512 * 1024), "3.50 MiB");
    assert_eq!(human_duration(Duration::from_nanos(850)), "850 ns");
    assert_eq!(human_duration(Duration::from_nanos(41_234)), "41.2 µs");
    assert_eq!(
        human_duration(ms(4) + Duration::from_micros(560)),
        "4.56 ms"
    );
    assert_eq!(human_duration(Duration::from_millis(1200)), "1.20 s");
    assert_eq!(human_micros(41.234), "41.2 µs");
    assert_eq!(human_count(999.0), "999");
    assert_eq!(human_count(12_500.0), "12.5k");
    assert_eq!(human_count(3_400_000.0), "3.40M");
}
