//! Renderings that are not HTML pages: the classification report's chart and workbook, the
//! meetings report's workbook.

pub mod classification;
pub mod meeting_report;
