//! Chuyển sinh hoạt đảng on the pages (R10): the transfers of a subtree (đang chuyển on both
//! sides, temporary stays, those done this year), one transfer with what its receiving or home
//! side can do next, and the printed letter.

use askama::Template;
use axum::extract::Path;
use dangvu_app::transfers::{Letter, Side, TransferLine, TransferList};
use dangvu_domain::calendar::DueState;
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::transfer::{TransferKind, TransferReason, TransferStatus, month_vn};

use crate::AppState;
use crate::error::{finish, form_failed};
use crate::extract::Cx;
use crate::html::members::member_page;
use crate::html::{PageQuery, PageResult, cell_options, shown};
use crate::input::Fields;
use crate::input::transfers::{accept, end, give_back, send};
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

pub fn kind_label(k: TransferKind) -> &'static str {
    match k {
        TransferKind::Official => "Chuyển sinh hoạt chính thức",
        TransferKind::Temporary => "Sinh hoạt tạm thời",
    }
}

pub fn reason_label(r: TransferReason) -> &'static str {
    match r {
        TransferReason::NewJob => "Chuyển công tác",
        TransferReason::Retired => "Nghỉ hưu",
        TransferReason::MovedHome => "Thay đổi nơi cư trú",
        TransferReason::LeftJob => "Thôi việc, mất sức lao động",
        TransferReason::Demobilised => "Xuất ngũ, phục viên",
        TransferReason::Study => "Đi học tập trung",
        TransferReason::Other => "Lý do khác",
    }
}

pub fn status_label(s: TransferStatus) -> &'static str {
    match s {
        TransferStatus::Pending => "Đang chuyển (chờ tiếp nhận)",
        TransferStatus::Accepted => "Đã tiếp nhận",
        TransferStatus::Outside => "Đã chuyển ra ngoài hệ thống",
        TransferStatus::Returned => "Bị trả lại",
        TransferStatus::Cancelled => "Đã hủy (ghi nhầm)",
        TransferStatus::Away => "Đang sinh hoạt tạm thời",
        TransferStatus::Ended => "Đã trở về",
    }
}

/// The choices of the reason, for the forms.
pub fn reason_options() -> Vec<Opt> {
    TransferReason::ALL
        .into_iter()
        .map(|r| Opt::code(r.code(), reason_label(r)))
        .collect()
}

pub struct TransferRow {
    pub id: i64,
    pub member: i64,
    pub name: String,
    pub kind: &'static str,
    pub side: &'static str,
    pub from: String,
    pub to: String,
    pub sent: String,
    /// The open step's deadline: the presentation of a letter, a temporary stay's return.
    pub due: String,
    pub status: &'static str,
    pub overdue: bool,
    pub notes: Vec<&'static str>,
}

fn row(l: &TransferLine) -> TransferRow {
    let t = &l.transfer;
    let due = match t.status {
        TransferStatus::Pending => l.clock.presentation.map(|d| vn(d.due_by)),
        TransferStatus::Away => t.planned_return.map(vn),
        _ => None,
    };
    let mut notes = Vec::new();
    if l.clock.state == Some(DueState::Overdue) {
        notes.push(if t.kind == TransferKind::Temporary {
            "quá hạn trở về"
        } else {
            "quá hạn tiếp nhận"
        });
    }
    if l.clock.sent_late {
        notes.push("giới thiệu chậm quá 60 ngày làm việc");
    }
    if l.incomplete {
        notes.push("thiếu thông tin giấy giới thiệu");
    }
    TransferRow {
        id: t.id,
        member: t.member.0,
        name: l.member_name.clone(),
        kind: kind_label(t.kind),
        side: match l.side {
            Side::Sending => "Chuyển đi",
            Side::Receiving => "Chuyển đến",
            Side::Within => "Trong đảng bộ",
        },
        from: l.from_name.clone(),
        to: l.to_name.clone(),
        sent: vn(t.sent_on),
        due: due.unwrap_or_default(),
        status: status_label(t.status),
        overdue: l.clock.state == Some(DueState::Overdue),
        notes,
    }
}

#[derive(Template)]
#[template(path = "transfers/list.html")]
pub struct ListPage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub today: String,
    pub rows: Vec<TransferRow>,
    pub pending_out: usize,
    pub pending_in: usize,
    pub away: usize,
    pub overdue: usize,
}

fn list_page(me: &CurrentActor, list: &TransferList, org_name: String) -> PageResult {
    let page = ListPage {
        me: me.clone(),
        org: list.org.0,
        org_name,
        today: vn(list.on),
        rows: list.lines.iter().map(row).collect(),
        pending_out: list.pending(Side::Sending),
        pending_in: list.pending(Side::Receiving) + list.pending(Side::Within),
        away: list.count(|l| l.transfer.status == TransferStatus::Away),
        overdue: list.overdue(),
    };
    shown(axum::http::StatusCode::OK, &page)
}

/// The transfers of the organisation's subtree today.
pub async fn list(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let today = state.app.clock.today();
    let list = state.app.transfers(&me.actor(), OrgId(id), today).await?;
    let (name, _) = crate::html::org_today(&state, OrgId(id)).await;
    list_page(&me, &list, name)
}

#[derive(Template)]
#[template(path = "transfers/transfer.html")]
pub struct TransferPage {
    pub me: CurrentActor,
    pub row: TransferRow,
    pub reason: &'static str,
    pub letter_number: String,
    pub dues_paid_to: String,
    pub trigger_on: String,
    pub sending_due: String,
    pub closed: String,
    pub close_reason: String,
    pub accepted_in: String,
    /// The receiving side may accept or return it; the home side may record her return.
    pub can_receive: bool,
    pub can_end: bool,
    pub cell_options: Vec<Opt>,
    pub to_org: String,
    pub today: String,
    pub feedback: Feedback,
}

async fn transfer_page(
    me: &CurrentActor,
    state: &AppState,
    id: i64,
    feedback: Feedback,
) -> PageResult {
    let l = state.app.transfer(&me.actor(), id).await?;
    let t = &l.transfer;
    let a = me.actor();
    let receiving = a.access.all || t.to_org.is_some_and(|o| a.access.orgs.contains(&o));
    let home = a.access.all || t.from_org.is_some_and(|o| a.access.orgs.contains(&o));
    let page = TransferPage {
        me: me.clone(),
        reason: t.reason.map(reason_label).unwrap_or("(chưa ghi)"),
        letter_number: t.letter_number.clone().unwrap_or_default(),
        dues_paid_to: t.dues_paid_to.map(month_vn).unwrap_or_default(),
        trigger_on: t.trigger_on.map(vn).unwrap_or_default(),
        sending_due: l.clock.sending.map(|d| vn(d.due_by)).unwrap_or_default(),
        closed: t.closed_on.map(vn).unwrap_or_default(),
        close_reason: t.close_reason.clone().unwrap_or_default(),
        accepted_in: l.accepted_in.clone().unwrap_or_default(),
        can_receive: receiving && t.status == TransferStatus::Pending,
        can_end: home && t.status == TransferStatus::Away,
        cell_options: cell_options(me, state, t.to_org).await?,
        to_org: t.to_org.map(|o| o.0.to_string()).unwrap_or_default(),
        today: vn(state.app.clock.today()),
        row: row(&l),
        feedback,
    };
    shown(page.feedback.status, &page)
}

/// One transfer, with what its receiving or home side can do next.
pub async fn transfer(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<crate::html::meetings::YearQuery>,
) -> PageResult {
    let fb = q.notice(&[
        ("sent", "Đã ghi giấy giới thiệu sinh hoạt đảng."),
        ("accepted", "Đã tiếp nhận: đảng viên đã có trong chi bộ."),
        (
            "returned",
            "Đã trả lại giấy giới thiệu: đảng viên trở lại chi bộ cũ.",
        ),
        ("ended", "Đã ghi đảng viên trở về sau sinh hoạt tạm thời."),
    ]);
    transfer_page(&me, &state, id, fb).await
}

/// The receiving side accepts her into a cell.
pub async fn accept_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = accept(&me, &state, id, &f)
        .await
        .map(|_| format!("/chuyen-sinh-hoat/{id}?ok=accepted"));
    finish(r, f, async |fb| transfer_page(&me, &state, id, fb).await).await
}

/// The receiving side returns the letter.
pub async fn return_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = give_back(&me, &state, id, &f)
        .await
        .map(|_| format!("/chuyen-sinh-hoat/{id}?ok=returned"));
    finish(r, f, async |fb| transfer_page(&me, &state, id, fb).await).await
}

/// The home side records her return from a temporary stay.
pub async fn end_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = end(&me, &state, id, &f)
        .await
        .map(|_| format!("/chuyen-sinh-hoat/{id}?ok=ended"));
    finish(r, f, async |fb| transfer_page(&me, &state, id, fb).await).await
}

/// Issues a transfer letter from the member's page; a refused one shows her page again with
/// the form open and what was typed.
pub async fn send_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    match send(&me, &state, MemberId(id), &f).await {
        Ok(t) => crate::html::done(format!("/chuyen-sinh-hoat/{t}"), "sent"),
        Err(e) => {
            form_failed(e, "transfer", f, async |fb| {
                member_page(&me, &state, MemberId(id), &PageQuery::default(), fb).await
            })
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "transfers/letter.html")]
pub struct LetterPage {
    pub me: CurrentActor,
    pub l: Letter,
    pub row: TransferRow,
    pub official: bool,
    pub reason: &'static str,
    pub birth: String,
    pub sex: &'static str,
    pub admitted: String,
    pub official_on: String,
    pub dues_paid_to: String,
    pub valid_until: String,
    pub planned_return: String,
    pub day: String,
}

/// The letter, laid out on A4 for printing (the browser's print makes the PDF).
pub async fn letter(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let l = state.app.transfer_letter(&me.actor(), id).await?;
    let t = &l.line.transfer;
    let page = LetterPage {
        me: me.clone(),
        row: row(&l.line),
        official: t.kind == TransferKind::Official,
        reason: t.reason.map(reason_label).unwrap_or_default(),
        birth: vn(l.birth_date),
        sex: crate::i18n::sex(l.sex),
        admitted: l.admitted_on.map(vn).unwrap_or_default(),
        official_on: l.official_on.map(vn).unwrap_or_default(),
        dues_paid_to: t.dues_paid_to.map(month_vn).unwrap_or_default(),
        valid_until: l
            .line
            .clock
            .presentation
            .map(|d| vn(d.due_by))
            .unwrap_or_default(),
        planned_return: t.planned_return.map(vn).unwrap_or_default(),
        day: crate::view::long_date(t.sent_on),
        l,
    };
    shown(axum::http::StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "orgs/due.html")]
pub struct DuePage {
    pub me: CurrentActor,
    pub org: i64,
    pub org_name: String,
    pub today: String,
    pub w: dangvu_app::transfers::DueWork,
    /// The opinions overdue (R34), as rows.
    pub opinions: Vec<crate::html::opinions::OpinionRow>,
}

/// What is due and overdue in the organisation's subtree today (R7, R8, R10).
pub async fn due(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let w = state.app.due_work(&me.actor(), OrgId(id)).await?;
    let (org_name, today) = crate::html::org_today(&state, OrgId(id)).await;
    let mut opinions = Vec::with_capacity(w.opinions_overdue.len());
    for l in &w.opinions_overdue {
        opinions.push(crate::html::opinions::row(&state, &me, l).await);
    }
    let page = DuePage {
        me: me.clone(),
        org: id,
        org_name,
        today: vn(today),
        w,
        opinions,
    };
    shown(axum::http::StatusCode::OK, &page)
}

/// Her transfers on her page: (transfer, kind, date, where to, state).
pub(crate) async fn of_member(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
) -> Result<Vec<TransferRow>, dangvu_app::AppError> {
    Ok(state
        .app
        .transfers_of_member(&me.actor(), id)
        .await?
        .iter()
        .map(row)
        .collect())
}
