//! One module per command of `dangvu` (the server, the demo, the generator, backups and
//! migrations stay in `main.rs`).

pub mod audit;
pub mod badges;
pub mod bench;
pub mod dues;
pub mod import;
pub mod org;
pub mod path;
pub mod report;
pub mod stats;
pub mod users;
