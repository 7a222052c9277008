//! Grading tests for `frontier-crdt-counter`.

use lab_frontier_exercises::crdt_counter::Counter;
use labkit::grade::expect_eq;

/// Two replicas merge with each other, each way.
fn sync(a: &mut Counter, b: &mut Counter) {
    let (a0, b0) = (a.clone(), b.clone());
    a.merge(&b0);
    b.merge(&a0);
}

#[test]
fn concurrent_increments_on_two_replicas_both_count() {
    let (mut a, mut b) = (Counter::new(1), Counter::new(2));
    a.increment(3);
    b.increment(4);
    sync(&mut a, &mut b);
    expect_eq(a.value(), 7, "after merging, replica A shows 3 + 4");
    expect_eq(b.value(), 7, "after merging, replica B shows 3 + 4");
}

#[test]
fn merging_the_same_state_twice_changes_nothing() {
    let (mut a, mut b) = (Counter::new(1), Counter::new(2));
    a.increment(3);
    b.increment(4);
    a.merge(&b);
    a.merge(&b);
    expect_eq(a.value(), 7, "merging B into A twice counts B's 4 once");
}

#[test]
fn decrements_travel_too() {
    let (mut a, mut b) = (Counter::new(1), Counter::new(2));
    a.increment(5);
    b.decrement(2);
    sync(&mut a, &mut b);
    expect_eq(a.value(), 3, "A sees B's decrement of 2");
    expect_eq(b.value(), 3, "B sees A's increment of 5");
}

#[test]
fn three_replicas_converge_whatever_the_order() {
    let (mut a, mut b, mut c) = (Counter::new(1), Counter::new(2), Counter::new(3));
    a.increment(10);
    b.increment(1);
    b.decrement(4);
    c.increment(2);
    let (a0, b0, c0) = (a.clone(), b.clone(), c.clone());
    a.merge(&b0);
    a.merge(&c0);
    c.merge(&b0);
    c.merge(&a0);
    b.merge(&c);
    expect_eq(
        a.value(),
        9,
        "A, having merged B then C, shows 10 + 1 - 4 + 2",
    );
    expect_eq(c.value(), 9, "C, having merged B then A, shows the same");
    expect_eq(
        b.value(),
        9,
        "B, having merged C's merged state, shows the same",
    );
}
