//! Writes JSON laid out exactly as `serde_json` lays it out, compact or pretty, from
//! calls that name each piece: the report's schema is spelled out once, in
//! [`super::json`], and this writes it in either layout.
//!
//! A batch line is about 92 KB in some 7,000 keys and values, most of them short (keys,
//! offsets, diff pieces); what a general serializer spends per key and value was most
//! of the cost of writing one. Here a key goes in with its punctuation, a number by a
//! digit loop or, for the thousandths that nearly every float in a report is, by a
//! table-free path ([`thousandths`]), and a string in one piece once a scan sixteen
//! bytes at a time has found nothing to escape ([`write_str`]). Other floats go through
//! serde_json's own formatter. The tests check both layouts against serde_json on
//! arbitrary values.

use std::io;

use serde_json::ser::{CompactFormatter, Formatter};

use crate::normalize::any_byte;

/// Output gathers in the writer's buffer and goes to the sink in pieces of about this
/// size: writes into a `Vec` are cheap, calls to an arbitrary sink may not be.
const FLUSH_AT: usize = 64 * 1024;

/// A JSON writer: `PRETTY` is serde_json's pretty layout (a newline and two spaces a
/// level before each key and item, `": "` after a key), otherwise the compact one.
///
/// The caller makes the calls in JSON's order: inside an object, [`Writer::key`] and
/// then one value; inside an array, [`Writer::item`] and then one value. A value is a
/// scalar call ([`Writer::str`], [`Writer::usize`], ...) or a whole object or array.
pub struct Writer<'w, const PRETTY: bool> {
    buf: Vec<u8>,
    /// Where a full buffer goes, if anywhere; without a sink the buffer is the output.
    sink: Option<&'w mut dyn io::Write>,
    /// How full `buf` may get before it goes to the sink.
    flush_at: usize,
    /// How many objects and arrays are open.
    depth: usize,
    /// Whether the open object or array has no key or item yet.
    first: bool,
}

/// The compact layout, as [`serde_json::to_writer`] writes.
pub type Compact<'w> = Writer<'w, false>;
/// The pretty layout, as [`serde_json::to_writer_pretty`] writes (two-space indent).
pub type Pretty<'w> = Writer<'w, true>;

/// Starts an entry of the open object of writer `$w` with the key `$key`, a string
/// literal written as it is: it must need no escaping. The value follows.
macro_rules! key {
    ($w:expr, $key:literal) => {
        $w.key_literal(concat!(",\"", $key, "\":"))
    };
}
pub(crate) use key;

impl<const PRETTY: bool> Writer<'static, PRETTY> {
    /// A writer that appends to `out`; [`Writer::finish`] hands it back.
    pub fn appending(out: Vec<u8>) -> Self {
        Writer {
            buf: out,
            sink: None,
            flush_at: usize::MAX,
            depth: 0,
            first: true,
        }
    }
}

impl<'w, const PRETTY: bool> Writer<'w, PRETTY> {
    /// A writer that passes its output on to `sink` in pieces of about 64 KB, at the
    /// calls to [`Writer::flush_if_full`] and at [`Writer::finish`].
    pub fn to_sink(sink: &'w mut dyn io::Write) -> Self {
        Writer {
            buf: Vec::with_capacity(2 * FLUSH_AT),
            sink: Some(sink),
            flush_at: FLUSH_AT,
            depth: 0,
            first: true,
        }
    }

    /// Passes what is written so far to the sink once the buffer is full. Long outputs
    /// call this between items, so that memory stays at one item's worth.
    #[inline]
    pub fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= self.flush_at {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(sink) = self.sink.as_mut() {
            sink.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Passes the rest on to the sink, if there is one, and returns the buffer: the
    /// whole output of an [`Writer::appending`] writer, empty otherwise.
    pub fn finish(mut self) -> io::Result<Vec<u8>> {
        self.flush()?;
        Ok(self.buf)
    }

    /// What goes before a key or an item: a comma unless it is the first, and in the
    /// pretty layout a new line indented to the depth.
    #[inline(always)]
    fn separate(&mut self) {
        if PRETTY {
            self.buf
                .extend_from_slice(if self.first { b"\n" } else { b",\n" });
            self.indent();
        } else if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.buf.extend_from_slice(b"  ");
        }
    }

    #[inline]
    fn open(&mut self, bracket: u8) {
        self.buf.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    #[inline]
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        // An empty object or array closes on the same line: `{}`, `[]`.
        if PRETTY && !self.first {
            self.buf.push(b'\n');
            self.indent();
        }
        self.buf.push(bracket);
        // It was a value of what encloses it, which now has one.
        self.first = false;
    }

    /// Opens an object.
    #[inline]
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    /// Closes the open object.
    #[inline]
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    /// Opens an array.
    #[inline]
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    /// Closes the open array.
    #[inline]
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// Starts an entry of the open object with a key given as `,"key":`, a literal the
    /// [`key!`] macro makes. The value follows.
    // Always inlined: with the key a literal, its copy is a few moves, not a call, and
    // the comma comes with it in the compact layout.
    #[inline(always)]
    pub fn key_literal(&mut self, comma_key: &'static str) {
        let bytes = comma_key.as_bytes();
        debug_assert!(
            !any_to_escape(&bytes[2..bytes.len() - 2]),
            "{comma_key:?} needs escaping"
        );
        if PRETTY {
            self.separate();
            self.buf.extend_from_slice(&bytes[1..]);
            self.buf.push(b' ');
        } else if self.first {
            self.first = false;
            self.buf.extend_from_slice(&bytes[1..]);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// Starts an entry of the open object with any key, escaped as needed.
    pub fn key_str(&mut self, key: &str) {
        self.separate();
        write_str(&mut self.buf, key);
        self.buf
            .extend_from_slice(if PRETTY { b": " } else { b":" });
    }

    /// [`Writer::key`] for a key already written as a JSON string.
    #[inline]
    pub fn key_json(&mut self, key: &[u8]) {
        self.separate();
        self.json(key);
        self.buf
            .extend_from_slice(if PRETTY { b": " } else { b":" });
    }

    /// Starts an item of the open array; the value follows.
    #[inline]
    pub fn item(&mut self) {
        self.separate();
    }

    /// Writes a string value.
    #[inline]
    pub fn str(&mut self, s: &str) {
        write_str(&mut self.buf, s);
    }

    /// Writes a value already written as JSON: a string [`write_str`] wrote, say, kept
    /// to be written many times.
    #[inline]
    pub fn json(&mut self, json: &[u8]) {
        if json.len() <= 16 {
            let mut p = [0; 16];
            gather(&mut p, 0, json);
            extend_prefix(&mut self.buf, &p, json.len());
        } else {
            self.buf.extend_from_slice(json);
        }
    }

    /// Writes a whole number.
    #[inline]
    pub fn usize(&mut self, n: usize) {
        write_u64(&mut self.buf, n as u64);
    }

    /// Writes a float as serde_json writes an `f64`: the shortest decimal that reads
    /// back as it, and `null` for NaN and the infinities, which JSON lacks.
    #[inline]
    pub fn f64(&mut self, v: f64) {
        if let Some(k) = thousandths(v) {
            write_thousandths(&mut self.buf, k);
        } else if v.is_finite() {
            CompactFormatter
                .write_f64(&mut self.buf, v)
                .expect("writing to a Vec does not fail");
        } else {
            self.null();
        }
    }

    /// Writes one of the schema's names (a status, an operation, a kind) as a string:
    /// written as it is, so it must need no escaping (debug builds check).
    #[inline]
    pub fn name(&mut self, name: &'static str) {
        debug_assert!(!any_to_escape(name.as_bytes()), "{name:?} needs escaping");
        write_quoted(&mut self.buf, name.as_bytes());
    }

    /// Writes `true` or `false`.
    #[inline]
    pub fn bool(&mut self, b: bool) {
        self.buf
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    /// Writes `null`.
    #[inline]
    pub fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }
}

/// The two digits of every number below 100, `00` to `99`.
const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// The two digits of `n` (below 100).
#[inline(always)]
fn pair(n: u64) -> [u8; 2] {
    let i = 2 * n as usize;
    [PAIRS[i], PAIRS[i + 1]]
}

/// Appends `n` in decimal.
#[inline]
fn write_u64(out: &mut Vec<u8>, n: u64) {
    // Offsets and counts have a few digits: each length below five is one copy of a
    // known size, two digits a table look-up.
    match n {
        0..10 => out.push(b'0' + n as u8),
        10..100 => out.extend_from_slice(&pair(n)),
        100..1000 => {
            let [a, b] = pair(n % 100);
            out.extend_from_slice(&[b'0' + (n / 100) as u8, a, b]);
        }
        1000..10000 => {
            let ([a, b], [c, d]) = (pair(n / 100), pair(n % 100));
            out.extend_from_slice(&[a, b, c, d]);
        }
        _ => write_long(out, n),
    }
}

/// [`write_u64`] for five digits or more.
#[cold]
fn write_long(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    while n >= 10 {
        at -= 2;
        digits[at..at + 2].copy_from_slice(&pair(n % 100));
        n /= 100;
    }
    if n > 0 || at == digits.len() {
        at -= 1;
        digits[at] = b'0' + n as u8;
    }
    out.extend_from_slice(&digits[at..]);
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
    if bytes.len() < 16 {
        if short_to_escape(bytes) {
            write_str_escaped(out, bytes);
        } else {
            write_quoted(out, bytes);
        }
        return;
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    write_contents(out, bytes);
    out.push(b'"');
}

/// [`write_str`] for a string that needs escaping.
#[cold]
#[inline(never)]
fn write_str_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    write_escaped(out, bytes);
    out.push(b'"');
}

/// Appends `bytes`, which need no escaping, in quotes: when there are at most sixteen,
/// in one store of a fixed size cut back to the length, not a copy of a length known
/// only when it runs (a call to `memcpy` and the checks around it).
#[inline(always)]
fn write_quoted(out: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    if n <= 16 {
        let mut quoted = [b'"'; 18];
        gather(&mut quoted, 1, bytes);
        quoted[n + 1] = b'"';
        extend_prefix(out, &quoted, n + 2);
    } else {
        out.reserve(n + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
    }
}

/// Copies `bytes` (at most sixteen) into `dst` at `at`, which leaves sixteen bytes of
/// room, with copies of fixed sizes that may overlap, as a small `memcpy` does; what
/// follows them in the sixteen bytes is left as it was or overwritten.
#[inline(always)]
fn gather<const N: usize>(dst: &mut [u8; N], at: usize, bytes: &[u8]) {
    let n = bytes.len();
    let d = &mut dst[at..at + 16];
    if n >= 8 {
        d[..8].copy_from_slice(&bytes[..8]);
        d[n - 8..n].copy_from_slice(&bytes[n - 8..]);
    } else if n >= 4 {
        d[..4].copy_from_slice(&bytes[..4]);
        d[n - 4..n].copy_from_slice(&bytes[n - 4..]);
    } else if n > 0 {
        d[0] = bytes[0];
        d[n / 2] = bytes[n / 2];
        d[n - 1] = bytes[n - 1];
    }
}

/// Appends the first `len` bytes of `bytes`: all of them are stored, a copy of a size
/// known when compiling, and the vector cut back to `len` of them.
#[inline(always)]
fn extend_prefix<const N: usize>(out: &mut Vec<u8>, bytes: &[u8; N], len: usize) {
    let end = out.len() + len;
    out.extend_from_slice(bytes);
    out.truncate(end);
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
        if blocks.iter().any(|b| any_byte(b, needs_escape)) {
            return true;
        }
        let (chunks, _) = rest.as_chunks::<16>();
        let last: &[u8; 16] = bytes[n - 16..].try_into().expect("sixteen bytes");
        chunks.iter().any(|c| any_byte(c, needs_escape)) || any_byte(last, needs_escape)
    } else {
        short_to_escape(bytes)
    }
}

/// [`any_to_escape`] for fewer than sixteen bytes: a word or two at a time.
#[inline(always)]
fn short_to_escape(bytes: &[u8]) -> bool {
    let n = bytes.len();
    if n >= 8 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, s);
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    /// Writes `v` through the writer's calls, as the report writes its parts.
    fn write_value<const PRETTY: bool>(w: &mut Writer<'_, PRETTY>, v: &Value) {
        match v {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_f64()) {
                (Some(u), _) => w.usize(u as usize),
                (None, Some(f)) if n.is_f64() => w.f64(f),
                _ => w.json(n.to_string().as_bytes()),
            },
            Value::String(s) => w.str(s),
            Value::Array(items) => {
                w.begin_array();
                for item in items {
                    w.item();
                    write_value(w, item);
                }
                w.end_array();
            }
            Value::Object(entries) => {
                w.begin_object();
                for (key, value) in entries {
                    w.key_str(key);
                    write_value(w, value);
                }
                w.end_object();
            }
        }
    }

    /// `v` written compact (after what the buffer held) and pretty (through a sink),
    /// beside what serde_json writes for it.
    fn both_ways(v: &Value) -> (String, String, String, String) {
        let mut compact = Compact::appending(b"[".to_vec());
        write_value(&mut compact, v);
        let compact = compact.finish().expect("writes");
        assert_eq!(compact[0], b'[');
        let mut sink = Vec::new();
        let mut pretty = Pretty::to_sink(&mut sink);
        write_value(&mut pretty, v);
        assert!(pretty.finish().expect("writes").is_empty());
        (
            String::from_utf8(compact[1..].to_vec()).unwrap(),
            serde_json::to_string(v).unwrap(),
            String::from_utf8(sink).unwrap(),
            serde_json::to_string_pretty(v).unwrap(),
        )
    }

    fn float(v: f64) -> Value {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
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
            let (compact, want, _, _) = both_ways(&float(v));
            assert_eq!(compact, want);
        }
    }

    #[test]
    fn nan_and_infinity_are_null() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut w = Compact::appending(Vec::new());
            w.f64(v);
            assert_eq!(w.finish().unwrap(), serde_json::to_vec(&v).unwrap());
        }
    }

    proptest! {
        #[test]
        fn any_float_is_written_as_serde_json_writes_it(
            v in prop::num::f64::ANY,
            k in 0..=1000u16,
        ) {
            let near = f64::from(k) / 1000.0;
            // Near a thousandth: one or two ulps either side.
            for w in [v, near, f64::from_bits(near.to_bits() + 1), f64::from_bits(near.to_bits().saturating_sub(1))] {
                let mut out = Compact::appending(Vec::new());
                out.f64(w);
                prop_assert_eq!(out.finish().unwrap(), serde_json::to_vec(&w).unwrap());
            }
        }

        #[test]
        fn any_whole_number_is_written_as_serde_json_writes_it(n in any::<u64>(), small in 0..1000u64) {
            for n in [n, small, n % 100_000, n % 10_000_000, u64::MAX, 0, 10, 99, 100, 9_999, 10_000] {
                let mut out = Compact::appending(Vec::new());
                out.usize(n as usize);
                prop_assert_eq!(out.finish().unwrap(), serde_json::to_vec(&n).unwrap());
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
        for len in [1, 3, 4, 5, 7, 8, 13, 16, 20, 32, 41, 64, 65, 79, 80, 130] {
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
    fn short_pieces_are_copied_whole() {
        // Every length around the fixed-size stores, after a buffer of any fill.
        let text = "abcdefghijklmnopqrstu";
        for len in 0..=text.len() {
            let piece = &text[..len];
            let mut w = Compact::appending(b"xyz".to_vec());
            w.json(piece.as_bytes());
            w.str(piece);
            let got = w.finish().unwrap();
            assert_eq!(
                got,
                format!("xyz{piece}{}", serde_json::to_string(piece).unwrap()).as_bytes()
            );
        }
        for n in 0..=20_000u64 {
            let mut w = Compact::appending(b"x".to_vec());
            w.usize(n as usize);
            assert_eq!(w.finish().unwrap(), format!("x{n}").as_bytes());
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
    fn empty_and_nested_containers_lay_out_as_in_serde_json() {
        let v = serde_json::json!({
            "a": [], "b": {}, "c": [[], {}, [1, {"d": []}]], "e": {"f": {"g": {}}}, "h": null
        });
        let (compact, want_compact, pretty, want_pretty) = both_ways(&v);
        assert_eq!(compact, want_compact);
        assert_eq!(pretty, want_pretty);
    }

    #[test]
    fn a_long_document_reaches_the_sink_in_pieces() {
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
        let mut w = Pretty::to_sink(&mut out);
        w.begin_array();
        for word in &words {
            w.item();
            w.str(word);
            w.flush_if_full().expect("writes");
        }
        w.end_array();
        assert!(w.finish().expect("writes").is_empty());
        assert_eq!(out.1, serde_json::to_vec_pretty(&words).unwrap());
        assert!(out.0 > 2, "{} writes", out.0);
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
            any::<f64>().prop_map(float),
            (0..=1000u16).prop_map(|k| float(f64::from(k) / 1000.0)),
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
        fn values_write_as_in_serde_json(v in json_value()) {
            let (compact, want_compact, pretty, want_pretty) = both_ways(&v);
            prop_assert_eq!(compact, want_compact);
            prop_assert_eq!(pretty, want_pretty);
        }
    }
}
