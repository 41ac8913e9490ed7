//! Tables on the page: columns as wide as their content asks within the line, rows kept whole,
//! the head rows drawn again at the top of each page a table continues on. The header and
//! signature blocks (`doc-head`, `signatures`) are tables without rules, their cells centred.

use std::rc::Rc;

use super::html::{Element, Node};
use super::layout::{
    Align, Draw, Piece, Slab, Style, blocks, inline, skipped, style_of, word_width,
};

struct Cell<'a> {
    el: &'a Element,
    span: usize,
}

fn rows_of(e: &Element) -> Vec<(bool, Vec<Cell<'_>>)> {
    let mut rows = Vec::new();
    for n in &e.children {
        let Node::Element(c) = n else { continue };
        match c.tag.as_str() {
            "thead" | "tbody" | "tfoot" => {
                for (_, r) in rows_of(c) {
                    rows.push((c.tag == "thead", r));
                }
            }
            "tr" => {
                let cells = c
                    .children
                    .iter()
                    .filter_map(|n| match n {
                        Node::Element(td) if (td.tag == "td" || td.tag == "th") && !skipped(td) => {
                            Some(Cell {
                                el: td,
                                span: td
                                    .attr("colspan")
                                    .and_then(|s| s.parse().ok())
                                    .unwrap_or(1usize)
                                    .clamp(1, 50),
                            })
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>();
                if !cells.is_empty() && c.attr("hidden").is_none() {
                    rows.push((false, cells));
                }
            }
            _ => {}
        }
    }
    rows
}

/// The narrowest a cell can be (its longest word) and its width on one line.
fn cell_widths(cell: &Element, style: Style) -> (f32, f32) {
    let mut pieces = Vec::new();
    let mut space = false;
    inline(
        &cell.children,
        style_of(cell, style),
        &mut pieces,
        &mut space,
    );
    let (mut min, mut max, mut line) = (0.0f32, 0.0f32, 0.0f32);
    for p in &pieces {
        match p {
            Piece::Break => {
                max = max.max(line);
                line = 0.0;
            }
            Piece::Word {
                text,
                face,
                size,
                space_before,
                ..
            } => {
                let w = word_width(text, *face, *size);
                min = min.max(w);
                line += w + if *space_before {
                    word_width(" ", *face, *size)
                } else {
                    0.0
                };
            }
        }
    }
    (min, max.max(line))
}

pub(super) fn table(e: &Element, width: f32, style: Style, out: &mut Vec<Slab>) {
    let rows = rows_of(e);
    let columns = rows
        .iter()
        .map(|(_, r)| r.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return;
    }
    let plain = e.has_class("doc-head") || e.has_class("signatures");
    let style = Style {
        size: if plain {
            style.size - 1.0
        } else {
            style.size - 2.0
        },
        align: if plain { Align::Center } else { Align::Left },
        ..style
    };
    // The register keeps each column's lines as they are written (Mẫu 7-HSĐV).
    let style = Style {
        pre: style.pre || e.has_class("register"),
        ..style
    };
    let pad = if plain { 2.0 } else { 3.0 };
    let mut widths = vec![width / columns as f32; columns];
    if !plain {
        let mut min = vec![0.0f32; columns];
        let mut max = vec![0.0f32; columns];
        for (_, r) in &rows {
            let mut col = 0;
            for c in r {
                if c.span == 1 && col < columns {
                    let (lo, hi) = cell_widths(c.el, style);
                    min[col] = min[col].max(lo + 2.0 * pad);
                    max[col] = max[col].max(hi + 2.0 * pad);
                }
                col += c.span;
            }
        }
        let (smin, smax): (f32, f32) = (min.iter().sum(), max.iter().sum());
        widths = if smax <= width {
            let extra = (width - smax) / columns as f32;
            max.iter().map(|m| m + extra).collect()
        } else if smin >= width {
            min.iter().map(|m| m * width / smin).collect()
        } else {
            let f = (width - smin) / (smax - smin);
            min.iter().zip(&max).map(|(a, b)| a + (b - a) * f).collect()
        };
    }
    let mut head: Vec<Slab> = Vec::new();
    let mut body_started = false;
    for (is_head, r) in &rows {
        let mut x = 0.0;
        let mut col = 0;
        let mut cells: Vec<(f32, f32, Vec<Slab>)> = Vec::new();
        for c in r {
            let w: f32 = widths[col.min(columns - 1)..(col + c.span).min(columns)]
                .iter()
                .sum();
            let mut inner = Vec::new();
            blocks(
                c.el,
                (w - 2.0 * pad).max(1.0),
                style_of(c.el, style),
                &mut inner,
            );
            cells.push((x, w, inner));
            x += w;
            col += c.span;
        }
        let height = cells
            .iter()
            .map(|(_, _, s)| s.iter().map(|s| s.gap + s.height).sum::<f32>())
            .fold(0.0, f32::max)
            + 2.0 * pad;
        let mut draws = Vec::new();
        for (cx, w, inner) in &cells {
            let mut y = pad;
            for s in inner {
                y += s.gap;
                draws.extend(s.draws.iter().map(|d| d.moved(cx + pad, y)));
                y += s.height;
            }
            if !plain {
                for (x1, y1, x2, y2) in [
                    (*cx, 0.0, cx + w, 0.0),
                    (*cx, height, cx + w, height),
                    (*cx, 0.0, *cx, height),
                    (cx + w, 0.0, cx + w, height),
                ] {
                    draws.push(Draw::Rule { x1, y1, x2, y2 });
                }
            }
        }
        let heading = *is_head || (!body_started && r.iter().all(|c| c.el.tag == "th") && !plain);
        let slab = Slab {
            gap: 0.0,
            height,
            draws,
            head: None,
        };
        if heading && !body_started {
            head.push(slab.clone());
            out.push(slab);
        } else {
            body_started = true;
            let shared = (!head.is_empty()).then(|| Rc::new(head.clone()));
            out.push(Slab {
                head: shared,
                ..slab
            });
        }
    }
}
