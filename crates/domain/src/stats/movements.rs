//! The movements of a subtree's roll over a period: who came on it and how, who left it and
//! how, and the changes that keep a member on it (made official, exempted, disciplined, away
//! temporarily). Entries and exits are counted from the member's time on the roll itself, so
//! that opening + in − out = closing always holds; the events only say why.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::member::{DisciplineForm, Event, EventKind};

/// Why a member came on the roll or left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    /// Kết nạp.
    Admitted,
    /// Kết nạp lại.
    Readmitted,
    /// Chuyển sinh hoạt đến từ ngoài hệ thống.
    TransferredIn,
    /// Chuyển đến từ đơn vị khác trong hệ thống (a cell outside the subtree).
    MovedIn,
    /// Chuyển sinh hoạt đi.
    TransferredOut,
    /// Chuyển sang đơn vị khác trong hệ thống.
    MovedOut,
    /// Từ trần.
    Died,
    /// Xóa tên.
    RemovedFromRolls,
    /// Xin ra khỏi Đảng.
    Resigned,
    /// Khai trừ.
    Expelled,
    /// A change the events do not explain (an organisation moved into or out of the subtree).
    Other,
}

impl Move {
    pub fn label(self, entering: bool) -> &'static str {
        match self {
            Move::Admitted => "Kết nạp",
            Move::Readmitted => "Kết nạp lại",
            Move::TransferredIn => "Chuyển sinh hoạt chính thức đến",
            Move::MovedIn => "Chuyển đến từ đơn vị khác trong hệ thống",
            Move::TransferredOut => "Chuyển sinh hoạt chính thức đi",
            Move::MovedOut => "Chuyển sang đơn vị khác trong hệ thống",
            Move::Died => "Từ trần",
            Move::RemovedFromRolls => "Xóa tên",
            Move::Resigned => "Xin ra khỏi Đảng",
            Move::Expelled => "Khai trừ",
            Move::Other if entering => "Tăng khác (tổ chức đảng chuyển đến)",
            Move::Other => "Giảm khác (tổ chức đảng chuyển đi)",
        }
    }
}

/// One member's time on the subtree's roll (spans [from, to), `to` exclusive) and her events.
#[derive(Debug, Clone, Default)]
pub struct Presence {
    pub spans: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub events: Vec<Event>,
}

impl Presence {
    /// The spans merged where they touch or overlap, in order.
    fn merged(&self) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        let mut v = self.spans.clone();
        v.sort();
        let mut out: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for (f, t) in v {
            match out.last_mut() {
                Some((_, last_to)) if last_to.is_none_or(|lt| lt >= f) => {
                    *last_to = match (*last_to, t) {
                        (None, _) | (_, None) => None,
                        (Some(a), Some(b)) => Some(a.max(b)),
                    };
                }
                _ => out.push((f, t)),
            }
        }
        out
    }

    fn on_roll(spans: &[(NaiveDate, Option<NaiveDate>)], d: NaiveDate) -> bool {
        spans
            .iter()
            .any(|(f, t)| *f <= d && t.is_none_or(|t| d < t))
    }
}

/// The movements of a period, from its first day to its last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movements {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// On the roll at the end of the day before `from`.
    pub opening: u32,
    /// On the roll at the end of `to`.
    pub closing: u32,
    pub ins: Vec<(Move, u32)>,
    pub outs: Vec<(Move, u32)>,
    /// Công nhận chính thức.
    pub made_official: u32,
    /// Miễn công tác và sinh hoạt đảng.
    pub exempted: u32,
    /// Kỷ luật (every form, expulsion included).
    pub disciplined: u32,
    /// Chuyển sinh hoạt tạm thời đi, and back.
    pub temporary_out: u32,
    pub temporary_back: u32,
}

impl Movements {
    pub fn total_in(&self) -> u32 {
        self.ins.iter().map(|(_, n)| n).sum()
    }
    pub fn total_out(&self) -> u32 {
        self.outs.iter().map(|(_, n)| n).sum()
    }
    /// opening + in − out = closing.
    pub fn reconciles(&self) -> bool {
        i64::from(self.opening) + i64::from(self.total_in()) - i64::from(self.total_out())
            == i64::from(self.closing)
    }
}

fn why_in(events: &[Event], on: NaiveDate) -> Move {
    let kinds: Vec<EventKind> = events
        .iter()
        .filter(|e| e.on == on)
        .map(|e| e.kind)
        .collect();
    if kinds.contains(&EventKind::Readmitted) {
        Move::Readmitted
    } else if kinds.contains(&EventKind::Admitted) {
        Move::Admitted
    } else if kinds.contains(&EventKind::TransferredIn) {
        Move::TransferredIn
    } else if kinds.contains(&EventKind::MovedCell) {
        Move::MovedIn
    } else {
        Move::Other
    }
}

fn why_out(events: &[Event], on: NaiveDate) -> Move {
    let day: Vec<&Event> = events.iter().filter(|e| e.on == on).collect();
    let has = |k: EventKind| day.iter().any(|e| e.kind == k);
    if has(EventKind::Died) {
        Move::Died
    } else if day
        .iter()
        .any(|e| e.kind == EventKind::Disciplined && e.discipline == Some(DisciplineForm::KhaiTru))
    {
        Move::Expelled
    } else if has(EventKind::RemovedFromRolls) {
        Move::RemovedFromRolls
    } else if has(EventKind::Resigned) {
        Move::Resigned
    } else if has(EventKind::TransferredOut) {
        Move::TransferredOut
    } else if has(EventKind::MovedCell) {
        Move::MovedOut
    } else {
        Move::Other
    }
}

/// Counts the movements of the members' time on a roll between `from` and `to` (both
/// included).
pub fn movements(members: &[Presence], from: NaiveDate, to: NaiveDate) -> Movements {
    let before = from.checked_sub_days(Days::new(1)).unwrap_or(from);
    let mut m = Movements {
        from,
        to,
        opening: 0,
        closing: 0,
        ins: Vec::new(),
        outs: Vec::new(),
        made_official: 0,
        exempted: 0,
        disciplined: 0,
        temporary_out: 0,
        temporary_back: 0,
    };
    let mut ins = std::collections::BTreeMap::new();
    let mut outs = std::collections::BTreeMap::new();
    for p in members {
        let spans = p.merged();
        m.opening += u32::from(Presence::on_roll(&spans, before));
        m.closing += u32::from(Presence::on_roll(&spans, to));
        for (f, t) in &spans {
            if *f > before && *f <= to {
                *ins.entry(why_in(&p.events, *f)).or_insert(0) += 1;
            }
            if let Some(t) = t
                && *t > before
                && *t <= to
            {
                *outs.entry(why_out(&p.events, *t)).or_insert(0) += 1;
            }
        }
        // Changes while on the roll.
        for e in p.events.iter().filter(|e| e.on >= from && e.on <= to) {
            let on_roll = Presence::on_roll(&spans, e.on)
                || Presence::on_roll(&spans, e.on.checked_sub_days(Days::new(1)).unwrap_or(e.on));
            if !on_roll {
                continue;
            }
            match e.kind {
                EventKind::MadeOfficial => m.made_official += 1,
                EventKind::Exempted => m.exempted += 1,
                EventKind::Disciplined => m.disciplined += 1,
                EventKind::TemporaryOut => m.temporary_out += 1,
                EventKind::TemporaryReturn => m.temporary_back += 1,
                _ => {}
            }
        }
    }
    m.ins = ins.into_iter().collect();
    m.outs = outs.into_iter().collect();
    m
}
