//! The Vietnamese messages of stable error codes.

/// The Vietnamese message of a stable error code.
pub fn message(code: &str) -> &'static str {
    match code {
        "required" => "chưa nhập",
        "date_format" => "không đúng dạng ngày/tháng/năm (ví dụ 31/12/2018)",
        "date_impossible" => "là ngày không có thật",
        "date_in_future" => "không được sau ngày hôm nay",
        "cccd_format" => "phải gồm đúng 12 chữ số",
        "cccd_taken" => "đã được dùng cho một đảng viên khác",
        "history_number_format" => "phải gồm 6 chữ số và 1–3 chữ cái mã tỉnh (ví dụ 123456-QN)",
        "history_number_taken" => "đã được dùng cho một đảng viên khác",
        "card_number_format" => "không đúng dạng (thẻ 2003: 8 chữ số)",
        "card_number_taken" => "đã được cấp cho một đảng viên khác",
        "identifier_unavailable" => {
            "Không thể ghi: số căn cước, số lý lịch hoặc số thẻ này cần ban tổ chức cấp ủy đối chiếu trước. Đề nghị liên hệ ban tổ chức."
        }
        "card_needs_official" => "chỉ đảng viên chính thức mới được cấp thẻ",
        "name_format" => "phải gồm họ, (tên đệm) và tên, chỉ có chữ cái",
        "too_long" => "quá dài",
        "temporary_too_short" => "phải sau ngày đi ít nhất 3 tháng (sinh hoạt tạm thời từ 3 tháng)",
        "temporary_too_long" => {
            "quá thời hạn sinh hoạt tạm thời (tối đa 1 năm; đi học tập trung tối đa 2 năm)"
        }
        "date_out_of_range" => "phải từ ngày của giấy giới thiệu đến hôm nay",
        "after_letter" => "không được sau ngày của giấy giới thiệu",
        "too_far" => "quá 12 tháng sau ngày của giấy giới thiệu",
        "education_open" => "đảng viên đang trong một đợt giáo dục, giúp đỡ chưa kết luận",
        "education_closed" => "đợt giáo dục, giúp đỡ này đã được kết luận",
        "transfer_closed" => {
            "việc chuyển sinh hoạt này đã kết thúc (đã tiếp nhận, bị trả lại hoặc đã trở về)"
        }
        "number_format" => "phải là một số",
        "working_days_range" => "phải từ 1 đến 2.000 ngày làm việc",
        "too_large" => "quá lớn",
        "date_too_early" => "trước năm 1930",
        "date_too_late" => "quá xa trong tương lai (quá một năm sau hôm nay)",
        "period_too_long" => "khoảng thời gian quá dài (tối đa 5 năm, một nhiệm kỳ)",
        "too_many_open_reviews" => {
            "tổ chức đã có quá nhiều đợt đánh giá đang mở; hãy khóa các đợt đã xong trước"
        }
        "wrong_password" => "không đúng",
        "busy" => "máy chủ đang bận nên yêu cầu chưa được thực hiện; vui lòng thử lại sau ít phút",
        "send_key_invalid" => "khóa gửi không hợp lệ; hãy tải lại trang rồi gửi lại",
        "send_key_taken" => {
            "biểu mẫu này đang được gửi; hãy chờ một lát rồi tải lại trang để xem đã ghi chưa"
        }
        "search_too_long" => "quá dài: tìm theo họ tên, tối đa 6 từ và 100 ký tự",
        "admission_under_18" => "đảng viên phải đủ 18 tuổi khi kết nạp",
        "admission_before_birth" => "không được trước ngày sinh",
        "event_before_birth" => "không được trước ngày sinh",
        "official_too_early" => "chưa đủ 12 tháng dự bị",
        "official_date_12_months" => "ngày chính thức phải đúng 12 tháng sau ngày kết nạp (R8)",
        "discipline_not_allowed_probationary" => {
            "đảng viên dự bị chỉ bị khiển trách hoặc cảnh cáo (R12)"
        }
        "already_member" => "người này đang là đảng viên",
        "use_readmitted" => "người này đã từng là đảng viên: dùng \"Kết nạp lại\"",
        "never_member" => "người này chưa từng là đảng viên: dùng \"Kết nạp\"",
        "not_a_member" => "người này không còn (hoặc chưa) là đảng viên vào ngày đó",
        "not_transferred_out" => "đảng viên đang sinh hoạt trong đảng bộ, không thể chuyển đến",
        "not_probationary" => "đảng viên đã là chính thức",
        "same_cell" => "đảng viên đang ở chi bộ này",
        "not_active" => "đảng viên không đang sinh hoạt bình thường",
        "not_away" => "đảng viên không đang sinh hoạt tạm thời nơi khác",
        "not_exempt" => "đảng viên không đang được miễn sinh hoạt",
        "already_suspended" => "đảng viên đang bị đình chỉ",
        "not_suspended" => "đảng viên không bị đình chỉ",
        "member_died" => "đảng viên đã từ trần",
        "stage_out_of_order" => "chưa đến bước này: các bước kết nạp phải theo thứ tự",
        "already_admitted" => "đã kết nạp xong",
        "before_previous_stage" => "không được trước ngày của bước trước",
        "helper_not_official_of_cell" => "phải là đảng viên chính thức của chi bộ vào ngày đó",
        "over_60_needs_approval" => {
            "trên 60 tuổi (tính theo tháng): cần văn bản chấp thuận của cấp có thẩm quyền"
        }
        "introducers_insufficient" => {
            "cần hai đảng viên chính thức giới thiệu, hoặc một đảng viên chính thức và nghị quyết giới thiệu của Đoàn Thanh niên hoặc Công đoàn"
        }
        "introducer_not_official" => "người giới thiệu phải là đảng viên chính thức",
        "resolution_not_passed" => "chưa đủ hai phần ba số đảng viên chính thức tán thành",
        "votes_exceed_officials" => {
            "vượt số đảng viên chính thức của chi bộ (đảng viên dự bị không biểu quyết)"
        }
        "too_many" => "quá nhiều",
        "cancel_breaks_timeline" => {
            "hủy sự kiện này làm các sự kiện còn lại mâu thuẫn với nhau; hãy thay bằng sự kiện đúng"
        }
        "contradicts_later_events" => "mâu thuẫn với các sự kiện sau ngày này",
        "birth_date_contradicts_events" => {
            "mâu thuẫn với ngày kết nạp (chưa đủ 18 tuổi hoặc sau ngày kết nạp)"
        }
        "joined_before_admission" => "không được trước ngày kết nạp",
        "cell_not_active" => "không tồn tại vào ngày đó",
        "not_a_cell" => "phải là một chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc)",
        "unknown_field" => "không phải trường có thể sửa",
        "unchanged" => "không khác giá trị hiện tại",
        "tree_cycle" => "không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc của nó",
        "parent_kind_not_allowed" => "loại tổ chức này không thể trực thuộc tổ chức đã chọn (R1)",
        "district_level_abolished" => {
            "cấp huyện đã kết thúc hoạt động từ 01/07/2025 (QĐ 294-QĐ/TW)"
        }
        "parent_not_active" => "không tồn tại vào ngày đó",
        "org_not_active" => "không tồn tại vào ngày đó",
        "org_dissolved" => "tổ chức đã giải thể",
        "org_has_children" => {
            "tổ chức còn tổ chức trực thuộc: hãy chuyển hoặc giải thể chúng trước"
        }
        "members_need_destination" => "tổ chức còn đảng viên: hãy chọn chi bộ nhận đảng viên",
        "change_before_last" => "không được trước lần thay đổi gần nhất của tổ chức",
        "children_kind_conflict" => "không phù hợp với các tổ chức trực thuộc hiện có",
        "merge_into_self" => "không thể sáp nhập một tổ chức vào chính nó",
        "member_not_in_org" => "không thuộc tổ chức này vào ngày đó",
        "child_not_in_org" => "không trực thuộc tổ chức này",
        "position_needs_official" => "chỉ đảng viên chính thức mới được bầu vào cấp ủy (R8)",
        "invalid_input" => "dữ liệu chưa hợp lệ",
        "json_invalid" => "không đọc được: cần một đối tượng JSON hợp lệ",
        "not_found" => "không tìm thấy",
        "code_unknown" => "không có trong danh mục",
        "import_unreadable" => {
            "không đọc được: tệp không phải bảng tính Excel (.xlsx, .xls) hoặc CSV, hoặc đã hỏng"
        }
        "import_encoding" => "tệp CSV phải được lưu với bảng mã UTF-8",
        "import_no_headers" => {
            "không tìm thấy dòng tiêu đề: cần ít nhất hai cột có tiêu đề như “Họ và tên”, “Ngày sinh”, “Dân tộc”"
        }
        "import_too_many_rows" => "tệp có quá nhiều dòng (tối đa 200.000 dòng một lần)",
        "import_too_large" => "tệp quá lớn",
        "import_interrupted" => "việc nhập bị gián đoạn; chưa có gì được ghi, xin thử lại",
        "identifiers_conflict" => {
            "số căn cước, số lý lịch và số thẻ trong dòng này thuộc về những đảng viên khác nhau"
        }
        "cell_unknown" => "không có chi bộ này trong tổ chức đã chọn",
        "cell_ambiguous" => "có nhiều chi bộ cùng tên trong tổ chức đã chọn; ghi đầy đủ tên chi bộ",
        "cell_error" => "ô có lỗi công thức",
        "row_failed" => "không ghi được dòng này",
        "parent_unknown" => {
            "không có tổ chức cấp trên này trong tổ chức đã chọn hoặc ở các dòng trên"
        }
        "parent_ambiguous" => "có nhiều tổ chức cùng tên; ghi đầy đủ tên tổ chức cấp trên",
        "kind_unknown" => {
            "không rõ loại tổ chức (chi bộ cơ sở, đảng bộ cơ sở, đảng bộ bộ phận, chi bộ trực thuộc, tổ đảng)"
        }
        "conflict" => "trùng với dữ liệu đã có",
        "bad_request" => "yêu cầu không hợp lệ",
        "forbidden" => "bạn không có quyền thực hiện thao tác này trong phạm vi được giao",
        "unauthenticated" => "bạn cần đăng nhập",
        "csrf" => "phiên làm việc của biểu mẫu đã hết hạn: hãy tải lại trang rồi thử lại",
        "login_failed" => "tên đăng nhập hoặc mật khẩu không đúng",
        "login_locked" => {
            "đăng nhập tạm khóa 15 phút vì nhập sai nhiều lần; hãy thử lại sau hoặc liên hệ quản trị"
        }
        "password_too_short" => "phải có ít nhất 10 ký tự",
        "password_too_long" => "quá dài (tối đa 256 ký tự)",
        "password_common" => {
            "quá dễ đoán (mật khẩu phổ biến, chứa tên đăng nhập hoặc lặp ký tự); hãy chọn một câu dài hơn"
        }
        "username_format" => {
            "chỉ gồm 3–40 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang"
        }
        "username_taken" => "đã có tài khoản dùng tên này",
        "role_unknown" => "không phải vai trò có trong hệ thống",
        "role_has_no_scope" => "vai trò này không gắn với tổ chức",
        "user_not_a_member" => "tài khoản chưa gắn với một đảng viên",
        "date_before_start" => "phải sau ngày bắt đầu",
        "password_mismatch" => "nhập lại không khớp",
        "cannot_disable_self" => "không thể tự khóa tài khoản của mình",
        "subordinates_undecided" => {
            "còn đảng viên hoặc tổ chức trực thuộc chưa được xếp loại: xếp loại từ dưới lên (R28)"
        }
        "subordinates_below_htxs_condition" => {
            "chưa đủ điều kiện hoàn thành xuất sắc: cần 100% cấp dưới hoàn thành nhiệm vụ trở lên và 80% hoàn thành tốt trở lên (R26)"
        }
        "org_not_rated" => "loại tổ chức này không xếp loại ở đây",
        "org_not_in_review" => "không thuộc tổ chức được đánh giá",
        "not_classified_org_too_young" => "thành lập chưa đủ 6 tháng: không xếp loại (R24)",
        "no_rule_set" => "chưa có quy định xếp loại cho kỳ này (từ năm 2018)",
        "review_locked" => "kỳ đánh giá đã khóa: thay đổi phải ghi thành đính chính",
        "member_not_in_review" => "không sinh hoạt trong tổ chức được đánh giá vào cuối kỳ",
        "disciplined_in_period" => {
            "bị kỷ luật trong kỳ nên xếp loại không hoàn thành nhiệm vụ (R25)"
        }
        "degradation" => "có kết luận suy thoái nên xếp loại không hoàn thành nhiệm vụ (R25)",
        "targets_below_half" => {
            "đạt dưới 50% chỉ tiêu nên xếp loại không hoàn thành nhiệm vụ (R25)"
        }
        "civil_service_kht" => {
            "công chức, viên chức không hoàn thành nhiệm vụ nên đảng viên không hoàn thành nhiệm vụ (R25)"
        }
        "civil_service_not_htxs" => {
            "chỉ xếp hoàn thành xuất sắc khi cũng hoàn thành xuất sắc nhiệm vụ công chức, viên chức (R25)"
        }
        "sick_leave" => "nghỉ ốm từ 3 tháng trở lên: cao nhất là hoàn thành nhiệm vụ (R25)",
        "not_classified_exempt" => "đang miễn sinh hoạt: không xếp loại (R24)",
        "not_classified_suspended" => "đang bị đình chỉ sinh hoạt: không xếp loại (R24)",
        "not_classified_admitted_late" => "kết nạp chưa đủ 6 tháng: không xếp loại (R24)",
        "not_classified_not_on_rolls" => "không còn trong danh sách đảng viên cuối kỳ (R24)",
        "level_not_from_points" => "mức xếp loại không khớp số điểm (90 / 70 / 50)",
        "quota_exceeded" => {
            "vượt tỷ lệ hoàn thành xuất sắc (20% số hoàn thành tốt trở lên, R27): cần ghi lý do"
        }
        "collective_first" => {
            "tập thể cấp ủy phải kiểm điểm trước, làm cơ sở cho kiểm điểm cá nhân (R28)"
        }
        "review_not_locked" => "kỳ đánh giá chưa khóa: hãy sửa trực tiếp quyết định xếp loại",
        "not_classified_correction" => "đảng viên này thuộc diện không xếp loại (R24)",
        "invalid" => "không hợp lệ",
        "collective_disciplined" => "tập thể bị kỷ luật: không hoàn thành nhiệm vụ (R26)",
        "collective_member_disciplined" => {
            "có thành viên cấp ủy bị kỷ luật trong kỳ: tập thể không hoàn thành nhiệm vụ (R26)"
        }
        "units_disciplined" => {
            "quá 20% tổ chức trực thuộc bị kỷ luật: tập thể không hoàn thành nhiệm vụ (R26)"
        }
        "time_format" => "không đúng dạng giờ:phút (ví dụ 19:30)",
        "time_before_start" => "phải sau giờ bắt đầu",
        "meeting_kind_not_for_org" => "loại sinh hoạt này không dành cho tổ chức này (R16)",
        "attendance_incomplete" => {
            "chưa ghi đủ tình hình dự họp của mọi đảng viên trong chi bộ (R19)"
        }
        "chair_absent" => "người chủ trì phải có mặt",
        "minute_taker_absent" => "thư ký phải có mặt",
        "votes_exceed_voters" => {
            "số phiếu vượt số đảng viên chính thức có mặt (đảng viên dự bị không biểu quyết)"
        }
        "no_quorum" => "không đủ quá nửa đảng viên chính thức dự họp để biểu quyết (R19)",
        "meeting_short" => "buổi sinh hoạt dưới 90 phút (Chỉ thị 50-CT/TW)",
        "meeting_short_combined" => {
            "buổi sinh hoạt kết hợp thường kỳ và chuyên đề dưới 120 phút (Chỉ thị 50-CT/TW)"
        }
        "absent_three_months" => {
            "vắng sinh hoạt không lý do 3 tháng: chi ủy xem xét đề nghị xóa tên (R11)"
        }
        "dues_three_months" => "không đóng đảng phí 3 tháng: chi ủy xem xét đề nghị xóa tên (R11)",
        "month_format" => "không đúng dạng tháng/năm (ví dụ 05/2026)",
        "programme_not_for_org" => "chỉ chi bộ và đảng bộ cơ sở lập chương trình sinh hoạt (R17)",
        "no_cells_below" => "không có chi bộ nào trực thuộc vào tháng đó",
        "item_not_in_programme" => "không thuộc chương trình sinh hoạt của chi bộ này",
        "residence_not_grassroots" => {
            "phải là đảng ủy xã, phường hoặc tổ chức cơ sở đảng nơi cư trú (R20)"
        }
        "link_not_open" => "mối liên hệ nơi cư trú đã kết thúc hoặc chưa bắt đầu vào ngày đó",
        "not_attached" => "đảng viên chưa được phân công về chi bộ nơi cư trú",
        "comment_certified" => "phiếu nhận xét đã được đảng ủy nơi cư trú xác nhận",
        "no_comment" => "chi bộ nơi cư trú chưa viết phiếu nhận xét",
        "minutes_adopted" => {
            "biên bản đã được thông qua và khóa: thay đổi phải ghi thành đính chính"
        }
        "nothing_to_correct" => "chưa có quyết định xếp loại nào để đính chính",
        "level_above_bound" => "vượt mức cao nhất quy định cho phép (R25)",
        "task_empty" => "nhiệm vụ chưa ghi nội dung",
        "task_member_missing" => "nhiệm vụ chưa ghi người thực hiện",
        "task_member_not_in_meeting" => "người nhận nhiệm vụ không có trong danh sách dự họp",
        "guest_not_superior" => "không phải cấp ủy viên cấp trên của chi bộ vào ngày đó",
        "no_template" => "chưa có khung chấm điểm áp dụng cho ngày đó",
        "score_missing" => "chưa chấm đủ các tiêu chí của khung điểm",
        "score_twice" => "một tiêu chí được chấm hai lần",
        "score_out_of_range" => "điểm vượt mức tối đa của tiêu chí",
        "score_unknown_criterion" => "tiêu chí không có trong khung điểm",
        "member_not_in_meeting" => "đảng viên không có trong danh sách dự họp",
        "period_reversed" => "phải sau ngày bắt đầu",
        "out_of_range" => "vượt quá giới hạn cho phép",
        "card_not_in_use" => "thẻ này không còn đang sử dụng",
        "decision_incomplete" => "cần ghi đủ số, ngày và cơ quan ra quyết định",
        "badge_day" => "không phải ngày trao huy hiệu (3/2, 19/5, 2/9, 7/11)",
        "badge_milestone" => {
            "không có loại huy hiệu này (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm)"
        }
        "badge_not_reached" => "đảng viên chưa đủ tuổi Đảng cho loại huy hiệu này vào đợt này",
        "badge_missed" => "đảng viên đã đủ tuổi Đảng từ đợt trước: đề nghị theo trường hợp bổ sung",
        "badge_not_missed" => {
            "đảng viên không đủ tuổi Đảng từ đợt trước: không phải trường hợp bổ sung"
        }
        "badge_not_early" => "đảng viên đã đủ tuổi Đảng: không cần tặng sớm",
        "badge_too_early" => {
            "sớm hơn thời gian cho phép (ốm nặng: 12 tháng, từ 70 năm: 24 tháng; truy tặng: 12 tháng)"
        }
        "badge_member_died" => "đảng viên đã từ trần: đề nghị theo trường hợp truy tặng",
        "badge_not_died" => "chỉ truy tặng cho đảng viên đã từ trần",
        "badge_already" => "đảng viên đã được đề nghị hoặc đã được tặng loại huy hiệu này",
        "badge_nothing_proposed" => "chưa có trường hợp nào được đề nghị trong đợt này",
        "badge_not_approved" => "huy hiệu chưa có quyết định tặng",
        "badge_holder_not_expelled" => "chỉ thu hồi huy hiệu của đảng viên bị khai trừ",
        "badge_number_format" => {
            "không đúng dạng (mã tỉnh và 6 chữ số, ví dụ QN123456; huy hiệu 45 năm có chữ E trước các chữ số)"
        }
        "badge_number_taken" => "số huy hiệu này đã được ghi cho một huy hiệu khác",
        "card_holder_in_party" => {
            "chỉ thu hồi thẻ của người đã ra khỏi Đảng (khai trừ, xóa tên, xin ra)"
        }
        "too_many_members" => "tổ chức quá lớn để liệt kê: hãy chọn một tổ chức cấp dưới",
        "amount_format" => "không đúng dạng số tiền (ví dụ 1.250.000)",
        "dues_flat_range" => {
            "mức khoán phải từ 2.000 đ đến 30.000 đ một tháng (Quyết định 342-QĐ/TW)"
        }
        "dues_no_rules" => {
            "chưa có quy định về đảng phí áp dụng cho tháng này (Quyết định 342-QĐ/TW áp dụng từ 01/4/2011)"
        }
        "dues_too_many_months" => "một lần thu không quá 36 tháng",
        "dues_month_paid" => "có tháng đã đóng đảng phí rồi: mỗi tháng chỉ ghi một lần",
        "dues_below_due" => "ít hơn số đảng phí phải đóng trong tháng",
        "dues_no_basis" => {
            "đảng viên chưa khai căn cứ đóng đảng phí cho tháng này: hãy ghi số tiền, hoặc khai căn cứ trước"
        }
        "dues_in_minutes" => {
            "khoản này được thu tại buổi họp chi bộ: hãy sửa tình hình đóng đảng phí trong biên bản"
        }
        "dues_in_ledger" => {
            "tổng đảng phí của buổi họp lấy từ sổ đảng phí: hãy đánh dấu hoặc bỏ đánh dấu từng đảng viên"
        }
        "answer_days_range" => "phải từ 1 đến 90 ngày làm việc",
        "declaration_exists" => "cán bộ đã có bản kê khai loại này với cùng hạn nộp",
        "declaration_received" => "bản kê khai này đã được ghi nhận tiếp nhận",
        "supervision_concluded" => "cuộc giám sát, kiểm tra này đã có kết luận",
        "cadre_ended" => "cán bộ đã thôi thuộc diện quản lý",
        "too_many_rows" => "quá nhiều dòng để hiển thị một lần",
        "one_subject" => "chỉ chọn một đối tượng: một tổ chức đảng hoặc một đảng viên",
        "opinion_answered" => "ý kiến này đã được trả lời",
        "opinion_without_subject" => {
            "ý kiến không gắn với tổ chức đảng hay đảng viên nào nên không đưa vào đánh giá"
        }
        "review_months_range" => "phải từ 1 đến 60 tháng",
        "provision_format" => {
            "mỗi dòng gồm ba phần cách nhau bởi dấu |: điều, khoản | nhiệm vụ | người, bộ phận chịu trách nhiệm"
        }
        "before_last_version" => "không được trước ngày có hiệu lực của lần ban hành trước",
        "file_type" => "chỉ nhận tệp PDF hoặc DOCX (đúng loại với phần mở rộng của tên tệp)",
        "file_too_large" => "quá lớn (tối đa 20 MB)",
        "file_corrupt" => "tệp lưu trữ không khớp mã kiểm tra: đề nghị liên hệ quản trị hệ thống",
        "options_count" => "phải có từ 2 đến 6 phương án",
        "options_repeated" => "có phương án (hoặc câu hỏi) bị lặp lại",
        "answer_not_an_option" => "phải là số thứ tự của một phương án",
        "score_range" => "phải là điểm từ 0 đến 100, tối đa một chữ số thập phân (ví dụ 87,5)",
        "answers_count" => {
            "phải chọn đúng một phương án (hoặc để trống) cho mỗi câu hỏi của vòng thi"
        }
        "not_in_contest_subtree" => {
            "đảng viên không sinh hoạt trong đảng bộ tổ chức hội thi vào ngày thi"
        }
        "too_many_items" => "quá nhiều nội dung (tối đa 30, mỗi dòng một nội dung)",
        "commitment_assessed" => "bản cam kết đã được đánh giá cuối năm, không sửa được nữa",
        "opinion_after_period" => "ý kiến nhận sau khi kết thúc kỳ đánh giá",
        _ => "không hợp lệ",
    }
}
