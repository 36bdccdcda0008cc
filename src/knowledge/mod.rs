//! Knowledge read from data files: the actor gazetteer, the CAMEO table, the event lexicon
//! and the entity lexicon. Loaders only; no text analysis happens here.

pub mod actors;
pub mod cameo;
pub mod entities;
pub mod lexicon;
pub mod petrarch;

pub use actors::{
    Actor, ActorId, DatedRole, Gazetteer, Gender, LeaderNoun, NameKind, NameMatch, PhoenixCounts,
    RoleKind, RoleNoun, TitleMatch,
};
pub use cameo::{CameoCode, CameoTable};
pub use entities::EntityLexicon;
pub use lexicon::{EventLexicon, LexiconEntry, TriggerPos};
