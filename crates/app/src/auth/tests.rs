use super::*;

/// An unknown name must cost a full Argon2 verification, like a real account: the dummy
/// hash has to parse, or the answer would come back faster and tell the name is unknown.
#[tokio::test]
async fn the_dummy_hash_costs_a_real_verification() {
    use argon2::password_hash::phc::PasswordHash;
    assert!(
        PasswordHash::new(DUMMY_HASH).is_ok(),
        "dummy hash does not parse"
    );
    assert!(!verify_hash("anything at all 123".into(), DUMMY_HASH.into()).await);
}
