//! One value per client, per process and per place a request runs from: the SDK client
//! and the direct path's HTTP connector both live by these rules.
//!
//! - Inside a sync call, each calling thread has its own (its connections belong to that
//!   thread's runtime, see runtime.rs); entries of dropped clients are pruned when a new
//!   one is added, and all of them go when the thread ends.
//! - On the shared runtime (async calls, prefetch), one per client.
//! - In a forked child, both are made again on first use: the parent's copies hold
//!   connections the child cannot use.

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::sync::{Arc, RwLock, Weak};

use crate::runtime;

/// An entry of one thread's table: the cache it belongs to (alive while its owner is),
/// the process it was made in, and the value.
struct Entry {
    owner: Weak<()>,
    pid: u32,
    value: Box<dyn Any>,
}

thread_local! {
    /// This thread's values of every live cache (a handful: one or two per client).
    static THREAD_VALUES: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

pub struct PerRuntime<T> {
    /// Identifies this cache's entries in the threads' tables; they hold it weakly, so
    /// they are pruned once the cache is dropped.
    id: Arc<()>,
    /// The shared runtime's value and the process it was made in.
    shared: RwLock<Option<(u32, T)>>,
}

impl<T: Clone + 'static> PerRuntime<T> {
    /// A cache whose shared-runtime value is `initial` (made in this process), if given.
    pub fn new(initial: Option<T>) -> Self {
        let shared = initial.map(|v| (runtime::process_id(), v));
        PerRuntime { id: Arc::new(()), shared: RwLock::new(shared) }
    }

    /// The value for where this future runs, made by `make` if there is none yet.
    pub async fn get<F, Fut>(&self, make: F) -> T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        let pid = runtime::process_id();
        if runtime::on_calling_thread() {
            if let Some(found) = self.thread_value(pid) {
                return found;
            }
            let value = make().await;
            THREAD_VALUES.with(|all| {
                let mut all = all.borrow_mut();
                all.retain(|e| e.pid == pid && e.owner.strong_count() > 0);
                all.push(Entry { owner: Arc::downgrade(&self.id), pid, value: Box::new(value.clone()) });
            });
            return value;
        }
        {
            let guard = self.shared.read().unwrap_or_else(|e| e.into_inner());
            if let Some((p, value)) = guard.as_ref() {
                if *p == pid {
                    return value.clone();
                }
            }
        }
        let fresh = make().await;
        *self.shared.write().unwrap_or_else(|e| e.into_inner()) = Some((pid, fresh.clone()));
        fresh
    }

    /// Sets this thread's value (measurements give a client a canned connector this way).
    #[cfg(test)]
    pub fn set_for_this_thread(&self, value: T) {
        let pid = runtime::process_id();
        THREAD_VALUES.with(|all| all.borrow_mut().push(Entry { owner: Arc::downgrade(&self.id), pid, value: Box::new(value) }));
    }

    fn thread_value(&self, pid: u32) -> Option<T> {
        let id = Arc::as_ptr(&self.id);
        THREAD_VALUES.with(|all| {
            all.borrow()
                .iter()
                .find(|e| e.pid == pid && std::ptr::eq(e.owner.as_ptr(), id))
                .and_then(|e| e.value.downcast_ref::<T>().cloned())
        })
    }
}
