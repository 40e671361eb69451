//! XML response decoding, the whole path from body bytes to typed output (`cargo bench -p
//! swage-tests --bench xml_decode`): a generated client's `parse_response` (the pull reader of
//! `swage_runtime::xml`, over `xmlparser`, straight into the generated types), against
//! `roxmltree` (the DOM its author builds on the same `xmlparser`) parsing the same body into a
//! tree and walking it into equivalent structs, and against building the tree alone. The body
//! is a `ListObjectsV2` page of the S3 fixture: flattened `Contents` with a key, a timestamp,
//! an ETag, a size and a storage class each, as S3 sends them.

use s3::DateTime;

fn main() {
    divan::main();
}

/// A `ListBucketResult` of about `bytes` bytes.
fn body(bytes: usize) -> Vec<u8> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>mybucket</Name><Prefix>photos/</Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>",
    );
    let mut i = 0usize;
    while out.len() < bytes {
        out.push_str(&format!(
            "<Contents><Key>photos/2025/{}/img &amp; {}.jpg</Key><LastModified>2025-04-{:02}T10:{:02}:00.000Z</LastModified><ETag>&quot;{:032x}&quot;</ETag><Size>{}</Size><StorageClass>{}</StorageClass></Contents>",
            i % 12,
            i,
            1 + i % 28,
            i % 60,
            i * 7919,
            i * 31,
            if i.is_multiple_of(5) { "GLACIER" } else { "STANDARD" }
        ));
        i += 1;
    }
    out.push_str("<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>");
    out.into_bytes()
}

/// What the tree walk produces: the same fields as the generated types.
#[allow(dead_code)]
struct Object {
    key: Option<String>,
    last_modified: Option<DateTime>,
    e_tag: Option<String>,
    size: Option<i64>,
    storage_class: Option<String>,
}

#[allow(dead_code)]
struct Page {
    name: Option<String>,
    key_count: Option<i32>,
    is_truncated: Option<bool>,
    contents: Vec<Object>,
    next: Option<String>,
}

fn text(n: roxmltree::Node<'_, '_>) -> Option<String> {
    Some(n.text().unwrap_or_default().to_owned())
}

/// `roxmltree`: the tree, then a walk into [`Page`].
fn roxmltree_decode(body: &[u8]) -> Result<Page, String> {
    let text_body = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    let doc = roxmltree::Document::parse(text_body).map_err(|e| e.to_string())?;
    let mut page = Page {
        name: None,
        key_count: None,
        is_truncated: None,
        contents: Vec::new(),
        next: None,
    };
    for child in doc.root_element().children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "Name" => page.name = text(child),
            "KeyCount" => page.key_count = child.text().and_then(|t| t.parse().ok()),
            "IsTruncated" => page.is_truncated = child.text().and_then(|t| t.parse().ok()),
            "NextContinuationToken" => page.next = text(child),
            "Contents" => {
                let mut o = Object {
                    key: None,
                    last_modified: None,
                    e_tag: None,
                    size: None,
                    storage_class: None,
                };
                for f in child.children().filter(|n| n.is_element()) {
                    match f.tag_name().name() {
                        "Key" => o.key = text(f),
                        "LastModified" => {
                            o.last_modified =
                                f.text().and_then(|t| DateTime::parse_date_time(t).ok())
                        }
                        "ETag" => o.e_tag = text(f),
                        "Size" => o.size = f.text().and_then(|t| t.parse().ok()),
                        "StorageClass" => o.storage_class = text(f),
                        _ => {}
                    }
                }
                page.contents.push(o);
            }
            _ => {}
        }
    }
    Ok(page)
}

const SIZES: [usize; 2] = [1 << 20, 8 << 20];

#[divan::bench(args = SIZES, sample_count = 40)]
fn swage_parse_response(bencher: divan::Bencher, size: usize) {
    use s3::operation::list_objects_v2::ListObjectsV2;
    let input = body(size);
    let headers = s3::http::HeaderMap::new();
    // The same body decodes, and both decoders read the same objects.
    let out = ListObjectsV2::parse_response(200, &headers, &input).expect("the body decodes");
    let tree = roxmltree_decode(&input).expect("the body decodes");
    let contents = out.contents().unwrap_or_default();
    assert!(contents.len() > 1000);
    assert_eq!(contents.len(), tree.contents.len());
    assert_eq!(contents[1].key(), tree.contents[1].key.as_deref());
    assert_eq!(contents[1].key(), Some("photos/2025/1/img & 1.jpg"));
    assert_eq!(contents[1].last_modified(), tree.contents[1].last_modified);
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| {
            ListObjectsV2::parse_response(200, &headers, &input)
                .map(|o| o.contents().map_or(0, <[_]>::len))
        });
}

#[divan::bench(args = SIZES, sample_count = 40)]
fn roxmltree_tree_and_walk(bencher: divan::Bencher, size: usize) {
    let input = body(size);
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| roxmltree_decode(&input).map(|p| p.contents.len()));
}

#[divan::bench(args = SIZES, sample_count = 40)]
fn roxmltree_tree_only(bencher: divan::Bencher, size: usize) {
    let input = body(size);
    bencher
        .counter(divan::counter::BytesCount::new(input.len()))
        .bench(|| {
            let text = std::str::from_utf8(&input).map_err(|e| e.to_string())?;
            roxmltree::Document::parse(text)
                .map(|d| d.root_element().children().count())
                .map_err(|e| e.to_string())
        });
}
