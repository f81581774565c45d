//! Python values <-> DynamoDB attribute values, converted directly in Rust.
//! (Being written: see the module docs of to_wire.rs and from_wire.rs.)
