//! Thẻ đảng viên on the pages: a member's cards with their issuing committee and status, the
//! form that marks a card lost or recovered, and a subtree's card work (who needs a card, whose
//! card is to be recovered).

use askama::Template;
use axum::extract::Path;
use dangvu_app::members::cards::{CardNeedLine, CardWork};
use dangvu_domain::card::{CardNeed, CardStatus};
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::member::CardGeneration;
use dangvu_store::members::Card;

use crate::AppState;
use crate::error::form_failed;
use crate::extract::Cx;
use crate::html::members::member_page;
use crate::html::{PageQuery, PageResult, shown};
use crate::input::Fields;
use crate::session::CurrentActor;
use crate::view::vn;

pub fn status_label(s: CardStatus) -> &'static str {
    match s {
        CardStatus::InUse => "Đang sử dụng",
        CardStatus::Lost => "Đã báo mất",
        CardStatus::Replaced => "Đã đổi thẻ mới",
        CardStatus::Recovered => "Đã thu hồi",
    }
}

pub fn generation_label(g: CardGeneration) -> &'static str {
    match g {
        CardGeneration::Ct29_2003 => "Chỉ thị 29 (2003)",
        CardGeneration::Ct51_2025 => "Chỉ thị 51 (2025)",
    }
}

pub fn need_label(n: CardNeed) -> &'static str {
    match n {
        CardNeed::NoCard => "Chưa có thẻ (mới chính thức hoặc chưa được cấp)",
        CardNeed::Lost => "Mất thẻ, chưa cấp lại",
        CardNeed::Campaign => "Đổi thẻ theo đợt đổi thẻ",
    }
}

pub struct CardRow {
    pub id: i64,
    pub number: String,
    pub generation: &'static str,
    pub issued: String,
    pub issuer: String,
    pub status: &'static str,
    pub ended: String,
    pub note: String,
    pub in_use: bool,
}

/// A member's cards as the page shows them, with the issuing committee's name of the day.
pub(crate) async fn card_rows(state: &AppState, cards: &[Card]) -> Vec<CardRow> {
    let mut out = Vec::with_capacity(cards.len());
    for c in cards {
        let issuer = match c.issuer {
            Some(o) => state.app.org_name(o, c.issued_on).await.unwrap_or_default(),
            None => String::new(),
        };
        out.push(CardRow {
            id: c.id,
            number: c.number.clone(),
            generation: generation_label(c.generation),
            issued: vn(c.issued_on),
            issuer,
            status: status_label(c.status),
            ended: c.ended_on.map(vn).unwrap_or_default(),
            note: c.note.clone().unwrap_or_default(),
            in_use: c.status == CardStatus::InUse,
        });
    }
    out
}

/// Marks a card lost or recovered (`card_status`, `on`, `note`); the member's page again.
pub async fn status_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let member = MemberId(f.get("member").trim().parse::<i64>().unwrap_or_default());
    let r = async {
        let status = CardStatus::from_code(f.get("card_status").trim()).ok_or_else(|| {
            crate::input::invalid(vec![dangvu_domain::FieldError::new(
                "card_status",
                "required",
            )])
        })?;
        let on = parse_date("on", &f.get("on")).map_err(|e| crate::input::invalid(vec![e]))?;
        state
            .app
            .end_card(&me.actor(), id, status, on, &f.get("note"))
            .await
    }
    .await;
    match r {
        Ok(()) => crate::html::done(format!("/dang-vien/{}", member.0), "card"),
        Err(e) => {
            form_failed(e, "card", f, async |fb| {
                member_page(&me, &state, member, &PageQuery::default(), fb).await
            })
            .await
        }
    }
}

pub struct RecoverRow {
    pub member: i64,
    pub name: String,
    pub status: &'static str,
    pub card: String,
    pub issued: String,
}

#[derive(Template)]
#[template(path = "cards/work.html")]
pub struct WorkPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub on: String,
    pub campaign: String,
    /// Each line with the words of its need.
    pub needed: Vec<(CardNeedLine, &'static str)>,
    pub to_recover: Vec<RecoverRow>,
    pub head: crate::view::Letterhead,
}

pub(crate) fn recover_rows(w: &CardWork) -> Vec<RecoverRow> {
    w.to_recover
        .iter()
        .map(|l| RecoverRow {
            member: l.member.0,
            name: l.name.clone(),
            status: crate::i18n::status(l.status),
            card: l.card.number.clone(),
            issued: vn(l.card.issued_on),
        })
        .collect()
}

/// The card work of the organisation's subtree today.
pub async fn work(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let today = state.app.clock.today();
    let w = state.app.card_work(&me.actor(), OrgId(id), today).await?;
    let (name, _) = crate::html::org_today(&state, OrgId(id)).await;
    let needed = w
        .needed
        .iter()
        .map(|l| (l.clone(), need_label(l.need)))
        .collect();
    let to_recover = recover_rows(&w);
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), OrgId(id), today).await?;
    let page = WorkPage {
        head,
        me: me.clone(),
        org: id,
        name,
        on: vn(w.on),
        campaign: w
            .campaign
            .map(|c| format!("{} (hạn {})", c.title, vn(c.by)))
            .unwrap_or_default(),
        needed,
        to_recover,
    };
    shown(axum::http::StatusCode::OK, &page)
}
