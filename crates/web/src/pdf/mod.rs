//! PDF documents: every printable page (one that offers printing) can be had as a PDF at its
//! own address with `.pdf` added. The page is drawn as usual, with its scope checks and its
//! data, and its document part is laid out on A4 in the Party's layout, so the PDF always says
//! what the page says.

mod font;
mod html;
mod layout;
mod table;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use font::{Face, Font};
use layout::{Draw, Page};

/// The largest page turned into a PDF.
const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// PDF files laid out at once; a request beyond them is answered "busy" at once rather than
/// queued behind long documents.
static RENDERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Middleware, before routing: `GET /x.pdf` draws `/x` and answers it as a PDF when it is a
/// printable document; anything else about the page (not found, no right to it) is answered as
/// the page would be.
pub async fn documents(mut req: Request, next: Next) -> Response {
    let Some(page) = req.uri().path().strip_suffix(".pdf").map(str::to_string) else {
        return next.run(req).await;
    };
    if req.method() != Method::GET || page.is_empty() {
        return next.run(req).await;
    }
    let target = match req.uri().query() {
        Some(q) => format!("{page}?{q}"),
        None => page.clone(),
    };
    let Ok(uri) = target.parse() else {
        return next.run(req).await;
    };
    *req.uri_mut() = uri;
    let r = next.run(req).await;
    let html = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if r.status() != StatusCode::OK || !html {
        return r;
    }
    let (parts, body) = r.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(permit) = RENDERS.try_acquire() else {
        return error_page(&parts, dangvu_app::AppError::Busy);
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let made = tokio::task::spawn_blocking(move || {
        let _held = permit;
        from_html(&text)
    })
    .await;
    match made {
        Ok(Some((pdf, title))) => {
            let name = file_name(&title);
            // The page's own headers (security, session) stay; the body and its type change.
            let mut resp = Response::from_parts(parts, Body::from(pdf));
            let h = resp.headers_mut();
            h.remove(header::CONTENT_LENGTH);
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!(
                "attachment; filename=\"{}.pdf\"; filename*=UTF-8''{}.pdf",
                dangvu_domain::text::fold(&name).replace(' ', "-"),
                url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
            )) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        // Not a printable document: there is no PDF of it, as there is none of a page that
        // does not exist.
        Ok(None) => error_page(&parts, dangvu_app::AppError::NotFound("pdf")),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The error page of the user who asked, as the pages draw it.
fn error_page(parts: &axum::http::response::Parts, e: dangvu_app::AppError) -> Response {
    let mut r = crate::error::PageError(e).into_response();
    if let Some(me) = parts.extensions.get::<crate::session::CurrentActor>() {
        r.extensions_mut().insert(me.clone());
    }
    crate::error::draw_pending(r)
}

/// A file name from a title: the characters a file name may hold.
fn file_name(title: &str) -> String {
    let name: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        "tai-lieu".into()
    } else {
        name.chars().take(80).collect()
    }
}

/// The PDF of a printable page and its title; None when the page offers no printing.
pub fn from_html(page: &str) -> Option<(Vec<u8>, String)> {
    let root = html::parse(page);
    root.find(&|e| e.attr("data-print").is_some())?;
    let main = root.find(&|e| e.tag == "main").unwrap_or(&root);
    let title = root
        .find(&|e| e.tag == "title")
        .map(|t| t.text())
        .unwrap_or_default();
    let title = title
        .rsplit_once(" · ")
        .map_or(title.as_str(), |(t, _)| t)
        .to_string();
    let landscape = root.find(&|e| e.has_class("register-sheet")).is_some();
    let body = if landscape { 10.0 } else { 13.0 };
    let pages = layout::pages(main, landscape, body);
    Some((write(&pages, &title), title))
}

/// The PDF file of laid-out pages.
fn write(pages: &[Page], title: &str) -> Vec<u8> {
    let mut used: BTreeMap<Face, BTreeMap<u16, char>> = BTreeMap::new();
    let mut contents = Vec::with_capacity(pages.len());
    for p in pages {
        let mut s = String::new();
        s.push_str("0 g 0 G 0.5 w\n");
        for d in &p.draws {
            match d {
                Draw::Text {
                    x,
                    y,
                    face,
                    size,
                    text,
                } => {
                    let f = Font::get(*face);
                    let glyphs = used.entry(*face).or_default();
                    let _ = write!(
                        s,
                        "BT /F{} {size:.1} Tf {x:.2} {:.2} Td <",
                        *face as u8,
                        p.height - y
                    );
                    for c in text.chars() {
                        let g = f.glyph(c);
                        glyphs.entry(g).or_insert(c);
                        let _ = write!(s, "{g:04X}");
                    }
                    s.push_str("> Tj ET\n");
                }
                Draw::Rule { x1, y1, x2, y2 } => {
                    let _ = writeln!(
                        s,
                        "{x1:.2} {:.2} m {x2:.2} {:.2} l S",
                        p.height - y1,
                        p.height - y2
                    );
                }
            }
        }
        contents.push(s);
    }

    let mut w = Writer::default();
    let catalog = w.reserve();
    let tree = w.reserve();
    let mut fonts = Vec::new();
    for (face, glyphs) in &used {
        fonts.push((*face, embed_font(&mut w, *face, glyphs)));
    }
    let mut resources = String::from("<< /Font <<");
    for (face, id) in &fonts {
        let _ = write!(resources, " /F{} {id} 0 R", *face as u8);
    }
    resources.push_str(" >> >>");
    let mut kids = Vec::new();
    for (p, c) in pages.iter().zip(&contents) {
        let content = w.stream("", c.as_bytes(), true);
        let page = w.object(format!(
            "<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {:.2} {:.2}] /Resources {resources} /Contents {content} 0 R >>",
            p.width, p.height
        ));
        kids.push(format!("{page} 0 R"));
    }
    w.set(
        tree,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            kids.len()
        ),
    );
    w.set(catalog, format!("<< /Type /Catalog /Pages {tree} 0 R >>"));
    let info = w.object(format!(
        "<< /Title {} /Producer (Dang vu) /Creator (Dang vu) >>",
        utf16_string(title)
    ));
    w.finish(catalog, info)
}

/// A text string in UTF-16 with its byte-order mark, as hex.
fn utf16_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for u in s.encode_utf16() {
        let _ = write!(out, "{u:04X}");
    }
    out.push('>');
    out
}

/// Embeds a face's subset as a composite font whose codes are glyph ids, with the widths and
/// the map back to Unicode (so the text can be searched and copied).
fn embed_font(w: &mut Writer, face: Face, glyphs: &BTreeMap<u16, char>) -> usize {
    let f = Font::get(face);
    let set: BTreeSet<u16> = glyphs.keys().copied().collect();
    let program = f.subset(&set).unwrap_or_default();
    let file = w.stream(&format!("/Length1 {}", program.len()), &program, true);
    let scale = 1000.0 / f.units_per_em;
    let sc = |v: i16| (f32::from(v) * scale).round() as i32;
    let tag = match face {
        Face::Regular => "DVAAAA",
        Face::Bold => "DVAAAB",
        Face::Italic => "DVAAAC",
    };
    let name = format!("{tag}+{}", face.name());
    let flags = 32 | if face == Face::Italic { 64 } else { 0 } | 2;
    let descriptor = w.object(format!(
        "<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV {} /FontFile2 {file} 0 R >>",
        sc(f.bbox[0]),
        sc(f.bbox[1]),
        sc(f.bbox[2]),
        sc(f.bbox[3]),
        if face == Face::Italic { -12 } else { 0 },
        sc(f.ascent),
        sc(f.descent),
        sc(f.ascent),
        if face == Face::Bold { 120 } else { 80 },
    ));
    let mut widths = String::new();
    for g in glyphs.keys() {
        let _ = write!(
            widths,
            " {g} [{}]",
            (f32::from(f.advance(*g)) * scale).round() as i32
        );
    }
    let cid = w.object(format!(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /W [{widths} ] /CIDToGIDMap /Identity >>"
    ));
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    let pairs: Vec<(&u16, &char)> = glyphs.iter().filter(|(g, _)| **g != 0).collect();
    for chunk in pairs.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (g, c) in chunk {
            let mut hex = String::new();
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                let _ = write!(hex, "{u:04X}");
            }
            let _ = writeln!(cmap, "<{g:04X}> <{hex}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end\n");
    let to_unicode = w.stream("", cmap.as_bytes(), true);
    w.object(format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
    ))
}

/// The objects of a PDF file, numbered from 1, written with their cross-reference table.
#[derive(Default)]
struct Writer {
    objects: Vec<Vec<u8>>,
}

impl Writer {
    fn reserve(&mut self) -> usize {
        self.objects.push(Vec::new());
        self.objects.len()
    }

    fn set(&mut self, id: usize, body: String) {
        if let Some(o) = self.objects.get_mut(id - 1) {
            *o = body.into_bytes();
        }
    }

    fn object(&mut self, body: String) -> usize {
        self.objects.push(body.into_bytes());
        self.objects.len()
    }

    fn stream(&mut self, extra: &str, data: &[u8], compress: bool) -> usize {
        let (data, filter) = if compress {
            (
                miniz_oxide::deflate::compress_to_vec_zlib(data, 6),
                " /Filter /FlateDecode",
            )
        } else {
            (data.to_vec(), "")
        };
        let mut o = format!("<< /Length {}{filter} {extra} >>\nstream\n", data.len()).into_bytes();
        o.extend_from_slice(&data);
        o.extend_from_slice(b"\nendstream");
        self.objects.push(o);
        self.objects.len()
    }

    fn finish(self, catalog: usize, info: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.objects.len());
        for (i, o) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1);
        for o in offsets {
            let _ = writeln!(table, "{o:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.objects.len() + 1
        );
        out.extend_from_slice(table.as_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_without_printing_has_no_pdf_and_a_printable_one_has_its_pages() {
        assert!(from_html("<html><main><h1>Tổ chức</h1></main></html>").is_none());
        let rows: String = (1..=120)
            .map(|i| format!("<tr><td>{i}</td><td>Nguyễn Văn Đức {i}</td></tr>"))
            .collect();
        let page = format!(
            "<html><head><title>Danh sách · Đảng vụ</title></head><main><p class=actions><a href=# data-print>In</a></p>\
             <article><h1>DANH SÁCH</h1><table><thead><tr><th>STT</th><th>Họ và tên</th></tr></thead>\
             <tbody>{rows}</tbody></table></article></main></html>"
        );
        let (pdf, title) = from_html(&page).expect("a PDF");
        assert_eq!(title, "Danh sách");
        assert!(pdf.starts_with(b"%PDF-1.7"));
        let text = String::from_utf8_lossy(&pdf);
        let pages = text.matches("/Type /Page ").count();
        assert!(pages >= 3, "120 rows take several pages: {pages}");
        assert!(text.contains("/FontFile2"));
        // The number of every page but the first, centred in its top margin.
        let root = html::parse(&page);
        let main = root.find(&|e| e.tag == "main").expect("main");
        let laid = layout::pages(main, false, 13.0);
        assert!(laid.len() >= 3);
        for (i, p) in laid.iter().enumerate() {
            let numbered = p.draws.iter().any(|d| {
                matches!(d, Draw::Text { text, y, .. } if *text == (i + 1).to_string() && *y < 20.0 * 72.0 / 25.4)
            });
            assert_eq!(numbered, i > 0, "page {}", i + 1);
        }
        assert!(!text.contains("data-print"));
    }

    #[test]
    fn file_names_keep_letters_and_drop_what_a_file_name_cannot_hold() {
        assert_eq!(file_name("Biên bản: 10/06/2026"), "Biên bản 10 06 2026");
        assert_eq!(file_name("///"), "tai-lieu");
    }
}
