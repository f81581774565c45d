//! CreateTable with optional global and local secondary indexes.

use std::time::Duration;

use aws_sdk_dynamodb::operation::create_table::builders::CreateTableInputBuilder;
use aws_sdk_dynamodb::operation::create_table::CreateTableInput;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, LocalSecondaryIndex,
    Projection, ProjectionType, ProvisionedThroughput, ScalarAttributeType, SseSpecification, SseType, TableClass,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{DynamoDBClient, OpKind};
use crate::errors::Error;
use crate::ops::args;
use crate::ops::send::{About, Call};
use crate::ops::wait_for_table_active::wait_active;

const GSI_KEYS: &[&str] =
    &["index_name", "hash_key", "hash_keys", "range_key", "range_keys", "projection", "non_key_attributes", "read_capacity", "write_capacity"];
/// Attributes of one key of a global index (DynamoDB's multi-attribute keys).
const MAX_KEY_ATTRIBUTES: usize = 4;
const LSI_KEYS: &[&str] = &["index_name", "range_key", "projection", "non_key_attributes"];
const WAIT_TIMEOUT: Duration = Duration::from_secs(300);

pub struct Prepared {
    call: Call,
    table_name: String,
    request: CreateTableInputBuilder,
    wait: bool,
}

fn bad(msg: String) -> PyErr {
    crate::errors::invalid(msg)
}

/// Key attributes, each declared once even when several indexes use it.
#[derive(Default)]
struct Attributes(Vec<AttributeDefinition>);

impl Attributes {
    /// Declares `(name, type)` and returns the key element for it.
    fn key(&mut self, (name, ty): &(String, String), key_type: KeyType, at: &str) -> PyResult<KeySchemaElement> {
        let scalar = match ty.to_ascii_uppercase().as_str() {
            "S" => ScalarAttributeType::S,
            "N" => ScalarAttributeType::N,
            "B" => ScalarAttributeType::B,
            _ => return Err(bad(format!("{at}: attribute type '{ty}' must be 'S' (string), 'N' (number) or 'B' (binary)"))),
        };
        match self.0.iter().find(|d| d.attribute_name() == name) {
            Some(d) if d.attribute_type() != &scalar => {
                return Err(bad(format!("{at}: attribute '{name}' is declared with two different types")))
            }
            Some(_) => {}
            None => self.0.push(AttributeDefinition::builder().attribute_name(name).attribute_type(scalar).build().map_err(|e| bad(e.to_string()))?),
        }
        KeySchemaElement::builder().attribute_name(name).key_type(key_type).build().map_err(|e| bad(e.to_string()))
    }
}

fn key_tuple(d: &Bound<'_, PyDict>, field: &str, at: &str) -> PyResult<Option<(String, String)>> {
    args::optional(d, field)?
        .map(|v| v.extract::<(String, String)>().map_err(|_| bad(format!("{at}['{field}'] must be a (name, type) tuple"))))
        .transpose()
}

/// A global index's key: `one` as a (name, type) tuple, or `many` as a list of one to
/// four of them (a multi-attribute key); empty when neither is given.
fn key_tuples(d: &Bound<'_, PyDict>, one: &str, many: &str, at: &str) -> PyResult<Vec<(String, String)>> {
    let single = key_tuple(d, one, at)?;
    let list = args::optional(d, many)?
        .map(|v| v.extract::<Vec<(String, String)>>().map_err(|_| bad(format!("{at}['{many}'] must be a list of (name, type) tuples"))))
        .transpose()?;
    match (single, list) {
        (Some(_), Some(_)) => Err(bad(format!("{at}: give '{one}' or '{many}', not both"))),
        (Some(key), None) => Ok(vec![key]),
        (None, Some(keys)) if (1..=MAX_KEY_ATTRIBUTES).contains(&keys.len()) => Ok(keys),
        (None, Some(keys)) => Err(bad(format!("{at}['{many}'] has {} attributes; a key has one to {MAX_KEY_ATTRIBUTES}", keys.len()))),
        (None, None) => Ok(Vec::new()),
    }
}

fn projection(d: &Bound<'_, PyDict>, at: &str) -> PyResult<Projection> {
    let kind = args::optional(d, "projection")?.map(|v| args::string(&v, &format!("{at}['projection']"))).transpose()?;
    let non_key = args::optional(d, "non_key_attributes")?
        .map(|v| v.extract::<Vec<String>>().map_err(|_| bad(format!("{at}['non_key_attributes'] must be a list of str"))))
        .transpose()?;
    let ty = match kind.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None | Some("ALL") => ProjectionType::All,
        Some("KEYS_ONLY") => ProjectionType::KeysOnly,
        Some("INCLUDE") => ProjectionType::Include,
        Some(other) => return Err(bad(format!("{at}['projection'] is '{other}'; expected ALL, KEYS_ONLY or INCLUDE"))),
    };
    if ty == ProjectionType::Include && non_key.as_ref().is_none_or(|n| n.is_empty()) {
        return Err(bad(format!("{at}: projection INCLUDE needs non_key_attributes")));
    }
    Ok(Projection::builder().projection_type(ty).set_non_key_attributes(non_key).build())
}

fn throughput(read: Option<i64>, write: Option<i64>, at: &str) -> PyResult<ProvisionedThroughput> {
    let units = |v: Option<i64>, name: &str| match v {
        Some(n) if n >= 1 => Ok(n),
        Some(n) => Err(bad(format!("{at}{name} must be at least 1, got {n}"))),
        None => Err(bad(format!("{at}{name} is required for PROVISIONED billing"))),
    };
    ProvisionedThroughput::builder()
        .read_capacity_units(units(read, "read_capacity")?)
        .write_capacity_units(units(write, "write_capacity")?)
        .build()
        .map_err(|e| bad(e.to_string()))
}

#[allow(clippy::too_many_arguments)]
pub fn prepare(
    client: &DynamoDBClient,
    _py: Python<'_>,
    table_name: String,
    hash_key: (String, String),
    range_key: Option<(String, String)>,
    billing_mode: String,
    read_capacity: Option<i64>,
    write_capacity: Option<i64>,
    table_class: Option<String>,
    encryption: Option<String>,
    kms_key_id: Option<String>,
    global_secondary_indexes: Option<crate::ops::args::Seq<Bound<'_, PyDict>>>,
    local_secondary_indexes: Option<crate::ops::args::Seq<Bound<'_, PyDict>>>,
    wait: bool,
) -> PyResult<Prepared> {
    let provisioned = match billing_mode.to_ascii_uppercase().as_str() {
        "PAY_PER_REQUEST" => false,
        "PROVISIONED" => true,
        other => return Err(bad(format!("billing_mode is '{other}'; expected PAY_PER_REQUEST or PROVISIONED"))),
    };
    let mut attrs = Attributes::default();
    let mut schema = vec![attrs.key(&hash_key, KeyType::Hash, "hash_key")?];
    if let Some(rk) = &range_key {
        schema.push(attrs.key(rk, KeyType::Range, "range_key")?);
    }
    let mut request = CreateTableInput::builder().table_name(&table_name).set_key_schema(Some(schema));
    request = if provisioned {
        request.billing_mode(BillingMode::Provisioned).provisioned_throughput(throughput(read_capacity, write_capacity, "")?)
    } else {
        request.billing_mode(BillingMode::PayPerRequest)
    };

    for (i, g) in global_secondary_indexes.unwrap_or_default().iter().enumerate() {
        let at = format!("global_secondary_indexes[{i}]");
        args::only_keys(g, GSI_KEYS, &at)?;
        let name = args::string(&args::required(g, "index_name", &at)?, &format!("{at}['index_name']"))?;
        let hash = key_tuples(g, "hash_key", "hash_keys", &at)?;
        if hash.is_empty() {
            return Err(bad(format!("{at} is missing 'hash_key'")));
        }
        let mut keys = Vec::new();
        for key in &hash {
            keys.push(attrs.key(key, KeyType::Hash, &at)?);
        }
        for key in &key_tuples(g, "range_key", "range_keys", &at)? {
            keys.push(attrs.key(key, KeyType::Range, &at)?);
        }
        let mut index = GlobalSecondaryIndex::builder().index_name(name).set_key_schema(Some(keys)).projection(projection(g, &at)?);
        if provisioned {
            let cap = |field: &str| -> PyResult<Option<i64>> { args::optional(g, field)?.map(|v| v.extract::<i64>()).transpose() };
            index = index.provisioned_throughput(throughput(cap("read_capacity")?.or(read_capacity), cap("write_capacity")?.or(write_capacity), &format!("{at} "))?);
        }
        request = request.global_secondary_indexes(index.build().map_err(|e| bad(format!("{at}: {e}")))?);
    }
    for (i, l) in local_secondary_indexes.unwrap_or_default().iter().enumerate() {
        let at = format!("local_secondary_indexes[{i}]");
        args::only_keys(l, LSI_KEYS, &at)?;
        let name = args::string(&args::required(l, "index_name", &at)?, &format!("{at}['index_name']"))?;
        let rk = key_tuple(l, "range_key", &at)?.ok_or_else(|| bad(format!("{at} is missing 'range_key'")))?;
        let keys = vec![attrs.key(&hash_key, KeyType::Hash, &at)?, attrs.key(&rk, KeyType::Range, &at)?];
        let index = LocalSecondaryIndex::builder().index_name(name).set_key_schema(Some(keys)).projection(projection(l, &at)?);
        request = request.local_secondary_indexes(index.build().map_err(|e| bad(format!("{at}: {e}")))?);
    }
    if let Some(class) = table_class {
        request = request.table_class(match class.to_ascii_uppercase().as_str() {
            "STANDARD" => TableClass::Standard,
            "STANDARD_INFREQUENT_ACCESS" => TableClass::StandardInfrequentAccess,
            other => return Err(bad(format!("table_class is '{other}'; expected STANDARD or STANDARD_INFREQUENT_ACCESS"))),
        });
    }
    match encryption.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None | Some("AWS_OWNED") => {
            if kms_key_id.is_some() {
                return Err(bad("kms_key_id needs encryption='CUSTOMER_MANAGED'".into()));
            }
        }
        Some("AWS_MANAGED") => request = request.sse_specification(SseSpecification::builder().enabled(true).sse_type(SseType::Kms).build()),
        Some("CUSTOMER_MANAGED") => {
            let Some(key) = kms_key_id else {
                return Err(bad("encryption='CUSTOMER_MANAGED' needs kms_key_id".into()));
            };
            request = request.sse_specification(SseSpecification::builder().enabled(true).sse_type(SseType::Kms).kms_master_key_id(key).build());
        }
        Some(other) => return Err(bad(format!("encryption is '{other}'; expected AWS_OWNED, AWS_MANAGED or CUSTOMER_MANAGED"))),
    }
    request = request.set_attribute_definitions(Some(attrs.0));
    let call = Call::new(&client.shared, "create_table", OpKind::Other, About::table(&table_name));
    Ok(Prepared { call, table_name, request, wait })
}

pub async fn execute(p: Prepared) -> Result<(), Error> {
    let Prepared { call, table_name, request, wait } = p;
    call.send_sdk("CreateTable", |sdk| async move { request.send_with(&sdk).await }).await?;
    // Keys described before under this name belong to a table since deleted.
    call.forget_key_schema();
    if wait {
        wait_active(&call, &table_name, WAIT_TIMEOUT).await?;
    }
    Ok(())
}

pub fn convert(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}
