//! The audit trail (nhật ký): who changed what, when, the old and new values and the reason,
//! filtered, within the actor's scope.

use crate::extract::Cx;
use crate::html::PageResult;
use crate::html::admin::org_options;
use crate::html::show;
use crate::session::CurrentActor;
use crate::view::Opt;
use askama::Template;
use axum::extract::Query;
use dangvu_app::audit_log::Action;
use dangvu_app::trail::TrailFilter;
use dangvu_domain::FieldError;
use dangvu_domain::date::parse_date;
use dangvu_domain::ids::OrgId;
use dangvu_store::audit::StoredAudit;
use serde::Deserialize;
use utoipa::IntoParams;

// ---------------------------------------------------------------- audit trail

/// Query of the audit trail (page and API).
#[derive(Debug, Deserialize, Default, IntoParams)]
pub struct TrailQuery {
    /// User name of whoever acted.
    pub nguoi: Option<String>,
    /// Entity: `org`, `member`, `user`.
    pub doi_tuong: Option<String>,
    /// Entity id.
    pub ma: Option<String>,
    /// Organisation (its subtree).
    pub to_chuc: Option<String>,
    /// Action code (`member.correct`, …).
    pub thao_tac: Option<String>,
    /// From date (dd/mm/yyyy).
    pub tu: Option<String>,
    /// To date, included (dd/mm/yyyy).
    pub den: Option<String>,
    /// Entries older than this sequence number.
    pub truoc: Option<i64>,
}

pub(crate) fn filter_of(q: &TrailQuery) -> Result<TrailFilter, FieldError> {
    let num = |v: &Option<String>, name: &'static str| -> Result<Option<i64>, FieldError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| FieldError::new(name, "number_format")),
        }
    };
    let date = |v: &Option<String>, name: &'static str| match v
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(s) => parse_date(name, s).map(Some),
    };
    Ok(TrailFilter {
        person: q.nguoi.clone(),
        entity: q.doi_tuong.clone(),
        entity_id: num(&q.ma, "ma")?,
        org: num(&q.to_chuc, "to_chuc")?.map(OrgId),
        action: q.thao_tac.clone(),
        from: date(&q.tu, "tu")?,
        to: date(&q.den, "den")?,
        before: q.truoc,
        limit: 100,
    })
}

/// Vietnamese name of an audited action.
pub fn action_label(code: &str) -> &str {
    match code {
        "org.create" => "Thành lập tổ chức",
        "org.rename" => "Đổi tên tổ chức",
        "org.kind" => "Đổi loại tổ chức",
        "org.move" => "Chuyển tổ chức",
        "org.dissolve" => "Giải thể tổ chức",
        "org.merge" => "Sáp nhập",
        "org.split" => "Chia tách",
        "org.appoint" => "Bổ nhiệm chức vụ",
        "org.end_position" => "Thôi giữ chức vụ",
        "member.create" => "Thêm đảng viên",
        "member.import" => "Nhập đảng viên",
        "member.export" => "Xuất danh sách đảng viên",
        "member.recode" => "Chuyển sang mã danh mục",
        "member.event" => "Ghi sự kiện",
        "member.correct" => "Đính chính hồ sơ",
        "member.card" => "Cấp thẻ",
        "member.identifier_conflict" => "Trùng số định danh",
        "meeting.record" => "Ghi biên bản sinh hoạt",
        "meeting.edit" => "Sửa biên bản",
        "meeting.adopt" => "Thông qua biên bản",
        "meeting.correct" => "Đính chính biên bản",
        "meeting.score" => "Chấm điểm buổi sinh hoạt",
        "meeting.assign" => "Phân công dự sinh hoạt",
        "programme.add" => "Thêm nội dung chương trình",
        "programme.push" => "Gửi nội dung xuống chi bộ",
        "residence.introduce" => "Giới thiệu về nơi cư trú",
        "residence.attach" => "Tiếp nhận về chi bộ nơi cư trú",
        "residence.meeting" => "Họp nơi cư trú",
        "residence.comment" => "Nhận xét của nơi cư trú",
        "residence.certify" => "Xác nhận nhận xét",
        "calendar.day" => "Sửa lịch làm việc",
        "org.discipline" => "Kỷ luật tổ chức đảng",
        "member.event_correct" => "Hủy, thay thế sự kiện",
        "member.education" => "Giáo dục, giúp đỡ đảng viên",
        "transfer.return" => "Trả lại giấy giới thiệu sinh hoạt đảng",
        "decision.issue" => "Vào sổ quyết định",
        "asset.read" => "Xem sổ giám sát kê khai tài sản",
        "asset.cadre_add" => "Thêm cán bộ vào sổ giám sát kê khai tài sản",
        "asset.cadre_end" => "Cán bộ thôi thuộc diện giám sát kê khai tài sản",
        "asset.declaration_add" => "Ghi bản kê khai tài sản phải nộp",
        "asset.declaration_receive" => "Tiếp nhận bản kê khai tài sản",
        "asset.supervision_add" => "Ghi cuộc giám sát, kiểm tra kê khai tài sản",
        "asset.supervision_conclude" => "Kết luận giám sát, kiểm tra kê khai tài sản",
        "opinion.take" => "Tiếp nhận ý kiến góp ý xây dựng Đảng",
        "opinion.assign" => "Giao giải quyết ý kiến góp ý",
        "opinion.answer" => "Trả lời ý kiến góp ý",
        "opinion.attach" => "Đưa ý kiến góp ý vào đánh giá, xếp loại",
        "commitment.register" => "Đăng ký cam kết học tập và làm theo Bác",
        "commitment.comment" => "Nhận xét giữa năm việc thực hiện cam kết",
        "commitment.assess" => "Đánh giá cuối năm việc thực hiện cam kết",
        "contest.question" => "Thêm câu hỏi vào ngân hàng câu hỏi hội thi",
        "contest.round" => "Tổ chức vòng thi Bí thư chi bộ giỏi",
        "contest.result" => "Ghi kết quả thi Bí thư chi bộ giỏi",
        "regulation.create" => "Ban hành quy chế, quy định",
        "regulation.version" => "Sửa đổi, bổ sung quy chế, quy định",
        "regulation.file" => "Đính kèm tệp quy chế, quy định",
        "dues.basis" => "Khai căn cứ đóng đảng phí",
        "badge.propose" => "Đề nghị tặng huy hiệu Đảng",
        "badge.approve" => "Ghi quyết định tặng huy hiệu Đảng",
        "badge.present" => "Trao huy hiệu Đảng",
        "badge.return" => "Thu hồi, rút đề nghị huy hiệu Đảng",
        "dues.pay" => "Thu đảng phí",
        "dues.cancel" => "Hủy khoản thu đảng phí",
        "candidate.add" => "Đề nghị quần chúng ưu tú",
        "candidate.step" => "Ghi bước kết nạp",
        "review.open" => "Mở kỳ đánh giá",
        "review.step" => "Ghi bước đánh giá",
        "review.decide" => "Quyết định xếp loại",
        "review.decide_collective" => "Xếp loại tập thể cấp ủy",
        "review.lock" => "Khóa kỳ đánh giá",
        "review.correct" => "Đính chính xếp loại",
        "review.generate" => "Sinh dữ liệu xếp loại",
        "user.create" => "Tạo tài khoản",
        "user.grant" => "Giao vai trò",
        "user.end_grant" => "Kết thúc vai trò",
        "user.password" => "Đổi mật khẩu",
        "user.disable" => "Khóa tài khoản",
        "user.enable" => "Mở khóa tài khoản",
        "auth.sign_in" => "Đăng nhập",
        "auth.sign_in_failed" => "Đăng nhập sai",
        "auth.sign_in_locked" => "Đăng nhập khi đang bị khóa",
        "auth.sign_out" => "Đăng xuất",
        "auth.sign_out_everywhere" => "Đăng xuất mọi nơi",
        "auth.sign_out_others" => "Đăng xuất các nơi khác",
        other => other,
    }
}

pub(crate) struct TrailRow {
    seq: i64,
    at: String,
    actor: String,
    address: String,
    action: String,
    entity: String,
    link: String,
    old_value: String,
    new_value: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "trail/audit.html")]
pub(crate) struct TrailPage {
    me: CurrentActor,
    errors: Vec<String>,
    rows: Vec<TrailRow>,
    entity_options: Vec<Opt>,
    org_options: Vec<Opt>,
    action_options: Vec<Opt>,
    f_person: String,
    f_entity: String,
    f_id: String,
    f_org: String,
    f_action: String,
    f_from: String,
    f_to: String,
    next_page: Option<String>,
}

/// "15/06/2026 10:00" in Vietnam time.
pub(crate) fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            (t.naive_utc() + chrono::Duration::hours(7))
                .format("%d/%m/%Y %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

pub(crate) fn trail_row(r: &StoredAudit) -> TrailRow {
    let e = &r.entry;
    let entity = match (e.entity.as_str(), e.entity_id) {
        ("org", Some(i)) => format!("Tổ chức #{i}"),
        ("member", Some(i)) => format!("Đảng viên #{i}"),
        ("user", Some(i)) if i > 0 => format!("Tài khoản #{i}"),
        (other, _) => other.to_owned(),
    };
    // A member's record as it was right after the change.
    let day = chrono::DateTime::parse_from_rfc3339(&e.at)
        .map(|t| {
            (t.naive_utc() + chrono::Duration::hours(7))
                .date()
                .to_string()
        })
        .unwrap_or_default();
    let link = match (e.entity.as_str(), e.entity_id) {
        ("org", Some(i)) => format!("/to-chuc/{i}?ngay={day}"),
        ("member", Some(i)) => format!("/dang-vien/{i}?ngay={day}"),
        _ => String::new(),
    };
    let reason = [e.reason.clone(), e.decision_ref.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    TrailRow {
        seq: r.seq,
        at: local_time(&e.at),
        actor: e.actor.clone(),
        address: e.address.clone().unwrap_or_default(),
        action: action_label(&e.action).to_owned(),
        entity,
        link,
        old_value: e.old_value.clone().unwrap_or_default(),
        new_value: e.new_value.clone().unwrap_or_default(),
        reason,
    }
}

pub async fn trail(Cx(me, state): Cx, Query(q): Query<TrailQuery>) -> PageResult {
    let a = me.actor();
    let mut errors = Vec::new();
    let filter = match filter_of(&q) {
        Ok(f) => f,
        Err(e) => {
            errors.push(crate::i18n::field_message(e.field, e.code));
            TrailFilter {
                limit: 100,
                ..Default::default()
            }
        }
    };
    let rows = state.app.audit_trail(&a, &filter).await?;
    let next_page = (rows.len() as i64 >= filter.limit)
        .then(|| rows.last().map(|r| r.seq))
        .flatten()
        .map(|s| {
            let mut p = vec![format!("truoc={s}")];
            for (k, v) in [
                ("nguoi", &q.nguoi),
                ("doi_tuong", &q.doi_tuong),
                ("ma", &q.ma),
                ("to_chuc", &q.to_chuc),
                ("thao_tac", &q.thao_tac),
                ("tu", &q.tu),
                ("den", &q.den),
            ] {
                if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                    p.push(format!("{k}={}", crate::html::url_escape(v)));
                }
            }
            format!("/nhat-ky?{}", p.join("&"))
        });
    let org_options = org_options(&state, &a).await?;
    let page = TrailPage {
        me: me.clone(),
        errors,
        rows: rows.iter().map(trail_row).collect(),
        entity_options: vec![
            Opt::code("org", "Tổ chức"),
            Opt::code("member", "Đảng viên"),
            Opt::code("user", "Tài khoản"),
        ],
        org_options,
        action_options: Action::ALL
            .iter()
            .map(|a| Opt::code(a.code(), action_label(a.code())))
            .collect(),
        f_person: q.nguoi.clone().unwrap_or_default(),
        f_entity: q.doi_tuong.clone().unwrap_or_default(),
        f_id: q.ma.clone().unwrap_or_default(),
        f_org: q.to_chuc.clone().unwrap_or_default(),
        f_action: q.thao_tac.clone().unwrap_or_default(),
        f_from: q.tu.clone().unwrap_or_default(),
        f_to: q.den.clone().unwrap_or_default(),
        next_page,
    };
    show(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_change_has_a_vietnamese_label() {
        for a in Action::ALL {
            assert_ne!(action_label(a.code()), a.code(), "{a:?}");
        }
    }
}
