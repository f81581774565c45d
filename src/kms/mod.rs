//! `KmsEncryptor`: envelope encryption with one KMS key, for EncryptedAttribute. Its
//! Python methods are generated (spec/services.yaml); the operations' cores
//! (src/ops/kms_encrypt.rs, kms_decrypt.rs) call [`encrypt`] and [`decrypt`] here.
//!
//! Every value gets a fresh data key (one GenerateDataKey per encrypt, one Decrypt per
//! decrypt): no data key is cached or reused, so a leaked data key exposes one value.
//! Decrypt names the configured key, so KMS refuses a value sealed under another key
//! instead of silently using whichever key the stored blob names.

pub mod envelope;

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_kms::types::DataKeySpec;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{redact_endpoint, ClientOptions};
use crate::errors::{Error, ErrorKind};
use crate::services::{self, PerProcess};
use envelope::{DataKey, Unreadable};

pub struct KmsShared {
    pub key_id: String,
    /// Bound into both KMS calls: a value decrypts only under the context it was sealed with.
    context: HashMap<String, String>,
    options: ClientOptions,
    sdk: PerProcess<aws_sdk_kms::Client>,
}

#[pyclass(module = "pydynox.pydynox_core", frozen, subclass)]
pub struct KmsEncryptor {
    pub shared: Arc<KmsShared>,
}

impl KmsShared {
    async fn sdk(&self) -> aws_sdk_kms::Client {
        self.sdk
            .get(|| async {
                let loaded = services::load(&self.options).await;
                let mut conf = aws_sdk_kms::config::Builder::from(&loaded.sdk).region(loaded.region);
                if let Some(provider) = loaded.credentials {
                    conf = conf.credentials_provider(provider);
                }
                aws_sdk_kms::Client::from_conf(conf.build())
            })
            .await
    }
}

fn context_of(context: Option<Bound<'_, PyDict>>) -> PyResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    if let Some(d) = context {
        for (k, v) in d.iter() {
            let (Ok(k), Ok(v)) = (k.extract::<String>(), v.extract::<String>()) else {
                return Err(crate::errors::invalid("context must map str to str"));
            };
            out.insert(k, v);
        }
    }
    Ok(out)
}

pub fn build(key_id: String, context: Option<Bound<'_, PyDict>>, options: ClientOptions) -> PyResult<KmsEncryptor> {
    if key_id.trim().is_empty() {
        return Err(crate::errors::invalid("key_id must name a KMS key (id, ARN or alias/...)"));
    }
    Ok(KmsEncryptor {
        shared: Arc::new(KmsShared { key_id, context: context_of(context)?, options, sdk: PerProcess::new() }),
    })
}

/// The generated `__new__`.
pub fn new(
    _py: Python<'_>,
    key_id: String,
    context: Option<Bound<'_, PyDict>>,
    settings: services::Connection,
) -> PyResult<KmsEncryptor> {
    build(key_id, context, settings.options()?)
}

/// `KmsEncryptor(key_id='alias/x')`: the key and endpoint, never credentials or context values.
pub fn repr(e: &KmsEncryptor) -> String {
    let s = &e.shared;
    match &s.options.endpoint_url {
        Some(url) => format!("KmsEncryptor(key_id={:?}, endpoint_url={:?})", s.key_id, redact_endpoint(url)),
        None => format!("KmsEncryptor(key_id={:?})", s.key_id),
    }
}

fn failed(shared: &KmsShared, action: &str, message: impl Into<String>) -> Error {
    services::error(ErrorKind::Encryption, format!("{action} with KMS key '{}'", shared.key_id), message)
}

/// The stored form of `plaintext` under a fresh data key.
pub async fn encrypt(shared: Arc<KmsShared>, plaintext: String) -> Result<String, Error> {
    let what = || format!("encrypt with KMS key '{}'", shared.key_id);
    let out = shared
        .sdk()
        .await
        .generate_data_key()
        .key_id(&shared.key_id)
        .key_spec(DataKeySpec::Aes256)
        .set_encryption_context(Some(shared.context.clone()).filter(|c| !c.is_empty()))
        .send()
        .await
        .map_err(|e| services::sdk_error(ErrorKind::Encryption, what(), e))?;
    let (Some(key), Some(wrapped)) = (out.plaintext, out.ciphertext_blob) else {
        return Err(failed(&shared, "encrypt", "KMS GenerateDataKey returned no data key"));
    };
    let key = DataKey::new(key.into_inner());
    envelope::seal(&plaintext, &key, wrapped.as_ref()).map_err(|e| failed(&shared, "encrypt", e.to_string()))
}

/// The text a stored form holds.
pub async fn decrypt(shared: Arc<KmsShared>, stored: String) -> Result<String, Error> {
    let unreadable = |e: Unreadable| failed(&shared, "decrypt", e.to_string());
    let env = envelope::unpack(&stored).map_err(unreadable)?;
    let what = || format!("decrypt with KMS key '{}'", shared.key_id);
    let out = shared
        .sdk()
        .await
        .decrypt()
        .key_id(&shared.key_id)
        .ciphertext_blob(aws_sdk_kms::primitives::Blob::new(env.wrapped_key.clone()))
        .set_encryption_context(Some(shared.context.clone()).filter(|c| !c.is_empty()))
        .send()
        .await
        .map_err(|e| {
            let mut e = services::sdk_error(ErrorKind::Encryption, what(), e);
            e.message = format!(
                "KMS refused the value's data key (encrypted under another key or encryption context, or altered): {}",
                e.message
            );
            e
        })?;
    let key = DataKey::new(out.plaintext.ok_or_else(|| failed(&shared, "decrypt", "KMS Decrypt returned no key"))?.into_inner());
    envelope::open(env, &key).map_err(unreadable)
}
