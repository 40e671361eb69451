//! Amazon S3 Glacier: the checksums its uploads must carry.

/// Adds the checksums Glacier requires of uploads, unless the caller set them:
/// `X-Amz-Content-Sha256` (hex SHA-256 of the body) and `X-Amz-Sha256-Tree-Hash` (hex tree hash).
pub fn checksums(mut builder: http::request::Builder, body: &[u8]) -> http::request::Builder {
    let has = |b: &http::request::Builder, name: &str| {
        b.headers_ref().is_some_and(|h| h.contains_key(name))
    };
    if !has(&builder, "x-amz-content-sha256") {
        builder = builder.header(
            "x-amz-content-sha256",
            crate::digest::hex(&crate::digest::sha256(body)),
        );
    }
    if !has(&builder, "x-amz-sha256-tree-hash") {
        builder = builder.header(
            "x-amz-sha256-tree-hash",
            crate::digest::hex(&crate::digest::sha256_tree_hash(body)),
        );
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_carry_both_hashes_unless_set() {
        let b = checksums(http::Request::builder(), b"hello world");
        let h = b.headers_ref().unwrap();
        let want = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(
            (
                h["x-amz-content-sha256"].to_str().unwrap(),
                h["x-amz-sha256-tree-hash"].to_str().unwrap()
            ),
            (want, want)
        );
        // A tree hash the caller computed is kept.
        let b = checksums(
            http::Request::builder().header("x-amz-sha256-tree-hash", "abc"),
            b"hello world",
        );
        assert_eq!(b.headers_ref().unwrap()["x-amz-sha256-tree-hash"], "abc");
    }
}
