//! One endpoint resolution through the generated resolver (`cargo bench -p swage-tests`): a
//! region to its URL for GameLift Streams, and a FIPS one in a region found by pattern.

use gameliftstreams::endpoint::{resolve, EndpointParams};

fn main() {
    divan::main();
}

#[divan::bench]
fn region_to_url(bencher: divan::Bencher) {
    let params = EndpointParams::for_region("us-west-2");
    bencher.bench(|| resolve(divan::black_box(&params)).map(|e| e.url.len()));
}

#[divan::bench]
fn fips_region_by_pattern(bencher: divan::Bencher) {
    let params = EndpointParams {
        use_fips: true,
        ..EndpointParams::for_region("us-isof-east-9")
    };
    bencher.bench(|| resolve(divan::black_box(&params)).map(|e| e.url.len()));
}

#[divan::bench]
fn custom_endpoint(bencher: divan::Bencher) {
    let params = EndpointParams {
        endpoint: Some("https://example.com".into()),
        ..EndpointParams::default()
    };
    bencher.bench(|| resolve(divan::black_box(&params)).map(|e| e.url.len()));
}
