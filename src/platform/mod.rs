/*!
Everything that talks to the platform: the client (one method per
endpoint) and the wire contract it speaks (wire.rs: typed requests and
answers), the proxy hop, name resolution, retries, trust (extra CAs),
URLs, sealing secrets for it (crypto and randomness), and what is known
about an API key.
*/

pub mod client;
pub mod identity;
pub mod names;
pub mod no_proxy;
pub mod proxy;
pub mod random;
pub mod retry;
pub mod seal;
pub mod trust;
pub mod url;
pub mod wire;
