use super::*;

const REGION: usize = 0;
const USE_FIPS: usize = 1;
const ENDPOINT: usize = 2;
const BUCKET: usize = 3;
const PARTITION_RESULT: usize = 4;
const URL: usize = 5;
const ARN: usize = 6;

/// A rule set in the shape AWS services use, plus the functions AWS services rarely do.
static RULES: RuleSet = RuleSet {
    parameters: &[
        Parameter {
            name: "Region",
            required: false,
        },
        Parameter {
            name: "UseFIPS",
            required: true,
        },
        Parameter {
            name: "Endpoint",
            required: false,
        },
        Parameter {
            name: "Bucket",
            required: false,
        },
    ],
    slots: 7,
    rules: &[
        Rule {
            conditions: &[
                Condition {
                    expr: Expr::Call(Function::IsSet, &[Expr::Ref(ENDPOINT)]),
                    assign: None,
                },
                Condition {
                    expr: Expr::Call(Function::ParseUrl, &[Expr::Ref(ENDPOINT)]),
                    assign: Some(URL),
                },
            ],
            then: Then::Tree(&[
                Rule {
                    conditions: &[Condition {
                        expr: Expr::Call(
                            Function::BooleanEquals,
                            &[Expr::Ref(USE_FIPS), Expr::Bool(true)],
                        ),
                        assign: None,
                    }],
                    then: Then::Error(Expr::Str(
                        "Invalid Configuration: FIPS and custom endpoint are not supported",
                    )),
                },
                Rule {
                    conditions: &[],
                    then: Then::Endpoint(EndpointRule {
                        url: Expr::Template(&[
                            Part::Value(Expr::GetAttr(&Expr::Ref(URL), &[Step::Key("scheme")])),
                            Part::Text("://"),
                            Part::Value(Expr::GetAttr(&Expr::Ref(URL), &[Step::Key("authority")])),
                            Part::Value(Expr::GetAttr(
                                &Expr::Ref(URL),
                                &[Step::Key("normalizedPath")],
                            )),
                            Part::Text("v1"),
                        ]),
                        properties: &[],
                        headers: &[(
                            "x-custom",
                            &[
                                Expr::Str("a"),
                                Expr::Template(&[
                                    Part::Text("ip="),
                                    Part::Value(Expr::GetAttr(
                                        &Expr::Ref(URL),
                                        &[Step::Key("isIp")],
                                    )),
                                ]),
                            ],
                        )],
                    }),
                },
            ]),
        },
        Rule {
            conditions: &[
                Condition {
                    expr: Expr::Call(Function::IsSet, &[Expr::Ref(BUCKET)]),
                    assign: None,
                },
                Condition {
                    expr: Expr::Call(Function::AwsParseArn, &[Expr::Ref(BUCKET)]),
                    assign: Some(ARN),
                },
            ],
            then: Then::Endpoint(EndpointRule {
                url: Expr::Template(&[
                    Part::Text("https://"),
                    Part::Value(Expr::GetAttr(
                        &Expr::Ref(ARN),
                        &[Step::Key("resourceId"), Step::Index(1)],
                    )),
                    Part::Text("."),
                    Part::Value(Expr::GetAttr(&Expr::Ref(ARN), &[Step::Key("region")])),
                    Part::Text(".example.com"),
                ]),
                properties: &[(
                    "authSchemes",
                    Expr::Array(&[Expr::Record(&[
                        ("name", Expr::Str("sigv4")),
                        (
                            "signingName",
                            Expr::Template(&[Part::Value(Expr::GetAttr(
                                &Expr::Ref(ARN),
                                &[Step::Key("service")],
                            ))]),
                        ),
                        (
                            "signingRegion",
                            Expr::Template(&[Part::Value(Expr::GetAttr(
                                &Expr::Ref(ARN),
                                &[Step::Key("region")],
                            ))]),
                        ),
                        ("disableDoubleEncoding", Expr::Bool(true)),
                    ])]),
                )],
                headers: &[],
            }),
        },
        Rule {
            conditions: &[Condition {
                expr: Expr::Call(Function::IsSet, &[Expr::Ref(REGION)]),
                assign: None,
            }],
            then: Then::Tree(&[Rule {
                conditions: &[Condition {
                    expr: Expr::Call(Function::AwsPartition, &[Expr::Ref(REGION)]),
                    assign: Some(PARTITION_RESULT),
                }],
                then: Then::Tree(&[
                    Rule {
                        conditions: &[
                            Condition {
                                expr: Expr::Call(
                                    Function::BooleanEquals,
                                    &[Expr::Ref(USE_FIPS), Expr::Bool(true)],
                                ),
                                assign: None,
                            },
                            Condition {
                                expr: Expr::Call(
                                    Function::Not,
                                    &[Expr::GetAttr(
                                        &Expr::Ref(PARTITION_RESULT),
                                        &[Step::Key("supportsFIPS")],
                                    )],
                                ),
                                assign: None,
                            },
                        ],
                        then: Then::Error(Expr::Template(&[
                            Part::Text("FIPS is not supported in "),
                            Part::Value(Expr::Ref(REGION)),
                        ])),
                    },
                    Rule {
                        conditions: &[Condition {
                            expr: Expr::Call(
                                Function::BooleanEquals,
                                &[Expr::Ref(USE_FIPS), Expr::Bool(true)],
                            ),
                            assign: None,
                        }],
                        then: Then::Endpoint(EndpointRule {
                            url: Expr::Template(&[
                                Part::Text("https://svc-fips."),
                                Part::Value(Expr::Ref(REGION)),
                                Part::Text("."),
                                Part::Value(Expr::GetAttr(
                                    &Expr::Ref(PARTITION_RESULT),
                                    &[Step::Key("dnsSuffix")],
                                )),
                            ]),
                            properties: &[],
                            headers: &[],
                        }),
                    },
                    Rule {
                        conditions: &[Condition {
                            expr: Expr::Call(
                                Function::IsValidHostLabel,
                                &[Expr::Ref(REGION), Expr::Bool(false)],
                            ),
                            assign: None,
                        }],
                        then: Then::Endpoint(EndpointRule {
                            url: Expr::Template(&[
                                Part::Text("https://svc."),
                                Part::Value(Expr::Ref(REGION)),
                                Part::Text("."),
                                Part::Value(Expr::GetAttr(
                                    &Expr::Ref(PARTITION_RESULT),
                                    &[Step::Key("dualStackDnsSuffix")],
                                )),
                            ]),
                            properties: &[],
                            headers: &[],
                        }),
                    },
                ]),
            }]),
        },
        Rule {
            conditions: &[],
            then: Then::Error(Expr::Str("Invalid Configuration: Missing Region")),
        },
    ],
};

fn resolve(
    region: Option<&str>,
    fips: bool,
    endpoint: Option<&str>,
    bucket: Option<&str>,
) -> Result<Endpoint, EndpointError> {
    RULES.resolve(
        &[region.into(), fips.into(), endpoint.into(), bucket.into()],
        Partitions::builtin(),
    )
}

#[test]
fn regions_resolve_through_partitions() {
    assert_eq!(
        resolve(Some("us-west-2"), false, None, None).map(|e| e.url),
        Ok("https://svc.us-west-2.api.aws".to_owned())
    );
    assert_eq!(
        resolve(Some("cn-north-1"), false, None, None).map(|e| e.url),
        Ok("https://svc.cn-north-1.api.amazonwebservices.com.cn".to_owned())
    );
    assert_eq!(
        resolve(Some("us-gov-west-1"), true, None, None).map(|e| e.url),
        Ok("https://svc-fips.us-gov-west-1.amazonaws.com".to_owned())
    );
    // Not listed, but matches the partition's pattern.
    assert_eq!(
        resolve(Some("us-isof-east-9"), false, None, None).map(|e| e.url),
        Ok("https://svc.us-isof-east-9.csp.hci.ic.gov".to_owned())
    );
    // Unknown everywhere: the `aws` partition.
    assert_eq!(
        resolve(Some("mars-north-1"), false, None, None).map(|e| e.url),
        Ok("https://svc.mars-north-1.api.aws".to_owned())
    );
}

#[test]
fn error_rules_and_exhaustion() {
    assert_eq!(
        resolve(None, false, None, None),
        Err(EndpointError::Rule(
            "Invalid Configuration: Missing Region".into()
        ))
    );
    assert_eq!(
        resolve(None, true, Some("https://example.com"), None).map_err(|e| e.to_string()),
        Err("Invalid Configuration: FIPS and custom endpoint are not supported".to_owned())
    );
    // The region tree matches but none of its rules does: exhaustion is an error, not a fall-through.
    assert_eq!(
        resolve(Some("not a label"), false, None, None),
        Err(EndpointError::NoRuleMatched)
    );
    // A required parameter without a value.
    assert_eq!(
        RULES.resolve(
            &[Arg::Str("us-east-1"), Arg::Unset, Arg::Unset, Arg::Unset],
            Partitions::builtin()
        ),
        Err(EndpointError::MissingParameter("UseFIPS"))
    );
    assert!(matches!(
        RULES.resolve(&[Arg::Unset], Partitions::builtin()),
        Err(EndpointError::Invalid(_))
    ));
}

#[test]
fn custom_endpoints_go_through_parse_url() {
    let e = resolve(
        Some("us-east-1"),
        false,
        Some("http://127.0.0.1:8080/base"),
        None,
    )
    .unwrap();
    assert_eq!(e.url, "http://127.0.0.1:8080/base/v1");
    assert_eq!(
        e.headers.get("x-custom"),
        Some(&vec!["a".to_owned(), "ip=true".to_owned()])
    );
    // A URL with a query doesn't parse, so the rule doesn't match and the region rules apply.
    let e = resolve(
        Some("us-east-1"),
        false,
        Some("https://example.com?x=1"),
        None,
    )
    .unwrap();
    assert_eq!(e.url, "https://svc.us-east-1.api.aws");
}

#[test]
fn arns_and_properties() {
    let e = resolve(
        None,
        false,
        None,
        Some("arn:aws:s3:eu-west-1:123456789012:accesspoint/my-ap"),
    )
    .unwrap();
    assert_eq!(e.url, "https://my-ap.eu-west-1.example.com");
    assert_eq!(e.signing_name(), Some("s3"));
    assert_eq!(e.signing_region(), Some("eu-west-1"));
    let scheme = e.auth_scheme("sigv4").unwrap();
    assert_eq!(
        scheme.get("disableDoubleEncoding"),
        Some(&Document::Bool(true))
    );
    // Not an ARN: the variable assigned by the failed rule is gone, and the next rule applies.
    assert_eq!(
        resolve(None, false, None, Some("bucket")),
        Err(EndpointError::Rule(
            "Invalid Configuration: Missing Region".into()
        ))
    );
}

#[test]
fn parse_url_follows_the_spec_examples() {
    let u = parse_url("https://example.com").unwrap();
    assert_eq!(
        (
            u.scheme.as_str(),
            u.authority.as_str(),
            u.path.as_str(),
            u.normalized_path.as_str(),
            u.is_ip
        ),
        ("https", "example.com", "", "/", false)
    );
    // The path is kept exactly as written; only normalizedPath adds slashes.
    let u = parse_url("https://example.com/").unwrap();
    assert_eq!((u.path.as_str(), u.normalized_path.as_str()), ("/", "/"));
    let u = parse_url("https://example.com/a//b").unwrap();
    assert_eq!(
        (u.path.as_str(), u.normalized_path.as_str()),
        ("/a//b", "/a//b/")
    );
    assert!(parse_url("https://example.com:8443?foo=bar&faz=baz").is_none());
    let u = parse_url("http://example.com:80/foo/bar").unwrap();
    assert_eq!(
        (
            u.authority.as_str(),
            u.path.as_str(),
            u.normalized_path.as_str()
        ),
        ("example.com:80", "/foo/bar", "/foo/bar/")
    );
    assert!(parse_url("https://127.0.0.1").unwrap().is_ip);
    let u = parse_url("https://[fe80::1]").unwrap();
    assert_eq!((u.authority.as_str(), u.is_ip), ("[fe80::1]", true));
    assert!(parse_url("https://[fe80::1]:443/x").unwrap().is_ip);
    assert!(!parse_url("https://1.2.3.256").unwrap().is_ip);
    for bad in [
        "example.com",
        "https://",
        "https://user@host",
        "https://host#frag",
        "https://host:port",
        "1http://x",
        "https://a b",
    ] {
        assert!(parse_url(bad).is_none(), "{bad}");
    }
}

#[test]
fn host_labels() {
    assert!(is_valid_host_label("us-east-1", false));
    assert!(is_valid_host_label("a", false));
    assert!(is_valid_host_label(&"a".repeat(63), false));
    assert!(!is_valid_host_label(&"a".repeat(64), false));
    assert!(!is_valid_host_label("-a", false));
    assert!(!is_valid_host_label("", false));
    assert!(!is_valid_host_label("a.b", false));
    assert!(is_valid_host_label("a.b", true));
    assert!(!is_valid_host_label("a..b", true));
    assert!(!is_valid_host_label("a_b", true));
    assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
    assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
    assert!(!is_virtual_hostable_s3_bucket("ab", false));
    assert!(!is_virtual_hostable_s3_bucket("my.bucket", false));
    assert!(is_virtual_hostable_s3_bucket("my.bucket", true));
    assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
    assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
}

#[test]
fn arns() {
    let a = parse_arn("arn:aws:iam::012345678910:user/johndoe").unwrap();
    assert_eq!(
        (
            a.partition.as_str(),
            a.service.as_str(),
            a.region.as_str(),
            a.account_id.as_str()
        ),
        ("aws", "iam", "", "012345678910")
    );
    assert_eq!(a.resource_id, ["user", "johndoe"]);
    let a = parse_arn("arn:aws:s3:::bucket_name").unwrap();
    assert_eq!(a.resource_id, ["bucket_name"]);
    let a = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e9801d129EXAMPLE:x").unwrap();
    assert_eq!(a.resource_id, ["vpc", "vpc-0e9801d129EXAMPLE", "x"]);
    for bad in [
        "11111111-2222-3333-4444-555555555555",
        "arn:aws:s3:::",
        "arn::s3:::b",
        "arn:aws::::b",
        "arn:aws:s3:us-east-1",
        "ARN:aws:s3:::b",
    ] {
        assert!(parse_arn(bad).is_none(), "{bad}");
    }
}

#[test]
fn substrings_and_encoding() {
    assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
    assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
    assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
    assert_eq!(substring("abc", 0, 4, false), None);
    assert_eq!(substring("abc", 2, 2, false), None);
    assert_eq!(substring("ab\u{e9}cd", 0, 2, false), None);
    assert_eq!(
        uri_encode("a b/c:d~e_f.g-h%\u{e9}"),
        "a%20b%2Fc%3Ad~e_f.g-h%25%C3%A9"
    );
}

#[test]
fn user_partitions_file() {
    let text = r#"{"version": "1.1", "partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {"us-east-1": {"description": "N. Virginia", "supportsDualStack": false}},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws", "implicitGlobalRegion": "us-east-1", "supportsFIPS": true, "supportsDualStack": true}},
        {"id": "moon", "regionRegex": "^moon\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"name": "moon", "dnsSuffix": "amazonaws.moon", "dualStackDnsSuffix": "api.moon", "implicitGlobalRegion": "moon-east-1", "supportsFIPS": false, "supportsDualStack": true}}
    ]}"#;
    let p = Partitions::from_json(text).unwrap();
    assert_eq!(
        p.resolve("moon-east-2").map(|o| o.dns_suffix.as_str()),
        Some("amazonaws.moon")
    );
    assert_eq!(
        p.resolve("us-east-1").map(|o| o.supports_dual_stack),
        Some(false)
    );
    assert_eq!(
        p.resolve("us-west-2").map(|o| o.supports_dual_stack),
        Some(true)
    );
    let args = [
        Arg::Str("moon-east-2"),
        Arg::Bool(true),
        Arg::Unset,
        Arg::Unset,
    ];
    assert_eq!(
        RULES.resolve(&args, &p),
        Err(EndpointError::Rule(
            "FIPS is not supported in moon-east-2".into()
        ))
    );

    for (bad, wanted) in [
        ("[]", "`partitions`"),
        (r#"{"partitions": [{"id": "x"}]}"#, "regionRegex"),
        (
            r#"{"partitions": [{"id": "x", "regionRegex": "(", "outputs": {}}]}"#,
            "outputs have no",
        ),
        (
            r#"{"partitions": [{"id": "x", "regionRegex": "(", "outputs": {"name": "x", "dnsSuffix": "a", "dualStackDnsSuffix": "b", "implicitGlobalRegion": "c", "supportsFIPS": true, "supportsDualStack": true}}]}"#,
            "not a valid pattern",
        ),
        (
            r#"{"partitions": [{"id": "x", "regionRegex": "x", "outputs": {"name": 1}}]}"#,
            "must be a string",
        ),
        ("{", "invalid partitions data"),
    ] {
        let e = Partitions::from_json(bad).unwrap_err().to_string();
        assert!(e.contains(wanted), "{bad}: {e}");
    }
}

#[test]
fn builtin_partitions_all_load() {
    assert_eq!(Partitions::builtin().partitions.len(), BUILTIN_COUNT);
}

const BUILTIN_COUNT: usize = 7;
