//! Writes the JSON report byte for byte as `serde_json` would, with cheaper strings.
//!
//! A batch line is about 92 KB in some 4,000 strings, most of them short (keys, diff
//! pieces). serde_json writes each through its writer in several calls and looks every
//! byte up in a table; here a string goes into a byte buffer in one piece once a scan
//! sixteen bytes at a time has found nothing to escape ([`write_str`]). This module is a
//! [`serde::Serializer`] of its own whose only differences are that string path and,
//! in compact output, an object key written with its comma and colon in one piece
//! ([`write_compact_key`]): other punctuation, indentation and numbers are still
//! written by serde_json's own [`Formatter`]s, so the compact and the pretty output
//! keep serde_json's layout exactly. The tests compare both against serde_json on
//! arbitrary values.

use std::io;

use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::normalize::any_byte;

type Result<T> = std::result::Result<T, Error>;

/// Appends `value` as compact JSON to `out`: the same bytes as
/// [`serde_json::to_writer`] would write there.
pub fn append<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    let mut ser = Serializer {
        writer: io::sink(),
        formatter: CompactFormatter,
        buf: std::mem::take(out),
        flush_at: usize::MAX,
    };
    let written = value.serialize(&mut ser);
    *out = ser.buf;
    written
}

/// Writes `value` as pretty JSON (two-space indent): the same bytes as
/// [`serde_json::to_writer_pretty`].
pub fn to_writer_pretty<W: io::Write, T: ?Sized + Serialize>(writer: W, value: &T) -> Result<()> {
    Serializer::new(writer, PrettyFormatter::new()).write(value)
}

/// Appends `s` as a JSON string, quotes included, escaped as serde_json escapes it: `"`
/// and `\` get a backslash; the control characters below 0x20 become `\b`, `\f`, `\n`,
/// `\r`, `\t` or `\u00XX` (lowercase hex); everything else, `/`, DEL and non-ASCII
/// included, is written as is.
// Inlined: most strings are short, and a call's own cost was most of their cost.
#[inline]
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Most strings have nothing to escape: one check over the whole string, one copy.
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    write_contents(out, bytes);
    out.push(b'"');
}

/// Appends `bytes` (a string without its quotes) escaped: in one copy when nothing
/// needs escaping, as in most strings.
#[inline(always)]
fn write_contents(out: &mut Vec<u8>, bytes: &[u8]) {
    if any_to_escape(bytes) {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
}

/// Appends `s` as an object key after the object's previous value: a comma unless
/// `first`, the key as [`write_str`] writes it, and the colon, compact (no spaces).
#[inline]
fn write_compact_key(out: &mut Vec<u8>, first: bool, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 4);
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    write_contents(out, bytes);
    out.extend_from_slice(b"\":");
}

/// serde_json's two layouts, told apart when compiling.
trait Layout: Formatter {
    /// Whether this is the [`CompactFormatter`], which writes nothing around an object
    /// key but its comma and colon: a string key and both go in one piece
    /// ([`write_compact_key`]).
    const COMPACT: bool;
}

impl Layout for CompactFormatter {
    const COMPACT: bool = true;
}

impl Layout for PrettyFormatter<'_> {
    const COMPACT: bool = false;
}

/// Appends `bytes` (a string without its quotes), copying the runs between the bytes
/// that need escaping in one piece each.
#[cold]
#[inline(never)]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    // `start`: where the run not yet written begins.
    let mut start = 0;
    while let Some(at) = next_to_escape(bytes, start) {
        out.extend_from_slice(&bytes[start..at]);
        let mut buf = [0; 6];
        out.extend_from_slice(escape(bytes[at], &mut buf));
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Every byte of a `u64` set to 0x01 (a multiple sets every byte to the multiplier).
const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// The high bit of every byte of a `u64`.
const HIGH_BITS: u64 = u64::from_le_bytes([0x80; 8]);

/// Eight bytes as a little-endian word (the first byte lowest).
fn word_at(bytes: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"))
}

/// Whether any byte of `bytes` needs escaping: sixteen bytes at a time, or a word at a
/// time in a string shorter than sixteen bytes.
#[inline]
fn any_to_escape(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n >= 16 {
        // Blocks of sixteen chunks, then whole chunks, then the last sixteen bytes as
        // one more chunk (overlapping the previous one unless the length is a multiple
        // of sixteen). A block is tested whole, with no exit between its chunks: long
        // strings (sentences) cost a quarter of the loop steps and chunk tests.
        let (blocks, rest) = bytes.as_chunks::<64>();
        if blocks.iter().any(any_in_block) {
            return true;
        }
        let (chunks, _) = rest.as_chunks::<16>();
        let last = bytes[n - 16..].try_into().expect("sixteen bytes");
        chunks.iter().any(|c| any_byte(c, needs_escape)) || any_byte(last, needs_escape)
    } else if n >= 8 {
        // Two words that overlap unless the length is eight.
        escape_marks(word_at(bytes, 0)) | escape_marks(word_at(bytes, n - 8)) != 0
    } else if n >= 4 {
        // Two four-byte halves that overlap unless the length is eight.
        let low = u32::from_le_bytes(bytes[..4].try_into().expect("four bytes"));
        let high = u32::from_le_bytes(bytes[n - 4..].try_into().expect("four bytes"));
        escape_marks(u64::from(low) | u64::from(high) << 32) != 0
    } else {
        bytes.iter().any(|&b| needs_escape(b))
    }
}

/// Whether any byte of a 64-byte block needs escaping: one test of every byte, with no
/// early exit, which the compiler makes four chunks of vector compares.
#[inline]
fn any_in_block(block: &[u8; 64]) -> bool {
    block.iter().fold(false, |any, &b| any | needs_escape(b))
}

/// The index of the first byte at or after `from` that needs escaping.
fn next_to_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= bytes.len() {
        let marks = escape_marks(word_at(bytes, i));
        if marks != 0 {
            // Little-endian: the lowest marked bit is in the first marked byte.
            return Some(i + marks.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| needs_escape(b))
        .map(|p| i + p)
}

/// Whether serde_json escapes this byte.
fn needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// Sets the high bit of each byte of `word` (eight string bytes, little-endian) that
/// needs escaping. The result is zero exactly when no byte needs it, but of the marked
/// bytes only the lowest is sure to: a byte that needs escaping makes a borrow that can
/// mark the byte above it too, which is why [`next_to_escape`] takes the first mark
/// only and scans again after it.
///
/// How: subtracting 0x20 from a byte below 0x20 wraps it to 0xE0 or more, setting its
/// high bit; a byte equal to `"` or `\` is zero after the XOR with that character, and
/// subtracting 1 wraps it to 0xFF. `!word` keeps only the bytes below 0x80, so that
/// bytes of 0x80 and up (non-ASCII), whose high bit is set already, are not marked.
fn escape_marks(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x20);
    let quote = (word ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES);
    let backslash = (word ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES);
    (control | quote | backslash) & !word & HIGH_BITS
}

/// The escape sequence serde_json writes for a byte that [`needs_escape`].
fn escape(b: u8, buf: &mut [u8; 6]) -> &[u8] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        0x0c => b"\\f",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        _ => {
            *buf = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            buf
        }
    }
}

/// `v` as a number of thousandths from 0 to 1000, when it is one: `f64::from(k) / 1000.0`
/// bit for bit for some integer `k` (so `-0.0` is not). Similarities and shares are
/// rounded to three decimals before they are written: nearly every float in a report.
#[inline]
fn thousandths(v: f64) -> Option<u16> {
    if !(0.0..=1.0).contains(&v) {
        return None;
    }
    // A guess, checked: the conversion truncates, and a rounded value is within an ulp
    // or two of its thousandths.
    let k = (v * 1000.0 + 0.5) as u16;
    ((f64::from(k) / 1000.0).to_bits() == v.to_bits()).then_some(k)
}

/// Writes `k` thousandths (at most 1000) as serde_json writes `f64::from(k) / 1000.0`:
/// the shortest decimal that reads back as that float, which for a quotient of two
/// exact integers is the three-decimal quotient itself, trailing zeros dropped, and at
/// least one digit after the point (`0.0`, `0.5`, `0.25`, `0.125`, `1.0`).
fn write_thousandths(out: &mut Vec<u8>, k: u16) {
    let (whole, frac) = (k / 1000, k % 1000);
    let digits = [
        b'0' + whole as u8,
        b'.',
        b'0' + (frac / 100) as u8,
        b'0' + (frac / 10 % 10) as u8,
        b'0' + (frac % 10) as u8,
    ];
    let len = if frac % 100 == 0 {
        3
    } else if frac % 10 == 0 {
        4
    } else {
        5
    };
    out.extend_from_slice(&digits[..len]);
}

/// Output gathers in the serializer's buffer and goes to the writer in pieces of about
/// this size: writes into a `Vec` are cheap, calls to an arbitrary writer may not be.
const FLUSH_AT: usize = 64 * 1024;

/// The serializer: `formatter` is serde_json's [`CompactFormatter`] or
/// [`PrettyFormatter`], whose string methods are the default ones (a plain quote
/// before and after), which is what [`write_str`] writes.
struct Serializer<W, F> {
    writer: W,
    formatter: F,
    buf: Vec<u8>,
    /// How full `buf` may get before it goes to the writer.
    flush_at: usize,
}

impl<W: io::Write, F: Layout> Serializer<W, F> {
    fn new(writer: W, formatter: F) -> Self {
        Serializer {
            writer,
            formatter,
            buf: Vec::with_capacity(2 * FLUSH_AT),
            flush_at: FLUSH_AT,
        }
    }

    /// Serializes `value` and passes the rest of the buffer on to the writer.
    fn write<T: ?Sized + Serialize>(mut self, value: &T) -> Result<()> {
        value.serialize(&mut self)?;
        self.flush()
    }

    fn flush(&mut self) -> Result<()> {
        self.writer.write_all(&self.buf).map_err(Error::io)?;
        self.buf.clear();
        Ok(())
    }

    /// Flushes once the buffer is full; called after each item of a sequence or map.
    fn flush_if_full(&mut self) -> Result<()> {
        if self.buf.len() >= self.flush_at {
            self.flush()?;
        }
        Ok(())
    }

    /// Runs one formatter call on the buffer.
    fn format(&mut self, call: impl FnOnce(&mut F, &mut Vec<u8>) -> io::Result<()>) -> Result<()> {
        call(&mut self.formatter, &mut self.buf).map_err(Error::io)
    }

    fn string(&mut self, s: &str) -> Result<()> {
        write_str(&mut self.buf, s);
        Ok(())
    }

    /// Opens `{"variant":`, the wrapper of an enum variant with content.
    fn begin_variant(&mut self, variant: &str) -> Result<()> {
        self.format(|f, w| f.begin_object(w))?;
        self.format(|f, w| f.begin_object_key(w, true))?;
        self.string(variant)?;
        self.format(|f, w| f.end_object_key(w))?;
        self.format(|f, w| f.begin_object_value(w))
    }

    /// Closes what [`Serializer::begin_variant`] opened.
    fn end_variant(&mut self) -> Result<()> {
        self.format(|f, w| f.end_object_value(w))?;
        self.format(|f, w| f.end_object(w))
    }
}

/// Where a sequence or map is: `Empty` was closed at once (its length was given as
/// zero), `First` expects its first item, `Rest` has had one.
#[derive(PartialEq, Eq)]
enum State {
    Empty,
    First,
    Rest,
}

/// A sequence or map being written.
struct Compound<'a, W, F> {
    ser: &'a mut Serializer<W, F>,
    state: State,
    /// Whether it is an enum variant's content, which [`Serializer::begin_variant`]
    /// wrapped: closing it closes the wrapper too.
    variant: bool,
}

impl<'a, W: io::Write, F: Layout> ser::Serializer for &'a mut Serializer<W, F> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W, F>;
    type SerializeTuple = Compound<'a, W, F>;
    type SerializeTupleStruct = Compound<'a, W, F>;
    type SerializeTupleVariant = Compound<'a, W, F>;
    type SerializeMap = Compound<'a, W, F>;
    type SerializeStruct = Compound<'a, W, F>;
    type SerializeStructVariant = Compound<'a, W, F>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.format(|f, w| f.write_bool(w, v))
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.format(|f, w| f.write_i8(w, v))
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.format(|f, w| f.write_i16(w, v))
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.format(|f, w| f.write_i32(w, v))
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.format(|f, w| f.write_i64(w, v))
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.format(|f, w| f.write_i128(w, v))
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.format(|f, w| f.write_u8(w, v))
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.format(|f, w| f.write_u16(w, v))
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.format(|f, w| f.write_u32(w, v))
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.format(|f, w| f.write_u64(w, v))
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.format(|f, w| f.write_u128(w, v))
    }
    // JSON has no NaN or infinity: serde_json writes null for them.
    fn serialize_f32(self, v: f32) -> Result<()> {
        if v.is_finite() {
            self.format(|f, w| f.write_f32(w, v))
        } else {
            self.format(|f, w| f.write_null(w))
        }
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        if let Some(k) = thousandths(v) {
            // Both formatters write a float as serde_json's `write_f64` does by default.
            write_thousandths(&mut self.buf, k);
            Ok(())
        } else if v.is_finite() {
            self.format(|f, w| f.write_f64(w, v))
        } else {
            self.format(|f, w| f.write_null(w))
        }
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.format(|f, w| f.write_byte_array(w, v))
    }
    fn serialize_none(self) -> Result<()> {
        self.format(|f, w| f.write_null(w))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.format(|f, w| f.write_null(w))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.format(|f, w| f.write_null(w))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.begin_variant(variant)?;
        value.serialize(&mut *self)?;
        self.end_variant()
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        self.format(|f, w| f.begin_array(w))?;
        let state = if len == Some(0) {
            self.format(|f, w| f.end_array(w))?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound {
            ser: self,
            state,
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.begin_variant(variant)?;
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = true;
        Ok(seq)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        self.format(|f, w| f.begin_object(w))?;
        let state = if len == Some(0) {
            self.format(|f, w| f.end_object(w))?;
            State::Empty
        } else {
            State::First
        };
        Ok(Compound {
            ser: self,
            state,
            variant: false,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.begin_variant(variant)?;
        let mut map = self.serialize_map(Some(len))?;
        map.variant = true;
        Ok(map)
    }
}

impl<W: io::Write, F: Layout> Compound<'_, W, F> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let first = self.state == State::First;
        self.state = State::Rest;
        self.ser.format(|f, w| f.begin_array_value(w, first))?;
        value.serialize(&mut *self.ser)?;
        self.ser.format(|f, w| f.end_array_value(w))?;
        self.ser.flush_if_full()
    }

    fn end_array(self) -> Result<()> {
        if self.state != State::Empty {
            self.ser.format(|f, w| f.end_array(w))?;
        }
        self.end_variant()
    }

    /// Closes the variant wrapper, if there is one.
    fn end_variant(self) -> Result<()> {
        if self.variant {
            self.ser.end_variant()?;
        }
        Ok(())
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        let first = self.state == State::First;
        self.state = State::Rest;
        if F::COMPACT {
            // The key writes its comma and colon itself.
            return key.serialize(KeySerializer {
                ser: &mut *self.ser,
                first,
            });
        }
        self.ser.format(|f, w| f.begin_object_key(w, first))?;
        key.serialize(KeySerializer {
            ser: &mut *self.ser,
            first,
        })?;
        self.ser.format(|f, w| f.end_object_key(w))
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        if !F::COMPACT {
            self.ser.format(|f, w| f.begin_object_value(w))?;
        }
        value.serialize(&mut *self.ser)?;
        self.ser.format(|f, w| f.end_object_value(w))?;
        self.ser.flush_if_full()
    }

    fn end_object(self) -> Result<()> {
        if self.state != State::Empty {
            self.ser.format(|f, w| f.end_object(w))?;
        }
        self.end_variant()
    }
}

// serde has four traits for arrays and two for objects with fixed keys; here they differ
// in their names alone.
macro_rules! array_traits {
    ($($trait:ident::$add:ident),*) => {$(
        impl<W: io::Write, F: Layout> ser::$trait for Compound<'_, W, F> {
            type Ok = ();
            type Error = Error;
            fn $add<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            fn end(self) -> Result<()> {
                self.end_array()
            }
        }
    )*};
}

array_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! struct_traits {
    ($($trait:ident),*) => {$(
        impl<W: io::Write, F: Layout> ser::$trait for Compound<'_, W, F> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<()> {
                self.key(key)?;
                self.value(value)
            }
            fn end(self) -> Result<()> {
                self.end_object()
            }
        }
    )*};
}

struct_traits!(SerializeStruct, SerializeStructVariant);

impl<W: io::Write, F: Layout> ser::SerializeMap for Compound<'_, W, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }
    fn end(self) -> Result<()> {
        self.end_object()
    }
}

/// Writes a map key. JSON keys are strings: like serde_json, this takes strings, and
/// writes booleans and numbers in quotes; anything else is an error. In the compact
/// layout the key writes the comma before it (unless `first`) and the colon after it;
/// in the pretty one the formatter writes them.
struct KeySerializer<'a, W, F> {
    ser: &'a mut Serializer<W, F>,
    first: bool,
}

impl<W: io::Write, F: Layout> KeySerializer<'_, W, F> {
    fn string(self, s: &str) -> Result<()> {
        if F::COMPACT {
            write_compact_key(&mut self.ser.buf, self.first, s);
            Ok(())
        } else {
            self.ser.string(s)
        }
    }

    /// Writes a key that the formatter writes unquoted, in quotes.
    fn quoted(self, call: impl FnOnce(&mut F, &mut Vec<u8>) -> io::Result<()>) -> Result<()> {
        if F::COMPACT && !self.first {
            self.ser.buf.push(b',');
        }
        self.ser.format(|f, w| f.begin_string(w))?;
        self.ser.format(call)?;
        self.ser.format(|f, w| f.end_string(w))?;
        if F::COMPACT {
            self.ser.buf.push(b':');
        }
        Ok(())
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl<W: io::Write, F: Layout> ser::Serializer for KeySerializer<'_, W, F> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<()> {
        self.quoted(|f, w| f.write_bool(w, v))
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.quoted(|f, w| f.write_i8(w, v))
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.quoted(|f, w| f.write_i16(w, v))
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.quoted(|f, w| f.write_i32(w, v))
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.quoted(|f, w| f.write_i64(w, v))
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.quoted(|f, w| f.write_i128(w, v))
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.quoted(|f, w| f.write_u8(w, v))
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.quoted(|f, w| f.write_u16(w, v))
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.quoted(|f, w| f.write_u32(w, v))
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.quoted(|f, w| f.write_u64(w, v))
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.quoted(|f, w| f.write_u128(w, v))
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        if !v.is_finite() {
            return Err(ser::Error::custom("float key must be finite"));
        }
        self.quoted(|f, w| f.write_f32(w, v))
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(ser::Error::custom("float key must be finite"));
        }
        self.quoted(|f, w| f.write_f64(w, v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, Value};
    use std::collections::BTreeMap;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    fn both_ways<T: Serialize>(value: &T) -> (String, String, String, String) {
        // Appended after what the vector holds.
        let (mut compact, mut pretty) = (b"[".to_vec(), Vec::new());
        append(&mut compact, value).expect("serializes");
        assert_eq!(compact[0], b'[');
        to_writer_pretty(&mut pretty, value).expect("serializes");
        (
            String::from_utf8(compact[1..].to_vec()).unwrap(),
            serde_json::to_string(value).unwrap(),
            String::from_utf8(pretty).unwrap(),
            serde_json::to_string_pretty(value).unwrap(),
        )
    }

    #[test]
    fn thousandths_are_written_as_serde_json_writes_them() {
        for k in 0..=1000u16 {
            let v = f64::from(k) / 1000.0;
            assert_eq!(thousandths(v), Some(k), "{v}");
            let mut out = b"x".to_vec();
            write_thousandths(&mut out, k);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("x{}", serde_json::to_string(&v).unwrap())
            );
        }
        // Floats that are not thousandths take serde_json's own path.
        for v in [
            -0.0,
            0.0005,
            0.1 + 0.2,
            1.0 + f64::EPSILON,
            1.001,
            -0.5,
            1e-300,
        ] {
            assert_eq!(thousandths(v), None, "{v}");
        }
        for v in [-0.0, 0.0005, 0.1 + 0.2, 0.25, 1.5, -0.5, 1e-300, 123.456] {
            let (compact, want, _, _) = both_ways(&v);
            assert_eq!(compact, want);
        }
    }

    proptest! {
        #[test]
        fn any_float_is_written_as_serde_json_writes_it(
            v in prop::num::f64::ANY,
            k in 0..=1000u16,
        ) {
            let (compact, want, pretty, want_pretty) = both_ways(&v);
            prop_assert_eq!(compact, want);
            prop_assert_eq!(pretty, want_pretty);
            // Near a thousandth: one or two ulps either side.
            let near = f64::from(k) / 1000.0;
            for w in [near, f64::from_bits(near.to_bits() + 1), f64::from_bits(near.to_bits().saturating_sub(1))] {
                let (compact, want, _, _) = both_ways(&w);
                prop_assert_eq!(compact, want);
            }
        }
    }

    #[test]
    fn escapes_as_serde_json_does() {
        assert_eq!(escaped(""), r#""""#);
        assert_eq!(escaped("plain words"), r#""plain words""#);
        assert_eq!(
            escaped("a\"b\\c\nd\te\rf\u{8}g\u{c}h\u{1}i\u{1f}"),
            r#""a\"b\\c\nd\te\rf\bg\fh\u0001i\u001f""#
        );
        // Not escaped: slash, DEL, non-ASCII.
        assert_eq!(escaped("a/b\u{7f}“é”"), "\"a/b\u{7f}“é”\"");
        // An escape in every position of the sixteen-byte chunks, of the last chunk that
        // overlaps them, and of the words of shorter strings.
        for len in [5, 8, 13, 16, 20, 32, 41, 64, 65, 79, 80, 130] {
            for at in 0..len {
                for mark in ["\"", "\\", "\n", "\u{1f}"] {
                    let mut s = "x".repeat(len);
                    s.replace_range(at..=at, mark);
                    assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap(), "at {at}");
                }
            }
        }
    }

    #[test]
    fn short_keys_are_written_as_serde_json_writes_them() {
        // Every length around the word-sized escape tests, plain and with an escape in
        // each position, after what the buffer holds, as the first key and after one.
        for len in 0..=20 {
            let plain = "k".repeat(len);
            let mut keys = vec![plain.clone()];
            for at in 0..len {
                for mark in ["\"", "\\", "\n", "\u{1f}"] {
                    let mut s = plain.clone();
                    s.replace_range(at..=at, mark);
                    keys.push(s);
                }
            }
            for key in keys {
                for first in [true, false] {
                    let mut out = b"{\"a\":1".to_vec();
                    write_compact_key(&mut out, first, &key);
                    let want = format!(
                        "{{\"a\":1{}{}:",
                        if first { "" } else { "," },
                        serde_json::to_string(&key).unwrap()
                    );
                    assert_eq!(String::from_utf8(out).unwrap(), want, "{key:?}");
                }
            }
        }
    }

    #[test]
    fn only_the_first_mark_of_a_word_counts() {
        // A control byte borrows from the byte above it: 0x21 ('!') above 0x00 is
        // marked too, though it needs no escape. The scan must still write '!' as is.
        let s = "\u{0}!\u{0}!abcdefgh";
        assert_eq!(escaped(s), r#""\u0000!\u0000!abcdefgh""#);
        assert_eq!(escaped(s), serde_json::to_string(s).unwrap());
    }

    #[test]
    fn layout_matches_serde_json_on_containers() {
        let mut empty_map = BTreeMap::new();
        empty_map.insert("k", Vec::<u8>::new());
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, &'static str),
            Struct { a: f64, b: Option<bool> },
            EmptyTuple(),
            EmptyStruct {},
        }
        #[derive(serde::Serialize)]
        struct S {
            e: Vec<E>,
            t: (u8, char),
            m: BTreeMap<&'static str, Vec<u8>>,
            keys: BTreeMap<i32, bool>,
            bool_keys: BTreeMap<bool, ()>,
            nan: f64,
            inf: f32,
            unit: (),
        }
        let s = S {
            e: vec![
                E::Unit,
                E::New(3),
                E::Tuple(1, "x"),
                E::Struct {
                    a: 0.1,
                    b: Some(false),
                },
                E::EmptyTuple(),
                E::EmptyStruct {},
            ],
            t: (7, '"'),
            m: empty_map,
            keys: [(-1, true), (5, false)].into_iter().collect(),
            bool_keys: [(true, ())].into_iter().collect(),
            nan: f64::NAN,
            inf: f32::INFINITY,
            unit: (),
        };
        let (compact, want_compact, pretty, want_pretty) = both_ways(&s);
        assert_eq!(compact, want_compact);
        assert_eq!(pretty, want_pretty);
    }

    #[test]
    fn a_long_document_reaches_the_writer_in_pieces() {
        /// Counts the calls it gets, keeping what they write.
        struct Counting(usize, Vec<u8>);
        impl io::Write for Counting {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0 += 1;
                self.1.extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let words: Vec<String> = (0..20_000).map(|i| format!("w\"{i}")).collect();
        let mut out = Counting(0, Vec::new());
        to_writer_pretty(&mut out, &words).expect("serializes");
        assert_eq!(out.1, serde_json::to_vec_pretty(&words).unwrap());
        assert!(out.0 > 2, "{} writes", out.0);
    }

    #[test]
    fn a_key_that_is_not_a_string_is_an_error() {
        let mut m = BTreeMap::new();
        m.insert(vec![1], 2);
        assert!(append(&mut Vec::new(), &m).is_err());
        assert!(serde_json::to_vec(&m).is_err());
    }

    /// Strings weighted towards what needs escaping, around runs long enough to fill
    /// eight-byte words.
    fn tricky_string() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("/".to_string()),
                Just("\u{7f}".to_string()),
                (0u8..0x20).prop_map(|b| char::from(b).to_string()),
                Just("“é”€😀".to_string()),
                "[ -~]{0,12}",
                any::<String>(),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            tricky_string().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((tricky_string(), inner), 0..6)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    proptest! {
        #[test]
        fn strings_escape_as_in_serde_json(s in tricky_string()) {
            prop_assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn arbitrary_strings_escape_as_in_serde_json(s in any::<String>()) {
            prop_assert_eq!(escaped(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn keys_of_every_kind_write_as_in_serde_json(
            ints in prop::collection::btree_map(any::<i64>(), any::<bool>(), 0..4),
            bools in prop::collection::btree_map(any::<bool>(), tricky_string(), 0..3),
            strings in prop::collection::btree_map(tricky_string(), any::<u8>(), 0..4),
            chars in prop::collection::btree_map(any::<char>(), Just(()), 0..3),
        ) {
            // Struct fields, then maps keyed by numbers, booleans, strings and chars: the
            // compact layout writes each key's comma and colon itself.
            #[derive(serde::Serialize)]
            struct Keys {
                ints: BTreeMap<i64, bool>,
                bools: BTreeMap<bool, String>,
                strings: BTreeMap<String, u8>,
                chars: BTreeMap<char, ()>,
                #[serde(rename = "a \"quoted\"\tkey")]
                odd: u8,
            }
            let keys = Keys { ints, bools, strings, chars, odd: 1 };
            let (compact, want_compact, pretty, want_pretty) = both_ways(&keys);
            prop_assert_eq!(compact, want_compact);
            prop_assert_eq!(pretty, want_pretty);
        }

        #[test]
        fn values_write_as_in_serde_json(v in json_value()) {
            let (compact, want_compact, pretty, want_pretty) = both_ways(&v);
            prop_assert_eq!(compact, want_compact);
            prop_assert_eq!(pretty, want_pretty);
        }
    }
}
