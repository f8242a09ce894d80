//! claimdiff compares several versions of the same news story (the wire copy, the
//! outlets that ran it, rewrites): it splits them into sentences, aligns the sentences
//! that carry the same claim across versions, and reports what agrees and what differs.
//!
//! The pipeline runs one way, each stage a plain function over plain data:
//! [`load`] → [`segment`] → [`boilerplate`] → [`align`] → [`compare`] → [`report`]. The
//! library never prints; the `claimdiff` binary is a thin layer over it.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod error;

// The pipeline stages (in data order: load, segment, align, compare, report).
pub mod align;
pub mod attribute;
pub mod batch;
pub mod boilerplate;
pub mod cluster;
pub mod compare;
pub mod load;
pub mod report;
pub mod segment;

// Shared by the stages.
pub mod normalize;
pub mod similarity;
pub mod source;

pub use error::{Error, Result};
