//! The key attribute names of the tables a client has described, cached per table name for
//! the client's life: what turns the last item a pager handed out into its exact resume key
//! (`crate::ops::key_schema`, which fetches them). Nothing here sends a request.
//!
//! One `OnceCell` per table makes the fetch single flight: callers that need the same
//! table's names at once (threads, async tasks) wait for one DescribeTable. A failed fetch
//! leaves the cell empty, so the next caller asks again. `forget` drops a table's entry
//! when the client learns the table is gone (ResourceNotFound, DeleteTable, CreateTable);
//! a fetch already under way finishes into the dropped cell and is not seen again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::types::{KeySchemaElement, TableDescription};
use tokio::sync::OnceCell;

/// A table's key attribute names and those of each of its indexes (partition attributes
/// first, as the key schema lists them; up to four of each for multi-attribute index keys).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TableKeys {
    pub table: Vec<String>,
    pub indexes: HashMap<String, Vec<String>>,
}

impl TableKeys {
    /// The key attribute names in a table's description (exact resume keys and the
    /// hot-partition detector read them from this one cache).
    pub fn from_description(t: &TableDescription) -> TableKeys {
        let names = |schema: &[KeySchemaElement]| schema.iter().map(|k| k.attribute_name().to_owned()).collect::<Vec<_>>();
        let mut keys = TableKeys { table: names(t.key_schema()), ..TableKeys::default() };
        for g in t.global_secondary_indexes() {
            keys.indexes.insert(g.index_name().unwrap_or_default().to_owned(), names(g.key_schema()));
        }
        for l in t.local_secondary_indexes() {
            keys.indexes.insert(l.index_name().unwrap_or_default().to_owned(), names(l.key_schema()));
        }
        keys
    }

    /// The attributes of a resume key: the index's key attributes then the table's (an
    /// index's LastEvaluatedKey carries both), each once. None for an index the table does
    /// not have.
    pub fn resume_names(&self, index: Option<&str>) -> Option<Vec<String>> {
        let mut names = match index {
            Some(index) => self.indexes.get(index)?.clone(),
            None => Vec::new(),
        };
        for name in &self.table {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        Some(names)
    }
}

#[derive(Default)]
pub struct KeySchemas {
    tables: Mutex<HashMap<String, Arc<OnceCell<Arc<TableKeys>>>>>,
}

impl KeySchemas {
    /// `table`'s keys, from the cache or from `fetch` (run by one caller at a time per
    /// table; the others wait for its outcome). The lock is never held across an await.
    pub async fn get<E, Fut>(&self, table: &str, fetch: impl FnOnce() -> Fut) -> Result<Arc<TableKeys>, E>
    where
        Fut: Future<Output = Result<TableKeys, E>>,
    {
        let cell = self.lock().entry(table.to_owned()).or_default().clone();
        cell.get_or_try_init(|| async { fetch().await.map(Arc::new) }).await.cloned()
    }

    /// Drops what is known of `table`: the next `get` fetches it again.
    pub fn forget(&self, table: &str) {
        self.lock().remove(table);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<OnceCell<Arc<TableKeys>>>>> {
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn keys(table: &[&str]) -> TableKeys {
        TableKeys { table: table.iter().map(|s| s.to_string()).collect(), indexes: HashMap::new() }
    }

    #[test]
    fn index_names_come_first_and_shared_names_once() {
        let mut k = keys(&["pk", "sk"]);
        k.indexes.insert("lsi".into(), vec!["pk".into(), "other".into()]);
        assert_eq!(k.resume_names(None).unwrap(), ["pk", "sk"]);
        assert_eq!(k.resume_names(Some("lsi")).unwrap(), ["pk", "other", "sk"]);
        assert_eq!(k.resume_names(Some("missing")), None);
    }

    #[test]
    fn one_fetch_for_concurrent_callers_and_again_after_forget_or_failure() {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let cache = Arc::new(KeySchemas::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let get = |cache: Arc<KeySchemas>, fetches: Arc<AtomicUsize>, fail: bool| async move {
            cache
                .get("t", || async move {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    tokio::task::yield_now().await;
                    if fail { Err("down") } else { Ok(keys(&["pk"])) }
                })
                .await
        };
        rt.block_on(async {
            assert_eq!(get(cache.clone(), fetches.clone(), true).await, Err("down"));
            let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(get(cache.clone(), fetches.clone(), false))).collect();
            for task in tasks {
                assert_eq!(task.await.unwrap().unwrap().table, ["pk"]);
            }
            assert_eq!(fetches.load(Ordering::SeqCst), 2, "one failed fetch, then one for eight callers");
            cache.forget("t");
            get(cache.clone(), fetches.clone(), false).await.unwrap();
            assert_eq!(fetches.load(Ordering::SeqCst), 3);
        });
    }
}
