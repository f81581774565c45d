//! The body of a successful response, taken out of the SDK's pipeline.
//!
//! A request still goes through everything the SDK does (endpoint, credentials, signing,
//! retries and their classification, timeouts, error mapping, request ids); only the last
//! step changes. An operation that wants the bytes runs its `send` inside [`capture`]. For
//! a 2xx response of such an operation, [`RawBodyInterceptor`] wraps the body so that, as
//! the SDK reads it, the bytes go to the operation's slot and the SDK's deserializer is
//! handed `{}`: it builds an empty output (with the request id from the headers) and no
//! `AttributeValue` tree. Error responses, and every operation not inside `capture`, pass
//! through untouched. The body is still read by the SDK's own `read_body`, so a connection
//! failure mid-body is the same response error, retried the same way, as without us.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use http_body::{Body, Frame};

/// Where a captured body lands; shared by the operation and the body wrapper.
#[derive(Clone, Default)]
struct Slot(Arc<Mutex<Option<Bytes>>>);

impl Slot {
    fn put(&self, bytes: Bytes) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes);
    }

    fn take(&self) -> Option<Bytes> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

tokio::task_local! {
    /// Set while an operation that wants its raw body is being sent. The SDK runs its
    /// interceptors inside the poll of `send()`, so they see it.
    static SLOT: Slot;
}

/// Runs `send` (an SDK `send()` future) and returns its output with the body of the
/// successful response it got, if any. The body is `None` when the output is an error, or
/// when the client has no [`RawBodyInterceptor`].
pub async fn capture<F: Future>(send: F) -> (F::Output, Option<Bytes>) {
    let slot = Slot::default();
    let output = SLOT.scope(slot.clone(), send).await;
    (output, slot.take())
}

/// Registered once on every SDK client (see `client.rs`); acts only inside [`capture`].
#[derive(Debug, Default)]
pub struct RawBodyInterceptor;

impl Intercept for RawBodyInterceptor {
    fn name(&self) -> &'static str {
        "pydynox::RawBodyInterceptor"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Ok(slot) = SLOT.try_with(Slot::clone) else {
            return Ok(());
        };
        let response = context.response_mut();
        if !response.status().is_success() {
            return Ok(());
        }
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        *response.body_mut() = SdkBody::from_body_1_x(Capture { inner: body, slot, first: None, rest: Vec::new(), done: false });
        Ok(())
    }
}

/// What the SDK's deserializer sees instead of the real body.
const EMPTY_OUTPUT: &[u8] = b"{}";

/// A body that reads `inner` to the end into the slot, then yields `{}`.
struct Capture {
    inner: SdkBody,
    slot: Slot,
    /// The first chunk, kept as is: most bodies arrive in one, and then nothing is copied.
    first: Option<Bytes>,
    /// Every chunk so far, once there is more than one.
    rest: Vec<u8>,
    done: bool,
}

impl Capture {
    fn push(&mut self, chunk: Bytes) {
        if self.first.is_none() && self.rest.is_empty() {
            self.first = Some(chunk);
            return;
        }
        if let Some(first) = self.first.take() {
            self.rest.extend_from_slice(&first);
        }
        self.rest.extend_from_slice(&chunk);
    }

    fn finish(&mut self) -> Bytes {
        match self.first.take() {
            Some(only) => only,
            None => Bytes::from(std::mem::take(&mut self.rest)),
        }
    }
}

impl Body for Capture {
    type Data = Bytes;
    type Error = aws_smithy_types::body::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    // Trailers carry nothing DynamoDB's deserializer reads.
                    if let Ok(data) = frame.into_data() {
                        this.push(data);
                    }
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => {
                    this.done = true;
                    let bytes = this.finish();
                    this.slot.put(bytes);
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(EMPTY_OUTPUT)))));
                }
            }
        }
    }
}
