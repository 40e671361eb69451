//! Scenarios against moto at `SWAGE_E2E_ENDPOINT`, each run with the blocking and the async
//! client. Every step checks what the service answered; the first failure ends the run.

use std::collections::HashMap;

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A client configuration for moto: its endpoint, a region, static test credentials.
macro_rules! config {
    ($krate:ident, $endpoint:expr) => {
        $krate::client::Config::builder()
            .region("us-east-1")
            .endpoint_url($endpoint)
            .credentials($krate::client::Credentials::new("testing", "testing", None))
            .max_attempts(1)
            .build()
    };
}

fn check(ok: bool, what: &str) -> Result {
    if ok {
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

/// DynamoDB: a table with a composite key; an item holding every attribute value type back
/// identical; a query with a key condition; a failing conditional put; a missing table.
macro_rules! dynamodb_scenario {
    ($client:expr, $table:expr, $($aw:tt)*) => {{
        use dynamodb::operation::describe_table::DescribeTableError;
        use dynamodb::operation::put_item::PutItemError;
        use dynamodb::types::{
            AttributeDefinition, AttributeValue as V, BillingMode, KeySchemaElement, KeyType,
            ScalarAttributeType,
        };
        let client = $client;
        let table: &str = $table;
        client
            .create_table()
            .table_name(table)
            .attribute_definitions(AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build()?)
            .attribute_definitions(AttributeDefinition::builder().attribute_name("sk").attribute_type(ScalarAttributeType::N).build()?)
            .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build()?)
            .key_schema(KeySchemaElement::builder().attribute_name("sk").key_type(KeyType::Range).build()?)
            .billing_mode(BillingMode::PayPerRequest)
            .send()$($aw)*?;
        let mut item: HashMap<String, V> = HashMap::new();
        item.insert("pk".into(), V::S("user#1".into()));
        item.insert("sk".into(), V::N("42".into()));
        item.insert("bytes".into(), V::B(vec![0x00, 0xff, 0x10]));
        item.insert("strings".into(), V::Ss(vec!["a".into(), "b".into()]));
        item.insert("numbers".into(), V::Ns(vec!["1".into(), "2.5".into()]));
        item.insert("blobs".into(), V::Bs(vec![vec![0x00], vec![0xff]]));
        item.insert("map".into(), V::M(HashMap::from([("inner".to_owned(), V::Bool(true))])));
        item.insert("list".into(), V::L(vec![V::S("x".into()), V::N("7".into()), V::Null(true)]));
        item.insert("nothing".into(), V::Null(true));
        item.insert("yes".into(), V::Bool(false));
        client
            .put_item()
            .table_name(table)
            .set_item(Some(item.clone()))
            .send()$($aw)*?;
        let got = client
            .get_item()
            .table_name(table)
            .key("pk", V::S("user#1".into()))
            .key("sk", V::N("42".into()))
            .consistent_read(true)
            .send()$($aw)*?;
        let mut got_item = got.item().cloned().unwrap_or_default();
        // Sets come back in any order.
        for set in ["strings", "numbers", "blobs"] {
            if let Some(v) = got_item.get_mut(set) {
                match v {
                    V::Ss(s) | V::Ns(s) => s.sort(),
                    V::Bs(b) => b.sort(),
                    _ => {}
                }
            }
        }
        check(got_item == item, "the item comes back identical")?;
        let page = client
            .query()
            .table_name(table)
            .key_condition_expression("pk = :pk AND sk > :low")
            .expression_attribute_values(":pk", V::S("user#1".into()))
            .expression_attribute_values(":low", V::N("10".into()))
            .send()$($aw)*?;
        check(page.count() == 1, "the query finds the item")?;
        let failed = client
            .put_item()
            .table_name(table)
            .item("pk", V::S("user#1".into()))
            .item("sk", V::N("42".into()))
            .condition_expression("attribute_not_exists(pk)")
            .send()$($aw)*;
        match failed.as_ref().map_err(|e| e.service_error()) {
            Err(Some(PutItemError::ConditionalCheckFailedException(_))) => {}
            other => return Err(format!("a failing conditional put gave {other:?}").into()),
        }
        let missing = client.describe_table().table_name("no-such-table").send()$($aw)*;
        match missing.as_ref().map_err(|e| e.service_error()) {
            Err(Some(DescribeTableError::ResourceNotFoundException(_))) => {}
            other => return Err(format!("describing a missing table gave {other:?}").into()),
        }
        client.delete_table().table_name(table).send()$($aw)*?;
        println!("dynamodb ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// KMS: a key; binary data holding 0x00 and 0xff encrypted and decrypted back.
macro_rules! kms_scenario {
    ($client:expr, $($aw:tt)*) => {{
        let client = $client;
        let created = client.create_key().description("swage e2e").send()$($aw)*?;
        let key_id = created
            .key_metadata()
            .map(|m| m.key_id().to_owned())
            .ok_or("CreateKey returned no key metadata")?;
        let data: Vec<u8> = vec![0x00, 0xff, 0x00, 0x7f, 0x80, 0xff];
        let encrypted = client
            .encrypt()
            .key_id(key_id.as_str())
            .plaintext(data.clone())
            .send()$($aw)*?;
        let blob = encrypted.ciphertext_blob().ok_or("Encrypt returned no ciphertext")?.to_vec();
        check(blob != data, "the ciphertext is not the plaintext")?;
        let decrypted = client.decrypt().ciphertext_blob(blob).send()$($aw)*?;
        check(decrypted.plaintext() == Some(&data[..]), "decrypt gives the bytes back")?;
        println!("kms ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// Secrets Manager: create, get, update, list and delete.
macro_rules! secrets_scenario {
    ($client:expr, $name:expr, $($aw:tt)*) => {{
        let client = $client;
        let name: &str = $name;
        client.create_secret().name(name).secret_string("first").send()$($aw)*?;
        let got = client.get_secret_value().secret_id(name).send()$($aw)*?;
        check(got.secret_string() == Some("first"), "the secret reads back")?;
        client.update_secret().secret_id(name).secret_string("second").send()$($aw)*?;
        let got = client.get_secret_value().secret_id(name).send()$($aw)*?;
        check(got.secret_string() == Some("second"), "the update reads back")?;
        let listed = client.list_secrets().send()$($aw)*?;
        check(
            listed.secret_list().unwrap_or_default().iter().any(|s| s.name() == Some(name)),
            "the secret is listed",
        )?;
        client
            .delete_secret()
            .secret_id(name)
            .force_delete_without_recovery(true)
            .send()$($aw)*?;
        let gone = client.get_secret_value().secret_id(name).send()$($aw)*;
        check(gone.is_err(), "a deleted secret is gone")?;
        println!("secretsmanager ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// SQS (awsJson1_0, query-compatible): a queue with attributes; a message with attributes sent,
/// received and deleted; a missing queue is its modelled error.
macro_rules! sqs_scenario {
    ($client:expr, $queue:expr, $($aw:tt)*) => {{
        use sqs::operation::get_queue_url::GetQueueUrlError;
        use sqs::types::MessageAttributeValue;
        let client = $client;
        let created = client
            .create_queue()
            .queue_name($queue)
            .attributes("VisibilityTimeout", "45")
            .attributes("DelaySeconds", "0")
            .send()$($aw)*?;
        let url = created.queue_url().ok_or("CreateQueue returned no URL")?.to_owned();
        let attributes = client
            .get_queue_attributes()
            .queue_url(url.as_str())
            .attribute_names(sqs::types::QueueAttributeName::VisibilityTimeout)
            .send()$($aw)*?;
        check(
            attributes.attributes().and_then(|a| a.get("VisibilityTimeout")).map(String::as_str) == Some("45"),
            "the queue has its attribute",
        )?;
        client
            .send_message()
            .queue_url(url.as_str())
            .message_body("hello from swage")
            .message_attributes(
                "origin",
                MessageAttributeValue::builder().data_type("String").string_value("e2e").build()?,
            )
            .message_attributes(
                "raw",
                MessageAttributeValue::builder().data_type("Binary").binary_value(vec![0x00, 0xff]).build()?,
            )
            .send()$($aw)*?;
        let received = client
            .receive_message()
            .queue_url(url.as_str())
            .message_attribute_names("All")
            .max_number_of_messages(1)
            .wait_time_seconds(1)
            .send()$($aw)*?;
        let message = received
            .messages()
            .and_then(|m| m.first())
            .ok_or("no message received")?;
        check(message.body() == Some("hello from swage"), "the body comes back")?;
        let attrs = message.message_attributes().ok_or("no message attributes")?;
        check(
            attrs.get("origin").and_then(|v| v.string_value()) == Some("e2e"),
            "the string attribute comes back",
        )?;
        check(
            attrs.get("raw").and_then(|v| v.binary_value()) == Some(&[0x00, 0xff][..]),
            "the binary attribute comes back",
        )?;
        let receipt = message.receipt_handle().ok_or("no receipt handle")?.to_owned();
        client
            .delete_message()
            .queue_url(url.as_str())
            .receipt_handle(receipt)
            .send()$($aw)*?;
        let missing = client.get_queue_url().queue_name("swage-no-such-queue").send()$($aw)*;
        match missing.as_ref().map_err(|e| e.service_error()) {
            Err(Some(GetQueueUrlError::QueueDoesNotExist(_))) => {}
            other => return Err(format!("a missing queue gave {other:?}").into()),
        }
        client.delete_queue().queue_url(url.as_str()).send()$($aw)*?;
        println!("sqs ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// SSM: a SecureString parameter put and read back decrypted; parameters read by path.
macro_rules! ssm_scenario {
    ($client:expr, $prefix:expr, $($aw:tt)*) => {{
        use ssm::types::ParameterType;
        let client = $client;
        let prefix: &str = $prefix;
        let secret = format!("{prefix}/db/password");
        let plain = format!("{prefix}/db/host");
        client
            .put_parameter()
            .name(secret.as_str())
            .value("s3cr3t value")
            .r#type(ParameterType::SecureString)
            .send()$($aw)*?;
        client
            .put_parameter()
            .name(plain.as_str())
            .value("db.internal")
            .r#type(ParameterType::String)
            .send()$($aw)*?;
        let got = client
            .get_parameter()
            .name(secret.as_str())
            .with_decryption(true)
            .send()$($aw)*?;
        let parameter = got.parameter().ok_or("GetParameter returned no parameter")?;
        check(parameter.value() == Some("s3cr3t value"), "the SecureString reads back decrypted")?;
        check(parameter.r#type() == Some(&ParameterType::SecureString), "its type is SecureString")?;
        let by_path = client
            .get_parameters_by_path()
            .path(prefix)
            .recursive(true)
            .with_decryption(true)
            .send()$($aw)*?;
        let mut names: Vec<&str> = by_path
            .parameters()
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.name())
            .collect();
        names.sort_unstable();
        check(names == [plain.as_str(), secret.as_str()], "both parameters are under the path")?;
        client
            .delete_parameters()
            .names(secret.as_str())
            .names(plain.as_str())
            .send()$($aw)*?;
        println!("ssm ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// CloudWatch Logs: a group and a stream; events put and read back.
macro_rules! logs_scenario {
    ($client:expr, $group:expr, $($aw:tt)*) => {{
        use logs::types::InputLogEvent;
        let client = $client;
        let group: &str = $group;
        client.create_log_group().log_group_name(group).send()$($aw)*?;
        client
            .create_log_stream()
            .log_group_name(group)
            .log_stream_name("stream-1")
            .send()$($aw)*?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64;
        client
            .put_log_events()
            .log_group_name(group)
            .log_stream_name("stream-1")
            .log_events(InputLogEvent::builder().timestamp(now).message("first line").build()?)
            .log_events(InputLogEvent::builder().timestamp(now + 1).message("second: ünïcode").build()?)
            .send()$($aw)*?;
        let events = client
            .get_log_events()
            .log_group_name(group)
            .log_stream_name("stream-1")
            .start_from_head(true)
            .send()$($aw)*?;
        let messages: Vec<&str> = events
            .events()
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.message())
            .collect();
        check(messages == ["first line", "second: ünïcode"], "the events come back in order")?;
        client.delete_log_group().log_group_name(group).send()$($aw)*?;
        println!("logs ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// ECR: a repository created, described, listed (and its images), deleted.
macro_rules! ecr_scenario {
    ($client:expr, $name:expr, $($aw:tt)*) => {{
        use ecr::operation::describe_repositories::DescribeRepositoriesError;
        let client = $client;
        let name: &str = $name;
        let created = client.create_repository().repository_name(name).send()$($aw)*?;
        let repository = created.repository().ok_or("CreateRepository returned no repository")?;
        check(repository.repository_name() == Some(name), "the repository has its name")?;
        let described = client
            .describe_repositories()
            .repository_names(name)
            .send()$($aw)*?;
        check(
            described.repositories().unwrap_or_default().len() == 1,
            "the repository is described",
        )?;
        let listed = client.describe_repositories().send()$($aw)*?;
        check(
            listed
                .repositories()
                .unwrap_or_default()
                .iter()
                .any(|r| r.repository_name() == Some(name)),
            "the repository is listed",
        )?;
        let images = client.list_images().repository_name(name).send()$($aw)*?;
        check(images.image_ids().unwrap_or_default().is_empty(), "a new repository has no images")?;
        client.delete_repository().repository_name(name).send()$($aw)*?;
        let gone = client.describe_repositories().repository_names(name).send()$($aw)*;
        match gone.as_ref().map_err(|e| e.service_error()) {
            Err(Some(DescribeRepositoriesError::RepositoryNotFoundException(_))) => {}
            other => return Err(format!("a deleted repository gave {other:?}").into()),
        }
        println!("ecr ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// Step Functions: a state machine created, described, listed and deleted.
macro_rules! sfn_scenario {
    ($client:expr, $name:expr, $($aw:tt)*) => {{
        let client = $client;
        let name: &str = $name;
        let definition = r#"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#;
        let created = client
            .create_state_machine()
            .name(name)
            .definition(definition)
            .role_arn("arn:aws:iam::123456789012:role/swage-e2e")
            .send()$($aw)*?;
        let arn = created.state_machine_arn().to_owned();
        let described = client
            .describe_state_machine()
            .state_machine_arn(arn.as_str())
            .send()$($aw)*?;
        check(described.name() == name, "the state machine has its name")?;
        check(described.definition() == definition, "the definition reads back")?;
        let listed = client.list_state_machines().send()$($aw)*?;
        check(
            listed.state_machines().iter().any(|m| m.state_machine_arn() == arn),
            "the state machine is listed",
        )?;
        client
            .delete_state_machine()
            .state_machine_arn(arn.as_str())
            .send()$($aw)*?;
        println!("sfn ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// A plain HTTP/1.1 exchange over TCP, for presigned URLs: what a user's own HTTP client or
/// `curl` would send (the method, the URL's path and query as they are, the signed headers, the
/// body). Returns the status and the body.
fn plain_http(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<(u16, Vec<u8>)> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").ok_or("moto is plain HTTP")?;
    let (authority, target) = rest.split_at(rest.find('/').ok_or("the URL has no path")?);
    let mut stream = std::net::TcpStream::connect(authority)?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\ncontent-length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&answer[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    let mut content = answer[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut decoded = Vec::new();
        let mut rest = &content[..];
        loop {
            let line_end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or("bad chunk")?;
            let size =
                usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16)?;
            if size == 0 {
                break;
            }
            let start = line_end + 2;
            decoded.extend_from_slice(rest.get(start..start + size).ok_or("short chunk")?);
            rest = rest.get(start + size + 2..).ok_or("short chunk")?;
        }
        content = decoded;
    }
    Ok((status, content))
}

/// S3: a bucket; objects whose keys have spaces, `+`, non-ASCII text, `//`, `..` and a
/// leading `/`, put, read, headed and listed exactly; a copy; a multipart upload of two 5 MiB
/// parts; a missing key is `NoSuchKey`; a presigned GET and a presigned PUT used by a plain HTTP
/// client; everything deleted.
macro_rules! s3_scenario {
    ($client:expr, $bucket:expr, $($aw:tt)*) => {{
        use s3::operation::get_object::GetObjectError;
        use s3::types::{CompletedMultipartUpload, CompletedPart};
        let client = $client;
        let bucket: &str = $bucket;
        client.create_bucket().bucket(bucket).send()$($aw)*?;
        let keys = [
            "plain.txt",
            "with space/and+plus=&?.txt",
            "ünïcödé/ключ/鍵.txt",
            "a//double/slash",
            "dots/../up/./here",
            "/leading",
        ];
        for (i, key) in keys.iter().enumerate() {
            let body = format!("object {i}: {key}");
            client
                .put_object()
                .bucket(bucket)
                .key(*key)
                .content_type("text/plain")
                .body(body.as_bytes().to_vec())
                .send()$($aw)*?;
            let got = client.get_object().bucket(bucket).key(*key).send()$($aw)*?;
            check(got.body() == body.as_bytes(), &format!("`{key}` reads back"))?;
            check(got.content_type() == Some("text/plain"), "the content type reads back")?;
            let head = client.head_object().bucket(bucket).key(*key).send()$($aw)*?;
            check(head.content_length() == Some(body.len() as i64), &format!("`{key}` has its length"))?;
        }
        let listed = client.list_objects_v2().bucket(bucket).send()$($aw)*?;
        let mut names: Vec<&str> = listed.contents().unwrap_or_default().iter().filter_map(|o| o.key()).collect();
        names.sort_unstable();
        let mut expected = keys.to_vec();
        expected.sort_unstable();
        check(names == expected, &format!("the keys list exactly: {names:?}"))?;
        let prefixed = client.list_objects_v2().bucket(bucket).prefix("with space/").send()$($aw)*?;
        check(prefixed.key_count() == Some(1), "a prefix with a space selects its key")?;

        client
            .copy_object()
            .bucket(bucket)
            .key("copy.txt")
            .copy_source(format!("{bucket}/plain.txt"))
            .send()$($aw)*?;
        let copied = client.get_object().bucket(bucket).key("copy.txt").send()$($aw)*?;
        check(copied.body() == b"object 0: plain.txt", "the copy reads back")?;

        let upload = client.create_multipart_upload().bucket(bucket).key("big.bin").send()$($aw)*?;
        let id = upload.upload_id().ok_or("CreateMultipartUpload returned no upload id")?.to_owned();
        let mut done = CompletedMultipartUpload::builder();
        for (n, byte) in [(1, b'a'), (2, b'b')] {
            let part = client
                .upload_part()
                .bucket(bucket)
                .key("big.bin")
                .upload_id(id.as_str())
                .part_number(n)
                .body(vec![byte; 5 * 1024 * 1024])
                .send()$($aw)*?;
            let etag = part.e_tag().ok_or("UploadPart returned no ETag")?;
            done = done.parts(CompletedPart::builder().e_tag(etag).part_number(n).build()?);
        }
        client
            .complete_multipart_upload()
            .bucket(bucket)
            .key("big.bin")
            .upload_id(id.as_str())
            .multipart_upload(done.build()?)
            .send()$($aw)*?;
        let big = client.get_object().bucket(bucket).key("big.bin").send()$($aw)*?;
        check(big.body().len() == 10 * 1024 * 1024, "the multipart object has both parts")?;
        check(big.body()[0] == b'a' && big.body()[big.body().len() - 1] == b'b', "the parts are in order")?;

        let missing = client.get_object().bucket(bucket).key("missing").send()$($aw)*;
        match missing.as_ref().map_err(|e| e.service_error()) {
            Err(Some(GetObjectError::NoSuchKey(_))) => {}
            other => return Err(format!("a missing key gave {other:?}").into()),
        }

        let get = client
            .get_object()
            .bucket(bucket)
            .key(keys[1])
            .presigned(std::time::Duration::from_secs(300))$($aw)*?;
        check(get.url().contains("X-Amz-Signature="), "the presigned URL is signed")?;
        let (status, body) = plain_http("GET", get.url(), get.headers(), b"")?;
        check(status == 200 && body == b"object 1: with space/and+plus=&?.txt", &format!("a presigned GET reads the object ({status})"))?;
        let put = client
            .put_object()
            .bucket(bucket)
            .key("presigned/up load.txt")
            .presigned(std::time::Duration::from_secs(300))$($aw)*?;
        let (status, _) = plain_http("PUT", put.url(), put.headers(), b"sent with a presigned URL")?;
        check(status == 200, &format!("a presigned PUT is accepted ({status})"))?;
        let uploaded = client.get_object().bucket(bucket).key("presigned/up load.txt").send()$($aw)*?;
        check(uploaded.body() == b"sent with a presigned URL", "the presigned PUT stored the object")?;

        let all = client.list_objects_v2().bucket(bucket).send()$($aw)*?;
        for object in all.contents().unwrap_or_default() {
            let key = object.key().ok_or("a listed object has no key")?;
            client.delete_object().bucket(bucket).key(key).send()$($aw)*?;
        }
        client.delete_bucket().bucket(bucket).send()$($aw)*?;
        println!("s3 ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// Route 53: a hosted zone created; an A record created in it and listed; the zone found by
/// the id its response gave (`/hostedzone/...`, passed back as it is); everything deleted.
macro_rules! route53_scenario {
    ($client:expr, $zone:expr, $($aw:tt)*) => {{
        use route53::types::{Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType};
        let client = $client;
        let zone: &str = $zone;
        let created = client
            .create_hosted_zone()
            .name(zone)
            .caller_reference(format!("swage-{zone}"))
            .send()$($aw)*?;
        let id = created.hosted_zone().id().to_owned();
        check(id.starts_with("/hostedzone/"), &format!("the zone id is a path: {id}"))?;
        let record = |action: ChangeAction| -> Result<ChangeBatch> {
            Ok(ChangeBatch::builder()
                .changes(
                    Change::builder()
                        .action(action)
                        .resource_record_set(
                            ResourceRecordSet::builder()
                                .name(format!("www.{zone}"))
                                .r#type(RrType::A)
                                .ttl(300)
                                .resource_records(ResourceRecord::builder().value("192.0.2.44").build()?)
                                .build()?,
                        )
                        .build()?,
                )
                .build()?)
        };
        client
            .change_resource_record_sets()
            .hosted_zone_id(id.as_str())
            .change_batch(record(ChangeAction::Create)?)
            .send()$($aw)*?;
        let listed = client.list_resource_record_sets().hosted_zone_id(id.as_str()).send()$($aw)*?;
        check(
            listed.resource_record_sets().iter().any(|r| {
                r.name().trim_end_matches('.') == format!("www.{}", zone.trim_end_matches('.'))
                    && *r.r#type() == RrType::A
                    && r.resource_records().unwrap_or_default().iter().any(|v| v.value() == "192.0.2.44")
            }),
            "the A record is listed with its value",
        )?;
        let got = client.get_hosted_zone().id(id.as_str()).send()$($aw)*?;
        check(got.hosted_zone().name().trim_end_matches('.') == zone.trim_end_matches('.'), "the zone reads back by its id")?;
        let zones = client.list_hosted_zones().send()$($aw)*?;
        check(zones.hosted_zones().iter().any(|z| z.id() == id), "the zone is listed")?;
        client
            .change_resource_record_sets()
            .hosted_zone_id(id.as_str())
            .change_batch(record(ChangeAction::Delete)?)
            .send()$($aw)*?;
        client.delete_hosted_zone().id(id.as_str()).send()$($aw)*?;
        println!("route53 ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// Credentials that are never there: a client with them can only make unsigned calls.
#[derive(Debug)]
struct NoCredentials;

impl sts::client::ProvideCredentials for NoCredentials {
    fn provide_credentials(
        &self,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<
                    Output = std::result::Result<
                        sts::client::Credentials,
                        sts::client::CredentialsError,
                    >,
                > + Send
                + '_,
        >,
    > {
        Box::pin(std::future::ready(Err(sts::client::CredentialsError::new(
            "none here",
        ))))
    }
}

/// STS: who the caller is; a role assumed; a client whose credentials come from
/// `AssumeRoleProvider` (the generated `AssumeRole`, cached), which STS then names as that role;
/// and one whose credentials come from `WebIdentityProvider` (a token file, through the unsigned
/// `AssumeRoleWithWebIdentity` of a client that has no credentials at all).
macro_rules! sts_scenario {
    ($client:expr, $new:path, $provider:path, $web:path, $endpoint:expr, $($aw:tt)*) => {{
        let client = $client;
        let me = client.get_caller_identity().send()$($aw)*?;
        check(me.account() == Some("123456789012"), "GetCallerIdentity names moto's account")?;
        let assumed = client
            .assume_role()
            .role_arn("arn:aws:iam::123456789012:role/swage-e2e")
            .role_session_name("swage")
            .duration_seconds(900)
            .send()$($aw)*?;
        let credentials = assumed.credentials().ok_or("AssumeRole returned no credentials")?;
        check(!credentials.session_token().is_empty(), "the assumed role has a session token")?;
        let provider = <$provider>::new(client.clone(), "arn:aws:iam::123456789012:role/swage-e2e", "swage-provider")
            .duration_seconds(900);
        let config = sts::client::Config::builder()
            .region("us-east-1")
            .endpoint_url($endpoint)
            .credentials(provider)
            .max_attempts(1)
            .build();
        let as_role = $new(config);
        let who = as_role.get_caller_identity().send()$($aw)*?;
        check(
            who.arn().is_some_and(|arn| arn.contains(":assumed-role/swage-e2e/swage-provider")),
            &format!("the provider's client is the role: {:?}", who.arn()),
        )?;
        // Cached: a second call signs with the same credentials.
        let again = as_role.get_caller_identity().send()$($aw)*?;
        check(again.arn() == who.arn(), "the cached credentials are the role's too")?;

        let token = std::env::temp_dir().join(format!("swage-e2e-token-{}", std::process::id()));
        std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzd2FnZSJ9.c2lnbmF0dXJl\n")?;
        let anonymous = $new(
            sts::client::Config::builder()
                .region("us-east-1")
                .endpoint_url($endpoint)
                .credentials(NoCredentials)
                .max_attempts(1)
                .build(),
        );
        let web = <$web>::new(anonymous, "arn:aws:iam::123456789012:role/swage-web", "swage-web", &token);
        let as_web = $new(
            sts::client::Config::builder()
                .region("us-east-1")
                .endpoint_url($endpoint)
                .credentials(web)
                .max_attempts(1)
                .build(),
        );
        let who = as_web.get_caller_identity().send()$($aw)*;
        let _ = std::fs::remove_file(&token);
        let who = who?;
        check(
            who.arn().is_some_and(|arn| arn.contains(":assumed-role/swage-web/swage-web")),
            &format!("the web identity's client is the role: {:?}", who.arn()),
        )?;
        println!("sts ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// IAM: users created and listed; roles with their trust policy, listed a page at a time
/// (`MaxItems`, `Marker`), one with an inline policy, both policies read back; a missing user is `NoSuchEntity`;
/// everything deleted.
macro_rules! iam_scenario {
    ($client:expr, $name:expr, $($aw:tt)*) => {{
        use iam::operation::get_user::GetUserError;
        let client = $client;
        let name: &str = $name;
        let path = format!("/swage/{name}/");
        let users: Vec<String> = (0..3).map(|i| format!("{name}-{i}")).collect();
        for user in &users {
            let created = client.create_user().user_name(user.as_str()).path(path.as_str()).send()$($aw)*?;
            check(
                created.user().is_some_and(|u| u.user_name() == user && u.path() == path),
                "the user is created with its name and path",
            )?;
        }
        let got = client.get_user().user_name(users[0].as_str()).send()$($aw)*?;
        check(got.user().user_name() == users[0], "the user reads back")?;
        let listed = client.list_users().path_prefix(path.as_str()).send()$($aw)*?;
        let mut names: Vec<String> = listed.users().iter().map(|u| u.user_name().to_owned()).collect();
        names.sort();
        check(names == users, &format!("the users are listed: {names:?}"))?;

        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let roles: Vec<String> = (0..3).map(|i| format!("{name}-role-{i}")).collect();
        for role in &roles {
            let created = client
                .create_role()
                .role_name(role.as_str())
                .path(path.as_str())
                .assume_role_policy_document(trust)
                .description("made by swage's end-to-end test")
                .send()$($aw)*?;
            check(created.role().role_name() == role, "the role is created")?;
        }
        // A page at a time, as the model's `@paginated` says: `next_page` gives the next input.
        // (moto pages roles; it ignores `MaxItems` for users, as boto3 shows too.)
        let mut input = iam::operation::list_roles::ListRolesInput::builder()
            .path_prefix(path.as_str())
            .max_items(2)
            .build()?;
        let mut listed = Vec::new();
        let mut pages = 0;
        loop {
            let page = client
                .list_roles()
                .path_prefix(path.as_str())
                .max_items(2)
                .set_marker(input.marker().map(str::to_owned))
                .send()$($aw)*?;
            pages += 1;
            listed.extend(page.roles().iter().map(|r| r.role_name().to_owned()));
            match input.next_page(&page) {
                Some(next) => input = next,
                None => break,
            }
            if pages > 10 {
                return Err("ListRoles never stops".into());
            }
        }
        listed.sort();
        check(listed == roles && pages == 2, &format!("two pages list the roles: {listed:?} in {pages}"))?;
        let role = roles[0].clone();
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::swage/*"}]}"#;
        client
            .put_role_policy()
            .role_name(role.as_str())
            .policy_name("read-swage")
            .policy_document(policy)
            .send()$($aw)*?;
        let read = client.get_role_policy().role_name(role.as_str()).policy_name("read-swage").send()$($aw)*?;
        // IAM returns policy documents URL-encoded.
        check(read.policy_document().contains("s3:GetObject") || read.policy_document().contains("s3%3AGetObject"), "the inline policy reads back")?;
        let got_role = client.get_role().role_name(role.as_str()).send()$($aw)*?;
        check(
            got_role.role().assume_role_policy_document().is_some_and(|d| d.contains("lambda.amazonaws.com")),
            "the trust policy reads back",
        )?;
        client.delete_role_policy().role_name(role.as_str()).policy_name("read-swage").send()$($aw)*?;
        for role in &roles {
            client.delete_role().role_name(role.as_str()).send()$($aw)*?;
        }
        for user in &users {
            client.delete_user().user_name(user.as_str()).send()$($aw)*?;
        }
        let gone = client.get_user().user_name(users[0].as_str()).send()$($aw)*;
        match gone.as_ref().map_err(|e| e.service_error()) {
            Err(Some(GetUserError::NoSuchEntityException(_))) => {}
            other => return Err(format!("a deleted user gave {other:?}").into()),
        }
        println!("iam ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

/// SNS: a topic created, given an attribute that reads back in the attribute map; an SQS
/// queue subscribed; a message published that arrives in the queue; listed and deleted.
macro_rules! sns_scenario {
    ($client:expr, $sqs:expr, $name:expr, $($aw:tt)*) => {{
        let client = $client;
        let sqs = $sqs;
        let name: &str = $name;
        let topic = client.create_topic().name(name).send()$($aw)*?;
        let arn = topic.topic_arn().ok_or("CreateTopic returned no ARN")?.to_owned();
        client
            .set_topic_attributes()
            .topic_arn(arn.as_str())
            .attribute_name("DisplayName")
            .attribute_value("swage & <friends>")
            .send()$($aw)*?;
        let attributes = client.get_topic_attributes().topic_arn(arn.as_str()).send()$($aw)*?;
        check(
            attributes
                .attributes()
                .and_then(|a| a.get("DisplayName"))
                .map(String::as_str)
                == Some("swage & <friends>"),
            "the attribute reads back, escaped and unescaped",
        )?;
        let queue = sqs.create_queue().queue_name(format!("{name}-subscriber")).send()$($aw)*?;
        let queue_url = queue.queue_url().ok_or("CreateQueue returned no URL")?.to_owned();
        let queue_attributes = sqs
            .get_queue_attributes()
            .queue_url(queue_url.as_str())
            .attribute_names(sqs::types::QueueAttributeName::QueueArn)
            .send()$($aw)*?;
        let queue_arn = queue_attributes
            .attributes()
            .and_then(|a| a.get("QueueArn"))
            .ok_or("the queue has no ARN")?
            .clone();
        let subscription = client
            .subscribe()
            .topic_arn(arn.as_str())
            .protocol("sqs")
            .endpoint(queue_arn.as_str())
            .return_subscription_arn(true)
            .send()$($aw)*?;
        check(subscription.subscription_arn().is_some_and(|a| a.starts_with(&arn)), "the queue is subscribed")?;
        let published = client
            .publish()
            .topic_arn(arn.as_str())
            .subject("greeting")
            .message("hello from swage & SNS")
            .send()$($aw)*?;
        check(published.message_id().is_some_and(|id| !id.is_empty()), "the message has an id")?;
        let received = sqs
            .receive_message()
            .queue_url(queue_url.as_str())
            .max_number_of_messages(1)
            .wait_time_seconds(2)
            .send()$($aw)*?;
        let delivered = received
            .messages()
            .and_then(|m| m.first())
            .and_then(|m| m.body())
            .ok_or("the published message did not arrive in the queue")?;
        // SNS delivers a JSON envelope around the message.
        check(
            delivered.contains("hello from swage & SNS") && delivered.contains(published.message_id().unwrap_or("?")),
            &format!("the queue got the message: {delivered}"),
        )?;
        let listed = client.list_topics().send()$($aw)*?;
        check(
            listed
                .topics()
                .unwrap_or_default()
                .iter()
                .any(|t| t.topic_arn() == Some(arn.as_str())),
            "the topic is listed",
        )?;
        client.delete_topic().topic_arn(arn.as_str()).send()$($aw)*?;
        sqs.delete_queue().queue_url(queue_url.as_str()).send()$($aw)*?;
        println!("sns ({}): ok", if stringify!($($aw)*).is_empty() { "blocking" } else { "async" });
    }};
}

fn main() -> Result {
    let endpoint = std::env::var("SWAGE_E2E_ENDPOINT")
        .map_err(|_| "set SWAGE_E2E_ENDPOINT to moto's URL (cargo xtask e2e does)")?;
    let blocking = dynamodb::client::blocking::Client::new(config!(dynamodb, &endpoint));
    dynamodb_scenario!(&blocking, "swage-blocking",);
    kms_scenario!(&kms::client::blocking::Client::new(config!(kms, &endpoint)),);
    secrets_scenario!(
        &secretsmanager::client::blocking::Client::new(config!(secretsmanager, &endpoint)),
        "swage-blocking",
    );
    sqs_scenario!(
        &sqs::client::blocking::Client::new(config!(sqs, &endpoint)),
        "swage-blocking",
    );
    ssm_scenario!(
        &ssm::client::blocking::Client::new(config!(ssm, &endpoint)),
        "/swage/blocking",
    );
    logs_scenario!(
        &logs::client::blocking::Client::new(config!(logs, &endpoint)),
        "swage-blocking",
    );
    ecr_scenario!(
        &ecr::client::blocking::Client::new(config!(ecr, &endpoint)),
        "swage/blocking",
    );
    sfn_scenario!(
        &sfn::client::blocking::Client::new(config!(sfn, &endpoint)),
        "swage-blocking",
    );
    s3_scenario!(
        &s3::client::blocking::Client::new(config!(s3, &endpoint)),
        "swage-blocking",
    );
    route53_scenario!(
        &route53::client::blocking::Client::new(config!(route53, &endpoint)),
        "blocking.swage.example.",
    );
    sts_scenario!(
        &sts::client::blocking::Client::new(config!(sts, &endpoint)),
        sts::client::blocking::Client::new,
        sts::client::blocking::AssumeRoleProvider,
        sts::client::blocking::WebIdentityProvider,
        &endpoint,
    );
    iam_scenario!(
        &iam::client::blocking::Client::new(config!(iam, &endpoint)),
        "swage-blocking",
    );
    sns_scenario!(
        &sns::client::blocking::Client::new(config!(sns, &endpoint)),
        &sqs::client::blocking::Client::new(config!(sqs, &endpoint)),
        "swage-blocking",
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = dynamodb::client::Client::new(config!(dynamodb, &endpoint));
        dynamodb_scenario!(&client, "swage-async", .await);
        kms_scenario!(&kms::client::Client::new(config!(kms, &endpoint)), .await);
        secrets_scenario!(
            &secretsmanager::client::Client::new(config!(secretsmanager, &endpoint)),
            "swage-async",
            .await
        );
        sqs_scenario!(
            &sqs::client::Client::new(config!(sqs, &endpoint)),
            "swage-async",
            .await
        );
        ssm_scenario!(&ssm::client::Client::new(config!(ssm, &endpoint)), "/swage/async", .await);
        logs_scenario!(&logs::client::Client::new(config!(logs, &endpoint)), "swage-async", .await);
        ecr_scenario!(&ecr::client::Client::new(config!(ecr, &endpoint)), "swage/async", .await);
        sfn_scenario!(&sfn::client::Client::new(config!(sfn, &endpoint)), "swage-async", .await);
        s3_scenario!(&s3::client::Client::new(config!(s3, &endpoint)), "swage-async", .await);
        route53_scenario!(
            &route53::client::Client::new(config!(route53, &endpoint)),
            "async.swage.example.",
            .await
        );
        sts_scenario!(
            &sts::client::Client::new(config!(sts, &endpoint)),
            sts::client::Client::new,
            sts::client::AssumeRoleProvider,
            sts::client::WebIdentityProvider,
            &endpoint,
            .await
        );
        iam_scenario!(&iam::client::Client::new(config!(iam, &endpoint)), "swage-async", .await);
        sns_scenario!(
            &sns::client::Client::new(config!(sns, &endpoint)),
            &sqs::client::Client::new(config!(sqs, &endpoint)),
            "swage-async",
            .await
        );
        Ok::<(), Box<dyn std::error::Error>>(())
    })?;
    Ok(())
}
