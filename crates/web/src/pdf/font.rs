//! The TrueType fonts of the documents (Liberation Serif, metric-compatible with Times New Roman,
//! which the Party's rules for documents name): glyph lookup, advance widths, and a subset for
//! embedding that keeps every glyph id but empties the glyphs a document does not use.

use std::collections::{BTreeSet, HashMap};

static REGULAR: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");
static ITALIC: &[u8] = include_bytes!("../../fonts/LiberationSerif-Italic.ttf");

/// The three faces a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    #[cfg(test)]
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Italic];

    pub fn name(self) -> &'static str {
        match self {
            Face::Regular => "LiberationSerif",
            Face::Bold => "LiberationSerif-Bold",
            Face::Italic => "LiberationSerif-Italic",
        }
    }
}

/// One parsed face: what layout and the writer need of it.
pub struct Font {
    data: &'static [u8],
    tables: HashMap<[u8; 4], (usize, usize)>,
    pub units_per_em: f32,
    pub ascent: i16,
    pub descent: i16,
    pub bbox: [i16; 4],
    advances: Vec<u16>,
    cmap: HashMap<char, u16>,
    long_loca: bool,
    glyph_count: usize,
}

fn u16_at(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(o)?, *d.get(o + 1)?]))
}

fn i16_at(d: &[u8], o: usize) -> Option<i16> {
    u16_at(d, o).map(|v| v as i16)
}

fn u32_at(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(o)?,
        *d.get(o + 1)?,
        *d.get(o + 2)?,
        *d.get(o + 3)?,
    ]))
}

impl Font {
    /// The face, parsed once per process.
    pub fn get(face: Face) -> &'static Font {
        static FONTS: std::sync::OnceLock<Vec<Font>> = std::sync::OnceLock::new();
        let all = FONTS.get_or_init(|| {
            [REGULAR, BOLD, ITALIC]
                .into_iter()
                .map(|d| Font::parse(d).unwrap_or_else(Font::empty))
                .collect()
        });
        &all[face as usize]
    }

    fn empty() -> Font {
        Font {
            data: &[],
            tables: HashMap::new(),
            units_per_em: 1000.0,
            ascent: 800,
            descent: -200,
            bbox: [0, -200, 1000, 800],
            advances: vec![500],
            cmap: HashMap::new(),
            long_loca: true,
            glyph_count: 1,
        }
    }

    fn parse(data: &'static [u8]) -> Option<Font> {
        let n = u16_at(data, 4)? as usize;
        let mut tables = HashMap::new();
        for i in 0..n {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = data.get(rec..rec + 4)?.try_into().ok()?;
            let off = u32_at(data, rec + 8)? as usize;
            let len = u32_at(data, rec + 12)? as usize;
            data.get(off..off + len)?;
            tables.insert(tag, (off, len));
        }
        let t = |tag: &[u8; 4]| tables.get(tag).map(|&(o, l)| &data[o..o + l]);
        let head = t(b"head")?;
        let hhea = t(b"hhea")?;
        let maxp = t(b"maxp")?;
        let hmtx = t(b"hmtx")?;
        let glyph_count = u16_at(maxp, 4)? as usize;
        let metrics = u16_at(hhea, 34)? as usize;
        let mut advances = Vec::with_capacity(glyph_count);
        for g in 0..glyph_count {
            advances.push(u16_at(hmtx, 4 * g.min(metrics.saturating_sub(1)))?);
        }
        let cmap = t(b"cmap").and_then(parse_cmap).unwrap_or_default();
        Some(Font {
            data,
            units_per_em: f32::from(u16_at(head, 18)?),
            bbox: [
                i16_at(head, 36)?,
                i16_at(head, 38)?,
                i16_at(head, 40)?,
                i16_at(head, 42)?,
            ],
            long_loca: i16_at(head, 50)? == 1,
            ascent: i16_at(hhea, 4)?,
            descent: i16_at(hhea, 6)?,
            advances,
            cmap,
            glyph_count,
            tables,
        })
    }

    /// The glyph of a character (0, the missing glyph, when the face has none).
    pub fn glyph(&self, c: char) -> u16 {
        self.cmap.get(&c).copied().unwrap_or(0)
    }

    /// The advance of a glyph in font units.
    pub fn advance(&self, g: u16) -> u16 {
        self.advances
            .get(g as usize)
            .or(self.advances.first())
            .copied()
            .unwrap_or(500)
    }

    /// The width of a text at a size, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| u32::from(self.advance(self.glyph(c))))
            .sum();
        units as f32 * size / self.units_per_em
    }

    fn table(&self, tag: &[u8; 4]) -> Option<&'static [u8]> {
        self.tables.get(tag).map(|&(o, l)| &self.data[o..o + l])
    }

    fn glyph_range(&self, g: usize) -> Option<(usize, usize)> {
        let loca = self.table(b"loca")?;
        if self.long_loca {
            Some((
                u32_at(loca, 4 * g)? as usize,
                u32_at(loca, 4 * g + 4)? as usize,
            ))
        } else {
            Some((
                2 * u16_at(loca, 2 * g)? as usize,
                2 * u16_at(loca, 2 * g + 2)? as usize,
            ))
        }
    }

    /// A TrueType font program holding only `used` glyphs (and the parts of composite ones):
    /// every glyph id stays, so the document's glyph ids need no mapping.
    pub fn subset(&self, used: &BTreeSet<u16>) -> Option<Vec<u8>> {
        let glyf = self.table(b"glyf")?;
        let mut keep: BTreeSet<u16> = used.clone();
        keep.insert(0);
        let mut todo: Vec<u16> = keep.iter().copied().collect();
        while let Some(g) = todo.pop() {
            let (a, b) = self.glyph_range(g as usize)?;
            let data = glyf.get(a..b)?;
            if data.len() >= 10 && i16_at(data, 0)? < 0 {
                for part in components(data) {
                    if keep.insert(part) {
                        todo.push(part);
                    }
                }
            }
        }
        let mut new_glyf = Vec::new();
        let mut loca = Vec::with_capacity(4 * (self.glyph_count + 1));
        for g in 0..self.glyph_count {
            loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
            if keep.contains(&(g as u16)) {
                let (a, b) = self.glyph_range(g)?;
                new_glyf.extend_from_slice(glyf.get(a..b)?);
                while new_glyf.len() % 4 != 0 {
                    new_glyf.push(0);
                }
            }
        }
        loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let mut head = self.table(b"head")?.to_vec();
        head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
        head.get_mut(50..52)?.copy_from_slice(&1i16.to_be_bytes());
        let mut out: Vec<([u8; 4], Vec<u8>)> =
            vec![(*b"glyf", new_glyf), (*b"head", head), (*b"loca", loca)];
        for tag in [b"cvt ", b"fpgm", b"hhea", b"hmtx", b"maxp", b"prep"] {
            if let Some(t) = self.table(tag) {
                out.push((*tag, t.to_vec()));
            }
        }
        out.sort_by_key(|(t, _)| *t);
        Some(write_sfnt(&out))
    }
}

/// The glyphs a composite glyph is made of.
fn components(data: &[u8]) -> Vec<u16> {
    let mut parts = Vec::new();
    let mut o = 10;
    while let (Some(flags), Some(g)) = (u16_at(data, o), u16_at(data, o + 2)) {
        parts.push(g);
        o += 4;
        o += if flags & 0x0001 != 0 { 4 } else { 2 };
        if flags & 0x0008 != 0 {
            o += 2;
        } else if flags & 0x0040 != 0 {
            o += 4;
        } else if flags & 0x0080 != 0 {
            o += 8;
        }
        if flags & 0x0020 == 0 {
            break;
        }
    }
    parts
}

/// The Unicode map of a face: format 4 (the basic plane) or 12, from the Windows Unicode table.
fn parse_cmap(cmap: &[u8]) -> Option<HashMap<char, u16>> {
    let n = u16_at(cmap, 2)? as usize;
    let mut best: Option<(u16, usize)> = None;
    for i in 0..n {
        let rec = 4 + 8 * i;
        let platform = u16_at(cmap, rec)?;
        let encoding = u16_at(cmap, rec + 2)?;
        let off = u32_at(cmap, rec + 4)? as usize;
        let format = u16_at(cmap, off)?;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if unicode && (format == 4 || format == 12) && best.is_none_or(|(f, _)| format > f) {
            best = Some((format, off));
        }
    }
    let (format, off) = best?;
    let t = cmap.get(off..)?;
    let mut map = HashMap::new();
    if format == 12 {
        let groups = u32_at(t, 12)? as usize;
        for i in 0..groups {
            let g = 16 + 12 * i;
            let (start, end, glyph) = (u32_at(t, g)?, u32_at(t, g + 4)?, u32_at(t, g + 8)?);
            for (k, cp) in (start..=end.min(0x10FFFF)).enumerate() {
                if let Some(c) = char::from_u32(cp) {
                    map.insert(c, (glyph as usize + k) as u16);
                }
            }
        }
        return Some(map);
    }
    let segs = u16_at(t, 6)? as usize / 2;
    let ends = 14;
    let starts = ends + 2 * segs + 2;
    let deltas = starts + 2 * segs;
    let offsets = deltas + 2 * segs;
    for s in 0..segs {
        let end = u16_at(t, ends + 2 * s)?;
        let start = u16_at(t, starts + 2 * s)?;
        let delta = u16_at(t, deltas + 2 * s)?;
        let range = u16_at(t, offsets + 2 * s)? as usize;
        for cp in start..=end {
            if cp == 0xFFFF {
                break;
            }
            let g = if range == 0 {
                cp.wrapping_add(delta)
            } else {
                let at = offsets + 2 * s + range + 2 * (cp - start) as usize;
                match u16_at(t, at)? {
                    0 => 0,
                    g => g.wrapping_add(delta),
                }
            };
            if let Some(c) = char::from_u32(u32::from(cp))
                && g != 0
            {
                map.insert(c, g);
            }
        }
    }
    Some(map)
}

/// A font file from its tables (sorted by tag), with the directory and checksums.
fn write_sfnt(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_has_its_own_glyph_in_every_face() {
        let letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
        for face in Face::ALL {
            let f = Font::get(face);
            for c in letters.chars().chain(letters.to_uppercase().chars()) {
                assert_ne!(f.glyph(c), 0, "{face:?} has no glyph for {c}");
            }
        }
    }

    #[test]
    fn a_subset_keeps_the_used_glyphs_and_their_parts_and_empties_the_rest() {
        let f = Font::get(Face::Regular);
        let used: BTreeSet<u16> = "Đảng".chars().map(|c| f.glyph(c)).collect();
        let sub = f.subset(&used).expect("a subset");
        assert!(sub.len() < REGULAR.len() / 5, "{} bytes", sub.len());
        let parsed = Font::parse(Box::leak(sub.into_boxed_slice())).expect("parses");
        let a_hook = f.glyph('ả') as usize;
        let (a, b) = parsed.glyph_range(a_hook).expect("range");
        assert!(b > a, "the used glyph keeps its outline");
        let x = f.glyph('x') as usize;
        let (a, b) = parsed.glyph_range(x).expect("range");
        assert_eq!(a, b, "an unused glyph is empty");
        assert_eq!(parsed.glyph_count, f.glyph_count);
    }
}
