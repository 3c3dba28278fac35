//! Insertion-ordered variable labels of any hashable type, over the core's `u32` indices.
//!
//! While the labels are exactly `0..n` (the common case for numpy users) nothing is stored and a
//! lookup is an integer check; the first other label materializes an index list and a dict.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList};

pub(crate) struct Labels {
    len: usize,
    map: Option<Map>,
}

struct Map {
    list: Vec<Py<PyAny>>,
    index: Py<PyDict>,
}

impl Labels {
    /// Labels `0..len`.
    pub(crate) fn range(len: usize) -> Self {
        Labels { len, map: None }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_range(&self) -> bool {
        self.map.is_none()
    }

    /// The index of `label`, if present. In range mode `1`, `1.0` and `True` are the same label,
    /// as they are the same dict key in Python.
    pub(crate) fn index_of(&self, label: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
        match &self.map {
            None => Ok(as_int(label)
                .filter(|&i| i >= 0 && (i as u64) < self.len as u64)
                .map(|i| i as u32)),
            Some(m) => match m.index.bind(label.py()).get_item(label)? {
                Some(i) => Ok(Some(i.extract()?)),
                None => Ok(None),
            },
        }
    }

    /// The label at `index` (< len).
    pub(crate) fn label(&self, py: Python<'_>, index: usize) -> Py<PyAny> {
        match &self.map {
            None => index.into_pyobject(py).expect("an int").into_any().unbind(),
            Some(m) => m.list[index].clone_ref(py),
        }
    }

    /// All labels in order.
    pub(crate) fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, (0..self.len).map(|i| self.label(py, i)))
    }

    fn materialize(&mut self, py: Python<'_>) -> PyResult<&mut Map> {
        if self.map.is_none() {
            let index = PyDict::new(py);
            let mut list = Vec::with_capacity(self.len);
            for i in 0..self.len {
                let label = i.into_pyobject(py)?.into_any();
                index.set_item(&label, i)?;
                list.push(label.unbind());
            }
            self.map = Some(Map {
                list,
                index: index.unbind(),
            });
        }
        Ok(self.map.as_mut().expect("just built"))
    }

    /// Appends a label not yet present (the caller checked).
    pub(crate) fn push(&mut self, label: &Bound<'_, PyAny>) -> PyResult<()> {
        if self.map.is_none() && as_int(label) == Some(self.len as i64) && label.is_instance_of::<PyInt>() {
            self.len += 1;
            return Ok(());
        }
        let n = self.len;
        let m = self.materialize(label.py())?;
        m.index.bind(label.py()).set_item(label, n)?;
        m.list.push(label.clone().unbind());
        self.len += 1;
        Ok(())
    }

    /// Appends `count` generated labels (dimod's rule, see [`Labels::generate`]).
    pub(crate) fn push_generated(&mut self, py: Python<'_>, count: usize) -> PyResult<()> {
        if self.map.is_none() {
            self.len += count;
            return Ok(());
        }
        for _ in 0..count {
            let label = self.generate(py)?;
            self.push(label.bind(py))?;
        }
        Ok(())
    }

    /// dimod's rule for a new label: the new variable's index if unused, otherwise the lowest
    /// unused non-negative integer.
    pub(crate) fn generate(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let taken = |i: usize| -> PyResult<bool> {
            let label = i.into_pyobject(py)?.into_any();
            Ok(self.index_of(&label)?.is_some())
        };
        let mut candidate = self.len;
        if taken(candidate)? {
            candidate = 0;
            while taken(candidate)? {
                candidate += 1;
            }
        }
        Ok(candidate.into_pyobject(py)?.into_any().unbind())
    }

    /// Keeps the labels whose index is not in `removed` (a mask of length len).
    pub(crate) fn retain(&mut self, py: Python<'_>, removed: &[bool]) -> PyResult<()> {
        let kept = removed.iter().filter(|&&r| !r).count();
        let is_suffix_free = removed[..kept].iter().all(|&r| !r);
        if self.map.is_none() && is_suffix_free {
            self.len = kept; // dropping the tail keeps 0..kept
            return Ok(());
        }
        let list: Vec<Py<PyAny>> = (0..self.len)
            .filter(|&i| !removed[i])
            .map(|i| self.label(py, i))
            .collect();
        *self = Labels::from_list(py, list)?;
        Ok(())
    }

    /// Labels from a list; an error names the first duplicate.
    pub(crate) fn from_list(py: Python<'_>, list: Vec<Py<PyAny>>) -> PyResult<Self> {
        let is_range = list
            .iter()
            .enumerate()
            .all(|(i, l)| l.bind(py).is_instance_of::<PyInt>() && as_int(l.bind(py)) == Some(i as i64));
        if is_range {
            return Ok(Labels::range(list.len()));
        }
        let index = PyDict::new(py);
        for (i, l) in list.iter().enumerate() {
            if index.contains(l)? {
                return Err(crate::errors::invalid_argument(
                    "labels",
                    format!("label {} appears more than once", l.bind(py).repr()?),
                ));
            }
            index.set_item(l, i)?;
        }
        Ok(Labels {
            len: list.len(),
            map: Some(Map {
                list,
                index: index.unbind(),
            }),
        })
    }

    pub(crate) fn clone_ref(&self, py: Python<'_>) -> Self {
        Labels {
            len: self.len,
            map: self.map.as_ref().map(|m| Map {
                list: m.list.iter().map(|l| l.clone_ref(py)).collect(),
                index: m.index.bind(py).copy().expect("dict copy").unbind(),
            }),
        }
    }

    pub(crate) fn equals(&self, py: Python<'_>, other: &Labels) -> PyResult<bool> {
        if self.len != other.len {
            return Ok(false);
        }
        for i in 0..self.len {
            if !self.label(py, i).bind(py).eq(other.label(py, i))? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The integer value of an int, bool or integral float.
fn as_int(label: &Bound<'_, PyAny>) -> Option<i64> {
    if label.is_instance_of::<PyInt>() {
        label.extract::<i64>().ok()
    } else if label.is_instance_of::<PyFloat>() {
        let f: f64 = label.extract().ok()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    } else {
        None
    }
}
