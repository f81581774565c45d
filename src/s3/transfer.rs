//! Moving object data: uploads (one PUT, or a multipart upload above [`MULTIPART_AT`]),
//! downloads to memory or to a file, and the small calls (head, delete, presign).
//!
//! Files are streamed: a single PUT reads the file as it is sent, and each part of a
//! multipart upload reads only its own range, so memory does not grow with the file.
//! A multipart upload that fails or is cancelled is aborted, so S3 keeps neither an
//! object nor the parts already sent.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::{ByteStream, Length};
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::Bytes;

use super::{location, metadata, Meter, S3Shared, UserMetadata, KIND};
use crate::bindings::{S3Metadata, S3Metrics};
use crate::errors::Error;
use crate::services::{error, sdk_error};

/// Part size of multipart uploads, and the size above which an upload is multipart.
pub const PART_SIZE: u64 = 8 * 1024 * 1024;
pub const MULTIPART_AT: u64 = PART_SIZE;

/// The longest a presigned URL may stay valid (S3's limit for SigV4: 7 days).
pub const MAX_PRESIGN_SECONDS: i64 = 7 * 24 * 3600;

pub enum Source {
    Bytes(Bytes),
    File(PathBuf),
}

impl Source {
    fn size(&self, what: &str) -> Result<u64, Error> {
        match self {
            Source::Bytes(b) => Ok(b.len() as u64),
            Source::File(p) => std::fs::metadata(p)
                .map(|m| m.len())
                .map_err(|e| error(KIND, what, format!("cannot read {}: {e}", p.display()))),
        }
    }

    /// The bytes `offset .. offset + len`, as a body that reads a file only when sent.
    async fn body(&self, offset: u64, len: u64, what: &str) -> Result<ByteStream, Error> {
        match self {
            Source::Bytes(b) => Ok(ByteStream::from(b.slice(offset as usize..(offset + len) as usize))),
            Source::File(p) => ByteStream::read_from()
                .path(p)
                .offset(offset)
                .length(Length::Exact(len))
                .build()
                .await
                .map_err(|e| error(KIND, what, format!("cannot read {}: {e}", p.display()))),
        }
    }
}

pub struct Upload {
    pub bucket: String,
    pub key: String,
    pub source: Source,
    pub content_type: Option<String>,
    pub metadata: Option<UserMetadata>,
}

pub async fn upload(shared: Arc<S3Shared>, u: Upload) -> Result<(S3Metadata, S3Metrics), Error> {
    let what = format!("upload to {}", location(&u.bucket, &u.key));
    let size = u.source.size(&what)?;
    let sdk = shared.sdk().await;
    let mut meter = Meter::start();
    let user_metadata = u.metadata.clone().map(|m| m.into_iter().collect());
    let (etag, version_id) = if size <= MULTIPART_AT {
        let out = sdk
            .put_object()
            .bucket(&u.bucket)
            .key(&u.key)
            .content_length(size as i64)
            .body(u.source.body(0, size, &what).await?)
            .set_content_type(u.content_type.clone())
            .set_metadata(user_metadata)
            .send()
            .await
            .map_err(|e| sdk_error(KIND, what.clone(), e))?;
        meter.calls += 1;
        meter.uploaded += size as i64;
        (out.e_tag, out.version_id)
    } else {
        let created = sdk
            .create_multipart_upload()
            .bucket(&u.bucket)
            .key(&u.key)
            .set_content_type(u.content_type.clone())
            .set_metadata(user_metadata)
            .send()
            .await
            .map_err(|e| sdk_error(KIND, what.clone(), e))?;
        meter.calls += 1;
        let upload_id = created.upload_id.ok_or_else(|| error(KIND, &what, "S3 returned no upload id"))?;
        let mut pending = PendingUpload { sdk: sdk.clone(), bucket: u.bucket.clone(), key: u.key.clone(), upload_id: Some(upload_id.clone()) };
        match send_parts(&sdk, &u, &upload_id, size, &mut meter, &what).await {
            Ok(done) => {
                pending.upload_id = None;
                done
            }
            Err(e) => {
                pending.abort().await;
                return Err(e);
            }
        }
    };
    let mut m = metadata(&u.bucket, &u.key, size as i64, etag.as_deref());
    m.content_type = u.content_type;
    m.version_id = version_id;
    m.metadata = u.metadata.filter(|m| !m.is_empty());
    Ok((m, meter.finish()))
}

async fn send_parts(
    sdk: &aws_sdk_s3::Client,
    u: &Upload,
    upload_id: &str,
    size: u64,
    meter: &mut Meter,
    what: &str,
) -> Result<(Option<String>, Option<String>), Error> {
    let mut parts = Vec::new();
    let mut offset = 0;
    let mut number = 1;
    while offset < size {
        let len = PART_SIZE.min(size - offset);
        let out = sdk
            .upload_part()
            .bucket(&u.bucket)
            .key(&u.key)
            .upload_id(upload_id)
            .part_number(number)
            .content_length(len as i64)
            .body(u.source.body(offset, len, what).await?)
            .send()
            .await
            .map_err(|e| sdk_error(KIND, format!("{what} (part {number})"), e))?;
        meter.calls += 1;
        meter.uploaded += len as i64;
        parts.push(CompletedPart::builder().part_number(number).set_e_tag(out.e_tag).build());
        offset += len;
        number += 1;
    }
    let done = sdk
        .complete_multipart_upload()
        .bucket(&u.bucket)
        .key(&u.key)
        .upload_id(upload_id)
        .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
        .send()
        .await
        .map_err(|e| sdk_error(KIND, what.to_string(), e))?;
    meter.calls += 1;
    Ok((done.e_tag, done.version_id))
}

/// A multipart upload not yet completed. Aborted on failure by [`PendingUpload::abort`];
/// if the upload's future is dropped instead (a cancelled awaitable), the abort is sent
/// from a task of its own.
struct PendingUpload {
    sdk: aws_sdk_s3::Client,
    bucket: String,
    key: String,
    upload_id: Option<String>,
}

impl PendingUpload {
    fn abort_request(&mut self) -> Option<impl std::future::Future<Output = ()> + Send + 'static> {
        let upload_id = self.upload_id.take()?;
        let request = self.sdk.abort_multipart_upload().bucket(&self.bucket).key(&self.key).upload_id(upload_id);
        // Best effort: the caller's error (or cancellation) is what gets reported; an
        // upload left incomplete is also removed by a bucket lifecycle rule, if any.
        Some(async move {
            let _ = request.send().await;
        })
    }

    async fn abort(mut self) {
        if let Some(request) = self.abort_request() {
            request.await;
        }
    }
}

impl Drop for PendingUpload {
    fn drop(&mut self) {
        if let Some(request) = self.abort_request() {
            crate::runtime::runtime().spawn(request);
        }
    }
}

pub async fn download(shared: Arc<S3Shared>, bucket: String, key: String) -> Result<(Vec<u8>, S3Metrics), Error> {
    let what = format!("download of {}", location(&bucket, &key));
    let mut meter = Meter::start();
    let out = shared.sdk().await.get_object().bucket(&bucket).key(&key).send().await.map_err(|e| sdk_error(KIND, what.clone(), e))?;
    meter.calls += 1;
    let data = out.body.collect().await.map_err(|e| error(KIND, &what, format!("the connection broke mid-download: {e}")))?;
    let data = data.to_vec();
    meter.downloaded = data.len() as i64;
    Ok((data, meter.finish()))
}

/// Streams the object into `path` through a temporary file beside it, renamed into place
/// once complete, so a failed download leaves no partial file under `path`.
pub async fn save_to_file(shared: Arc<S3Shared>, bucket: String, key: String, path: PathBuf) -> Result<(i64, S3Metrics), Error> {
    use std::io::Write;
    let what = format!("download of {} to {}", location(&bucket, &key), path.display());
    let mut meter = Meter::start();
    let mut out = shared.sdk().await.get_object().bucket(&bucket).key(&key).send().await.map_err(|e| sdk_error(KIND, what.clone(), e))?;
    meter.calls += 1;
    let partial = partial_path(&path);
    let cleanup = RemoveOnDrop(Some(partial.clone()));
    let mut file = std::fs::File::create(&partial).map_err(|e| error(KIND, &what, format!("cannot create {}: {e}", partial.display())))?;
    let mut written: i64 = 0;
    while let Some(chunk) = out.body.try_next().await.map_err(|e| error(KIND, &what, format!("the connection broke mid-download: {e}")))? {
        file.write_all(&chunk).map_err(|e| error(KIND, &what, format!("cannot write {}: {e}", partial.display())))?;
        written += chunk.len() as i64;
    }
    file.sync_all().map_err(|e| error(KIND, &what, format!("cannot write {}: {e}", partial.display())))?;
    drop(file);
    std::fs::rename(&partial, &path).map_err(|e| error(KIND, &what, format!("cannot move the download into place: {e}")))?;
    cleanup.disarm();
    meter.downloaded = written;
    Ok((written, meter.finish()))
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{:016x}.partial", fastrand::u64(..)));
    path.with_file_name(name)
}

struct RemoveOnDrop(Option<PathBuf>);

impl RemoveOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

pub async fn head(shared: Arc<S3Shared>, bucket: String, key: String) -> Result<(S3Metadata, S3Metrics), Error> {
    let what = format!("head of {}", location(&bucket, &key));
    let meter = {
        let mut m = Meter::start();
        m.calls = 1;
        m
    };
    let out = shared.sdk().await.head_object().bucket(&bucket).key(&key).send().await.map_err(|e| sdk_error(KIND, what, e))?;
    let mut m = metadata(&bucket, &key, out.content_length.unwrap_or(0), out.e_tag.as_deref());
    m.content_type = out.content_type;
    m.last_modified = out.last_modified.and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok());
    m.version_id = out.version_id;
    m.metadata = out.metadata.filter(|m| !m.is_empty()).map(|m| m.into_iter().collect());
    Ok((m, meter.finish()))
}

pub async fn delete(shared: Arc<S3Shared>, bucket: String, key: String) -> Result<S3Metrics, Error> {
    let what = format!("delete of {}", location(&bucket, &key));
    let mut meter = Meter::start();
    shared.sdk().await.delete_object().bucket(&bucket).key(&key).send().await.map_err(|e| sdk_error(KIND, what, e))?;
    meter.calls = 1;
    Ok(meter.finish())
}

pub async fn presign(shared: Arc<S3Shared>, bucket: String, key: String, expires_secs: i64) -> Result<(String, S3Metrics), Error> {
    let what = format!("presigned URL of {}", location(&bucket, &key));
    let meter = Meter::start();
    let config = PresigningConfig::expires_in(Duration::from_secs(expires_secs as u64)).map_err(|e| error(KIND, &what, e.to_string()))?;
    let request = shared.sdk().await.get_object().bucket(&bucket).key(&key).presigned(config).await.map_err(|e| sdk_error(KIND, what, e))?;
    // Signed locally: no request was sent.
    Ok((request.uri().to_string(), meter.finish()))
}
