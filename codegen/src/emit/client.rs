//! `src/client.rs`: the clients that call the service (features `blocking` and `async`), thin
//! over `swage_runtime::client`: one fluent call per operation, whose setters are the input
//! builder's, ending in `send()`.

use super::{deprecated, doc, ident, rust_type, type_path};
use crate::ir::{Crate, EndpointRules, Field, ParamKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The file's items.
pub fn file(krate: &Crate) -> TokenStream {
    let title = &krate.service.title;
    let signing_name = match &krate.service.signing_name {
        Some(name) => quote! { Some(#name) },
        None => quote! { None },
    };
    let signing = if krate.service.s3_signing {
        quote! { swage_runtime::sigv4::SigningOptions::S3 }
    } else {
        quote! { swage_runtime::sigv4::SigningOptions::STANDARD }
    };
    let auth = super::auth_schemes(&krate.service.auth);
    let resolve = resolve_endpoint(krate.endpoint_rules.as_ref());
    let (blocking_provider, async_provider) = krate
        .service
        .assume_role_provider
        .then(assume_role_provider)
        .unzip();
    let mut calls = TokenStream::new();
    let mut blocking_methods = TokenStream::new();
    let mut async_methods = TokenStream::new();
    for op in &krate.operations {
        let Some(input) = krate.structures.iter().find(|s| s.path == op.input) else {
            continue;
        };
        let call = format_ident!("{}Call", op.type_name);
        let method = ident(&crate::naming::field(&op.wire_name));
        let op_ty = {
            let m = ident(&op.module);
            let t = ident(&op.type_name);
            quote! { crate::operation::#m::#t }
        };
        let err_ty = {
            let m = ident(&op.module);
            let e = ident(&op.error);
            quote! { crate::operation::#m::#e }
        };
        let input_builder = {
            let m = ident(&op.module);
            let b = ident(&input.builder);
            quote! { crate::operation::#m::#b }
        };
        let output_ty = type_path(&op.output);
        let input_ty = type_path(&op.input);
        let summary = op
            .docs
            .as_deref()
            .and_then(|d| d.split("\n\n").next())
            .map(str::to_owned);
        let method_doc = doc(summary.as_deref());
        let dep = deprecated(&op.deprecated);
        let wire = &op.wire_name;
        let call_doc = format!(" A call of `{wire}`: set the input's members, then `send()`.");
        let method_tail = format!(
            " Starts a `{wire}` call: set the input's members on what this returns, then `send()`."
        );
        let setters = input.fields.iter().map(setter);
        // An operation that binds endpoint parameters resolves its endpoint from its input too.
        let binds = krate.endpoint_rules.is_some()
            && !super::endpoint::operation_params(
                krate,
                op,
                input,
                krate.endpoint_rules.as_ref().expect("checked"),
            )
            .is_empty();
        let discovered = op
            .discovery
            .as_ref()
            .and_then(|d| discovery_call(krate, op, input, d));
        let presign = op.presignable.then(|| {
            let endpoint = if binds {
                quote! { &|config: &Config| crate::endpoint::resolve(&#op_ty::endpoint_params(&input, endpoint_params(config))) }
            } else {
                quote! { &SERVICE.resolve_endpoint }
            };
            let doc = format!(" Presigns the `{wire}` call for `expires_in` (at most 7 days): a URL a plain HTTP client can use\n without credentials, with the method and the signed headers to send. Nothing is sent.");
            (
                quote! {
                    #[doc = #doc]
                    pub fn presigned(self, expires_in: std::time::Duration) -> Result<swage_runtime::client::PresignedRequest, SdkError<#err_ty>> {
                        let input = self.input.build().map_err(SdkError::invalid_input)?;
                        self.client.inner.presign::<#op_ty>(&SERVICE, #endpoint, &input, expires_in)
                    }
                },
                quote! {
                    #[doc = #doc]
                    pub async fn presigned(self, expires_in: std::time::Duration) -> Result<swage_runtime::client::PresignedRequest, SdkError<#err_ty>> {
                        let input = self.input.build().map_err(SdkError::invalid_input)?;
                        self.client.inner.presign::<#op_ty>(&SERVICE, #endpoint, &input, expires_in).await
                    }
                },
            )
        });
        let (blocking_presign, async_presign) = presign.unzip();
        let (blocking_send, async_send) = if let Some((describe_ty, discovery)) = discovered {
            (
                quote! { #discovery self.client.inner.send_discovered::<#op_ty, #describe_ty>(&SERVICE, &input, discovery) },
                quote! { #discovery self.client.inner.send_discovered::<#op_ty, #describe_ty>(&SERVICE, &input, discovery).await },
            )
        } else if binds {
            let resolve = quote! { let resolve = |config: &Config| crate::endpoint::resolve(&#op_ty::endpoint_params(&input, endpoint_params(config))); };
            (
                quote! { #resolve self.client.inner.send_resolved::<#op_ty>(&SERVICE, &resolve, &input) },
                quote! { #resolve self.client.inner.send_resolved::<#op_ty>(&SERVICE, &resolve, &input).await },
            )
        } else {
            (
                quote! { self.client.inner.send::<#op_ty>(&SERVICE, &input) },
                quote! { self.client.inner.send::<#op_ty>(&SERVICE, &input).await },
            )
        };
        let allow = (op.deprecated.is_some()
            || input.fields.iter().any(|f| f.deprecated.is_some()))
        .then(|| quote! { #[allow(deprecated)] });
        calls.extend(quote! {
            #[doc = #call_doc]
            #[derive(Debug)]
            pub struct #call<'a, C> {
                client: &'a C,
                input: #input_builder,
            }

            #allow
            impl<'a, C> #call<'a, C> {
                fn new(client: &'a C) -> Self {
                    #call { client, input: #input_ty::builder() }
                }

                /// The input as set so far.
                pub fn as_input(&self) -> &#input_builder {
                    &self.input
                }

                #(#setters)*
            }

            #[cfg(feature = "blocking")]
            #allow
            impl #call<'_, blocking::Client> {
                /// Sends the call and waits for its answer (validating the input first; retrying as configured).
                pub fn send(self) -> Result<#output_ty, SdkError<#err_ty>> {
                    self.send_with_metadata().map(|sent| sent.output)
                }

                /// As [`send`](Self::send), with the attempt count and request id.
                pub fn send_with_metadata(self) -> Result<Sent<#output_ty>, SdkError<#err_ty>> {
                    let input = self.input.build().map_err(SdkError::invalid_input)?;
                    #blocking_send
                }

                #blocking_presign
            }

            #[cfg(feature = "async")]
            #allow
            impl #call<'_, Client> {
                /// Sends the call (validating the input first; retrying as configured).
                pub async fn send(self) -> Result<#output_ty, SdkError<#err_ty>> {
                    self.send_with_metadata().await.map(|sent| sent.output)
                }

                /// As [`send`](Self::send), with the attempt count and request id.
                pub async fn send_with_metadata(self) -> Result<Sent<#output_ty>, SdkError<#err_ty>> {
                    let input = self.input.build().map_err(SdkError::invalid_input)?;
                    #async_send
                }

                #async_presign
            }
        });
        let m = quote! {
            #method_doc
            #[doc = ""]
            #[doc = #method_tail]
            #dep
            pub fn #method(&self) -> #call<'_, Self> {
                #call::new(self)
            }
        };
        blocking_methods.extend(m.clone());
        async_methods.extend(m);
    }
    let file_doc = format!("Clients that call {title} for real: sign with SigV4, resolve the endpoint from the region,\nretry and time out as configured. `Client` is async (feature `async`, over `hyper`),\n`blocking::Client` waits (feature `blocking`, over swage's HTTP/1.1); both use rustls for TLS and take any\ntransport.");
    let mut file_doc = file_doc;
    if let Some(rules) = krate
        .endpoint_rules
        .as_ref()
        .filter(|r| !r.client_params.is_empty())
    {
        file_doc.push_str("\n\nThe service's own endpoint settings, set with `Config::builder().client_param(NAME, value)`:");
        for name in &rules.client_params {
            let kind = rules
                .params
                .iter()
                .find(|p| &p.name == name)
                .map_or("", |p| {
                    if p.kind == ParamKind::Boolean {
                        "boolean"
                    } else {
                        "string"
                    }
                });
            file_doc.push_str(&format!("\n- `{name}` ({kind})"));
        }
    }
    let lines = super::doc_lines(&file_doc);
    let async_doc = format!(" An async client for {title}: one method per operation, each returning a call to finish with `send().await`.");
    let blocking_doc = format!(" A blocking client for {title}: one method per operation, each returning a call to finish with `send()`.");
    let async_transport =
        quote! { ::swage_transport::nonblocking::HyperTransport::new(config.timeouts().connect) };
    let blocking_transport = quote! { ::swage_transport::blocking::HttpTransport::new() };
    let async_client = client_type(
        &async_doc,
        quote! { nonblocking },
        quote! { AsyncTransport },
        ("hyper", async_transport),
        (quote! { #[cfg(feature = "async")] }, quote! {}),
        &async_methods,
    );
    let blocking_client = client_type(
        &blocking_doc,
        quote! { blocking },
        quote! { Transport },
        ("swage's HTTP/1.1 over rustls", blocking_transport),
        (quote! {}, quote! { pub(super) }),
        &blocking_methods,
    );
    quote! {
        #( #![doc = #lines] )*

        pub use swage_runtime::client::{
            ClientParam, Config, ConfigBuilder, ConstructionError, Credentials, CredentialsError, EnvironmentVariables, ProvideCredentials, ProvideToken, Token,
            RetryConfig, SdkError, SdkErrorKind, Sent, TimeoutConfig, TimeoutKind, TransportError, TransportErrorKind,
        };

        #[cfg(feature = "aws-credential-types")]
        pub use swage_runtime::client::AwsCredentials;

        use swage_runtime::endpoint::{Endpoint, EndpointError};

        /// The service, as the runtime's clients need it.
        static SERVICE: swage_runtime::client::Service = swage_runtime::client::Service {
            signing_name: #signing_name,
            auth: #auth,
            signing: #signing,
            resolve_endpoint,
        };

        #resolve

        #async_client

        /// The blocking client.
        #[cfg(feature = "blocking")]
        pub mod blocking {
            use super::*;

            #blocking_client

            #blocking_provider
        }

        #calls

        #async_provider
    }
}

/// STS's `AssumeRoleProvider` and `WebIdentityProvider`, for the blocking and the async client:
/// credentials of a role, from the generated `AssumeRole` or `AssumeRoleWithWebIdentity`, cached
/// until 5 minutes before they expire.
fn assume_role_provider() -> (TokenStream, TokenStream) {
    let provider = |client: TokenStream, cfg: TokenStream, send: TokenStream, doc: &str| {
        quote! {
            #[doc = #doc]
            ///
            /// Give it to any client as its credentials (`Config::builder().credentials(provider)`);
            /// `get_caller_identity()` on such a client names the assumed role.
            #cfg
            #[derive(Debug)]
            pub struct AssumeRoleProvider {
                client: #client,
                role_arn: String,
                session_name: String,
                duration_seconds: Option<i32>,
                external_id: Option<String>,
                policy: Option<String>,
                cache: swage_runtime::client::CredentialsCache,
            }

            #cfg
            impl AssumeRoleProvider {
                /// Assumes `role_arn` as session `session_name`, calling STS with `client`
                /// (whose own credentials must be allowed to assume the role).
                pub fn new(client: #client, role_arn: impl Into<String>, session_name: impl Into<String>) -> Self {
                    AssumeRoleProvider {
                        client,
                        role_arn: role_arn.into(),
                        session_name: session_name.into(),
                        duration_seconds: None,
                        external_id: None,
                        policy: None,
                        cache: Default::default(),
                    }
                }

                /// How long the credentials last (STS's default is an hour).
                pub fn duration_seconds(mut self, seconds: i32) -> Self {
                    self.duration_seconds = Some(seconds);
                    self
                }

                /// The external id the role's trust policy asks for.
                pub fn external_id(mut self, id: impl Into<String>) -> Self {
                    self.external_id = Some(id.into());
                    self
                }

                /// A session policy, narrowing what the role may do in this session.
                pub fn policy(mut self, policy: impl Into<String>) -> Self {
                    self.policy = Some(policy.into());
                    self
                }
            }

            #cfg
            impl ProvideCredentials for AssumeRoleProvider {
                fn provide_credentials(&self) -> swage_runtime::client::CredentialsFuture<'_> {
                    Box::pin(async move {
                        if let Some(credentials) = self.cache.fresh() {
                            return Ok(credentials);
                        }
                        let call = self
                            .client
                            .assume_role()
                            .role_arn(self.role_arn.as_str())
                            .role_session_name(self.session_name.as_str())
                            .set_duration_seconds(self.duration_seconds)
                            .set_external_id(self.external_id.clone())
                            .set_policy(self.policy.clone());
                        let out = #send.map_err(|e| CredentialsError::new(format!("STS AssumeRole of {} failed: {e}", self.role_arn)))?;
                        let c = out.credentials().ok_or_else(|| CredentialsError::new("STS AssumeRole returned no credentials"))?;
                        let credentials = Credentials::new(
                            c.access_key_id(),
                            c.secret_access_key(),
                            Some(c.session_token().to_owned()),
                        );
                        self.cache.store(credentials.clone(), c.expiration().secs());
                        Ok(credentials)
                    })
                }
            }
        }
    };
    // Inside `blocking`, `Client` is the blocking client.
    let web_identity = |client: TokenStream, cfg: TokenStream, send: TokenStream, doc: &str| {
        quote! {
            #[doc = #doc]
            ///
            /// `AssumeRoleWithWebIdentity` is sent unsigned, so the client given here needs no
            /// credentials of its own. The token file is read again at each refresh (the
            /// platform rotates it).
            #cfg
            #[derive(Debug)]
            pub struct WebIdentityProvider {
                client: #client,
                role_arn: String,
                session_name: String,
                token_file: std::path::PathBuf,
                duration_seconds: Option<i32>,
                cache: swage_runtime::client::CredentialsCache,
            }

            #cfg
            impl WebIdentityProvider {
                /// Assumes `role_arn` as session `session_name` with the token in `token_file`.
                pub fn new(client: #client, role_arn: impl Into<String>, session_name: impl Into<String>, token_file: impl Into<std::path::PathBuf>) -> Self {
                    WebIdentityProvider {
                        client,
                        role_arn: role_arn.into(),
                        session_name: session_name.into(),
                        token_file: token_file.into(),
                        duration_seconds: None,
                        cache: Default::default(),
                    }
                }

                /// From the environment, as EKS and other platforms set it:
                /// `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`
                /// (`swage-` and the time when unset). An error names what is missing.
                pub fn from_env(client: #client) -> Result<Self, CredentialsError> {
                    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
                    let token_file = var("AWS_WEB_IDENTITY_TOKEN_FILE").ok_or_else(|| CredentialsError::new("AWS_WEB_IDENTITY_TOKEN_FILE is not set"))?;
                    let role_arn = var("AWS_ROLE_ARN").ok_or_else(|| CredentialsError::new("AWS_ROLE_ARN is not set"))?;
                    let session_name = var("AWS_ROLE_SESSION_NAME").unwrap_or_else(|| {
                        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
                        format!("swage-{now}")
                    });
                    Ok(WebIdentityProvider::new(client, role_arn, session_name, token_file))
                }

                /// How long the credentials last (STS's default is an hour).
                pub fn duration_seconds(mut self, seconds: i32) -> Self {
                    self.duration_seconds = Some(seconds);
                    self
                }
            }

            #cfg
            impl ProvideCredentials for WebIdentityProvider {
                fn provide_credentials(&self) -> swage_runtime::client::CredentialsFuture<'_> {
                    Box::pin(async move {
                        if let Some(credentials) = self.cache.fresh() {
                            return Ok(credentials);
                        }
                        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
                            CredentialsError::new(format!("cannot read the web identity token file {}: {e}", self.token_file.display()))
                        })?;
                        let call = self
                            .client
                            .assume_role_with_web_identity()
                            .role_arn(self.role_arn.as_str())
                            .role_session_name(self.session_name.as_str())
                            .web_identity_token(token.trim())
                            .set_duration_seconds(self.duration_seconds);
                        let out = #send.map_err(|e| CredentialsError::new(format!("STS AssumeRoleWithWebIdentity of {} failed: {e}", self.role_arn)))?;
                        let c = out.credentials().ok_or_else(|| CredentialsError::new("STS AssumeRoleWithWebIdentity returned no credentials"))?;
                        let credentials = Credentials::new(
                            c.access_key_id(),
                            c.secret_access_key(),
                            Some(c.session_token().to_owned()),
                        );
                        self.cache.store(credentials.clone(), c.expiration().secs());
                        Ok(credentials)
                    })
                }
            }
        }
    };
    let blocking_web = web_identity(
        quote! { Client },
        quote! { #[cfg(feature = "blocking")] },
        quote! { call.send() },
        " Credentials of an IAM role for a web identity (an OIDC token: EKS service accounts, CI\n systems), through STS `AssumeRoleWithWebIdentity` with the blocking client, cached and\n fetched again 5 minutes before they expire.",
    );
    let async_web = web_identity(
        quote! { Client },
        quote! { #[cfg(feature = "async")] },
        quote! { call.send().await },
        " Credentials of an IAM role for a web identity (an OIDC token: EKS service accounts, CI\n systems), through STS `AssumeRoleWithWebIdentity` with the async client, cached and\n fetched again 5 minutes before they expire.",
    );
    let blocking = provider(
        quote! { Client },
        quote! { #[cfg(feature = "blocking")] },
        quote! { call.send() },
        " Credentials of an IAM role, assumed through STS `AssumeRole` with the blocking client, cached\n and fetched again 5 minutes before they expire. Use it as any client's credentials.",
    );
    let nonblocking = provider(
        quote! { Client },
        quote! { #[cfg(feature = "async")] },
        quote! { call.send().await },
        " Credentials of an IAM role, assumed through STS `AssumeRole` with the async client, cached\n and fetched again 5 minutes before they expire. Use it as any async client's credentials.",
    );
    (
        quote! { #blocking #blocking_web },
        quote! { #nonblocking #async_web },
    )
}

/// A client type over the runtime's client in `module` (`blocking` or `nonblocking`), with the
/// operation methods `methods`.
/// `cfg` goes on each item; `inner_vis` is the visibility of the runtime client inside.
fn client_type(
    doc: &str,
    module: TokenStream,
    transport: TokenStream,
    (over, default_transport): (&str, TokenStream),
    (cfg, inner_vis): (TokenStream, TokenStream),
    methods: &TokenStream,
) -> TokenStream {
    let new_doc = format!(" A client over `{over}`, with `config`; credentials from `config`, else the default chain (`swage_runtime::client::chain::DefaultChain`: the environment, the shared config and credentials files, SSO, web identity, the container, EC2 instance metadata).");
    quote! {
        #cfg
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            #inner_vis inner: swage_runtime::client::#module::Client,
        }

        #cfg
        impl Client {
            #[doc = #new_doc]
            pub fn new(config: Config) -> Self {
                let config = config.with_default_credentials(::swage_transport::default_chain());
                let transport = #default_transport;
                Client::with_transport(config, transport)
            }

            /// A client with the region from `AWS_REGION` (else the shared config file) and
            /// credentials from the default chain.
            pub fn from_env() -> Self {
                Client::new(Config::from_env())
            }

            /// A client over another transport.
            pub fn with_transport(config: Config, transport: impl swage_runtime::client::#module::#transport + 'static) -> Self {
                Client { inner: swage_runtime::client::#module::Client::with_transport(config, transport) }
            }

            /// The configuration.
            pub fn config(&self) -> &Config {
                self.inner.config()
            }

            #methods
        }
    }
}

/// The forwarding setters of a call, one per builder setter.
fn setter(f: &Field) -> TokenStream {
    let field = ident(&f.method);
    let set = format_ident!("{}", f.setter);
    let ty = rust_type(&f.ty);
    let docs = doc(f.docs.as_deref().and_then(|d| d.split("\n\n").next()));
    let dep = deprecated(&f.deprecated);
    let add = match &f.ty {
        Type::List { item, sparse, .. } => {
            let item = rust_type(item);
            let item = if *sparse {
                quote! { Option<#item> }
            } else {
                item
            };
            quote! {
                #docs #dep
                #[doc = ""]
                #[doc = " Appends one element; call it once per element."]
                pub fn #field(mut self, item: impl Into<#item>) -> Self {
                    self.input = self.input.#field(item);
                    self
                }
            }
        }
        Type::Map { value, sparse, .. } => {
            let value = rust_type(value);
            let value = if *sparse {
                quote! { Option<#value> }
            } else {
                value
            };
            quote! {
                #docs #dep
                #[doc = ""]
                #[doc = " Inserts one entry; call it once per entry."]
                pub fn #field(mut self, key: impl Into<String>, value: impl Into<#value>) -> Self {
                    self.input = self.input.#field(key, value);
                    self
                }
            }
        }
        _ => quote! {
            #docs #dep
            pub fn #field(mut self, input: impl Into<#ty>) -> Self {
                self.input = self.input.#field(input);
                self
            }
        },
    };
    let set_doc = format!(" Sets or clears `{}`.", f.wire_name);
    quote! {
        #add
        #[doc = #set_doc]
        #dep
        pub fn #set(mut self, input: Option<#ty>) -> Self {
            self.input = self.input.#set(input);
            self
        }
    }
}

/// `resolve_endpoint(&Config)`: the rule set's parameters from the configuration's built-ins,
/// or, without a rule set, the configured URL.
fn resolve_endpoint(rules: Option<&EndpointRules>) -> TokenStream {
    let Some(rules) = rules else {
        return quote! {
            /// This model has no endpoint rules: the endpoint is the configured URL.
            fn resolve_endpoint(config: &Config) -> Result<Endpoint, EndpointError> {
                config.endpoint_url().map(Endpoint::from_url).ok_or_else(|| {
                    EndpointError::Rule("the model has no endpoint rules; configure `endpoint_url(..)`".to_owned())
                })
            }
        };
    };
    let mut fields = TokenStream::new();
    for p in &rules.params {
        let f = ident(&p.field);
        let optional = p.default.is_none();
        let name = &p.name;
        let client_param = rules.client_params.contains(&p.name);
        let value = match (p.built_in.as_deref(), p.kind) {
            (Some("AWS::Region"), ParamKind::String) => quote! { config.region() },
            (Some("SDK::Endpoint"), ParamKind::String) => quote! { config.endpoint_url() },
            (Some("AWS::UseFIPS"), ParamKind::Boolean) => quote! { config.use_fips() },
            (Some("AWS::UseDualStack"), ParamKind::Boolean) => quote! { config.use_dual_stack() },
            (_, ParamKind::String) if client_param => quote! { config.client_param_str(#name) },
            (_, ParamKind::Boolean) if client_param => {
                // Optional in the configuration, so it goes through the string path's shape.
                let v = if optional {
                    quote! { config.client_param_bool(#name) }
                } else {
                    let default = matches!(p.default, Some(crate::ir::ParamValue::Bool(true)));
                    quote! { config.client_param_bool(#name).unwrap_or(#default) }
                };
                fields.extend(quote! { #f: #v, });
                continue;
            }
            _ => continue,
        };
        let value = match (p.kind, optional) {
            (ParamKind::String, true) => quote! { #value.map(str::to_owned) },
            (ParamKind::String, false) => {
                let default = match &p.default {
                    Some(crate::ir::ParamValue::String(s)) => s.clone(),
                    _ => String::new(),
                };
                quote! { #value.map_or_else(|| #default.to_owned(), str::to_owned) }
            }
            (ParamKind::Boolean, true) => quote! { Some(#value) },
            _ => value,
        };
        fields.extend(quote! { #f: #value, });
    }
    let allow = rules
        .params
        .iter()
        .any(|p| p.deprecated.is_some())
        .then(|| quote! { #[allow(deprecated)] });
    let all_set = rules.params.iter().all(|p| {
        matches!(
            (p.built_in.as_deref(), p.kind),
            (Some("AWS::Region" | "SDK::Endpoint"), ParamKind::String)
                | (
                    Some("AWS::UseFIPS" | "AWS::UseDualStack"),
                    ParamKind::Boolean
                )
        ) || (rules.client_params.contains(&p.name)
            && matches!(p.kind, ParamKind::String | ParamKind::Boolean))
    });
    let rest = (!all_set).then(|| quote! { ..Default::default() });
    quote! {
        /// The endpoint parameters `config` sets (its region, FIPS and dual-stack choices, endpoint URL).
        #allow
        fn endpoint_params(config: &Config) -> crate::endpoint::EndpointParams {
            crate::endpoint::EndpointParams { #fields #rest }
        }

        /// The endpoint for `config`, from the service's rule set.
        fn resolve_endpoint(config: &Config) -> Result<Endpoint, EndpointError> {
            crate::endpoint::resolve(&endpoint_params(config))
        }
    }
}

/// The `Discovery` value of a call of `op` (which requires endpoint discovery), and the
/// discovery operation's type; `None` when the discovery operation's input or output is not the
/// shape the trait's spec gives (`Endpoints: [{Address, CachePeriodInMinutes}]`), in which case
/// the call goes to the regional endpoint.
fn discovery_call(
    krate: &crate::ir::Crate,
    op: &crate::ir::Operation,
    input: &crate::ir::Structure,
    discovery: &crate::ir::EndpointDiscovery,
) -> Option<(TokenStream, TokenStream)> {
    use crate::ir::Type;
    let describe = krate
        .operations
        .iter()
        .find(|o| o.shape_id == discovery.operation)?;
    let structure = |path: &crate::ir::TypePath| krate.structures.iter().find(|s| &s.path == path);
    let field = |s: &crate::ir::Structure, name: &str| {
        s.fields.iter().find(|f| f.wire_name == name).cloned()
    };
    let describe_ty = {
        let m = ident(&describe.module);
        let t = ident(&describe.type_name);
        quote! { crate::operation::#m::#t }
    };
    // The discovery input: the operation's name and identifiers, where it has those members.
    let describe_input = structure(&describe.input)?;
    let mut sets = TokenStream::new();
    if let Some(f) = field(describe_input, "Operation").filter(|f| f.ty == Type::String) {
        let setter = ident(&f.method);
        let name = &op.wire_name;
        sets.extend(quote! { .#setter(#name) });
    }
    let value_of = |getter: &str, required: bool| {
        let g = ident(getter);
        if required {
            quote! { input.#g() }
        } else {
            quote! { input.#g().unwrap_or_default() }
        }
    };
    let identifiers: Vec<(String, TokenStream)> = discovery
        .identifiers
        .iter()
        .filter_map(|name| {
            let f = input.fields.iter().find(|f| &f.wire_name == name)?;
            (f.ty == Type::String).then(|| (name.clone(), value_of(&f.method, f.required)))
        })
        .collect();
    if let Some(f) = field(describe_input, "Identifiers") {
        if matches!(&f.ty, Type::Map { value, sparse: false, .. } if **value == Type::String) {
            let setter = ident(&f.setter);
            let pairs = identifiers
                .iter()
                .map(|(name, value)| quote! { (#name.to_owned(), #value.to_owned()) });
            sets.extend(
                quote! { .#setter(Some(::std::collections::HashMap::from([#(#pairs),*]))) },
            );
        }
    }
    let describe_builder = type_path(&describe.input);
    // The endpoints in the discovery output.
    let output = structure(&describe.output)?;
    let endpoints = field(output, "Endpoints")?;
    let Type::List {
        item,
        sparse: false,
        ..
    } = &endpoints.ty
    else {
        return None;
    };
    let Type::Struct(endpoint_path) = &**item else {
        return None;
    };
    let endpoint = structure(endpoint_path)?;
    let address = field(endpoint, "Address").filter(|f| f.ty == Type::String)?;
    let period = field(endpoint, "CachePeriodInMinutes").filter(|f| f.ty == Type::Long)?;
    let list = {
        let g = ident(&endpoints.method);
        if endpoints.required {
            quote! { output.#g() }
        } else {
            quote! { output.#g().unwrap_or_default() }
        }
    };
    let required_address = address.required;
    let address = {
        let g = ident(&address.method);
        if address.required {
            quote! { e.#g().to_owned() }
        } else {
            quote! { e.#g()?.to_owned() }
        }
    };
    let period = {
        let g = ident(&period.method);
        if period.required {
            quote! { e.#g() }
        } else {
            quote! { e.#g().unwrap_or(1) }
        }
    };
    let pick = if required_address {
        quote! { #list.iter().map(|e| (#address, #period)).collect() }
    } else {
        quote! { #list.iter().filter_map(|e| Some((#address, #period))).collect() }
    };
    let output_ty = type_path(&describe.output);
    let err_ty = {
        let m = ident(&op.module);
        let e = ident(&op.error);
        quote! { crate::operation::#m::#e }
    };
    let invalid = match &discovery.invalid_endpoint {
        Some(variant) => {
            let is = quote::format_ident!("is_{}", crate::naming::plain_snake(variant));
            quote! { |e: &#err_ty| e.#is() }
        }
        None => quote! { |_: &#err_ty| false },
    };
    let name = &op.wire_name;
    let key_parts = identifiers.iter().map(|(id, value)| {
        quote! { key.push('\n'); key.push_str(#id); key.push('='); key.push_str(#value); }
    });
    Some((
        describe_ty,
        quote! {
            // The endpoint is discovered first (`aws.api#clientDiscoveredEndpoint`).
            let mut key = String::from(#name);
            #(#key_parts)*
            let discovery = swage_runtime::client::discovery::Discovery {
                key,
                input: #describe_builder::builder() #sets .build().map_err(SdkError::invalid_input)?,
                endpoints: |output: &#output_ty| {
                    #pick
                },
                invalid: #invalid,
            };
        },
    ))
}
