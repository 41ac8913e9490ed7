//! A small reader of the HTML our own templates write: elements, their attributes and text,
//! with entities decoded. It is not a general HTML parser: it trusts the templates to close
//! what they open, and closes only the elements HTML lets them leave open (`li`, `tr`, `td`,
//! `th`, `p`).

/// An element or a run of text.
#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone, Default)]
pub struct Element {
    pub tag: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
    }

    /// The first element below this one (depth first) that `pick` accepts.
    pub fn find(&self, pick: &dyn Fn(&Element) -> bool) -> Option<&Element> {
        for n in &self.children {
            if let Node::Element(e) = n {
                if pick(e) {
                    return Some(e);
                }
                if let Some(f) = e.find(pick) {
                    return Some(f);
                }
            }
        }
        None
    }

    /// The text below this element, spaces collapsed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for n in &e.children {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) => {
                if c.tag == "br" {
                    out.push(' ');
                }
                collect_text(c, out);
            }
        }
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Reads a page into a tree under a root element named `#root`.
pub fn parse(html: &str) -> Element {
    let mut stack: Vec<Element> = vec![Element {
        tag: "#root".into(),
        ..Default::default()
    }];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            let name = after[..end].trim().to_ascii_lowercase();
            rest = after.get(end + 1..).unwrap_or("");
            if stack.iter().skip(1).any(|e| e.tag == name) {
                while let Some(top) = stack.pop() {
                    let done = top.tag == name;
                    attach(&mut stack, top);
                    if done {
                        break;
                    }
                }
            }
            continue;
        }
        let (element, closed, used) = read_tag(&rest[1..]);
        rest = &rest[1 + used..];
        let Some(mut element) = element else {
            push_text(&mut stack, "<");
            continue;
        };
        close_implied(&mut stack, &element.tag);
        if element.tag == "script" || element.tag == "style" {
            let end = format!("</{}", element.tag);
            let stop = rest.to_ascii_lowercase().find(&end).unwrap_or(rest.len());
            element.children.push(Node::Text(rest[..stop].to_string()));
            rest = &rest[stop..];
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            attach(&mut stack, element);
            continue;
        }
        if closed || VOID.contains(&element.tag.as_str()) {
            attach(&mut stack, element);
        } else {
            stack.push(element);
        }
    }
    while stack.len() > 1 {
        if let Some(top) = stack.pop() {
            attach(&mut stack, top);
        }
    }
    stack.pop().unwrap_or_default()
}

fn attach(stack: &mut [Element], e: Element) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(Node::Element(e));
    }
}

fn push_text(stack: &mut [Element], raw: &str) {
    if raw.is_empty() {
        return;
    }
    if let Some(parent) = stack.last_mut() {
        parent.children.push(Node::Text(decode(raw)));
    }
}

/// Closes what a new element ends by HTML's rules (a new row ends the open row, and so on).
fn close_implied(stack: &mut Vec<Element>, tag: &str) {
    let ends: &[&str] = match tag {
        "li" => &["li"],
        "tr" => &["tr", "td", "th"],
        "td" | "th" => &["td", "th"],
        "tbody" | "thead" | "tfoot" => &["tr", "td", "th", "tbody", "thead"],
        "p" | "div" | "table" | "ul" | "ol" | "h1" | "h2" | "h3" | "dl" => &["p"],
        "dt" | "dd" => &["dt", "dd"],
        _ => &[],
    };
    while stack.len() > 1 && stack.last().is_some_and(|t| ends.contains(&t.tag.as_str())) {
        if let Some(top) = stack.pop() {
            attach(stack, top);
        }
    }
}

/// Reads `name attr="v" ...>` and answers the element, whether it closed itself, and the
/// bytes read.
fn read_tag(s: &str) -> (Option<Element>, bool, usize) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == 0 {
        return (None, false, 0);
    }
    let mut e = Element {
        tag: s[..i].to_ascii_lowercase(),
        ..Default::default()
    };
    let mut closed = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return (Some(e), closed, i);
        }
        match bytes[i] {
            b'>' => return (Some(e), closed, i + 1),
            b'/' => {
                closed = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let v0 = i + 1;
                i = v0;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                value = decode(&s[v0..i.min(s.len())]);
                i += 1;
            } else {
                let v0 = i;
                while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = decode(&s[v0..i]);
            }
        }
        if name.is_empty() {
            i += 1;
        } else {
            e.attrs.push((name, value));
        }
    }
}

/// Decodes the entities askama and our templates write.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_into_elements_with_their_text_and_classes() {
        let page = parse(
            "<!doctype html><main><p class=\"a b\">Đảng &amp; <em>chi bộ</em>&#x27;s<br>x</p>\
             <table><tr><td>1<td>2<tr><td>3</table><script>if (a < b) {}</script></main>",
        );
        let main = page.find(&|e| e.tag == "main").expect("main");
        let p = main.find(&|e| e.tag == "p").expect("p");
        assert!(p.has_class("b") && !p.has_class("c"));
        assert_eq!(p.text(), "Đảng & chi bộ's x");
        let table = main.find(&|e| e.tag == "table").expect("table");
        let rows: Vec<usize> = table
            .children
            .iter()
            .filter_map(|n| match n {
                Node::Element(r) => Some(r.children.len()),
                Node::Text(_) => None,
            })
            .collect();
        assert_eq!(
            rows,
            vec![2, 1],
            "cells left open are closed by the next one"
        );
        assert!(main.find(&|e| e.tag == "script").is_some());
    }
}
