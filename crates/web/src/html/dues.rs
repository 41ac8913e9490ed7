//! Đảng phí on the pages (R14): a member's basis and ledger with the forms to declare a basis,
//! record a payment and cancel one entered in error; a cell's monthly book (print, Excel); the
//! totals of a subtree for a year with each level's share; the members who owe dues.

use askama::Template;
use axum::extract::Path;
use chrono::{Datelike, NaiveDate};
use dangvu_app::AppError;
use dangvu_app::dues::{ArrearsLine, DuesBook, DuesTotals, MemberDues};
use dangvu_domain::date::parse_month;
use dangvu_domain::dues::{DuesCategory, DuesLevel, month_start, vnd};
use dangvu_domain::ids::{MemberId, OrgId};
use dangvu_domain::transfer::month_vn;

use crate::AppState;
use crate::error::finish;
use crate::extract::Cx;
use crate::html::{PageResult, shown};
use crate::input::Fields;
use crate::session::CurrentActor;
use crate::view::{Feedback, Opt, vn};

pub fn category_label(c: DuesCategory) -> &'static str {
    match c {
        DuesCategory::Salaried => {
            "Cán bộ, công chức, viên chức, lực lượng vũ trang (1% lương và phụ cấp)"
        }
        DuesCategory::Pensioner => "Hưởng lương hưu (0,5% lương hưu)",
        DuesCategory::Enterprise => "Người lao động trong doanh nghiệp (1% tiền lương)",
        DuesCategory::Other => "Đảng viên khác (mức khoán do cấp ủy quy định)",
        DuesCategory::Exempt => "Được miễn đóng đảng phí",
    }
}

/// The short name of a category, for tables.
pub fn category_short(c: DuesCategory) -> &'static str {
    match c {
        DuesCategory::Salaried => "CBCCVC, LLVT",
        DuesCategory::Pensioner => "Hưu trí",
        DuesCategory::Enterprise => "Doanh nghiệp",
        DuesCategory::Other => "Khác",
        DuesCategory::Exempt => "Miễn",
    }
}

pub fn level_label(l: DuesLevel) -> &'static str {
    match l {
        DuesLevel::Cell => "chi bộ trực thuộc",
        DuesLevel::WardGrassroots => "tổ chức cơ sở đảng ở xã, phường, thị trấn",
        DuesLevel::Grassroots => "tổ chức cơ sở đảng ở cơ quan, doanh nghiệp, đơn vị",
        DuesLevel::Higher => "cấp trên cơ sở",
    }
}

fn category_options() -> Vec<Opt> {
    DuesCategory::ALL
        .into_iter()
        .map(|c| Opt::code(c.code(), category_label(c)))
        .collect()
}

fn money(v: Option<i64>) -> String {
    v.map(vnd).unwrap_or_default()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct MonthQuery {
    /// mm/yyyy.
    pub thang: Option<String>,
    pub nam: Option<i32>,
    pub ok: Option<String>,
}

impl MonthQuery {
    /// The month asked for, or this one.
    fn month(&self, today: NaiveDate) -> Result<NaiveDate, AppError> {
        match self
            .thang
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(month_start(today)),
            Some(s) => Ok(parse_month("thang", s).map_err(|e| crate::input::invalid(vec![e]))?),
        }
    }
}

pub struct BasisRowView {
    pub from: String,
    pub category: &'static str,
    pub amount: String,
    pub note: String,
    pub by: String,
}

pub struct MonthRowView {
    pub month: String,
    pub due: String,
    pub paid: String,
    pub paid_on: String,
    pub where_: String,
    pub payment: Option<i64>,
    pub meeting: Option<i64>,
    pub owing: bool,
}

#[derive(Template)]
#[template(path = "dues/member.html")]
pub struct MemberPage {
    pub me: CurrentActor,
    pub member: i64,
    pub name: String,
    pub bases: Vec<BasisRowView>,
    pub months: Vec<MonthRowView>,
    pub cancelled: Vec<(String, String, String)>,
    pub paid_to: String,
    pub owed: String,
    pub owed_months: String,
    pub categories: Vec<Opt>,
    pub this_month: String,
    pub today: String,
    pub feedback: Feedback,
}

fn member_view(
    me: &CurrentActor,
    name: String,
    v: &MemberDues,
    today: NaiveDate,
    feedback: Feedback,
) -> MemberPage {
    MemberPage {
        me: me.clone(),
        member: v.member.0,
        name,
        bases: v
            .bases
            .iter()
            .rev()
            .map(|b| BasisRowView {
                from: month_vn(b.from),
                category: category_label(b.basis.category),
                amount: money(b.basis.income.or(b.basis.flat)),
                note: b.note.clone().unwrap_or_default(),
                by: b.recorded_by.clone(),
            })
            .collect(),
        months: v
            .months
            .iter()
            .rev()
            .map(|(m, p)| MonthRowView {
                month: month_vn(m.month),
                due: m.due.map(vnd).unwrap_or_else(|| "chưa khai căn cứ".into()),
                paid: money(p.as_ref().map(|p| p.amount)),
                paid_on: p.as_ref().map(|p| vn(p.paid_on)).unwrap_or_default(),
                where_: p
                    .as_ref()
                    .map(|p| p.received_by.clone().unwrap_or_default())
                    .unwrap_or_default(),
                payment: p.as_ref().filter(|p| p.meeting.is_none()).map(|p| p.id),
                meeting: p.as_ref().and_then(|p| p.meeting),
                owing: m.owing() && v.owed_months.contains(&m.month),
            })
            .collect(),
        cancelled: v
            .cancelled
            .iter()
            .map(|p| {
                (
                    month_vn(p.month),
                    vnd(p.amount),
                    p.cancel_reason.clone().unwrap_or_default(),
                )
            })
            .collect(),
        paid_to: v
            .paid_to
            .map(month_vn)
            .unwrap_or_else(|| "(chưa có)".into()),
        owed: vnd(v.owed),
        owed_months: v
            .owed_months
            .iter()
            .map(|m| month_vn(*m))
            .collect::<Vec<_>>()
            .join(", "),
        categories: category_options(),
        this_month: month_vn(today),
        today: vn(today),
        feedback,
    }
}

async fn member_page(
    me: &CurrentActor,
    state: &AppState,
    id: MemberId,
    fb: Feedback,
) -> PageResult {
    let v = state.app.member_dues(&me.actor(), id).await?;
    let today = state.app.clock.today();
    let page = member_view(me, v.name.clone(), &v, today, fb);
    shown(page.feedback.status, &page)
}

/// A member's dues: her bases, her ledger month by month, and the forms.
pub async fn member(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<MonthQuery>,
) -> PageResult {
    let fb = Feedback::after(
        q.ok.as_deref(),
        &[
            ("basis", "Đã ghi căn cứ đóng đảng phí."),
            ("paid", "Đã ghi khoản thu đảng phí vào sổ."),
            (
                "cancelled",
                "Đã hủy khoản thu ghi nhầm; sổ vẫn giữ dòng đã hủy.",
            ),
        ],
    );
    member_page(&me, &state, MemberId(id), fb).await
}

/// Declares a basis from a month.
pub async fn basis_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let r = async {
        let input = crate::input::dues::basis(&f)?;
        state
            .app
            .set_dues_basis(&me.actor(), MemberId(id), input)
            .await?;
        Ok(format!("/dang-vien/{id}/dang-phi?ok=basis"))
    }
    .await;
    finish(r, f, async |fb| {
        member_page(&me, &state, MemberId(id), fb).await
    })
    .await
}

/// Records a payment of one or more months.
pub async fn pay_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let actor = me.actor();
    let r = state
        .app
        .once(&actor, &f.get("_key"), async || {
            let input = crate::input::dues::payment(&f)?;
            state.app.pay_dues(&actor, MemberId(id), input).await?;
            Ok(format!("/dang-vien/{id}/dang-phi?ok=paid"))
        })
        .await;
    finish(r, f, async |fb| {
        member_page(&me, &state, MemberId(id), fb).await
    })
    .await
}

/// Cancels a month's payment entered in error; the member's page again.
pub async fn cancel_form(Cx(me, state): Cx, Path(id): Path<i64>, f: Fields) -> PageResult {
    let member = f.get("member").trim().parse::<i64>().unwrap_or_default();
    let r = async {
        state
            .app
            .cancel_dues(&me.actor(), id, &f.get("reason"))
            .await?;
        Ok(format!("/dang-vien/{member}/dang-phi?ok=cancelled"))
    }
    .await;
    finish(r, f, async |fb| {
        member_page(&me, &state, MemberId(member), fb).await
    })
    .await
}

pub struct BookRowView {
    pub member: i64,
    pub name: String,
    pub category: &'static str,
    pub due: String,
    pub paid: String,
    pub paid_on: String,
    pub paid_to: String,
    pub owed: String,
    pub note: &'static str,
    pub warn: bool,
}

pub(crate) fn book_rows(b: &DuesBook) -> Vec<BookRowView> {
    b.lines
        .iter()
        .map(|l| {
            let here = l.paid.as_ref().is_none_or(|p| p.cell == b.cell.org);
            BookRowView {
                member: l.member.0,
                name: l.name.clone(),
                category: l.category.map(category_short).unwrap_or("—"),
                due: l.due.map(vnd).unwrap_or_else(|| "chưa khai".into()),
                paid: money(l.paid.as_ref().map(|p| p.amount)),
                paid_on: l.paid.as_ref().map(|p| vn(p.paid_on)).unwrap_or_default(),
                paid_to: l.paid_to.map(month_vn).unwrap_or_default(),
                owed: if l.owed_months > 0 {
                    format!("{} tháng — {}", l.owed_months, vnd(l.owed))
                } else {
                    String::new()
                },
                note: match (l.status.is_some(), here) {
                    (false, _) => "đã chuyển khỏi chi bộ",
                    (true, false) => "nộp ở chi bộ khác",
                    _ => "",
                },
                warn: l.owed_months >= 3,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "dues/book.html")]
pub struct BookPage {
    pub me: CurrentActor,
    pub org: i64,
    pub book: DuesBook,
    pub rows: Vec<BookRowView>,
    pub month: String,
    pub month_query: String,
    pub level: &'static str,
    pub keeps_pct: i64,
    pub today: String,
    pub due_total: String,
    pub collected: String,
    pub kept: String,
    pub remitted: String,
}

/// A cell's dues book for a month (`?thang=mm/yyyy`, this month by default); any other
/// organisation's dues page is its totals for the year.
pub async fn org_dues(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<MonthQuery>,
) -> PageResult {
    let today = state.app.clock.today();
    let month = q.month(today)?;
    match state.app.dues_book(&me.actor(), OrgId(id), month).await {
        Ok(book) => {
            let rules = book.rules;
            let keeps_pct = match book.level {
                DuesLevel::Cell => rules.cell_keeps_pct,
                DuesLevel::WardGrassroots => rules.ward_grassroots_keeps_pct,
                DuesLevel::Grassroots => rules.grassroots_keeps_pct,
                DuesLevel::Higher => rules.higher_keeps_pct,
            };
            let page = BookPage {
                me: me.clone(),
                org: id,
                rows: book_rows(&book),
                month: month_vn(book.month),
                month_query: crate::html::url_escape(&month_vn(book.month)),
                level: level_label(book.level),
                keeps_pct,
                today: crate::view::long_date(today),
                due_total: vnd(book.due_total),
                collected: vnd(book.collected),
                kept: vnd(book.kept),
                remitted: vnd(book.remitted),
                book,
            };
            shown(axum::http::StatusCode::OK, &page)
        }
        Err(e) if e.code() == "not_a_cell" => {
            totals_page(&me, &state, OrgId(id), today.year()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The book as an Excel workbook.
pub async fn book_xlsx(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<MonthQuery>,
) -> PageResult {
    let today = state.app.clock.today();
    let month = q.month(today)?;
    let book = state.app.dues_book(&me.actor(), OrgId(id), month).await?;
    let bytes = crate::render::dues::book_xlsx(&book, today).map_err(crate::render::xlsx_failed)?;
    let name = format!("so-dang-phi-{}-{}.xlsx", id, book.month.format("%Y-%m"));
    Ok(crate::render::classification::xlsx_attachment(&name, bytes))
}

pub struct TotalsCellView {
    pub name: String,
    pub months: Vec<String>,
    pub total: String,
    pub kept: String,
    pub remitted: String,
}

pub struct TotalsGrassrootsView {
    pub name: String,
    pub level: &'static str,
    pub collected: String,
    pub cells_kept: String,
    pub received: String,
    pub kept: String,
    pub remitted: String,
}

#[derive(Template)]
#[template(path = "dues/totals.html")]
pub struct TotalsPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub year: i32,
    pub cells: Vec<TotalsCellView>,
    pub grassroots: Vec<TotalsGrassrootsView>,
    pub by_month: Vec<String>,
    pub collected: String,
    pub upward: String,
    pub head: crate::view::Letterhead,
}

pub(crate) fn totals_view(
    me: &CurrentActor,
    t: &DuesTotals,
    head: crate::view::Letterhead,
) -> TotalsPage {
    let dash = |v: i64| {
        if v == 0 {
            String::new()
        } else {
            dangvu_domain::text::number(v)
        }
    };
    TotalsPage {
        me: me.clone(),
        org: t.org.org.0,
        name: t.org.name.clone(),
        year: t.year,
        cells: t
            .cells
            .iter()
            .map(|c| TotalsCellView {
                name: c.name.clone(),
                months: c.by_month.iter().map(|v| dash(*v)).collect(),
                total: vnd(c.total),
                kept: vnd(c.kept),
                remitted: vnd(c.remitted),
            })
            .collect(),
        grassroots: t
            .grassroots
            .iter()
            .map(|g| TotalsGrassrootsView {
                name: g.name.clone(),
                level: level_label(g.level),
                collected: vnd(g.collected),
                cells_kept: vnd(g.cells_kept),
                received: vnd(g.received),
                kept: vnd(g.kept),
                remitted: vnd(g.remitted),
            })
            .collect(),
        by_month: t.by_month.iter().map(|v| dash(*v)).collect(),
        collected: vnd(t.collected),
        upward: vnd(t.upward),
        head,
    }
}

async fn totals_page(me: &CurrentActor, state: &AppState, org: OrgId, year: i32) -> PageResult {
    let t = state.app.dues_totals(&me.actor(), org, year).await?;
    let on = state
        .app
        .clock
        .today()
        .min(chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(chrono::NaiveDate::MAX));
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), org, on).await?;
    shown(axum::http::StatusCode::OK, &totals_view(me, &t, head))
}

/// The dues of a subtree for a year (`?nam=`, this year by default).
pub async fn totals(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<MonthQuery>,
) -> PageResult {
    let year = q.nam.unwrap_or_else(|| state.app.clock.today().year());
    totals_page(&me, &state, OrgId(id), year).await
}

/// The totals as an Excel workbook.
pub async fn totals_xlsx(
    Cx(me, state): Cx,
    crate::extract::Page(id, q): crate::extract::Page<MonthQuery>,
) -> PageResult {
    let year = q.nam.unwrap_or_else(|| state.app.clock.today().year());
    let t = state.app.dues_totals(&me.actor(), OrgId(id), year).await?;
    let bytes = crate::render::dues::totals_xlsx(&t).map_err(crate::render::xlsx_failed)?;
    let name = format!("dang-phi-{id}-{year}.xlsx");
    Ok(crate::render::classification::xlsx_attachment(&name, bytes))
}

pub struct ArrearsView {
    pub member: i64,
    pub name: String,
    pub cell: String,
    pub months: String,
    pub count: usize,
    pub owed: String,
    pub paid_to: String,
}

pub(crate) fn arrears_rows(v: &[ArrearsLine]) -> Vec<ArrearsView> {
    v.iter()
        .map(|l| ArrearsView {
            member: l.member.0,
            name: l.name.clone(),
            cell: l.cell_name.clone(),
            months: l
                .months
                .iter()
                .map(|m| month_vn(*m))
                .collect::<Vec<_>>()
                .join(", "),
            count: l.months.len(),
            owed: vnd(l.owed),
            paid_to: l.paid_to.map(month_vn).unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "dues/arrears.html")]
pub struct ArrearsPage {
    pub me: CurrentActor,
    pub org: i64,
    pub name: String,
    pub today: String,
    pub rows: Vec<ArrearsView>,
    pub flagged: usize,
    pub head: crate::view::Letterhead,
}

/// The members of a subtree who owe dues, with the months.
pub async fn arrears(Cx(me, state): Cx, Path(id): Path<i64>) -> PageResult {
    let today = state.app.clock.today();
    let v = state
        .app
        .dues_arrears(&me.actor(), OrgId(id), today)
        .await?;
    let (name, _) = crate::html::org_today(&state, OrgId(id)).await;
    let rows = arrears_rows(&v);
    let head = crate::view::Letterhead::of(&state.app, &me.actor(), OrgId(id), today).await?;
    let page = ArrearsPage {
        head,
        me: me.clone(),
        org: id,
        name,
        today: vn(today),
        flagged: rows.iter().filter(|r| r.count >= 3).count(),
        rows,
    };
    shown(axum::http::StatusCode::OK, &page)
}
