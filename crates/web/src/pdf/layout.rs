//! Lays a printable page out on A4 in the Party's document layout (Hướng dẫn 36-HD/VPTW:
//! margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, 13 pt for the body;
//! the page number in the top margin, centred, from the second page).

use std::rc::Rc;

use super::font::{Face, Font};
use super::html::{Element, Node};

const MM: f32 = 72.0 / 25.4;
const A4: (f32, f32) = (210.0 * MM, 297.0 * MM);

/// Something drawn, relative to the top left of its box, y downwards.
#[derive(Debug, Clone)]
pub enum Draw {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        text: String,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
}

impl Draw {
    pub(super) fn moved(&self, dx: f32, dy: f32) -> Draw {
        match self {
            Draw::Text {
                x,
                y,
                face,
                size,
                text,
            } => Draw::Text {
                x: x + dx,
                y: y + dy,
                face: *face,
                size: *size,
                text: text.clone(),
            },
            Draw::Rule { x1, y1, x2, y2 } => Draw::Rule {
                x1: x1 + dx,
                y1: y1 + dy,
                x2: x2 + dx,
                y2: y2 + dy,
            },
        }
    }
}

/// A strip that stays whole on one page: a line of text or a table row.
#[derive(Debug, Clone, Default)]
pub(super) struct Slab {
    pub(super) gap: f32,
    pub(super) height: f32,
    pub(super) draws: Vec<Draw>,
    /// The table's head rows, drawn again above this row when it opens a page.
    pub(super) head: Option<Rc<Vec<Slab>>>,
}

/// A laid-out page.
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub draws: Vec<Draw>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Align {
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    pub(super) face: Face,
    pub(super) size: f32,
    pub(super) underline: bool,
    pub(super) align: Align,
    pub(super) pre: bool,
}

/// A word, or a forced line break.
#[derive(Debug, Clone)]
pub(super) enum Piece {
    Word {
        text: String,
        face: Face,
        size: f32,
        underline: bool,
        space_before: bool,
    },
    Break,
}

pub(super) fn skipped(e: &Element) -> bool {
    matches!(
        e.tag.as_str(),
        "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "nav"
            | "script"
            | "style"
            | "svg"
            | "noscript"
            | "template"
            | "details"
            | "progress"
    ) || e.attr("hidden").is_some()
        || e.attr("data-print").is_some()
        || [
            "actions", "forms", "asof", "filter", "pages", "crumbs", "no-print",
        ]
        .iter()
        .any(|c| e.has_class(c))
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "blockquote"
            | "main"
            | "aside"
            | "hr"
            | "pre"
            | "html"
            | "body"
    )
}

/// The style of an element inside one styled `outer`.
pub(super) fn style_of(e: &Element, outer: Style) -> Style {
    let mut s = outer;
    match e.tag.as_str() {
        "h1" => {
            s.face = Face::Bold;
            s.size = outer.size + 1.0;
            s.align = Align::Center;
        }
        "h2" | "h3" | "h4" | "strong" | "b" | "th" | "dt" => s.face = Face::Bold,
        "em" | "i" if s.face != Face::Bold => s.face = Face::Italic,
        "u" => s.underline = true,
        "p" => s.align = Align::Justify,
        "pre" => s.pre = true,
        _ => {}
    }
    if e.has_class("party") {
        s.face = Face::Bold;
        s.underline = true;
    }
    if e.has_class("num") {
        s.align = Align::Right;
    }
    if e.has_class("center") || (e.tag == "header" && e.has_class("doc")) {
        s.align = Align::Center;
    }
    if e.has_class("resolution") {
        s.pre = true;
    }
    s
}

/// Gathers an inline run into words.
pub(super) fn inline(nodes: &[Node], style: Style, out: &mut Vec<Piece>, space: &mut bool) {
    for n in nodes {
        match n {
            Node::Text(t) => {
                let mut word = String::new();
                let flush = |word: &mut String, out: &mut Vec<Piece>, space: &mut bool| {
                    if !word.is_empty() {
                        out.push(Piece::Word {
                            text: std::mem::take(word),
                            face: style.face,
                            size: style.size,
                            underline: style.underline,
                            space_before: *space,
                        });
                        *space = false;
                    }
                };
                for c in t.chars() {
                    if c == '\n' && style.pre {
                        flush(&mut word, out, space);
                        out.push(Piece::Break);
                        *space = false;
                    } else if c.is_whitespace() && c != '\u{a0}' {
                        flush(&mut word, out, space);
                        *space = true;
                    } else {
                        word.push(if c == '\u{a0}' { ' ' } else { c });
                    }
                }
                flush(&mut word, out, space);
            }
            Node::Element(e) if skipped(e) => {}
            Node::Element(e) if e.tag == "br" => {
                out.push(Piece::Break);
                *space = false;
            }
            Node::Element(e) => inline(&e.children, style_of(e, style), out, space),
        }
    }
}

pub(super) fn word_width(text: &str, face: Face, size: f32) -> f32 {
    Font::get(face).width(text, size)
}

/// A word on a line: text, face, size, underlined, width, and whether a space precedes it.
type Placed = (String, Face, f32, bool, f32, bool);

/// Lines of words within a width; each line is a slab.
fn paragraph(pieces: &[Piece], width: f32, style: Style, out: &mut Vec<Slab>) {
    let mut lines: Vec<(Vec<Placed>, bool)> = Vec::new();
    let mut line: Vec<Placed> = Vec::new();
    let mut used = 0.0;
    for p in pieces {
        match p {
            Piece::Break => {
                lines.push((std::mem::take(&mut line), true));
                used = 0.0;
            }
            Piece::Word {
                text,
                face,
                size,
                underline,
                space_before,
            } => {
                let w = word_width(text, *face, *size);
                let sp = if *space_before && !line.is_empty() {
                    word_width(" ", *face, *size)
                } else {
                    0.0
                };
                if !line.is_empty() && used + sp + w > width {
                    lines.push((std::mem::take(&mut line), false));
                    used = 0.0;
                }
                if line.is_empty() && w > width {
                    // A word longer than the line: cut it where it overflows.
                    let mut part = String::new();
                    for c in text.chars() {
                        part.push(c);
                        if word_width(&part, *face, *size) > width && part.chars().count() > 1 {
                            let last = part.pop().unwrap_or(' ');
                            let pw = word_width(&part, *face, *size);
                            lines.push((
                                vec![(
                                    std::mem::take(&mut part),
                                    *face,
                                    *size,
                                    *underline,
                                    pw,
                                    false,
                                )],
                                false,
                            ));
                            part.push(last);
                        }
                    }
                    let pw = word_width(&part, *face, *size);
                    used = pw;
                    line.push((part, *face, *size, *underline, pw, false));
                    continue;
                }
                let sp = if line.is_empty() { 0.0 } else { sp };
                used += sp + w;
                line.push((text.clone(), *face, *size, *underline, w, sp > 0.0));
            }
        }
    }
    if !line.is_empty() {
        lines.push((line, true));
    }
    for (words, last) in lines {
        let size = words.iter().map(|w| w.2).fold(style.size, f32::max);
        let height = size * 1.3;
        let natural: f32 = words
            .iter()
            .map(|w| w.4 + if w.5 { word_width(" ", w.1, w.2) } else { 0.0 })
            .sum();
        let gaps = words.iter().filter(|w| w.5).count();
        let (mut x, stretch) = match style.align {
            Align::Left => (0.0, 0.0),
            Align::Center => ((width - natural) / 2.0, 0.0),
            Align::Right => (width - natural, 0.0),
            Align::Justify if !last && gaps > 0 => (0.0, (width - natural) / gaps as f32),
            Align::Justify => (0.0, 0.0),
        };
        let base = size * 1.0;
        let mut draws = Vec::new();
        for (text, face, sz, underline, w, space) in words {
            let before = x;
            if space {
                x += word_width(" ", face, sz) + stretch;
            }
            if underline {
                // An underlined phrase is one line, under its spaces too.
                let joined = space
                    && matches!(draws.last(), Some(Draw::Text { .. }))
                    && draws
                        .iter()
                        .rev()
                        .nth(1)
                        .is_some_and(|d| matches!(d, Draw::Rule { .. }));
                draws.push(Draw::Rule {
                    x1: if joined { before } else { x },
                    y1: base + 1.5,
                    x2: x + w,
                    y2: base + 1.5,
                });
            }
            draws.push(Draw::Text {
                x,
                y: base,
                face,
                size: sz,
                text,
            });
            x += w;
        }
        out.push(Slab {
            gap: 0.0,
            height,
            draws,
            head: None,
        });
    }
}

/// Lays out the children of a block element at a width.
pub(super) fn blocks(e: &Element, width: f32, style: Style, out: &mut Vec<Slab>) {
    let mut run: Vec<Piece> = Vec::new();
    let mut space = false;
    let flush = |run: &mut Vec<Piece>, out: &mut Vec<Slab>| {
        if run.iter().any(|p| matches!(p, Piece::Word { .. })) {
            paragraph(run, width, style, out);
        }
        run.clear();
    };
    for n in &e.children {
        match n {
            Node::Element(c) if skipped(c) => {}
            Node::Element(c) if is_block(&c.tag) => {
                flush(&mut run, out);
                space = false;
                block(c, width, style_of(c, style), out);
            }
            Node::Element(c) if c.tag == "br" => {
                run.push(Piece::Break);
                space = false;
            }
            Node::Element(_) | Node::Text(_) => {
                inline(std::slice::from_ref(n), style, &mut run, &mut space)
            }
        }
    }
    flush(&mut run, out);
}

fn block(e: &Element, width: f32, style: Style, out: &mut Vec<Slab>) {
    let start = out.len();
    match e.tag.as_str() {
        "table" => super::table::table(e, width, style, out),
        "hr" => out.push(Slab {
            gap: 4.0,
            height: 6.0,
            draws: vec![Draw::Rule {
                x1: 0.0,
                y1: 3.0,
                x2: width,
                y2: 3.0,
            }],
            head: None,
        }),
        "ul" | "ol" => {
            let mut i = 0;
            for n in &e.children {
                if let Node::Element(li) = n
                    && !skipped(li)
                {
                    i += 1;
                    let mark = if e.tag == "ol" {
                        format!("{i}.")
                    } else {
                        "–".into()
                    };
                    let indent = 18.0;
                    let mut inner = Vec::new();
                    blocks(li, width - indent, style_of(li, style), &mut inner);
                    for (k, mut s) in inner.into_iter().enumerate() {
                        s.draws = s.draws.iter().map(|d| d.moved(indent, 0.0)).collect();
                        if k == 0 {
                            s.draws.push(Draw::Text {
                                x: 4.0,
                                y: style.size,
                                face: style.face,
                                size: style.size,
                                text: mark.clone(),
                            });
                        }
                        out.push(s);
                    }
                }
            }
        }
        "dd" => {
            let mut inner = Vec::new();
            blocks(e, width - 18.0, style, &mut inner);
            out.extend(inner.into_iter().map(|mut s| {
                s.draws = s.draws.iter().map(|d| d.moved(18.0, 0.0)).collect();
                s
            }));
        }
        _ => blocks(e, width, style, out),
    }
    let gap = match e.tag.as_str() {
        "h1" => 10.0,
        "h2" | "h3" | "table" => 8.0,
        "p" | "ul" | "ol" | "dl" | "figure" => 4.0,
        _ => 0.0,
    };
    if let Some(first) = out.get_mut(start) {
        first.gap = first.gap.max(gap);
    }
    if e.tag == "h1"
        && let Some(last) = out.last_mut()
    {
        last.height += 6.0;
    }
}

/// The page size and margins (left, top, right, bottom) of a document.
fn frame(landscape: bool) -> ((f32, f32), [f32; 4]) {
    let size = if landscape { (A4.1, A4.0) } else { A4 };
    (size, [30.0 * MM, 20.0 * MM, 15.0 * MM, 20.0 * MM])
}

/// Lays the document element out on pages.
pub fn pages(doc: &Element, landscape: bool, body_size: f32) -> Vec<Page> {
    let ((pw, ph), [left, top, right, bottom]) = frame(landscape);
    let width = pw - left - right;
    let style = Style {
        face: Face::Regular,
        size: body_size,
        underline: false,
        align: Align::Left,
        pre: false,
    };
    let mut slabs = Vec::new();
    block(doc, width, style_of(doc, style), &mut slabs);
    let mut pages: Vec<Page> = Vec::new();
    let mut draws: Vec<Draw> = Vec::new();
    let mut y = top;
    let limit = ph - bottom;
    let mut fresh = true;
    for s in slabs {
        let gap = if fresh { 0.0 } else { s.gap };
        if !fresh && y + gap + s.height > limit {
            pages.push(Page {
                width: pw,
                height: ph,
                draws: std::mem::take(&mut draws),
            });
            y = top;
            if let Some(head) = &s.head {
                for h in head.iter() {
                    draws.extend(h.draws.iter().map(|d| d.moved(left, y)));
                    y += h.height;
                }
            }
            draws.extend(s.draws.iter().map(|d| d.moved(left, y)));
            y += s.height;
            continue;
        }
        y += gap;
        draws.extend(s.draws.iter().map(|d| d.moved(left, y)));
        y += s.height;
        fresh = false;
    }
    pages.push(Page {
        width: pw,
        height: ph,
        draws,
    });
    // The page number, centred in the top margin, from the second page (Hướng dẫn 36-HD/VPTW).
    for (i, p) in pages.iter_mut().enumerate().skip(1) {
        let text = (i + 1).to_string();
        let w = word_width(&text, Face::Regular, 13.0);
        p.draws.push(Draw::Text {
            x: left + (width - w) / 2.0,
            y: top - 6.0 * MM,
            face: Face::Regular,
            size: 13.0,
            text,
        });
    }
    pages
}
