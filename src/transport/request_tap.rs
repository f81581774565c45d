//! A copy of the JSON body of the request being sent, for a caller that asked for it
//! (the hot-partition detector reads partition keys from it, `crate::flow::keys`).
//!
//! [`tap`] runs a send future with a slot in scope; the direct path offers its body with
//! [`offer`], the SDK path's [`RequestTap`] interceptor copies the body it is about to
//! transmit (after serialization, so it is the same JSON the direct path writes). Outside
//! [`tap`] both cost one task-local lookup.

use std::future::Future;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;

type Slot = Arc<Mutex<Option<Bytes>>>;

tokio::task_local! {
    static TAP: Slot;
}

/// Runs `send` and returns its output with the body of the request it sent last.
pub async fn tap<F: Future>(send: F) -> (F::Output, Option<Bytes>) {
    let slot = Slot::default();
    let output = TAP.scope(slot.clone(), send).await;
    let body = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    (output, body)
}

/// Keeps `body` as the request's, inside [`tap`].
pub fn offer(body: &Bytes) {
    let _ = TAP.try_with(|slot| *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(body.clone()));
}

/// Registered on every SDK client (see `client.rs`); acts only inside [`tap`].
#[derive(Debug, Default)]
pub struct RequestTap;

impl Intercept for RequestTap {
    fn name(&self) -> &'static str {
        "pydynox::RequestTap"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let _ = TAP.try_with(|slot| {
            if let Some(bytes) = context.request().body().bytes() {
                *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(Bytes::copy_from_slice(bytes));
            }
        });
        Ok(())
    }
}
