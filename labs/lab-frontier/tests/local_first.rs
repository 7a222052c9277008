//! Claims of "Local-first sync": two Yjs replicas edited apart converge
//! whichever side dials, the sync moves the edits rather than the
//! document, and a late joiner catches up.

use lab_frontier::sync::{self, measure};

#[tokio::test]
async fn replicas_edited_apart_converge_whichever_side_dials() {
    let o = measure(100).await.unwrap();
    assert_eq!(
        o.a_dials.0, o.a_dials.1,
        "A dialled B: the two texts differ"
    );
    assert_eq!(
        o.b_dials.0, o.b_dials.1,
        "B dialled A: the two texts differ"
    );
    assert_eq!(
        o.a_dials.0, o.b_dials.0,
        "the order of the sync changed the result"
    );
    for edit in ["[A] reconciled", "[B] exported", " (refund)"] {
        assert!(o.a_dials.0.contains(edit), "the merge lost {edit:?}");
    }
}

#[tokio::test]
async fn the_sync_moves_less_than_either_whole_document() {
    let o = measure(1000).await.unwrap();
    let whole = o.whole_a.min(o.whole_b) as u64;
    assert!(
        o.moved.from_dialer * 10 < whole && o.moved.to_dialer * 10 < whole,
        "sync {:?} bytes against a whole document of {whole}",
        o.moved
    );
}

#[tokio::test]
async fn a_late_joiner_receives_the_whole_state_and_converges() {
    let o = measure(100).await.unwrap();
    assert_eq!(o.late, o.a_dials.0);
    assert!(
        o.late_received >= o.whole_a as u64,
        "an empty replica needs everything: got {} bytes, the document is {}",
        o.late_received,
        o.whole_a
    );
}

#[test]
fn concurrent_inserts_at_the_same_place_keep_both() {
    let (a, b) = sync::base(3);
    sync::insert(&a, 0, "x");
    sync::insert(&b, 0, "y");
    let (ua, ub) = (sync::whole(&a), sync::whole(&b));
    use yrs::updates::decoder::Decode;
    use yrs::{Transact, Update};
    a.transact_mut()
        .apply_update(Update::decode_v1(&ub).unwrap())
        .unwrap();
    b.transact_mut()
        .apply_update(Update::decode_v1(&ua).unwrap())
        .unwrap();
    let (ta, tb) = (sync::text_of(&a), sync::text_of(&b));
    assert_eq!(ta, tb);
    assert!(ta.starts_with("xy") || ta.starts_with("yx"), "{ta:?}");
}
