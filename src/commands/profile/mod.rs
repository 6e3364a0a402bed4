/*!
The profile commands: `codika login`, `whoami`, `use` and `logout`.
*/

pub mod login;
pub mod logout;
pub mod use_;
pub mod whoami;
