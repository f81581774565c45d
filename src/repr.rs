//! Python-style `repr()` of the field types generated result records hold.

pub trait PyRepr {
    fn py_repr(&self) -> String;
}

impl PyRepr for f64 {
    fn py_repr(&self) -> String {
        // Python always shows a float with a decimal point or exponent.
        let s = format!("{self:?}");
        s
    }
}

impl PyRepr for i64 {
    fn py_repr(&self) -> String {
        self.to_string()
    }
}

impl PyRepr for String {
    fn py_repr(&self) -> String {
        format!("'{}'", self.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

impl<T: PyRepr> PyRepr for Option<T> {
    fn py_repr(&self) -> String {
        match self {
            Some(v) => v.py_repr(),
            None => "None".to_string(),
        }
    }
}
