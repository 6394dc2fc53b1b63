//! Where webhooks may go: not to this machine or its private networks, unless
//! the operator allows it. A receiver URL is chosen by an API caller, so
//! without this check a tenant could make the server POST to its own
//! loopback services or to the cloud metadata address.
//!
//! Every address a host resolves to is checked (one private address is
//! enough to refuse), at endpoint creation and again at each delivery, where
//! the resolver that connects does the check, so a name cannot resolve to a
//! public address for the check and a private one for the connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

/// An allow-list entry: an address, a CIDR block, or a host name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allow {
    Net { addr: IpAddr, prefix: u8 },
    Host(String),
}

impl FromStr for Allow {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err("an empty allow-list entry".into());
        }
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (s, None),
        };
        match ip.trim_matches(['[', ']']).parse::<IpAddr>() {
            Ok(addr) => {
                let max = if addr.is_ipv4() { 32 } else { 128 };
                let prefix = match prefix {
                    None => max,
                    Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| {
                        format!("{s:?}: the prefix length after / must be 0..={max}")
                    })?,
                };
                Ok(Allow::Net { addr, prefix })
            }
            Err(_) if prefix.is_none() && !s.contains(['/', ':', ' ']) => Ok(Allow::Host(s.to_ascii_lowercase())),
            Err(_) => Err(format!("{s:?} is not an IP address, a CIDR block (10.0.0.0/8) or a host name")),
        }
    }
}

fn in_net(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Why an address is not a public one, if it is not.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => non_public_v4(v4),
            None => non_public_v6(v6),
        },
    }
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() {
        Some("private")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if a == 0 {
        Some("unspecified")
    } else if a == 100 && (64..128).contains(&b) {
        Some("shared (carrier-grade NAT)")
    } else if ip.is_broadcast() || ip.is_multicast() {
        Some("broadcast or multicast")
    } else {
        None
    }
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_unique_local() {
        Some("unique-local")
    } else if ip.is_unicast_link_local() || first & 0xffc0 == 0xfec0 {
        Some("link-local")
    } else if ip.is_multicast() {
        Some("multicast")
    } else {
        None
    }
}

/// The check, with the operator's allow-list.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    /// Allow every address (`--webhook-allow-private`).
    pub allow_private: bool,
    pub allow: Vec<Allow>,
}

impl Guard {
    fn host_allowed(&self, host: &str) -> bool {
        self.allow_private || self.allow.iter().any(|a| matches!(a, Allow::Host(h) if h.eq_ignore_ascii_case(host)))
    }

    /// `Err(why)` when `ip` may not be called.
    pub fn check_ip(&self, host: &str, ip: IpAddr) -> Result<(), String> {
        let Some(kind) = non_public(ip) else { return Ok(()) };
        let allowed = self.host_allowed(host)
            || self.allow.iter().any(|a| matches!(a, Allow::Net { addr, prefix } if in_net(ip, *addr, *prefix)));
        if allowed {
            Ok(())
        } else if host == ip.to_string() {
            Err(format!(
                "refused: {ip} is a {kind} address; webhooks go to public addresses only unless the server \
                 allows it (--webhook-allow-host or --webhook-allow-private)"
            ))
        } else {
            Err(format!(
                "refused: {host} resolves to {ip}, a {kind} address; webhooks go to public addresses only \
                 unless the server allows it (--webhook-allow-host or --webhook-allow-private)"
            ))
        }
    }

    /// Resolves `host` and checks every address it has.
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
        let bare = host.trim_matches(['[', ']']);
        if let Ok(ip) = bare.parse::<IpAddr>() {
            self.check_ip(&ip.to_string(), ip)?;
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((bare, port))
            .await
            .map_err(|e| format!("could not resolve {bare}: {e}"))?
            .collect();
        if addrs.is_empty() {
            return Err(format!("{bare} has no address"));
        }
        for a in &addrs {
            self.check_ip(bare, a.ip())?;
        }
        Ok(addrs)
    }

    /// The check at endpoint creation: `Err(why)` when `host` is, or resolves
    /// to, an address that may not be called. A name that does not resolve
    /// (yet) passes: each delivery checks again.
    pub async fn check_host(&self, host: &str) -> Result<(), String> {
        let bare = host.trim_matches(['[', ']']);
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return self.check_ip(&ip.to_string(), ip);
        }
        if self.host_allowed(bare) {
            return Ok(());
        }
        let lookup = tokio::time::timeout(std::time::Duration::from_secs(3), tokio::net::lookup_host((bare, 0))).await;
        if let Ok(Ok(addrs)) = lookup {
            for a in addrs {
                self.check_ip(bare, a.ip())?;
            }
        }
        Ok(())
    }

    /// A resolver for reqwest that connects only to addresses this guard allows.
    pub fn resolver(self: &Arc<Self>) -> GuardedResolver {
        GuardedResolver(Arc::clone(self))
    }
}

/// reqwest's name resolution through a [`Guard`]. (reqwest does not resolve
/// IP literals; those are checked with [`Guard::check_ip`] before a request.)
pub struct GuardedResolver(Arc<Guard>);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let guard = Arc::clone(&self.0);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = guard.resolve(&host, 0).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        for ip in ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "::1", "::",
            "fc00::1", "fe80::1", "::ffff:127.0.0.1", "100.64.0.1"]
        {
            assert!(non_public(ip.parse().unwrap()).is_some(), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "172.32.0.1"] {
            assert!(non_public(ip.parse().unwrap()).is_none(), "{ip}");
        }
    }

    #[test]
    fn allow_list() {
        let g = Guard { allow_private: false, allow: vec!["10.0.0.0/8".parse().unwrap(), "localhost".parse().unwrap()] };
        assert!(g.check_ip("10.2.3.4", "10.2.3.4".parse().unwrap()).is_ok());
        assert!(g.check_ip("localhost", "127.0.0.1".parse().unwrap()).is_ok());
        assert!(g.check_ip("127.0.0.1", "127.0.0.1".parse().unwrap()).is_err());
        assert!("10.0.0.0/33".parse::<Allow>().is_err());
        assert_eq!("::1".parse::<Allow>(), Ok(Allow::Net { addr: "::1".parse().unwrap(), prefix: 128 }));
    }
}
