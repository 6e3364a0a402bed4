/*!
Everything that talks to the platform: the client (one method per
endpoint), retries, trust (extra CAs), URLs, sealing secrets for it
(crypto and randomness), and what is known about an API key.
*/

pub mod client;
pub mod identity;
pub mod proxy;
pub mod random;
pub mod retry;
pub mod seal;
pub mod trust;
pub mod url;
pub mod wire;
